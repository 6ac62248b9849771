/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "crm-schema.h"

G_BEGIN_DECLS

/*
 * The SQL of an entity's "wire" column (migrations/server/0015_wire_json.sql): the row
 * function that spells a row as the API does, and the generated column that keeps it.
 * When a field is added to an entity in core/crm-schema.c, a new server migration drops
 * the column, replaces the function with this text and adds the column again;
 * `crm-wire-sql ENTITY` prints it, and test-wire-sql checks that the migrations hold it.
 */

/* "CREATE FUNCTION crm_wire_<name> (" … "$$;" for a synced entity. */
char *crm_wire_sql_function (const CrmEntityInfo *entity);

/* "ALTER TABLE <collection> ADD COLUMN wire …" … " STORED;" */
char *crm_wire_sql_column   (const CrmEntityInfo *entity);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-test-records.h — valid, fully populated records of every entity, shared
 * by the validation and JSON tests.
 */
#pragma once

#include "crm-record.h"

G_BEGIN_DECLS

/* A record of @kind with every field set to a valid value. */
CrmRecord *crm_test_full_record (CrmEntityKind kind);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-pg-migrate.h — brings a PostgreSQL database to the schema this binary knows.
 *
 * The migrations are the files migrations/server/NNNN_name.sql, compiled in as
 * resources under CRM_PG_MIGRATIONS_PATH. Each one is applied in its own transaction
 * (a file must not contain BEGIN or COMMIT) and recorded in schema_migrations with
 * its number. A session advisory lock makes instances that start together take turns.
 */
#pragma once

#include <gio/gio.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

#define CRM_PG_MIGRATIONS_PATH "/fr/alforis/Crm/migrations/server/"

/* Applies every compiled-in migration not yet recorded, in name order. Refuses
 * (CRM_STORE_ERROR_SCHEMA_TOO_NEW) a database that records a version newer than the
 * newest this binary has; a failing migration is rolled back whole and reported
 * (CRM_STORE_ERROR_MIGRATION) after the ones before it were kept. @conn must not be in
 * a transaction. */
gboolean crm_pg_migrate              (PGconn      *conn,
                                      GError     **error);

/* The same from any resource bundle and path (tests); *@n_applied (may be NULL)
 * receives the number of migrations applied by this call. */
gboolean crm_pg_migrate_from         (PGconn      *conn,
                                      GResource   *resource,
                                      const char  *path,
                                      guint       *n_applied,
                                      GError     **error);

/* The highest version recorded, 0 for a fresh database. */
gint64   crm_pg_schema_version       (PGconn      *conn,
                                      GError     **error);

G_END_DECLS

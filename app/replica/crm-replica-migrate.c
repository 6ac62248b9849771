/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-replica"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "crm-replica-migrations.h"
#include "crm-replica-private.h"

#define MIGRATIONS_PATH "/fr/alforis/Crm/migrations/replica"

typedef struct
{
  int   version;
  char *name;
} Migration;

static void
migration_clear (gpointer data)
{
  g_free (((Migration *) data)->name);
}

static int
compare_migrations (gconstpointer a,
                    gconstpointer b)
{
  return ((const Migration *) a)->version - ((const Migration *) b)->version;
}

/* The compiled-in migrations, in order. Named NNNN_what.sql; the number is the
 * schema version the file brings the replica to. */
static GArray *
list_migrations (GError **error)
{
  g_auto(GStrv) names = NULL;
  GArray *migrations;

  /* Through the GResource itself rather than the global registry: referencing it
   * is what makes the linker keep the generated resource in a static library. */
  names = g_resource_enumerate_children (crm_replica_migrations_get_resource (), MIGRATIONS_PATH,
                                         G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (names == NULL)
    return NULL;

  migrations = g_array_new (FALSE, TRUE, sizeof (Migration));
  g_array_set_clear_func (migrations, migration_clear);
  for (guint i = 0; names[i] != NULL; i++)
    {
      Migration m = { 0, NULL };
      char *end = NULL;

      if (!g_str_has_suffix (names[i], ".sql"))
        continue;
      m.version = (int) strtol (names[i], &end, 10);
      if (end == names[i] || *end != '_' || m.version <= 0)
        continue;
      m.name = g_strdup (names[i]);
      g_array_append_val (migrations, m);
    }
  g_array_sort (migrations, compare_migrations);

  return migrations;
}

static int
applied_version (CrmReplica *self,
                 GError    **error)
{
  sqlite3_stmt *stmt;
  int version = -1;

  if (!crm_replica_exec (self,
                         "CREATE TABLE IF NOT EXISTS schema_migrations ("
                         "  version    INTEGER PRIMARY KEY,"
                         "  name       TEXT NOT NULL,"
                         "  applied_at TEXT NOT NULL DEFAULT "
                         "    (strftime ('%Y-%m-%dT%H:%M:%SZ', 'now')))",
                         error))
    return -1;

  stmt = crm_replica_prepare (self, "SELECT coalesce (max (version), 0) FROM schema_migrations",
                              error);
  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  else
    crm_replica_set_sqlite_error (self, sqlite3_errcode (self->db), error);
  sqlite3_reset (stmt);

  return version;
}

static gboolean
apply_one (CrmReplica      *self,
           const Migration *m,
           GError         **error)
{
  g_autofree char *path = g_strconcat (MIGRATIONS_PATH "/", m->name, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gsize size;

  bytes = g_resource_lookup_data (crm_replica_migrations_get_resource (), path,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return FALSE;
  sql = g_strndup (g_bytes_get_data (bytes, &size), g_bytes_get_size (bytes));

  /* One transaction per file: a kill mid-migration leaves the previous version. */
  if (!crm_replica_begin (self, error))
    return FALSE;

  if (!crm_replica_exec (self, sql, error))
    {
      g_prefix_error (error, _("La mise à jour des données locales (%s) a échoué : "), m->name);
      crm_replica_rollback (self);
      return FALSE;
    }

  stmt = crm_replica_prepare (self, "INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                              error);
  if (stmt == NULL)
    {
      crm_replica_rollback (self);
      return FALSE;
    }
  sqlite3_bind_int (stmt, 1, m->version);
  sqlite3_bind_text (stmt, 2, m->name, -1, SQLITE_TRANSIENT);
  if (!crm_replica_step_done (self, stmt, error))
    {
      crm_replica_rollback (self);
      return FALSE;
    }

  return crm_replica_commit (self, error);
}

gboolean
crm_replica_migrate (CrmReplica *self,
                     GError    **error)
{
  g_autoptr(GArray) migrations = NULL;
  int current, latest;

  migrations = list_migrations (error);
  if (migrations == NULL)
    return FALSE;
  latest = migrations->len > 0 ? g_array_index (migrations, Migration, migrations->len - 1).version
                               : 0;

  current = applied_version (self, error);
  if (current < 0)
    return FALSE;

  if (current > latest)
    {
      g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_NEWER_SCHEMA,
                   _("Ces données locales (%s) ont été créées par une version plus récente "
                     "d’Alforis CRM (schéma %d ; cette version connaît le schéma %d). Installez "
                     "la dernière version de l’application pour les ouvrir."),
                   self->path, current, latest);
      return FALSE;
    }

  for (guint i = 0; i < migrations->len; i++)
    {
      const Migration *m = &g_array_index (migrations, Migration, i);

      if (m->version <= current)
        continue;
      g_debug ("Applying replica migration %s", m->name);
      if (!apply_one (self, m, error))
        return FALSE;
      current = m->version;
    }

  self->schema_version = current;
  return TRUE;
}

/*
 * Carries what can be read of a damaged replica's outbox (and its client id, so
 * ops that reached the server before the damage stay idempotent) into the fresh
 * one. Reads row by row and stops at the first unreadable page: everything the
 * server already has comes back with the next full pull.
 */
gboolean
crm_replica_salvage (CrmReplica  *self,
                     const char  *damaged_path,
                     GError     **error)
{
  sqlite3 *old = NULL;
  sqlite3_stmt *read = NULL;
  sqlite3_stmt *write;
  g_autofree char *uri = NULL;
  int rc;

  uri = g_strconcat ("file:", damaged_path, "?mode=ro", NULL);
  rc = sqlite3_open_v2 (uri, &old, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_CORRUPT, "%s", sqlite3_errstr (rc));
      sqlite3_close (old);
      return FALSE;
    }

  if (sqlite3_prepare_v2 (old, "SELECT client_id, epoch FROM sync_state WHERE singleton = 1",
                          -1, &read, NULL) == SQLITE_OK &&
      sqlite3_step (read) == SQLITE_ROW && sqlite3_column_text (read, 0) != NULL)
    {
      write = crm_replica_prepare (self, "UPDATE sync_state SET client_id = ?, epoch = ? "
                                         "WHERE singleton = 1", NULL);
      if (write != NULL)
        {
          sqlite3_bind_text (write, 1, (const char *) sqlite3_column_text (read, 0), -1,
                             SQLITE_TRANSIENT);
          sqlite3_bind_int64 (write, 2, sqlite3_column_int64 (read, 1));
          if (crm_replica_step_done (self, write, NULL))
            {
              g_free (self->client_id);
              self->client_id = g_strdup ((const char *) sqlite3_column_text (read, 0));
            }
        }
    }
  sqlite3_finalize (read);
  read = NULL;

  if (sqlite3_prepare_v2 (old, "SELECT op_id, entity, row_id, kind, base_version, fields, "
                               "created_at, updated_at FROM outbox ORDER BY seq",
                          -1, &read, NULL) != SQLITE_OK)
    {
      g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_CORRUPT, "%s", sqlite3_errmsg (old));
      sqlite3_close (old);
      return FALSE;
    }

  write = crm_replica_prepare (self,
                               "INSERT OR IGNORE INTO outbox (op_id, entity, row_id, kind, "
                               "base_version, fields, created_at, updated_at) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (write == NULL || !crm_replica_begin (self, error))
    {
      sqlite3_finalize (read);
      sqlite3_close (old);
      return FALSE;
    }

  while ((rc = sqlite3_step (read)) == SQLITE_ROW)
    {
      sqlite3_reset (write);
      for (int col = 0; col < 8; col++)
        sqlite3_bind_value (write, col + 1, sqlite3_column_value (read, col));
      /* A row whose bytes were damaged fails the table's checks: skip just it. */
      if (sqlite3_step (write) == SQLITE_DONE && sqlite3_changes (self->db) > 0)
        self->n_salvaged++;
    }
  sqlite3_reset (write);
  if (rc != SQLITE_DONE)
    g_message ("Outbox salvage of %s stopped early: %s", damaged_path, sqlite3_errmsg (old));

  sqlite3_finalize (read);
  sqlite3_close (old);

  return crm_replica_commit (self, error);
}

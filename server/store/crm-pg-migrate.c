/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "crm-pg-migrate.h"
#include "crm-pg-private.h"
#include "crm-server-migrations.h"

/* Any constant works as long as nothing else in the database uses it: "alfo". */
#define MIGRATION_LOCK_KEY "1634494063"

typedef struct
{
  char   *name;     /* "0012_entities.sql" */
  gint64  version;  /* 12 */
} Migration;

static void
migration_free (gpointer data)
{
  Migration *migration = data;

  g_free (migration->name);
  g_free (migration);
}

static int
compare_migrations (gconstpointer a,
                    gconstpointer b)
{
  const Migration *ma = *(const Migration * const *) a;
  const Migration *mb = *(const Migration * const *) b;

  return strcmp (ma->name, mb->name);
}

/* NNNN_name.sql, with at least one digit and a name; anything else in the folder is
 * a packaging mistake we want to hear about rather than skip. */
static gboolean
parse_name (const char *name,
            gint64     *version)
{
  const char *p = name;

  while (g_ascii_isdigit (*p))
    p++;
  if (p == name || *p != '_' || !g_str_has_suffix (name, ".sql") || strlen (p) <= 5)
    return FALSE;

  *version = g_ascii_strtoll (name, NULL, 10);
  return *version > 0;
}

static GPtrArray *
list_migrations (GResource   *resource,
                 const char  *path,
                 GError     **error)
{
  g_autoptr(GPtrArray) migrations = g_ptr_array_new_with_free_func (migration_free);
  g_auto(GStrv) names = g_resource_enumerate_children (resource, path,
                                                       G_RESOURCE_LOOKUP_FLAGS_NONE, error);

  if (names == NULL)
    return NULL;

  for (guint i = 0; names[i] != NULL; i++)
    {
      Migration *migration = g_new0 (Migration, 1);

      migration->name = g_strdup (names[i]);
      g_ptr_array_add (migrations, migration);
      if (!parse_name (names[i], &migration->version))
        {
          g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_MIGRATION,
                       _("La migration « %s » ne suit pas le modèle NNNN_nom.sql."), names[i]);
          return NULL;
        }
    }

  g_ptr_array_sort (migrations, compare_migrations);
  for (guint i = 1; i < migrations->len; i++)
    {
      const Migration *prev = g_ptr_array_index (migrations, i - 1);
      const Migration *cur = g_ptr_array_index (migrations, i);

      if (prev->version >= cur->version)
        {
          g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_MIGRATION,
                       _("Les migrations « %s » et « %s » portent le même numéro."),
                       prev->name, cur->name);
          return NULL;
        }
    }
  return g_steal_pointer (&migrations);
}

gint64
crm_pg_schema_version (PGconn  *conn,
                       GError **error)
{
  g_autoptr(PGresult) result = NULL;

  result = crm_pg_exec (conn,
                        "SELECT coalesce (max (version), 0) FROM schema_migrations", NULL,
                        error);
  return result != NULL ? crm_pg_int (result, 0, 0) : -1;
}

static gboolean
is_applied (PGconn           *conn,
            const Migration  *migration,
            gboolean         *applied,
            GError          **error)
{
  g_autoptr(GPtrArray) params = crm_pg_params_new ();
  g_autoptr(PGresult) result = NULL;

  crm_pg_param_int (params, migration->version);
  result = crm_pg_exec (conn, "SELECT 1 FROM schema_migrations WHERE version = $1", params,
                        error);
  if (result == NULL)
    return FALSE;
  *applied = PQntuples (result) > 0;
  return TRUE;
}

static gboolean
apply_one (PGconn           *conn,
           GResource        *resource,
           const char       *path,
           const Migration  *migration,
           GError          **error)
{
  g_autofree char *resource_path = g_build_path ("/", path, migration->name, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(GPtrArray) params = crm_pg_params_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(PGresult) recorded = NULL;
  g_auto(CrmPgTx) tx = { 0 };

  bytes = g_resource_lookup_data (resource, resource_path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return FALSE;
  sql = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  if (!crm_pg_tx_begin (&tx, conn, "BEGIN", error))
    return FALSE;

  /* The simple query protocol runs a file of several statements in one call. */
  if (!crm_pg_command (conn, sql, &local_error))
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_MIGRATION,
                   _("La migration « %s » a échoué et n’a rien modifié : %s"),
                   migration->name, local_error->message);
      return FALSE;
    }

  crm_pg_param_int (params, migration->version);
  crm_pg_param (params, migration->name);
  recorded = crm_pg_exec (conn,
                          "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                          params, error);
  if (recorded == NULL)
    return FALSE;

  if (!crm_pg_tx_commit (&tx, error))
    return FALSE;

  g_info ("Migration appliquée : %s", migration->name);
  return TRUE;
}

static gboolean
migrate_locked (PGconn     *conn,
                GResource  *resource,
                const char *path,
                guint      *n_applied,
                GError    **error)
{
  g_autoptr(GPtrArray) migrations = list_migrations (resource, path, error);
  const Migration *newest;
  gint64 current;

  if (migrations == NULL)
    return FALSE;

  /* Not CREATE TABLE IF NOT EXISTS: its NOTICE would land in every start-up log. */
  if (!crm_pg_command (conn,
                       "DO $$ BEGIN"
                       " IF to_regclass ('schema_migrations') IS NULL THEN"
                       "  CREATE TABLE schema_migrations ("
                       "   version bigint PRIMARY KEY,"
                       "   name text NOT NULL,"
                       "   applied_at timestamptz NOT NULL DEFAULT now ());"
                       " END IF;"
                       " END $$",
                       error))
    return FALSE;

  current = crm_pg_schema_version (conn, error);
  if (current < 0)
    return FALSE;

  newest = migrations->len > 0 ? g_ptr_array_index (migrations, migrations->len - 1) : NULL;
  if (current > (newest != NULL ? newest->version : 0))
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_SCHEMA_TOO_NEW,
                   _("La base de données a été migrée par une version plus récente du serveur "
                     "(schéma %" G_GINT64_FORMAT ", celui-ci s’arrête à %" G_GINT64_FORMAT
                     ") ; installez la version correspondante du serveur."),
                   current, newest != NULL ? newest->version : 0);
      return FALSE;
    }

  for (guint i = 0; i < migrations->len; i++)
    {
      const Migration *migration = g_ptr_array_index (migrations, i);
      gboolean applied;

      if (!is_applied (conn, migration, &applied, error))
        return FALSE;
      if (applied)
        continue;
      if (!apply_one (conn, resource, path, migration, error))
        return FALSE;
      if (n_applied != NULL)
        (*n_applied)++;
    }
  return TRUE;
}

gboolean
crm_pg_migrate_from (PGconn      *conn,
                     GResource   *resource,
                     const char  *path,
                     guint       *n_applied,
                     GError     **error)
{
  g_autoptr(GError) unlock_error = NULL;
  gboolean ok;

  g_return_val_if_fail (conn != NULL, FALSE);
  g_return_val_if_fail (resource != NULL, FALSE);

  if (n_applied != NULL)
    *n_applied = 0;

  if (PQtransactionStatus (conn) != PQTRANS_IDLE)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_MIGRATION,
                           _("Les migrations s’appliquent hors de toute transaction."));
      return FALSE;
    }

  /* A session lock, not a transaction one: it must span one transaction per file.
   * A second instance waits here, then finds everything applied. */
  if (!crm_pg_command (conn, "SELECT pg_advisory_lock (" MIGRATION_LOCK_KEY ")", error))
    return FALSE;

  ok = migrate_locked (conn, resource, path, n_applied, error);

  if (!crm_pg_command (conn, "SELECT pg_advisory_unlock (" MIGRATION_LOCK_KEY ")",
                       &unlock_error))
    g_warning ("Verrou des migrations non libéré : %s", unlock_error->message);
  return ok;
}

gboolean
crm_pg_migrate (PGconn  *conn,
                GError **error)
{
  /* Asking for the resource by name links it in and registers nothing globally, so
   * this works whatever else the binary bundles. */
  return crm_pg_migrate_from (conn, crm_server_migrations_get_resource (),
                              CRM_PG_MIGRATIONS_PATH, NULL, error);
}

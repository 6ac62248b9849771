/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-server"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-pg-migrate.h"
#include "crm-server-migrations.h"
#include "crm-server-private.h"

/*
 * At start-up, one look at the schema: a server on a database nobody migrated, or
 * migrated by another version, fails in confusing ways on its first requests. It only
 * warns (the server still starts, /health tells the database's state), and it runs on
 * a worker like every query.
 */

/* The newest NNNN of the migrations compiled into this binary. */
static gint64
newest_compiled_version (void)
{
  g_auto (GStrv) names = g_resource_enumerate_children (crm_server_migrations_get_resource (),
                                                        CRM_PG_MIGRATIONS_PATH,
                                                        G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  gint64 newest = 0;

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    newest = MAX (newest, g_ascii_strtoll (names[i], NULL, 10));
  return newest;
}

static gpointer
read_schema_version (PGconn       *connection,
                     gpointer      job_data,
                     GCancellable *cancellable,
                     GError      **error)
{
  gint64 *version = g_new (gint64, 1);

  *version = crm_pg_schema_version (connection, error);
  if (*version < 0)
    g_clear_pointer (&version, g_free);
  return version;
}

static void
on_schema_version (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  CrmDbPool *pool = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree gint64 *version = crm_db_pool_run_finish (pool, result, &error);
  gint64 expected = newest_compiled_version ();

  if (version == NULL && g_error_matches (error, CRM_DB_POOL_ERROR,
                                          CRM_DB_POOL_ERROR_UNAVAILABLE))
    g_warning (_("Base de données injoignable au démarrage : %s"), error->message);
  else if (version == NULL)
    g_warning (_("La base n'a pas de schéma Alforis CRM (%s) ; lancez "
                 "« alforis-crm-server migrate »."),
               error->message);
  else if (*version < expected)
    g_warning (_("Le schéma de la base est en version %" G_GINT64_FORMAT ", ce serveur attend "
                 "la version %" G_GINT64_FORMAT " ; lancez « alforis-crm-server migrate »."),
               *version, expected);
  else if (*version > expected)
    g_warning (_("La base a été migrée par un serveur plus récent (schéma %" G_GINT64_FORMAT
                 ", celui-ci connaît %" G_GINT64_FORMAT ") ; installez cette version."),
               *version, expected);
  else
    g_info (_("Schéma de la base en version %" G_GINT64_FORMAT), *version);
}

void
crm_server_check_schema (CrmServer *self)
{
  crm_db_pool_run (self->pool, read_schema_version, NULL, NULL, NULL, on_schema_version,
                   self->pool);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-server"

#include "config.h"

#include <glib/gi18n.h>
#include <unistd.h>

#include "crm-commands.h"
#include "crm-db-pool.h"
#include "crm-log.h"
#include "crm-pg-migrate.h"
#include "crm-sentry.h"
#include "crm-server.h"
#include "crm-server-migrations.h"

/* The commands that need no more than the configuration, the server and the schema. */

static void
print_config_report (CrmConfig *config)
{
  for (guint i = 0; i < config->warnings->len; i++)
    g_printerr (_("attention : %s\n"), (const char *) g_ptr_array_index (config->warnings, i));
  for (guint i = 0; i < config->problems->len; i++)
    g_printerr (_("erreur : %s\n"), (const char *) g_ptr_array_index (config->problems, i));
}

int
crm_command_check_config (CrmServerOptions *options)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmConfig) config = crm_config_load (options->config_path,
                                                  options->config_is_explicit, NULL, &error);

  if (config == NULL)
    {
      g_printerr (_("erreur : %s\n"), error->message);
      return CRM_EXIT_PROBLEM;
    }

  crm_config_validate (config, CRM_CONFIG_CHECK_ALL);
  print_config_report (config);
  if (config->problems->len > 0)
    {
      g_printerr (g_dngettext (GETTEXT_PACKAGE, "%u problème : le serveur ne démarrera pas.\n",
                               "%u problèmes : le serveur ne démarrera pas.\n",
                               config->problems->len),
                  config->problems->len);
      return CRM_EXIT_PROBLEM;
    }

  if (config->path != NULL)
    g_print (_("OK : la configuration %s est valide.\n"), config->path);
  else
    g_print (_("OK : la configuration est valide (aucun fichier, environnement seul).\n"));
  return CRM_EXIT_OK;
}

/* Loads and checks the configuration for a command; NULL (reported) if it cannot run. */
CrmConfig *
crm_command_load_config (CrmServerOptions *options,
                         CrmConfigCheck    what)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmConfig) config = crm_config_load (options->config_path,
                                                  options->config_is_explicit, NULL, &error);

  if (config == NULL)
    {
      g_printerr (_("erreur : %s\n"), error->message);
      return NULL;
    }
  crm_config_validate (config, what);
  print_config_report (config);
  if (config->problems->len > 0)
    return NULL;
  return g_steal_pointer (&config);
}

/*
 * Once the main loop has ended, the rest of the shutdown gets a deadline: something
 * that talks to a frozen database (a LISTEN thread being joined, a worker stuck in
 * libpq) must not keep a SIGTERMed server alive until systemd kills it.
 */
typedef struct
{
  GMutex   lock;
  GCond    cond;
  gboolean done;
  GThread *thread;
} ShutdownWatchdog;

static gpointer
watch_shutdown (gpointer data)
{
  ShutdownWatchdog *watchdog = data;
  gint64 deadline = g_get_monotonic_time () + CRM_SERVER_TEARDOWN_SECONDS * G_USEC_PER_SEC;
  gboolean done;

  g_mutex_lock (&watchdog->lock);
  while (!watchdog->done && g_cond_wait_until (&watchdog->cond, &watchdog->lock, deadline))
    ;
  done = watchdog->done;
  g_mutex_unlock (&watchdog->lock);
  if (!done)
    {
      g_warning (_("L'arrêt dure plus de %d s ; fin immédiate du processus"),
                 CRM_SERVER_TEARDOWN_SECONDS);
      _exit (CRM_EXIT_OK);
    }
  return NULL;
}

static void
watchdog_start (ShutdownWatchdog *watchdog)
{
  g_mutex_init (&watchdog->lock);
  g_cond_init (&watchdog->cond);
  watchdog->thread = g_thread_new ("crm-shutdown", watch_shutdown, watchdog);
}

static void
watchdog_stop (ShutdownWatchdog *watchdog)
{
  if (watchdog->thread == NULL)
    return;
  g_mutex_lock (&watchdog->lock);
  watchdog->done = TRUE;
  g_cond_signal (&watchdog->cond);
  g_mutex_unlock (&watchdog->lock);
  g_thread_join (watchdog->thread);
  g_mutex_clear (&watchdog->lock);
  g_cond_clear (&watchdog->cond);
}

/* The server is gone (its threads joined) when this returns. */
static int
serve_with (CrmConfig        *config,
            ShutdownWatchdog *watchdog)
{
  g_autoptr (CrmServer) server = NULL;
  g_autoptr (GError) error = NULL;

  server = crm_server_new (config, &error);
  if (server == NULL || !crm_server_listen (server, &error))
    {
      g_critical ("%s", error->message);
      return CRM_EXIT_PROBLEM;
    }
  crm_server_run (server);
  watchdog_start (watchdog);
  return CRM_EXIT_OK;
}

int
crm_command_serve (CrmServerOptions *options)
{
  g_autoptr (CrmConfig) config = crm_command_load_config (options, CRM_CONFIG_CHECK_ALL);
  g_autoptr (GError) error = NULL;
  ShutdownWatchdog watchdog = { 0 };
  int status;

  if (config == NULL)
    return CRM_EXIT_PROBLEM;
  crm_log_init (config->log_format, config->log_level, STDERR_FILENO);
  if (config->sentry_dsn != NULL && !crm_sentry_start (config->sentry_dsn, &error))
    {
      g_printerr (_("erreur : [sentry] dsn : %s\n"), error->message);
      return CRM_EXIT_PROBLEM;
    }

  status = serve_with (config, &watchdog);
  /* A failure to start is worth its report too: give the queue a moment to go out. */
  crm_sentry_stop (2000);
  watchdog_stop (&watchdog);
  return status;
}

int
crm_command_migrate (CrmServerOptions *options)
{
  g_autoptr (CrmConfig) config = crm_command_load_config (options, CRM_CONFIG_CHECK_DATABASE);
  g_autoptr (GError) error = NULL;
  PGconn *connection;
  guint applied = 0;
  gint64 version;

  if (config == NULL)
    return CRM_EXIT_PROBLEM;
  crm_log_init (config->log_format, config->log_level, STDERR_FILENO);

  connection = crm_db_connect (config->database_url, &error);
  if (connection == NULL
      || !crm_pg_migrate_from (connection, crm_server_migrations_get_resource (),
                               CRM_PG_MIGRATIONS_PATH, &applied, &error)
      || (version = crm_pg_schema_version (connection, &error)) < 0)
    {
      g_printerr (_("erreur : %s\n"), error->message);
      g_clear_pointer (&connection, PQfinish);
      return CRM_EXIT_PROBLEM;
    }
  PQfinish (connection);

  if (applied == 0)
    g_print (_("Rien à faire : le schéma est déjà en version %" G_GINT64_FORMAT ".\n"), version);
  else
    g_print (g_dngettext (GETTEXT_PACKAGE,
                          "%u migration appliquée ; le schéma est en version %" G_GINT64_FORMAT
                          ".\n",
                          "%u migrations appliquées ; le schéma est en version %" G_GINT64_FORMAT
                          ".\n",
                          applied),
             applied, version);
  return CRM_EXIT_OK;
}


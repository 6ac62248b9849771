/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-server"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "crm-config.h"
#include "crm-db-pool.h"
#include "crm-log.h"
#include "crm-pg-migrate.h"
#include "crm-server.h"
#include "crm-server-migrations.h"

/* Exit statuses: scripts (and the tests) tell a bad configuration from a bad command line. */
enum
{
  EXIT_OK = 0,
  EXIT_PROBLEM = 1,
  EXIT_USAGE = 2,
};

typedef struct
{
  const char *config_path;
  gboolean  config_is_explicit;
} CrmServerOptions;

typedef int (*CrmCommandFunc) (CrmServerOptions *options);

static int run_check_config (CrmServerOptions *options);
static int run_serve (CrmServerOptions *options);
static int run_migrate (CrmServerOptions *options);

static const struct
{
  const char     *name;
  CrmCommandFunc  run;
  const char     *summary;
} commands[] = {
  { "serve", run_serve,
    N_("sert l'API en HTTPS jusqu'à SIGTERM (les requêtes en cours se terminent)") },
  { "migrate", run_migrate,
    N_("applique à la base les migrations qu'elle n'a pas encore (refuse une base plus récente)") },
  { "check-config", run_check_config,
    N_("lit la configuration et dit précisément ce qui ne va pas (statut 0 si elle est bonne)") },
};

static char *
commands_description (void)
{
  GString *text = g_string_new (_("Commandes :\n"));

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (text, "  %-14s %s\n", commands[i].name, _(commands[i].summary));
  g_string_append_printf (text,
                          _("\nConfiguration : %s, ou le fichier donné par --config ; les "
                            "variables ALFORIS_* (ALFORIS_DATABASE_URL, ALFORIS_PORT…) priment "
                            "sur le fichier.\n"),
                          CRM_CONFIG_DEFAULT_PATH);
  return g_string_free (text, FALSE);
}

static void
print_config_report (CrmConfig *config)
{
  for (guint i = 0; i < config->warnings->len; i++)
    g_printerr (_("attention : %s\n"), (const char *) g_ptr_array_index (config->warnings, i));
  for (guint i = 0; i < config->problems->len; i++)
    g_printerr (_("erreur : %s\n"), (const char *) g_ptr_array_index (config->problems, i));
}

static int
run_check_config (CrmServerOptions *options)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmConfig) config = crm_config_load (options->config_path,
                                                  options->config_is_explicit, NULL, &error);

  if (config == NULL)
    {
      g_printerr (_("erreur : %s\n"), error->message);
      return EXIT_PROBLEM;
    }

  crm_config_validate (config, CRM_CONFIG_CHECK_ALL);
  print_config_report (config);
  if (config->problems->len > 0)
    {
      g_printerr (g_dngettext (GETTEXT_PACKAGE, "%u problème : le serveur ne démarrera pas.\n",
                               "%u problèmes : le serveur ne démarrera pas.\n",
                               config->problems->len),
                  config->problems->len);
      return EXIT_PROBLEM;
    }

  if (config->path != NULL)
    g_print (_("OK : la configuration %s est valide.\n"), config->path);
  else
    g_print (_("OK : la configuration est valide (aucun fichier, environnement seul).\n"));
  return EXIT_OK;
}

/* Loads and checks the configuration for a command; NULL (reported) if it cannot run. */
static CrmConfig *
load_config_for (CrmServerOptions *options,
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

static int
run_serve (CrmServerOptions *options)
{
  g_autoptr (CrmConfig) config = load_config_for (options, CRM_CONFIG_CHECK_ALL);
  g_autoptr (CrmServer) server = NULL;
  g_autoptr (GError) error = NULL;

  if (config == NULL)
    return EXIT_PROBLEM;
  crm_log_init (config->log_format, config->log_level, STDERR_FILENO);

  server = crm_server_new (config, &error);
  if (server == NULL || !crm_server_listen (server, &error))
    {
      g_critical ("%s", error->message);
      return EXIT_PROBLEM;
    }
  crm_server_run (server);
  return EXIT_OK;
}

static int
run_migrate (CrmServerOptions *options)
{
  g_autoptr (CrmConfig) config = load_config_for (options, CRM_CONFIG_CHECK_DATABASE);
  g_autoptr (GError) error = NULL;
  PGconn *connection;
  guint applied = 0;
  gint64 version;

  if (config == NULL)
    return EXIT_PROBLEM;
  crm_log_init (config->log_format, config->log_level, STDERR_FILENO);

  connection = crm_db_connect (config->database_url, &error);
  if (connection == NULL
      || !crm_pg_migrate_from (connection, crm_server_migrations_get_resource (),
                               CRM_PG_MIGRATIONS_PATH, &applied, &error)
      || (version = crm_pg_schema_version (connection, &error)) < 0)
    {
      g_printerr (_("erreur : %s\n"), error->message);
      g_clear_pointer (&connection, PQfinish);
      return EXIT_PROBLEM;
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
  return EXIT_OK;
}

static CrmCommandFunc
find_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].name, name))
      return commands[i].run;
  return NULL;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *description = NULL;
  g_autofree char *config_path = NULL;
  gboolean version = FALSE;
  CrmServerOptions options = { 0 };
  CrmCommandFunc command;
  const GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
      N_("fichier de configuration (défaut : " CRM_CONFIG_DEFAULT_PATH ")"), N_("FICHIER") },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("affiche la version et quitte"), NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Until a command has read its configuration, warnings go to stderr as readable text. */
  crm_log_init (CRM_LOG_FORMAT_AUTO, G_LOG_LEVEL_MESSAGE, STDERR_FILENO);

  context = g_option_context_new (_("COMMANDE"));
  g_option_context_set_summary (context, _("Le serveur d'Alforis CRM : HTTPS et PostgreSQL."));
  description = commands_description ();
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n%s", error->message, description);
      return EXIT_USAGE;
    }

  if (version)
    {
      g_print ("alforis-crm-server %s\n", PACKAGE_VERSION);
      g_print (_("protocole de synchronisation %d\n"), CRM_SYNC_PROTOCOL);
      return EXIT_OK;
    }

  if (argc != 2)
    {
      g_printerr (argc < 2 ? _("Quelle commande ?\n%s") : _("Une seule commande à la fois.\n%s"),
                  description);
      return EXIT_USAGE;
    }
  command = find_command (argv[1]);
  if (command == NULL)
    {
      g_printerr (_("Commande inconnue : %s\n%s"), argv[1], description);
      return EXIT_USAGE;
    }

  options.config_is_explicit = config_path != NULL;
  options.config_path = config_path != NULL ? config_path : CRM_CONFIG_DEFAULT_PATH;
  return command (&options);
}

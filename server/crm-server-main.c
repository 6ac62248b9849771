/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-server"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "crm-commands.h"
#include "crm-log.h"

static const struct
{
  const char     *name;
  CrmCommandFunc  run;
  const char     *summary;
} commands[] = {
  { "serve", crm_command_serve,
    N_("sert l'API en HTTPS jusqu'à SIGTERM (les requêtes en cours se terminent)") },
  { "migrate", crm_command_migrate,
    N_("applique à la base les migrations qu'elle n'a pas encore (refuse une base plus récente)") },
  { "create-user", crm_command_create_user,
    N_("crée un compte (--email, --name, --role, --team) ; le mot de passe est lu sur "
       "l'entrée standard ou demandé deux fois") },
  { "reset-password", crm_command_reset_password,
    N_("donne un nouveau mot de passe au compte --email et ferme ses sessions ; le mot "
       "de passe est lu sur l'entrée standard ou demandé deux fois") },
  { "check-config", crm_command_check_config,
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
  g_autofree char *email = NULL;
  g_autofree char *display_name = NULL;
  g_autofree char *role = NULL;
  g_autofree char *team_id = NULL;
  gboolean version = FALSE;
  CrmServerOptions options = { 0 };
  CrmCommandFunc command;
  const GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
      N_("fichier de configuration (défaut : " CRM_CONFIG_DEFAULT_PATH ")"), N_("FICHIER") },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("affiche la version et quitte"), NULL },
    { NULL }
  };
  const GOptionEntry user_entries[] = {
    { "email", 0, 0, G_OPTION_ARG_STRING, &email, N_("adresse du compte"), N_("ADRESSE") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &display_name, N_("nom affiché"), N_("NOM") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role, N_("admin, manager, user ou viewer"),
      N_("RÔLE") },
    { "team", 0, 0, G_OPTION_ARG_STRING, &team_id, N_("identifiant de l'équipe"), N_("ID") },
    { NULL }
  };
  GOptionGroup *user_group;

  /* Every list page is a few tens of kB malloc'ed on a worker and freed after it is sent.
   * With glibc's defaults a worker's arena gives that memory back to the kernel
   * (madvise) and faults it in again for the next page, request after request. Keeping
   * up to 32 MiB of free memory per arena, and mmap only past 4 MiB, ends the churn. */
  mallopt (M_TRIM_THRESHOLD, 32 * 1024 * 1024);
  mallopt (M_MMAP_THRESHOLD, 4 * 1024 * 1024);

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
  user_group = g_option_group_new ("create-user", _("Options de create-user :"),
                                   _("Options de la commande create-user"), NULL, NULL);
  g_option_group_add_entries (user_group, user_entries);
  g_option_group_set_translation_domain (user_group, GETTEXT_PACKAGE);
  g_option_context_add_group (context, user_group);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n%s", error->message, description);
      return CRM_EXIT_USAGE;
    }

  if (version)
    {
      g_print ("alforis-crm-server %s\n", PACKAGE_VERSION);
      g_print (_("protocole de synchronisation %d\n"), CRM_SYNC_PROTOCOL);
      return CRM_EXIT_OK;
    }

  if (argc != 2)
    {
      g_printerr (argc < 2 ? _("Quelle commande ?\n%s") : _("Une seule commande à la fois.\n%s"),
                  description);
      return CRM_EXIT_USAGE;
    }
  command = find_command (argv[1]);
  if (command == NULL)
    {
      g_printerr (_("Commande inconnue : %s\n%s"), argv[1], description);
      return CRM_EXIT_USAGE;
    }

  if (command != crm_command_create_user
      && (display_name != NULL || role != NULL || team_id != NULL
          || (email != NULL && command != crm_command_reset_password)))
    {
      g_printerr (_("--email, --name, --role et --team ne servent qu'à create-user "
                    "(--email aussi à reset-password).\n"));
      return CRM_EXIT_USAGE;
    }

  options.config_is_explicit = config_path != NULL;
  options.config_path = config_path != NULL ? config_path : CRM_CONFIG_DEFAULT_PATH;
  options.email = email;
  options.display_name = display_name;
  options.role = role;
  options.team_id = team_id;
  return command (&options);
}

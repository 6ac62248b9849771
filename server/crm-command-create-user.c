/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-server"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "crm-commands.h"
#include "crm-db-pool.h"
#include "crm-log.h"
#include "crm-password.h"
#include "crm-pg-store.h"

/* Room for the longest password the policy accepts, its newline and a byte to spare. */
#define PASSWORD_BUFFER (CRM_PASSWORD_MAX_BYTES + 2)

static void
wipe_free (char *secret)
{
  if (secret != NULL)
    explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGconn, PQfinish)

/* One line from @stream without its newline; NULL at EOF or when it is too long. */
static char *
read_line (FILE *stream)
{
  char buffer[PASSWORD_BUFFER];
  char *line = NULL;
  gsize length;

  if (fgets (buffer, sizeof buffer, stream) != NULL)
    {
      length = strcspn (buffer, "\r\n");
      if (buffer[length] != '\0' || feof (stream))
        line = g_strndup (buffer, length);
    }
  explicit_bzero (buffer, sizeof buffer);
  return line;
}

/* On a terminal, without echo; the prompt goes to the terminal, not to stdout. */
static char *
prompt_hidden (const char *prompt)
{
  struct termios saved, quiet;
  char *line;

  g_printerr ("%s", prompt);
  if (tcgetattr (STDIN_FILENO, &saved) != 0)
    return read_line (stdin);
  quiet = saved;
  quiet.c_lflag &= ~(tcflag_t) ECHO;
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
  line = read_line (stdin);
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
  g_printerr ("\n");
  return line;
}

/*
 * The password never comes from the command line, where `ps` and shell history would
 * show it: typed twice on a terminal, or the first line of stdin for scripts.
 */
static char *
read_password (GError **error)
{
  char *first = NULL;
  char *second = NULL;

  if (!isatty (STDIN_FILENO))
    {
      first = read_line (stdin);
      if (first == NULL)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                             _("Aucun mot de passe sur l'entrée standard (une ligne attendue)."));
      return first;
    }

  first = prompt_hidden (_("Mot de passe : "));
  second = first != NULL ? prompt_hidden (_("Le même, encore : ")) : NULL;
  if (first == NULL || second == NULL || strcmp (first, second) != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("Les deux mots de passe diffèrent ; rien n'a été créé."));
      wipe_free (first);
      first = NULL;
    }
  wipe_free (second);
  return first;
}

static gboolean
check_arguments (CrmServerOptions *options,
                 CrmRole          *role)
{
  if (options->email == NULL || options->display_name == NULL || options->role == NULL)
    {
      g_printerr (_("create-user demande --email, --name et --role.\n"));
      return FALSE;
    }
  if (!crm_role_from_string (options->role, role))
    {
      g_printerr (_("Rôle inconnu : %s ; choisissez admin, manager, user ou viewer.\n"),
                  options->role);
      return FALSE;
    }
  return TRUE;
}

static char *
create_user (CrmConfig        *config,
             CrmServerOptions *options,
             CrmRole           role,
             const char       *password,
             GError          **error)
{
  g_autoptr (PGconn) connection = crm_db_connect (config->database_url, error);
  CrmNewUser user = {
    .email = options->email,
    .display_name = options->display_name,
    .password = password,
    .role = role,
    .team_id = options->team_id,
  };

  if (connection == NULL)
    return NULL;
  /* No actor: the server itself, which is what lets the very first admin exist. */
  return crm_store_create_user (connection, NULL, &user, error);
}

int
crm_command_create_user (CrmServerOptions *options)
{
  g_autoptr (CrmConfig) config = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL;
  char *password;
  CrmRole role;

  if (!check_arguments (options, &role))
    return CRM_EXIT_USAGE;
  config = crm_command_load_config (options, CRM_CONFIG_CHECK_DATABASE);
  if (config == NULL)
    return CRM_EXIT_PROBLEM;
  crm_log_init (config->log_format, config->log_level, STDERR_FILENO);

  password = read_password (&error);
  if (password != NULL)
    id = create_user (config, options, role, password, &error);
  wipe_free (password);
  if (id == NULL)
    {
      g_printerr (_("erreur : %s\n"), error->message);
      return CRM_EXIT_PROBLEM;
    }

  g_print (_("Compte créé : %s (%s), identifiant %s\n"), options->email,
           crm_role_to_string (role), id);
  return CRM_EXIT_OK;
}

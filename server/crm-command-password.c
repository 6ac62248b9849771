/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-server"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "crm-commands.h"
#include "crm-password.h"

/*
 * Passwords for the commands that set one (create-user, reset-password). A password
 * never comes from the command line, where `ps` and shell history would show it:
 * typed twice without echo on a terminal, or the first line of stdin for scripts.
 */

/* Room for the longest password the policy accepts, its newline and a byte to spare. */
#define PASSWORD_BUFFER (CRM_PASSWORD_MAX_BYTES + 2)

void
crm_command_wipe_free (char *secret)
{
  if (secret != NULL)
    explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

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

char *
crm_command_read_password (GError **error)
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
                           _("Les deux mots de passe diffèrent ; rien n'a été changé."));
      crm_command_wipe_free (first);
      first = NULL;
    }
  crm_command_wipe_free (second);
  return first;
}

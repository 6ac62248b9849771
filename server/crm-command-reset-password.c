/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-server"

#include "config.h"

#include <glib/gi18n.h>
#include <unistd.h>

#include "crm-commands.h"
#include "crm-db-pool.h"
#include "crm-log.h"
#include "crm-pg-store.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGconn, PQfinish)

/*
 * reset-password --email E: a new password for a user who lost theirs. The account's
 * sessions end with the old password (crm_store_reset_password), so a reset after a
 * leak also throws the intruder out.
 */

static char *
reset (CrmConfig  *config,
       const char *email,
       const char *password,
       GError    **error)
{
  g_autoptr (PGconn) connection = crm_db_connect (config->database_url, error);

  if (connection == NULL)
    return NULL;
  /* No actor: the server itself, run by whoever may read its configuration. */
  return crm_store_reset_password (connection, NULL, email, password, error);
}

int
crm_command_reset_password (CrmServerOptions *options)
{
  g_autoptr (CrmConfig) config = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL;
  char *password;

  if (options->email == NULL)
    {
      g_printerr (_("reset-password demande --email.\n"));
      return CRM_EXIT_USAGE;
    }
  config = crm_command_load_config (options, CRM_CONFIG_CHECK_DATABASE);
  if (config == NULL)
    return CRM_EXIT_PROBLEM;
  crm_log_init (config->log_format, config->log_level, STDERR_FILENO);

  password = crm_command_read_password (&error);
  if (password != NULL)
    id = reset (config, options->email, password, &error);
  crm_command_wipe_free (password);
  if (id == NULL)
    {
      g_printerr (_("erreur : %s\n"), error->message);
      return CRM_EXIT_PROBLEM;
    }

  g_print (_("Mot de passe changé pour %s (identifiant %s) ; ses sessions en cours sont "
             "fermées.\n"),
           options->email, id);
  return CRM_EXIT_OK;
}

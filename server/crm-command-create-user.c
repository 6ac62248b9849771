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

  password = crm_command_read_password (&error);
  if (password != NULL)
    id = create_user (config, options, role, password, &error);
  crm_command_wipe_free (password);
  if (id == NULL)
    {
      g_printerr (_("erreur : %s\n"), error->message);
      return CRM_EXIT_PROBLEM;
    }

  g_print (_("Compte créé : %s (%s), identifiant %s\n"), options->email,
           crm_role_to_string (role), id);
  return CRM_EXIT_OK;
}

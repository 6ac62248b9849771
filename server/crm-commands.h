/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "crm-config.h"

G_BEGIN_DECLS

/* Exit statuses: scripts (and the tests) tell a bad configuration from a bad command line. */
enum
{
  CRM_EXIT_OK = 0,
  CRM_EXIT_PROBLEM = 1,
  CRM_EXIT_USAGE = 2,
};

/* The command line once parsed; strings belong to main(). */
typedef struct
{
  const char *config_path;
  gboolean    config_is_explicit;

  /* create-user (all), reset-password (email) */
  const char *email;
  const char *display_name;
  const char *role;
  const char *team_id;
} CrmServerOptions;

typedef int (*CrmCommandFunc) (CrmServerOptions *options);

int        crm_command_check_config (CrmServerOptions *options);
int        crm_command_serve (CrmServerOptions *options);
int        crm_command_migrate (CrmServerOptions *options);
int        crm_command_create_user (CrmServerOptions *options);
int        crm_command_reset_password (CrmServerOptions *options);

/* Shared by the commands: loads, checks and reports; NULL when the command cannot run. */
CrmConfig *crm_command_load_config (CrmServerOptions *options,
                                    CrmConfigCheck    what);

/* crm-command-password.c: the first line of stdin, or typed twice without echo on a
 * terminal; free with crm_command_wipe_free. */
char      *crm_command_read_password (GError **error);
void       crm_command_wipe_free (char *secret);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "crm-permissions.h"
#include "crm-sync-engine.h"

G_BEGIN_DECLS

#define CRM_TYPE_ADMIN_PAGE (crm_admin_page_get_type ())

G_DECLARE_FINAL_TYPE (CrmAdminPage, crm_admin_page, CRM, ADMIN_PAGE, AdwBin)

/*
 * Administration, for admins: the server's users (name, e-mail, role, team, active) with
 * their role and team changed in place and deactivation, a form that creates a user,
 * the teams with a form that creates one, and each role's permission matrix (editable
 * when the role may manage roles). Everything goes to the server at once through
 * crm_sync_engine_call_async(); nothing of it is kept in the replica. The server's
 * refusals show as they come, in French, and the form keeps what was typed.
 */
GtkWidget *crm_admin_page_new        (CrmSyncEngine *engine);
/* Reads users, teams and roles from the server again. */
void       crm_admin_page_reload     (CrmAdminPage  *self);
/* Whether the permission boxes can be changed (admins); FALSE by default. */
void       crm_admin_page_set_can_edit_roles (CrmAdminPage *self,
                                              gboolean      can_edit);

/* For tests. */
gboolean   crm_admin_page_is_busy    (CrmAdminPage  *self);
guint      crm_admin_page_get_n_users (CrmAdminPage *self);
guint      crm_admin_page_get_n_teams (CrmAdminPage *self);
/* The user row of @email (an AdwActionRow), or NULL. */
GtkWidget *crm_admin_page_find_user  (CrmAdminPage  *self,
                                      const char    *email);
/* The matrix of @role on screen, and one of its boxes. */
void       crm_admin_page_show_role  (CrmAdminPage  *self,
                                      CrmRole        role);
GtkWidget *crm_admin_page_get_permission_check (CrmAdminPage *self,
                                                CrmResource   resource,
                                                CrmAction     action);
/* The last refusal shown, or NULL. */
const char *crm_admin_page_get_error (CrmAdminPage  *self);

G_END_DECLS

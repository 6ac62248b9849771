/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-permissions.h — roles, resources, actions, scopes (DESIGN.md §5).
 * The server enforces; the app only hides what would be refused.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  CRM_ROLE_VIEWER  = 0,
  CRM_ROLE_USER    = 1,
  CRM_ROLE_MANAGER = 2,
  CRM_ROLE_ADMIN   = 3,
  CRM_N_ROLES
} CrmRole;

typedef enum
{
  CRM_RESOURCE_ORGANISATIONS,
  CRM_RESOURCE_PEOPLE,
  CRM_RESOURCE_MANDATS,
  CRM_RESOURCE_INTERACTIONS,
  CRM_RESOURCE_TASKS,
  CRM_RESOURCE_DOCUMENTS,
  CRM_RESOURCE_USERS,
  CRM_RESOURCE_ROLES,
  CRM_RESOURCE_TEAMS,
  CRM_RESOURCE_SETTINGS,
  CRM_RESOURCE_REPORTS,
  CRM_RESOURCE_WEBHOOKS,
  CRM_N_RESOURCES
} CrmResource;

typedef enum
{
  CRM_ACTION_READ,
  CRM_ACTION_CREATE,
  CRM_ACTION_UPDATE,
  CRM_ACTION_DELETE,
  CRM_ACTION_EXPORT,
  CRM_ACTION_IMPORT,
  CRM_ACTION_MANAGE,
  CRM_N_ACTIONS
} CrmAction;

typedef enum
{
  CRM_SCOPE_OWN,  /* rows they own, and tasks assigned to them */
  CRM_SCOPE_TEAM, /* rows of their team (and their own) */
  CRM_SCOPE_ALL,
} CrmScope;

typedef struct
{
  guint8   allowed[CRM_N_ROLES][CRM_N_RESOURCES]; /* bit (1 << CrmAction) */
  CrmScope scope[CRM_N_ROLES];
} CrmPermissionMatrix;

/* Wire names ("admin", "organisations", "read", "team"); parse returns FALSE if unknown. */
const char *crm_role_to_string     (CrmRole      role);
gboolean    crm_role_from_string   (const char  *text, CrmRole *role);
const char *crm_resource_to_string (CrmResource  resource);
gboolean    crm_resource_from_string (const char *text, CrmResource *resource);
const char *crm_action_to_string   (CrmAction    action);
gboolean    crm_action_from_string (const char  *text, CrmAction *action);
const char *crm_scope_to_string    (CrmScope     scope);
gboolean    crm_scope_from_string  (const char  *text, CrmScope *scope);

/* The default matrix seeded by the server's migration (docs/PERMISSIONS.md). */
void        crm_permission_matrix_init_default (CrmPermissionMatrix *matrix);
gboolean    crm_permission_allows  (const CrmPermissionMatrix *matrix,
                                    CrmRole                    role,
                                    CrmResource                resource,
                                    CrmAction                  action);
void        crm_permission_set     (CrmPermissionMatrix *matrix,
                                    CrmRole              role,
                                    CrmResource          resource,
                                    CrmAction            action,
                                    gboolean             allowed);
CrmScope    crm_permission_scope   (const CrmPermissionMatrix *matrix,
                                    CrmRole                    role);

/* Who may see a row under a scope. NULL ids never match. */
typedef struct
{
  const char *user_id;
  const char *team_id;
  CrmScope    scope;
} CrmViewer;

gboolean    crm_row_visible        (const CrmViewer *viewer,
                                    const char      *owner_id,
                                    const char      *team_id,
                                    const char      *assignee_id);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-permissions"

#include "config.h"

#include <string.h>

#include "crm-permissions.h"

/* Wire names, indexed by the enums. They are stored in PostgreSQL (roles,
 * permissions) and sent in JSON, so they never change once released. */
static const char * const role_names[CRM_N_ROLES] = {
  [CRM_ROLE_VIEWER]  = "viewer",
  [CRM_ROLE_USER]    = "user",
  [CRM_ROLE_MANAGER] = "manager",
  [CRM_ROLE_ADMIN]   = "admin",
};

static const char * const resource_names[CRM_N_RESOURCES] = {
  [CRM_RESOURCE_ORGANISATIONS] = "organisations",
  [CRM_RESOURCE_PEOPLE]        = "people",
  [CRM_RESOURCE_MANDATS]       = "mandats",
  [CRM_RESOURCE_INTERACTIONS]  = "interactions",
  [CRM_RESOURCE_TASKS]         = "tasks",
  [CRM_RESOURCE_DOCUMENTS]     = "documents",
  [CRM_RESOURCE_USERS]         = "users",
  [CRM_RESOURCE_ROLES]         = "roles",
  [CRM_RESOURCE_TEAMS]         = "teams",
  [CRM_RESOURCE_SETTINGS]      = "settings",
  [CRM_RESOURCE_REPORTS]       = "reports",
  [CRM_RESOURCE_WEBHOOKS]      = "webhooks",
};

static const char * const action_names[CRM_N_ACTIONS] = {
  [CRM_ACTION_READ]   = "read",
  [CRM_ACTION_CREATE] = "create",
  [CRM_ACTION_UPDATE] = "update",
  [CRM_ACTION_DELETE] = "delete",
  [CRM_ACTION_EXPORT] = "export",
  [CRM_ACTION_IMPORT] = "import",
  [CRM_ACTION_MANAGE] = "manage",
};

#define CRM_N_SCOPES (CRM_SCOPE_ALL + 1)

static const char * const scope_names[CRM_N_SCOPES] = {
  [CRM_SCOPE_OWN]  = "own",
  [CRM_SCOPE_TEAM] = "team",
  [CRM_SCOPE_ALL]  = "all",
};

/* Exact match only: these come from our own database and protocol, where a
 * near miss ("Admin", " read") is a bug to surface, not to forgive. */
static gboolean
lookup_name (const char * const *names,
             guint               n_names,
             const char         *text,
             guint              *index)
{
  if (text == NULL)
    return FALSE;

  for (guint i = 0; i < n_names; i++)
    if (strcmp (names[i], text) == 0)
      {
        *index = i;
        return TRUE;
      }

  return FALSE;
}

const char *
crm_role_to_string (CrmRole role)
{
  g_return_val_if_fail ((guint) role < CRM_N_ROLES, NULL);
  return role_names[role];
}

gboolean
crm_role_from_string (const char *text,
                      CrmRole    *role)
{
  guint i;

  if (!lookup_name (role_names, CRM_N_ROLES, text, &i))
    return FALSE;
  if (role != NULL)
    *role = (CrmRole) i;
  return TRUE;
}

const char *
crm_resource_to_string (CrmResource resource)
{
  g_return_val_if_fail ((guint) resource < CRM_N_RESOURCES, NULL);
  return resource_names[resource];
}

gboolean
crm_resource_from_string (const char  *text,
                          CrmResource *resource)
{
  guint i;

  if (!lookup_name (resource_names, CRM_N_RESOURCES, text, &i))
    return FALSE;
  if (resource != NULL)
    *resource = (CrmResource) i;
  return TRUE;
}

const char *
crm_action_to_string (CrmAction action)
{
  g_return_val_if_fail ((guint) action < CRM_N_ACTIONS, NULL);
  return action_names[action];
}

gboolean
crm_action_from_string (const char *text,
                        CrmAction  *action)
{
  guint i;

  if (!lookup_name (action_names, CRM_N_ACTIONS, text, &i))
    return FALSE;
  if (action != NULL)
    *action = (CrmAction) i;
  return TRUE;
}

const char *
crm_scope_to_string (CrmScope scope)
{
  g_return_val_if_fail ((guint) scope < CRM_N_SCOPES, NULL);
  return scope_names[scope];
}

gboolean
crm_scope_from_string (const char *text,
                       CrmScope   *scope)
{
  guint i;

  if (!lookup_name (scope_names, CRM_N_SCOPES, text, &i))
    return FALSE;
  if (scope != NULL)
    *scope = (CrmScope) i;
  return TRUE;
}

#define BIT(action) ((guint8) (1u << (action)))

#define READ_ONLY  BIT (CRM_ACTION_READ)
/* What an advisor does with the commercial data every day. */
#define EDIT       (BIT (CRM_ACTION_READ) | BIT (CRM_ACTION_CREATE) | BIT (CRM_ACTION_UPDATE) | \
                    BIT (CRM_ACTION_DELETE) | BIT (CRM_ACTION_EXPORT))
#define EVERYTHING ((guint8) ((1u << CRM_N_ACTIONS) - 1))

/* The resources that hold the firm's commercial data (as opposed to its
 * administration: users, roles, teams, settings, webhooks). */
static const CrmResource business_resources[] = {
  CRM_RESOURCE_ORGANISATIONS,
  CRM_RESOURCE_PEOPLE,
  CRM_RESOURCE_MANDATS,
  CRM_RESOURCE_INTERACTIONS,
  CRM_RESOURCE_TASKS,
  CRM_RESOURCE_DOCUMENTS,
};

/* Reasons for each cell are in docs/PERMISSIONS.md; the server's seed
 * migration must say the same thing (a server test compares them). */
void
crm_permission_matrix_init_default (CrmPermissionMatrix *matrix)
{
  g_return_if_fail (matrix != NULL);

  memset (matrix, 0, sizeof *matrix);

  for (guint r = 0; r < CRM_N_RESOURCES; r++)
    matrix->allowed[CRM_ROLE_ADMIN][r] = EVERYTHING;
  matrix->scope[CRM_ROLE_ADMIN] = CRM_SCOPE_ALL;

  for (guint i = 0; i < G_N_ELEMENTS (business_resources); i++)
    {
      CrmResource r = business_resources[i];

      matrix->allowed[CRM_ROLE_MANAGER][r] = EDIT | BIT (CRM_ACTION_IMPORT);
      matrix->allowed[CRM_ROLE_USER][r] = EDIT;
      matrix->allowed[CRM_ROLE_VIEWER][r] = READ_ONLY;
    }

  matrix->allowed[CRM_ROLE_MANAGER][CRM_RESOURCE_REPORTS] = READ_ONLY | BIT (CRM_ACTION_EXPORT);
  matrix->allowed[CRM_ROLE_MANAGER][CRM_RESOURCE_USERS] = READ_ONLY;
  matrix->allowed[CRM_ROLE_MANAGER][CRM_RESOURCE_TEAMS] = READ_ONLY;
  matrix->allowed[CRM_ROLE_MANAGER][CRM_RESOURCE_ROLES] = READ_ONLY;
  matrix->allowed[CRM_ROLE_MANAGER][CRM_RESOURCE_SETTINGS] = READ_ONLY;
  matrix->scope[CRM_ROLE_MANAGER] = CRM_SCOPE_TEAM;

  matrix->allowed[CRM_ROLE_USER][CRM_RESOURCE_REPORTS] = READ_ONLY;
  matrix->allowed[CRM_ROLE_USER][CRM_RESOURCE_USERS] = READ_ONLY;
  matrix->allowed[CRM_ROLE_USER][CRM_RESOURCE_TEAMS] = READ_ONLY;
  matrix->scope[CRM_ROLE_USER] = CRM_SCOPE_OWN;

  matrix->allowed[CRM_ROLE_VIEWER][CRM_RESOURCE_REPORTS] = READ_ONLY;
  matrix->allowed[CRM_ROLE_VIEWER][CRM_RESOURCE_USERS] = READ_ONLY;
  matrix->allowed[CRM_ROLE_VIEWER][CRM_RESOURCE_TEAMS] = READ_ONLY;
  matrix->scope[CRM_ROLE_VIEWER] = CRM_SCOPE_TEAM;
}

gboolean
crm_permission_allows (const CrmPermissionMatrix *matrix,
                       CrmRole                    role,
                       CrmResource                resource,
                       CrmAction                  action)
{
  /* Anything out of range is denied: a corrupt role must never open doors. */
  g_return_val_if_fail (matrix != NULL, FALSE);
  g_return_val_if_fail ((guint) role < CRM_N_ROLES, FALSE);
  g_return_val_if_fail ((guint) resource < CRM_N_RESOURCES, FALSE);
  g_return_val_if_fail ((guint) action < CRM_N_ACTIONS, FALSE);

  return (matrix->allowed[role][resource] & BIT (action)) != 0;
}

void
crm_permission_set (CrmPermissionMatrix *matrix,
                    CrmRole              role,
                    CrmResource          resource,
                    CrmAction            action,
                    gboolean             allowed)
{
  g_return_if_fail (matrix != NULL);
  g_return_if_fail ((guint) role < CRM_N_ROLES);
  g_return_if_fail ((guint) resource < CRM_N_RESOURCES);
  g_return_if_fail ((guint) action < CRM_N_ACTIONS);

  if (allowed)
    matrix->allowed[role][resource] |= BIT (action);
  else
    matrix->allowed[role][resource] &= (guint8) ~BIT (action);
}

CrmScope
crm_permission_scope (const CrmPermissionMatrix *matrix,
                      CrmRole                    role)
{
  /* The narrowest scope on bad input, for the same reason as above. */
  g_return_val_if_fail (matrix != NULL, CRM_SCOPE_OWN);
  g_return_val_if_fail ((guint) role < CRM_N_ROLES, CRM_SCOPE_OWN);

  return matrix->scope[role];
}

static gboolean
same_id (const char *a,
         const char *b)
{
  return a != NULL && b != NULL && strcmp (a, b) == 0;
}

gboolean
crm_row_visible (const CrmViewer *viewer,
                 const char      *owner_id,
                 const char      *team_id,
                 const char      *assignee_id)
{
  g_return_val_if_fail (viewer != NULL, FALSE);

  switch (viewer->scope)
    {
    case CRM_SCOPE_ALL:
      return TRUE;

    case CRM_SCOPE_TEAM:
      /* A row without a team is nobody's team row; a viewer without a team
       * shares none. Their own rows stay visible either way. */
      if (same_id (viewer->team_id, team_id))
        return TRUE;
      G_GNUC_FALLTHROUGH;

    case CRM_SCOPE_OWN:
      return same_id (viewer->user_id, owner_id) || same_id (viewer->user_id, assignee_id);

    default:
      return FALSE;
    }
}

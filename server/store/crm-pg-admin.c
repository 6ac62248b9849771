/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "crm-password.h"
#include "crm-pg-private.h"
#include "crm-uuid.h"
#include "crm-validate.h"

/* ---- The matrix ----------------------------------------------------------------- */

gboolean
crm_store_load_matrix (PGconn              *conn,
                       CrmPermissionMatrix *matrix,
                       GError             **error)
{
  g_autoptr(PGresult) roles = NULL;
  g_autoptr(PGresult) cells = NULL;

  /* Start from nothing allowed: a cell missing from the table is a closed door. */
  memset (matrix, 0, sizeof *matrix);
  for (guint r = 0; r < CRM_N_ROLES; r++)
    matrix->scope[r] = CRM_SCOPE_OWN;

  roles = crm_pg_exec (conn, "SELECT name, scope FROM roles", NULL, error);
  if (roles == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (roles); i++)
    {
      CrmRole role;
      CrmScope scope;

      if (crm_role_from_string (crm_pg_value (roles, i, 0), &role) &&
          crm_scope_from_string (crm_pg_value (roles, i, 1), &scope))
        matrix->scope[role] = scope;
    }

  cells = crm_pg_exec (conn, "SELECT role, resource, action FROM permissions", NULL, error);
  if (cells == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (cells); i++)
    {
      CrmRole role;
      CrmResource resource;
      CrmAction action;

      if (crm_role_from_string (crm_pg_value (cells, i, 0), &role) &&
          crm_resource_from_string (crm_pg_value (cells, i, 1), &resource) &&
          crm_action_from_string (crm_pg_value (cells, i, 2), &action))
        crm_permission_set (matrix, role, resource, action, TRUE);
    }
  return TRUE;
}

gboolean
crm_pg_check_uuid (const char  *id,
                   GError     **error)
{
  if (id != NULL && crm_uuid_is_valid (id))
    return TRUE;
  g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
               _("L’identifiant « %s » n’est pas un UUID valide."), id != NULL ? id : "");
  return FALSE;
}

/* ---- Checks and writes shared by the admin calls ------------------------------- */

/* @actor NULL is the server itself (create-user on the command line). */
gboolean
crm_pg_require (const CrmActor  *actor,
                CrmResource      resource,
                CrmAction        action,
                GError         **error)
{
  if (actor == NULL || crm_permission_allows (&actor->matrix, actor->role, resource, action))
    return TRUE;

  g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_FORBIDDEN,
               _("Votre rôle ne permet pas l’action « %s » sur « %s »."),
               crm_action_to_string (action), crm_resource_to_string (resource));
  return FALSE;
}

gboolean
crm_pg_audit_simple (PGconn         *conn,
                     const CrmActor *actor,
                     const char     *action,
                     const char     *entity,
                     const char     *entity_id,
                     const char     *key,
                     const char     *value,
                     GError        **error)
{
  g_autoptr(JsonNode) details = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) object = json_object_new ();

  if (key != NULL)
    json_object_set_string_member (object, key, value);
  json_node_set_object (details, object);
  return crm_pg_write_audit (conn, actor, action, entity, entity_id, details, error);
}

/* Runs one write; a constraint violation becomes CONFLICT (unique) or VALIDATION
 * (reference) with the caller's French message. */
PGresult *
crm_pg_exec_write (PGconn      *conn,
                   const char  *sql,
                   GPtrArray   *params,
                   const char  *duplicate_message,
                   const char  *reference_message,
                   GError     **error)
{
  PGresult *failed = NULL;
  PGresult *result = crm_pg_exec_checked (conn, sql, params, &failed, error);
  g_autoptr(PGresult) failure = failed;
  const char *state = crm_pg_sqlstate (failure);

  if (result != NULL || failure == NULL)
    return result;

  if (strcmp (state, "23505") == 0 && duplicate_message != NULL)
    {
      g_clear_error (error);
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_CONFLICT, duplicate_message);
    }
  else if (strcmp (state, "23503") == 0 && reference_message != NULL)
    {
      g_clear_error (error);
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_VALIDATION, reference_message);
    }
  else if (g_str_has_prefix (state, "22") || g_str_has_prefix (state, "23"))
    {
      g_clear_error (error);
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_VALIDATION,
                           _("Une valeur est refusée par la base de données ; vérifiez la "
                             "demande."));
    }
  return NULL;
}

gboolean
crm_pg_validate_new (const CrmRecord  *record,
                     GError          **error)
{
  g_autoptr(GError) local_error = NULL;

  if (crm_record_validate (record, CRM_VALIDATE_CREATE, &local_error))
    return TRUE;
  g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_VALIDATION, local_error->message);
  return FALSE;
}

/* ---- Roles and permissions ---------------------------------------------------- */

static gboolean
bump_role_epochs (PGconn      *conn,
                  const char  *role,
                  GError     **error)
{
  g_autoptr(GPtrArray) params = crm_pg_params_new ();
  g_autoptr(PGresult) result = NULL;

  /* What these users may see changed: their apps re-sync from zero (DESIGN.md §4). */
  crm_pg_param (params, role);
  result = crm_pg_exec (conn, "UPDATE users SET epoch = epoch + 1 WHERE role = $1", params, error);
  return result != NULL;
}

gboolean
crm_store_set_permission (PGconn         *conn,
                          const CrmActor *actor,
                          CrmRole         role,
                          CrmResource     resource,
                          CrmAction       action,
                          gboolean        allowed,
                          GError        **error)
{
  g_autoptr(GPtrArray) params = crm_pg_params_new ();
  g_autoptr(PGresult) result = NULL;
  g_autofree char *what = NULL;
  g_auto(CrmPgTx) tx = { 0 };

  if (!crm_pg_require (actor, CRM_RESOURCE_ROLES, CRM_ACTION_UPDATE, error))
    return FALSE;
  if (!allowed && role == CRM_ROLE_ADMIN && resource == CRM_RESOURCE_ROLES)
    {
      /* Otherwise one click locks every administrator out of the matrix for good. */
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_FORBIDDEN,
                           _("Les administrateurs gardent toujours la gestion des rôles."));
      return FALSE;
    }

  crm_pg_param (params, crm_role_to_string (role));
  crm_pg_param (params, crm_resource_to_string (resource));
  crm_pg_param (params, crm_action_to_string (action));
  what = g_strdup_printf ("%s.%s=%s", crm_resource_to_string (resource),
                          crm_action_to_string (action), allowed ? "true" : "false");

  if (!crm_pg_tx_begin (&tx, conn, "BEGIN", error))
    return FALSE;
  result = crm_pg_exec (conn,
                        allowed ? "INSERT INTO permissions (role, resource, action)"
                                  " VALUES ($1, $2, $3) ON CONFLICT DO NOTHING"
                                : "DELETE FROM permissions"
                                  " WHERE role = $1 AND resource = $2 AND action = $3",
                        params, error);
  if (result == NULL || !bump_role_epochs (conn, crm_role_to_string (role), error) ||
      !crm_pg_audit_simple (conn, actor, "role.permission", "role", crm_role_to_string (role), "permission",
              what, error))
    return FALSE;
  return crm_pg_tx_commit (&tx, error);
}

gboolean
crm_store_set_role_scope (PGconn         *conn,
                          const CrmActor *actor,
                          CrmRole         role,
                          CrmScope        scope,
                          GError        **error)
{
  g_autoptr(GPtrArray) params = crm_pg_params_new ();
  g_autoptr(PGresult) result = NULL;
  g_auto(CrmPgTx) tx = { 0 };

  if (!crm_pg_require (actor, CRM_RESOURCE_ROLES, CRM_ACTION_UPDATE, error))
    return FALSE;

  crm_pg_param (params, crm_role_to_string (role));
  crm_pg_param (params, crm_scope_to_string (scope));
  if (!crm_pg_tx_begin (&tx, conn, "BEGIN", error))
    return FALSE;
  result = crm_pg_exec (conn, "UPDATE roles SET scope = $2 WHERE name = $1", params, error);
  if (result == NULL || !bump_role_epochs (conn, crm_role_to_string (role), error) ||
      !crm_pg_audit_simple (conn, actor, "role.scope", "role", crm_role_to_string (role), "scope",
              crm_scope_to_string (scope), error))
    return FALSE;
  return crm_pg_tx_commit (&tx, error);
}

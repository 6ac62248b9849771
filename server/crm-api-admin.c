/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-api"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-api-private.h"
#include "crm-json.h"
#include "crm-uuid.h"

/*
 * /api/v1/me, users, teams, roles and the permission matrix (DESIGN.md §5, §9). The
 * store checks every permission again; the checks here only pick the answer. Nothing
 * answered here carries a password, a hash or a secret: the store's user rows do not
 * have those columns.
 */

static void
respond_invalid (CrmApiCall *call,
                 const char *field,
                 const char *message)
{
  JsonObject *extra = json_object_new ();
  JsonArray *errors = json_array_new ();
  JsonObject *entry = json_object_new ();

  json_object_set_string_member (entry, "field", field);
  json_object_set_string_member (entry, "message", message);
  json_array_add_object_element (errors, entry);
  json_object_set_array_member (extra, "errors", errors);
  crm_api_call_respond_problem (call, 422, CRM_API_PROBLEM_VALIDATION, _("Données invalides"),
                                message, extra);
}

/* A member that must be a string when present: FALSE after answering; *@value NULL when
 * absent (or JSON null, when @nullable). */
static gboolean
optional_string (CrmApiCall  *call,
                 JsonObject  *object,
                 const char  *name,
                 gboolean     nullable,
                 const char **value)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autofree char *message = NULL;

  *value = NULL;
  if (node == NULL || (nullable && JSON_NODE_HOLDS_NULL (node)))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      *value = json_node_get_string (node);
      return TRUE;
    }
  message = g_strdup_printf (_("« %s » doit être une chaîne."), name);
  respond_invalid (call, name, message);
  return FALSE;
}

static gboolean
parse_role (CrmApiCall *call,
            const char *text,
            CrmRole    *role)
{
  g_autofree char *message = NULL;

  if (crm_role_from_string (text, role))
    return TRUE;
  message = g_strdup_printf (_("Rôle inconnu : « %s » (admin, manager, user ou viewer)."), text);
  respond_invalid (call, "role", message);
  return FALSE;
}

static gboolean
check_team_id (CrmApiCall *call,
               const char *team_id)
{
  if (team_id == NULL || crm_uuid_is_valid (team_id))
    return TRUE;
  respond_invalid (call, "team_id", _("« team_id » doit être l'identifiant d'une équipe."));
  return FALSE;
}

static JsonNode *
items_to_json (GPtrArray *rows)
{
  JsonObject *object = json_object_new ();
  JsonArray *items = json_array_sized_new (rows->len);
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  for (guint i = 0; i < rows->len; i++)
    json_array_add_element (items, crm_record_to_json_node (g_ptr_array_index (rows, i)));
  json_object_set_array_member (object, "items", items);
  json_object_set_null_member (object, "next");
  json_node_take_object (node, object);
  return node;
}

/* {"organisations": ["read", "create", …], …} for @role. */
static JsonObject *
permissions_to_json (const CrmPermissionMatrix *matrix,
                     CrmRole                    role)
{
  JsonObject *object = json_object_new ();

  for (CrmResource resource = 0; resource < CRM_N_RESOURCES; resource++)
    {
      JsonArray *actions = json_array_new ();

      for (CrmAction action = 0; action < CRM_N_ACTIONS; action++)
        if (crm_permission_allows (matrix, role, resource, action))
          json_array_add_string_element (actions, crm_action_to_string (action));
      json_object_set_array_member (object, crm_resource_to_string (resource), actions);
    }
  return object;
}

/* ---- me --------------------------------------------------------------------------------- */

static void
handle_me (CrmApiCall *call,
           PGconn     *conn,
           gpointer    user_data)
{
  const CrmActor *actor = crm_api_call_get_actor (call);
  g_autoptr (CrmRecord) user = NULL;
  g_autoptr (GError) error = NULL;
  JsonObject *object;
  JsonNode *node;

  user = crm_store_get_user (conn, actor, actor->user_id, &error);
  if (user == NULL)
    {
      crm_api_call_respond_error (call, error);
      return;
    }
  object = json_object_new ();
  json_object_set_member (object, "user", crm_record_to_json_node (user));
  json_object_set_string_member (object, "role", crm_role_to_string (actor->role));
  if (actor->team_id != NULL)
    json_object_set_string_member (object, "team_id", actor->team_id);
  else
    json_object_set_null_member (object, "team_id");
  json_object_set_string_member (object, "scope", crm_scope_to_string (actor->scope));
  json_object_set_int_member (object, "epoch", actor->epoch);
  json_object_set_object_member (object, "permissions",
                                 permissions_to_json (&actor->matrix, actor->role));
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  crm_api_call_respond (call, SOUP_STATUS_OK, node);
}

/* ---- users ------------------------------------------------------------------------------ */

static void
respond_user (CrmApiCall *call,
              PGconn     *conn,
              const char *user_id,
              guint       status)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmRecord) user = crm_store_get_user (conn, crm_api_call_get_actor (call), user_id,
                                                   &error);

  if (user == NULL)
    {
      crm_api_call_respond_error (call, error);
      return;
    }
  if (status == SOUP_STATUS_CREATED)
    {
      g_autofree char *location = g_strconcat ("/api/v1/users/", user_id, NULL);

      crm_api_call_set_header (call, "Location", location);
    }
  crm_api_call_respond (call, status, crm_record_to_json_node (user));
}

static void
handle_users_list (CrmApiCall *call,
                   PGconn     *conn,
                   gpointer    user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) users = crm_store_list_users (conn, crm_api_call_get_actor (call), &error);

  if (users == NULL)
    crm_api_call_respond_error (call, error);
  else
    crm_api_call_respond (call, SOUP_STATUS_OK, items_to_json (users));
}

static void
handle_user_create (CrmApiCall *call,
                    PGconn     *conn,
                    gpointer    user_data)
{
  JsonObject *body = crm_api_call_require_object (call);
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL;
  CrmNewUser user = { 0 };
  const char *role = NULL;

  if (body == NULL
      || !optional_string (call, body, "email", FALSE, &user.email)
      || !optional_string (call, body, "display_name", FALSE, &user.display_name)
      || !optional_string (call, body, "password", FALSE, &user.password)
      || !optional_string (call, body, "role", FALSE, &role)
      || !optional_string (call, body, "team_id", TRUE, &user.team_id)
      || !optional_string (call, body, "locale", TRUE, &user.locale))
    return;
  if (user.password == NULL)
    {
      respond_invalid (call, "password", _("Le mot de passe est requis."));
      return;
    }
  user.role = CRM_ROLE_USER;
  if ((role != NULL && !parse_role (call, role, &user.role)) || !check_team_id (call, user.team_id))
    return;

  id = crm_store_create_user (conn, crm_api_call_get_actor (call), &user, &error);
  if (id == NULL)
    crm_api_call_respond_error (call, error);
  else
    respond_user (call, conn, id, SOUP_STATUS_CREATED);
}

static void
handle_user_get (CrmApiCall *call,
                 PGconn     *conn,
                 gpointer    user_data)
{
  if (crm_api_param_is_uuid (call, "id"))
    respond_user (call, conn, crm_api_call_get_param (call, "id"), SOUP_STATUS_OK);
}

/* {"role"?, "team_id"?, "is_active": false?}: each change bumps the user's epoch. */
static void
handle_user_update (CrmApiCall *call,
                    PGconn     *conn,
                    gpointer    user_data)
{
  const CrmActor *actor = crm_api_call_get_actor (call);
  const char *id = crm_api_call_get_param (call, "id");
  JsonObject *body;
  JsonNode *active;
  g_autoptr (GError) error = NULL;
  const char *role_text = NULL, *team_id = NULL;
  CrmRole role = CRM_ROLE_VIEWER;
  JsonObjectIter iter;
  const char *name;

  if (!crm_api_param_is_uuid (call, "id") || (body = crm_api_call_require_object (call)) == NULL)
    return;
  json_object_iter_init (&iter, body);
  while (json_object_iter_next (&iter, &name, NULL))
    if (strcmp (name, "role") != 0 && strcmp (name, "team_id") != 0
        && strcmp (name, "is_active") != 0)
      {
        g_autofree char *message = g_strdup_printf (_("« %s » ne se modifie pas ici (role, "
                                                      "team_id, is_active)."),
                                                    name);

        respond_invalid (call, name, message);
        return;
      }
  active = json_object_get_member (body, "is_active");
  if (active != NULL && (!JSON_NODE_HOLDS_VALUE (active)
                         || json_node_get_value_type (active) != G_TYPE_BOOLEAN
                         || json_node_get_boolean (active)))
    {
      respond_invalid (call, "is_active",
                       _("« is_active » ne peut que valoir false (désactiver le compte)."));
      return;
    }
  if (!optional_string (call, body, "role", FALSE, &role_text)
      || !optional_string (call, body, "team_id", TRUE, &team_id)
      || (role_text != NULL && !parse_role (call, role_text, &role))
      || !check_team_id (call, team_id))
    return;

  if ((role_text != NULL && !crm_store_set_user_role (conn, actor, id, role, &error))
      || (json_object_has_member (body, "team_id")
          && !crm_store_set_user_team (conn, actor, id, team_id, &error))
      || (active != NULL && !crm_store_deactivate_user (conn, actor, id, &error)))
    {
      crm_api_call_respond_error (call, error);
      return;
    }
  respond_user (call, conn, id, SOUP_STATUS_OK);
}

static void
handle_user_deactivate (CrmApiCall *call,
                        PGconn     *conn,
                        gpointer    user_data)
{
  g_autoptr (GError) error = NULL;
  const char *id = crm_api_call_get_param (call, "id");

  if (!crm_api_param_is_uuid (call, "id"))
    return;
  if (!crm_store_deactivate_user (conn, crm_api_call_get_actor (call), id, &error))
    crm_api_call_respond_error (call, error);
  else
    respond_user (call, conn, id, SOUP_STATUS_OK);
}

/* ---- teams ------------------------------------------------------------------------------ */

static void
handle_teams_list (CrmApiCall *call,
                   PGconn     *conn,
                   gpointer    user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) teams = crm_store_list_teams (conn, crm_api_call_get_actor (call), &error);

  if (teams == NULL)
    crm_api_call_respond_error (call, error);
  else
    crm_api_call_respond (call, SOUP_STATUS_OK, items_to_json (teams));
}

static void
handle_team_create (CrmApiCall *call,
                    PGconn     *conn,
                    gpointer    user_data)
{
  JsonObject *body = crm_api_call_require_object (call);
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *location = NULL;
  const char *name = NULL;
  JsonObject *object;
  JsonNode *node;

  if (body == NULL || !optional_string (call, body, "name", FALSE, &name))
    return;
  if (name == NULL)
    {
      respond_invalid (call, "name", _("Le nom de l'équipe est requis."));
      return;
    }
  id = crm_store_create_team (conn, crm_api_call_get_actor (call), name, &error);
  if (id == NULL)
    {
      crm_api_call_respond_error (call, error);
      return;
    }
  object = json_object_new ();
  json_object_set_string_member (object, "id", id);
  json_object_set_string_member (object, "name", name);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  location = g_strconcat ("/api/v1/teams/", id, NULL);
  crm_api_call_set_header (call, "Location", location);
  crm_api_call_respond (call, SOUP_STATUS_CREATED, node);
}

/* ---- roles ------------------------------------------------------------------------------ */

static JsonNode *
role_to_json (const CrmPermissionMatrix *matrix,
              CrmRole                    role)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "name", crm_role_to_string (role));
  json_object_set_int_member (object, "level", role);
  json_object_set_string_member (object, "scope",
                                 crm_scope_to_string (crm_permission_scope (matrix, role)));
  json_object_set_object_member (object, "permissions", permissions_to_json (matrix, role));
  json_node_take_object (node, object);
  return node;
}

static gboolean
require_roles_read (CrmApiCall *call)
{
  const CrmActor *actor = crm_api_call_get_actor (call);

  if (crm_permission_allows (&actor->matrix, actor->role, CRM_RESOURCE_ROLES, CRM_ACTION_READ))
    return TRUE;
  crm_api_call_respond_problem (call, SOUP_STATUS_FORBIDDEN, CRM_API_PROBLEM_FORBIDDEN,
                                _("Action non autorisée"),
                                _("Votre rôle ne permet pas de consulter les rôles."), NULL);
  return FALSE;
}

static void
handle_roles_list (CrmApiCall *call,
                   PGconn     *conn,
                   gpointer    user_data)
{
  g_autoptr (GError) error = NULL;
  CrmPermissionMatrix matrix;
  JsonObject *object;
  JsonArray *items;
  JsonNode *node;

  if (!require_roles_read (call))
    return;
  if (!crm_store_load_matrix (conn, &matrix, &error))
    {
      crm_api_call_respond_error (call, error);
      return;
    }
  items = json_array_new ();
  for (CrmRole role = CRM_N_ROLES; role-- > 0;)
    json_array_add_element (items, role_to_json (&matrix, role));
  object = json_object_new ();
  json_object_set_array_member (object, "items", items);
  json_object_set_null_member (object, "next");
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  crm_api_call_respond (call, SOUP_STATUS_OK, node);
}

/* {"resource": {"action": true|false}}: every name checked before anything changes. */
static gboolean
check_permission_edits (CrmApiCall *call,
                        JsonNode   *node)
{
  JsonObjectIter outer;
  const char *resource_name;
  JsonNode *actions;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      respond_invalid (call, "permissions",
                       _("« permissions » doit être un objet {\"ressource\": {\"action\": "
                         "true|false}}."));
      return FALSE;
    }
  json_object_iter_init (&outer, json_node_get_object (node));
  while (json_object_iter_next (&outer, &resource_name, &actions))
    {
      JsonObjectIter inner;
      const char *action_name;
      JsonNode *allowed;
      CrmResource resource;
      CrmAction action;

      if (!crm_resource_from_string (resource_name, &resource) || !JSON_NODE_HOLDS_OBJECT (actions))
        {
          g_autofree char *message = g_strdup_printf (_("Ressource inconnue ou mal décrite : "
                                                        "« %s »."),
                                                      resource_name);

          respond_invalid (call, "permissions", message);
          return FALSE;
        }
      json_object_iter_init (&inner, json_node_get_object (actions));
      while (json_object_iter_next (&inner, &action_name, &allowed))
        if (!crm_action_from_string (action_name, &action) || !JSON_NODE_HOLDS_VALUE (allowed)
            || json_node_get_value_type (allowed) != G_TYPE_BOOLEAN)
          {
            g_autofree char *message = g_strdup_printf (_("Action inconnue ou valeur non "
                                                          "booléenne : « %s.%s »."),
                                                        resource_name, action_name);

            respond_invalid (call, "permissions", message);
            return FALSE;
          }
    }
  return TRUE;
}

static gboolean
apply_permission_edits (PGconn         *conn,
                        const CrmActor *actor,
                        CrmRole         role,
                        JsonObject     *edits,
                        GError        **error)
{
  JsonObjectIter outer;
  const char *resource_name;
  JsonNode *actions;

  json_object_iter_init (&outer, edits);
  while (json_object_iter_next (&outer, &resource_name, &actions))
    {
      JsonObjectIter inner;
      const char *action_name;
      JsonNode *allowed;
      CrmResource resource;
      CrmAction action;

      crm_resource_from_string (resource_name, &resource);
      json_object_iter_init (&inner, json_node_get_object (actions));
      while (json_object_iter_next (&inner, &action_name, &allowed))
        {
          crm_action_from_string (action_name, &action);
          if (!crm_store_set_permission (conn, actor, role, resource, action,
                                         json_node_get_boolean (allowed), error))
            return FALSE;
        }
    }
  return TRUE;
}

/* PATCH /roles/{name} {"scope"?, "permissions"?}: the role's users re-sync (epoch). */
static void
handle_role_update (CrmApiCall *call,
                    PGconn     *conn,
                    gpointer    user_data)
{
  const CrmActor *actor = crm_api_call_get_actor (call);
  const char *name = crm_api_call_get_param (call, "name");
  JsonObject *body;
  JsonNode *permissions;
  g_autoptr (GError) error = NULL;
  const char *scope_text = NULL;
  CrmPermissionMatrix matrix;
  CrmScope scope = CRM_SCOPE_OWN;
  CrmRole role;

  if (!crm_role_from_string (name, &role))
    {
      g_autofree char *detail = g_strdup_printf (_("Aucun rôle nommé « %s »."), name);

      crm_api_call_respond_problem (call, SOUP_STATUS_NOT_FOUND, "not-found",
                                    _("Élément introuvable"), detail, NULL);
      return;
    }
  if ((body = crm_api_call_require_object (call)) == NULL
      || !optional_string (call, body, "scope", FALSE, &scope_text))
    return;
  if (scope_text != NULL && !crm_scope_from_string (scope_text, &scope))
    {
      respond_invalid (call, "scope", _("« scope » vaut own, team ou all."));
      return;
    }
  permissions = json_object_get_member (body, "permissions");
  if (permissions != NULL && !check_permission_edits (call, permissions))
    return;

  if ((scope_text != NULL && !crm_store_set_role_scope (conn, actor, role, scope, &error))
      || (permissions != NULL
          && !apply_permission_edits (conn, actor, role, json_node_get_object (permissions),
                                      &error))
      || !crm_store_load_matrix (conn, &matrix, &error))
    {
      crm_api_call_respond_error (call, error);
      return;
    }
  crm_api_call_respond (call, SOUP_STATUS_OK, role_to_json (&matrix, role));
}

void
crm_api_admin_register (CrmApi *api)
{
  crm_api_add_route (api, "GET", "/api/v1/me", 0, handle_me, NULL);
  crm_api_add_route (api, "GET", "/api/v1/users", 0, handle_users_list, NULL);
  crm_api_add_route (api, "POST", "/api/v1/users", 0, handle_user_create, NULL);
  crm_api_add_route (api, "GET", "/api/v1/users/{id}", 0, handle_user_get, NULL);
  crm_api_add_route (api, "PATCH", "/api/v1/users/{id}", 0, handle_user_update, NULL);
  crm_api_add_route (api, "POST", "/api/v1/users/{id}/deactivate", 0, handle_user_deactivate,
                     NULL);
  crm_api_add_route (api, "GET", "/api/v1/teams", 0, handle_teams_list, NULL);
  crm_api_add_route (api, "POST", "/api/v1/teams", 0, handle_team_create, NULL);
  crm_api_add_route (api, "GET", "/api/v1/roles", 0, handle_roles_list, NULL);
  crm_api_add_route (api, "PATCH", "/api/v1/roles/{name}", 0, handle_role_update, NULL);
}

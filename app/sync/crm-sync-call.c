/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-sync"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-json.h"
#include "crm-sync-engine-private.h"

/*
 * What the engine offers beside sync: who is signed in and what they may do (GET
 * /api/v1/me, into the status object), any other authenticated REST call for the app's
 * administration pages, and signing out.
 */

/* ---- access ---------------------------------------------------------------------------- */

typedef struct
{
  guint  generation;
  GTask *task;
} MeFetch;

/* @object is GET /api/v1/me's answer: {"user": {"id"…}, "role", "permissions":
 * {"organisations": ["read", …], …}}. FALSE when it is not that. */
static gboolean
read_access (JsonObject *object,
             const char **user_id,
             const char **role,
             guint8       allowed[CRM_N_RESOURCES])
{
  JsonNode *user = json_object_get_member (object, "user");
  JsonNode *permissions = json_object_get_member (object, "permissions");
  CrmRole parsed;
  JsonObject *matrix;

  *role = json_object_get_string_member_with_default (object, "role", NULL);
  if (*role == NULL || !crm_role_from_string (*role, &parsed) || permissions == NULL
      || !JSON_NODE_HOLDS_OBJECT (permissions))
    return FALSE;
  *user_id = user != NULL && JSON_NODE_HOLDS_OBJECT (user)
               ? json_object_get_string_member_with_default (json_node_get_object (user), "id",
                                                             NULL)
               : NULL;

  matrix = json_node_get_object (permissions);
  memset (allowed, 0, CRM_N_RESOURCES);
  for (CrmResource resource = 0; resource < CRM_N_RESOURCES; resource++)
    {
      JsonNode *node = json_object_get_member (matrix, crm_resource_to_string (resource));
      JsonArray *actions;

      if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
        continue;
      actions = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (actions); i++)
        {
          JsonNode *element = json_array_get_element (actions, i);
          CrmAction action;

          /* An action this app does not know (a newer server) is ignored. */
          if (JSON_NODE_HOLDS_VALUE (element)
              && json_node_get_value_type (element) == G_TYPE_STRING
              && crm_action_from_string (json_node_get_string (element), &action))
            allowed[resource] |= (guint8) (1u << action);
        }
    }
  return TRUE;
}

static void
on_me (GObject      *source,
       GAsyncResult *result,
       gpointer      user_data)
{
  CrmSyncEngine *self = CRM_SYNC_ENGINE (source);
  MeFetch *fetch = user_data;
  g_autoptr (CrmSyncReply) reply = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = NULL;
  guint8 allowed[CRM_N_RESOURCES] = { 0 };
  const char *user_id = NULL, *role = NULL;

  reply = crm_sync_request_finish (self, result, &error);
  if (reply != NULL && reply->status == SOUP_STATUS_OK)
    {
      gsize length = 0;
      const char *data = g_bytes_get_data (reply->body, &length);

      root = crm_json_parse_bounded (data, (gssize) length, NULL);
    }

  /* A newer fetch or a logout happened meanwhile: this answer is out of date. */
  if (fetch->generation == self->access_generation)
    {
      if (root != NULL && JSON_NODE_HOLDS_OBJECT (root)
          && read_access (json_node_get_object (root), &user_id, &role, allowed))
        crm_sync_status_set_access (self->status, user_id != NULL ? user_id : self->user_id,
                                    role, allowed);
      else
        /* The access stays as it was: the server is the judge anyway, and the next
         * sign-in, refresh or epoch change asks again. */
        g_debug ("GET /api/v1/me: %s",
                 error != NULL ? error->message
                 : reply != NULL ? "réponse inattendue" : "pas de réponse");
    }

  if (fetch->task != NULL)
    {
      g_task_return_boolean (fetch->task, TRUE);
      g_object_unref (fetch->task);
    }
  g_free (fetch);
}

void
crm_sync_fetch_access (CrmSyncEngine *self,
                       GTask         *task)
{
  MeFetch *fetch = g_new0 (MeFetch, 1);

  fetch->generation = ++self->access_generation;
  fetch->task = task;
  crm_sync_request_async (self, "GET", "/api/v1/me", NULL, TRUE, on_me, fetch);
}

/* ---- any REST call ---------------------------------------------------------------------- */

typedef struct
{
  guint status;
} Call;

static gint
error_code_for (guint status)
{
  if (status == SOUP_STATUS_UNAUTHORIZED)
    return CRM_SYNC_ERROR_UNAUTHORIZED;
  if (status == 426)
    return CRM_SYNC_ERROR_UPGRADE;
  if (status >= 500)
    return CRM_SYNC_ERROR_NETWORK;
  if (status >= 400)
    return CRM_SYNC_ERROR_REFUSED;
  return CRM_SYNC_ERROR_PROTOCOL;
}

static void
on_called (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  CrmSyncEngine *self = CRM_SYNC_ENGINE (source);
  Call *call = g_task_get_task_data (task);
  g_autoptr (CrmSyncReply) reply = NULL;
  GError *error = NULL;
  JsonNode *root;
  const char *data;
  gsize length = 0;

  reply = crm_sync_request_finish (self, result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  call->status = reply->status;
  if (reply->status < 200 || reply->status >= 300)
    {
      g_autofree char *detail = crm_sync_problem_detail (reply->body, reply->status);

      g_task_return_new_error (task, CRM_SYNC_ERROR, error_code_for (reply->status), "%s",
                               detail);
      return;
    }

  data = reply->body != NULL ? g_bytes_get_data (reply->body, &length) : NULL;
  if (reply->status == SOUP_STATUS_NO_CONTENT || length == 0)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  root = crm_json_parse_bounded (data, (gssize) length, NULL);
  if (root == NULL)
    {
      g_task_return_new_error (task, CRM_SYNC_ERROR, CRM_SYNC_ERROR_PROTOCOL,
                               _("Le serveur a envoyé une réponse illisible."));
      return;
    }
  g_task_return_pointer (task, root, (GDestroyNotify) json_node_unref);
}

void
crm_sync_engine_call_async (CrmSyncEngine       *self,
                            const char          *method,
                            const char          *path,
                            JsonNode            *body,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CRM_IS_SYNC_ENGINE (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (path != NULL && path[0] == '/');

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, crm_sync_engine_call_async);
  g_task_set_task_data (task, g_new0 (Call, 1), g_free);
  crm_sync_request_raw_async (self, method, path, body, on_called, task);
}

JsonNode *
crm_sync_engine_call_finish (CrmSyncEngine *self,
                             GAsyncResult  *result,
                             guint         *status,
                             GError       **error)
{
  Call *call;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == crm_sync_engine_call_async,
                        NULL);

  call = g_task_get_task_data (G_TASK (result));
  if (status != NULL)
    *status = call->status;
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- logout ----------------------------------------------------------------------------- */

static void
on_token_forgotten (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  if (!crm_token_store_save_finish (CRM_TOKEN_STORE (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
forget_stored_token (GTask *task)
{
  CrmSyncEngine *self = g_task_get_source_object (task);

  crm_token_store_save_async (self->tokens, self->server_url, NULL, NULL, on_token_forgotten,
                              task);
}

static void
on_logged_out (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr (CrmSyncReply) reply = NULL;
  g_autoptr (GError) error = NULL;

  /* Unreachable server: the token is forgotten here all the same and expires there. */
  reply = crm_sync_request_finish (CRM_SYNC_ENGINE (source), result, &error);
  if (reply == NULL)
    g_debug ("logout: %s", error->message);
  forget_stored_token (user_data);
}

static void
revoke_refresh_token (GTask      *task,
                      const char *token)
{
  CrmSyncEngine *self = g_task_get_source_object (task);
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "refresh_token");
  json_builder_add_string_value (builder, token);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  crm_sync_request_async (self, "POST", "/api/v1/auth/logout", body, FALSE, on_logged_out, task);
}

static void
on_token_loaded_for_logout (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  GTask *task = user_data;
  g_autofree char *token = crm_token_store_load_finish (CRM_TOKEN_STORE (source), result, NULL);

  if (token != NULL)
    revoke_refresh_token (task, token);
  else
    forget_stored_token (task);
}

void
crm_sync_engine_logout_async (CrmSyncEngine       *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  g_autofree char *token = NULL;

  g_return_if_fail (CRM_IS_SYNC_ENGINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, crm_sync_engine_logout_async);

  crm_sync_engine_stop (self);
  self->access_generation++;
  crm_sync_status_set_access (self->status, NULL, NULL, NULL);
  crm_sync_forget_access_token (self);
  token = g_steal_pointer (&self->refresh_token);
  crm_sync_update_status (self);

  if (token != NULL)
    revoke_refresh_token (task, token);
  else
    crm_token_store_load_async (self->tokens, self->server_url, NULL, on_token_loaded_for_logout,
                                task);
}

gboolean
crm_sync_engine_logout_finish (CrmSyncEngine *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

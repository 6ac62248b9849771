/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-sync"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-json.h"
#include "crm-sync-engine-private.h"

/*
 * The engine's session (DESIGN.md §9): sign-in with e-mail and password, the refresh
 * token kept by the token store, and an access token refreshed one request at a time
 * (a rotated refresh token is good once) before it runs out or after a 401.
 */

/* An access token this close to its end is refreshed before use. */
#define TOKEN_MARGIN_USEC (30 * G_USEC_PER_SEC)

void
crm_sync_forget_access_token (CrmSyncEngine *self)
{
  g_clear_pointer (&self->access_token, g_free);
  self->access_expires = 0;
}

static void
on_user_set (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr (GError) error = NULL;

  crm_sync_run_job_finish (CRM_SYNC_ENGINE (source), result, &error);
  if (error != NULL)
    g_warning ("replica : %s", error->message);
}

static gpointer
set_user_job (CrmSyncEngine *self,
              gpointer       data,
              GError       **error)
{
  char **ids = data;

  return crm_replica_set_user (self->replica, ids[0], ids[1], error) ? GINT_TO_POINTER (1)
                                                                      : NULL;
}

static void
on_token_saved (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr (GError) error = NULL;

  if (!crm_token_store_save_finish (CRM_TOKEN_STORE (source), result, &error))
    g_warning (_("Impossible d’enregistrer la session dans le trousseau : %s"), error->message);
}

/* Takes a login or refresh answer: {"access_token", "expires_in", "refresh_token", "user"}. */
static gboolean
take_session (CrmSyncEngine *self,
              GBytes        *body,
              GError       **error)
{
  g_autoptr (JsonNode) root = NULL;
  JsonObject *object, *user;
  const char *access, *refresh, *user_id;
  gsize length = 0;
  const char *data = g_bytes_get_data (body, &length);

  root = crm_json_parse_bounded (data, (gssize) length, NULL);
  object = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  access = object != NULL ? json_object_get_string_member_with_default (object, "access_token",
                                                                        NULL) : NULL;
  refresh = object != NULL ? json_object_get_string_member_with_default (object,
                                                                         "refresh_token", NULL)
                           : NULL;
  user = object != NULL && json_object_has_member (object, "user")
           ? json_object_get_object_member (object, "user") : NULL;
  user_id = user != NULL ? json_object_get_string_member_with_default (user, "id", NULL) : NULL;
  if (access == NULL || refresh == NULL || user_id == NULL)
    {
      g_set_error_literal (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_PROTOCOL,
                           _("Réponse de connexion illisible."));
      return FALSE;
    }

  g_free (self->access_token);
  self->access_token = g_strdup (access);
  self->access_expires = g_get_monotonic_time ()
                         + json_object_get_int_member_with_default (object, "expires_in", 60)
                             * G_USEC_PER_SEC;
  g_free (self->refresh_token);
  self->refresh_token = g_strdup (refresh);
  crm_token_store_save_async (self->tokens, self->server_url, refresh, NULL, on_token_saved,
                              NULL);

  if (g_strcmp0 (self->user_id, user_id) != 0
      || g_strcmp0 (self->team_id, json_object_get_string_member_with_default (user, "team_id",
                                                                               NULL)) != 0)
    {
      char **ids = g_new0 (char *, 3);

      g_free (self->user_id);
      g_free (self->team_id);
      self->user_id = g_strdup (user_id);
      self->team_id = g_strdup (json_object_get_string_member_with_default (user, "team_id",
                                                                            NULL));
      ids[0] = g_strdup (self->user_id);
      ids[1] = g_strdup (self->team_id);
      crm_sync_run_job (self, set_user_job, ids, (GDestroyNotify) g_strfreev, NULL, on_user_set,
                        NULL);
    }
  return TRUE;
}

static void
finish_token_waiters (CrmSyncEngine *self,
                      const GError  *error)
{
  g_autoptr (GPtrArray) waiters = g_steal_pointer (&self->token_waiters);

  self->token_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->refreshing = FALSE;
  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_pointer (task, g_strdup (self->access_token), g_free);
    }
}

static void
on_refreshed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  CrmSyncEngine *self = CRM_SYNC_ENGINE (source);
  g_autoptr (CrmSyncReply) reply = NULL;
  g_autoptr (GError) error = NULL;

  reply = crm_sync_request_finish (self, result, &error);
  if (reply != NULL && reply->status == SOUP_STATUS_OK)
    {
      /* A restored session (the first refresh after a start) or a later refresh: the
       * role or the permission matrix may have changed meanwhile, so ask again. */
      if (take_session (self, reply->body, &error))
        {
          finish_token_waiters (self, NULL);
          crm_sync_fetch_access (self, NULL);
          return;
        }
    }
  else if (reply != NULL)
    {
      /* The refresh token is refused (used, revoked, expired): sign in again. */
      g_autofree char *detail = crm_sync_problem_detail (reply->body, reply->status);

      g_clear_pointer (&self->refresh_token, g_free);
      crm_token_store_save_async (self->tokens, self->server_url, NULL, NULL, on_token_saved,
                                  NULL);
      g_set_error (&error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_UNAUTHORIZED,
                   _("Session terminée ; reconnectez-vous. (%s)"), detail);
    }
  finish_token_waiters (self, error);
}

static void
refresh_with (CrmSyncEngine *self)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "refresh_token");
  json_builder_add_string_value (builder, self->refresh_token);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  crm_sync_request_async (self, "POST", "/api/v1/auth/refresh", body, FALSE, on_refreshed, NULL);
}

static void
on_token_loaded (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CrmSyncEngine *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *token = crm_token_store_load_finish (CRM_TOKEN_STORE (source), result,
                                                        &error);

  if (token == NULL)
    {
      if (error == NULL)
        g_set_error_literal (&error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_UNAUTHORIZED,
                             _("Aucune session : connectez-vous au serveur."));
      finish_token_waiters (self, error);
      g_object_unref (self);
      return;
    }
  g_free (self->refresh_token);
  self->refresh_token = g_steal_pointer (&token);
  refresh_with (self);
  g_object_unref (self);
}

void
crm_sync_token_async (CrmSyncEngine       *self,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task = g_task_new (self, NULL, callback, user_data);

  g_task_set_source_tag (task, crm_sync_token_async);
  if (self->access_token != NULL
      && g_get_monotonic_time () + TOKEN_MARGIN_USEC < self->access_expires)
    {
      g_task_return_pointer (task, g_strdup (self->access_token), g_free);
      g_object_unref (task);
      return;
    }

  /* One refresh at a time: a rotated refresh token is good once. */
  g_ptr_array_add (self->token_waiters, task);
  if (self->refreshing)
    return;
  self->refreshing = TRUE;
  if (self->refresh_token != NULL)
    refresh_with (self);
  else
    crm_token_store_load_async (self->tokens, self->server_url, NULL, on_token_loaded,
                                g_object_ref (self));
}

char *
crm_sync_token_finish (CrmSyncEngine *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_logged_in (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  CrmSyncEngine *self = CRM_SYNC_ENGINE (source);
  g_autoptr (CrmSyncReply) reply = NULL;
  GError *error = NULL;

  reply = crm_sync_request_finish (self, result, &error);
  if (reply != NULL && reply->status != SOUP_STATUS_OK)
    {
      g_autofree char *detail = crm_sync_problem_detail (reply->body, reply->status);

      g_set_error_literal (&error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_UNAUTHORIZED, detail);
    }
  if (error == NULL)
    take_session (self, reply->body, &error);
  if (error != NULL)
    {
      crm_sync_note_error (self, error);
      g_task_return_error (task, error);
      return;
    }
  crm_sync_update_status (self);
  /* The sign-in completes once the status knows the role: the window opens read-only
   * for a viewer from its first frame. */
  crm_sync_fetch_access (self, g_steal_pointer (&task));
}

void
crm_sync_engine_login_async (CrmSyncEngine       *self,
                             const char          *email,
                             const char          *password,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) body = NULL;

  g_task_set_source_tag (task, crm_sync_engine_login_async);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, email);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  crm_sync_request_async (self, "POST", "/api/v1/auth/login", body, FALSE, on_logged_in, task);
}

gboolean
crm_sync_engine_login_finish (CrmSyncEngine *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-sync"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-json.h"
#include "crm-sync-engine-private.h"

#define HTTP_TIMEOUT_SECONDS 60

G_DEFINE_QUARK (crm-sync-error-quark, crm_sync_error)
G_DEFINE_FINAL_TYPE (CrmSyncEngine, crm_sync_engine, G_TYPE_OBJECT)

/* ---- the replica thread ------------------------------------------------------------- */

typedef struct
{
  CrmSyncEngine  *engine;
  CrmSyncJobFunc  func;
  gpointer        data;
  GDestroyNotify  data_free;
  GDestroyNotify  result_free;
} Job;

static void
job_free (gpointer data)
{
  Job *job = data;

  if (job->data_free != NULL && job->data != NULL)
    job->data_free (job->data);
  g_free (job);
}

static void
worker_run (gpointer data,
            gpointer user_data)
{
  g_autoptr (GTask) task = data;
  Job *job = g_task_get_task_data (task);
  GError *error = NULL;
  gpointer result = job->func (job->engine, job->data, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, job->result_free);
}

void
crm_sync_run_job (CrmSyncEngine       *self,
                  CrmSyncJobFunc       func,
                  gpointer             data,
                  GDestroyNotify       data_free,
                  GDestroyNotify       result_free,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  GTask *task = g_task_new (self, NULL, callback, user_data);
  Job *job = g_new0 (Job, 1);

  g_task_set_source_tag (task, crm_sync_run_job);
  job->engine = self;
  job->func = func;
  job->data = data;
  job->data_free = data_free;
  job->result_free = result_free;
  g_task_set_task_data (task, job, job_free);
  /* Disposed (the app is closing): the loops' late callbacks start nothing new. */
  if (self->worker == NULL)
    {
      g_task_return_new_error (task, CRM_SYNC_ERROR, CRM_SYNC_ERROR_CANCELLED,
                               _("La synchronisation est arrêtée."));
      g_object_unref (task);
      return;
    }
  g_thread_pool_push (self->worker, task, NULL);
}

gpointer
crm_sync_run_job_finish (CrmSyncEngine *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- status ------------------------------------------------------------------------- */

guint
crm_sync_backoff_delay (CrmSyncEngine *self,
                        guint          failures)
{
  guint64 delay = self->backoff_min_ms;

  for (guint i = 1; i < failures && delay < self->backoff_max_ms; i++)
    delay *= 2;
  delay = MIN (delay, self->backoff_max_ms);
  /* "Full jitter" on the upper half: clients cut off together do not return together. */
  return (guint) (delay / 2 + g_random_int_range (0, (gint32) (delay / 2) + 1));
}

void
crm_sync_update_status (CrmSyncEngine *self)
{
  CrmSyncState state;

  if (self->push_running || self->pull_running)
    state = CRM_SYNC_STATE_SYNCING;
  else if (self->fatal || self->access_token == NULL || self->push_error != NULL
           || self->pull_error != NULL)
    state = CRM_SYNC_STATE_OFFLINE;
  else
    state = CRM_SYNC_STATE_UP_TO_DATE;

  if (state != CRM_SYNC_STATE_SYNCING)
    crm_sync_status_set_progress (self->status, -1);
  if (state == CRM_SYNC_STATE_UP_TO_DATE)
    crm_sync_status_set_last_error (self->status, NULL);
  crm_sync_status_set_state (self->status, state);
}

typedef struct
{
  gint64 pending, conflicts, rejections, quarantined;
} Counts;

static gpointer
count_job (CrmSyncEngine *self,
           gpointer       data,
           GError       **error)
{
  Counts *counts = g_new0 (Counts, 1);

  counts->pending = crm_replica_outbox_count (self->replica, NULL);
  counts->conflicts = crm_sync_count_conflicts (self->replica);
  counts->rejections = crm_replica_rejection_count (self->replica, NULL);
  counts->quarantined = crm_replica_quarantine_count (self->replica, NULL);
  return counts;
}

static void
on_counted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  CrmSyncEngine *self = CRM_SYNC_ENGINE (source);
  g_autofree Counts *counts = crm_sync_run_job_finish (self, result, NULL);

  if (counts != NULL)
    crm_sync_status_set_counts (self->status, counts->pending, counts->conflicts,
                                counts->rejections, counts->quarantined);
}

void
crm_sync_refresh_counts (CrmSyncEngine *self)
{
  crm_sync_run_job (self, count_job, NULL, NULL, g_free, on_counted, NULL);
}

void
crm_sync_note_error (CrmSyncEngine *self,
                     const GError  *error)
{
  if (error == NULL)
    return;
  crm_sync_status_set_last_error (self->status, error->message);
  if (g_error_matches (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_UPGRADE))
    self->fatal = TRUE;
}

char *
crm_sync_problem_detail (GBytes *body,
                         guint   status)
{
  g_autoptr (JsonNode) root = NULL;
  const char *data;
  gsize length = 0;

  if (body != NULL)
    {
      data = g_bytes_get_data (body, &length);
      root = length > 0 ? crm_json_parse_bounded (data, (gssize) length, NULL) : NULL;
    }
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);
      const char *detail = json_object_get_string_member_with_default (object, "detail", NULL);
      const char *title = json_object_get_string_member_with_default (object, "title", NULL);

      if (detail != NULL || title != NULL)
        return g_strdup (detail != NULL ? detail : title);
    }
  return g_strdup_printf (_("Le serveur a répondu %u."), status);
}

/* ---- HTTP ------------------------------------------------------------------------- */

void
crm_sync_reply_free (CrmSyncReply *reply)
{
  if (reply == NULL)
    return;
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_free (reply);
}

typedef struct
{
  char    *method;
  char    *path;
  GBytes  *body;
  gboolean authenticated;
  gboolean raw;           /* every HTTP status comes back as a reply */
  gboolean retried;
  SoupMessage *msg;
} Request;

static void
request_free (gpointer data)
{
  Request *request = data;

  g_free (request->method);
  g_free (request->path);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_clear_object (&request->msg);
  g_free (request);
}

static void request_send (GTask *task, const char *token);

static void
on_request_token (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;
  g_autofree char *token = crm_sync_token_finish (CRM_SYNC_ENGINE (source), result, &error);

  if (token == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  request_send (g_steal_pointer (&task), token);
}

static void
on_request_sent (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  CrmSyncEngine *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                               &error);
  g_autofree char *detail = NULL;
  CrmSyncReply *reply;
  guint status;

  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_new_error (task, CRM_SYNC_ERROR, CRM_SYNC_ERROR_CANCELLED, "%s",
                                 error->message);
      else
        g_task_return_new_error (task, CRM_SYNC_ERROR, CRM_SYNC_ERROR_NETWORK,
                                 _("Serveur injoignable : %s"), error->message);
      return;
    }

  status = soup_message_get_status (request->msg);
  if (status == SOUP_STATUS_UNAUTHORIZED && request->authenticated && !request->retried)
    {
      /* Expired or stale (a role change ends every older token): refresh once. */
      request->retried = TRUE;
      crm_sync_forget_access_token (self);
      crm_sync_token_async (self, on_request_token, g_steal_pointer (&task));
      return;
    }
  if (!request->raw && (status == SOUP_STATUS_UNAUTHORIZED || status == 426 || status >= 500))
    {
      detail = crm_sync_problem_detail (body, status);
      g_task_return_new_error (task, CRM_SYNC_ERROR,
                               status == 426 ? CRM_SYNC_ERROR_UPGRADE
                               : status >= 500 ? CRM_SYNC_ERROR_NETWORK
                                               : CRM_SYNC_ERROR_UNAUTHORIZED,
                               "%s", detail);
      return;
    }

  reply = g_new0 (CrmSyncReply, 1);
  reply->status = status;
  reply->body = g_steal_pointer (&body);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (request->msg));
  g_task_return_pointer (task, reply, (GDestroyNotify) crm_sync_reply_free);
}

static void
request_send (GTask      *task,
              const char *token)
{
  CrmSyncEngine *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autofree char *url = g_strconcat (self->server_url, request->path, NULL);
  SoupMessageHeaders *headers;

  /* Disposed while the token was on its way: the session is gone. */
  if (self->session == NULL)
    {
      g_task_return_new_error (task, CRM_SYNC_ERROR, CRM_SYNC_ERROR_CANCELLED,
                               _("La synchronisation est arrêtée."));
      g_object_unref (task);
      return;
    }
  g_clear_object (&request->msg);
  request->msg = soup_message_new (request->method, url);
  if (request->msg == NULL)
    {
      g_task_return_new_error (task, CRM_SYNC_ERROR, CRM_SYNC_ERROR_PROTOCOL,
                               _("Adresse de serveur invalide : %s"), self->server_url);
      g_object_unref (task);
      return;
    }
  headers = soup_message_get_request_headers (request->msg);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (headers, "Authorization", value);
    }
  if (request->body != NULL)
    soup_message_set_request_body_from_bytes (request->msg, "application/json", request->body);
  soup_session_send_and_read_async (self->session, request->msg, G_PRIORITY_DEFAULT,
                                    self->cancellable, on_request_sent, task);
}

static void
request_start (CrmSyncEngine       *self,
               const char          *method,
               const char          *path,
               JsonNode            *body,
               gboolean             authenticated,
               gboolean             raw,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  GTask *task = g_task_new (self, NULL, callback, user_data);
  Request *request = g_new0 (Request, 1);

  g_task_set_source_tag (task, crm_sync_request_async);
  request->method = g_strdup (method);
  request->path = g_strdup (path);
  request->authenticated = authenticated;
  request->raw = raw;
  if (body != NULL)
    {
      gsize length = 0;
      char *data = crm_json_to_data (body, &length);

      request->body = g_bytes_new_take (data, length);
    }
  g_task_set_task_data (task, request, request_free);

  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_task_return_new_error (task, CRM_SYNC_ERROR, CRM_SYNC_ERROR_CANCELLED,
                               _("La synchronisation est arrêtée."));
      g_object_unref (task);
      return;
    }
  if (authenticated)
    crm_sync_token_async (self, on_request_token, task);
  else
    request_send (task, NULL);
}

void
crm_sync_request_async (CrmSyncEngine       *self,
                        const char          *method,
                        const char          *path,
                        JsonNode            *body,
                        gboolean             authenticated,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  request_start (self, method, path, body, authenticated, FALSE, callback, user_data);
}

void
crm_sync_request_raw_async (CrmSyncEngine       *self,
                            const char          *method,
                            const char          *path,
                            JsonNode            *body,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  request_start (self, method, path, body, TRUE, TRUE, callback, user_data);
}

CrmSyncReply *
crm_sync_request_finish (CrmSyncEngine *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- rounds ---------------------------------------------------------------------------- */

void
crm_sync_complete_waiters (GPtrArray    *waiters,
                           const GError *error)
{
  gsize n = 0;
  /* Detached first: the callbacks may queue new waiters. */
  g_autofree gpointer *tasks = g_ptr_array_steal (waiters, &n);

  for (gsize i = 0; i < n; i++)
    {
      g_autoptr (GTask) task = tasks[i];

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

static void
on_round_pulled (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *push_error = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error) && push_error == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_clear_error (&error);
  if (push_error != NULL)
    g_task_return_error (task, g_error_copy (push_error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_round_pushed (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  CrmSyncEngine *self = g_task_get_source_object (task);
  GError *error = NULL;
  GTask *pull = g_task_new (self, NULL, on_round_pulled, task);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_task_set_task_data (task, error, (GDestroyNotify) g_error_free);
  crm_sync_pull_wait (self, pull);
  crm_sync_pull_kick (self);
}

void
crm_sync_engine_sync_async (CrmSyncEngine       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  GTask *push = g_task_new (self, NULL, on_round_pushed, task);

  g_task_set_source_tag (task, crm_sync_engine_sync_async);
  crm_sync_push_wait (self, push);
  crm_sync_push_kick (self);
}

gboolean
crm_sync_engine_sync_finish (CrmSyncEngine *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
crm_sync_engine_sync_now (CrmSyncEngine *self)
{
  g_clear_handle_id (&self->push_timer, g_source_remove);
  self->push_failures = 0;
  crm_sync_push_kick (self);
  crm_sync_pull_kick (self);
}

static gboolean
on_poll (gpointer user_data)
{
  CrmSyncEngine *self = user_data;

  crm_sync_pull_kick (self);
  crm_sync_push_kick (self);
  return G_SOURCE_CONTINUE;
}

void
crm_sync_engine_start (CrmSyncEngine *self)
{
  if (self->started)
    return;
  self->started = TRUE;
  if (self->poll_interval > 0)
    self->poll_id = g_timeout_add_seconds (self->poll_interval, on_poll, self);
  crm_sync_ws_connect (self);
  crm_sync_pull_kick (self);
  crm_sync_push_kick (self);
}

void
crm_sync_engine_stop (CrmSyncEngine *self)
{
  self->started = FALSE;
  g_clear_handle_id (&self->poll_id, g_source_remove);
  crm_sync_ws_disconnect (self);
}

gboolean
crm_sync_engine_is_connected (CrmSyncEngine *self)
{
  return self->ws != NULL
         && soup_websocket_connection_get_state (self->ws) == SOUP_WEBSOCKET_STATE_OPEN;
}

/* ---- GObject --------------------------------------------------------------------------- */

static void
crm_sync_engine_dispose (GObject *object)
{
  CrmSyncEngine *self = CRM_SYNC_ENGINE (object);

  crm_sync_engine_stop (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->push_timer, g_source_remove);
  g_clear_handle_id (&self->pull_timer, g_source_remove);
  if (self->worker != NULL)
    {
      /* Queued replica work finishes; the replica stays consistent. */
      g_thread_pool_free (self->worker, FALSE, TRUE);
      self->worker = NULL;
    }
  crm_sync_pull_dispose (self);
  /* An initial load this engine left open would hold the replica's write transaction
   * for whoever uses the replica next: rolled back, the replica is empty again. */
  if (self->replica != NULL)
    crm_sync_load_abort (self);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (crm_sync_engine_parent_class)->dispose (object);
}

static void
crm_sync_engine_finalize (GObject *object)
{
  CrmSyncEngine *self = CRM_SYNC_ENGINE (object);

  g_clear_object (&self->replica);
  g_clear_object (&self->tokens);
  g_clear_object (&self->status);
  g_clear_object (&self->cancellable);
  g_free (self->server_url);
  g_free (self->access_token);
  g_free (self->refresh_token);
  g_free (self->user_id);
  g_free (self->team_id);
  g_clear_pointer (&self->token_waiters, g_ptr_array_unref);
  g_clear_pointer (&self->push_waiters, g_ptr_array_unref);
  g_clear_pointer (&self->pull_waiters, g_ptr_array_unref);
  g_clear_error (&self->push_error);
  g_clear_error (&self->pull_error);
  g_clear_pointer (&self->prefetched, crm_sync_reply_free);
  g_clear_error (&self->prefetch_error);
  G_OBJECT_CLASS (crm_sync_engine_parent_class)->finalize (object);
}

static void
crm_sync_engine_class_init (CrmSyncEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = crm_sync_engine_dispose;
  object_class->finalize = crm_sync_engine_finalize;
}

static void
crm_sync_engine_init (CrmSyncEngine *self)
{
  self->status = crm_sync_status_new ();
  self->cancellable = g_cancellable_new ();
  self->token_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->push_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->pull_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->batch_size = 100;
  self->push_limit = 100;
  self->page_size = 500;
  self->poll_interval = 60;
  self->backoff_min_ms = 1000;
  self->backoff_max_ms = 5 * 60 * 1000;
  self->initial_load = TRUE;
  self->prefetch_from = -1;
  self->worker = g_thread_pool_new (worker_run, NULL, 1, TRUE, NULL);
  self->session = soup_session_new_with_options ("timeout", HTTP_TIMEOUT_SECONDS,
                                                 "user-agent", "alforis-crm/" PACKAGE_VERSION,
                                                 NULL);
}

CrmSyncEngine *
crm_sync_engine_new (CrmReplica    *replica,
                     const char    *server_url,
                     CrmTokenStore *tokens)
{
  CrmSyncEngine *self = g_object_new (CRM_TYPE_SYNC_ENGINE, NULL);

  self->replica = g_object_ref (replica);
  self->server_url = g_strdup (server_url);
  self->tokens = g_object_ref (tokens);
  crm_sync_refresh_counts (self);
  return self;
}

CrmSyncStatus *
crm_sync_engine_get_status (CrmSyncEngine *self)
{
  return self->status;
}

CrmReplica *
crm_sync_engine_get_replica (CrmSyncEngine *self)
{
  return self->replica;
}

const char *
crm_sync_engine_get_server_url (CrmSyncEngine *self)
{
  return self->server_url;
}

const char *
crm_sync_engine_get_user_id (CrmSyncEngine *self)
{
  return self->user_id;
}

void
crm_sync_engine_set_tls_database (CrmSyncEngine *self,
                                  GTlsDatabase  *database)
{
  soup_session_set_tls_database (self->session, database);
}

void
crm_sync_engine_set_batch_size (CrmSyncEngine *self,
                                guint          ops)
{
  self->batch_size = self->push_limit = CLAMP (ops, 1, 500);
}

void
crm_sync_engine_set_initial_load (CrmSyncEngine *self,
                                  gboolean       enabled)
{
  /* Read on the replica thread when a download starts: a job keeps the order. */
  self->initial_load = enabled;
}

void
crm_sync_engine_set_page_size (CrmSyncEngine *self,
                               guint          changes)
{
  self->page_size = CLAMP (changes, 1, 5000);
}

void
crm_sync_engine_set_poll_interval (CrmSyncEngine *self,
                                   guint          seconds)
{
  self->poll_interval = seconds;
  if (self->started)
    {
      g_clear_handle_id (&self->poll_id, g_source_remove);
      if (seconds > 0)
        self->poll_id = g_timeout_add_seconds (seconds, on_poll, self);
    }
}

void
crm_sync_engine_set_backoff (CrmSyncEngine *self,
                             guint          min_ms,
                             guint          max_ms)
{
  self->backoff_min_ms = MAX (min_ms, 1);
  self->backoff_max_ms = MAX (max_ms, self->backoff_min_ms);
}

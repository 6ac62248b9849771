/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-sync"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-json.h"
#include "crm-uuid.h"
#include "crm-sync-engine-private.h"

/*
 * The upload loop: the oldest ops of the outbox, at most push_limit at a time, in one
 * request; one result per op settles it. A failure of the network or the server
 * (5xx) leaves every op queued and retries after a jittered back-off; the server
 * stores each op's result, so resending a batch that did commit changes nothing. A
 * batch refused whole (400, 413) is halved until the op at fault is alone, and that
 * op goes to the rejection inbox: one bad op never stalls the queue.
 */

static void push_round (CrmSyncEngine *self);

static void
push_idle (CrmSyncEngine *self,
           const GError  *error)
{
  self->push_running = FALSE;
  g_clear_error (&self->push_error);
  if (error != NULL)
    {
      self->push_error = g_error_copy (error);
      crm_sync_note_error (self, error);
    }
  crm_sync_update_status (self);
  crm_sync_refresh_counts (self);
  crm_sync_complete_waiters (self->push_waiters, error);
}

static gboolean
on_push_timer (gpointer user_data)
{
  CrmSyncEngine *self = user_data;

  self->push_timer = 0;
  crm_sync_push_kick (self);
  return G_SOURCE_REMOVE;
}

void
crm_sync_push_kick (CrmSyncEngine *self)
{
  if (self->push_running)
    {
      self->push_again = TRUE;
      return;
    }
  if (self->push_timer != 0 || self->fatal)
    {
      /* Backing off: a waiter learns the last failure now rather than much later. */
      crm_sync_complete_waiters (self->push_waiters, self->push_error);
      return;
    }
  self->push_running = TRUE;
  self->push_again = FALSE;
  crm_sync_update_status (self);
  push_round (self);
}

void
crm_sync_push_wait (CrmSyncEngine *self,
                    GTask         *task)
{
  g_ptr_array_add (self->push_waiters, task);
}

/* ---- the replica side ------------------------------------------------------------- */

static gpointer
peek_job (CrmSyncEngine *self,
          gpointer       data,
          GError       **error)
{
  /* An initial load holds the write transaction, and its outbox is empty. */
  if (crm_replica_is_loading (self->replica))
    return g_ptr_array_new_with_free_func ((GDestroyNotify) crm_outbox_op_free);
  return crm_sync_take_ops (self->replica, GPOINTER_TO_UINT (data), error);
}

typedef struct
{
  GPtrArray *ops;      /* CrmOutboxOp* as sent */
  GBytes    *body;     /* the reply */
  char      *reason;   /* retry_later for all, when set */
  char      *reject;   /* problem JSON: reject the single op */
} Settle;

static void
settle_free (gpointer data)
{
  Settle *settle = data;

  g_clear_pointer (&settle->ops, g_ptr_array_unref);
  g_clear_pointer (&settle->body, g_bytes_unref);
  g_free (settle->reason);
  g_free (settle->reject);
  g_free (settle);
}

/* A refused op on a row the server has: the row comes again, so the refused value
 * leaves the screen (the rejection inbox keeps what the user typed). A refused create
 * has nothing to come back: its row stays as typed until the user fixes or drops it. */
static void
note_refetch (GPtrArray  *refetch,
              GPtrArray  *ops,
              const char *op_id)
{
  for (guint i = 0; i < ops->len; i++)
    {
      CrmOutboxOp *op = g_ptr_array_index (ops, i);
      const CrmEntityInfo *entity;

      if (g_strcmp0 (op->op_id, op_id) != 0)
        continue;
      entity = crm_entity_lookup (op->entity);
      if (entity != NULL && g_strcmp0 (op->kind, "create") != 0)
        g_ptr_array_add (refetch, g_strconcat (entity->name, "/", op->row_id, NULL));
      return;
    }
}

static gboolean
settle_result (CrmSyncEngine *self,
               JsonObject    *result,
               GPtrArray     *ops,
               GPtrArray     *refetch,
               GError       **error)
{
  const char *op_id = json_object_get_string_member_with_default (result, "op_id", NULL);
  const char *status = json_object_get_string_member_with_default (result, "status", "");
  gint64 version = json_object_get_int_member_with_default (result, "version", 0);
  const char *entity_name = json_object_get_string_member_with_default (result, "entity", NULL);
  const char *id = json_object_get_string_member_with_default (result, "id", NULL);
  const CrmEntityInfo *entity = entity_name != NULL ? crm_entity_lookup (entity_name) : NULL;

  if (op_id == NULL)
    return TRUE;
  if (g_str_equal (status, "applied") && entity != NULL && id != NULL)
    {
      g_autoptr (CrmRecord) row = crm_replica_get (self->replica, entity->kind, id, NULL);

      /* Our row is the server's at @version, unless a page brought a newer version while
       * the op held its fields: then those fields must come again (below). */
      if (row == NULL || crm_record_get_int (row, "version") < version)
        return crm_replica_outbox_applied (self->replica, op_id, version, error);
    }

  if (g_str_equal (status, "rejected"))
    {
      g_autofree char *problem = NULL;

      if (json_object_has_member (result, "problem"))
        problem = crm_json_to_data (json_object_get_member (result, "problem"), NULL);
      if (!crm_replica_outbox_reject (self->replica, op_id, problem, error))
        return FALSE;
      note_refetch (refetch, ops, op_id);
      return TRUE;
    }

  if (g_str_equal (status, "conflict") && json_object_has_member (result, "conflicts"))
    {
      JsonArray *conflicts = json_object_get_array_member (result, "conflicts");

      for (guint i = 0; conflicts != NULL && i < json_array_get_length (conflicts); i++)
        {
          JsonObject *conflict = json_array_get_object_element (conflicts, i);

          if (conflict != NULL && !crm_sync_apply_conflict (self->replica, conflict, op_id, error))
            return FALSE;
        }
    }

  /*
   * Merged, conflict, or applied under a newer page: the server's row differs from ours
   * in fields we did not send (or kept its value for ours). The op leaves the queue
   * without advancing the row; its version drops below the op's and the stored cursor
   * goes back with it, in one transaction, so the next pull brings the whole row, even
   * if a page already carried it while the op still held those fields.
   */
  if (entity == NULL || id == NULL)
    return crm_replica_outbox_applied (self->replica, op_id, 0, error);
  return crm_sync_settle_refetch (self->replica, op_id, entity->kind, id, version, error);
}

static gpointer
settle_job (CrmSyncEngine *self,
            gpointer       data,
            GError       **error)
{
  Settle *settle = data;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GHashTable) answered = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) refetch = g_ptr_array_new_with_free_func (g_free);
  JsonArray *results = NULL;
  gboolean in_batch = FALSE;
  const char *text;
  gsize length = 0;

  if (settle->reject != NULL)
    {
      CrmOutboxOp *op = g_ptr_array_index (settle->ops, 0);

      if (!crm_replica_outbox_reject (self->replica, op->op_id, settle->reject, error))
        return NULL;
      note_refetch (refetch, settle->ops, op->op_id);
      return g_steal_pointer (&refetch);
    }

  if (settle->body != NULL)
    {
      text = g_bytes_get_data (settle->body, &length);
      root = crm_json_parse_bounded (text, (gssize) length, NULL);
      if (root != NULL && JSON_NODE_HOLDS_OBJECT (root)
          && json_object_has_member (json_node_get_object (root), "results"))
        results = json_object_get_array_member (json_node_get_object (root), "results");
    }

  for (guint i = 0; results != NULL && i < json_array_get_length (results); i++)
    {
      JsonObject *result = json_array_get_object_element (results, i);
      const char *op_id, *status, *name;
      gboolean own_transaction;

      if (result == NULL)
        continue;
      op_id = json_object_get_string_member_with_default (result, "op_id", NULL);
      if (op_id == NULL)
        continue;
      status = json_object_get_string_member_with_default (result, "status", "");
      /* A rejection and conflict records go through the replica's API, each in a
       * transaction of its own; every other result joins the batch's (in order). */
      own_transaction = g_str_equal (status, "rejected")
                        || (g_str_equal (status, "conflict")
                            && json_object_has_member (result, "conflicts"));
      if (own_transaction)
        {
          if (in_batch)
            {
              in_batch = FALSE;
              if (!crm_sync_settle_batch_end (self->replica, TRUE, error))
                return NULL;
            }
          if (!settle_result (self, result, settle->ops, refetch, error))
            return NULL;
        }
      else
        {
          name = json_object_get_string_member_with_default (result, "entity", NULL);
          if (!in_batch && !(in_batch = crm_sync_settle_batch_begin (self->replica, error)))
            return NULL;
          if (!crm_sync_settle_in_batch (self->replica, op_id, g_str_equal (status, "applied"),
                                         name != NULL ? crm_entity_lookup (name) : NULL,
                                         json_object_get_string_member_with_default (result, "id",
                                                                                     NULL),
                                         json_object_get_int_member_with_default (result,
                                                                                  "version", 0),
                                         error))
            {
              crm_sync_settle_batch_end (self->replica, FALSE, NULL);
              return NULL;
            }
        }
      g_hash_table_add (answered, (gpointer) op_id);
    }
  if (in_batch && !crm_sync_settle_batch_end (self->replica, TRUE, error))
    return NULL;

  /* Ops without a result (a reply cut short, a failure) stay queued for the next try. */
  for (guint i = 0; i < settle->ops->len; i++)
    {
      CrmOutboxOp *op = g_ptr_array_index (settle->ops, i);

      if (!g_hash_table_contains (answered, op->op_id)
          && !crm_replica_outbox_retry_later (self->replica, op->op_id,
                                              settle->reason != NULL ? settle->reason
                                                                     : _("Sans réponse"),
                                              error))
        return NULL;
    }
  return g_steal_pointer (&refetch);
}

/* ---- the network side ------------------------------------------------------------- */

static JsonNode *
push_body (CrmSyncEngine *self,
           GPtrArray     *ops)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "protocol");
  json_builder_add_int_value (builder, CRM_SYNC_PROTOCOL);
  json_builder_set_member_name (builder, "app_version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_set_member_name (builder, "client_id");
  json_builder_add_string_value (builder, crm_replica_get_client_id (self->replica));
  json_builder_set_member_name (builder, "ops");
  json_builder_begin_array (builder);
  for (guint i = 0; i < ops->len; i++)
    {
      CrmOutboxOp *op = g_ptr_array_index (ops, i);
      g_autoptr (JsonNode) fields = crm_json_parse_bounded (op->fields, -1, NULL);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "op_id");
      json_builder_add_string_value (builder, op->op_id);
      json_builder_set_member_name (builder, "entity");
      json_builder_add_string_value (builder, op->entity);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, op->row_id);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, op->kind);
      json_builder_set_member_name (builder, "base_version");
      json_builder_add_int_value (builder, op->base_version);
      json_builder_set_member_name (builder, "fields");
      if (fields != NULL)
        json_builder_add_value (builder, g_steal_pointer (&fields));
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
on_settled (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  CrmSyncEngine *self = CRM_SYNC_ENGINE (source);
  GError *failure = user_data;  /* owned: the network error that led here, if any */
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) refetch = crm_sync_run_job_finish (self, result, &error);

  for (guint i = 0; refetch != NULL && i < refetch->len; i++)
    crm_sync_refetch_row (self, g_ptr_array_index (refetch, i));
  if (error == NULL && failure == NULL)
    {
      self->push_failures = 0;
      /* What the server merged or kept comes back with the next page. */
      crm_sync_pull_kick (self);
      push_round (self);
      return;
    }
  if (error != NULL)
    {
      push_idle (self, error);
    }
  else
    {
      if (failure->code == CRM_SYNC_ERROR_NETWORK)
        self->push_timer = g_timeout_add (crm_sync_backoff_delay (self, ++self->push_failures),
                                          on_push_timer, self);
      push_idle (self, failure);
    }
  g_clear_error (&failure);
}

static void
on_pushed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  CrmSyncEngine *self = CRM_SYNC_ENGINE (source);
  g_autoptr (GPtrArray) ops = user_data;
  g_autoptr (CrmSyncReply) reply = NULL;
  GError *error = NULL;
  Settle *settle = g_new0 (Settle, 1);

  settle->ops = g_ptr_array_ref (ops);
  reply = crm_sync_request_finish (self, result, &error);
  if (reply == NULL)
    {
      settle->reason = g_strdup (error->message);
    }
  else if (reply->status == SOUP_STATUS_OK)
    {
      self->push_limit = self->batch_size;
      settle->body = g_bytes_ref (reply->body);
    }
  else if (ops->len > 1)
    {
      /* Refused whole: find the op at fault by halves. */
      self->push_limit = MAX (1, ops->len / 2);
      settle->reason = crm_sync_problem_detail (reply->body, reply->status);
    }
  else
    {
      g_autofree char *detail = crm_sync_problem_detail (reply->body, reply->status);
      gsize length = 0;
      const char *data = g_bytes_get_data (reply->body, &length);

      settle->reject = length > 0 ? g_strndup (data, length)
                                  : g_strdup_printf ("{\"status\":%u,\"title\":\"%s\"}",
                                                     reply->status, detail);
    }
  crm_sync_run_job (self, settle_job, settle, settle_free, (GDestroyNotify) g_ptr_array_unref,
                    on_settled, error);
}

static void
on_peeked (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  CrmSyncEngine *self = CRM_SYNC_ENGINE (source);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) ops = crm_sync_run_job_finish (self, result, &error);
  g_autoptr (JsonNode) body = NULL;

  if (ops == NULL)
    {
      g_autoptr (GError) wrapped = g_error_new (CRM_SYNC_ERROR, CRM_SYNC_ERROR_REPLICA, "%s",
                                                error->message);

      push_idle (self, wrapped);
      return;
    }
  if (ops->len == 0)
    {
      if (self->push_again)
        {
          self->push_again = FALSE;
          push_round (self);
          return;
        }
      push_idle (self, NULL);
      return;
    }
  body = push_body (self, ops);
  crm_sync_request_async (self, "POST", "/api/v1/sync/push", body, TRUE, on_pushed,
                          g_steal_pointer (&ops));
}

/* ---- conflicts resolved here, told to the server ------------------------------------ */

static gpointer
list_resolutions_job (CrmSyncEngine *self,
                      gpointer       data,
                      GError       **error)
{
  if (crm_replica_is_loading (self->replica))
    return g_ptr_array_new_with_free_func (g_free);
  return crm_replica_list_unreported_resolutions (self->replica, error);
}

static gpointer
mark_reported_job (CrmSyncEngine *self,
                   gpointer       data,
                   GError       **error)
{
  return crm_replica_mark_resolution_reported (self->replica, data, error) ? GINT_TO_POINTER (1)
                                                                            : NULL;
}

static void
on_marked (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  CrmSyncEngine *self = CRM_SYNC_ENGINE (source);

  crm_sync_run_job_finish (self, result, NULL);
  self->reporting--;
}

static void
on_reported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  CrmSyncEngine *self = CRM_SYNC_ENGINE (source);
  g_autofree char *id = user_data;
  g_autoptr (CrmSyncReply) reply = NULL;
  g_autoptr (GError) error = NULL;

  reply = crm_sync_request_finish (self, result, &error);
  /* Closed (204), unknown there (404) or not this user's to close (403): told, either
   * way; asking again would change nothing. No answer: the next round asks again. */
  if (reply != NULL && (reply->status < 300 || reply->status == SOUP_STATUS_NOT_FOUND
                        || reply->status == SOUP_STATUS_FORBIDDEN))
    {
      crm_sync_run_job (self, mark_reported_job, g_steal_pointer (&id), g_free, NULL, on_marked,
                        NULL);
      return;
    }
  g_debug ("conflit %s non signalé : %s", id,
           error != NULL ? error->message : "réponse inattendue");
  self->reporting--;
}

static void
on_resolutions (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  CrmSyncEngine *self = CRM_SYNC_ENGINE (source);
  g_autoptr (GPtrArray) ids = crm_sync_run_job_finish (self, result, NULL);

  self->reporting--;
  for (guint i = 0; ids != NULL && i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      g_autofree char *path = NULL;

      if (!crm_uuid_is_valid (id))
        continue;
      path = g_strconcat ("/api/v1/sync/conflicts/", id, "/resolve", NULL);
      self->reporting++;
      crm_sync_request_async (self, "POST", path, NULL, TRUE, on_reported, g_strdup (id));
    }
}

/* "Garder la mienne / la leur" closes the conflict here; the server's record is closed
 * too, so no pull or epoch re-sync brings it again. Beside the push, never blocking it. */
static void
report_resolutions (CrmSyncEngine *self)
{
  if (self->reporting > 0)
    return;
  self->reporting = 1;
  crm_sync_run_job (self, list_resolutions_job, NULL, NULL, (GDestroyNotify) g_ptr_array_unref,
                    on_resolutions, NULL);
}

static void
push_round (CrmSyncEngine *self)
{
  report_resolutions (self);
  self->push_again = FALSE;
  crm_sync_run_job (self, peek_job, GUINT_TO_POINTER (self->push_limit), NULL,
                    (GDestroyNotify) g_ptr_array_unref, on_peeked, NULL);
}

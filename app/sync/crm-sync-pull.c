/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-sync"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-json.h"
#include "crm-sync-engine-private.h"
#include "crm-sync-page.h"
#include "crm-time.h"

/*
 * The download loop: pages after the replica's cursor, each applied with its cursor in
 * one SQLite transaction on the replica thread (crm_replica_apply_pull keeps the
 * fields that queued ops are about). It never waits for the push loop. A page from a
 * new epoch (the user's role or team changed) starts a re-sync from cursor 0 that
 * keeps the outbox; once it has reached the end, rows it did not bring are revoked.
 */

static void pull_round (CrmSyncEngine *self);
static gboolean use_prefetch (CrmSyncEngine *self, gint64 cursor);
static void prefetch_drop (CrmSyncEngine *self);

static void
on_aborted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  crm_sync_run_job_finish (CRM_SYNC_ENGINE (source), result, NULL);
}

static gpointer abort_job (CrmSyncEngine *self, gpointer data, GError **error);

static void
pull_idle (CrmSyncEngine *self,
           const GError  *error)
{
  /* A network failure keeps an initial load open for the retry; anything else (a
   * session to sign in again, a refused request) gives the replica back to the user. */
  if (error != NULL && !g_error_matches (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_NETWORK))
    crm_sync_run_job (self, abort_job, NULL, NULL, NULL, on_aborted, NULL);
  prefetch_drop (self);
  self->pull_running = FALSE;
  g_clear_error (&self->pull_error);
  if (error != NULL)
    {
      self->pull_error = g_error_copy (error);
      crm_sync_note_error (self, error);
    }
  else
    {
      g_autofree char *now = crm_time_now ();

      crm_sync_status_set_last_sync (self->status, now);
    }
  crm_sync_update_status (self);
  crm_sync_refresh_counts (self);
  crm_sync_complete_waiters (self->pull_waiters, error);
}

static gboolean
on_pull_timer (gpointer user_data)
{
  CrmSyncEngine *self = user_data;

  self->pull_timer = 0;
  crm_sync_pull_kick (self);
  return G_SOURCE_REMOVE;
}

void
crm_sync_pull_kick (CrmSyncEngine *self)
{
  if (self->pull_running)
    {
      self->pull_again = TRUE;
      return;
    }
  if (self->pull_timer != 0 || self->fatal)
    {
      crm_sync_complete_waiters (self->pull_waiters, self->pull_error);
      return;
    }
  self->pull_running = TRUE;
  self->pull_start = -1;
  crm_sync_update_status (self);
  pull_round (self);
}

void
crm_sync_pull_wait (CrmSyncEngine *self,
                    GTask         *task)
{
  g_ptr_array_add (self->pull_waiters, task);
}

/* ---- the replica side ------------------------------------------------------------- */

typedef struct
{
  gint64 cursor;
  gint64 epoch;
} Position;

static gpointer
position_job (CrmSyncEngine *self,
              gpointer       data,
              GError       **error)
{
  Position *position = g_new0 (Position, 1);

  if (self->loading)
    {
      /* A load under way (resumed after a failed page): its cursor lives here until
       * its commit stores it. */
      if (crm_replica_is_loading (self->replica))
        {
          position->cursor = self->load_cursor;
          position->epoch = self->load_epoch;
          return position;
        }
      self->loading = FALSE;
    }
  if (!crm_replica_get_sync_position (self->replica, &position->cursor, &position->epoch,
                                      error))
    {
      g_free (position);
      return NULL;
    }
  return position;
}

/*
 * A first sync into an empty replica with more than a page to bring takes the fast
 * path: one transaction for the whole download, indexes built once at its end. A kill
 * at any point leaves the replica empty at cursor 0, so the next start begins again.
 * Meanwhile local writes are refused with a clear message (the load holds the write
 * transaction), so a download of one page keeps the ordinary path, and so does a
 * replica with rows or queued ops (an interrupted epoch re-sync, work done offline).
 */
static void
maybe_begin_load (CrmSyncEngine *self,
                  gint64         from,
                  gboolean       has_more)
{
  g_autoptr (GError) local_error = NULL;

  if (self->loading || from != 0 || !has_more || !self->initial_load
      || crm_replica_is_loading (self->replica)
      || crm_replica_outbox_count (self->replica, NULL) != 0)
    return;
  if (crm_replica_initial_load_begin (self->replica, &local_error))
    {
      self->loading = TRUE;
      self->load_cursor = 0;
      self->load_epoch = 0;
    }
  else if (!g_error_matches (local_error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_INVALID))
    g_debug ("pas de chargement initial : %s", local_error->message);
}

void
crm_sync_load_abort (CrmSyncEngine *self)
{
  if (!self->loading)
    return;
  crm_replica_initial_load_abort (self->replica);
  self->loading = FALSE;
  self->load_cursor = 0;
  self->load_epoch = 0;
}

static gpointer
abort_job (CrmSyncEngine *self,
           gpointer       data,
           GError       **error)
{
  crm_sync_load_abort (self);
  return GINT_TO_POINTER (1);
}

typedef struct
{
  GBytes  *body;
  gint64   from;      /* the cursor the page was asked from */
} Page;

typedef struct
{
  gint64   cursor;
  gint64   head;
  gboolean has_more;
  gboolean again;     /* the cursor went back meanwhile: pull again */
  gboolean restart;   /* a new epoch: start again from 0 */
} Applied;

static void
page_free (gpointer data)
{
  Page *page = data;

  g_bytes_unref (page->body);
  g_free (page);
}

/* One page of an initial load: into the load's transaction; its commit after the last. */
static gpointer
apply_load_page (CrmSyncEngine *self,
                 CrmSyncPage   *page,
                 Applied       *applied,
                 GError       **error)
{
  g_autofree Applied *owned = applied;
  GArray *changes = page->changes, *revokes = page->revokes;
  gint64 epoch = page->epoch;

  if (!crm_replica_is_loading (self->replica))
    {
      /* Abandoned under us (a failed statement rolled it back): start again. */
      self->loading = FALSE;
      g_set_error_literal (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_NETWORK,
                           _("Le chargement initial a été interrompu ; il reprend."));
      return NULL;
    }
  if (self->load_epoch != 0 && epoch != self->load_epoch)
    {
      /* The user's view changed during the download: it starts over in the new one. */
      crm_sync_load_abort (self);
      owned->restart = TRUE;
      owned->cursor = 0;
      return g_steal_pointer (&owned);
    }
  self->load_epoch = epoch;

  for (guint i = 0; i < page->conflicts->len; i++)
    {
      /* Written inside the load's transaction: all or nothing with it. */
      if (!crm_sync_apply_conflict (self->replica, g_ptr_array_index (page->conflicts, i), NULL,
                                    error))
        goto failed;
    }
  if (!crm_replica_initial_load_changes (self->replica, (CrmReplicaChange *) changes->data,
                                         changes->len, error)
      || !crm_sync_load_revoke (self->replica, (CrmReplicaRevoke *) revokes->data, revokes->len,
                                error))
    goto failed;
  self->load_cursor = owned->cursor;

  if (!owned->has_more)
    {
      self->loading = FALSE;
      if (!crm_replica_initial_load_commit (self->replica, owned->cursor, epoch, error))
        return NULL;
    }
  return g_steal_pointer (&owned);

failed:
  crm_sync_load_abort (self);
  return NULL;
}

static gpointer
apply_job (CrmSyncEngine *self,
           gpointer       data,
           GError       **error)
{
  Page *page = data;
  g_autoptr (CrmSyncPage) read = NULL;
  g_autofree Applied *applied = g_new0 (Applied, 1);
  GArray *changes, *revokes;
  gint64 local_cursor = 0, local_epoch = 0, epoch;
  gboolean resync = FALSE;

  /* Read on this thread: the one-pass reader costs a fraction of the inserts (a thread
   * of its own for json-glib's tree cost more CPU than it saved, in its allocator). */
  {
    gsize length = 0;
    const char *text = g_bytes_get_data (page->body, &length);

    read = crm_sync_page_parse (text, length, error);
    if (read == NULL)
      return NULL;
  }
  changes = read->changes;
  revokes = read->revokes;
  applied->cursor = read->cursor;
  applied->head = read->head;
  applied->has_more = read->has_more;
  epoch = read->epoch;

  if (!crm_replica_get_sync_position (self->replica, &local_cursor, &local_epoch, error))
    return NULL;
  if (!self->loading && !crm_replica_resync_running (self->replica, &resync, error))
    return NULL;
  if (local_cursor == 0 && !resync && (local_epoch == 0 || epoch == local_epoch))
    maybe_begin_load (self, page->from, applied->has_more);
  if (!self->loading && local_epoch != 0 && epoch != local_epoch)
    {
      /* The user's view changed: start over, keeping the outbox and noting (on the
       * replica, so a restart resumes) what the new view brings, so what it no longer
       * holds can leave at the end. */
      if (!crm_replica_resync_begin (self->replica, epoch, error))
        return NULL;
      applied->restart = TRUE;
      applied->cursor = 0;
      return g_steal_pointer (&applied);
    }

  if (self->loading)
    return apply_load_page (self, read, g_steal_pointer (&applied), error);

  /* Conflicts first, each recorded once: a kill before the page below commits brings
   * them again with it, one after it would lose them (the cursor has passed them). */
  for (guint i = 0; i < read->conflicts->len; i++)
    if (!crm_sync_apply_conflict (self->replica, g_ptr_array_index (read->conflicts, i), NULL,
                                  error))
      return NULL;

  /* A settled op sent the stored cursor back below its row while this page was on its
   * way (crm_sync_settle_refetch): the page still applies, the cursor stays back. */
  if (local_cursor < page->from)
    {
      applied->cursor = local_cursor;
      applied->again = TRUE;
    }
  if (!(resync ? crm_replica_apply_resync_page : crm_replica_apply_pull) (
          self->replica, (CrmReplicaChange *) changes->data, changes->len,
          (CrmReplicaRevoke *) revokes->data, revokes->len, applied->cursor, epoch, error))
    return NULL;

  if (resync && !applied->has_more && !applied->again
      && !crm_replica_resync_finish (self->replica, applied->cursor, epoch, error))
    return NULL;
  return g_steal_pointer (&applied);
}

/* ---- the network side ------------------------------------------------------------- */

static void
pull_failed (CrmSyncEngine *self,
             GError        *error)
{
  if (error->domain == CRM_SYNC_ERROR && error->code == CRM_SYNC_ERROR_NETWORK)
    self->pull_timer = g_timeout_add (crm_sync_backoff_delay (self, ++self->pull_failures),
                                      on_pull_timer, self);
  pull_idle (self, error);
}

static void
on_applied (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  CrmSyncEngine *self = CRM_SYNC_ENGINE (source);
  g_autoptr (GError) error = NULL;
  g_autofree Applied *applied = crm_sync_run_job_finish (self, result, &error);

  if (applied == NULL)
    {
      if (error->domain != CRM_SYNC_ERROR)
        {
          g_autoptr (GError) wrapped = g_error_new (CRM_SYNC_ERROR, CRM_SYNC_ERROR_REPLICA, "%s",
                                                    error->message);
          pull_idle (self, wrapped);
        }
      else
        pull_idle (self, error);
      return;
    }

  self->pull_failures = 0;
  self->cursor = applied->cursor;
  if (applied->restart)
    {
      prefetch_drop (self);
      /* A new epoch is a new role or team: the access follows. */
      crm_sync_fetch_access (self, NULL);
      self->pull_start = 0;
      pull_round (self);
      return;
    }
  if (applied->has_more && self->pull_start >= 0 && applied->head > self->pull_start)
    crm_sync_status_set_progress (self->status,
                                  (double) (applied->cursor - self->pull_start)
                                    / (double) (applied->head - self->pull_start));
  if (applied->has_more && !applied->again && !self->pull_again
      && use_prefetch (self, applied->cursor))
    return;
  prefetch_drop (self);
  if (applied->has_more || applied->again || self->pull_again)
    {
      self->pull_again = FALSE;
      pull_round (self);
      return;
    }
  pull_idle (self, NULL);
}

/* ---- the next page while this one is applied ------------------------------------------ */

static void
prefetch_drop (CrmSyncEngine *self)
{
  self->prefetch_generation++;
  self->prefetch_from = -1;
  self->prefetch_pending = FALSE;
  self->prefetch_wanted = FALSE;
  g_clear_pointer (&self->prefetched, crm_sync_reply_free);
  g_clear_error (&self->prefetch_error);
}

static void take_page (CrmSyncEngine *self, CrmSyncReply *reply, GError *error, gint64 from);

static void
on_prefetched (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  CrmSyncEngine *self = CRM_SYNC_ENGINE (source);
  GError *error = NULL;
  CrmSyncReply *reply = crm_sync_request_finish (self, result, &error);

  if (GPOINTER_TO_UINT (user_data) != self->prefetch_generation)
    {
      /* Dropped meanwhile (the cursor went another way, or the pull ended). */
      g_clear_pointer (&reply, crm_sync_reply_free);
      g_clear_error (&error);
      return;
    }
  self->prefetch_pending = FALSE;
  if (self->prefetch_wanted)
    {
      gint64 from = self->prefetch_from;

      self->prefetch_wanted = FALSE;
      self->prefetch_from = -1;
      take_page (self, reply, error, from);
      return;
    }
  self->prefetched = reply;
  self->prefetch_error = error;
}

static gboolean
header_int (CrmSyncReply *reply,
            const char   *name,
            gint64       *value)
{
  const char *text = reply->headers != NULL
                       ? soup_message_headers_get_one (reply->headers, name) : NULL;
  char *end = NULL;

  if (text == NULL)
    return FALSE;
  *value = g_ascii_strtoll (text, &end, 10);
  return end != text && *end == '\0';
}

/* A page says there is more, and from where: ask for it now, so the network and the
 * server work while the replica applies this one (a first sync halves its time). */
static void
maybe_prefetch (CrmSyncEngine *self,
                CrmSyncReply  *reply,
                gint64         from)
{
  const char *more = reply->headers != NULL
                       ? soup_message_headers_get_one (reply->headers, "X-Alforis-Sync-Has-More")
                       : NULL;
  gint64 next = 0;
  g_autofree char *path = NULL;

  prefetch_drop (self);
  if (g_strcmp0 (more, "true") != 0 || !header_int (reply, "X-Alforis-Sync-Cursor", &next)
      || next <= from)
    return;
  self->prefetch_from = next;
  self->prefetch_pending = TRUE;
  path = g_strdup_printf ("/api/v1/sync/pull?cursor=%" G_GINT64_FORMAT "&limit=%u"
                          "&protocol=%d&app_version=%s",
                          next, self->page_size, CRM_SYNC_PROTOCOL, PACKAGE_VERSION);
  crm_sync_request_async (self, "GET", path, NULL, TRUE, on_prefetched,
                          GUINT_TO_POINTER (self->prefetch_generation));
}

/* After a page: the prefetched one if it starts where that page ended; TRUE if taken
 * (or on its way to be). */
static gboolean
use_prefetch (CrmSyncEngine *self,
              gint64         cursor)
{
  CrmSyncReply *reply;
  GError *error;

  if (self->prefetch_from != cursor || (!self->prefetch_pending && self->prefetched == NULL
                                        && self->prefetch_error == NULL))
    {
      prefetch_drop (self);
      return FALSE;
    }
  if (self->prefetch_pending)
    {
      self->prefetch_wanted = TRUE;
      return TRUE;
    }
  reply = g_steal_pointer (&self->prefetched);
  error = g_steal_pointer (&self->prefetch_error);
  self->prefetch_from = -1;
  take_page (self, reply, error, cursor);
  return TRUE;
}

/* Takes @reply and @error (one of them set): a page from @from, applied on the replica
 * thread. */
static void
take_page (CrmSyncEngine *self,
           CrmSyncReply  *reply_in,
           GError        *error_in,
           gint64         from)
{
  g_autoptr (CrmSyncReply) reply = reply_in;
  g_autoptr (GError) error = error_in;
  Page *page;

  self->cursor = self->pull_from = from;
  if (reply == NULL)
    {
      pull_failed (self, error);
      return;
    }
  if (reply->status != SOUP_STATUS_OK)
    {
      g_autofree char *detail = crm_sync_problem_detail (reply->body, reply->status);

      error = g_error_new_literal (CRM_SYNC_ERROR, CRM_SYNC_ERROR_PROTOCOL, detail);
      pull_idle (self, error);
      return;
    }
  page = g_new0 (Page, 1);
  page->body = g_bytes_ref (reply->body);
  page->from = from;
  crm_sync_run_job (self, apply_job, page, page_free, g_free, on_applied, NULL);
  maybe_prefetch (self, reply, from);
}

static void
on_page (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  CrmSyncEngine *self = CRM_SYNC_ENGINE (source);
  GError *error = NULL;
  CrmSyncReply *reply = crm_sync_request_finish (self, result, &error);

  take_page (self, reply, error, self->pull_from);
}

static void
on_position (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  CrmSyncEngine *self = CRM_SYNC_ENGINE (source);
  g_autoptr (GError) error = NULL;
  g_autofree Position *position = crm_sync_run_job_finish (self, result, &error);
  g_autofree char *path = NULL;

  if (position == NULL)
    {
      g_autoptr (GError) wrapped = g_error_new (CRM_SYNC_ERROR, CRM_SYNC_ERROR_REPLICA, "%s",
                                                error->message);
      pull_idle (self, wrapped);
      return;
    }
  /* Progress is worth showing for a download from the start (first sync, new epoch). */
  if (self->pull_start < 0 && position->cursor == 0)
    self->pull_start = 0;
  self->cursor = self->pull_from = position->cursor;
  path = g_strdup_printf ("/api/v1/sync/pull?cursor=%" G_GINT64_FORMAT "&limit=%u"
                          "&protocol=%d&app_version=%s",
                          position->cursor, self->page_size, CRM_SYNC_PROTOCOL, PACKAGE_VERSION);
  crm_sync_request_async (self, "GET", path, NULL, TRUE, on_page, NULL);
}

static void
pull_round (CrmSyncEngine *self)
{
  self->pull_again = FALSE;
  crm_sync_run_job (self, position_job, NULL, NULL, g_free, on_position, NULL);
}

/* ---- one row again, after a refused op ------------------------------------------------ */

typedef struct
{
  const CrmEntityInfo *entity;
  char                *id;
  GBytes              *body;
} Refetch;

static void
refetch_free (gpointer data)
{
  Refetch *refetch = data;

  g_free (refetch->id);
  g_clear_pointer (&refetch->body, g_bytes_unref);
  g_free (refetch);
}

static gpointer
refresh_job (CrmSyncEngine *self,
             gpointer       data,
             GError       **error)
{
  Refetch *refetch = data;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (CrmRecord) row = NULL;
  CrmReplicaChange change = { 0 };
  gsize length = 0;
  const char *text = g_bytes_get_data (refetch->body, &length);

  root = crm_json_parse_bounded (text, (gssize) length, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_PROTOCOL,
                           _("Le serveur a envoyé une fiche illisible."));
      return NULL;
    }
  row = crm_record_from_json (refetch->entity, json_node_get_object (root), CRM_JSON_NONE, error);
  if (row == NULL)
    return NULL;
  change.kind = refetch->entity->kind;
  change.id = refetch->id;
  change.version = crm_record_get_int (row, "version");
  change.deleted = crm_record_get_bool (row, "deleted");
  change.data = row;
  /* Not during an initial load (it holds the write transaction): its pages bring the
   * row anyway. */
  if (crm_replica_is_loading (self->replica))
    return GINT_TO_POINTER (1);
  return crm_replica_refresh_row (self->replica, &change, error) ? GINT_TO_POINTER (1) : NULL;
}

static void
on_refreshed_row (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr (GError) error = NULL;

  if (crm_sync_run_job_finish (CRM_SYNC_ENGINE (source), result, &error) == NULL)
    g_warning ("fiche non relue : %s", error->message);
}

static void
on_row_fetched (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  CrmSyncEngine *self = CRM_SYNC_ENGINE (source);
  Refetch *refetch = user_data;
  g_autoptr (CrmSyncReply) reply = NULL;
  g_autoptr (GError) error = NULL;

  reply = crm_sync_request_finish (self, result, &error);
  /* 404: out of this user's view (a pull revokes it) or never on the server. A failure
   * leaves the row as it is; the next change to it on the server brings it anyway. */
  if (reply == NULL || reply->status != SOUP_STATUS_OK)
    {
      g_debug ("relecture de %s/%s : %s", refetch->entity->name, refetch->id,
               error != NULL ? error->message : "pas de fiche");
      refetch_free (refetch);
      return;
    }
  refetch->body = g_bytes_ref (reply->body);
  crm_sync_run_job (self, refresh_job, refetch, refetch_free, NULL, on_refreshed_row, NULL);
}

void
crm_sync_refetch_row (CrmSyncEngine *self,
                      const char    *key)
{
  const char *slash = strchr (key, '/');
  g_autofree char *name = slash != NULL ? g_strndup (key, (gsize) (slash - key)) : NULL;
  const CrmEntityInfo *entity = name != NULL ? crm_entity_lookup (name) : NULL;
  g_autofree char *path = NULL;
  Refetch *refetch;

  if (entity == NULL)
    return;
  refetch = g_new0 (Refetch, 1);
  refetch->entity = entity;
  refetch->id = g_strdup (slash + 1);
  /* The collection comes from the static schema table; the id from the replica. */
  path = g_strconcat ("/api/v1/", entity->collection, "/", refetch->id, NULL);
  crm_sync_request_async (self, "GET", path, NULL, TRUE, on_row_fetched, refetch);
}

void
crm_sync_pull_dispose (CrmSyncEngine *self)
{
  /* A prefetched page: not wanted any more. */
  prefetch_drop (self);
}

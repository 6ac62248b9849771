/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-sync-engine-private.h — what the files of the sync engine share: the engine's
 * state, its serial replica worker, its HTTP helper and the two loops.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "crm-replica-sync.h"
#include "crm-sync-engine.h"

G_BEGIN_DECLS

struct _CrmSyncEngine
{
  GObject                  parent_instance;

  CrmReplica              *replica;
  char                    *server_url;
  CrmTokenStore           *tokens;
  CrmSyncStatus           *status;
  SoupSession             *session;
  GThreadPool             *worker;        /* one thread: replica work, in order */
  GCancellable            *cancellable;   /* cancelled on dispose */

  /* Session */
  char                    *access_token;
  gint64                   access_expires; /* monotonic µs */
  char                    *refresh_token;
  char                    *user_id;
  char                    *team_id;
  gboolean                 refreshing;
  GPtrArray               *token_waiters; /* GTask* waiting for a refresh */

  /* Tuning */
  guint                    batch_size;
  guint                    page_size;
  guint                    poll_interval;
  guint                    backoff_min_ms;
  guint                    backoff_max_ms;

  /* Push loop (main loop) */
  gboolean                 push_running;
  gboolean                 push_again;
  guint                    push_failures;
  guint                    push_timer;
  guint                    push_limit;    /* shrinks while a batch is refused whole */
  GPtrArray               *push_waiters;
  GError                  *push_error;
  guint                    reporting;     /* resolutions on their way to the server */

  /* Pull loop (main loop) */
  gboolean                 pull_running;
  gboolean                 pull_again;
  guint                    pull_failures;
  guint                    pull_timer;
  GPtrArray               *pull_waiters;
  GError                  *pull_error;
  gint64                   cursor;        /* as last applied */
  gint64                   pull_from;     /* the cursor of the page asked for */
  gint64                   pull_start;    /* cursor when a long download began */
  gboolean                 fatal;         /* 426: nothing more until the app is updated */
  /* The next page, asked for while this one is applied (X-Alforis-Sync-Cursor) */
  gint64                   prefetch_from; /* -1: none */
  gboolean                 prefetch_pending;
  gboolean                 prefetch_wanted;
  guint                    prefetch_generation;
  struct _CrmSyncReply    *prefetched;
  GError                  *prefetch_error;

  /* Worker-thread only */
  gboolean                 loading;       /* this engine holds the replica's initial load */
  gint64                   load_cursor;   /* the load's cursor (stored only at its commit) */
  gint64                   load_epoch;
  gboolean                 initial_load;  /* may use it (default TRUE) */

  /* Live */
  gboolean                 started;
  guint                    poll_id;
  SoupWebsocketConnection *ws;
  gboolean                 ws_connecting;
  guint                    ws_failures;
  guint                    ws_timer;
  guint                    ws_heartbeat_id;
  gint64                   ws_last_heard;
  GCancellable            *ws_cancellable;

  /* Access (GET /api/v1/me): bumped by each fetch and by logout, so a late answer to
   * an older fetch is dropped. */
  guint                    access_generation;
};

/* ---- crm-sync-engine.c ------------------------------------------------------------ */

typedef gpointer (*CrmSyncJobFunc) (CrmSyncEngine *self,
                                    gpointer       data,
                                    GError       **error);

/* Runs @func on the engine's replica thread, after every job queued before it. */
void      crm_sync_run_job          (CrmSyncEngine       *self,
                                     CrmSyncJobFunc       func,
                                     gpointer             data,
                                     GDestroyNotify       data_free,
                                     GDestroyNotify       result_free,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
gpointer  crm_sync_run_job_finish   (CrmSyncEngine       *self,
                                     GAsyncResult        *result,
                                     GError             **error);

typedef struct _CrmSyncReply
{
  guint               status;
  GBytes             *body;
  SoupMessageHeaders *headers;   /* the response's */
} CrmSyncReply;

void      crm_sync_reply_free       (CrmSyncReply        *reply);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmSyncReply, crm_sync_reply_free)

/*
 * An HTTP request to the server with the access token (refreshed first when needed,
 * and once more after a 401). Transport failures and 5xx are CRM_SYNC_ERROR_NETWORK,
 * 426 is _UPGRADE, a session the server refuses is _UNAUTHORIZED; every other status
 * comes back as a reply. @body: a JSON document or NULL.
 */
void      crm_sync_request_async    (CrmSyncEngine       *self,
                                     const char          *method,
                                     const char          *path,
                                     JsonNode            *body,
                                     gboolean             authenticated,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
CrmSyncReply *crm_sync_request_finish (CrmSyncEngine     *self,
                                     GAsyncResult        *result,
                                     GError             **error);
/* The same, authenticated, but every HTTP status (401 after the one refresh, 426, 5xx)
 * comes back as a reply: for callers that show the server's answer as it is. */
void      crm_sync_request_raw_async (CrmSyncEngine      *self,
                                     const char          *method,
                                     const char          *path,
                                     JsonNode            *body,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
/* ---- crm-sync-session.c ------------------------------------------------------------ */

/* The access token, refreshed when it is about to expire. */
void      crm_sync_token_async      (CrmSyncEngine       *self,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
char     *crm_sync_token_finish     (CrmSyncEngine       *self,
                                     GAsyncResult        *result,
                                     GError             **error);
void      crm_sync_forget_access_token (CrmSyncEngine    *self);

/* ---- crm-sync-engine.c ------------------------------------------------------------ */

/* Jittered exponential back-off for the @failures-th failure in a row, in ms. */
guint     crm_sync_backoff_delay    (CrmSyncEngine       *self,
                                     guint                failures);
/* Recomputes the status object from the loops; @counts (nullable) are fresh counts. */
void      crm_sync_update_status    (CrmSyncEngine       *self);
void      crm_sync_refresh_counts   (CrmSyncEngine       *self);
/* A French sentence for @error, as the status shows it. */
void      crm_sync_note_error       (CrmSyncEngine       *self,
                                     const GError        *error);
char     *crm_sync_problem_detail   (GBytes              *body,
                                     guint                status);

/* ---- crm-sync-push.c / crm-sync-pull.c --------------------------------------------- */

void      crm_sync_push_kick        (CrmSyncEngine       *self);
void      crm_sync_push_wait        (CrmSyncEngine       *self,
                                     GTask               *task);
/* Fetches the row @key ("entity/id") again and applies it as the server has it. */
void      crm_sync_refetch_row      (CrmSyncEngine       *self,
                                     const char          *key);
void      crm_sync_pull_kick        (CrmSyncEngine       *self);
void      crm_sync_pull_wait        (CrmSyncEngine       *self,
                                     GTask               *task);
/* Drops what the pull loop holds ahead (a prefetched page). */
void      crm_sync_pull_dispose     (CrmSyncEngine       *self);
/* Completes every waiter of @waiters with @error (or TRUE). */
void      crm_sync_complete_waiters (GPtrArray           *waiters,
                                     const GError        *error);

/* ---- crm-sync-call.c ---------------------------------------------------------------- */

/* Fetches GET /api/v1/me and sets the status's access from its role and permissions;
 * @task (nullable) completes (always with TRUE) once the status holds the answer. */
void      crm_sync_fetch_access     (CrmSyncEngine       *self,
                                     GTask               *task);

/* ---- crm-sync-ws.c ---------------------------------------------------------------- */

void      crm_sync_ws_connect       (CrmSyncEngine       *self);
void      crm_sync_ws_disconnect    (CrmSyncEngine       *self);

/* ---- crm-sync-apply.c (worker thread) ----------------------------------------------- */

/* Records @conflict (a server conflict object) unless the replica already has it. */
gboolean  crm_sync_apply_conflict   (CrmReplica          *replica,
                                     JsonObject          *conflict,
                                     const char          *op_id,
                                     GError             **error);
/* The oldest @limit ops of the outbox (0: all), marked as sent in one transaction under
 * the replica's lock: an edit made meanwhile can no longer be folded into an op whose
 * fields are already on their way (the server would apply the op without it, and its
 * settle would drop it). */
GPtrArray *crm_sync_take_ops        (CrmReplica          *replica,
                                     guint                limit,
                                     GError             **error);
/* Settles @op_id when the server's row differs from this replica's in more than the op
 * (merged, conflict, or applied under a newer page). In one transaction: the op leaves
 * the outbox, the row's version drops below @version and the stored cursor goes back
 * below it, so the next pull brings the row whole, even after a restart of the app. */
gboolean  crm_sync_settle_refetch   (CrmReplica          *replica,
                                     const char          *op_id,
                                     CrmEntityKind        kind,
                                     const char          *id,
                                     gint64               version,
                                     GError             **error);
/* A push batch's results in one transaction (under the replica's lock until its end):
 * begin, settle the applied and merged ops in order, end. An op the server applied
 * leaves the outbox and its row takes @version, unless the row is already newer; then,
 * as for a merged op, crm_sync_settle_refetch () inside the transaction. */
gboolean  crm_sync_settle_batch_begin (CrmReplica        *replica,
                                     GError             **error);
gboolean  crm_sync_settle_in_batch  (CrmReplica          *replica,
                                     const char          *op_id,
                                     gboolean             applied,
                                     const CrmEntityInfo *entity,
                                     const char          *id,
                                     gint64               version,
                                     GError             **error);
/* Commits (@commit) or rolls back the batch, and lets go of the replica. */
gboolean  crm_sync_settle_batch_end (CrmReplica          *replica,
                                     gboolean             commit,
                                     GError             **error);
/* During an initial load: rows that left the user's view while the load ran (a row
 * loaded from an early page, reassigned before a later one) leave the load. */
gboolean  crm_sync_load_revoke      (CrmReplica          *replica,
                                     const CrmReplicaRevoke *revokes,
                                     guint                n_revokes,
                                     GError             **error);
/* Abandons this engine's initial load, if it holds one (the replica is empty again). */
void      crm_sync_load_abort       (CrmSyncEngine       *self);
/* Unresolved conflicts on the replica, over every entity. */
gint64    crm_sync_count_conflicts  (CrmReplica          *replica);

G_END_DECLS

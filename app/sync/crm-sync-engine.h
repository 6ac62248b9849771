/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-sync-engine.h — the app's sync client (DESIGN.md §4), GTK-free.
 *
 * It signs in against the server (the refresh token kept by a CrmTokenStore), pushes
 * the replica's outbox in batches and pulls pages of remote changes, each page applied
 * with its cursor in one SQLite transaction. Pushing and pulling are independent loops:
 * a download never waits for an upload. Applied and merged ops leave the outbox,
 * conflicts become conflict records on the replica, 4xx refusals go to the rejection
 * inbox, 5xx and network failures retry with jittered exponential back-off. A new
 * epoch re-syncs from cursor 0, keeping the outbox. While started, a WebSocket brings
 * pokes (reconnecting with back-off), a timer pulls, and so does crm_sync_engine_sync_now().
 *
 * Everything runs on the main context of the thread that made the engine; replica
 * work runs on one worker thread of the engine, in order.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "crm-replica.h"
#include "crm-sync-status.h"
#include "crm-token-store.h"

G_BEGIN_DECLS

#define CRM_SYNC_ERROR (crm_sync_error_quark ())

typedef enum
{
  CRM_SYNC_ERROR_NETWORK,        /* the server could not be reached, or answered 5xx */
  CRM_SYNC_ERROR_UNAUTHORIZED,   /* no session, or the server refused it: sign in again */
  CRM_SYNC_ERROR_UPGRADE,        /* 426: this app is too old for the server */
  CRM_SYNC_ERROR_PROTOCOL,       /* an answer the engine cannot read */
  CRM_SYNC_ERROR_REPLICA,        /* the local store failed */
  CRM_SYNC_ERROR_CANCELLED,
  CRM_SYNC_ERROR_REFUSED,        /* a 4xx to crm_sync_engine_call_async(): the message says why */
} CrmSyncError;

GQuark crm_sync_error_quark (void);

#define CRM_TYPE_SYNC_ENGINE (crm_sync_engine_get_type ())
G_DECLARE_FINAL_TYPE (CrmSyncEngine, crm_sync_engine, CRM, SYNC_ENGINE, GObject)

/* @server_url: "https://crm.example.fr" (no trailing /api/v1). */
CrmSyncEngine *crm_sync_engine_new            (CrmReplica          *replica,
                                               const char          *server_url,
                                               CrmTokenStore       *tokens);
CrmSyncStatus *crm_sync_engine_get_status     (CrmSyncEngine       *self);
CrmReplica    *crm_sync_engine_get_replica    (CrmSyncEngine       *self);
const char    *crm_sync_engine_get_server_url (CrmSyncEngine       *self);
/* The signed-in user's id, once known. */
const char    *crm_sync_engine_get_user_id    (CrmSyncEngine       *self);

/* Trust these certificates instead of the system's (a private CA, the tests' own). */
void           crm_sync_engine_set_tls_database (CrmSyncEngine     *self,
                                               GTlsDatabase        *database);
/* Ops per push request (default 100), changes per pull page (default 500). */
void           crm_sync_engine_set_batch_size (CrmSyncEngine       *self,
                                               guint                ops);
void           crm_sync_engine_set_page_size  (CrmSyncEngine       *self,
                                               guint                changes);
/* Whether a first sync into an empty replica (nothing queued) goes through the
 * replica's initial load: one transaction for the whole download, indexes built once
 * at its end (default TRUE). FALSE applies it page by page, each page committed. */
void           crm_sync_engine_set_initial_load (CrmSyncEngine     *self,
                                               gboolean             enabled);
/* Seconds between pulls while started (default 60; 0: no timer). */
void           crm_sync_engine_set_poll_interval (CrmSyncEngine    *self,
                                               guint                seconds);
/* First and largest back-off delay after a failure, in milliseconds (1 s, 5 min). */
void           crm_sync_engine_set_backoff    (CrmSyncEngine       *self,
                                               guint                min_ms,
                                               guint                max_ms);

/* Signs in with e-mail and password; the refresh token goes to the token store. */
void           crm_sync_engine_login_async    (CrmSyncEngine       *self,
                                               const char          *email,
                                               const char          *password,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean       crm_sync_engine_login_finish   (CrmSyncEngine       *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* Live sync: WebSocket pokes, the poll timer, a pull and a push now. */
void           crm_sync_engine_start          (CrmSyncEngine       *self);
void           crm_sync_engine_stop           (CrmSyncEngine       *self);
gboolean       crm_sync_engine_is_connected   (CrmSyncEngine       *self);
/* On demand (the "Synchroniser" button); also what to call after a local edit. */
void           crm_sync_engine_sync_now       (CrmSyncEngine       *self);

/*
 * One full round: push everything queued (until the outbox is empty or a failure
 * stops the push), then pull until the server has nothing more. Fails with the first
 * error met (the other loop still ran).
 */
void           crm_sync_engine_sync_async     (CrmSyncEngine       *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean       crm_sync_engine_sync_finish    (CrmSyncEngine       *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/*
 * Signs out: the live sync stops, the refresh token is revoked on the server (when it
 * answers) and forgotten by the token store, and the status's access goes back to
 * "no account" (role NULL). The replica and its outbox stay.
 */
void           crm_sync_engine_logout_async   (CrmSyncEngine       *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean       crm_sync_engine_logout_finish  (CrmSyncEngine       *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/*
 * Any authenticated REST call (the administration pages): @path as "/api/v1/users",
 * @body a JSON document or NULL. The session's access token is used (refreshed first
 * when needed, and once more after a 401). A 2xx gives its parsed body (NULL for 204 or
 * an empty body, without error); any other status fails with a GError whose message is
 * the server's French detail (or title): CRM_SYNC_ERROR_REFUSED for a 4xx,
 * _UNAUTHORIZED for a 401, _UPGRADE for 426, _NETWORK for a 5xx or no answer. @status
 * (nullable) gets the HTTP status, 0 when there was no answer.
 */
void           crm_sync_engine_call_async     (CrmSyncEngine       *self,
                                               const char          *method,
                                               const char          *path,
                                               JsonNode            *body,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
JsonNode      *crm_sync_engine_call_finish    (CrmSyncEngine       *self,
                                               GAsyncResult        *result,
                                               guint               *status,
                                               GError             **error);

G_END_DECLS

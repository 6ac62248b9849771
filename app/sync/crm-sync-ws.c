/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-sync"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-json.h"
#include "crm-sync-engine-private.h"

/*
 * The live link (DESIGN.md §4 "Live"): a WebSocket to /api/v1/ws with the access token,
 * a pull whenever a poke names a cursor past ours, heartbeats both ways, and a
 * reconnection with jittered exponential back-off whenever it drops. Without it the
 * poll timer still pulls: this only makes changes arrive sooner.
 */

#define HEARTBEAT_SECONDS 20
#define MAX_MESSAGE       (64 * 1024)

static void ws_schedule_reconnect (CrmSyncEngine *self);

static gboolean
on_reconnect_timer (gpointer user_data)
{
  CrmSyncEngine *self = user_data;

  self->ws_timer = 0;
  crm_sync_ws_connect (self);
  return G_SOURCE_REMOVE;
}

static void
ws_drop (CrmSyncEngine *self)
{
  g_clear_handle_id (&self->ws_heartbeat_id, g_source_remove);
  if (self->ws != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->ws, self);
      if (soup_websocket_connection_get_state (self->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (self->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_clear_object (&self->ws);
    }
}

static void
ws_schedule_reconnect (CrmSyncEngine *self)
{
  ws_drop (self);
  if (!self->started || self->ws_timer != 0)
    return;
  self->ws_timer = g_timeout_add (crm_sync_backoff_delay (self, ++self->ws_failures),
                                  on_reconnect_timer, self);
}

static void
on_ws_message (SoupWebsocketConnection *conn,
               gint                     type,
               GBytes                  *message,
               gpointer                 user_data)
{
  CrmSyncEngine *self = user_data;
  g_autoptr (JsonNode) root = NULL;
  JsonObject *object;
  const char *kind;
  gsize length = 0;
  const char *data = g_bytes_get_data (message, &length);

  self->ws_last_heard = g_get_monotonic_time ();
  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    return;
  root = crm_json_parse_bounded (data, (gssize) length, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  object = json_node_get_object (root);
  kind = json_object_get_string_member_with_default (object, "type", "");
  if (g_str_equal (kind, "poke")
      && json_object_get_int_member_with_default (object, "cursor", 0) > self->cursor)
    crm_sync_pull_kick (self);
  else if (g_str_equal (kind, "notification"))
    crm_sync_pull_kick (self);
}

static void
on_ws_closed (SoupWebsocketConnection *conn,
              gpointer                 user_data)
{
  CrmSyncEngine *self = user_data;
  gushort code = soup_websocket_connection_get_close_code (conn);

  g_debug ("WebSocket fermé (%u)", code);
  /* The server ends a socket whose token expired: the next one gets a fresh token. */
  if (code == 4401 || code == 4402)
    crm_sync_forget_access_token (self);
  ws_schedule_reconnect (self);
}

static gboolean
on_ws_heartbeat (gpointer user_data)
{
  CrmSyncEngine *self = user_data;

  if (self->ws == NULL)
    return G_SOURCE_CONTINUE;
  if (g_get_monotonic_time () - self->ws_last_heard > 3 * HEARTBEAT_SECONDS * G_USEC_PER_SEC)
    {
      /* Silent for three beats: the link is dead even if TCP has not noticed. */
      self->ws_heartbeat_id = 0;
      ws_schedule_reconnect (self);
      return G_SOURCE_REMOVE;
    }
  soup_websocket_connection_send_text (self->ws, "{\"type\":\"heartbeat\"}");
  return G_SOURCE_CONTINUE;
}

static void
on_ws_connected (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CrmSyncEngine *self = user_data;
  g_autoptr (GError) error = NULL;
  SoupWebsocketConnection *conn;

  conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  self->ws_connecting = FALSE;
  if (conn == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_debug ("WebSocket : %s", error->message);
          /* A refused upgrade is most often an access token that just expired. */
          crm_sync_forget_access_token (self);
          ws_schedule_reconnect (self);
        }
      g_object_unref (self);
      return;
    }
  if (!self->started)
    {
      soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_object_unref (conn);
      g_object_unref (self);
      return;
    }
  self->ws = conn;
  self->ws_failures = 0;
  self->ws_last_heard = g_get_monotonic_time ();
  soup_websocket_connection_set_max_incoming_payload_size (conn, MAX_MESSAGE);
  g_signal_connect (conn, "message", G_CALLBACK (on_ws_message), self);
  g_signal_connect (conn, "closed", G_CALLBACK (on_ws_closed), self);
  self->ws_heartbeat_id = g_timeout_add_seconds (HEARTBEAT_SECONDS, on_ws_heartbeat, self);
  /* Whatever happened while we were away. */
  crm_sync_pull_kick (self);
  g_object_unref (self);
}

static void
on_ws_token (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  CrmSyncEngine *self = CRM_SYNC_ENGINE (source);
  g_autoptr (GError) error = NULL;
  g_autofree char *token = crm_sync_token_finish (self, result, &error);
  g_autofree char *url = NULL;
  g_autofree char *authorization = NULL;
  g_autoptr (SoupMessage) msg = NULL;

  if (token == NULL || !self->started)
    {
      self->ws_connecting = FALSE;
      if (token == NULL && !g_error_matches (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_UNAUTHORIZED))
        ws_schedule_reconnect (self);
      return;
    }
  url = g_strconcat (self->server_url, "/api/v1/ws", NULL);
  msg = soup_message_new ("GET", url);
  if (msg == NULL)
    {
      self->ws_connecting = FALSE;
      return;
    }
  authorization = g_strconcat ("Bearer ", token, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                authorization);
  soup_session_websocket_connect_async (self->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        self->ws_cancellable, on_ws_connected,
                                        g_object_ref (self));
}

void
crm_sync_ws_connect (CrmSyncEngine *self)
{
  if (!self->started || self->ws != NULL || self->ws_connecting)
    return;
  self->ws_connecting = TRUE;
  if (self->ws_cancellable == NULL)
    self->ws_cancellable = g_cancellable_new ();
  crm_sync_token_async (self, on_ws_token, NULL);
}

void
crm_sync_ws_disconnect (CrmSyncEngine *self)
{
  g_clear_handle_id (&self->ws_timer, g_source_remove);
  if (self->ws_cancellable != NULL)
    {
      g_cancellable_cancel (self->ws_cancellable);
      g_clear_object (&self->ws_cancellable);
    }
  self->ws_connecting = FALSE;
  ws_drop (self);
}

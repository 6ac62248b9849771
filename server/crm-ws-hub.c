/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-ws"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-json.h"
#include "crm-notify-listener.h"
#include "crm-request.h"
#include "crm-ws-hub.h"

/*
 * One hub per server process, on the main loop. The hub remembers the last change
 * sequence it has looked at (`processed`) and the highest one it knows committed
 * (`wanted`, from NOTIFY or from the counter after a reconnection). One pool job at a
 * time reads the change log between the two — who could see each change before and
 * after — and each client whose actor sees one of them gets a poke. Nothing of the
 * rows themselves goes through here: the client pulls, and the pull checks again.
 */

#define FETCH_LIMIT       1000
#define RETRY_SECONDS     1

struct _CrmWsHub
{
  CrmApi            *api;
  CrmDbPool         *pool;
  GPtrArray         *clients;    /* of Client*, each a GRcBox */
  CrmNotifyListener *listener;
  gint64             processed;  /* -1 until the counter was read once */
  gint64             wanted;
  gboolean           fetching;
  gboolean           shut_down;
  guint              heartbeat_seconds;
  guint              heartbeat_id;
  guint              retry_id;
};

typedef struct
{
  CrmWsHub                *hub;     /* borrowed; valid while the client is in hub->clients */
  SoupWebsocketConnection *conn;
  CrmJwtClaims            *claims;
  CrmActor                *actor;   /* NULL until loaded: no pokes before */
  gint64                   last_poked;
  gint64                   last_heard;
  gboolean                 closed;
} Client;

/* One row of the change log as far as visibility goes. */
typedef struct
{
  gint64  seq;
  char   *entity;
  char   *before[3];  /* owner, team, assignee */
  char   *after[3];
} Change;

static void hub_fetch (CrmWsHub *self);

/* When the last pool job that held the hub has reported back. */
static void
hub_clear (gpointer data)
{
  CrmWsHub *self = data;

  g_clear_pointer (&self->clients, g_ptr_array_unref);
}

static void
hub_release (CrmWsHub *self)
{
  g_rc_box_release_full (self, hub_clear);
}

/* ---- clients ------------------------------------------------------------------------ */

static void
client_clear (gpointer data)
{
  Client *client = data;

  if (client->conn != NULL)
    g_signal_handlers_disconnect_by_data (client->conn, client);
  g_clear_object (&client->conn);
  g_clear_pointer (&client->claims, crm_jwt_claims_free);
  g_clear_pointer (&client->actor, crm_actor_free);
}

static void
client_release (gpointer data)
{
  g_rc_box_release_full (data, client_clear);
}

static void
client_send (Client     *client,
             const char *type,
             gint64      cursor)
{
  g_autofree char *text = NULL;

  if (client->closed
      || soup_websocket_connection_get_state (client->conn) != SOUP_WEBSOCKET_STATE_OPEN)
    return;
  if (cursor >= 0)
    text = g_strdup_printf ("{\"type\":\"%s\",\"cursor\":%" G_GINT64_FORMAT "}", type, cursor);
  else
    text = g_strdup_printf ("{\"type\":\"%s\"}", type);
  soup_websocket_connection_send_text (client->conn, text);
}

static void
client_close (Client     *client,
              gushort     code,
              const char *reason)
{
  if (client->closed)
    return;
  client->closed = TRUE;
  if (soup_websocket_connection_get_state (client->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (client->conn, code, reason);
}

static void
on_client_closed (SoupWebsocketConnection *conn,
                  gpointer                 user_data)
{
  Client *client = user_data;

  client->closed = TRUE;
  /* The array's reference goes: the client is freed once no job holds it. */
  g_ptr_array_remove_fast (client->hub->clients, client);
}

static void
on_client_message (SoupWebsocketConnection *conn,
                   gint                     type,
                   GBytes                  *message,
                   gpointer                 user_data)
{
  Client *client = user_data;
  g_autoptr (JsonNode) root = NULL;
  gsize length = 0;
  const char *data = g_bytes_get_data (message, &length);

  client->last_heard = g_get_monotonic_time ();
  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      client_close (client, SOUP_WEBSOCKET_CLOSE_UNSUPPORTED_DATA,
                    _("Seuls des messages JSON texte sont acceptés."));
      return;
    }
  root = crm_json_parse_bounded (data, (gssize) length, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      client_close (client, SOUP_WEBSOCKET_CLOSE_BAD_DATA, _("Message JSON invalide."));
      return;
    }
  /* A heartbeat only proves the client alive (done above); other types are for later
   * protocols and ignored, so an app newer than this server is not cut off. */
}

typedef struct
{
  CrmJwtClaims *claims;
} LoadJob;

static gpointer
load_actor_job (PGconn       *conn,
                gpointer      job_data,
                GCancellable *cancellable,
                GError      **error)
{
  LoadJob *job = job_data;

  return crm_api_load_actor (conn, job->claims, NULL, error);
}

static void
load_job_free (gpointer data)
{
  LoadJob *job = data;

  crm_jwt_claims_free (job->claims);
  g_free (job);
}

static void
on_actor_loaded (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Client *client = user_data;
  g_autoptr (GError) error = NULL;
  CrmActor *actor = crm_db_pool_run_finish (NULL, result, &error);
  CrmWsHub *hub = client->hub;

  if (client->closed || hub == NULL || hub->shut_down)
    {
      g_clear_pointer (&actor, crm_actor_free);
      client_release (client);
      return;
    }
  if (actor == NULL)
    {
      g_message ("WebSocket refusé après connexion : %s", error->message);
      client_close (client, CRM_WS_CLOSE_UNAUTHORIZED, _("Session expirée ; reconnectez-vous."));
      client_release (client);
      return;
    }
  client->actor = actor;
  /* A client that missed pokes while it was away learns where the server is. */
  client_send (client, "poke", MAX (hub->processed, 0));
  client->last_poked = MAX (hub->processed, 0);
  client_release (client);
}

/* The dispatcher does not route /api/v1/ws: the token is checked here, before the
 * handshake, so a refused upgrade is an ordinary 401 problem. */
static void
ws_precheck (SoupServer        *soup,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  CrmWsHub *self = user_data;
  g_autoptr (GError) error = NULL;
  CrmJwtClaims *claims;

  crm_request_set_route (msg, "/api/v1/ws");
  claims = crm_api_verify_bearer (self->api, msg, &error);
  if (claims == NULL)
    {
      crm_api_respond_error (msg, error);
      return;
    }
  crm_request_set_user (msg, claims->sub);
  g_object_set_data_full (G_OBJECT (msg), "crm-ws-claims", claims,
                          (GDestroyNotify) crm_jwt_claims_free);
}

static void
ws_connected (SoupServer              *soup,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *conn,
              gpointer                 user_data)
{
  CrmWsHub *self = user_data;
  CrmJwtClaims *claims = g_object_steal_data (G_OBJECT (msg), "crm-ws-claims");
  Client *client;
  LoadJob *job;

  if (claims == NULL || self->shut_down)
    {
      g_clear_pointer (&claims, crm_jwt_claims_free);
      soup_websocket_connection_close (conn, CRM_WS_CLOSE_UNAUTHORIZED, NULL);
      return;
    }

  client = g_rc_box_new0 (Client);
  client->hub = self;
  client->conn = g_object_ref (conn);
  client->claims = claims;
  client->last_heard = g_get_monotonic_time ();
  client->last_poked = -1;
  soup_websocket_connection_set_max_incoming_payload_size (conn, CRM_WS_MAX_MESSAGE);
  soup_websocket_connection_set_keepalive_interval (conn, 0);
  g_signal_connect (conn, "message", G_CALLBACK (on_client_message), client);
  g_signal_connect (conn, "closed", G_CALLBACK (on_client_closed), client);
  g_ptr_array_add (self->clients, client);

  job = g_new0 (LoadJob, 1);
  job->claims = crm_jwt_claims_copy (claims);
  crm_db_pool_run (self->pool, load_actor_job, job, load_job_free, NULL, on_actor_loaded,
                   g_rc_box_acquire (client));
}

/* ---- heartbeats ------------------------------------------------------------------- */

static gboolean
heartbeat_tick (gpointer user_data)
{
  CrmWsHub *self = user_data;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 idle_limit = 3 * (gint64) self->heartbeat_seconds * G_USEC_PER_SEC;
  g_autoptr (GPtrArray) clients = g_ptr_array_copy (self->clients, NULL, NULL);

  /* A copy keeps the original's free function: this one must not release. */
  g_ptr_array_set_free_func (clients, NULL);
  for (guint i = 0; i < clients->len; i++)
    {
      Client *client = g_ptr_array_index (clients, i);

      if (client->claims->exp <= now)
        client_close (client, CRM_WS_CLOSE_TOKEN_EXPIRED,
                      _("Jeton d’accès expiré ; reconnectez-vous avec un nouveau jeton."));
      else if (g_get_monotonic_time () - client->last_heard > idle_limit)
        client_close (client, CRM_WS_CLOSE_IDLE, _("Aucun signe de vie du client."));
      else
        client_send (client, "heartbeat", -1);
    }
  return G_SOURCE_CONTINUE;
}

/* ---- commits ----------------------------------------------------------------------- */

static void
change_free (gpointer data)
{
  Change *change = data;

  g_free (change->entity);
  for (guint i = 0; i < 3; i++)
    {
      g_free (change->before[i]);
      g_free (change->after[i]);
    }
  g_free (change);
}

typedef struct
{
  gint64 from;
  gint64 to;
} FetchJob;

static char *
value_or_null (PGresult *result,
               int       row,
               int       column)
{
  return PQgetisnull (result, row, column) ? NULL
                                           : g_strdup (PQgetvalue (result, row, column));
}

static gpointer
fetch_job (PGconn       *conn,
           gpointer      job_data,
           GCancellable *cancellable,
           GError      **error)
{
  FetchJob *job = job_data;
  g_autofree char *from = g_strdup_printf ("%" G_GINT64_FORMAT, job->from);
  g_autofree char *to = g_strdup_printf ("%" G_GINT64_FORMAT, job->to);
  const char *params[] = { from, to };
  PGresult *result;
  GPtrArray *changes;

  result = PQexecParams (conn,
                         "SELECT seq, entity, owner_before::text, team_before::text,"
                         " assignee_before::text, owner_after::text, team_after::text,"
                         " assignee_after::text FROM change_log"
                         " WHERE seq > $1::bigint AND seq <= $2::bigint ORDER BY seq"
                         " LIMIT " G_STRINGIFY (FETCH_LIMIT),
                         2, NULL, params, NULL, NULL, 0);
  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    {
      g_set_error (error, CRM_DB_POOL_ERROR, CRM_DB_POOL_ERROR_QUERY, "%s",
                   PQresultErrorMessage (result));
      PQclear (result);
      return NULL;
    }

  changes = g_ptr_array_new_with_free_func (change_free);
  for (int i = 0; i < PQntuples (result); i++)
    {
      Change *change = g_new0 (Change, 1);

      change->seq = g_ascii_strtoll (PQgetvalue (result, i, 0), NULL, 10);
      change->entity = g_strdup (PQgetvalue (result, i, 1));
      for (int k = 0; k < 3; k++)
        {
          change->before[k] = value_or_null (result, i, 2 + k);
          change->after[k] = value_or_null (result, i, 5 + k);
        }
      g_ptr_array_add (changes, change);
    }
  PQclear (result);
  return changes;
}

/* The rule of the pull (crm-pg-pull.c): readable entity, and the row visible to the
 * actor before or after the change (after: a change; before only: a revoke). */
static gboolean
actor_sees (const CrmActor *actor,
            const Change   *change)
{
  const CrmEntityInfo *entity = crm_entity_lookup (change->entity);
  CrmViewer viewer = { actor->user_id, actor->team_id, actor->scope };
  CrmResource resource;

  if (entity == NULL)
    return FALSE;
  if (entity->kind == CRM_ENTITY_NOTIFICATION)
    return g_strcmp0 (change->before[2], actor->user_id) == 0
           || g_strcmp0 (change->after[2], actor->user_id) == 0;
  if (!crm_resource_from_string (entity->resource, &resource)
      || !crm_permission_allows (&actor->matrix, actor->role, resource, CRM_ACTION_READ))
    return FALSE;
  return crm_row_visible (&viewer, change->before[0], change->before[1], change->before[2])
         || crm_row_visible (&viewer, change->after[0], change->after[1], change->after[2]);
}

static void
poke_clients (CrmWsHub  *self,
              GPtrArray *changes)
{
  for (guint i = 0; i < self->clients->len; i++)
    {
      Client *client = g_ptr_array_index (self->clients, i);
      gint64 highest = -1;

      if (client->actor == NULL)
        continue;
      for (guint k = 0; k < changes->len; k++)
        {
          const Change *change = g_ptr_array_index (changes, k);

          if (change->seq > highest && actor_sees (client->actor, change))
            highest = change->seq;
        }
      if (highest > client->last_poked)
        {
          client->last_poked = highest;
          client_send (client, "poke", highest);
        }
    }
}

static gboolean
retry_fetch (gpointer user_data)
{
  CrmWsHub *self = user_data;

  self->retry_id = 0;
  hub_fetch (self);
  return G_SOURCE_REMOVE;
}

static void
on_fetched (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  CrmWsHub *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) changes = crm_db_pool_run_finish (NULL, result, &error);

  self->fetching = FALSE;
  if (self->shut_down)
    {
      hub_release (self);
      return;
    }
  if (changes == NULL)
    {
      g_debug ("lecture du journal des changements : %s", error->message);
      if (self->retry_id == 0)
        self->retry_id = g_timeout_add_seconds (RETRY_SECONDS, retry_fetch, self);
      hub_release (self);
      return;
    }

  poke_clients (self, changes);
  if (changes->len == FETCH_LIMIT)
    self->processed = ((Change *) g_ptr_array_index (changes, changes->len - 1))->seq;
  else
    self->processed = MAX (self->processed, self->wanted);
  hub_fetch (self);
  hub_release (self);
}

static void
hub_fetch (CrmWsHub *self)
{
  FetchJob *job;

  if (self->shut_down || self->fetching || self->processed < 0
      || self->wanted <= self->processed)
    return;
  self->fetching = TRUE;
  job = g_new0 (FetchJob, 1);
  job->from = self->processed;
  job->to = self->wanted;
  crm_db_pool_run (self->pool, fetch_job, job, g_free, NULL, on_fetched, g_rc_box_acquire (self));
}

static void
on_notified (gint64   seq,
             gpointer user_data)
{
  CrmWsHub *self = user_data;

  self->wanted = MAX (self->wanted, seq);
  hub_fetch (self);
}

static gpointer
counter_job (PGconn       *conn,
             gpointer      job_data,
             GCancellable *cancellable,
             GError      **error)
{
  PGresult *result = PQexec (conn, "SELECT seq FROM sync_counter WHERE id = 1");
  gint64 *seq = NULL;

  if (PQresultStatus (result) == PGRES_TUPLES_OK && PQntuples (result) == 1)
    {
      seq = g_new (gint64, 1);
      *seq = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
    }
  else
    g_set_error (error, CRM_DB_POOL_ERROR, CRM_DB_POOL_ERROR_QUERY, "%s",
                 PQresultErrorMessage (result));
  PQclear (result);
  return seq;
}

static void on_listening (gpointer user_data);

static gboolean
retry_listening (gpointer user_data)
{
  CrmWsHub *self = user_data;

  self->retry_id = 0;
  on_listening (self);
  return G_SOURCE_REMOVE;
}

static void
on_counter (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  CrmWsHub *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree gint64 *seq = crm_db_pool_run_finish (NULL, result, &error);

  if (!self->shut_down && seq == NULL)
    {
      g_clear_handle_id (&self->retry_id, g_source_remove);
      self->retry_id = g_timeout_add_seconds (RETRY_SECONDS, retry_listening, self);
    }
  else if (!self->shut_down)
    {
      /* The first time there is nothing to catch up on: clients get the position when
       * they connect. After a reconnection, what committed meanwhile is poked now. */
      if (self->processed < 0)
        self->processed = *seq;
      self->wanted = MAX (self->wanted, *seq);
      hub_fetch (self);
    }
  hub_release (self);
}

static void
on_listening (gpointer user_data)
{
  CrmWsHub *self = user_data;

  crm_db_pool_run (self->pool, counter_job, NULL, NULL, NULL, on_counter,
                   g_rc_box_acquire (self));
}

/* ---- lifecycle ----------------------------------------------------------------------- */

static guint
heartbeat_from_environment (void)
{
  const char *text = g_getenv ("ALFORIS_WS_HEARTBEAT");
  guint64 value = 0;

  if (text != NULL && g_ascii_string_to_unsigned (text, 10, 1, 3600, &value, NULL))
    return (guint) value;
  return CRM_WS_HEARTBEAT_SECONDS;
}

CrmWsHub *
crm_ws_hub_new (CrmApi *api)
{
  CrmWsHub *self = g_rc_box_new0 (CrmWsHub);
  SoupServer *soup = crm_api_get_soup (api);

  self->api = api;
  self->pool = crm_api_get_pool (api);
  self->clients = g_ptr_array_new_with_free_func (client_release);
  self->processed = -1;
  self->heartbeat_seconds = heartbeat_from_environment ();
  self->heartbeat_id = g_timeout_add_seconds (self->heartbeat_seconds, heartbeat_tick, self);

  soup_server_add_handler (soup, "/api/v1/ws", ws_precheck, self, NULL);
  soup_server_add_websocket_handler (soup, "/api/v1/ws", NULL, NULL, ws_connected, self, NULL);
  self->listener = crm_notify_listener_new (crm_api_get_config (api)->database_url,
                                            "crm_changes", on_notified, on_listening, self);
  return self;
}

void
crm_ws_hub_free (CrmWsHub *self)
{
  g_autoptr (GPtrArray) clients = NULL;

  if (self == NULL)
    return;

  self->shut_down = TRUE;
  g_clear_pointer (&self->listener, crm_notify_listener_free);
  g_clear_handle_id (&self->heartbeat_id, g_source_remove);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  clients = g_steal_pointer (&self->clients);
  self->clients = g_ptr_array_new ();
  for (guint i = 0; i < clients->len; i++)
    {
      Client *client = g_ptr_array_index (clients, i);

      g_signal_handlers_disconnect_by_data (client->conn, client);
      client_close (client, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, _("Serveur en cours d’arrêt."));
    }
  hub_release (self);
}

guint
crm_ws_hub_get_n_clients (CrmWsHub *self)
{
  return self->clients->len;
}

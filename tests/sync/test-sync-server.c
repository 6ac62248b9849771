/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sync-server"

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <locale.h>

#include "crm-uuid.h"
#include "sync-harness.h"

/*
 * The sync endpoints on the wire, without the engine: idempotent and concurrent
 * replays, RBAC op by op, the protocol check, pull paging.
 */

static SyncCluster *cluster;
static SoupSession *session;
static char *team;
static guint users;

static JsonObject *
call (const char *method,
      const char *path,
      const char *token,
      const char *body,
      guint      *status)
{
  g_autofree char *url = g_strconcat (sync_cluster_url (cluster, 0), path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) reply = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  gsize length = 0;
  const char *data;

  if (token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    value);
    }
  if (body != NULL)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  data = g_bytes_get_data (reply, &length);
  if (length == 0 || !json_parser_load_from_data (parser, data, (gssize) length, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return json_object_new ();
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static char *
login (CrmRole role)
{
  g_autofree char *email = g_strdup_printf ("s%u@alforis.test", ++users);
  g_autofree char *id = sync_cluster_add_user (cluster, email, role, team);
  g_autofree char *body = g_strdup_printf ("{\"email\":\"%s\",\"password\":\"%s\"}", email,
                                           SYNC_TEST_PASSWORD);
  guint status = 0;
  g_autoptr (JsonObject) reply = call ("POST", "/api/v1/auth/login", NULL, body, &status);

  g_assert_cmpuint (status, ==, 200);
  return g_strdup (json_object_get_string_member (reply, "access_token"));
}

static char *
push_body (int         protocol,
           const char *client,
           const char *op_id,
           const char *id,
           const char *name)
{
  return g_strdup_printf ("{\"protocol\":%d,\"app_version\":\"0.1.0\",\"client_id\":\"%s\","
                          "\"ops\":[{\"op_id\":\"%s\",\"entity\":\"organisation\",\"id\":\"%s\","
                          "\"kind\":\"create\",\"base_version\":0,\"fields\":{\"name\":\"%s\"}}]}",
                          protocol, client, op_id, id, name);
}

static JsonObject *
first_result (JsonObject *reply)
{
  return json_array_get_object_element (json_object_get_array_member (reply, "results"), 0);
}

typedef struct
{
  const char *token;
  const char *body;
  guint       status;
  char       *result;
} Racer;

static gpointer
race (gpointer data)
{
  Racer *racer = data;
  g_autoptr (SoupSession) own = soup_session_new ();
  g_autofree char *url = g_strconcat (sync_cluster_url (cluster, 0), "/api/v1/sync/push", NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("POST", url);
  g_autofree char *value = g_strconcat ("Bearer ", racer->token, NULL);
  g_autoptr (GBytes) body = g_bytes_new (racer->body, strlen (racer->body));
  g_autoptr (GBytes) reply = NULL;

  soup_session_set_tls_database (own, sync_cluster_tls (cluster));
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  reply = soup_session_send_and_read (own, msg, NULL, NULL);
  racer->status = soup_message_get_status (msg);
  racer->result = reply != NULL ? g_strndup (g_bytes_get_data (reply, NULL),
                                             g_bytes_get_size (reply)) : NULL;
  return NULL;
}

static void
test_duplicated_pushes (void)
{
  g_autofree char *token = login (CRM_ROLE_MANAGER);
  g_autofree char *op_id = crm_uuid7_new ();
  g_autofree char *id = crm_uuid7_new ();
  g_autofree char *body = push_body (CRM_SYNC_PROTOCOL, "dup-client", op_id, id, "Doublon SA");
  g_autofree char *count = NULL;
  Racer racers[4] = { { 0 } };
  GThread *threads[4];
  guint status = 0, applied = 0;
  g_autoptr (JsonObject) replay = NULL;

  /* The same request four times at once (a client that retried too eagerly). */
  for (guint i = 0; i < 4; i++)
    {
      racers[i].token = token;
      racers[i].body = body;
      threads[i] = g_thread_new ("racer", race, &racers[i]);
    }
  for (guint i = 0; i < 4; i++)
    g_thread_join (threads[i]);
  for (guint i = 0; i < 4; i++)
    {
      if (racers[i].status == 200 && strstr (racers[i].result, "\"applied\"") != NULL)
        applied++;
      else
        g_assert_cmpuint (racers[i].status, ==, 503);  /* lost the race: retry later */
      g_free (racers[i].result);
    }
  g_assert_cmpuint (applied, >=, 1);

  /* Replayed afterwards: the stored result, nothing written. */
  replay = call ("POST", "/api/v1/sync/push", token, body, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (first_result (replay), "status"), ==,
                   "applied");
  count = sync_cluster_value (cluster, "SELECT count (*) FROM change_log WHERE entity_id = $1::uuid",
                              id);
  g_assert_cmpstr (count, ==, "1");
}

static void
test_viewer_rejected_op_by_op (void)
{
  g_autofree char *token = login (CRM_ROLE_VIEWER);
  g_autofree char *a = crm_uuid7_new ();
  g_autofree char *b = crm_uuid7_new ();
  g_autofree char *ida = crm_uuid7_new ();
  g_autofree char *idb = crm_uuid7_new ();
  g_autofree char *body = g_strdup_printf (
    "{\"protocol\":%d,\"app_version\":\"0.1.0\",\"client_id\":\"viewer-app\",\"ops\":["
    "{\"op_id\":\"%s\",\"entity\":\"organisation\",\"id\":\"%s\",\"kind\":\"create\","
    "\"base_version\":0,\"fields\":{\"name\":\"Lecture seule\"}},"
    "{\"op_id\":\"%s\",\"entity\":\"organisation\",\"id\":\"%s\",\"kind\":\"create\","
    "\"base_version\":0,\"fields\":{\"name\":\"Encore\"}},"
    "{\"op_id\":\"pas-un-uuid\",\"entity\":\"organisation\",\"kind\":\"create\"}]}",
    CRM_SYNC_PROTOCOL, a, ida, b, idb);
  guint status = 0;
  g_autoptr (JsonObject) reply = call ("POST", "/api/v1/sync/push", token, body, &status);
  JsonArray *results;

  g_assert_cmpuint (status, ==, 200);
  results = json_object_get_array_member (reply, "results");
  g_assert_cmpuint (json_array_get_length (results), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *result = json_array_get_object_element (results, i);
      JsonObject *problem = json_object_get_object_member (result, "problem");

      g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "rejected");
      g_assert_cmpint (json_object_get_int_member (problem, "status"), ==, i < 2 ? 403 : 400);
    }
}

/* An app edits a row it has just created before the create's answer came back: the
 * edit's base version is 0, and the create is its own earlier op, not someone else's. */
static void
test_update_behind_own_create (void)
{
  g_autofree char *token = login (CRM_ROLE_USER);
  g_autofree char *create = crm_uuid7_new ();
  g_autofree char *update = crm_uuid7_new ();
  g_autofree char *id = crm_uuid7_new ();
  g_autofree char *body = g_strdup_printf (
    "{\"protocol\":%d,\"app_version\":\"0.1.0\",\"client_id\":\"own-create\",\"ops\":["
    "{\"op_id\":\"%s\",\"entity\":\"organisation\",\"id\":\"%s\",\"kind\":\"create\","
    "\"base_version\":0,\"fields\":{\"name\":\"Neuve\"}},"
    "{\"op_id\":\"%s\",\"entity\":\"organisation\",\"id\":\"%s\",\"kind\":\"update\","
    "\"base_version\":0,\"fields\":{\"city\":\"Rennes\"}}]}",
    CRM_SYNC_PROTOCOL, create, id, update, id);
  guint status = 0;
  g_autoptr (JsonObject) reply = call ("POST", "/api/v1/sync/push", token, body, &status);
  JsonArray *results;
  g_autofree char *city = NULL;

  g_assert_cmpuint (status, ==, 200);
  results = json_object_get_array_member (reply, "results");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 0),
                                                  "status"), ==, "applied");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 1),
                                                  "status"), ==, "merged");
  city = sync_cluster_value (cluster, "SELECT city FROM organisations WHERE id = $1::uuid", id);
  g_assert_cmpstr (city, ==, "Rennes");
}

static void
test_old_protocol_426 (void)
{
  g_autofree char *token = login (CRM_ROLE_USER);
  g_autofree char *op_id = crm_uuid7_new ();
  g_autofree char *id = crm_uuid7_new ();
  g_autofree char *body = push_body (0, "old-app", op_id, id, "Ancienne");
  guint status = 0;
  g_autoptr (JsonObject) push = call ("POST", "/api/v1/sync/push", token, body, &status);
  g_autoptr (JsonObject) pull = NULL;
  g_autoptr (JsonObject) current = NULL;

  g_assert_cmpuint (status, ==, 426);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (push, "type"),
                                   "upgrade-required"));
  g_assert_nonnull (strstr (json_object_get_string_member (push, "detail"), "Mettez"));

  pull = call ("GET", "/api/v1/sync/pull?cursor=0", token, NULL, &status);
  g_assert_cmpuint (status, ==, 426);
  current = call ("GET", "/api/v1/sync/pull?cursor=0&protocol=" G_STRINGIFY (CRM_SYNC_PROTOCOL),
                  token, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (json_object_has_member (current, "epoch"));
}

static void
test_pull_pages (void)
{
  g_autofree char *token = login (CRM_ROLE_MANAGER);
  gint64 cursor = 0;
  guint pages = 0, rows = 0;
  gboolean more = TRUE;

  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *op_id = crm_uuid7_new ();
      g_autofree char *id = crm_uuid7_new ();
      g_autofree char *name = g_strdup_printf ("Paginée %u", i);
      g_autofree char *body = push_body (CRM_SYNC_PROTOCOL, "pager", op_id, id, name);
      guint status = 0;
      g_autoptr (JsonObject) reply = call ("POST", "/api/v1/sync/push", token, body, &status);

      g_assert_cmpuint (status, ==, 200);
    }
  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/sync/pull?cursor=%" G_GINT64_FORMAT
                                               "&limit=5&protocol=%d&app_version=t", cursor,
                                               CRM_SYNC_PROTOCOL);
      guint status = 0;
      g_autoptr (JsonObject) page = call ("GET", path, token, NULL, &status);

      g_assert_cmpuint (status, ==, 200);
      g_assert_cmpint (json_object_get_int_member (page, "cursor"), >=, cursor);
      cursor = json_object_get_int_member (page, "cursor");
      rows += json_array_get_length (json_object_get_array_member (page, "changes"));
      more = json_object_get_boolean_member (page, "has_more");
      /* Where the download ends: past every page but the last, which reaches it. */
      if (more)
        g_assert_cmpint (json_object_get_int_member (page, "head"), >, cursor);
      else
        g_assert_cmpint (json_object_get_int_member (page, "head"), ==, cursor);
      pages++;
    }
  g_assert_cmpuint (pages, >=, 3);
  g_assert_cmpuint (rows, >=, 12);
}

/* A user who sees few rows of a long log: each page reads a bounded window of it
 * (empty pages say has_more), the download still brings exactly that user's rows, and
 * the headers name the next page's cursor. */
static void
test_pull_sparse_windows (void)
{
  g_autofree char *mine = login (CRM_ROLE_USER);
  g_autofree char *other = login (CRM_ROLE_USER);
  g_autoptr (GHashTable) own = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 cursor = 0, counter;
  guint pages = 0, empty_with_more = 0;
  gboolean more = TRUE;
  g_autofree char *counter_text = NULL;

  for (guint i = 0; i < 60; i++)
    {
      /* One row of the user's among every twenty of someone else's. */
      const char *token = i % 20 == 7 ? mine : other;
      g_autofree char *op_id = crm_uuid7_new ();
      g_autofree char *id = crm_uuid7_new ();
      g_autofree char *name = g_strdup_printf ("Clairsemée %u", i);
      g_autofree char *body = push_body (CRM_SYNC_PROTOCOL, token == mine ? "mine" : "other",
                                         op_id, id, name);
      guint status = 0;
      g_autoptr (JsonObject) reply = call ("POST", "/api/v1/sync/push", token, body, &status);

      g_assert_cmpuint (status, ==, 200);
      if (token == mine)
        g_hash_table_add (own, g_strdup (id));
    }
  counter_text = sync_cluster_value (cluster, "SELECT seq::text FROM sync_counter", NULL);
  counter = g_ascii_strtoll (counter_text, NULL, 10);

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/sync/pull?cursor=%" G_GINT64_FORMAT
                                               "&limit=2&protocol=%d&app_version=t", cursor,
                                               CRM_SYNC_PROTOCOL);
      g_autofree char *url = g_strconcat (sync_cluster_url (cluster, 0), path, NULL);
      g_autofree char *value = g_strconcat ("Bearer ", mine, NULL);
      g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
      g_autoptr (GBytes) bytes = NULL;
      g_autoptr (JsonParser) parser = json_parser_new ();
      JsonObject *page;
      JsonArray *changes;
      gint64 next;

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    value);
      bytes = soup_session_send_and_read (session, msg, NULL, NULL);
      g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
      g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                                 (gssize) g_bytes_get_size (bytes), NULL));
      page = json_node_get_object (json_parser_get_root (parser));
      next = json_object_get_int_member (page, "cursor");
      more = json_object_get_boolean_member (page, "has_more");
      /* At most four pages of the log read, whatever the filter kept. */
      g_assert_cmpint (next, >, cursor);
      g_assert_cmpint (next - cursor, <=, 4 * 2);
      g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                     "X-Alforis-Sync-Has-More"), ==,
                       more ? "true" : "false");
      g_assert_cmpint (g_ascii_strtoll (soup_message_headers_get_one (
                         soup_message_get_response_headers (msg), "X-Alforis-Sync-Cursor"),
                         NULL, 10), ==, next);
      changes = json_object_get_array_member (page, "changes");
      if (json_array_get_length (changes) == 0 && more)
        empty_with_more++;
      for (guint i = 0; i < json_array_get_length (changes); i++)
        g_hash_table_add (seen, g_strdup (json_object_get_string_member (
                                  json_array_get_object_element (changes, i), "id")));
      cursor = next;
      pages++;
    }
  g_assert_cmpint (cursor, >=, counter);
  g_assert_cmpuint (empty_with_more, >, 0);
  g_assert_cmpuint (pages, >=, 8);
  /* Exactly the user's own rows. */
  g_assert_cmpuint (g_hash_table_size (seen), ==, g_hash_table_size (own));
  {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, own);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      g_assert_true (g_hash_table_contains (seen, key));
  }
}

int
main (int    argc,
      char **argv)
{
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/server/duplicated-pushes", test_duplicated_pushes);
  g_test_add_func ("/sync/server/viewer-rejected-op-by-op", test_viewer_rejected_op_by_op);
  g_test_add_func ("/sync/server/update-behind-own-create", test_update_behind_own_create);
  g_test_add_func ("/sync/server/old-protocol-426", test_old_protocol_426);
  g_test_add_func ("/sync/server/pull-pages", test_pull_pages);
  g_test_add_func ("/sync/server/pull-sparse-windows", test_pull_sparse_windows);

  cluster = sync_cluster_new (1);
  team = sync_cluster_add_team (cluster, "Équipe Nantes");
  session = soup_session_new ();
  soup_session_set_tls_database (session, sync_cluster_tls (cluster));
  status = g_test_run ();
  g_object_unref (session);
  g_free (team);
  sync_cluster_free (cluster);
  return status;
}

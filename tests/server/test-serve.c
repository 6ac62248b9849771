/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-serve"

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "crm-test-pg.h"
#include "crm-test-server.h"

/* One cluster for the whole file; each test starts its own server against it. */
static CrmTestPg *pg;

typedef struct
{
  guint       status;
  char       *content_type;
  char       *request_id;
  char       *allow;
  GBytes     *body;
  JsonObject *json;  /* when the body is a JSON object */
} Reply;

static void
reply_clear (Reply *reply)
{
  g_free (reply->content_type);
  g_free (reply->request_id);
  g_free (reply->allow);
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_pointer (&reply->json, json_object_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Reply, reply_clear)

static void
parse_json (Reply *reply)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  gsize length = 0;
  const char *data = g_bytes_get_data (reply->body, &length);

  if (length > 0 && json_parser_load_from_data (parser, data, length, NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    reply->json = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
on_wrote_body (gint *written)
{
  g_atomic_int_set (written, TRUE);
}

/* Sends one request and fills @reply; fails the test on a transport error. @written
 * (nullable) turns TRUE, from the sending thread, once the whole request is out. */
static void
request_full (CrmTestServer *server,
              SoupSession   *session,
              const char    *method,
              const char    *path,
              GBytes        *body,
              const char    *request_id,
              gint          *written,
              Reply         *reply)
{
  g_autofree char *url = g_strconcat (crm_test_server_get_url (server), path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_autoptr (GError) error = NULL;
  SoupMessageHeaders *headers;

  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, "application/octet-stream", body);
  if (request_id != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Request-Id",
                                  request_id);
  if (written != NULL)
    g_signal_connect_swapped (msg, "wrote-body", G_CALLBACK (on_wrote_body), written);
  reply->body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);

  headers = soup_message_get_response_headers (msg);
  reply->status = soup_message_get_status (msg);
  reply->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  reply->request_id = g_strdup (soup_message_headers_get_one (headers, "X-Request-Id"));
  reply->allow = g_strdup (soup_message_headers_get_one (headers, "Allow"));
  parse_json (reply);
}

static void
request (CrmTestServer *server,
         SoupSession   *session,
         const char    *method,
         const char    *path,
         GBytes        *body,
         const char    *request_id,
         Reply         *reply)
{
  request_full (server, session, method, path, body, request_id, NULL, reply);
}

static CrmTestServer *
start_server (CrmTestServerFlags flags,
              const char        *extra_config)
{
  g_autoptr (GError) error = NULL;
  CrmTestServer *server = crm_test_server_start (crm_test_pg_get_conninfo (pg), flags,
                                                 extra_config, &error);

  g_assert_no_error (error);
  return server;
}

static void
assert_problem (Reply      *reply,
                guint       status,
                const char *slug)
{
  g_autofree char *type = g_strconcat ("https://crm.alforis.fr/problems/", slug, NULL);

  g_assert_cmpuint (reply->status, ==, status);
  g_assert_cmpstr (reply->content_type, ==, "application/problem+json");
  g_assert_nonnull (reply->json);
  g_assert_cmpstr (json_object_get_string_member (reply->json, "type"), ==, type);
  g_assert_cmpint (json_object_get_int_member (reply->json, "status"), ==, status);
  g_assert_nonnull (json_object_get_string_member (reply->json, "title"));
  g_assert_cmpstr (json_object_get_string_member (reply->json, "request_id"), ==,
                   reply->request_id);
}

static void
test_health_ok_over_tls (void)
{
  g_autoptr (CrmTestServer) server = start_server (CRM_TEST_SERVER_DEFAULT, NULL);
  g_autoptr (SoupSession) session = crm_test_server_new_session (server);
  g_auto (Reply) reply = { 0 };
  JsonObject *database;

  g_assert_true (g_str_has_prefix (crm_test_server_get_url (server), "https://"));
  request (server, session, "GET", "/health", NULL, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_cmpstr (reply.content_type, ==, "application/json");
  g_assert_nonnull (reply.request_id);
  g_assert_cmpstr (json_object_get_string_member (reply.json, "status"), ==, "ok");
  database = json_object_get_object_member (json_object_get_object_member (reply.json, "checks"),
                                            "database");
  g_assert_cmpstr (json_object_get_string_member (database, "status"), ==, "ok");
}

/* A client that does not trust the certificate gets no answer at all. */
static void
test_untrusted_certificate_refused (void)
{
  g_autoptr (CrmTestServer) server = start_server (CRM_TEST_SERVER_DEFAULT, NULL);
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (crm_test_server_get_url (server), "/health", NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = soup_session_send_and_read (session, msg, NULL, &error);

  g_assert_null (body);
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
}

static void
test_plain_http_to_tls_port_fails (void)
{
  g_autoptr (CrmTestServer) server = start_server (CRM_TEST_SERVER_DEFAULT, NULL);
  g_autoptr (SoupSession) session = crm_test_server_new_session (server);
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/health",
                                          crm_test_server_get_port (server));
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = soup_session_send_and_read (session, msg, NULL, &error);
  g_auto (Reply) reply = { 0 };

  g_assert_true (body == NULL || soup_message_get_status (msg) >= 400);
  /* ... and the server shrugs it off. */
  request (server, session, "GET", "/health", NULL, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
}

static void
test_unknown_route_is_problem_json (void)
{
  g_autoptr (CrmTestServer) server = start_server (CRM_TEST_SERVER_DEFAULT, NULL);
  g_autoptr (SoupSession) session = crm_test_server_new_session (server);
  g_auto (Reply) reply = { 0 };

  request (server, session, "GET", "/nowhere/at/all", NULL, NULL, &reply);
  assert_problem (&reply, 404, "not-found");
}

static void
test_health_refuses_post (void)
{
  g_autoptr (CrmTestServer) server = start_server (CRM_TEST_SERVER_DEFAULT, NULL);
  g_autoptr (SoupSession) session = crm_test_server_new_session (server);
  g_autoptr (GBytes) body = g_bytes_new_static ("{}", 2);
  g_auto (Reply) reply = { 0 };

  request (server, session, "POST", "/health", body, NULL, &reply);
  assert_problem (&reply, 405, "method-not-allowed");
  g_assert_cmpstr (reply.allow, ==, "GET, HEAD");
}

static void
test_body_over_limit_is_413 (void)
{
  g_autoptr (CrmTestServer) server = start_server (CRM_TEST_SERVER_DEFAULT,
                                                   "[server]\nbody-limit=1KiB\n");
  g_autoptr (SoupSession) session = crm_test_server_new_session (server);
  g_autofree char *big = g_strnfill (4096, 'x');
  g_autoptr (GBytes) body = g_bytes_new (big, 4096);
  g_autoptr (GBytes) small = g_bytes_new (big, 1000);
  g_auto (Reply) refused = { 0 };
  g_auto (Reply) accepted = { 0 };

  request (server, session, "POST", "/nowhere", body, NULL, &refused);
  assert_problem (&refused, 413, "payload-too-large");
  /* Under the limit the request goes on to routing, which has nothing there. */
  request (server, session, "POST", "/nowhere", small, NULL, &accepted);
  g_assert_cmpuint (accepted.status, ==, 404);
}

/* No Content-Length: the limit is enforced while the chunks arrive. */
static void
test_chunked_body_over_limit_is_413 (void)
{
  g_autoptr (CrmTestServer) server = start_server (CRM_TEST_SERVER_DEFAULT,
                                                   "[server]\nbody-limit=1KiB\n");
  g_autoptr (SoupSession) session = crm_test_server_new_session (server);
  g_autofree char *url = g_strconcat (crm_test_server_get_url (server), "/nowhere", NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("POST", url);
  g_autofree char *big = g_strnfill (8192, 'y');
  g_autoptr (GInputStream) stream = g_memory_input_stream_new_from_data (big, 8192, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = NULL;

  soup_message_set_request_body (msg, "application/octet-stream", stream, -1);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 413);
}

static gboolean
log_has_line (const char *log,
              const char *request_id,
              const char *status)
{
  g_auto (GStrv) lines = g_strsplit (log, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      JsonObject *object;

      if (!json_parser_load_from_data (parser, lines[i], -1, NULL))
        continue;
      object = json_node_get_object (json_parser_get_root (parser));
      if (g_strcmp0 (json_object_get_string_member_with_default (object, "request_id", ""),
                     request_id) == 0
          && g_strcmp0 (json_object_get_string_member_with_default (object, "http_status", ""),
                        status) == 0
          && g_strcmp0 (json_object_get_string_member_with_default (object, "route", ""),
                        "/health") == 0)
        return TRUE;
    }
  return FALSE;
}

static void
test_request_logged_with_request_id (void)
{
  g_autoptr (CrmTestServer) server = start_server (CRM_TEST_SERVER_DEFAULT, NULL);
  g_autoptr (SoupSession) session = crm_test_server_new_session (server);
  g_auto (Reply) reply = { 0 };
  g_autofree char *log = NULL;

  request (server, session, "GET", "/health?access_token=should-not-be-logged", NULL,
           "proxy-id-42", &reply);
  g_assert_cmpstr (reply.request_id, ==, "proxy-id-42");
  g_assert_cmpint (WEXITSTATUS (crm_test_server_stop (server, SIGTERM, 15)), ==, 0);

  log = crm_test_server_read_log (server);
  g_assert_true (log_has_line (log, "proxy-id-42", "200"));
  g_assert_null (strstr (log, "should-not-be-logged"));
  g_assert_null (strstr (log, crm_test_server_get_secret (server)));
}

static void
test_hostile_request_id_replaced (void)
{
  g_autoptr (CrmTestServer) server = start_server (CRM_TEST_SERVER_DEFAULT, NULL);
  g_autoptr (SoupSession) session = crm_test_server_new_session (server);
  g_auto (Reply) reply = { 0 };

  request (server, session, "GET", "/health", NULL, "a b\"c<script>", &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_cmpstr (reply.request_id, !=, "a b\"c<script>");
  g_assert_true (g_uuid_string_is_valid (reply.request_id));
}

/* Exit status 0, or the server's log on stderr to say why not. */
static void
assert_exited_cleanly (CrmTestServer *server,
                       int            status)
{
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    {
      g_autofree char *log = crm_test_server_read_log (server);

      g_printerr ("statut %d ; journal du serveur :\n%s\n", status, log);
    }
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
}

/* Poll: the server may need a request or two to notice the database changed. */
static guint
health_status_within (CrmTestServer *server,
                      SoupSession   *session,
                      guint          wanted,
                      guint          seconds)
{
  guint status = 0;

  for (guint i = 0; i < seconds * 5 && status != wanted; i++)
    {
      g_auto (Reply) reply = { 0 };

      if (i > 0)
        g_usleep (G_USEC_PER_SEC / 5);
      request (server, session, "GET", "/health", NULL, NULL, &reply);
      status = reply.status;
      if (status == 503)
        assert_problem (&reply, 503, "unavailable");
    }
  return status;
}

static void
test_health_follows_database (void)
{
  g_autoptr (CrmTestServer) server = start_server (CRM_TEST_SERVER_DEFAULT, NULL);
  g_autoptr (SoupSession) session = crm_test_server_new_session (server);
  g_autoptr (GError) error = NULL;

  g_assert_cmpuint (health_status_within (server, session, 200, 5), ==, 200);
  crm_test_pg_take_down (pg, &error);
  g_assert_no_error (error);
  /* The pooled connection notices the shutdown: the very first check says so. */
  g_assert_cmpuint (health_status_within (server, session, 503, 1), ==, 503);
  crm_test_pg_bring_up (pg, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (health_status_within (server, session, 200, 10), ==, 200);
}

static void
test_development_serves_plain_http (void)
{
  g_autoptr (CrmTestServer) server = start_server (CRM_TEST_SERVER_PLAIN_HTTP, NULL);
  g_autoptr (SoupSession) session = crm_test_server_new_session (server);
  g_auto (Reply) reply = { 0 };

  g_assert_true (g_str_has_prefix (crm_test_server_get_url (server), "http://"));
  request (server, session, "GET", "/health", NULL, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
}

static void
test_sigterm_exits_cleanly (void)
{
  g_autoptr (CrmTestServer) server = start_server (CRM_TEST_SERVER_DEFAULT, NULL);
  g_autofree char *log = NULL;
  int status = crm_test_server_stop (server, SIGTERM, 15);

  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  log = crm_test_server_read_log (server);
  g_assert_nonnull (strstr (log, "Serveur arrêté"));
}

typedef struct
{
  CrmTestServer *server;
  gint           written;
  Reply          reply;
} SlowRequest;

static gpointer
send_in_thread (gpointer data)
{
  SlowRequest *slow = data;
  g_autoptr (SoupSession) session = crm_test_server_new_session (slow->server);

  request_full (slow->server, session, "GET", "/health", NULL, "in-flight", &slow->written,
                &slow->reply);
  return NULL;
}

/* In flight for sure before a signal, however slow the TLS handshake (ASan, a busy
 * machine): the request is out, and the server reads it a moment later; /health then
 * waits 3 s for the frozen database. */
static void
wait_until_in_flight (SlowRequest *slow)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!g_atomic_int_get (&slow->written) && g_get_monotonic_time () < deadline)
    g_usleep (G_USEC_PER_SEC / 100);
  g_assert_true (g_atomic_int_get (&slow->written));
  g_usleep (G_USEC_PER_SEC / 4);
}

/*
 * With PostgreSQL frozen, /health waits for its timeout: SIGTERM meanwhile must let it
 * finish, turn new requests away with 503, and exit 0 afterwards (once the bounded wait
 * for the stuck database work is over).
 */
static void
test_sigterm_finishes_requests_in_flight (void)
{
  g_autoptr (CrmTestServer) server = start_server (CRM_TEST_SERVER_DEFAULT, NULL);
  g_autoptr (SoupSession) session = crm_test_server_new_session (server);
  SlowRequest slow = { server, FALSE, { 0 } };
  g_auto (Reply) warm = { 0 };
  g_auto (Reply) late = { 0 };
  g_autofree char *log = NULL;
  GThread *thread;
  int status;

  /* The late request goes out on this kept-alive connection: no TLS handshake to wait
   * for while the server drains (under ASan on a busy machine one can outlast it). */
  request (server, session, "GET", "/health", NULL, NULL, &warm);
  g_assert_cmpuint (warm.status, ==, 200);
  crm_test_pg_freeze (pg, TRUE);
  thread = g_thread_new ("slow-request", send_in_thread, &slow);
  wait_until_in_flight (&slow);
  kill (crm_test_server_get_pid (server), SIGTERM);
  g_usleep (G_USEC_PER_SEC / 5);
  request (server, session, "GET", "/health", NULL, NULL, &late);
  g_thread_join (thread);
  status = crm_test_server_stop (server, SIGTERM, 30);
  crm_test_pg_freeze (pg, FALSE);

  assert_problem (&late, 503, "unavailable");
  assert_problem (&slow.reply, 503, "unavailable");
  g_assert_cmpstr (slow.reply.request_id, ==, "in-flight");
  log = crm_test_server_read_log (server);
  g_assert_nonnull (strstr (log, "fin des 1 requêtes en cours"));
  assert_exited_cleanly (server, status);
  reply_clear (&slow.reply);
}

/*
 * PostgreSQL frozen while a query runs (every process of the cluster stopped, so the
 * pooled connection hangs in the middle of SELECT 1): SIGTERM still ends the server,
 * after the drain and a bounded wait for the database, with status 0.
 */
static void
test_sigterm_with_database_frozen (void)
{
  /* One connection, so the frozen request surely gets the one the first check opened. */
  g_autoptr (CrmTestServer) server = start_server (CRM_TEST_SERVER_DEFAULT,
                                                   "[database]\npool-size=1\n");
  g_autoptr (SoupSession) session = crm_test_server_new_session (server);
  SlowRequest slow = { server, FALSE, { 0 } };
  g_auto (Reply) warm = { 0 };
  g_autofree char *log = NULL;
  GThread *thread;
  gint64 started;
  int status;

  /* A first check connects the pool, so the next one hangs in the query, not in connect. */
  request (server, session, "GET", "/health", NULL, NULL, &warm);
  g_assert_cmpuint (warm.status, ==, 200);

  crm_test_pg_freeze (pg, TRUE);
  thread = g_thread_new ("slow-request", send_in_thread, &slow);
  wait_until_in_flight (&slow);
  started = g_get_monotonic_time ();
  status = crm_test_server_stop (server, SIGTERM, 30);
  g_thread_join (thread);
  crm_test_pg_freeze (pg, FALSE);

  assert_problem (&slow.reply, 503, "unavailable");
  assert_exited_cleanly (server, status);
  /* Drain (the 3 s health timeout) plus the 5 s wait for the database, not forever. */
  g_assert_cmpint (g_get_monotonic_time () - started, <, 15 * G_USEC_PER_SEC);
  log = crm_test_server_read_log (server);
  g_assert_nonnull (strstr (log, "PostgreSQL ne répond pas"));
  reply_clear (&slow.reply);
}

/* Runs the binary to completion with the configuration of @server. */
static int
run_serve_sync (const char *config_path,
                char      **err)
{
  const char *argv[] = { crm_test_server_binary (), "serve", "--config", config_path, NULL };
  g_autoptr (GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, err,
                &status, &error);
  g_assert_no_error (error);
  return status;
}

static void
test_port_in_use_fails_to_start (void)
{
  g_autoptr (CrmTestServer) server = start_server (CRM_TEST_SERVER_DEFAULT, NULL);
  g_autofree char *err = NULL;
  g_autofree char *port = g_strdup_printf ("%u", crm_test_server_get_port (server));
  int status = run_serve_sync (crm_test_server_get_config_path (server), &err);

  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 1);
  g_assert_nonnull (strstr (err, port));
}

static void
test_invalid_config_refuses_to_start (void)
{
  g_autoptr (CrmTestServer) server = start_server (CRM_TEST_SERVER_NO_WAIT,
                                                   "[auth]\naccess-token-ttl=3600\n");
  int status = crm_test_server_stop (server, 0, 15);
  g_autofree char *log = crm_test_server_read_log (server);

  /* Signal 0 only waits: the server must have exited on its own, with status 1. */
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 1);
  g_assert_nonnull (strstr (log, "[auth] access-token-ttl"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  int result;

  g_test_init (&argc, &argv, NULL);

  pg = crm_test_pg_start (&error);
  g_assert_no_error (error);

  g_test_add_func ("/server/serve/health-ok-over-tls", test_health_ok_over_tls);
  g_test_add_func ("/server/serve/untrusted-certificate-refused",
                   test_untrusted_certificate_refused);
  g_test_add_func ("/server/serve/plain-http-to-tls-port-fails",
                   test_plain_http_to_tls_port_fails);
  g_test_add_func ("/server/serve/unknown-route-is-problem-json",
                   test_unknown_route_is_problem_json);
  g_test_add_func ("/server/serve/health-refuses-post", test_health_refuses_post);
  g_test_add_func ("/server/serve/body-over-limit-is-413", test_body_over_limit_is_413);
  g_test_add_func ("/server/serve/chunked-body-over-limit-is-413",
                   test_chunked_body_over_limit_is_413);
  g_test_add_func ("/server/serve/request-logged-with-request-id",
                   test_request_logged_with_request_id);
  g_test_add_func ("/server/serve/hostile-request-id-replaced", test_hostile_request_id_replaced);
  g_test_add_func ("/server/serve/health-follows-database", test_health_follows_database);
  g_test_add_func ("/server/serve/development-serves-plain-http",
                   test_development_serves_plain_http);
  g_test_add_func ("/server/serve/sigterm-exits-cleanly", test_sigterm_exits_cleanly);
  g_test_add_func ("/server/serve/sigterm-finishes-requests-in-flight",
                   test_sigterm_finishes_requests_in_flight);
  g_test_add_func ("/server/serve/sigterm-with-database-frozen",
                   test_sigterm_with_database_frozen);
  g_test_add_func ("/server/serve/port-in-use-fails-to-start", test_port_in_use_fails_to_start);
  g_test_add_func ("/server/serve/invalid-config-refuses-to-start",
                   test_invalid_config_refuses_to_start);

  result = g_test_run ();
  crm_test_pg_stop (pg);
  return result;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-api-ops"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "api-test-util.h"

/* /metrics, /api/v1/openapi.json, who may read them, and a graceful SIGTERM. */

static ApiFixture fixture;

static void
test_metrics_text (void)
{
  g_autofree char *token = api_login (&fixture, "root@alforis.fr", NULL);
  g_auto (Reply) reply = { 0 };
  g_autofree char *text = NULL;

  api_request (&fixture, "GET", "/api/v1/organisations", token, NULL, &reply, NULL);
  g_assert_cmpuint (reply.status, ==, 200);
  api_request (&fixture, "GET", "/metrics", NULL, NULL, &reply, NULL);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_true (g_str_has_prefix (reply.content_type, "text/plain"));
  text = g_strndup (g_bytes_get_data (reply.body, NULL), g_bytes_get_size (reply.body));
  g_assert_nonnull (strstr (text, "# TYPE alforis_http_requests_total counter"));
  g_assert_nonnull (strstr (text, "alforis_http_requests_total{method=\"GET\","
                                  "route=\"/api/v1/organisations\",status=\"200\"} 1"));
  g_assert_nonnull (strstr (text, "alforis_http_requests_total{method=\"POST\","
                                  "route=\"/api/v1/auth/login\",status=\"200\"}"));
  g_assert_nonnull (strstr (text, "# TYPE alforis_http_request_duration_seconds histogram"));
  g_assert_nonnull (strstr (text, "alforis_http_request_duration_seconds_bucket{method=\"GET\","
                                  "route=\"/api/v1/organisations\",le=\"+Inf\"} 1"));
  g_assert_nonnull (strstr (text, "alforis_db_pool_connections{state=\"total\"}"));
  /* Route templates, never raw paths with ids or tokens. */
  g_assert_null (strstr (text, token));
}

/* Through a proxy on the same host the request is not "local": a token is needed, and an
 * administrator's. */
static void
test_metrics_behind_proxy_needs_admin (void)
{
  g_autofree char *admin = api_login (&fixture, "root@alforis.fr", NULL);
  g_autofree char *user = api_login (&fixture, "alice@alforis.fr", NULL);
  g_auto (Reply) reply = { 0 };

  api_request (&fixture, "GET", "/metrics", NULL, NULL, &reply, "X-Forwarded-For",
               "203.0.113.9", NULL);
  assert_problem (&reply, 401);
  api_request (&fixture, "GET", "/metrics", user, NULL, &reply, "X-Forwarded-For",
               "203.0.113.9", NULL);
  assert_problem (&reply, 403);
  api_request (&fixture, "GET", "/metrics", admin, NULL, &reply, "X-Forwarded-For",
               "203.0.113.9", NULL);
  g_assert_cmpuint (reply.status, ==, 200);
  api_request (&fixture, "GET", "/api/v1/openapi.json", user, NULL, &reply, "X-Forwarded-For",
               "203.0.113.9", NULL);
  assert_problem (&reply, 403);
}

static void
test_openapi_document (void)
{
  g_auto (Reply) reply = { 0 };
  JsonObject *paths;

  api_request (&fixture, "GET", "/api/v1/openapi.json", NULL, NULL, &reply, NULL);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_cmpstr (reply_string (&reply, "openapi"), ==, "3.1.0");
  paths = json_object_get_object_member (reply.json, "paths");
  g_assert_true (json_object_has_member (paths, "/api/v1/auth/login"));
  g_assert_true (json_object_has_member (paths, "/api/v1/organisations/{id}"));
  g_assert_true (json_object_has_member (paths, "/api/v1/search"));
}

static void
test_method_not_allowed (void)
{
  g_autofree char *token = api_login (&fixture, "root@alforis.fr", NULL);
  g_auto (Reply) reply = { 0 };

  api_request (&fixture, "PUT", "/api/v1/me", token, "{}", &reply, NULL);
  assert_problem (&reply, 405);
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GBytes **body = user_data;
  g_autoptr (GError) error = NULL;

  *body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
}

static void
on_wrote_body (gboolean *written)
{
  *written = TRUE;
}

/* SIGTERM while a login (≈ 100 ms of scrypt) is in flight: it is answered, then exit 0. */
static void
test_sigterm_finishes_in_flight (void)
{
  g_autofree char *url = g_strconcat (crm_test_server_get_url (fixture.server),
                                      "/api/v1/auth/login", NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("POST", url);
  g_autofree char *body = g_strdup_printf ("{\"email\": \"alice@alforis.fr\", \"password\": "
                                           "\"%s\"}", API_PASSWORD);
  g_autoptr (GBytes) request = g_bytes_new (body, strlen (body));
  g_autoptr (GBytes) answer = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  int status;

  g_auto (Reply) warm = { 0 };
  gboolean written = FALSE;
  gint64 sent;

  /* A kept-alive connection first, so the login goes out at once, no handshake. */
  api_request (&fixture, "GET", "/health", NULL, NULL, &warm, NULL);
  g_assert_cmpuint (warm.status, ==, 200);
  soup_message_set_request_body_from_bytes (msg, "application/json", request);
  g_signal_connect_swapped (msg, "wrote-body", G_CALLBACK (on_wrote_body), &written);
  soup_session_send_and_read_async (fixture.session, msg, G_PRIORITY_DEFAULT, NULL, on_sent,
                                    &answer);
  while (!written && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  /* The server has it a moment later, and spends about 100 ms in scrypt (more under ASan). */
  sent = g_get_monotonic_time ();
  while (g_get_monotonic_time () < sent + 40 * 1000)
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (answer);
  kill (crm_test_server_get_pid (fixture.server), SIGTERM);
  while (answer == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_assert_nonnull (answer);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  /* Signal 0: no second SIGTERM, which could land after the handlers are gone. */
  status = crm_test_server_stop (fixture.server, 0, 15);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    {
      g_autofree char *log = crm_test_server_read_log (fixture.server);

      /* Why it did not exit cleanly (a sanitizer report, a crash) is in its log. */
      g_test_message ("statut %d ; journal du serveur :\n%s", status, log != NULL ? log : "");
    }
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
}

/* PostgreSQL restarts under a running server: while it is down an API request gets a
 * problem+json 503, never a hang or a crash; once it is back every pooled connection
 * (and its prepared statements) is replaced, and reads and writes work again with the
 * same token, the list included (its statement is prepared anew per connection). */
static void
test_database_restart_reconnects (void)
{
  g_autofree char *token = api_login (&fixture, "root@alforis.fr", NULL);
  g_autoptr (GError) error = NULL;
  g_auto (Reply) reply = { 0 };
  gint64 deadline;
  guint ok = 0;

  /* Every connection of the pool used once (4 by default), statements prepared. */
  for (guint i = 0; i < 8; i++)
    {
      api_request (&fixture, "GET", "/api/v1/organisations?limit=5", token, NULL, &reply,
                   NULL);
      g_assert_cmpuint (reply.status, ==, 200);
    }

  crm_test_pg_take_down (fixture.pg, &error);
  g_assert_no_error (error);
  api_request (&fixture, "GET", "/api/v1/organisations?limit=5", token, NULL, &reply, NULL);
  assert_problem (&reply, 503);

  crm_test_pg_bring_up (fixture.pg, &error);
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  while (ok < 12 && g_get_monotonic_time () < deadline)
    {
      api_request (&fixture, "GET", "/api/v1/organisations?limit=5", token, NULL, &reply,
                   NULL);
      if (reply.status == 200)
        ok++;
      else
        {
          /* Only "unavailable" while it comes back; then twelve answers in a row. */
          assert_problem (&reply, 503);
          ok = 0;
          g_usleep (100 * 1000);
        }
    }
  g_assert_cmpuint (ok, ==, 12);

  api_request (&fixture, "POST", "/api/v1/organisations", token,
               "{\"name\": \"Après redémarrage\"}", &reply, NULL);
  g_assert_cmpuint (reply.status, ==, 201);
  api_request (&fixture, "GET", "/api/v1/me", token, NULL, &reply, NULL);
  g_assert_cmpuint (reply.status, ==, 200);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  api_fixture_start (&fixture, NULL);
  g_free (api_create_user (&fixture, "root@alforis.fr", "admin", NULL));
  g_free (api_create_user (&fixture, "alice@alforis.fr", "user", NULL));

  g_test_add_func ("/api/ops/metrics/prometheus-text", test_metrics_text);
  g_test_add_func ("/api/ops/metrics/proxy-needs-admin", test_metrics_behind_proxy_needs_admin);
  g_test_add_func ("/api/ops/openapi/document", test_openapi_document);
  g_test_add_func ("/api/ops/routing/method-not-allowed", test_method_not_allowed);
  g_test_add_func ("/api/ops/database/restart-reconnects", test_database_restart_reconnects);
  g_test_add_func ("/api/ops/shutdown/sigterm-finishes-in-flight",
                   test_sigterm_finishes_in_flight);
  status = g_test_run ();
  api_fixture_stop (&fixture);
  return status;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sentry"

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "crm-sentry.h"
#include "crm-test-net.h"
#include "crm-test-server.h"

/* Nothing listens there: the server's database is down for every test of this file. */
#define NO_DATABASE "host=/nonexistent-crm-test-socket-dir dbname=alforis"

/* A stand-in for Sentry on the test's main loop: it keeps what the server posts. */
typedef struct
{
  SoupServer *soup;
  guint       port;
  GPtrArray  *paths;
  GPtrArray  *auth;
  GPtrArray  *bodies;
} FakeSentry;

static void
on_store (SoupServer        *soup,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  FakeSentry *fake = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "X-Sentry-Auth");

  g_ptr_array_add (fake->paths, g_strdup (path));
  g_ptr_array_add (fake->auth, g_strdup (auth != NULL ? auth : ""));
  g_ptr_array_add (fake->bodies, g_strndup (body->data, body->length));
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                    "{\"id\":\"0\"}", 8);
}

static FakeSentry *
fake_sentry_new (void)
{
  FakeSentry *fake = g_new0 (FakeSentry, 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = NULL;

  fake->port = crm_test_pick_free_port (&error);
  g_assert_no_error (error);
  address = g_inet_socket_address_new (loopback, fake->port);
  fake->soup = soup_server_new (NULL, NULL);
  fake->paths = g_ptr_array_new_with_free_func (g_free);
  fake->auth = g_ptr_array_new_with_free_func (g_free);
  fake->bodies = g_ptr_array_new_with_free_func (g_free);
  soup_server_add_handler (fake->soup, NULL, on_store, fake, NULL);
  soup_server_listen (fake->soup, address, 0, &error);
  g_assert_no_error (error);
  return fake;
}

static void
fake_sentry_free (FakeSentry *fake)
{
  soup_server_disconnect (fake->soup);
  g_object_unref (fake->soup);
  g_ptr_array_unref (fake->paths);
  g_ptr_array_unref (fake->auth);
  g_ptr_array_unref (fake->bodies);
  g_free (fake);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FakeSentry, fake_sentry_free)

/* The index of each event @logger sent, in arrival order. */
static GArray *
events_from (FakeSentry *fake,
             const char *logger)
{
  GArray *found = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < fake->bodies->len; i++)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      JsonObject *event;

      g_assert_true (json_parser_load_from_data (parser, g_ptr_array_index (fake->bodies, i),
                                                 -1, NULL));
      event = json_node_get_object (json_parser_get_root (parser));
      if (g_strcmp0 (json_object_get_string_member (event, "logger"), logger) == 0)
        g_array_append_val (found, i);
    }
  return found;
}

/* Runs the main loop (where the fake answers) for @seconds or until @count events of
 * @logger have arrived; returns how many did. (The server also reports, at start-up,
 * that it cannot reach its database: logger crm-server.) */
static guint
wait_for_events (FakeSentry *fake,
                 const char *logger,
                 guint       count,
                 double      seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);
  g_autoptr (GArray) found = events_from (fake, logger);

  while (g_get_monotonic_time () < deadline && found->len < count)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (G_USEC_PER_SEC / 100);
      g_array_unref (found);
      found = events_from (fake, logger);
    }
  return found->len;
}

static CrmTestServer *
start_server_reporting_to (FakeSentry *fake)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *extra = g_strdup_printf ("[sentry]\ndsn=http://testkey@127.0.0.1:%u/42\n",
                                            fake->port);
  CrmTestServer *server = crm_test_server_start (NO_DATABASE, CRM_TEST_SERVER_DEFAULT, extra,
                                                 &error);

  g_assert_no_error (error);
  return server;
}

/* GET /health: 503 without a database, and a warning in the server's log. */
static char *
failing_health_check (CrmTestServer *server)
{
  g_autoptr (SoupSession) session = crm_test_server_new_session (server);
  g_autofree char *url = g_strconcat (crm_test_server_get_url (server), "/health", NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = soup_session_send_and_read (session, msg, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 503);
  return g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                 "X-Request-Id"));
}

static void
test_warning_is_reported (void)
{
  g_autoptr (FakeSentry) fake = fake_sentry_new ();
  g_autoptr (CrmTestServer) server = start_server_reporting_to (fake);
  g_autofree char *request_id = failing_health_check (server);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GArray) health = NULL;
  JsonObject *event;
  guint i;

  g_assert_cmpuint (wait_for_events (fake, "crm-health", 1, 10), ==, 1);
  health = events_from (fake, "crm-health");
  i = g_array_index (health, guint, 0);
  g_assert_cmpstr (g_ptr_array_index (fake->paths, i), ==, "/api/42/store/");
  g_assert_nonnull (strstr (g_ptr_array_index (fake->auth, i), "sentry_version=7"));
  g_assert_nonnull (strstr (g_ptr_array_index (fake->auth, i), "sentry_key=testkey"));

  g_assert_true (json_parser_load_from_data (parser, g_ptr_array_index (fake->bodies, i), -1,
                                             NULL));
  event = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (event, "level"), ==, "warning");
  g_assert_cmpstr (json_object_get_string_member (event, "logger"), ==, "crm-health");
  g_assert_cmpstr (json_object_get_string_member (event, "release"), ==,
                   "alforis-crm-server@" PACKAGE_VERSION);
  g_assert_cmpuint (strlen (json_object_get_string_member (event, "event_id")), ==, 32);
  g_assert_nonnull (strstr (json_object_get_string_member (event, "message"),
                            "base de données"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (event, "tags"),
                                                  "request_id"),
                   ==, request_id);
  for (guint j = 0; j < fake->bodies->len; j++)
    g_assert_null (strstr (g_ptr_array_index (fake->bodies, j),
                           crm_test_server_get_secret (server)));
}

/* A database outage warns on every request; one report says it. */
static void
test_same_warning_reported_once (void)
{
  g_autoptr (FakeSentry) fake = fake_sentry_new ();
  g_autoptr (CrmTestServer) server = start_server_reporting_to (fake);

  g_free (failing_health_check (server));
  g_assert_cmpuint (wait_for_events (fake, "crm-health", 1, 10), ==, 1);
  g_free (failing_health_check (server));
  g_free (failing_health_check (server));
  g_assert_cmpuint (wait_for_events (fake, "crm-health", 2, 1.5), ==, 1);
}

/* Request lines (info) are not reported: only warnings and worse. */
static void
test_requests_are_not_reported (void)
{
  g_autoptr (FakeSentry) fake = fake_sentry_new ();
  g_autoptr (CrmTestServer) server = start_server_reporting_to (fake);
  g_autoptr (SoupSession) session = crm_test_server_new_session (server);
  g_autofree char *url = g_strconcat (crm_test_server_get_url (server), "/nowhere", NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr (GBytes) body = soup_session_send_and_read (session, msg, NULL, NULL);

  g_assert_cmpuint (soup_message_get_status (msg), ==, 404);
  g_assert_cmpuint (wait_for_events (fake, "crm-http", 1, 1.5), ==, 0);
}

/* Reports go out on their own thread: a dead Sentry slows nothing down. */
static void
test_unreachable_sentry_blocks_nothing (void)
{
  g_autoptr (GError) error = NULL;
  guint dead_port = crm_test_pick_free_port (&error);
  g_autofree char *extra = g_strdup_printf ("[sentry]\ndsn=http://k@127.0.0.1:%u/1\n",
                                            dead_port);
  g_autoptr (CrmTestServer) server = crm_test_server_start (NO_DATABASE,
                                                            CRM_TEST_SERVER_DEFAULT, extra,
                                                            &error);
  gint64 started;
  int status;

  g_assert_no_error (error);
  started = g_get_monotonic_time ();
  g_free (failing_health_check (server));
  g_assert_cmpint (g_get_monotonic_time () - started, <, 3 * G_USEC_PER_SEC);
  status = crm_test_server_stop (server, SIGTERM, 15);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
}

static void
test_dsn_parsing (void)
{
  g_auto (CrmSentryDsn) plain = { 0 };
  g_auto (CrmSentryDsn) prefixed = { 0 };
  g_auto (CrmSentryDsn) bad = { 0 };
  g_autoptr (GError) error = NULL;

  g_assert_true (crm_sentry_dsn_parse ("https://abc@o1.ingest.sentry.io/4505", &plain, NULL));
  g_assert_cmpstr (plain.store_url, ==, "https://o1.ingest.sentry.io/api/4505/store/");
  g_assert_cmpstr (plain.public_key, ==, "abc");
  g_assert_true (crm_sentry_dsn_parse ("http://k@glitchtip.lan:8000/sentry/7", &prefixed, NULL));
  g_assert_cmpstr (prefixed.store_url, ==, "http://glitchtip.lan:8000/sentry/api/7/store/");
  g_assert_false (crm_sentry_dsn_parse ("https://sentry.io/7", &bad, &error));
  g_assert_nonnull (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/sentry/dsn-parsing", test_dsn_parsing);
  g_test_add_func ("/server/sentry/warning-is-reported", test_warning_is_reported);
  g_test_add_func ("/server/sentry/same-warning-reported-once", test_same_warning_reported_once);
  g_test_add_func ("/server/sentry/requests-are-not-reported", test_requests_are_not_reported);
  g_test_add_func ("/server/sentry/unreachable-sentry-blocks-nothing",
                   test_unreachable_sentry_blocks_nothing);

  return g_test_run ();
}

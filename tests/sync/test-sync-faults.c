/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sync-faults"

#include "config.h"

#include <locale.h>
#include <signal.h>

#include <libsoup/soup.h>

#include "sync-harness.h"

/*
 * Faults (issue 5's proof): a server killed in the middle of a push, an answer lost
 * after the commit, the same push twice at once, a restart between two pages, and a
 * poke that crosses from one instance to the other. Every case ends with an
 * exactly-once effect and replicas equal to the server.
 */

static SyncCluster *cluster;
static char *team;
static guint users;

static char *
new_manager (void)
{
  char *email = g_strdup_printf ("f%u@alforis.test", ++users);
  g_autofree char *id = sync_cluster_add_user (cluster, email, CRM_ROLE_MANAGER, team);

  return email;
}

static char *
create_org (SyncClient *client,
            const char *name)
{
  g_autoptr (CrmRecord) fields = sync_fields (CRM_ENTITY_ORGANISATION, "name", name, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmRecord) row = crm_replica_create (client->replica, fields, &error);

  g_assert_no_error (error);
  return g_strdup (crm_record_get_string (row, "id"));
}

static gint64
server_count (const char *sql,
              const char *param)
{
  g_autofree char *value = sync_cluster_value (cluster, sql, param);

  return g_ascii_strtoll (value, NULL, 10);
}

static gint64
replica_orgs (SyncClient *client)
{
  g_autoptr (CrmReplicaQuery) query = crm_replica_query_new (CRM_ENTITY_ORGANISATION);

  return crm_replica_count (client->replica, query, NULL);
}

static void
test_server_killed_mid_push (void)
{
  g_autofree char *email = new_manager ();
  g_autoptr (SyncClient) client = sync_client_new (cluster, sync_cluster_url (cluster, 0), email);
  g_autoptr (GError) error = NULL;
  gint64 before = server_count ("SELECT count (*) FROM organisations", NULL);

  crm_sync_engine_set_batch_size (client->engine, 20);
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *name = g_strdup_printf ("Société %03u", i);
      g_autofree char *id = create_org (client, name);
    }

  /* Push in the background; kill the server while batches are in flight. */
  crm_sync_engine_sync_now (client->engine);
  sync_spin (150);
  sync_cluster_stop (cluster, 0, SIGKILL);
  sync_spin (200);
  sync_cluster_start (cluster, 0);
  sync_client_settle (client, 20);

  g_assert_cmpint (server_count ("SELECT count (*) FROM organisations", NULL) - before, ==, 200);
  /* Exactly once: one create in the change log per row, one stored result per op. */
  g_assert_cmpint (server_count ("SELECT count (*) FROM change_log c JOIN organisations o"
                                 " ON o.id = c.entity_id WHERE o.name LIKE 'Société %'", NULL),
                   ==, 200);
  g_assert_cmpint (server_count ("SELECT count (*) FROM applied_ops WHERE client_id = $1",
                                 crm_replica_get_client_id (client->replica)), ==, 200);
  g_assert_cmpint (crm_replica_outbox_count (client->replica, NULL), ==, 0);
  g_assert_cmpint (crm_replica_rejection_count (client->replica, NULL), ==, 0);
}

static void
test_answer_lost_after_commit (void)
{
  g_autofree char *email = new_manager ();
  g_autoptr (SyncProxy) proxy = sync_proxy_new (sync_cluster_port (cluster, 0));
  g_autoptr (SyncClient) client = sync_client_new (cluster, sync_proxy_url (proxy), email);
  g_autoptr (CrmRecord) change = sync_fields (CRM_ENTITY_ORGANISATION, "city", "Marseille", NULL);
  g_autoptr (CrmRecord) row = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *org = create_org (client, "Gestion Phocéenne");
  g_autofree char *city = NULL;

  sync_client_settle (client, 5);
  row = crm_replica_update (client->replica, CRM_ENTITY_ORGANISATION, org, change, &error);
  g_assert_no_error (error);

  sync_proxy_arm_cut (proxy);
  g_assert_false (sync_client_sync (client, &error));
  g_assert_error (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_NETWORK);
  g_assert_cmpuint (sync_proxy_get_cuts (proxy), ==, 1);
  /* The server committed though the client heard nothing: it sends again (its own
   * retry, or libsoup's on a fresh connection) and gets the stored result. */
  city = sync_cluster_value (cluster, "SELECT city FROM organisations WHERE id = $1::uuid", org);
  g_assert_cmpstr (city, ==, "Marseille");

  sync_spin (450);
  sync_client_settle (client, 10);
  g_assert_cmpint (crm_replica_outbox_count (client->replica, NULL), ==, 0);
  g_assert_cmpint (crm_replica_rejection_count (client->replica, NULL), ==, 0);
  g_assert_cmpint (server_count ("SELECT count (*) FROM change_log WHERE entity_id = $1::uuid",
                                 org), ==, 2);
}

static gboolean
stop_after_first_page (gpointer user_data)
{
  sync_cluster_stop (cluster, 0, SIGKILL);
  return G_SOURCE_REMOVE;
}

static void
on_progress (GObject    *status,
             GParamSpec *pspec,
             gpointer    user_data)
{
  guint *pages = user_data;

  if (crm_sync_status_get_progress (CRM_SYNC_STATUS (status)) > 0 && (*pages)++ == 0)
    g_idle_add (stop_after_first_page, NULL);
}

static void
test_restart_between_pages (gconstpointer data)
{
  gboolean initial_load = GPOINTER_TO_INT (data);
  g_autofree char *writer_email = new_manager ();
  g_autofree char *reader_email = new_manager ();
  g_autoptr (SyncClient) writer = sync_client_new (cluster, sync_cluster_url (cluster, 0),
                                                   writer_email);
  g_autoptr (SyncClient) reader = NULL;
  g_autoptr (GError) error = NULL;
  guint pages = 0;
  gint64 expected, cursor = 0, epoch = 0;

  for (guint i = 0; i < 95; i++)
    {
      g_autofree char *name = g_strdup_printf ("Page %02u", i);
      g_autofree char *id = create_org (writer, name);
    }
  sync_client_settle (writer, 5);
  expected = server_count ("SELECT count (*) FROM organisations WHERE team_id = $1::uuid", team);

  reader = sync_client_new (cluster, sync_cluster_url (cluster, 0), reader_email);
  crm_sync_engine_set_page_size (reader->engine, 10);
  crm_sync_engine_set_initial_load (reader->engine, initial_load);
  g_signal_connect (crm_sync_engine_get_status (reader->engine), "notify::progress",
                    G_CALLBACK (on_progress), &pages);
  g_assert_false (sync_client_sync (reader, &error));
  g_assert_cmpuint (pages, >=, 1);
  g_assert_true (crm_replica_get_sync_position (reader->replica, &cursor, &epoch, NULL));
  if (initial_load)
    {
      /* The load stays open through a network failure, its cursor in the engine: the
       * stored one moves only at its commit. */
      g_assert_true (crm_replica_is_loading (reader->replica));
      g_assert_cmpint (cursor, ==, 0);
    }
  else
    g_assert_cmpint (cursor, >, 0);
  g_assert_cmpint (replica_orgs (reader), <, expected);

  sync_cluster_start (cluster, 0);
  sync_spin (450);
  sync_client_settle (reader, 10);
  g_signal_handlers_disconnect_by_data (crm_sync_engine_get_status (reader->engine), &pages);
  g_assert_false (crm_replica_is_loading (reader->replica));
  g_assert_cmpint (replica_orgs (reader), ==, expected);
  g_assert_true (crm_replica_get_sync_position (reader->replica, &cursor, &epoch, NULL));
  g_assert_cmpint (cursor, >, 0);
}

static void
test_poke_crosses_instances (void)
{
  g_autofree char *listener_email = new_manager ();
  g_autofree char *writer_email = new_manager ();
  g_autoptr (SyncClient) listener = sync_client_new (cluster, sync_cluster_url (cluster, 1),
                                                     listener_email);
  g_autoptr (SyncClient) writer = sync_client_new (cluster, sync_cluster_url (cluster, 0),
                                                   writer_email);
  g_autofree char *org = NULL;
  gint64 deadline, started;
  gboolean seen = FALSE;

  sync_client_settle (listener, 5);
  crm_sync_engine_start (listener->engine);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!crm_sync_engine_is_connected (listener->engine) && g_get_monotonic_time () < deadline)
    sync_spin (20);
  g_assert_true (crm_sync_engine_is_connected (listener->engine));
  sync_spin (300);

  /* No timer (poll interval 0): only a poke through instance 1 can bring the row. */
  org = create_org (writer, "Poke Capital");
  started = g_get_monotonic_time ();
  sync_client_settle (writer, 5);
  while (!seen && g_get_monotonic_time () < deadline + 10 * G_USEC_PER_SEC)
    {
      g_autofree char *name = sync_field (listener, CRM_ENTITY_ORGANISATION, org, "name");

      seen = name != NULL;
      if (!seen)
        sync_spin (10);
    }
  g_assert_true (seen);
  g_test_message ("poke → visible : %.0f ms", (g_get_monotonic_time () - started) / 1000.0);
}

static void
test_ws_refuses_without_token (void)
{
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (sync_cluster_url (cluster, 0), "/api/v1/ws", NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = NULL;

  soup_session_set_tls_database (session, sync_cluster_tls (cluster));
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_UNAUTHORIZED);
}

int
main (int    argc,
      char **argv)
{
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/fault/server-killed-mid-push", test_server_killed_mid_push);
  g_test_add_func ("/sync/fault/answer-lost-after-commit", test_answer_lost_after_commit);
  g_test_add_data_func ("/sync/fault/restart-between-pages", GINT_TO_POINTER (FALSE),
                        test_restart_between_pages);
  g_test_add_data_func ("/sync/fault/restart-during-initial-load", GINT_TO_POINTER (TRUE),
                        test_restart_between_pages);
  g_test_add_func ("/sync/live/poke-crosses-instances", test_poke_crosses_instances);
  g_test_add_func ("/sync/live/refused-without-token", test_ws_refuses_without_token);

  cluster = sync_cluster_new (2);
  team = sync_cluster_add_team (cluster, "Équipe Paris");
  status = g_test_run ();
  g_free (team);
  sync_cluster_free (cluster);
  return status;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sync-initial"

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <locale.h>
#include <signal.h>
#include <unistd.h>

#include "crm-token-store.h"
#include "sync-harness.h"

/*
 * The first sync into an empty replica through the replica's initial load: the same
 * rows as the page-by-page path, a process killed in the middle leaves an empty,
 * consistent replica that syncs again, and a row that leaves the user's view while the
 * load runs does not stay in it.
 */

#define N_ORGS 120

static SyncCluster *cluster;
static char *team;
static char *other_team;
static char *writer_email;
static guint users;

static char *
new_manager (void)
{
  char *email = g_strdup_printf ("i%u@alforis.test", ++users);
  g_autofree char *id = sync_cluster_add_user (cluster, email, CRM_ROLE_MANAGER, team);

  return email;
}

static gint64
replica_orgs (CrmReplica *replica)
{
  g_autoptr (CrmReplicaQuery) query = crm_replica_query_new (CRM_ENTITY_ORGANISATION);

  return crm_replica_count (replica, query, NULL);
}

static gint64
team_orgs (void)
{
  g_autofree char *value = sync_cluster_value (cluster, "SELECT count (*) FROM organisations"
                                               " WHERE team_id = $1::uuid AND NOT deleted", team);

  return g_ascii_strtoll (value, NULL, 10);
}

/* Every organisation of @a is in @b, with the same version and name, and back. */
static void
assert_same_orgs (CrmReplica *a,
                  CrmReplica *b)
{
  g_autoptr (CrmReplicaQuery) query = crm_replica_query_new (CRM_ENTITY_ORGANISATION);
  g_autoptr (GPtrArray) rows = NULL;

  crm_replica_query_set_limit (query, 10000);
  rows = crm_replica_list (a, query, NULL, NULL);
  g_assert_nonnull (rows);
  g_assert_cmpint (replica_orgs (a), ==, replica_orgs (b));
  for (guint i = 0; i < rows->len; i++)
    {
      CrmRecord *row = g_ptr_array_index (rows, i);
      g_autoptr (CrmRecord) other = crm_replica_get (b, CRM_ENTITY_ORGANISATION,
                                                     crm_record_get_string (row, "id"), NULL);

      g_assert_nonnull (other);
      g_assert_cmpint (crm_record_get_int (row, "version"), ==,
                       crm_record_get_int (other, "version"));
      g_assert_cmpstr (crm_record_get_string (row, "name"), ==,
                       crm_record_get_string (other, "name"));
      g_assert_cmpstr (crm_record_get_string (row, "city"), ==,
                       crm_record_get_string (other, "city"));
    }
}

static void
on_progress_loading (GObject    *status,
                     GParamSpec *pspec,
                     gpointer    user_data)
{
  SyncClient *client = user_data;

  if (crm_replica_is_loading (client->replica))
    g_object_set_data (G_OBJECT (client->engine), "saw-loading", GINT_TO_POINTER (1));
}

static void
test_load_matches_pages (void)
{
  g_autofree char *email_load = new_manager ();
  g_autofree char *email_pages = new_manager ();
  g_autoptr (SyncClient) loaded = sync_client_new (cluster, sync_cluster_url (cluster, 0),
                                                   email_load);
  g_autoptr (SyncClient) paged = sync_client_new (cluster, sync_cluster_url (cluster, 0),
                                                  email_pages);
  g_autoptr (CrmReplicaQuery) query = crm_replica_query_new (CRM_ENTITY_ORGANISATION);
  g_autoptr (GPtrArray) found = NULL;
  gint64 cursor_a = 0, cursor_b = 0, epoch = 0;

  crm_sync_engine_set_page_size (loaded->engine, 25);
  crm_sync_engine_set_page_size (paged->engine, 25);
  crm_sync_engine_set_initial_load (paged->engine, FALSE);
  g_signal_connect (crm_sync_engine_get_status (loaded->engine), "notify::progress",
                    G_CALLBACK (on_progress_loading), loaded);
  g_signal_connect (crm_sync_engine_get_status (paged->engine), "notify::progress",
                    G_CALLBACK (on_progress_loading), paged);
  sync_client_settle (loaded, 5);
  sync_client_settle (paged, 5);
  g_signal_handlers_disconnect_by_data (crm_sync_engine_get_status (loaded->engine), loaded);
  g_signal_handlers_disconnect_by_data (crm_sync_engine_get_status (paged->engine), paged);
  /* Each took the path it was given. */
  g_assert_nonnull (g_object_get_data (G_OBJECT (loaded->engine), "saw-loading"));
  g_assert_null (g_object_get_data (G_OBJECT (paged->engine), "saw-loading"));

  g_assert_cmpint (replica_orgs (loaded->replica), ==, team_orgs ());
  assert_same_orgs (loaded->replica, paged->replica);
  assert_same_orgs (paged->replica, loaded->replica);
  g_assert_true (crm_replica_get_sync_position (loaded->replica, &cursor_a, &epoch, NULL));
  g_assert_true (crm_replica_get_sync_position (paged->replica, &cursor_b, &epoch, NULL));
  g_assert_cmpint (cursor_a, ==, cursor_b);
  g_assert_false (crm_replica_is_loading (loaded->replica));

  /* The indexes the load built at its end answer: a name search finds its row. */
  crm_replica_query_set_search (query, "Initiale 042");
  found = crm_replica_list (loaded->replica, query, NULL, NULL);
  g_assert_nonnull (found);
  g_assert_cmpuint (found->len, >=, 1);

  /* An edit after the load is an ordinary one: queued, pushed, applied. */
  {
    g_autoptr (CrmRecord) change = sync_fields (CRM_ENTITY_ORGANISATION, "city", "Rennes", NULL);
    CrmRecord *first = g_ptr_array_index (found, 0);
    g_autoptr (CrmRecord) row = crm_replica_update (loaded->replica, CRM_ENTITY_ORGANISATION,
                                                    crm_record_get_string (first, "id"), change,
                                                    NULL);

    g_assert_nonnull (row);
    sync_client_settle (loaded, 5);
    sync_client_settle (paged, 5);
    assert_same_orgs (loaded->replica, paged->replica);
  }
}

/* ---- a kill in the middle ------------------------------------------------------------- */

static void
on_child_progress (GObject    *status,
                   GParamSpec *pspec,
                   gpointer    user_data)
{
  /* Well inside the download, the load's transaction holding dozens of rows. */
  if (crm_sync_status_get_progress (CRM_SYNC_STATUS (status)) > 0.3)
    kill (getpid (), SIGKILL);
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(gboolean *) user_data = TRUE;
}

/* The app, in a process of its own: signs in, starts its first sync, dies mid-way. */
static void
run_killed_child (void)
{
  const char *directory = g_getenv ("SYNC_CHILD_DIR");
  g_autofree char *path = g_build_filename (directory, "replica.db", NULL);
  g_autofree char *tokens_path = g_build_filename (directory, "tokens.ini", NULL);
  g_autoptr (CrmReplica) replica = crm_replica_open (path, CRM_REPLICA_OPEN_NONE, NULL);
  g_autoptr (CrmTokenStore) tokens = crm_file_token_store_new (tokens_path);
  g_autoptr (GTlsDatabase) tls = g_tls_file_database_new (g_getenv ("SYNC_CHILD_CERT"), NULL);
  g_autoptr (CrmSyncEngine) engine = NULL;
  gboolean done = FALSE;

  g_assert_nonnull (replica);
  engine = crm_sync_engine_new (replica, g_getenv ("SYNC_CHILD_URL"), tokens);
  crm_sync_engine_set_tls_database (engine, tls);
  crm_sync_engine_set_page_size (engine, 10);
  crm_sync_engine_login_async (engine, g_getenv ("SYNC_CHILD_EMAIL"), SYNC_TEST_PASSWORD, NULL,
                               on_done, &done);
  g_assert_true (sync_wait_for (&done, 30000));
  g_signal_connect (crm_sync_engine_get_status (engine), "notify::progress",
                    G_CALLBACK (on_child_progress), NULL);
  done = FALSE;
  crm_sync_engine_sync_async (engine, NULL, on_done, &done);
  sync_wait_for (&done, 60000);
  /* Not reached: the progress handler kills the process first. */
  g_error ("la synchronisation s'est terminée sans être interrompue");
}

static void
test_killed_mid_load (void)
{
  g_autofree char *email = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *path = NULL;
  g_autoptr (SyncClient) client = NULL;
  gint64 cursor = -1, epoch = -1;

  if (g_test_subprocess ())
    {
      run_killed_child ();
      return;
    }

  email = new_manager ();
  directory = g_strdup_printf ("%s/client-%s", sync_cluster_directory (cluster), email);
  g_assert_cmpint (g_mkdir_with_parents (directory, 0700), ==, 0);
  g_setenv ("SYNC_CHILD_DIR", directory, TRUE);
  g_setenv ("SYNC_CHILD_CERT", sync_cluster_certificate (cluster), TRUE);
  g_setenv ("SYNC_CHILD_URL", sync_cluster_url (cluster, 0), TRUE);
  g_setenv ("SYNC_CHILD_EMAIL", email, TRUE);
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();

  /* What the killed app left: an empty replica at cursor 0, nothing half-loaded. */
  path = g_build_filename (directory, "replica.db", NULL);
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (CrmReplica) replica = crm_replica_open (path, CRM_REPLICA_OPEN_NONE, &error);

    g_assert_no_error (error);
    g_assert_true (crm_replica_get_sync_position (replica, &cursor, &epoch, NULL));
    g_assert_cmpint (cursor, ==, 0);
    g_assert_cmpint (replica_orgs (replica), ==, 0);
    g_assert_cmpint (crm_replica_outbox_count (replica, NULL), ==, 0);
    g_assert_true (crm_replica_close (replica, NULL));
  }

  /* The app starts again: the first sync runs whole this time. */
  client = sync_client_new (cluster, sync_cluster_url (cluster, 0), email);
  crm_sync_engine_set_page_size (client->engine, 10);
  sync_client_settle (client, 5);
  g_assert_cmpint (replica_orgs (client->replica), ==, team_orgs ());
  g_assert_true (crm_replica_get_sync_position (client->replica, &cursor, &epoch, NULL));
  g_assert_cmpint (cursor, >, 0);
}

/* ---- a row leaves the view during the load --------------------------------------------- */

static SoupSession *rest;

static JsonObject *
rest_call (const char *method,
           const char *path,
           const char *token,
           const char *if_match,
           const char *body,
           guint      *status)
{
  g_autofree char *url = g_strconcat (sync_cluster_url (cluster, 0), path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_autoptr (GBytes) reply = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  if (token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (headers, "Authorization", value);
    }
  if (if_match != NULL)
    soup_message_headers_replace (headers, "If-Match", if_match);
  if (body != NULL)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  reply = soup_session_send_and_read (rest, msg, NULL, NULL);
  g_assert_nonnull (reply);
  *status = soup_message_get_status (msg);
  if (g_bytes_get_size (reply) == 0
      || !json_parser_load_from_data (parser, g_bytes_get_data (reply, NULL),
                                      (gssize) g_bytes_get_size (reply), NULL))
    return json_object_new ();
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

typedef struct
{
  char    *token;   /* an admin's */
  char    *row;     /* the organisation to move out of the team */
  gboolean moved;
} Move;

static void
on_load_progress (GObject    *status,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  Move *move = user_data;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  g_autofree char *etag = NULL;
  g_autoptr (JsonObject) got = NULL;
  g_autoptr (JsonObject) patched = NULL;
  guint http = 0;

  if (move->moved || crm_sync_status_get_progress (CRM_SYNC_STATUS (status)) <= 0)
    return;
  /* The first page (with the row) is in the load; the rest is still to come. Blocking
   * here holds the engine's main loop, so the move lands before the next page. */
  move->moved = TRUE;
  path = g_strconcat ("/api/v1/organisations/", move->row, NULL);
  got = rest_call ("GET", path, move->token, NULL, NULL, &http);
  g_assert_cmpuint (http, ==, 200);
  etag = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", json_object_get_int_member (got, "version"));
  body = g_strdup_printf ("{\"team_id\":\"%s\"}", other_team);
  patched = rest_call ("PATCH", path, move->token, etag, body, &http);
  g_assert_cmpuint (http, ==, 200);
}

static void
test_row_leaves_view_during_load (void)
{
  g_autofree char *admin_email = g_strdup_printf ("i%u-admin@alforis.test", ++users);
  g_autofree char *admin_id = sync_cluster_add_user (cluster, admin_email, CRM_ROLE_ADMIN, NULL);
  g_autofree char *reader_email = new_manager ();
  g_autofree char *login = g_strdup_printf ("{\"email\":\"%s\",\"password\":\"%s\"}", admin_email,
                                            SYNC_TEST_PASSWORD);
  g_autoptr (JsonObject) session = NULL;
  g_autoptr (SyncClient) reader = NULL;
  Move move = { NULL, NULL, FALSE };
  guint http = 0;

  session = rest_call ("POST", "/api/v1/auth/login", NULL, NULL, login, &http);
  g_assert_cmpuint (http, ==, 200);
  move.token = g_strdup (json_object_get_string_member (session, "access_token"));
  /* The team's oldest row: in the first page of a download from 0. */
  move.row = sync_cluster_value (cluster, "SELECT o.id::text FROM organisations o JOIN change_log c"
                                 " ON c.entity_id = o.id WHERE o.team_id = $1::uuid"
                                 " AND NOT o.deleted ORDER BY c.seq LIMIT 1", team);
  g_assert_nonnull (move.row);

  reader = sync_client_new (cluster, sync_cluster_url (cluster, 0), reader_email);
  crm_sync_engine_set_page_size (reader->engine, 10);
  g_signal_connect (crm_sync_engine_get_status (reader->engine), "notify::progress",
                    G_CALLBACK (on_load_progress), &move);
  sync_client_settle (reader, 5);
  g_signal_handlers_disconnect_by_data (crm_sync_engine_get_status (reader->engine), &move);

  g_assert_true (move.moved);
  g_assert_null (crm_replica_get (reader->replica, CRM_ENTITY_ORGANISATION, move.row, NULL));
  g_assert_cmpint (replica_orgs (reader->replica), ==, team_orgs ());

  /* Back in the team: it comes back. */
  {
    g_autofree char *path = g_strconcat ("/api/v1/organisations/", move.row, NULL);
    g_autofree char *body = g_strdup_printf ("{\"team_id\":\"%s\"}", team);
    g_autoptr (JsonObject) got = rest_call ("GET", path, move.token, NULL, NULL, &http);
    g_autofree char *etag = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"",
                                             json_object_get_int_member (got, "version"));
    g_autoptr (JsonObject) patched = rest_call ("PATCH", path, move.token, etag, body, &http);
    g_autoptr (CrmRecord) back = NULL;

    g_assert_cmpuint (http, ==, 200);
    sync_client_settle (reader, 5);
    back = crm_replica_get (reader->replica, CRM_ENTITY_ORGANISATION, move.row, NULL);
    g_assert_nonnull (back);
  }
  g_free (move.token);
  g_free (move.row);
}

static void
seed_rows (void)
{
  g_autoptr (SyncClient) writer = sync_client_new (cluster, sync_cluster_url (cluster, 0),
                                                   writer_email);

  for (guint i = 0; i < N_ORGS; i++)
    {
      g_autofree char *name = g_strdup_printf ("Initiale %03u", i);
      g_autoptr (CrmRecord) fields = sync_fields (CRM_ENTITY_ORGANISATION, "name", name, "city",
                                                  i % 2 ? "Lyon" : "Nantes", NULL);
      g_autoptr (CrmRecord) row = crm_replica_create (writer->replica, fields, NULL);

      g_assert_nonnull (row);
    }
  sync_client_settle (writer, 10);
}

int
main (int    argc,
      char **argv)
{
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/initial/load-matches-pages", test_load_matches_pages);
  g_test_add_func ("/sync/initial/killed-mid-load", test_killed_mid_load);
  g_test_add_func ("/sync/initial/row-leaves-view-during-load", test_row_leaves_view_during_load);

  /* The subprocess of killed-mid-load is the app alone: no cluster of its own. */
  if (g_test_subprocess ())
    return g_test_run ();

  cluster = sync_cluster_new (1);
  team = sync_cluster_add_team (cluster, "Équipe Lille");
  other_team = sync_cluster_add_team (cluster, "Équipe Brest");
  writer_email = new_manager ();
  rest = soup_session_new ();
  soup_session_set_tls_database (rest, sync_cluster_tls (cluster));
  seed_rows ();
  status = g_test_run ();
  g_clear_object (&rest);
  g_free (writer_email);
  g_free (team);
  g_free (other_team);
  sync_cluster_free (cluster);
  return status;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sync-inbox"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <signal.h>
#include <sqlite3.h>

#include "crm-replica-sync.h"
#include "sync-harness.h"

/*
 * What the user sees of edits that did not go through: a refused edit leaves the row
 * as the server has it and keeps what was typed in the rejection inbox; an edit to a
 * row that left the user's view is listed in the quarantine, given up or applied again.
 */

static SyncCluster *cluster;
static char *team;
static guint users;

static char *
new_user (CrmRole role)
{
  char *email = g_strdup_printf ("b%u-%s@alforis.test", ++users, crm_role_to_string (role));
  g_autofree char *id = sync_cluster_add_user (cluster, email, role, team);

  return email;
}

static void
on_called (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static char *
create_org (SyncClient *client,
            const char *name,
            const char *city)
{
  g_autoptr (CrmRecord) fields = sync_fields (CRM_ENTITY_ORGANISATION, "name", name, "city", city,
                                              NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmRecord) row = crm_replica_create (client->replica, fields, &error);

  g_assert_no_error (error);
  return g_strdup (crm_record_get_string (row, "id"));
}

/* Spins until @client's row has @value in @field (the refetch is asynchronous). */
static void
wait_field (SyncClient *client,
            const char *id,
            const char *field,
            const char *value)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autofree char *now = sync_field (client, CRM_ENTITY_ORGANISATION, id, field);

      if (g_strcmp0 (now, value) == 0)
        return;
      if (g_get_monotonic_time () > deadline)
        g_error ("%s : « %s » au lieu de « %s »", field, now, value);
      sync_spin (20);
    }
}

static void
test_rejected_update_refetched (void)
{
  g_autofree char *manager_email = new_user (CRM_ROLE_MANAGER);
  g_autofree char *viewer_email = new_user (CRM_ROLE_VIEWER);
  g_autoptr (SyncClient) manager = sync_client_new (cluster, sync_cluster_url (cluster, 0),
                                                    manager_email);
  g_autoptr (SyncClient) viewer = sync_client_new (cluster, sync_cluster_url (cluster, 0),
                                                   viewer_email);
  g_autofree char *org = create_org (manager, "Banque Rhône-Alpes", "Lyon");
  g_autoptr (CrmRecord) change = sync_fields (CRM_ENTITY_ORGANISATION, "city", "Grenoble",
                                              "notes", "Tapé hors ligne", NULL);
  g_autoptr (CrmRecord) edited = NULL;
  g_autoptr (GPtrArray) rejections = NULL;
  g_autoptr (JsonNode) typed = NULL;
  g_autoptr (GError) error = NULL;
  CrmReplicaRejection *rejection;
  JsonObject *fields;

  sync_client_settle (manager, 5);
  sync_client_settle (viewer, 5);
  wait_field (viewer, org, "city", "Lyon");

  /* A viewer's edit: the replica takes it, the server refuses it (403). */
  edited = crm_replica_update (viewer->replica, CRM_ENTITY_ORGANISATION, org, change, &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_replica_outbox_count (viewer->replica, NULL), ==, 1);
  sync_client_settle (viewer, 5);
  g_assert_cmpint (crm_replica_rejection_count (viewer->replica, NULL), ==, 1);

  /* The row shows the server's values again… */
  wait_field (viewer, org, "city", "Lyon");
  wait_field (viewer, org, "notes", NULL);
  /* …and what was typed waits in the rejection inbox. */
  rejections = crm_replica_list_rejections (viewer->replica, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rejections->len, ==, 1);
  rejection = g_ptr_array_index (rejections, 0);
  g_assert_cmpstr (rejection->op.row_id, ==, org);
  typed = json_from_string (rejection->op.fields, &error);
  g_assert_no_error (error);
  fields = json_node_get_object (typed);
  g_assert_cmpstr (json_object_get_string_member (fields, "city"), ==, "Grenoble");
  g_assert_cmpstr (json_object_get_string_member (fields, "notes"), ==, "Tapé hors ligne");
  g_assert_nonnull (rejection->problem);
  g_assert_nonnull (strstr (rejection->problem, "403"));

  /* The refresh counts as the server's value, not a new local edit. */
  g_assert_cmpint (crm_replica_outbox_count (viewer->replica, NULL), ==, 0);
}

static void
test_rejected_delete_refetched (void)
{
  g_autofree char *manager_email = new_user (CRM_ROLE_MANAGER);
  g_autofree char *viewer_email = new_user (CRM_ROLE_VIEWER);
  g_autoptr (SyncClient) manager = sync_client_new (cluster, sync_cluster_url (cluster, 0),
                                                    manager_email);
  g_autoptr (SyncClient) viewer = sync_client_new (cluster, sync_cluster_url (cluster, 0),
                                                   viewer_email);
  g_autofree char *org = create_org (manager, "Caisse Normande", "Caen");
  g_autoptr (GError) error = NULL;

  sync_client_settle (manager, 5);
  sync_client_settle (viewer, 5);
  wait_field (viewer, org, "deleted", "false");
  g_assert_true (crm_replica_delete (viewer->replica, CRM_ENTITY_ORGANISATION, org, &error));
  g_assert_no_error (error);
  wait_field (viewer, org, "deleted", "true");
  sync_client_settle (viewer, 5);
  g_assert_cmpint (crm_replica_rejection_count (viewer->replica, NULL), ==, 1);
  /* Refused: the row is back, as on the server. */
  wait_field (viewer, org, "deleted", "false");
}

/* ---- conflicts closed on the server ------------------------------------------------- */

static GPtrArray *
conflicts_of (SyncClient *client,
              const char *org)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *conflicts = crm_replica_list_conflicts (client->replica, CRM_ENTITY_ORGANISATION,
                                                     org, &error);

  g_assert_no_error (error);
  return conflicts;
}

static void
edit_city (SyncClient *client,
           const char *org,
           const char *city)
{
  g_autoptr (CrmRecord) change = sync_fields (CRM_ENTITY_ORGANISATION, "city", city, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmRecord) row = crm_replica_update (client->replica, CRM_ENTITY_ORGANISATION, org,
                                                  change, &error);

  g_assert_no_error (error);
}

/* Spins until @sql (one parameter) gives @expected. */
static void
wait_server (const char *sql,
             const char *param,
             const char *expected)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autofree char *value = sync_cluster_value (cluster, sql, param);

      if (g_strcmp0 (value, expected) == 0)
        return;
      if (g_get_monotonic_time () > deadline)
        g_error ("%s : « %s » au lieu de « %s »", sql, value, expected);
      sync_spin (20);
    }
}

/* B's edit loses against A's on one field: B's conflict, its server id and record. */
static char *
make_conflict (SyncClient *a,
               SyncClient *b,
               char      **org_out)
{
  g_autofree char *org = create_org (a, "Crédit du Léman", "Annecy");
  g_autoptr (GPtrArray) conflicts = NULL;

  sync_client_settle (a, 5);
  sync_client_settle (b, 5);
  edit_city (a, org, "Lyon");
  edit_city (b, org, "Nantes");
  sync_client_settle (a, 5);
  sync_client_settle (b, 5);
  conflicts = conflicts_of (b, org);
  g_assert_cmpuint (conflicts->len, ==, 1);
  *org_out = g_strdup (org);
  return sync_cluster_value (cluster, "SELECT id::text FROM conflicts WHERE entity_id = $1::uuid",
                             org);
}

static void
test_resolution_closes_server_record (gconstpointer data)
{
  gboolean keep_mine = GPOINTER_TO_INT (data);
  g_autofree char *email_a = new_user (CRM_ROLE_MANAGER);
  g_autofree char *b_id = NULL;
  g_autofree char *email_b = g_strdup_printf ("b%u-conflit@alforis.test", ++users);
  g_autoptr (SyncClient) a = sync_client_new (cluster, sync_cluster_url (cluster, 0), email_a);
  g_autoptr (SyncClient) b = NULL;
  g_autoptr (GPtrArray) conflicts = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *org = NULL;
  g_autofree char *server_conflict = NULL;
  g_autofree char *audited = NULL;

  b_id = sync_cluster_add_user (cluster, email_b, CRM_ROLE_MANAGER, team);
  b = sync_client_new (cluster, sync_cluster_url (cluster, 0), email_b);
  server_conflict = make_conflict (a, b, &org);
  g_assert_nonnull (server_conflict);
  wait_server ("SELECT resolved::text FROM conflicts WHERE id = $1::uuid", server_conflict,
               "false");

  /* The choice closes the record on the server, beside the push. */
  conflicts = conflicts_of (b, org);
  g_assert_true (crm_replica_resolve_conflict (
    b->replica, ((CrmReplicaConflict *) g_ptr_array_index (conflicts, 0))->cid, keep_mine,
    &error));
  g_assert_no_error (error);
  sync_client_settle (b, 5);
  wait_server ("SELECT resolved::text FROM conflicts WHERE id = $1::uuid", server_conflict,
               "true");
  audited = sync_cluster_value (cluster, "SELECT count (*)::text FROM audit WHERE action ="
                                " 'conflict.resolved' AND details ->> 'conflict_id' = $1",
                                server_conflict);
  g_assert_cmpstr (audited, ==, "1");

  /* An epoch re-sync brings every open record again: not this one any more. */
  sync_cluster_set_role (cluster, b_id, CRM_ROLE_USER);
  sync_cluster_set_role (cluster, b_id, CRM_ROLE_MANAGER);
  if (!sync_client_sync (b, NULL))
    sync_client_login (b);
  sync_client_settle (b, 5);
  g_clear_pointer (&conflicts, g_ptr_array_unref);
  conflicts = conflicts_of (b, org);
  g_assert_cmpuint (conflicts->len, ==, 0);

  /* A replica that starts from nothing does not get it either. */
  sync_client_free (g_steal_pointer (&b));
  {
    g_autofree char *directory = g_strdup_printf ("%s/client-%s", sync_cluster_directory (cluster),
                                                  email_b);
    g_autofree char *path = g_build_filename (directory, "replica.db", NULL);
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (path);
    g_unlink (wal);
    g_unlink (shm);
  }
  b = sync_client_new (cluster, sync_cluster_url (cluster, 0), email_b);
  sync_client_settle (b, 5);
  g_clear_pointer (&conflicts, g_ptr_array_unref);
  conflicts = conflicts_of (b, org);
  g_assert_cmpuint (conflicts->len, ==, 0);
}

static void
test_resolve_route_rbac (void)
{
  g_autofree char *email_a = new_user (CRM_ROLE_MANAGER);
  g_autofree char *email_b = new_user (CRM_ROLE_MANAGER);
  g_autofree char *email_admin = g_strdup_printf ("b%u-admin@alforis.test", ++users);
  g_autofree char *admin_id = sync_cluster_add_user (cluster, email_admin, CRM_ROLE_ADMIN, team);
  g_autoptr (SyncClient) a = sync_client_new (cluster, sync_cluster_url (cluster, 0), email_a);
  g_autoptr (SyncClient) b = sync_client_new (cluster, sync_cluster_url (cluster, 0), email_b);
  g_autoptr (SyncClient) admin = sync_client_new (cluster, sync_cluster_url (cluster, 0),
                                                  email_admin);
  g_autofree char *org = NULL;
  g_autofree char *id = make_conflict (a, b, &org);
  g_autofree char *path = g_strconcat ("/api/v1/sync/conflicts/", id, "/resolve", NULL);
  struct { SyncClient *who; const char *path; guint expected; } cases[] = {
    { a, path, 403 },                        /* not the author: its value won */
    { b, "/api/v1/sync/conflicts/01936d3a-7c4e-7b2a-9f00-0000000000ff/resolve", 404 },
    { b, "/api/v1/sync/conflicts/pas-un-uuid/resolve", 0 },
    { admin, path, 204 },
    { b, path, 204 },                        /* again: nothing changes */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GAsyncResult) result = NULL;
      g_autoptr (JsonNode) body = NULL;
      g_autoptr (GError) error = NULL;
      guint status = 0;

      crm_sync_engine_call_async (cases[i].who->engine, "POST", cases[i].path, NULL, NULL,
                                  on_called, &result);
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      body = crm_sync_engine_call_finish (cases[i].who->engine, result, &status, &error);
      if (cases[i].expected == 0)
        g_assert_cmpuint (status / 100, ==, 4);
      else
        g_assert_cmpuint (status, ==, cases[i].expected);
      if (status == 403)
        g_assert_nonnull (strstr (error->message, "auteur"));
      if (i == 0)
        wait_server ("SELECT resolved::text FROM conflicts WHERE id = $1::uuid", id, "false");
    }
  wait_server ("SELECT resolved::text FROM conflicts WHERE id = $1::uuid", id, "true");
}

/* ---- the epoch re-sync resumes after a restart ----------------------------------------- */

static gboolean
stop_server (gpointer user_data)
{
  sync_cluster_stop (cluster, 0, SIGKILL);
  return G_SOURCE_REMOVE;
}

static void
on_resync_progress (GObject    *status,
                    GParamSpec *pspec,
                    gpointer    user_data)
{
  guint *pages = user_data;

  if (crm_sync_status_get_progress (CRM_SYNC_STATUS (status)) > 0 && (*pages)++ == 0)
    g_idle_add (stop_server, NULL);
}

static void
test_resync_resumes_after_restart (void)
{
  g_autofree char *mate_email = new_user (CRM_ROLE_MANAGER);
  g_autofree char *user_id = NULL;
  g_autofree char *email = g_strdup_printf ("b%u-epoque@alforis.test", ++users);
  g_autoptr (SyncClient) mate = sync_client_new (cluster, sync_cluster_url (cluster, 0),
                                                 mate_email);
  g_autoptr (SyncClient) user = NULL;
  g_autofree char *team_row = NULL;
  g_autoptr (GError) error = NULL;
  gboolean running = FALSE;
  guint pages = 0;

  user_id = sync_cluster_add_user (cluster, email, CRM_ROLE_MANAGER, team);
  user = sync_client_new (cluster, sync_cluster_url (cluster, 0), email);
  /* A row of the team (out of the user's view once they are a mere user), and enough
   * of the user's own for a re-sync of several pages. */
  team_row = create_org (mate, "Ligne de l’équipe", "Metz");
  sync_client_settle (mate, 5);
  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *name = g_strdup_printf ("À moi %02u", i);
      g_autofree char *id = create_org (user, name, "Nancy");
    }
  crm_sync_engine_set_page_size (user->engine, 5);
  sync_client_settle (user, 10);
  {
    g_autoptr (CrmRecord) row = crm_replica_get (user->replica, CRM_ENTITY_ORGANISATION,
                                                 team_row, NULL);

    g_assert_nonnull (row);
  }

  /* The role changes; the re-sync is cut after its first page (server killed), then
   * the app restarts: a new engine, nothing in memory. */
  sync_cluster_set_role (cluster, user_id, CRM_ROLE_USER);
  sync_client_login (user);
  g_signal_connect (crm_sync_engine_get_status (user->engine), "notify::progress",
                    G_CALLBACK (on_resync_progress), &pages);
  g_assert_false (sync_client_sync (user, NULL));
  g_signal_handlers_disconnect_by_data (crm_sync_engine_get_status (user->engine), &pages);
  g_assert_cmpuint (pages, >=, 1);
  g_assert_true (crm_replica_resync_running (user->replica, &running, &error));
  g_assert_no_error (error);
  g_assert_true (running);

  sync_cluster_start (cluster, 0);
  sync_client_restart (user);
  crm_sync_engine_set_page_size (user->engine, 5);
  sync_client_settle (user, 10);

  /* It ended where it was: the team's row left, the user's own stayed. */
  g_assert_true (crm_replica_resync_running (user->replica, &running, &error));
  g_assert_false (running);
  {
    g_autoptr (CrmRecord) row = crm_replica_get (user->replica, CRM_ENTITY_ORGANISATION,
                                                 team_row, NULL);
    g_autoptr (CrmReplicaQuery) query = crm_replica_query_new (CRM_ENTITY_ORGANISATION);

    g_assert_null (row);
    g_assert_cmpint (crm_replica_count (user->replica, query, NULL), ==, 30);
  }
}

/* ---- quarantine (on the replica alone: a revoke as a pull page brings it) ----------- */

typedef struct
{
  char       *directory;
  CrmReplica *replica;
} Local;

static void
local_free (Local *local)
{
  g_autofree char *path = g_build_filename (local->directory, "replica.db", NULL);

  crm_replica_close (local->replica, NULL);
  g_object_unref (local->replica);
  for (const char *suffix = ""; suffix != NULL; suffix = *suffix == '\0' ? "-wal"
                                                       : g_str_equal (suffix, "-wal") ? "-shm"
                                                       : NULL)
    {
      g_autofree char *file = g_strconcat (path, suffix, NULL);

      g_unlink (file);
    }
  g_rmdir (local->directory);
  g_free (local->directory);
  g_free (local);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Local, local_free)

static Local *
local_new (void)
{
  Local *local = g_new0 (Local, 1);
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;

  local->directory = g_dir_make_tmp ("sync-inbox-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (local->directory, "replica.db", NULL);
  local->replica = crm_replica_open (path, CRM_REPLICA_OPEN_NONE, &error);
  g_assert_no_error (error);
  return local;
}

#define ROW_ID "01936d3a-7c4e-7b2a-9f00-00000000a001"

/* The row as a pull brings it (version @version), or a revoke of it. */
static void
pull_row (Local   *local,
          gint64   version,
          gboolean revoke)
{
  g_autoptr (CrmRecord) data = sync_fields (CRM_ENTITY_ORGANISATION, "id", ROW_ID, "name",
                                            "Mutuelle du Rhône", "city", "Lyon", NULL);
  CrmReplicaChange change = { CRM_ENTITY_ORGANISATION, ROW_ID, version, FALSE, data };
  CrmReplicaRevoke gone = { CRM_ENTITY_ORGANISATION, ROW_ID };
  g_autoptr (GError) error = NULL;

  crm_record_set_int (data, "version", version);
  crm_replica_apply_pull (local->replica, revoke ? NULL : &change, revoke ? 0 : 1,
                          revoke ? &gone : NULL, revoke ? 1 : 0, version, 1, &error);
  g_assert_no_error (error);
}

static void
edit_local_city (Local      *local,
                 const char *city)
{
  g_autoptr (CrmRecord) change = sync_fields (CRM_ENTITY_ORGANISATION, "city", city, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmRecord) row = crm_replica_update (local->replica, CRM_ENTITY_ORGANISATION,
                                                  ROW_ID, change, &error);

  g_assert_no_error (error);
}

static void
test_quarantine_listed (void)
{
  g_autoptr (Local) local = local_new ();
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (JsonNode) typed = NULL;
  g_autoptr (GError) error = NULL;
  CrmReplicaQuarantined *item;

  pull_row (local, 10, FALSE);
  edit_local_city (local, "Villeurbanne");
  pull_row (local, 11, TRUE);
  {
    g_autoptr (CrmRecord) gone = crm_replica_get (local->replica, CRM_ENTITY_ORGANISATION,
                                                  ROW_ID, NULL);

    g_assert_null (gone);
  }
  g_assert_cmpint (crm_replica_outbox_count (local->replica, NULL), ==, 0);

  items = crm_replica_list_quarantined (local->replica, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_cmpint (crm_replica_quarantine_count (local->replica, NULL), ==, 1);
  item = g_ptr_array_index (items, 0);
  g_assert_cmpstr (item->entity, ==, "organisation");
  g_assert_cmpstr (item->row_id, ==, ROW_ID);
  g_assert_cmpstr (item->kind, ==, "update");
  g_assert_cmpstr (item->reason, ==, "revoked");
  g_assert_nonnull (strstr (item->why, "plus visible"));
  g_assert_nonnull (item->quarantined_at);
  g_assert_nonnull (item->row_data);
  g_assert_nonnull (strstr (item->row_data, "Mutuelle du Rhône"));
  typed = json_from_string (item->fields, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (typed), "city"), ==,
                   "Villeurbanne");

  /* Given up: gone from the list, nothing queued. */
  g_assert_true (crm_replica_dismiss_quarantined (local->replica, item->qid, &error));
  g_assert_no_error (error);
  g_assert_cmpint (crm_replica_quarantine_count (local->replica, NULL), ==, 0);
  g_assert_false (crm_replica_dismiss_quarantined (local->replica, item->qid, &error));
  g_assert_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_NOT_FOUND);
}

static void
test_quarantine_reapplied (void)
{
  g_autoptr (Local) local = local_new ();
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (GPtrArray) ops = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *city = NULL;
  gint64 qid;

  pull_row (local, 10, FALSE);
  edit_local_city (local, "Villeurbanne");
  pull_row (local, 11, TRUE);
  items = crm_replica_list_quarantined (local->replica, &error);
  g_assert_no_error (error);
  qid = ((CrmReplicaQuarantined *) g_ptr_array_index (items, 0))->qid;

  /* While the row is away: refused with a sentence, nothing changes. */
  g_assert_false (crm_replica_reapply_quarantined (local->replica, qid, &error));
  g_assert_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "réessayez"));
  g_clear_error (&error);
  g_assert_cmpint (crm_replica_quarantine_count (local->replica, NULL), ==, 1);

  /* Given back: applied again as an ordinary edit, queued, out of the quarantine. */
  pull_row (local, 12, FALSE);
  g_assert_true (crm_replica_reapply_quarantined (local->replica, qid, &error));
  g_assert_no_error (error);
  g_assert_cmpint (crm_replica_quarantine_count (local->replica, NULL), ==, 0);
  ops = crm_replica_outbox_peek (local->replica, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ops->len, ==, 1);
  g_assert_cmpstr (((CrmOutboxOp *) g_ptr_array_index (ops, 0))->row_id, ==, ROW_ID);
  g_assert_cmpint (((CrmOutboxOp *) g_ptr_array_index (ops, 0))->base_version, ==, 12);
  g_assert_nonnull (strstr (((CrmOutboxOp *) g_ptr_array_index (ops, 0))->fields,
                            "Villeurbanne"));
  {
    g_autoptr (CrmRecord) row = crm_replica_get (local->replica, CRM_ENTITY_ORGANISATION, ROW_ID,
                                                 NULL);

    g_assert_nonnull (row);
    city = crm_record_dup_text (row, "city");
    g_assert_cmpstr (city, ==, "Villeurbanne");
  }
}

/* A pull page into a replica with rows keeps its list indexes: they were dropped and
 * built again around every page (a test of emptiness that always said "empty"), which
 * made each pull cost as much as the whole replica. The schema cookie shows it. */
static int
schema_version (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int version;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA schema_version", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return version;
}

static void
test_page_keeps_indexes (void)
{
  g_autoptr (Local) local = local_new ();
  g_autofree char *path = g_build_filename (local->directory, "replica.db", NULL);
  int before;

  pull_row (local, 10, FALSE);
  before = schema_version (path);
  pull_row (local, 11, FALSE);
  pull_row (local, 12, FALSE);
  g_assert_cmpint (schema_version (path), ==, before);
}

int
main (int    argc,
      char **argv)
{
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/rejection/update-refetched", test_rejected_update_refetched);
  g_test_add_func ("/sync/rejection/delete-refetched", test_rejected_delete_refetched);
  g_test_add_data_func ("/sync/conflict/keep-theirs-closes-server-record",
                        GINT_TO_POINTER (FALSE), test_resolution_closes_server_record);
  g_test_add_data_func ("/sync/conflict/keep-mine-closes-server-record",
                        GINT_TO_POINTER (TRUE), test_resolution_closes_server_record);
  g_test_add_func ("/sync/conflict/resolve-route-author-or-admin", test_resolve_route_rbac);
  g_test_add_func ("/sync/epoch/resync-resumes-after-restart", test_resync_resumes_after_restart);
  g_test_add_func ("/sync/quarantine/listed-and-dismissed", test_quarantine_listed);
  g_test_add_func ("/sync/pull/page-keeps-list-indexes", test_page_keeps_indexes);
  g_test_add_func ("/sync/quarantine/reapplied-once-back", test_quarantine_reapplied);

  cluster = sync_cluster_new (1);
  team = sync_cluster_add_team (cluster, "Équipe Caen");
  status = g_test_run ();
  g_free (team);
  sync_cluster_free (cluster);
  return status;
}

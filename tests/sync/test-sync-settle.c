/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sync-settle"

#include "config.h"

#include <locale.h>
#include <signal.h>

#include "crm-replica-private.h"
#include "sync-harness.h"

/*
 * How a pushed op settles, one root cause of the soak's divergences each (issue 5):
 * every test ends with a replica that must equal the server and did not before.
 *
 * - a tombstone on a row that moved on since the author's base version came back
 *   "applied", so the author took its stale copy for the row at the new version;
 * - the cursor rewind that makes a merged or conflicting op's row come again lived in
 *   the engine's memory only: an app closed before the next pull lost it for good;
 * - ops were read from the outbox and marked as sent in two steps, and an edit made in
 *   between was folded into an op already on its way: never sent, then dropped;
 * - an edit queued behind its own create (base version 0) conflicted with that create
 *   on every field the create left empty, and the refetch put the empty value back.
 */

static SyncCluster *cluster;
static char *team;
static guint users;

static SyncClient *
new_client (const char *url)
{
  g_autofree char *email = g_strdup_printf ("s%u@alforis.test", ++users);
  g_autofree char *id = sync_cluster_add_user (cluster, email, CRM_ROLE_MANAGER, team);

  return sync_client_new (cluster, url != NULL ? url : sync_cluster_url (cluster, 0), email);
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

static void
edit (SyncClient *client,
      const char *id,
      const char *field,
      const char *value)
{
  g_autoptr (CrmRecord) fields = sync_fields (CRM_ENTITY_ORGANISATION, field, value, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmRecord) row = crm_replica_update (client->replica, CRM_ENTITY_ORGANISATION, id,
                                                  fields, &error);

  g_assert_no_error (error);
}

static char *
server_field (const char *id,
              const char *field)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s::text FROM organisations WHERE id = $1::uuid",
                                          field);

  return sync_cluster_value (cluster, sql, id);
}

static void
assert_as_server (SyncClient *client,
                  const char *id,
                  const char *field)
{
  g_autofree char *local = sync_field (client, CRM_ENTITY_ORGANISATION, id, field);
  g_autofree char *remote = server_field (id, field);

  g_assert_cmpstr (local, ==, remote);
}

static void
assert_local (SyncClient *client,
              const char *id,
              const char *field,
              const char *expected)
{
  g_autofree char *local = sync_field (client, CRM_ENTITY_ORGANISATION, id, field);

  g_assert_cmpstr (local, ==, expected);
}

/* Someone sets the phone; the author, who never saw it, deletes the row. */
static void
test_delete_after_remote_edit (void)
{
  g_autoptr (SyncClient) a = new_client (NULL);
  g_autoptr (SyncClient) b = new_client (NULL);
  g_autofree char *org = create_org (a, "Gestion Quiétude");

  sync_client_settle (a, 5);
  sync_client_settle (b, 5);
  edit (b, org, "phone", "+33 1 44 00 00 01");
  sync_client_settle (b, 5);

  g_assert_true (crm_replica_delete (a->replica, CRM_ENTITY_ORGANISATION, org, NULL));
  sync_client_settle (a, 5);

  assert_as_server (a, org, "phone");
  assert_local (a, org, "phone", "+33 1 44 00 00 01");
  assert_local (a, org, "deleted", "true");
}

static void
db_command (const char *sql,
            const char *param)
{
  const char *params[] = { param };
  PGresult *result = PQexecParams (sync_cluster_db (cluster), sql, param != NULL ? 1 : 0, NULL,
                                   params, NULL, NULL, 0);

  g_assert_cmpint (PQresultStatus (result), ==, param != NULL ? PGRES_TUPLES_OK
                                                               : PGRES_COMMAND_OK);
  PQclear (result);
}

/*
 * A page brings the row while the author's op still holds the phone (the push waits on
 * the row's lock); the op then settles as a conflict while downloads back off, and the
 * app is closed before it pulls again: after the restart the row must still come again.
 */
static void
test_refetch_survives_restart (void)
{
  g_autoptr (SyncClient) a = new_client (NULL);
  g_autoptr (SyncClient) b = new_client (NULL);
  g_autofree char *org = create_org (a, "Patrimoine Écluse");
  g_autofree char *version = NULL;
  gint64 cursor = 0;

  sync_client_settle (a, 5);
  sync_client_settle (b, 5);
  edit (a, org, "phone", "+33 1 44 00 00 10");
  edit (b, org, "phone", "+33 1 44 00 00 20");
  sync_client_settle (b, 5);
  version = server_field (org, "version");

  db_command ("BEGIN", NULL);
  db_command ("SELECT 1 FROM organisations WHERE id = $1::uuid FOR UPDATE", org);
  crm_sync_engine_set_backoff (a->engine, 60000, 60000);
  crm_sync_engine_sync_now (a->engine);
  for (guint i = 0; i < 500 && cursor < g_ascii_strtoll (version, NULL, 10); i++)
    {
      sync_spin (20);
      g_assert_true (crm_replica_get_sync_position (a->replica, &cursor, NULL, NULL));
    }
  g_assert_cmpint (cursor, >=, g_ascii_strtoll (version, NULL, 10));
  assert_local (a, org, "phone", "+33 1 44 00 00 10");

  /* The waiting push dies with the server; both loops fail and back off for a minute. */
  sync_cluster_stop (cluster, 0, SIGKILL);
  db_command ("ROLLBACK", NULL);
  g_assert_false (sync_client_sync (a, NULL));
  g_assert_cmpint (crm_replica_outbox_count (a->replica, NULL), ==, 1);
  sync_cluster_start (cluster, 0);

  /* The push is retried at once, alone: the server keeps the other phone. */
  crm_sync_engine_sync_now (a->engine);
  for (guint i = 0; i < 500 && crm_replica_outbox_count (a->replica, NULL) > 0; i++)
    sync_spin (20);
  g_assert_cmpint (crm_replica_outbox_count (a->replica, NULL), ==, 0);

  sync_client_restart (a);
  sync_client_settle (a, 5);
  assert_as_server (a, org, "phone");
  assert_local (a, org, "phone", "+33 1 44 00 00 20");
}

#define RACE_ROWS 300

typedef struct
{
  CrmReplica *replica;
  GPtrArray  *ids;
  gint        done;
} Editor;

/* Creates rows and at once gives each a city: the edit folds into the create while it
 * is still waiting, never once it is taken; then it is an op of its own, behind the
 * create, with base version 0. */
static gpointer
edit_thread (gpointer data)
{
  Editor *editor = data;

  for (guint i = 0; i < RACE_ROWS; i++)
    {
      g_autofree char *name = g_strdup_printf ("Course %u", i);
      g_autofree char *city = g_strdup_printf ("Ville %u", i);
      g_autoptr (CrmRecord) fields = sync_fields (CRM_ENTITY_ORGANISATION, "name", name, NULL);
      g_autoptr (CrmRecord) change = sync_fields (CRM_ENTITY_ORGANISATION, "city", city, NULL);
      g_autoptr (CrmRecord) row = crm_replica_create (editor->replica, fields, NULL);
      g_autoptr (CrmRecord) updated = NULL;

      g_assert_nonnull (row);
      updated = crm_replica_update (editor->replica, CRM_ENTITY_ORGANISATION,
                                    crm_record_get_string (row, "id"), change, NULL);
      g_assert_nonnull (updated);
      g_ptr_array_add (editor->ids, g_strdup (crm_record_get_string (row, "id")));
    }
  g_atomic_int_set (&editor->done, 1);
  return NULL;
}

static void
test_edit_while_ops_are_taken (void)
{
  g_autoptr (SyncClient) a = new_client (NULL);
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  Editor editor = { a->replica, ids, 0 };
  GThread *thread;
  guint lost = 0;

  crm_sync_engine_set_batch_size (a->engine, 100);
  /* Edits from the first instant: an initial load would refuse them while it runs
   * (tests/sync/test-sync-initial.c); this test is about ops taken under edits. */
  crm_sync_engine_set_initial_load (a->engine, FALSE);
  thread = g_thread_new ("editor", edit_thread, &editor);
  while (!g_atomic_int_get (&editor.done))
    sync_client_sync (a, NULL);
  g_thread_join (thread);
  sync_client_settle (a, 10);

  for (guint i = 0; i < ids->len; i++)
    {
      g_autofree char *expected = g_strdup_printf ("Ville %u", i);
      g_autofree char *remote = server_field (g_ptr_array_index (ids, i), "city");

      if (g_strcmp0 (remote, expected) != 0)
        lost++;
    }
  g_assert_cmpuint (lost, ==, 0);
  for (guint i = 0; i < ids->len; i++)
    assert_as_server (a, g_ptr_array_index (ids, i), "city");
}

/* A batch's results settle in one SQLite transaction (each commit is an fsync): a
 * push of 40 updates, one merged among them, commits a handful of times, not 40, and
 * every op ends as the server has it, the merged one's row brought whole again. */
static int
count_commit (void *data)
{
  g_atomic_int_inc ((gint *) data);
  return 0;
}

static void
test_batch_settles_in_one_transaction (void)
{
  g_autoptr (SyncClient) a = new_client (NULL);
  g_autoptr (SyncClient) b = new_client (NULL);
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  gint commits = 0;

  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *name = g_strdup_printf ("Lot %02u", i);

      g_ptr_array_add (ids, create_org (a, name));
    }
  sync_client_settle (a, 5);
  sync_client_settle (b, 5);
  /* Someone else's phone on one row: the update of its city merges. */
  edit (b, g_ptr_array_index (ids, 7), "phone", "+33 1 40 00 00 07");
  sync_client_settle (b, 5);

  for (guint i = 0; i < ids->len; i++)
    {
      g_autofree char *city = g_strdup_printf ("Ville %02u", i);

      edit (a, g_ptr_array_index (ids, i), "city", city);
    }
  crm_sync_engine_set_batch_size (a->engine, 40);
  sqlite3_commit_hook (a->replica->db, count_commit, &commits);
  sync_client_settle (a, 5);
  sqlite3_commit_hook (a->replica->db, NULL, NULL);

  g_assert_cmpint (crm_replica_outbox_count (a->replica, NULL), ==, 0);
  /* Taking the ops, settling them, the page that brings the merged row, and the
   * round after: far from one commit per op. */
  g_test_message ("%d validations SQLite pour 40 opérations", commits);
  g_assert_cmpint (commits, <=, 10);
  for (guint i = 0; i < ids->len; i++)
    {
      assert_as_server (a, g_ptr_array_index (ids, i), "city");
      assert_as_server (a, g_ptr_array_index (ids, i), "phone");
      assert_as_server (a, g_ptr_array_index (ids, i), "version");
    }
  assert_local (a, g_ptr_array_index (ids, 7), "phone", "+33 1 40 00 00 07");
}

int
main (int    argc,
      char **argv)
{
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sync/settle/delete-after-remote-edit", test_delete_after_remote_edit);
  g_test_add_func ("/sync/settle/refetch-survives-restart", test_refetch_survives_restart);
  g_test_add_func ("/sync/settle/edit-while-ops-are-taken", test_edit_while_ops_are_taken);
  g_test_add_func ("/sync/settle/batch-in-one-transaction", test_batch_settles_in_one_transaction);

  cluster = sync_cluster_new (1);
  team = sync_cluster_add_team (cluster, "Équipe Règlement");
  status = g_test_run ();
  g_free (team);
  sync_cluster_free (cluster);
  return status;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-replica-sync"

#include "config.h"

#include <locale.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "crm-replica-private.h"
#include "replica-test-util.h"

#define OTHER_USER "01900000-0000-7000-8000-0000000000cc"

static CrmRecord *
server_org (const char *id,
            const char *name,
            const char *city,
            const char *updated_at)
{
  CrmRecord *r = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);

  crm_record_set_string (r, "id", id);
  crm_record_set_string (r, "name", name);
  crm_record_set_string (r, "city", city);
  crm_record_set_string (r, "created_at", "2026-01-01T10:00:00Z");
  crm_record_set_string (r, "updated_at", updated_at);
  crm_record_set_string (r, "created_by", OTHER_USER);
  crm_record_set_string (r, "updated_by", OTHER_USER);
  crm_record_set_string (r, "owner_id", TEST_USER);
  return r;
}

static void
apply_one (Fixture         *f,
           const char      *id,
           gint64           version,
           const CrmRecord *data,
           gint64           cursor)
{
  g_autoptr(GError) error = NULL;
  CrmReplicaChange change = { CRM_ENTITY_ORGANISATION, id, version, FALSE, data };

  g_assert_true (crm_replica_apply_pull (f->replica, &change, 1, NULL, 0, cursor, 1, &error));
  g_assert_no_error (error);
}

static CrmRecord *
get_org (Fixture    *f,
         const char *id)
{
  g_autoptr(GError) error = NULL;
  CrmRecord *row = crm_replica_get (f->replica, CRM_ENTITY_ORGANISATION, id, &error);

  g_assert_no_error (error);
  return row;
}

static void
test_insert_and_cursor (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  const char *id = "01900000-0000-7000-8000-000000000a01";
  g_autoptr(CrmRecord) org = server_org (id, "Banque Pictet", "Genève", "2026-01-01T10:00:00Z");
  g_autoptr(CrmRecord) row = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  gint64 cursor = -1, epoch = -1;

  apply_one (f, id, 12, org, 12);
  row = get_org (f, id);
  g_assert_cmpint (crm_record_get_int (row, "version"), ==, 12);
  g_assert_cmpstr (crm_record_get_string (row, "city"), ==, "Genève");
  g_assert_true (crm_replica_get_sync_position (f->replica, &cursor, &epoch, &error));
  g_assert_cmpint (cursor, ==, 12);
  g_assert_cmpint (epoch, ==, 1);
  g_assert_cmpint (crm_replica_outbox_count (f->replica, &error), ==, 0);

  /* Pulled rows are searchable at once. */
  groups = crm_replica_search (f->replica, "pictet", NULL, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (groups->len, ==, 1);
}

static void
test_pending_fields_keep_local_value (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  const char *id = "01900000-0000-7000-8000-000000000a02";
  g_autoptr(CrmRecord) v5 = server_org (id, "Crédit Alpin", "Grenoble", "2026-01-01T10:00:00Z");
  g_autoptr(CrmRecord) v7 = server_org (id, "Crédit Alpin SA", "Paris", "2026-02-01T10:00:00Z");
  g_autoptr(CrmRecord) local = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);
  g_autoptr(CrmRecord) updated = NULL;
  g_autoptr(CrmRecord) row = NULL;
  g_autoptr(GPtrArray) history = NULL;
  gboolean saw_remote_name = FALSE;

  apply_one (f, id, 5, v5, 5);
  crm_record_set_string (local, "city", "Lyon");
  updated = crm_replica_update (f->replica, CRM_ENTITY_ORGANISATION, id, local, &error);
  g_assert_no_error (error);

  apply_one (f, id, 7, v7, 7);
  row = get_org (f, id);
  /* The name moved on the server; the city has a queued local edit and stays. */
  g_assert_cmpstr (crm_record_get_string (row, "name"), ==, "Crédit Alpin SA");
  g_assert_cmpstr (crm_record_get_string (row, "city"), ==, "Lyon");
  g_assert_cmpint (crm_record_get_int (row, "version"), ==, 7);

  history = crm_replica_history (f->replica, CRM_ENTITY_ORGANISATION, id, &error);
  for (guint i = 0; i < history->len; i++)
    {
      CrmHistoryEntry *e = history->pdata[i];

      g_assert_false (e->remote && g_strcmp0 (e->field, "city") == 0);
      if (e->remote && g_strcmp0 (e->field, "name") == 0)
        {
          g_assert_cmpstr (e->old_value, ==, "Crédit Alpin");
          g_assert_cmpstr (e->new_value, ==, "Crédit Alpin SA");
          g_assert_cmpstr (e->changed_by, ==, OTHER_USER);
          g_assert_cmpstr (e->changed_at, ==, "2026-02-01T10:00:00Z");
          saw_remote_name = TRUE;
        }
    }
  g_assert_true (saw_remote_name);
}

static gint64
scalar (CrmReplica *replica,
        const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (replica->db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static gboolean
finds_org (Fixture    *f,
           const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) groups = crm_replica_search (f->replica, text, NULL, 10, &error);

  g_assert_no_error (error);
  return groups->len > 0;
}

/* Rows inserted by a page are indexed at its end, in their final state, even
 * when the same page changes or revokes them; older rows the page touches are
 * reindexed at once. The index then holds exactly the live rows. */
static void
test_page_indexed_in_final_state (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  const char *a = "01900000-0000-7000-8000-000000000b01";
  const char *b = "01900000-0000-7000-8000-000000000b02";
  const char *c = "01900000-0000-7000-8000-000000000b03";
  g_autoptr(CrmRecord) old_v1 = server_org (c, "Ancienne Maison", "Tours", "2026-01-01T10:00:00Z");
  g_autoptr(CrmRecord) a_v1 = server_org (a, "Première Banque", "Lille", "2026-01-01T10:00:00Z");
  g_autoptr(CrmRecord) a_v2 = server_org (a, "Seconde Banque", "Lille", "2026-01-02T10:00:00Z");
  g_autoptr(CrmRecord) b_v1 = server_org (b, "Banque Éphémère", "Metz", "2026-01-01T10:00:00Z");
  g_autoptr(CrmRecord) old_v2 = server_org (c, "Nouvelle Maison", "Tours", "2026-01-03T10:00:00Z");
  CrmReplicaChange page[] = {
    { CRM_ENTITY_ORGANISATION, a, 2, FALSE, a_v1 },
    { CRM_ENTITY_ORGANISATION, a, 3, FALSE, a_v2 },
    { CRM_ENTITY_ORGANISATION, b, 4, FALSE, b_v1 },
    { CRM_ENTITY_ORGANISATION, c, 5, FALSE, old_v2 },
  };
  CrmReplicaRevoke revoke = { CRM_ENTITY_ORGANISATION, b };

  apply_one (f, c, 1, old_v1, 1);
  g_assert_true (crm_replica_apply_pull (f->replica, page, G_N_ELEMENTS (page), &revoke, 1, 5, 1,
                                         &error));
  g_assert_no_error (error);

  g_assert_true (finds_org (f, "seconde"));
  g_assert_false (finds_org (f, "premiere"));
  g_assert_false (finds_org (f, "ephemere"));
  g_assert_true (finds_org (f, "nouvelle maison"));
  g_assert_false (finds_org (f, "ancienne"));
  /* The rows the index holds, each once, read from the index itself (its tables
   * keep no per-row record since 0004: columnsize=0). */
  g_assert_cmpint (sqlite3_exec (f->replica->db, "CREATE VIRTUAL TABLE temp.org_instances USING "
                                                 "fts5vocab (main, organisations_fts, instance)",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (scalar (f->replica, "SELECT count (DISTINCT doc) FROM temp.org_instances"), ==,
                   scalar (f->replica, "SELECT count (*) FROM organisations WHERE deleted = 0"));
  g_assert_cmpint (sqlite3_exec (f->replica->db, "DROP TABLE temp.org_instances", NULL, NULL, NULL),
                   ==, SQLITE_OK);
}

static void
test_replayed_page_changes_nothing (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  const char *id = "01900000-0000-7000-8000-000000000a03";
  g_autoptr(CrmRecord) v3 = server_org (id, "Famille Hébert", "Caen", "2026-01-01T10:00:00Z");
  g_autoptr(CrmRecord) v4 = server_org (id, "Famille Hébert", "Rouen", "2026-01-02T10:00:00Z");
  g_autoptr(CrmRecord) row = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;

  apply_one (f, id, 3, v3, 3);
  apply_one (f, id, 4, v4, 4);
  before = crm_replica_history (f->replica, CRM_ENTITY_ORGANISATION, id, &error);
  apply_one (f, id, 4, v4, 4);
  apply_one (f, id, 3, v3, 4);
  after = crm_replica_history (f->replica, CRM_ENTITY_ORGANISATION, id, &error);
  g_assert_cmpuint (before->len, ==, after->len);
  row = get_org (f, id);
  g_assert_cmpstr (crm_record_get_string (row, "city"), ==, "Rouen");
}

static void
test_revoke_quarantines_local_edits (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  const char *id = "01900000-0000-7000-8000-000000000a04";
  g_autoptr (CrmRecord) v2
      = server_org (id, "Gestion Privée Vendôme", "Paris", "2026-01-01T10:00:00Z");
  g_autoptr(CrmRecord) local = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);
  g_autoptr(CrmRecord) updated = NULL;
  g_autoptr(CrmRecord) gone = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  CrmReplicaRevoke revoke = { CRM_ENTITY_ORGANISATION, id };

  apply_one (f, id, 2, v2, 2);
  crm_record_set_string (local, "notes", "Rendez-vous pris pour mars.");
  updated = crm_replica_update (f->replica, CRM_ENTITY_ORGANISATION, id, local, &error);
  g_assert_cmpint (crm_replica_outbox_count (f->replica, &error), ==, 1);

  g_assert_true (crm_replica_apply_pull (f->replica, NULL, 0, &revoke, 1, 9, 1, &error));
  g_assert_no_error (error);
  gone = crm_replica_get (f->replica, CRM_ENTITY_ORGANISATION, id, &error);
  g_assert_null (gone);
  g_assert_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (crm_replica_outbox_count (f->replica, &error), ==, 0);
  g_assert_cmpint (crm_replica_quarantine_count (f->replica, &error), ==, 1);
  groups = crm_replica_search (f->replica, "vendome", NULL, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (groups->len, ==, 0);
}

static void
test_conflicts_keep_mine_or_theirs (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  const char *id = "01900000-0000-7000-8000-000000000a05";
  g_autoptr(CrmRecord) v8 = server_org (id, "Caisse Rhône", "Lyon", "2026-01-01T10:00:00Z");
  CrmReplicaConflict city = { 0, "organisation", (char *) id, (char *) "city", (char *) "field",
                              (char *) "Villeurbanne", (char *) "Lyon", (char *) OTHER_USER,
                              (char *) "2026-01-03T10:00:00Z" };
  CrmReplicaConflict name = city;
  g_autoptr(GPtrArray) open = NULL;
  g_autoptr(GPtrArray) left = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(CrmRecord) row = NULL;

  apply_one (f, id, 8, v8, 8);
  name.field = (char *) "name";
  name.mine = (char *) "Caisse du Rhône";
  name.theirs = (char *) "Caisse Rhône";
  g_assert_true (crm_replica_add_conflict (f->replica, &city, "op-1", &error));
  g_assert_true (crm_replica_add_conflict (f->replica, &name, "op-1", &error));
  g_assert_no_error (error);

  open = crm_replica_list_conflicts (f->replica, CRM_ENTITY_ORGANISATION, id, &error);
  g_assert_cmpuint (open->len, ==, 2);

  /* Mine: the local value is queued again as an ordinary edit. */
  g_assert_true (crm_replica_resolve_conflict (f->replica,
                                               ((CrmReplicaConflict *) open->pdata[0])->cid, TRUE,
                                               &error));
  g_assert_no_error (error);
  row = get_org (f, id);
  g_assert_cmpstr (crm_record_get_string (row, "city"), ==, "Villeurbanne");
  ops = crm_replica_outbox_peek (f->replica, 0, &error);
  g_assert_cmpuint (ops->len, ==, 1);
  g_assert_cmpint (((CrmOutboxOp *) ops->pdata[0])->base_version, ==, 8);

  /* Theirs: nothing to send. */
  g_assert_true (crm_replica_resolve_conflict (f->replica,
                                               ((CrmReplicaConflict *) open->pdata[1])->cid, FALSE,
                                               &error));
  g_assert_cmpint (crm_replica_outbox_count (f->replica, &error), ==, 1);
  left = crm_replica_list_conflicts (f->replica, CRM_ENTITY_ORGANISATION, NULL, &error);
  g_assert_cmpuint (left->len, ==, 0);
  g_assert_false (crm_replica_resolve_conflict (f->replica,
                                                ((CrmReplicaConflict *) open->pdata[1])->cid, FALSE,
                                                &error));
  g_assert_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_NOT_FOUND);
}

#define PAGE 20

/* The child applies page after page; cursor n means n pages of PAGE rows. */
G_GNUC_NORETURN static void
pull_loop (const char *path)
{
  g_autoptr(CrmReplica) replica = crm_replica_open (path, CRM_REPLICA_OPEN_NONE, NULL);
  gint64 cursor = 0;

  if (replica == NULL || !crm_replica_get_sync_position (replica, &cursor, NULL, NULL))
    _exit (3);
  for (;; cursor++)
    {
      CrmReplicaChange changes[PAGE];
      CrmRecord *rows[PAGE];
      char *ids[PAGE];

      for (guint i = 0; i < PAGE; i++)
        {
          g_autofree char *name
              = g_strdup_printf ("Organisation %" G_GINT64_FORMAT "-%u", cursor, i);

          ids[i] = g_strdup_printf ("01900000-0000-7000-8000-%012" G_GINT64_MODIFIER "x",
                                    cursor * PAGE + i + 1);
          rows[i] = server_org (ids[i], name, "Nantes", "2026-01-01T10:00:00Z");
          changes[i]
              = (CrmReplicaChange){ CRM_ENTITY_ORGANISATION, ids[i], cursor + 1, FALSE, rows[i] };
        }
      crm_replica_apply_pull (replica, changes, PAGE, NULL, 0, cursor + 1, 1, NULL);
      for (guint i = 0; i < PAGE; i++)
        {
          crm_record_unref (rows[i]);
          g_free (ids[i]);
        }
    }
}

static void
test_kill_during_pull (Fixture *f, gconstpointer data)
{
  g_autoptr(GRand) rand = g_rand_new ();
  gint64 last_cursor = 0;

  g_clear_object (&f->replica);
  for (guint round = 0; round < 15; round++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CrmReplica) replica = NULL;
      g_autoptr(CrmReplicaQuery) q = crm_replica_query_new (CRM_ENTITY_ORGANISATION);
      gint64 cursor = -1;
      int status = 0;
      pid_t pid = fork ();

      g_assert_cmpint (pid, >=, 0);
      if (pid == 0)
        pull_loop (f->path);
      g_usleep ((gulong) g_rand_int_range (rand, 20, 200) * 1000);
      g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);

      replica = crm_replica_open (f->path, CRM_REPLICA_OPEN_NONE, &error);
      g_assert_no_error (error);
      g_assert_true (crm_replica_get_sync_position (replica, &cursor, NULL, &error));
      /* Whole pages only: the rows and the cursor moved together. */
      g_assert_cmpint (crm_replica_count (replica, q, &error), ==, cursor * PAGE);
      g_assert_cmpint (cursor, >=, last_cursor);
      last_cursor = cursor;
      g_assert_true (crm_replica_close (replica, &error));
    }
  /* The children did get work done between the kills (few pages on a loaded
   * machine under sanitizers, so only "some"). */
  g_assert_cmpint (last_cursor, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

#define ADD(name, fn) g_test_add (name, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/replica/sync/insert-and-cursor", test_insert_and_cursor);
  ADD ("/replica/sync/pending-fields-keep-local-value", test_pending_fields_keep_local_value);
  ADD ("/replica/sync/replayed-page-changes-nothing", test_replayed_page_changes_nothing);
  ADD ("/replica/sync/page-indexed-in-final-state", test_page_indexed_in_final_state);
  ADD ("/replica/sync/revoke-quarantines-local-edits", test_revoke_quarantines_local_edits);
  ADD ("/replica/sync/conflicts-keep-mine-or-theirs", test_conflicts_keep_mine_or_theirs);
  ADD ("/replica/sync/kill-during-pull-old-or-new-cursor", test_kill_during_pull);

  return g_test_run ();
}

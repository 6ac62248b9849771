/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-replica-durability"

#include "config.h"

#include <json-glib/json-glib.h>
#include <locale.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include "crm-json.h"
#include "crm-replica-private.h"
#include "replica-test-util.h"

static char *
integrity (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *verdict = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    verdict = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return verdict;
}

/* The child: creates and edits organisations as fast as it can until killed. */
G_GNUC_NORETURN static void
writer_loop (const char *path,
             guint32     seed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmReplica) replica = crm_replica_open (path, CRM_REPLICA_OPEN_NONE, &error);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  if (replica == NULL)
    _exit (3);
  crm_replica_set_user (replica, TEST_USER, NULL, NULL);
  for (guint i = 0;; i++)
    {
      if (ids->len == 0 || g_rand_int_range (rand, 0, 3) == 0)
        {
          g_autoptr(CrmRecord) r = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);
          g_autofree char *name = g_strdup_printf ("Organisation %u-%u", seed, i);
          g_autoptr(CrmRecord) row = NULL;

          crm_record_set_string (r, "name", name);
          crm_record_set_string (r, "notes", "Créée par le test de robustesse.");
          row = crm_replica_create (replica, r, NULL);
          if (row != NULL)
            g_ptr_array_add (ids, g_strdup (crm_record_get_string (row, "id")));
        }
      else
        {
          g_autoptr(CrmRecord) c = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);
          g_autoptr(CrmRecord) row = NULL;
          g_autofree char *city = g_strdup_printf ("Ville %u", g_rand_int_range (rand, 0, 1000));
          const char *id = ids->pdata[g_rand_int_range (rand, 0, (gint32) ids->len)];

          crm_record_set_string (c, "city", city);
          row = crm_replica_update (replica, CRM_ENTITY_ORGANISATION, id, c, NULL);
          if (g_rand_int_range (rand, 0, 5) == 0)
            {
              /* Some ops get "sent", so later edits make new ops. */
              g_autoptr(GPtrArray) ops = crm_replica_outbox_peek (replica, 1, NULL);

              if (ops != NULL && ops->len > 0)
                crm_replica_outbox_mark_sent (replica, ((CrmOutboxOp *)ops->pdata[0])->op_id, NULL);
            }
        }
    }
}

/* Folds the outbox ops of each row and compares with the rows: same set of rows,
 * and every queued field equal to the row's value. */
static void
assert_outbox_matches_rows (CrmReplica *replica)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ops = crm_replica_outbox_peek (replica, 0, &error);
  g_autoptr(GHashTable) folded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) crm_record_unref);
  g_autoptr(CrmReplicaQuery) q = crm_replica_query_new (CRM_ENTITY_ORGANISATION);
  gint64 n_rows;

  g_assert_no_error (error);
  for (guint i = 0; i < ops->len; i++)
    {
      CrmOutboxOp *op = ops->pdata[i];
      g_autoptr (CrmRecord) fields = crm_record_from_json_data (
          crm_entity_get (CRM_ENTITY_ORGANISATION), op->fields, -1, CRM_JSON_NONE, &error);
      CrmRecord *acc = g_hash_table_lookup (folded, op->row_id);

      g_assert_no_error (error);
      if (g_strcmp0 (op->kind, "create") == 0)
        {
          g_assert_null (acc);
          g_hash_table_insert (folded, g_strdup (op->row_id), g_steal_pointer (&fields));
        }
      else
        {
          g_assert_nonnull (acc);
          crm_record_merge_from (acc, fields);
        }
    }

  n_rows = crm_replica_count (replica, q, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n_rows, ==, g_hash_table_size (folded));

  {
    GHashTableIter iter;
    const char *id;
    CrmRecord *acc;

    g_hash_table_iter_init (&iter, folded);
    while (g_hash_table_iter_next (&iter, (gpointer *) &id, (gpointer *) &acc))
      {
        g_autoptr(CrmRecord) row = crm_replica_get (replica, CRM_ENTITY_ORGANISATION, id, &error);
        g_autoptr(GPtrArray) present = crm_record_list_present (acc);

        g_assert_no_error (error);
        for (guint i = 0; i < present->len; i++)
          g_assert_true (crm_record_field_equal (row, acc, present->pdata[i]));
      }
  }
}

static void
test_kill_at_random_points (Fixture *f, gconstpointer data)
{
  g_autoptr(GRand) rand = g_rand_new ();
  guint rounds = 30;

  g_clear_object (&f->replica);
  for (guint round = 0; round < rounds; round++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CrmReplica) replica = NULL;
      g_autofree char *verdict = NULL;
      int status = 0;
      pid_t pid = fork ();

      g_assert_cmpint (pid, >=, 0);
      if (pid == 0)
        writer_loop (f->path, round);

      g_usleep ((gulong) g_rand_int_range (rand, 20, 150) * 1000);
      g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_assert_true (WIFSIGNALED (status));

      verdict = integrity (f->path);
      g_assert_cmpstr (verdict, ==, "ok");
      replica = crm_replica_open (f->path, CRM_REPLICA_OPEN_NONE, &error);
      g_assert_no_error (error);
      g_assert_false (crm_replica_get_recovery (replica, NULL, NULL));
      assert_outbox_matches_rows (replica);
      g_assert_true (crm_replica_close (replica, &error));
    }
}

/* Where the root page of @name starts in the file, in bytes. */
static gint64
root_page_offset (const char *path,
                  const char *name)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 offset = -1;

  sqlite3_open (path, &db);
  sqlite3_prepare_v2 (db, "SELECT (rootpage - 1) * (SELECT page_size FROM pragma_page_size) "
                          "FROM sqlite_schema WHERE name = ? AND rootpage > 1", -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    offset = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return offset;
}

static void
fill_some (CrmReplica *replica,
           guint       n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CrmRecord) r = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);
      g_autofree char *name = g_strdup_printf ("Banque %u", i);
      g_autoptr(CrmRecord) row = NULL;

      crm_record_set_string (r, "name", name);
      row = crm_replica_create (replica, r, &error);
      g_assert_no_error (error);
    }
}

static void
damage_index_page (const char *path)
{
  gint64 offset = root_page_offset (path, "organisations_name");
  FILE *file;

  g_assert_cmpint (offset, >, 0);
  file = fopen (path, "r+b");
  g_assert_nonnull (file);
  fseek (file, (long) offset + 8, SEEK_SET);
  for (int i = 0; i < 512; i++)
    fputc (0x5a, file);
  fclose (file);
}

/* After a crash (the session marker left behind) the open checks the file by
 * itself, and sets a damaged one aside. */
static void
test_crash_then_damage_detected (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *marker = g_strconcat (f->path, "-session", NULL);

  fill_some (f->replica, 300);
  g_assert_true (crm_replica_close (f->replica, &error));
  g_clear_object (&f->replica);
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));

  damage_index_page (f->path);
  g_assert_true (g_file_set_contents (marker, "", 0, NULL));
  f->replica = crm_replica_open (f->path, CRM_REPLICA_OPEN_NONE, &error);
  g_assert_no_error (error);
  g_assert_true (crm_replica_get_recovery (f->replica, NULL, NULL));
  g_assert_cmpint (crm_replica_outbox_count (f->replica, &error), ==, 300);
}

static void
test_corrupt_file_moved_aside (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *client_id = g_strdup (crm_replica_get_client_id (f->replica));
  g_autofree char *contents = NULL;
  const char *moved_to = NULL;
  guint n_salvaged = 0;
  gsize len = 0;

  fill_some (f->replica, 300);
  g_assert_true (crm_replica_close (f->replica, &error));
  g_clear_object (&f->replica);

  /* Damage one index page: the file still opens, but fails its check. */
  damage_index_page (f->path);

  f->replica = crm_replica_open (f->path, CRM_REPLICA_OPEN_CHECK_INTEGRITY, &error);
  g_assert_no_error (error);
  g_assert_true (crm_replica_get_recovery (f->replica, &moved_to, &n_salvaged));
  g_assert_true (g_file_test (moved_to, G_FILE_TEST_EXISTS));
  g_assert_true (g_str_has_prefix (moved_to, f->path));
  g_assert_cmpuint (n_salvaged, ==, 300);
  g_assert_cmpint (crm_replica_outbox_count (f->replica, &error), ==, 300);
  g_assert_cmpstr (crm_replica_get_client_id (f->replica), ==, client_id);

  /* The damaged file is kept as it was: never deleted. */
  g_assert_true (g_file_get_contents (moved_to, &contents, &len, NULL));
  g_assert_cmpuint (len, >, CRM_REPLICA_PAGE_SIZE);
}

static void
test_not_a_database (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  const char *moved_to = NULL;

  g_clear_object (&f->replica);
  g_assert_true (g_file_set_contents (f->path,
                                      "ceci n’est pas une base de données, "
                                      "mais un fichier texte bien plus long qu’un en-tête.",
                                      -1, NULL));
  f->replica = crm_replica_open (f->path, CRM_REPLICA_OPEN_NONE, &error);
  g_assert_no_error (error);
  g_assert_true (crm_replica_get_recovery (f->replica, &moved_to, NULL));
  g_assert_true (g_file_test (moved_to, G_FILE_TEST_EXISTS));
  fill_some (f->replica, 1);
}

static void
test_locked_database (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRecord) r = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);
  g_autoptr(CrmRecord) row = NULL;
  sqlite3 *other = NULL;

  fill_some (f->replica, 1);
  g_assert_cmpint (sqlite3_open (f->path, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);

  crm_replica_set_busy_timeout (f->replica, 50);
  crm_record_set_string (r, "name", "Verrouillée");
  row = crm_replica_create (f->replica, r, &error);
  g_assert_null (row);
  g_assert_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "verrouillées"));
  g_clear_error (&error);

  sqlite3_exec (other, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close (other);
  g_assert_cmpint (crm_replica_outbox_count (f->replica, &error), ==, 1);
  row = crm_replica_create (f->replica, r, &error);
  g_assert_no_error (error);
}

static void
test_disk_full (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRecord) r = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);
  g_autoptr(CrmRecord) row = NULL;
  g_autoptr(GString) notes = g_string_new (NULL);
  g_autoptr(CrmReplicaQuery) q = crm_replica_query_new (CRM_ENTITY_ORGANISATION);

  fill_some (f->replica, 5);
  /* The file may not grow any more, and has no free page left (VACUUM): what a
   * full disk looks like to SQLite. */
  g_assert_cmpint (sqlite3_exec (f->replica->db, "VACUUM; PRAGMA max_page_count = 1", NULL, NULL,
                                 NULL), ==, SQLITE_OK);
  /* More than a page of text (its overflow needs a new one), within the field's limit. */
  while (notes->len < CRM_REPLICA_PAGE_SIZE + 1024)
    g_string_append (notes, "Une très longue note qui ne tiendra pas sur le disque. ");
  crm_record_set_string (r, "name", "Trop grande");
  crm_record_set_string (r, "notes", notes->str);
  row = crm_replica_create (f->replica, r, &error);
  g_assert_null (row);
  g_assert_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_DISK_FULL);
  g_clear_error (&error);

  /* Nothing half-written: no row, no op, no history. */
  g_assert_cmpint (crm_replica_count (f->replica, q, &error), ==, 5);
  g_assert_cmpint (crm_replica_outbox_count (f->replica, &error), ==, 5);

}

/* Words met in a transaction that rolls back must be offered again: they are not
 * in search_terms, whatever the connection's cache of known words says. */
static void
test_rollback_forgets_words (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRecord) r = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);
  g_autoptr(CrmRecord) row = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_exec (f->replica->db,
                                 "BEGIN; INSERT INTO organisations (id, name, notes) VALUES "
                                 "('01900000-0000-7000-8000-000000000123', 'X', 'zythophile');"
                                 "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  crm_record_set_string (r, "name", "Brasserie");
  crm_record_set_string (r, "notes", "Un client zythophile.");
  row = crm_replica_create (f->replica, r, &error);
  g_assert_no_error (error);

  g_assert_cmpint (sqlite3_prepare_v2 (f->replica->db,
                                       "SELECT count (*) FROM search_terms "
                                       "WHERE term = 'zythophile'",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  sqlite3_finalize (stmt);
}

static void
test_missing_folder (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "absent", "replica.db", NULL);
  g_autoptr(CrmReplica) replica = crm_replica_open (path, CRM_REPLICA_OPEN_NONE, &error);

  g_assert_null (replica);
  g_assert_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_CANNOT_OPEN);
  g_assert_nonnull (strstr (error->message, "dossier"));
}

static void
test_read_only_file (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  int status = 0;
  pid_t pid;

  fill_some (f->replica, 1);
  g_assert_true (crm_replica_close (f->replica, &error));
  g_clear_object (&f->replica);
  g_assert_cmpint (g_chmod (f->dir, 0555), ==, 0);
  g_assert_cmpint (g_chmod (f->path, 0444), ==, 0);

  /* root may write anywhere: check as an ordinary user, in a child. */
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      g_autoptr(CrmReplica) replica = NULL;

      if (geteuid () == 0 && (setgid (65534) != 0 || setuid (65534) != 0))
        _exit (2);
      replica = crm_replica_open (f->path, CRM_REPLICA_OPEN_NONE, &error);
      _exit (replica == NULL &&
             g_error_matches (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_READ_ONLY) &&
             strstr (error->message, "lecture seule") != NULL ? 0 : 1);
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_chmod (f->dir, 0700);
  g_chmod (f->path, 0644);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

#define ADD(name, fn) g_test_add (name, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/replica/durability/kill-at-random-points", test_kill_at_random_points);
  ADD ("/replica/durability/corrupt-file-moved-aside-outbox-salvaged",
       test_corrupt_file_moved_aside);
  ADD ("/replica/durability/not-a-database-moved-aside", test_not_a_database);
  ADD ("/replica/durability/crash-then-damage-detected", test_crash_then_damage_detected);
  ADD ("/replica/durability/locked-database-clear-error", test_locked_database);
  ADD ("/replica/durability/disk-full-nothing-half-written", test_disk_full);
  ADD ("/replica/durability/read-only-file-clear-error", test_read_only_file);
  ADD ("/replica/durability/rollback-forgets-words", test_rollback_forgets_words);
  ADD ("/replica/durability/missing-folder-clear-error", test_missing_folder);

  return g_test_run ();
}

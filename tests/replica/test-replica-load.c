/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The initial load of an empty replica (crm-replica-load.c): complete and
 * searchable afterwards, the same vocabulary as row-by-row indexing, refused
 * into a non-empty replica, all or nothing when abandoned or killed.
 */
#define G_LOG_DOMAIN "test-replica-load"

#include "config.h"

#include <locale.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include "crm-replica-private.h"
#include "replica-test-util.h"

#define DEMO_SCALE 1000
#define DEMO_ROWS (DEMO_SCALE / 10 + 2 * (DEMO_SCALE * 4 / 10) + DEMO_SCALE / 20 + \
                   DEMO_SCALE * 3 / 10 + DEMO_SCALE * 15 / 100)

static gint64
scalar (sqlite3    *db,
        const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static gboolean
journal_is_wal (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  gboolean wal;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  wal = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "wal") == 0;
  sqlite3_finalize (stmt);
  return wal;
}

/* Indexes and triggers: the load drops some and must bring every one back. */
static gint64
schema_objects (sqlite3 *db)
{
  return scalar (db, "SELECT count (*) FROM sqlite_schema WHERE type IN ('index', 'trigger')");
}

static gint64
entity_rows (sqlite3 *db)
{
  return scalar (db, "SELECT (SELECT count (*) FROM organisations) + (SELECT count (*) FROM "
                     "people) + (SELECT count (*) FROM links) + (SELECT count (*) FROM mandats) "
                     "+ (SELECT count (*) FROM interactions) + (SELECT count (*) FROM tasks)");
}

/* The connection's own settings are back after a load. */
static void
assert_settings_restored (sqlite3 *db)
{
  g_assert_cmpint (scalar (db, "PRAGMA synchronous"), ==, 2);
  g_assert_cmpint (scalar (db, "PRAGMA wal_autocheckpoint"), ==, 1000);
  g_assert_cmpint (scalar (db, "PRAGMA cache_size"), ==, CRM_REPLICA_CACHE_KIB);
  g_assert_cmpint (scalar (db, "PRAGMA temp_store"), ==, 2);
  g_assert_cmpint (scalar (db, "PRAGMA mmap_size"), ==, 0);
  g_assert_true (journal_is_wal (db));
}

static void
load_demo (CrmReplica *replica,
           guint32     seed,
           gint64      cursor)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmReplicaDemo) demo = crm_replica_demo_new (DEMO_SCALE, seed, TEST_USER);

  g_assert_cmpuint (crm_replica_demo_get_n_rows (demo), ==, DEMO_ROWS);
  g_assert_true (crm_replica_initial_load_begin (replica, &error));
  g_assert_no_error (error);
  for (;;)
    {
      g_autoptr(GPtrArray) batch = crm_replica_demo_next (demo, 333);

      if (batch->len == 0)
        break;
      g_assert_true (crm_replica_initial_load_rows (replica, (CrmRecord *const *) batch->pdata,
                                                    batch->len, &error));
      g_assert_no_error (error);
    }
  g_assert_true (crm_replica_initial_load_commit (replica, cursor, 3, &error));
  g_assert_no_error (error);
}

static guint
hits (CrmReplica   *replica,
      const char   *text,
      CrmEntityKind kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) groups = crm_replica_search (replica, text, NULL, 50, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < groups->len; i++)
    if (((CrmSearchGroup *) groups->pdata[i])->kind == kind)
      return ((CrmSearchGroup *) groups->pdata[i])->hits->len;
  return 0;
}

static void
test_complete_and_searchable (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmReplicaQuery) people_q = crm_replica_query_new (CRM_ENTITY_PERSON);
  g_autoptr(GPtrArray) people = NULL;
  g_autoptr(CrmRecord) draft = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);
  g_autoptr(CrmRecord) created = NULL;
  gint64 n_schema = schema_objects (f->replica->db);
  gint64 cursor = 0, epoch = 0;

  load_demo (f->replica, 11, 42);

  g_assert_cmpint (entity_rows (f->replica->db), ==, DEMO_ROWS);
  g_assert_cmpint (schema_objects (f->replica->db), ==, n_schema);
  g_assert_false (crm_replica_is_loading (f->replica));
  assert_settings_restored (f->replica->db);
  g_assert_cmpint (crm_replica_outbox_count (f->replica, &error), ==, 0);
  g_assert_true (crm_replica_get_sync_position (f->replica, &cursor, &epoch, &error));
  g_assert_cmpint (cursor, ==, 42);
  g_assert_cmpint (epoch, ==, 3);
  /* Statistics for the planner came with the load. */
  g_assert_cmpint (scalar (f->replica->db, "SELECT count (*) FROM sqlite_stat1"), >, 30);

  /* Words, accents, prefixes and typos, through the indexes built at the end. */
  g_assert_cmpuint (hits (f->replica, "societe generale", CRM_ENTITY_ORGANISATION), >, 0);
  g_assert_cmpuint (hits (f->replica, "Œuvre", CRM_ENTITY_ORGANISATION), >, 0);
  g_assert_cmpuint (hits (f->replica, "genarale", CRM_ENTITY_ORGANISATION), >, 0);
  g_assert_cmpuint (hits (f->replica, "trimestr", CRM_ENTITY_INTERACTION), >, 0);

  /* Participants, from the JSON arrays in one pass: a person's interactions. */
  people = crm_replica_list (f->replica, people_q, NULL, &error);
  g_assert_no_error (error);
  {
    gint64 total = 0;

    for (guint i = 0; i < people->len; i++)
      {
        g_autoptr(CrmReplicaQuery) by_person = crm_replica_query_new (CRM_ENTITY_INTERACTION);

        crm_replica_query_filter (by_person, "person_id", CRM_REPLICA_EQ,
                                  crm_record_get_string (people->pdata[i], "id"));
        total += crm_replica_count (f->replica, by_person, &error);
        g_assert_no_error (error);
      }
    g_assert_cmpint (total, >, 0);
    g_assert_cmpint (scalar (f->replica->db, "SELECT count (*) FROM interaction_participants"),
                     ==, DEMO_SCALE * 3 / 10);
  }

  /* The triggers are back: a row made afterwards is found at once. */
  crm_record_set_string (draft, "name", "Banque Zéphyrine");
  created = crm_replica_create (f->replica, draft, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits (f->replica, "zephyrine", CRM_ENTITY_ORGANISATION), ==, 1);
  g_assert_cmpuint (hits (f->replica, "zepyhrine", CRM_ENTITY_ORGANISATION), ==, 1);
}

static GPtrArray *
terms_of (sqlite3 *db)
{
  GPtrArray *terms = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT term FROM search_terms ORDER BY term", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (terms, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  return terms;
}

/* How many words the trigram index holds (each word is one of its rows). */
static gint64
trigram_words (sqlite3 *db)
{
  gint64 n;

  g_assert_cmpint (sqlite3_exec (db, "CREATE VIRTUAL TABLE temp.tri_instances USING fts5vocab "
                                     "(main, search_terms_tri, instance)", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  n = scalar (db, "SELECT count (DISTINCT doc) FROM temp.tri_instances");
  g_assert_cmpint (sqlite3_exec (db, "DROP TABLE temp.tri_instances", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  return n;
}

/* The vocabulary read from the FTS5 indexes is the one the row-by-row path
 * (crm_terms() over each row) builds from the same rows: œ, apostrophes and
 * e-mail addresses included. */
static void
test_vocabulary_as_row_by_row (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmReplica) other = crm_replica_open (":memory:", CRM_REPLICA_OPEN_NONE, &error);
  g_autoptr(CrmRecord) draft = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);
  g_autoptr(CrmRecord) created = NULL;
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GPtrArray) indexed = NULL;

  g_assert_no_error (error);
  load_demo (f->replica, 5, -1);

  /* One row first, so the demo data takes the per-row path. */
  crm_record_set_string (draft, "name", "Zzqx");
  created = crm_replica_create (other, draft, &error);
  g_assert_no_error (error);
  g_assert_true (crm_replica_fill_demo (other, DEMO_SCALE, 5, &error));
  g_assert_no_error (error);

  loaded = terms_of (f->replica->db);
  indexed = terms_of (other->db);
  {
    guint extra;

    g_assert_true (g_ptr_array_find_with_equal_func (indexed, "zzqx", g_str_equal, &extra));
    g_ptr_array_remove_index (indexed, extra);
  }
  g_assert_cmpuint (loaded->len, >, 100);
  g_assert_cmpuint (loaded->len, ==, indexed->len);
  for (guint i = 0; i < loaded->len; i++)
    g_assert_cmpstr (loaded->pdata[i], ==, indexed->pdata[i]);

  /* The load fills the trigram index in one statement: the same words as the
   * row-by-row trigger (every word without a digit), "zzqx" apart. */
  g_assert_cmpint (trigram_words (f->replica->db), ==,
                   scalar (f->replica->db, "SELECT count (*) FROM search_terms "
                                           "WHERE term NOT GLOB '*[0-9]*'"));
  g_assert_cmpint (trigram_words (f->replica->db), ==, trigram_words (other->db) - 1);
}

/* Alone on its file, the load writes the database once, through a rollback
 * journal, and the replica is back in WAL mode after it. */
static void
test_through_rollback_journal (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *journal = g_strconcat (f->path, "-journal", NULL);
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);

  g_assert_true (crm_replica_initial_load_begin (f->replica, &error));
  g_assert_no_error (error);
  g_assert_false (journal_is_wal (f->replica->db));
  g_assert_true (g_file_test (journal, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  crm_replica_initial_load_abort (f->replica);
  assert_settings_restored (f->replica->db);
  g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));

  load_demo (f->replica, 4, 7);
  assert_settings_restored (f->replica->db);
  g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));
  g_assert_cmpint (entity_rows (f->replica->db), ==, DEMO_ROWS);
}

/* Another connection reading the file keeps it in WAL mode: the load goes
 * through the WAL, without waiting for that reader, whose snapshot stays. */
static void
test_beside_a_reader (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *reader = NULL;
  gint64 started;

  g_assert_cmpint (sqlite3_open (f->path, &reader), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (reader, "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (scalar (reader, "SELECT count (*) FROM organisations"), ==, 0);

  started = g_get_monotonic_time ();
  load_demo (f->replica, 4, 7);
  g_assert_cmpint (entity_rows (f->replica->db), ==, DEMO_ROWS);
  assert_settings_restored (f->replica->db);
  /* The busy timeout (5 s) was not waited for. */
  g_assert_cmpint (g_get_monotonic_time () - started, <, 4 * G_USEC_PER_SEC);

  g_assert_cmpint (scalar (reader, "SELECT count (*) FROM organisations"), ==, 0);
  g_assert_cmpint (sqlite3_exec (reader, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (scalar (reader, "SELECT count (*) FROM organisations"), ==, DEMO_SCALE / 10);
  sqlite3_close (reader);
}

/* A replica file made with SQLite's 4 KiB pages, as before CRM_REPLICA_PAGE_SIZE:
 * page 1 written (a table made and dropped), so the replica's page size no
 * longer takes when it opens it. */
static CrmReplica *
open_with_small_pages (const char *path)
{
  g_autoptr(GError) error = NULL;
  CrmReplica *replica;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA page_size = 4096; CREATE TABLE t (x); DROP TABLE t",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  replica = crm_replica_open (path, CRM_REPLICA_OPEN_NONE, &error);
  g_assert_no_error (error);
  g_assert_true (crm_replica_set_user (replica, TEST_USER, TEST_TEAM, &error));
  g_assert_no_error (error);
  g_assert_cmpint (scalar (replica->db, "PRAGMA page_size"), ==, 4096);
  return replica;
}

/* A new replica has the replica's page size; an older empty one takes it at its
 * initial load, alone on its file; beside a reader, it keeps its own pages and
 * loads as well. */
static void
test_page_size (Fixture *f, gconstpointer data)
{
  g_autofree char *old_path = g_build_filename (f->dir, "old.db", NULL);
  g_autofree char *shared_path = g_build_filename (f->dir, "shared.db", NULL);
  g_autoptr(CrmReplica) old = NULL;
  g_autoptr(CrmReplica) shared = NULL;
  sqlite3 *reader = NULL;

  g_assert_cmpint (scalar (f->replica->db, "PRAGMA page_size"), ==, CRM_REPLICA_PAGE_SIZE);

  old = open_with_small_pages (old_path);
  load_demo (old, 5, 9);
  g_assert_cmpint (scalar (old->db, "PRAGMA page_size"), ==, CRM_REPLICA_PAGE_SIZE);
  g_assert_cmpint (entity_rows (old->db), ==, DEMO_ROWS);
  g_assert_cmpint (scalar (old->db, "SELECT count (*) FROM pragma_integrity_check "
                                    "WHERE integrity_check != 'ok'"), ==, 0);
  assert_settings_restored (old->db);
  g_assert_cmpuint (hits (old, "trimestr", CRM_ENTITY_INTERACTION), >, 0);
  g_assert_cmpuint (hits (old, "genarale", CRM_ENTITY_ORGANISATION), >, 0);

  shared = open_with_small_pages (shared_path);
  g_assert_cmpint (sqlite3_open (shared_path, &reader), ==, SQLITE_OK);
  g_assert_cmpint (scalar (reader, "SELECT count (*) FROM organisations"), ==, 0);
  load_demo (shared, 5, 9);
  g_assert_cmpint (scalar (shared->db, "PRAGMA page_size"), ==, 4096);
  g_assert_cmpint (entity_rows (shared->db), ==, DEMO_ROWS);
  g_assert_cmpint (scalar (reader, "SELECT count (*) FROM organisations"), ==, DEMO_SCALE / 10);
  sqlite3_close (reader);
}

static void
test_refused_when_not_empty (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRecord) draft = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);
  g_autoptr(CrmRecord) created = NULL;
  gint64 n_schema = schema_objects (f->replica->db);

  crm_record_set_string (draft, "name", "Banque Existante");
  created = crm_replica_create (f->replica, draft, &error);
  g_assert_no_error (error);

  g_assert_false (crm_replica_initial_load_begin (f->replica, &error));
  g_assert_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_INVALID);
  g_assert_false (crm_replica_is_loading (f->replica));
  g_assert_cmpint (schema_objects (f->replica->db), ==, n_schema);
  assert_settings_restored (f->replica->db);
  g_assert_cmpint (crm_replica_outbox_count (f->replica, NULL), ==, 1);
}

static void
test_abort_leaves_empty (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmReplicaDemo) demo = crm_replica_demo_new (DEMO_SCALE, 3, TEST_USER);
  g_autoptr(GPtrArray) batch = crm_replica_demo_next (demo, 500);
  g_autoptr(CrmRecord) draft = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);
  g_autoptr(CrmRecord) refused = NULL;
  gint64 n_schema = schema_objects (f->replica->db);

  g_assert_true (crm_replica_initial_load_begin (f->replica, &error));
  g_assert_true (crm_replica_is_loading (f->replica));
  g_assert_true (crm_replica_initial_load_rows (f->replica, (CrmRecord *const *) batch->pdata,
                                                batch->len, &error));
  g_assert_no_error (error);

  /* Meanwhile a local edit would join the load's transaction: refused. */
  crm_record_set_string (draft, "name", "Banque Pressée");
  refused = crm_replica_create (f->replica, draft, &error);
  g_assert_null (refused);
  g_assert_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_false (crm_replica_initial_load_begin (f->replica, &error));
  g_assert_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_BUSY);
  g_clear_error (&error);

  crm_replica_initial_load_abort (f->replica);
  g_assert_false (crm_replica_is_loading (f->replica));
  g_assert_cmpint (entity_rows (f->replica->db), ==, 0);
  g_assert_cmpint (schema_objects (f->replica->db), ==, n_schema);
  assert_settings_restored (f->replica->db);
  g_assert_false (crm_replica_initial_load_rows (f->replica, (CrmRecord *const *) batch->pdata,
                                                 batch->len, &error));
  g_assert_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_FAILED);
  g_clear_error (&error);

  /* And it can start over. */
  load_demo (f->replica, 3, -1);
  g_assert_cmpint (entity_rows (f->replica->db), ==, DEMO_ROWS);
}

static CrmRecord *
organisation (const char *id,
              gint64      version,
              const char *name,
              gboolean    deleted)
{
  CrmRecord *row = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);

  crm_record_set_string (row, "id", id);
  crm_record_set_int (row, "version", version);
  crm_record_set_string (row, "name", name);
  crm_record_set_bool (row, "deleted", deleted);
  return row;
}

/* Overlapping pages: the highest version of a row wins, whatever the order;
 * tombstones are stored but not searchable. */
static void
test_newest_version_wins (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  const char *id = "01900000-0000-7000-8000-00000000c001";
  const char *gone = "01900000-0000-7000-8000-00000000c002";
  CrmRecord *rows[] = {
    organisation (id, 2, "Banque Alpha", FALSE),
    organisation (id, 1, "Banque Beta", FALSE),
    organisation (gone, 4, "Banque Disparue", TRUE),
    organisation (id, 3, "Banque Gamma", FALSE),
    organisation (id, 3, "Banque Delta", FALSE),
  };
  g_autoptr(CrmRecord) row = NULL;
  g_autoptr(CrmRecord) tombstone = NULL;

  g_assert_true (crm_replica_initial_load_begin (f->replica, &error));
  g_assert_true (crm_replica_initial_load_rows (f->replica, rows, G_N_ELEMENTS (rows), &error));
  g_assert_true (crm_replica_initial_load_commit (f->replica, 7, 1, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    crm_record_unref (rows[i]);

  row = crm_replica_get (f->replica, CRM_ENTITY_ORGANISATION, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_record_get_int (row, "version"), ==, 3);
  g_assert_cmpstr (crm_record_get_string (row, "name"), ==, "Banque Gamma");
  g_assert_cmpuint (hits (f->replica, "gamma", CRM_ENTITY_ORGANISATION), ==, 1);
  g_assert_cmpuint (hits (f->replica, "alpha", CRM_ENTITY_ORGANISATION), ==, 0);
  g_assert_cmpuint (hits (f->replica, "banque", CRM_ENTITY_ORGANISATION), ==, 1);

  tombstone = crm_replica_get (f->replica, CRM_ENTITY_ORGANISATION, gone, &error);
  g_assert_no_error (error);
  g_assert_true (crm_record_get_bool (tombstone, "deleted"));
  g_assert_cmpuint (hits (f->replica, "disparue", CRM_ENTITY_ORGANISATION), ==, 0);
}

static CrmRecord *
interaction (const char        *id,
             gint64             version,
             const char *const *participants)
{
  CrmRecord *row = crm_record_new_for_kind (CRM_ENTITY_INTERACTION);

  crm_record_set_string (row, "id", id);
  crm_record_set_int (row, "version", version);
  crm_record_set_string (row, "type", "meeting");
  crm_record_set_string (row, "occurred_at", "2026-02-01T10:00:00Z");
  crm_record_set_string (row, "subject", "Comité de suivi");
  crm_record_set_strv (row, "participant_ids", participants);
  crm_record_set_bool (row, "deleted", FALSE);
  return row;
}

static char *
participants_of (CrmReplica *replica)
{
  GString *out = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (replica->db, "SELECT substr (p.person_id, 34), "
                                                    "substr (i.id, 34) FROM "
                                                    "interaction_participants AS p JOIN "
                                                    "interactions AS i ON i.rid = "
                                                    "p.interaction_rid ORDER BY 2, 1", -1, &stmt,
                                       NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (out, "%s:%s ", sqlite3_column_text (stmt, 1),
                            sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return g_string_free (out, FALSE);
}

/* The participants are gathered while the rows go in; an interaction that
 * comes again (overlapping pages) keeps the participants of its newest version
 * only, and an older copy changes nothing. */
static void
test_participants_of_newest_version (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  const char *a = "01900000-0000-7000-8000-00000000e0a1";
  const char *b = "01900000-0000-7000-8000-00000000e0b2";
#define PERSON(n) "01900000-0000-7000-8000-0000000000f" #n
  const char *p1[] = { PERSON (1), PERSON (2), NULL };
  const char *p2[] = { PERSON (3), NULL };
  const char *p3[] = { PERSON (2), PERSON (4), NULL };
  const char *p4[] = { PERSON (5), NULL };
#undef PERSON
  CrmRecord *first[] = { interaction (a, 1, p1), interaction (b, 1, p2) };
  CrmRecord *again[] = { interaction (a, 2, p3), interaction (a, 1, p4) };
  g_autofree char *plain = NULL;
  g_autofree char *replaced = NULL;
  g_autofree char *second_path = NULL;
  g_autoptr(CrmReplica) second = NULL;

  /* Without repeats: the participants gathered on the way. */
  g_assert_true (crm_replica_initial_load_begin (f->replica, &error));
  g_assert_true (crm_replica_initial_load_rows (f->replica, first, G_N_ELEMENTS (first), &error));
  g_assert_true (crm_replica_initial_load_commit (f->replica, 1, 1, &error));
  g_assert_no_error (error);
  plain = participants_of (f->replica);
  g_assert_cmpstr (plain, ==, "0a1:0f1 0a1:0f2 0b2:0f3 ");

  /* With a repeat: a fresh replica, the same first page, then a newer and an
   * older copy of the first interaction. */
  second_path = g_build_filename (f->dir, "second.db", NULL);
  second = crm_replica_open (second_path, CRM_REPLICA_OPEN_NONE, &error);
  g_assert_no_error (error);
  g_assert_true (crm_replica_initial_load_begin (second, &error));
  g_assert_true (crm_replica_initial_load_rows (second, first, G_N_ELEMENTS (first), &error));
  g_assert_true (crm_replica_initial_load_rows (second, again, G_N_ELEMENTS (again), &error));
  g_assert_true (crm_replica_initial_load_commit (second, 2, 1, &error));
  g_assert_no_error (error);
  replaced = participants_of (second);
  g_assert_true (crm_replica_close (second, &error));
  g_assert_cmpstr (replaced, ==, "0a1:0f2 0a1:0f4 0b2:0f3 ");

  for (guint i = 0; i < G_N_ELEMENTS (first); i++)
    crm_record_unref (first[i]);
  for (guint i = 0; i < G_N_ELEMENTS (again); i++)
    crm_record_unref (again[i]);
}

/* A first sync hands over its pull pages as they come: changes, tombstones
 * without data among them, and a row seen again at a newer version. */
static void
test_pull_changes (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRecord) v1 = organisation ("01900000-0000-7000-8000-00000000d001", 0,
                                          "Caisse Première", FALSE);
  g_autoptr(CrmRecord) v2 = organisation ("01900000-0000-7000-8000-00000000d001", 0,
                                          "Caisse Seconde", FALSE);
  g_autoptr(CrmRecord) person = crm_record_new_for_kind (CRM_ENTITY_PERSON);
  g_autoptr(CrmRecord) row = NULL;
  g_autoptr(CrmRecord) gone = NULL;
  CrmReplicaChange page1[] = {
    { CRM_ENTITY_ORGANISATION, "01900000-0000-7000-8000-00000000d001", 1, FALSE, v1 },
    { CRM_ENTITY_TASK, "01900000-0000-7000-8000-00000000d002", 5, TRUE, NULL },
  };
  CrmReplicaChange page2[] = {
    { CRM_ENTITY_ORGANISATION, "01900000-0000-7000-8000-00000000d001", 2, FALSE, v2 },
  };
  CrmReplicaChange wrong[] = {
    { CRM_ENTITY_ORGANISATION, "01900000-0000-7000-8000-00000000d003", 1, FALSE, person },
  };
  gint64 cursor = 0, epoch = 0;

  g_assert_true (crm_replica_initial_load_begin (f->replica, &error));
  g_assert_true (crm_replica_initial_load_changes (f->replica, page1, G_N_ELEMENTS (page1),
                                                   &error));
  g_assert_true (crm_replica_initial_load_changes (f->replica, page2, G_N_ELEMENTS (page2),
                                                   &error));
  g_assert_true (crm_replica_initial_load_commit (f->replica, 120, 2, &error));
  g_assert_no_error (error);

  row = crm_replica_get (f->replica, CRM_ENTITY_ORGANISATION, page1[0].id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_record_get_int (row, "version"), ==, 2);
  g_assert_cmpuint (hits (f->replica, "seconde", CRM_ENTITY_ORGANISATION), ==, 1);
  g_assert_cmpuint (hits (f->replica, "premiere", CRM_ENTITY_ORGANISATION), ==, 0);
  gone = crm_replica_get (f->replica, CRM_ENTITY_TASK, page1[1].id, &error);
  g_assert_no_error (error);
  g_assert_true (crm_record_get_bool (gone, "deleted"));
  g_assert_true (crm_replica_get_sync_position (f->replica, &cursor, &epoch, &error));
  g_assert_cmpint (cursor, ==, 120);
  g_assert_cmpint (epoch, ==, 2);

  /* A change whose data is of another entity abandons the load. */
  g_clear_object (&f->replica);
  g_unlink (f->path);
  f->replica = crm_replica_open (f->path, CRM_REPLICA_OPEN_NONE, &error);
  g_assert_no_error (error);
  g_assert_true (crm_replica_initial_load_begin (f->replica, &error));
  g_assert_true (crm_replica_initial_load_changes (f->replica, page1, 1, &error));
  g_assert_false (crm_replica_initial_load_changes (f->replica, wrong, 1, &error));
  g_assert_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_INVALID);
  g_assert_false (crm_replica_is_loading (f->replica));
  g_assert_cmpint (entity_rows (f->replica->db), ==, 0);
  assert_settings_restored (f->replica->db);
}

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

/* The child: tells the parent the load has begun, then loads until killed. */
G_GNUC_NORETURN static void
child_load (const char *path,
            int         ready_fd)
{
  g_autoptr(GError) error = NULL;
  CrmReplica *replica = crm_replica_open (path, CRM_REPLICA_OPEN_NONE, &error);
  CrmReplicaDemo *demo = crm_replica_demo_new (DEMO_SCALE, 9, TEST_USER);

  if (replica == NULL || !crm_replica_initial_load_begin (replica, &error))
    _exit (3);
  if (write (ready_fd, "b", 1) != 1)
    _exit (4);
  for (;;)
    {
      GPtrArray *batch = crm_replica_demo_next (demo, 200);

      if (batch->len == 0)
        break;
      if (!crm_replica_initial_load_rows (replica, (CrmRecord *const *) batch->pdata, batch->len,
                                          &error))
        _exit (5);
      g_ptr_array_unref (batch);
    }
  if (!crm_replica_initial_load_commit (replica, 99, 1, &error))
    _exit (6);
  /* No close: as abrupt as a kill just after the commit. */
  _exit (0);
}

/* A load killed at any point leaves a replica that is either empty, with its
 * whole schema and cursor 0, and takes the load again, or complete. */
static void
test_killed_empty_or_complete (Fixture *f, gconstpointer data)
{
  g_autoptr(GRand) rand = g_rand_new ();
  gint64 n_schema = schema_objects (f->replica->db);
  guint n_empty = 0, n_complete = 0;
  gint64 started = g_get_monotonic_time ();
  gint64 load_us;

  /* How long a load takes here, so kills land all along it. */
  load_demo (f->replica, 9, 99);
  load_us = MAX (g_get_monotonic_time () - started, 1000);
  g_clear_object (&f->replica);

  for (guint round = 0; round < 12; round++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = g_strdup_printf ("%s/killed-%u.db", f->dir, round);
      g_autoptr(CrmReplica) replica = NULL;
      g_autofree char *verdict = NULL;
      gint64 cursor = -1, epoch = -1, rows;
      int fds[2];
      int status = 0;
      char ready;
      pid_t pid;

      g_assert_cmpint (pipe (fds), ==, 0);
      pid = fork ();
      g_assert_cmpint (pid, >=, 0);
      if (pid == 0)
        {
          close (fds[0]);
          child_load (path, fds[1]);
        }
      close (fds[1]);
      g_assert_cmpint (read (fds[0], &ready, 1), ==, 1);
      close (fds[0]);

      g_usleep ((gulong) g_rand_int_range (rand, 0, (gint32) MIN (load_us * 3 / 2, G_MAXINT32)));
      kill (pid, SIGKILL);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_assert_true (WIFSIGNALED (status) || (WIFEXITED (status) && WEXITSTATUS (status) == 0));

      verdict = integrity (path);
      g_assert_cmpstr (verdict, ==, "ok");
      replica = crm_replica_open (path, CRM_REPLICA_OPEN_NONE, &error);
      g_assert_no_error (error);
      g_assert_false (crm_replica_get_recovery (replica, NULL, NULL));
      g_assert_cmpint (schema_objects (replica->db), ==, n_schema);
      g_assert_true (crm_replica_get_sync_position (replica, &cursor, &epoch, &error));
      rows = entity_rows (replica->db);
      if (rows == 0)
        {
          n_empty++;
          g_assert_cmpint (cursor, ==, 0);
          g_assert_cmpint (scalar (replica->db, "SELECT count (*) FROM search_terms"), ==, 0);
          load_demo (replica, 9, 99);
        }
      else
        n_complete++;
      g_assert_cmpint (entity_rows (replica->db), ==, DEMO_ROWS);
      g_assert_cmpint (schema_objects (replica->db), ==, n_schema);
      g_assert_true (crm_replica_get_sync_position (replica, &cursor, &epoch, &error));
      g_assert_cmpint (cursor, ==, 99);
      g_assert_cmpuint (hits (replica, "genarale", CRM_ENTITY_ORGANISATION), >, 0);
      g_assert_true (crm_replica_close (replica, &error));
      g_assert_no_error (error);
    }

  g_test_message ("%u loads killed midway, %u complete", n_empty, n_complete);
  /* Kills land all along a load: most of them before its commit. */
  g_assert_cmpuint (n_empty, >, 0);
}

/* The segment of @fts's index holding most of it: its id, pages and bytes. */
typedef struct
{
  gint64 segid;
  gint64 rows;
  gint64 bytes;
} Segment;

static Segment
largest_segment (sqlite3    *db,
                 const char *fts)
{
  /* %_data rows above 10 are pages of segments, id = segid << 37 | page. */
  g_autofree char *sql = g_strdup_printf ("SELECT id >> 37, count (*), sum (length (block)) "
                                          "FROM %s_data WHERE id >= (1 << 37) GROUP BY 1 "
                                          "ORDER BY 3 DESC LIMIT 1", fts);
  sqlite3_stmt *stmt = NULL;
  Segment seg;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  seg.segid = sqlite3_column_int64 (stmt, 0);
  seg.rows = sqlite3_column_int64 (stmt, 1);
  seg.bytes = sqlite3_column_int64 (stmt, 2);
  sqlite3_finalize (stmt);
  return seg;
}

#define SMALL_WRITES 300

/* Right after a load, the first local writes never merge the loaded full text:
 * FTS5 segments are never changed in place, so a merge that reads the load's
 * segment deletes its pages (bit by bit, or all at once in a crisis merge,
 * which stalled one write for 4.4 s at 1M rows). The loaded segment is still
 * there, page for page, after SMALL_WRITES writes of one interaction and one
 * organisation each; those are searchable, and the load's placeholders are not. */
static void
test_small_writes_leave_loaded_index (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  const char *fts[] = { "interactions_fts", "organisations_fts", "people_fts", "mandats_fts",
                        "tasks_fts" };
  Segment before[G_N_ELEMENTS (fts)];
  g_autoptr(CrmRecord) org = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);
  g_autoptr(CrmRecord) stored = NULL;
  sqlite3 *db = NULL;

  g_assert_true (crm_replica_fill_demo (f->replica, 15000, 7, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < G_N_ELEMENTS (fts); i++)
    {
      g_autofree char *all = g_strdup_printf ("SELECT sum (length (block)) FROM %s_data",
                                              fts[i]);
      g_autofree char *check = g_strdup_printf ("INSERT INTO %s (%s) VALUES ('integrity-check')",
                                                fts[i], fts[i]);

      /* FTS5's own check: the index agrees with the rows, segment by segment. */
      g_assert_cmpint (sqlite3_exec (f->replica->db, check, NULL, NULL, NULL), ==, SQLITE_OK);

      before[i] = largest_segment (db, fts[i]);
      /* The load's index is that one segment. */
      g_assert_cmpint (before[i].bytes * 10, >=, scalar (db, all) * 9);
    }

  crm_record_set_string (org, "name", "Cabinet Zéphyrin");
  stored = crm_replica_create (f->replica, org, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < SMALL_WRITES; i++)
    {
      g_autoptr(CrmRecord) interaction = crm_record_new_for_kind (CRM_ENTITY_INTERACTION);
      g_autoptr(CrmRecord) other = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);
      g_autoptr(CrmRecord) done = NULL;
      g_autofree char *subject = g_strdup_printf ("Point trimestriel n° %u", i + 1);
      g_autofree char *name = g_strdup_printf ("Étude Quillard %u", i + 1);

      crm_record_set_string (interaction, "type", "call");
      crm_record_set_string (interaction, "occurred_at", "2026-03-10T10:00:00Z");
      crm_record_set_string (interaction, "organisation_id", crm_record_get_string (stored, "id"));
      crm_record_set_string (interaction, "subject", subject);
      done = crm_replica_create (f->replica, interaction, &error);
      g_assert_no_error (error);
      g_clear_pointer (&done, crm_record_unref);
      crm_record_set_string (other, "name", name);
      done = crm_replica_create (f->replica, other, &error);
      g_assert_no_error (error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (fts); i++)
    {
      Segment after = largest_segment (db, fts[i]);

      g_assert_cmpint (after.segid, ==, before[i].segid);
      g_assert_cmpint (after.rows, ==, before[i].rows);
      g_assert_cmpint (after.bytes, ==, before[i].bytes);
    }
  for (guint i = 0; i < G_N_ELEMENTS (fts); i++)
    {
      g_autofree char *check = g_strdup_printf ("INSERT INTO %s (%s) VALUES ('integrity-check')",
                                                fts[i], fts[i]);

      g_assert_cmpint (sqlite3_exec (f->replica->db, check, NULL, NULL, NULL), ==, SQLITE_OK);
    }
  sqlite3_close (db);

  g_assert_cmpuint (hits (f->replica, "trimestriel", CRM_ENTITY_INTERACTION), ==, 50);
  g_assert_cmpuint (hits (f->replica, "quillard 123", CRM_ENTITY_ORGANISATION), ==, 1);
  g_assert_cmpuint (hits (f->replica, "zephyrin", CRM_ENTITY_ORGANISATION), ==, 1);
  g_assert_cmpuint (hits (f->replica, "zzcrmniveau", CRM_ENTITY_ORGANISATION), ==, 0);
  g_assert_cmpuint (hits (f->replica, "zzcrmniveau", CRM_ENTITY_INTERACTION), ==, 0);
  g_assert_cmpint (scalar (f->replica->db, "SELECT count (*) FROM search_terms "
                                           "WHERE term LIKE 'zzcrm%'"), ==, 0);
}

/* An initial load of no rows (a first sync of an empty firm) leaves each full
 * text index empty, with FTS5's merge settings as they were, and the first
 * writes searchable. */
static void
test_empty_load_leaves_empty_index (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRecord) org = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);
  g_autoptr(CrmRecord) stored = NULL;
  const char *fts[] = { "organisations_fts", "people_fts", "mandats_fts", "interactions_fts",
                        "tasks_fts" };

  g_assert_true (crm_replica_initial_load_begin (f->replica, &error));
  g_assert_no_error (error);
  g_assert_true (crm_replica_initial_load_commit (f->replica, 5, 3, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (fts); i++)
    {
      g_autofree char *pages = g_strdup_printf ("SELECT count (*) FROM %s_data "
                                                "WHERE id >= (1 << 37)", fts[i]);
      g_autofree char *automerge = g_strdup_printf ("SELECT v FROM %s_config "
                                                    "WHERE k = 'automerge'", fts[i]);
      g_autofree char *crisis = g_strdup_printf ("SELECT v FROM %s_config "
                                                 "WHERE k = 'crisismerge'", fts[i]);

      g_assert_cmpint (scalar (f->replica->db, pages), ==, 0);
      g_assert_cmpint (scalar (f->replica->db, automerge), ==, 4);
      g_assert_cmpint (scalar (f->replica->db, crisis), ==, 16);
    }
  g_assert_cmpint (scalar (f->replica->db, "SELECT count (*) FROM search_terms "
                                           "WHERE term LIKE 'zzcrm%'"), ==, 0);

  crm_record_set_string (org, "name", "Cabinet Zéphyrin");
  stored = crm_replica_create (f->replica, org, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits (f->replica, "zephyrin", CRM_ENTITY_ORGANISATION), ==, 1);
  g_assert_cmpuint (hits (f->replica, "zzcrmniveau", CRM_ENTITY_ORGANISATION), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

#define ADD(name, fn) g_test_add (name, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/replica/load/complete-and-searchable", test_complete_and_searchable);
  ADD ("/replica/load/vocabulary-as-row-by-row", test_vocabulary_as_row_by_row);
  ADD ("/replica/load/through-a-rollback-journal", test_through_rollback_journal);
  ADD ("/replica/load/beside-a-reader", test_beside_a_reader);
  ADD ("/replica/load/page-size", test_page_size);
  ADD ("/replica/load/refused-when-not-empty", test_refused_when_not_empty);
  ADD ("/replica/load/abort-leaves-empty-and-restartable", test_abort_leaves_empty);
  ADD ("/replica/load/newest-version-wins", test_newest_version_wins);
  ADD ("/replica/load/participants-of-the-newest-version", test_participants_of_newest_version);
  ADD ("/replica/load/pull-changes", test_pull_changes);
  ADD ("/replica/load/killed-empty-or-complete", test_killed_empty_or_complete);
  ADD ("/replica/load/small-writes-leave-the-loaded-index", test_small_writes_leave_loaded_index);
  ADD ("/replica/load/empty-load-leaves-empty-index", test_empty_load_leaves_empty_index);

  return g_test_run ();
}

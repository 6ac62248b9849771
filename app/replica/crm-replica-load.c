/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-replica"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crm-replica-private.h"
#include "crm-time.h"

/*
 * The initial load of an empty replica (the demo data, the first sync): every
 * row goes in through one upsert per row, and what the store otherwise keeps
 * current row by row is built once at the end, each in a single statement:
 *
 * - the list indexes (CREATE INDEX sorts once, where a million inserts at
 *   random places in 35 B-trees miss the page cache at every step);
 * - the full-text indexes: the triggers are dropped for the load, so no per-row
 *   trigger program, crm_indexed() call or FTS5 savepoint flush; one
 *   INSERT ... SELECT per table then feeds FTS5 the whole table;
 * - the vocabulary (search_terms): its words are cut from the rows on a thread
 *   of their own while the connection writes the rows (LoadVocab), and go in
 *   sorted, their trigram index filled in one statement;
 * - the participants of interactions, one json_each pass.
 *
 * Why this is safe: the whole load is one write transaction, dropped indexes
 * and triggers included, so it is all or nothing. A process killed mid-load
 * leaves the replica exactly as it was, empty, with its whole schema, and the
 * load can simply start again. It normally goes through a rollback journal
 * rather than the WAL (leave_wal() says why and how that stays atomic and
 * power-safe). When another connection keeps the file in WAL mode, it stays
 * there with synchronous OFF, since there is nothing to lose in an empty
 * replica, but WAL still makes the commit atomic: a power cut before the WAL
 * reaches the disk loses the load (the replica is empty again, at sync cursor
 * 0), it cannot tear it. Automatic checkpoints are off meanwhile, because a
 * checkpoint that copies unsynced WAL frames into the database could tear the
 * file; the settings of configure_connection() are back right after the
 * commit, and the checkpoint that follows them syncs the WAL with the load in
 * it before copying it into the database.
 */

/* The replica's own settings (crm-replica.c), put back after a load. */
#define LOAD_RESTORE_PRAGMAS \
  "PRAGMA synchronous = FULL;" \
  "PRAGMA wal_autocheckpoint = 1000;" \
  "PRAGMA cache_size = " G_STRINGIFY (CRM_REPLICA_CACHE_KIB) ";" \
  "PRAGMA temp_store = MEMORY;" \
  "PRAGMA threads = 0;" \
  "PRAGMA mmap_size = 0;"

/* The load's memory, chosen for a first sync whose memory stays flat (1M
 * rows, docs/PERFORMANCE.md): 32 MiB of page cache, the file read without
 * mmap, 16 MiB FTS5 segments (LOAD_FTS_HASHSIZE_MIB) — a peak RSS of about
 * 130 MiB, where 256 MiB of cache, a 4 GiB mmap and 64 MiB segments went to
 * 1.2 GiB (400 MiB of heap, the rest the file mapped in) for the same CPU
 * within the noise of the shared machine. The list indexes are built with
 * less still (LOAD_INDEX_CACHE_MIB, below).
 * temp_store FILE: with MEMORY, SQLite's sorter (CREATE INDEX, DISTINCT) keeps
 * one malloc'd block per key in a linked list; otherwise it packs the keys into
 * one buffer of up to the cache size, and only spills to a file past it. A
 * third less CPU for the 36 indexes at 1.4M rows. */
#define LOAD_PRAGMAS \
  "PRAGMA wal_autocheckpoint = 0;" \
  "PRAGMA temp_store = FILE;"
#define LOAD_CACHE_MIB 32
#define LOAD_MMAP_MIB 0

/* The second core: SQLite's sorter hands keys to background threads only once
 * they spill past its budget, which is the page cache. So the list indexes are
 * built with a 2 MiB cache: CREATE INDEX reads the table and fills 2 MiB runs,
 * which two sorter threads sort, write to temporary files and merge, while the
 * connection's own thread goes on reading and builds the B-tree from the
 * merged keys. At 1M rows that takes about 4.5 s of CPU off the thread the load
 * waits for (23 s to 18.4 s, the rest on the second core) for the same total
 * CPU; the B-tree written in order needs no cache to speak of. */
#define LOAD_THREADS 2
#define LOAD_INDEX_CACHE_MIB 2

/* How the load reaches the disk, see leave_wal(). */
#define LOAD_WAL_PRAGMAS "PRAGMA synchronous = OFF;"
#define LOAD_JOURNAL_PRAGMAS "PRAGMA synchronous = FULL;"

/* CRM_REPLICA_LOAD_CACHE_MIB, _INDEX_CACHE_MIB, _MMAP_MIB, _HASH_MIB and _THREADS
 * override the settings of the load, to measure them again (docs/PERFORMANCE.md). */
static int
load_setting (const char *name,
              int         fallback)
{
  const char *value = g_getenv (name);

  return value != NULL && *value != '\0' ? atoi (value) : fallback;
}

static char *
load_pragmas (gboolean journal)
{
  /* Through the WAL, mmap would be of no use: pages are read from the WAL. */
  gint64 mmap_mib = journal ? load_setting ("CRM_REPLICA_LOAD_MMAP_MIB", LOAD_MMAP_MIB) : 0;

  return g_strdup_printf (LOAD_PRAGMAS "PRAGMA cache_size = %d; PRAGMA threads = %d; "
                          "PRAGMA mmap_size = %" G_GINT64_FORMAT ";%s",
                          -1024 * load_setting ("CRM_REPLICA_LOAD_CACHE_MIB", LOAD_CACHE_MIB),
                          load_setting ("CRM_REPLICA_LOAD_THREADS", LOAD_THREADS),
                          mmap_mib * 1024 * 1024,
                          journal ? LOAD_JOURNAL_PRAGMAS : LOAD_WAL_PRAGMAS);
}

/* ANALYZE samples this many rows per index: a million-row replica gets its
 * statistics in milliseconds instead of a full read of every index. */
#define LOAD_ANALYSIS_LIMIT 2000

static const char *const load_tables[] = {
  "organisations", "people", "links", "mandats", "interactions", "tasks", "notifications",
};

/* "INSERT INTO t (...) VALUES (...) ON CONFLICT (id) DO UPDATE SET ... WHERE
 * newer": the pages of a first sync are delivered at least once, and a row
 * changed while they were read comes again with a higher version. */
static char *
upsert_sql (const CrmEntityInfo *entity)
{
  g_autofree char *insert = crm_replica_row_insert_sql (entity);
  GString *sql = g_string_new (insert);

  g_string_append (sql, " ON CONFLICT (id) DO UPDATE SET ");
  for (guint i = 0, n = 0; i < entity->n_fields; i++)
    {
      const char *name = entity->fields[i].name;

      if (g_str_equal (name, "id"))
        continue;
      g_string_append_printf (sql, "%s%s = excluded.%s", n++ > 0 ? ", " : "", name, name);
    }
  g_string_append_printf (sql, " WHERE excluded.version > %s.version", entity->collection);

  return g_string_free (sql, FALSE);
}

static gboolean
replica_is_empty (CrmReplica *self,
                  gboolean   *empty,
                  GError    **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT NOT EXISTS (SELECT 1 FROM outbox)");
  sqlite3_stmt *stmt;
  int rc;

  for (guint i = 0; i < G_N_ELEMENTS (load_tables); i++)
    g_string_append_printf (sql, " AND NOT EXISTS (SELECT 1 FROM %s)", load_tables[i]);
  stmt = crm_replica_prepare (self, sql->str, error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *empty = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      crm_replica_set_sqlite_error (self, rc, error);
      return FALSE;
    }
  return TRUE;
}

/* Drops the list indexes and the triggers of the entity tables, keeping their
 * CREATE statements to run at the end. The UNIQUE index on id stays (it has no
 * sql): the upserts look rows up by id. */
static gboolean
drop_derived_schema (CrmReplica *self,
                     GError    **error)
{
  g_autoptr(GPtrArray) drops = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) sql = g_string_new (NULL);
  sqlite3_stmt *stmt;
  int rc;

  /* search_terms: its trigger feeds the trigram index one word at a time; the
   * load fills that index in one statement (fill_trigrams()). */
  g_string_append (sql, "SELECT type, name, sql FROM sqlite_schema WHERE type IN ('index', "
                        "'trigger') AND sql IS NOT NULL AND (tbl_name IN (");
  for (guint i = 0; i < G_N_ELEMENTS (load_tables); i++)
    g_string_append_printf (sql, "%s'%s'", i > 0 ? ", " : "", load_tables[i]);
  g_string_append (sql, ") OR (type = 'trigger' AND tbl_name = 'search_terms'))");

  stmt = crm_replica_prepare (self, sql->str, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      /* Names come from sqlite_schema, not from anyone's input. */
      g_ptr_array_add (drops, g_strdup_printf ("DROP %s \"%s\"", sqlite3_column_text (stmt, 0),
                                               sqlite3_column_text (stmt, 1)));
      g_ptr_array_add (self->load_schema, g_strdup ((const char *) sqlite3_column_text (stmt, 2)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_replica_set_sqlite_error (self, rc, error);
      return FALSE;
    }

  for (guint i = 0; i < drops->len; i++)
    if (!crm_replica_exec (self, g_ptr_array_index (drops, i), error))
      return FALSE;
  return TRUE;
}

/*
 * The vocabulary of the load (search_terms) is cut from the rows on a thread of
 * its own while the connection writes them: the same words crm_terms() gives
 * row by row (core's crm_search_terms()), gathered in a set. At the commit the
 * connection only inserts them, sorted. Reading them back from the finished
 * FTS5 indexes through fts5vocab instead walked every doclist on the
 * connection's own thread (1.0–1.1 s of a 1M load).
 */
typedef struct
{
  GThread     *thread;
  GAsyncQueue *queue;   /* GPtrArray of texts to cut, then the end marker */
  gboolean     ended;   /* the end marker is in the queue */
  GPtrArray   *pending; /* texts of the batch under way */
  GHashTable  *words;   /* the thread's, until it ends */
  GPtrArray   *sorted;  /* what it hands back: the words in order */
} LoadVocab;

static int load_vocab_end;

static int
compare_words (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static gpointer
load_vocab_run (gpointer data)
{
  LoadVocab *vocab = data;
  GHashTableIter iter;
  gpointer word;

  for (;;)
    {
      GPtrArray *texts = g_async_queue_pop (vocab->queue);

      if (texts == (gpointer) &load_vocab_end)
        break;
      for (guint i = 0; i < texts->len; i++)
        {
          char **terms = crm_search_terms (texts->pdata[i], CRM_SEARCH_TRIGRAM_MIN_CHARS);

          /* Each word handed over to the set, or freed when it has it already. */
          for (guint j = 0; terms[j] != NULL; j++)
            if (g_hash_table_contains (vocab->words, terms[j]))
              g_free (terms[j]);
            else
              g_hash_table_add (vocab->words, terms[j]);
          g_free (terms);
        }
      g_ptr_array_unref (texts);
    }

  vocab->sorted = g_ptr_array_new_full (g_hash_table_size (vocab->words), g_free);
  g_hash_table_iter_init (&iter, vocab->words);
  while (g_hash_table_iter_next (&iter, &word, NULL))
    {
      g_ptr_array_add (vocab->sorted, word);
      g_hash_table_iter_steal (&iter);
    }
  g_ptr_array_sort (vocab->sorted, compare_words);
  return NULL;
}

static LoadVocab *
load_vocab_new (void)
{
  LoadVocab *vocab = g_new0 (LoadVocab, 1);

  vocab->queue = g_async_queue_new ();
  vocab->pending = g_ptr_array_new_with_free_func (g_free);
  vocab->words = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  vocab->thread = g_thread_new ("crm-load-vocabulary", load_vocab_run, vocab);
  return vocab;
}

/* Hands the texts of the batch under way to the thread. */
static void
load_vocab_flush (LoadVocab *vocab)
{
  if (vocab == NULL || vocab->pending->len == 0)
    return;
  g_async_queue_push (vocab->queue, g_steal_pointer (&vocab->pending));
  vocab->pending = g_ptr_array_new_with_free_func (g_free);
}

/* No more rows: the thread sorts what it has (the commit takes it later). */
static void
load_vocab_end_rows (LoadVocab *vocab)
{
  if (vocab == NULL || vocab->ended)
    return;
  load_vocab_flush (vocab);
  g_async_queue_push (vocab->queue, &load_vocab_end);
  vocab->ended = TRUE;
}

/* The words, sorted, once the thread is done; the caller owns them. */
static GPtrArray *
load_vocab_finish (LoadVocab *vocab)
{
  load_vocab_end_rows (vocab);
  g_clear_pointer (&vocab->thread, g_thread_join);
  return g_steal_pointer (&vocab->sorted);
}

static void
load_vocab_free (LoadVocab *vocab)
{
  if (vocab == NULL)
    return;
  if (vocab->thread != NULL)
    g_ptr_array_unref (load_vocab_finish (vocab));
  g_clear_pointer (&vocab->sorted, g_ptr_array_unref);
  g_clear_pointer (&vocab->queue, g_async_queue_unref);
  g_clear_pointer (&vocab->pending, g_ptr_array_unref);
  g_clear_pointer (&vocab->words, g_hash_table_unref);
  g_free (vocab);
}

/* The indexed text of a row just written, for the vocabulary: live rows only,
 * as the full-text index holds them. */
static void
load_vocab_add_row (LoadVocab       *vocab,
                    const CrmRecord *row)
{
  const CrmEntityInfo *entity = crm_record_get_entity (row);
  const char *const *columns = crm_replica_fts_columns (entity->kind);

  if (vocab == NULL || columns == NULL || crm_record_get_bool (row, "deleted"))
    return;
  for (guint c = 0; columns[c] != NULL; c++)
    {
      const CrmFieldInfo *field = crm_entity_field (entity, columns[c]);

      /* Lists (tags) as the column stores them: their JSON text. */
      if (field->type == CRM_FIELD_TAGS || field->type == CRM_FIELD_UUID_LIST)
        {
          if (crm_record_get_strv (row, columns[c]) != NULL)
            g_ptr_array_add (vocab->pending, crm_record_dup_text (row, columns[c]));
        }
      else if (crm_record_get_string (row, columns[c]) != NULL)
        g_ptr_array_add (vocab->pending, g_strdup (crm_record_get_string (row, columns[c])));
    }
}

static void
finalize_load_statements (CrmReplica *self)
{
  for (guint i = 0; i < CRM_REPLICA_N_KINDS; i++)
    g_clear_pointer (&self->load_stmts[i], sqlite3_finalize);
}

static void
restore_settings (CrmReplica *self)
{
  if (self->db == NULL)
    return;
  sqlite3_exec (self->db, LOAD_RESTORE_PRAGMAS, NULL, NULL, NULL);
  if (self->load_journal)
    {
      sqlite3_stmt *stmt = NULL;
      gboolean wal = FALSE;

      /* A connection that opened the file meanwhile keeps it out of WAL: the
       * replica then works through the journal, as durably, until it reopens. */
      if (sqlite3_prepare_v2 (self->db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL) ==
            SQLITE_OK &&
          sqlite3_step (stmt) == SQLITE_ROW)
        wal = g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), "wal") == 0;
      sqlite3_finalize (stmt);
      if (!wal)
        g_message ("Replica %s stays in rollback-journal mode after its initial load: "
                   "another connection has it open", self->path);
    }
  self->load_journal = FALSE;
}

/*
 * Through the WAL, a load is written twice: into the WAL, then by the
 * checkpoint into the database, a gigabyte each at 1.4M rows, and every page
 * CREATE INDEX reads back is looked up in the WAL's index first. A rollback
 * journal writes it once: pages past the end of the file at BEGIN (all but a
 * few dozen, in an empty replica) are not journaled at all, since undoing
 * them is cutting the file back to its old size. Still all or nothing: a
 * killed load leaves a hot journal that the next open rolls back. synchronous
 * FULL syncs that small journal (header and records) before any old page is
 * overwritten, so a power cut cannot tear the file either; the commit syncs
 * the database once.
 * Leaving WAL needs the only connection to the file: with another one open
 * (or a memory database), the load stays in the WAL (LOAD_WAL_PRAGMAS).
 */
static gboolean
leave_wal (CrmReplica *self)
{
  sqlite3_stmt *stmt = NULL;
  gboolean left = FALSE;

  /* Another connection in a read transaction would make SQLite wait for it:
   * the load does not, it takes the WAL path at once. */
  sqlite3_busy_timeout (self->db, 0);
  if (sqlite3_prepare_v2 (self->db, "PRAGMA journal_mode = DELETE", -1, &stmt, NULL) ==
        SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    left = g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), "delete") == 0;
  sqlite3_finalize (stmt);
  sqlite3_busy_timeout (self->db, self->busy_timeout_ms);
  return left;
}

/* An empty replica made before CRM_REPLICA_PAGE_SIZE (SQLite's 4 KiB pages)
 * takes the replica's page size before its load, while rebuilding it costs
 * nothing: VACUUM of a bare schema. Only through the rollback journal (a file
 * in WAL keeps its page size) and only when empty; otherwise, or if VACUUM
 * fails (it then leaves the file as it was), the load goes on with the pages
 * the file has. */
static void
adopt_page_size (CrmReplica *self)
{
  sqlite3_stmt *stmt = NULL;
  gint64 page_size = 0;
  gboolean empty = FALSE;

  if (!self->load_journal)
    return;
  if (sqlite3_prepare_v2 (self->db, "PRAGMA page_size", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    page_size = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  if (page_size == CRM_REPLICA_PAGE_SIZE || !replica_is_empty (self, &empty, NULL) || !empty)
    return;
  if (sqlite3_exec (self->db, "PRAGMA page_size = " G_STRINGIFY (CRM_REPLICA_PAGE_SIZE) ";"
                              "VACUUM", NULL, NULL, NULL) != SQLITE_OK)
    g_message ("Replica %s keeps its pages of %" G_GINT64_FORMAT " bytes for its initial load: %s",
               self->path, page_size, sqlite3_errmsg (self->db));
}

void
crm_replica_initial_load_abort (CrmReplica *self)
{
  CRM_REPLICA_LOCKED (self);

  g_return_if_fail (CRM_IS_REPLICA (self));

  if (!self->loading)
    return;
  finalize_load_statements (self);
  g_clear_pointer (&self->load_vocab, load_vocab_free);
  /* The rollback brings back the dropped indexes and triggers with the rest. */
  crm_replica_rollback (self);
  restore_settings (self);
  g_ptr_array_set_size (self->load_schema, 0);
  self->loading = FALSE;
}

gboolean
crm_replica_initial_load_begin (CrmReplica *self,
                                GError    **error)
{
  CRM_REPLICA_LOCKED (self);
  g_autofree char *pragmas = NULL;
  sqlite3_stmt *stmt;
  gboolean empty = FALSE;

  g_return_val_if_fail (CRM_IS_REPLICA (self), FALSE);

  if (!crm_replica_check_open (self, error))
    return FALSE;
  if (self->loading || !sqlite3_get_autocommit (self->db))
    {
      g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_BUSY,
                   _("Les données locales sont déjà en cours d’écriture : le chargement initial "
                     "n’a pas commencé. Réessayez dans un instant."));
      return FALSE;
    }

  /* Set outside the transaction: SQLite applies them to the next one. */
  self->load_journal = leave_wal (self);
  adopt_page_size (self);
  pragmas = load_pragmas (self->load_journal);
  if (!crm_replica_exec (self, pragmas, error))
    {
      restore_settings (self);
      return FALSE;
    }
  stmt = crm_replica_prepare (self, "BEGIN IMMEDIATE", error);
  if (stmt == NULL || !crm_replica_step_done (self, stmt, error))
    {
      restore_settings (self);
      return FALSE;
    }
  self->loading = TRUE;

  if (!replica_is_empty (self, &empty, error))
    goto failed;
  if (!empty)
    {
      g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_INVALID,
                   _("Le chargement initial ne se fait que dans des données locales vides."));
      goto failed;
    }
  if (!drop_derived_schema (self, error))
    goto failed;
  self->load_vocab = load_vocab_new ();

  return TRUE;

failed:
  crm_replica_initial_load_abort (self);
  return FALSE;
}

static gboolean
check_loading (CrmReplica *self,
               GError    **error)
{
  if (!crm_replica_check_open (self, error))
    return FALSE;
  /* An error that made SQLite roll back by itself (disk full) ended the load. */
  if (!self->loading || sqlite3_get_autocommit (self->db))
    {
      crm_replica_initial_load_abort (self);
      g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_FAILED,
                   _("Le chargement initial a été interrompu : recommencez-le."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
load_row (CrmReplica      *self,
          const CrmRecord *row,
          GError         **error)
{
  const CrmEntityInfo *entity = crm_record_get_entity (row);
  sqlite3_stmt *stmt;

  if ((guint) entity->kind >= CRM_REPLICA_N_KINDS || crm_record_get_string (row, "id") == NULL)
    {
      g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_INVALID,
                   _("Un élément reçu n’a pas d’identifiant ou n’est pas conservé sur ce poste."));
      return FALSE;
    }

  /* Held here rather than in the statement cache, whose lookup hashes the
   * whole SQL text: a kilobyte per row. */
  stmt = self->load_stmts[entity->kind];
  if (stmt == NULL)
    {
      g_autofree char *sql = upsert_sql (entity);
      int rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);

      if (rc != SQLITE_OK)
        {
          crm_replica_set_sqlite_error (self, rc, error);
          return FALSE;
        }
      self->load_stmts[entity->kind] = stmt;
    }
  for (guint i = 0; i < entity->n_fields; i++)
    crm_replica_row_bind (stmt, (int) i + 1, row, &entity->fields[i]);

  if (!crm_replica_step_done (self, stmt, error))
    return FALSE;
  /* Written (not an older copy of a row already there): its words count. */
  if (sqlite3_changes (self->db) > 0)
    load_vocab_add_row (self->load_vocab, row);
  return TRUE;
}

gboolean
crm_replica_initial_load_rows (CrmReplica       *self,
                               CrmRecord *const *rows,
                               guint             n_rows,
                               GError          **error)
{
  CRM_REPLICA_LOCKED (self);

  g_return_val_if_fail (CRM_IS_REPLICA (self), FALSE);
  g_return_val_if_fail (n_rows == 0 || rows != NULL, FALSE);

  if (!check_loading (self, error))
    return FALSE;

  for (guint i = 0; i < n_rows; i++)
    if (!load_row (self, rows[i], error))
      {
        crm_replica_initial_load_abort (self);
        return FALSE;
      }
  load_vocab_flush (self->load_vocab);
  return TRUE;
}

gboolean
crm_replica_initial_load_changes (CrmReplica             *self,
                                  const CrmReplicaChange *changes,
                                  guint                   n_changes,
                                  GError                **error)
{
  CRM_REPLICA_LOCKED (self);

  g_return_val_if_fail (CRM_IS_REPLICA (self), FALSE);
  g_return_val_if_fail (n_changes == 0 || changes != NULL, FALSE);

  if (!check_loading (self, error))
    return FALSE;

  for (guint i = 0; i < n_changes; i++)
    {
      const CrmReplicaChange *change = &changes[i];
      const CrmEntityInfo *entity = crm_replica_entity (change->kind, error);
      g_autoptr(CrmRecord) row = NULL;

      if (entity == NULL ||
          (change->data != NULL && crm_record_get_entity (change->data) != entity))
        {
          if (entity != NULL)
            g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_INVALID,
                         _("Un changement reçu du serveur ne correspond pas à son type "
                           "d’élément."));
          crm_replica_initial_load_abort (self);
          return FALSE;
        }
      /* What a pull page carries beside the row itself, as insert_remote() does. */
      row = change->data != NULL ? crm_record_copy (change->data) : crm_record_new (entity);
      crm_record_set_string (row, "id", change->id);
      crm_record_set_int (row, "version", change->version);
      crm_record_set_bool (row, "deleted", change->deleted);
      if (!load_row (self, row, error))
        {
          crm_replica_initial_load_abort (self);
          return FALSE;
        }
    }
  load_vocab_flush (self->load_vocab);
  return TRUE;
}

/* The load's words into search_terms, in order (its UNIQUE index grows at its
 * end); a word already there from before stays as it is. */
static gboolean
insert_words (CrmReplica *self,
              GPtrArray  *words,
              GError    **error)
{
  sqlite3_stmt *stmt = crm_replica_prepare (self, "INSERT OR IGNORE INTO search_terms (term) "
                                                  "VALUES (?)", error);

  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < words->len; i++)
    {
      sqlite3_bind_text (stmt, 1, words->pdata[i], -1, SQLITE_STATIC);
      if (!crm_replica_step_done (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* The words the load added to search_terms (those past @first_tid) into the
 * trigram index, in one statement: what the trigger search_terms_ai, dropped
 * for the load, does one word at a time (same condition: no digits). */
static gboolean
fill_trigrams (CrmReplica *self,
               gint64      first_tid,
               GError    **error)
{
  sqlite3_stmt *stmt = crm_replica_prepare (self, "INSERT INTO search_terms_tri (rowid, term) "
                                                  "SELECT tid, term FROM search_terms "
                                                  "WHERE tid > ? AND term NOT GLOB '*[0-9]*'",
                                            error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, first_tid);
  return crm_replica_step_done (self, stmt, error);
}

static gboolean
last_term_id (CrmReplica *self,
              gint64     *tid,
              GError    **error)
{
  sqlite3_stmt *stmt = crm_replica_prepare (self, "SELECT coalesce (max (tid), 0) "
                                                  "FROM search_terms", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *tid = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      crm_replica_set_sqlite_error (self, rc, error);
      return FALSE;
    }
  return TRUE;
}

/* FTS5 writes its pending terms out as a new segment whenever they pass
 * 'hashsize' (1 MiB by default), and merges segments as they pile up: over a
 * million rows, much of the indexing work. Larger segments for the load, with
 * merging off (fts_raise_levels()), cut that merging (4 of the 34 s of CPU of a
 * 1.4M-row load); back to the default after. The load's segments are merged
 * once, at the end (fts_place_high()), whatever their number: 16 MiB costs no
 * more CPU than 64 MiB there, and keeps the hash, which lives in memory, small. */
#define LOAD_FTS_HASHSIZE_MIB 16
#define FTS5_DEFAULT_HASHSIZE (1024 * 1024)

static gboolean
set_fts_hashsize (CrmReplica *self,
                  const char *fts,
                  int         bytes,
                  GError    **error)
{
  /* The table name is the store's own, never input. */
  g_autofree char *sql = g_strdup_printf ("INSERT INTO %s (%s, rank) VALUES ('hashsize', ?)",
                                          fts, fts);
  sqlite3_stmt *stmt = crm_replica_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, bytes);
  return crm_replica_step_done (self, stmt, error);
}

/*
 * Where the loaded full text sits among FTS5's merge levels.
 *
 * FTS5 keeps an index as segments on numbered levels: every write adds a small
 * segment on level 0; once a level holds 'automerge' (4) segments they are
 * merged, bit by bit, into one on the next level, and once one holds
 * 'crisismerge' (16) they are merged at once, inside the write that added the
 * 16th. A level is thus a count of merges, not a size. Left to itself, the
 * load ends with its few large segments on levels 0 and 1, right where the
 * first local writes land: after 4 of them the load's whole index is an input
 * of a merge, and after 15 it is rewritten inside one write (4.4 s and
 * 103 MiB at 1M rows, in one crm_replica_create).
 *
 * So the load ends by putting its index, in one segment, on a level that the
 * small segments of later writes reach only after millions of writes: level
 * LOAD_FTS_LEVEL or above (each level takes about 4 times as many writes as
 * the one below to fill). At 1M rows the slowest of the 1,000 first local
 * writes went from 2.4 s to 5 ms; the final merge costs about 1.5 s of CPU. 'optimize' merges every segment into one on a new
 * level above the highest (fts5IndexOptimizeStruct: all segments on the
 * structure's level count, the output one above it), and the level count
 * never goes down. Before the rows go in, while the index is empty, a few
 * placeholder rows and 'optimize' each raise it by two for next to nothing
 * (the placeholder must outsize a one-page segment, or FTS5 brings it back
 * down to level 0); they are deleted before the rows go in, and the last
 * 'optimize' drops them for good. 'optimize' leaves a lone segment, or
 * segments all on one level, where they are: a placeholder row (added and
 * deleted) makes a second level when needed.
 *
 * The levels are read from the index's structure record (%_data, id 10, laid
 * out in ext/fts5/fts5_index.c). Only read: if its layout is not one this
 * code knows, the index is simply left as the load made it.
 */
#define LOAD_FTS_LEVEL 10
#define LOAD_FTS_PLACEHOLDER_ROWID G_GINT64_CONSTANT (-1)
#define LOAD_FTS_CRISISMERGE 1000
#define FTS5_DEFAULT_AUTOMERGE 4
#define FTS5_DEFAULT_CRISISMERGE 16

typedef struct
{
  int n_levels;
  int n_segments;
  int lowest;      /* lowest level holding a segment, -1 when none */
  int highest;     /* highest level holding a segment, -1 when none */
} FtsLevels;

static gboolean
read_varint (const guint8 *p,
             gsize         n,
             gsize        *off,
             guint64      *value)
{
  guint64 v = 0;

  for (int i = 0; i < 9; i++)
    {
      guint8 c;

      if (*off >= n)
        return FALSE;
      c = p[(*off)++];
      if (i == 8)
        {
          *value = (v << 8) | c;
          return TRUE;
        }
      v = (v << 7) | (c & 0x7f);
      if ((c & 0x80) == 0)
        {
          *value = v;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
fts_levels (CrmReplica *self,
            const char *fts,
            FtsLevels  *levels,
            GError    **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT block FROM %s_data WHERE id = 10", fts);
  sqlite3_stmt *stmt = crm_replica_prepare (self, sql, error);
  const guint8 *p;
  gsize n, off = 4;
  gboolean v2 = FALSE, ok = TRUE;
  guint64 n_levels = 0, n_segments = 0, value;
  int rc;

  levels->n_levels = -1;
  levels->n_segments = 0;
  levels->lowest = levels->highest = -1;
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      return TRUE; /* unknown layout: n_levels -1 */
    }
  if (rc != SQLITE_ROW)
    {
      crm_replica_set_sqlite_error (self, rc, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  p = sqlite3_column_blob (stmt, 0);
  n = sqlite3_column_bytes (stmt, 0);
  /* A 4-byte cookie, then (SQLite 3.44+) the magic of the second layout. */
  if (n >= 8 && p[4] == 0xff && p[5] == 0x00 && p[6] == 0x00 && p[7] == 0x01)
    {
      v2 = TRUE;
      off = 8;
    }
  ok = n >= off && read_varint (p, n, &off, &n_levels) && read_varint (p, n, &off, &n_segments) &&
       read_varint (p, n, &off, &value) /* write counter */ &&
       (!v2 || read_varint (p, n, &off, &value)) /* origin counter */ && n_levels <= 64;
  for (guint64 l = 0; ok && l < n_levels; l++)
    {
      guint64 n_merge, n_seg;

      ok = read_varint (p, n, &off, &n_merge) && read_varint (p, n, &off, &n_seg) &&
           n_seg <= n_segments;
      for (guint64 s = 0; ok && s < n_seg * (v2 ? 8 : 3); s++)
        ok = read_varint (p, n, &off, &value);
      if (ok && n_seg > 0)
        {
          if (levels->lowest < 0)
            levels->lowest = (int) l;
          levels->highest = (int) l;
          levels->n_segments += (int) n_seg;
        }
    }
  sqlite3_reset (stmt);
  if (ok && off == n && (guint64) levels->n_segments == n_segments)
    levels->n_levels = (int) n_levels;
  else
    levels->n_segments = 0, levels->lowest = levels->highest = -1;
  return TRUE;
}

static gboolean
fts_command (CrmReplica *self,
             const char *fts,
             const char *command,
             GError    **error)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO %s (%s) VALUES ('%s')", fts, fts, command);

  return crm_replica_exec (self, sql, error);
}

/* Adds (or, @delete, deletes) a row of @text in the first column of @fts at
 * @rowid: the table's content is external, so nothing else sees it. */
static gboolean
fts_placeholder (CrmReplica *self,
                 const char *fts,
                 gint64      rowid,
                 const char *text,
                 gboolean    delete,
                 GError    **error)
{
  g_autofree char *column_sql = g_strdup_printf ("SELECT name FROM pragma_table_info ('%s') "
                                                 "ORDER BY cid LIMIT 1", fts);
  g_autofree char *column = NULL;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = crm_replica_prepare (self, column_sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      crm_replica_set_sqlite_error (self, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  column = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  if (delete)
    sql = g_strdup_printf ("INSERT INTO %s (%s, rowid, %s) VALUES ('delete', ?, ?)", fts, fts,
                           column);
  else
    sql = g_strdup_printf ("INSERT INTO %s (rowid, %s) VALUES (?, ?)", fts, column);
  stmt = crm_replica_prepare (self, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rowid);
  sqlite3_bind_text (stmt, 2, text, -1, SQLITE_TRANSIENT);
  return crm_replica_step_done (self, stmt, error);
}

/* @n_words words no one types (FTS5 pages hold about 250 of them). */
static char *
placeholder_text (int n_words)
{
  GString *text = g_string_new ("zzcrmniveau");

  for (int i = 1; i < n_words; i++)
    g_string_append_printf (text, " zzcrmniveau%d", i);
  return g_string_free (text, FALSE);
}

/* Persistent FTS5 settings ('automerge', 'crisismerge', 'hashsize'). */
static gboolean
fts_setting (CrmReplica *self,
             const char *fts,
             const char *name,
             int         value,
             GError    **error)
{
  /* The table name is the store's own, never input. */
  g_autofree char *sql = g_strdup_printf ("INSERT INTO %s (%s, rank) VALUES (?, ?)", fts, fts);
  sqlite3_stmt *stmt = crm_replica_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, value);
  return crm_replica_step_done (self, stmt, error);
}

/* Before the rows go in, into the empty index:
 *
 * 1. its level count raised to LOAD_FTS_LEVEL: a placeholder of a few pages
 *    (smaller, FTS5 would bring it back to level 0 under the next one-page
 *    segment) and, each round, a one-page one, merged by 'optimize' one level
 *    above the highest, two levels more each time;
 * 2. a second placeholder, and the two merged with ('merge', -1) — every
 *    segment onto a new top level, then merging them a page or two only:
 *    that level stays "being merged", and FTS5 moves no segment down across
 *    a level being merged. The segments of the load, on level 0, thus leave
 *    these where they are, and the last 'optimize' (fts_place_high()) finds
 *    two levels and merges everything above them in one pass;
 * 3. every placeholder row deleted (the last 'optimize' drops them for good).
 *
 * Merges are off meanwhile ('automerge' 0, 'crisismerge' at its maximum): the
 * load's segments are merged once, at the end, not level by level. Each
 * placeholder row has a rowid below the one before, which makes FTS5 write
 * out the one before as a segment of its own. */
static gboolean
fts_raise_levels (CrmReplica *self,
                  const char *fts,
                  GError    **error)
{
  g_autofree char *big = placeholder_text (1500);
  g_autofree char *medium = placeholder_text (1000);
  g_autofree char *word = placeholder_text (1);
  gint64 rowid = LOAD_FTS_PLACEHOLDER_ROWID;
  gint64 medium_rowid;
  FtsLevels levels;

  if (!fts_setting (self, fts, "automerge", 0, error) ||
      !fts_setting (self, fts, "crisismerge", LOAD_FTS_CRISISMERGE, error) ||
      !fts_placeholder (self, fts, rowid, big, FALSE, error))
    return FALSE;
  for (int round = 0; round < LOAD_FTS_LEVEL; round++)
    {
      if (!fts_placeholder (self, fts, --rowid, word, FALSE, error) ||
          !fts_command (self, fts, "optimize", error) ||
          !fts_levels (self, fts, &levels, error))
        return FALSE;
      if (levels.n_levels < 0 || levels.n_levels >= LOAD_FTS_LEVEL)
        break;
    }
  medium_rowid = --rowid;
  if (!fts_placeholder (self, fts, medium_rowid, medium, FALSE, error) ||
      !fts_placeholder (self, fts, --rowid, word, FALSE, error) ||
      !fts_setting (self, fts, "merge", -1, error))
    return FALSE;
  for (gint64 r = LOAD_FTS_PLACEHOLDER_ROWID; r >= rowid; r--)
    if (!fts_placeholder (self, fts, r,
                          r == LOAD_FTS_PLACEHOLDER_ROWID ? big : r == medium_rowid ? medium : word,
                          TRUE, error))
      return FALSE;
  return TRUE;
}

/* After the rows: the whole index in one segment, above LOAD_FTS_LEVEL. */
static gboolean
fts_place_high (CrmReplica *self,
                const char *fts,
                GError    **error)
{
  g_autofree char *word = placeholder_text (FALSE);

  for (int round = 0; round < 4; round++)
    {
      FtsLevels levels;

      if (!fts_levels (self, fts, &levels, error))
        return FALSE;
      g_debug ("load: %s, %d segments on levels %d to %d of %d", fts, levels.n_segments,
               levels.lowest, levels.highest, levels.n_levels);
      if (levels.n_levels < 0)
        return TRUE; /* a layout this code does not know: left as it is */
      if (levels.n_segments == 1 && levels.lowest >= LOAD_FTS_LEVEL)
        return TRUE;
      /* Nothing left after a merge: no rows (the placeholders cancel out). */
      if (levels.n_segments == 0 && round > 0)
        return TRUE;
      if (levels.n_segments > 0 && levels.lowest != levels.highest)
        {
          /* Segments on two levels or more: all merged one level above. */
          if (!fts_command (self, fts, "optimize", error))
            return FALSE;
          continue;
        }
      /* One level (or, the rows still in memory, none yet): on level 0,
       * merged into level 1 first; then a placeholder segment on level 0 makes
       * a second level (its row deleted, it holds nothing). */
      if (levels.lowest <= 0 && !fts_command (self, fts, "optimize", error))
        return FALSE;
      if (!fts_placeholder (self, fts, LOAD_FTS_PLACEHOLDER_ROWID, word, FALSE, error) ||
          !fts_placeholder (self, fts, LOAD_FTS_PLACEHOLDER_ROWID, word, TRUE, error) ||
          !fts_command (self, fts, "optimize", error))
        return FALSE;
    }
  return TRUE;
}

/* Process CPU time in milliseconds (every thread: the sorter may use two). */
static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double) ts.tv_sec * 1e3 + (double) ts.tv_nsec / 1e6;
}

static double
thread_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double) ts.tv_sec * 1e3 + (double) ts.tv_nsec / 1e6;
}

/* G_MESSAGES_DEBUG=crm-replica shows what each step of the build costs, and
 * how much of it fell on the loading thread (the sorter's threads do the rest). */
static gboolean
exec_timed (CrmReplica *self,
            const char *sql,
            GError    **error)
{
  gint64 start = g_get_monotonic_time ();
  double cpu = cpu_ms ();
  double own_cpu = thread_cpu_ms ();
  gboolean ok = crm_replica_exec (self, sql, error);

  g_debug ("load: %.0f ms (CPU %.0f ms, %.0f ms on this thread) for %.60s",
           (g_get_monotonic_time () - start) / 1e3, cpu_ms () - cpu, thread_cpu_ms () - own_cpu,
           sql);
  return ok;
}

static gboolean
build_derived (CrmReplica *self,
               GError    **error)
{
  g_autoptr(GPtrArray) words = NULL;
  g_autofree char *index_cache = NULL;
  gint64 first_tid = 0;
  gint64 vocab_start;
  double vocab_cpu;

  /* The thread sorts its words while the full text is built. */
  load_vocab_end_rows (self->load_vocab);
  if (!last_term_id (self, &first_tid, error))
    return FALSE;
  for (CrmEntityKind kind = 0; kind < CRM_REPLICA_N_KINDS; kind++)
    {
      const char *fts = crm_replica_fts_table (kind);
      gint64 start = g_get_monotonic_time ();
      double cpu = cpu_ms ();

      if (fts == NULL)
        continue;
      if (!fts_raise_levels (self, fts, error) ||
          !set_fts_hashsize (self, fts,
                             load_setting ("CRM_REPLICA_LOAD_HASH_MIB", LOAD_FTS_HASHSIZE_MIB) << 20,
                             error) ||
          !crm_replica_fts_fill (self, kind, 0, error) ||
          !fts_place_high (self, fts, error) ||
          !set_fts_hashsize (self, fts, FTS5_DEFAULT_HASHSIZE, error) ||
          !fts_setting (self, fts, "automerge", FTS5_DEFAULT_AUTOMERGE, error) ||
          !fts_setting (self, fts, "crisismerge", FTS5_DEFAULT_CRISISMERGE, error))
        return FALSE;
      g_debug ("load: %.0f ms (CPU %.0f ms) for the full text of %s",
               (g_get_monotonic_time () - start) / 1e3, cpu_ms () - cpu, fts);
    }

  vocab_start = g_get_monotonic_time ();
  vocab_cpu = cpu_ms ();
  words = load_vocab_finish (self->load_vocab);
  g_clear_pointer (&self->load_vocab, load_vocab_free);
  g_debug ("load: %.0f ms (CPU %.0f ms) for the vocabulary: waiting for its thread",
           (g_get_monotonic_time () - vocab_start) / 1e3, cpu_ms () - vocab_cpu);
  vocab_start = g_get_monotonic_time ();
  vocab_cpu = cpu_ms ();
  if (!insert_words (self, words, error) || !fill_trigrams (self, first_tid, error))
    return FALSE;
  g_debug ("load: %.0f ms (CPU %.0f ms) for the vocabulary: %u words and their trigrams",
           (g_get_monotonic_time () - vocab_start) / 1e3, cpu_ms () - vocab_cpu, words->len);

  /* In key order (ORDER BY, through the sorter) was slower: 2.4 s instead
   * of 1.0 s on this thread at 1M; so were the pairs gathered as the rows went
   * in, sorted on the vocabulary's thread and inserted one by one (1.5 s, and
   * 30 MiB more at the peak; 036ea1e). */
  if (!exec_timed (self, "INSERT OR IGNORE INTO interaction_participants (person_id, "
                         "interaction_rid) SELECT j.value, i.rid FROM interactions AS i, "
                         "json_each (i.participant_ids) AS j WHERE j.type = 'text'",
                   error))
    return FALSE;

  /* Sorter runs small enough for its threads (LOAD_THREADS). */
  index_cache = g_strdup_printf ("PRAGMA cache_size = %d",
                                 -1024 * load_setting ("CRM_REPLICA_LOAD_INDEX_CACHE_MIB",
                                                       LOAD_INDEX_CACHE_MIB));
  if (!crm_replica_exec (self, index_cache, error))
    return FALSE;
  for (guint i = 0; i < self->load_schema->len; i++)
    if (!exec_timed (self, g_ptr_array_index (self->load_schema, i), error))
      return FALSE;
  g_ptr_array_set_size (self->load_schema, 0);
  return TRUE;
}

gboolean
crm_replica_initial_load_commit (CrmReplica *self,
                                 gint64      cursor,
                                 gint64      epoch,
                                 GError    **error)
{
  CRM_REPLICA_LOCKED (self);
  g_autofree char *analysis = g_strdup_printf ("PRAGMA analysis_limit = %d; ANALYZE; "
                                               "PRAGMA analysis_limit = 0",
                                               LOAD_ANALYSIS_LIMIT);
  g_autofree char *now = crm_time_now ();
  sqlite3_stmt *stmt;
  gboolean journal;

  g_return_val_if_fail (CRM_IS_REPLICA (self), FALSE);

  if (!check_loading (self, error))
    return FALSE;
  finalize_load_statements (self);
  if (!build_derived (self, error))
    goto failed;

  if (cursor >= 0)
    {
      stmt = crm_replica_prepare (self, "UPDATE sync_state SET cursor = ?, epoch = ?, "
                                        "last_pull_at = ? WHERE singleton = 1", error);
      if (stmt == NULL)
        goto failed;
      sqlite3_bind_int64 (stmt, 1, cursor);
      sqlite3_bind_int64 (stmt, 2, epoch);
      sqlite3_bind_text (stmt, 3, now, -1, SQLITE_STATIC);
      if (!crm_replica_step_done (self, stmt, error))
        goto failed;
    }

  /* Fresh statistics, in the same transaction, so the planner picks the right
   * index at any size from the first query on. */
  if (!exec_timed (self, analysis, error))
    goto failed;

  if (!exec_timed (self, "COMMIT", error))
    goto failed;
  self->loading = FALSE;
  journal = self->load_journal;
  restore_settings (self);
  if (journal)
    return TRUE; /* written and synced in the database file itself */
  /* Now with synchronous FULL: syncs the WAL, then moves the load into the
   * database file. Durable from here; and reads stop looking every page up
   * in a WAL of a gigabyte (search at 1M rows cost half as much again before
   * the first checkpoint). PASSIVE: a reader elsewhere is never waited for;
   * whatever it holds back goes at the next checkpoint. */
  {
    gint64 start = g_get_monotonic_time ();
    double cpu = cpu_ms ();

    sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    g_debug ("load: %.0f ms (CPU %.0f ms) for the checkpoint",
             (g_get_monotonic_time () - start) / 1e3, cpu_ms () - cpu);
  }
  return TRUE;

failed:
  crm_replica_initial_load_abort (self);
  return FALSE;
}

gboolean
crm_replica_is_loading (CrmReplica *self)
{
  g_return_val_if_fail (CRM_IS_REPLICA (self), FALSE);
  return self->loading;
}

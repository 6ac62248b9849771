/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-replica"

#include "config.h"

#include <glib/gi18n.h>
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
 * - the vocabulary (search_terms), read from the finished FTS5 indexes through
 *   fts5vocab, whose words are already cut and folded, instead of cutting every
 *   row's text a second time;
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
  "PRAGMA mmap_size = 0;"

/* 256 MiB of page cache during the load, so that most of what CREATE INDEX and
 * the FTS pass read is still in memory (1 GiB measured no faster at 1.4M rows).
 * temp_store FILE: with MEMORY, SQLite's sorter (CREATE INDEX, DISTINCT) keeps
 * one malloc'd block per key in a linked list; otherwise it packs the keys into
 * one buffer of up to the cache size, and only spills to a file past it. A
 * third less CPU for the 36 indexes at 1.4M rows. */
#define LOAD_PRAGMAS \
  "PRAGMA wal_autocheckpoint = 0;" \
  "PRAGMA cache_size = -262144;" \
  "PRAGMA temp_store = FILE;"

/* How the load reaches the disk, see leave_wal(). */
#define LOAD_WAL_PRAGMAS "PRAGMA synchronous = OFF;"
#define LOAD_JOURNAL_PRAGMAS \
  "PRAGMA synchronous = FULL;" \
  "PRAGMA mmap_size = 4294967296;"

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

  g_string_append (sql, "SELECT type, name, sql FROM sqlite_schema WHERE type IN ('index', "
                        "'trigger') AND sql IS NOT NULL AND tbl_name IN (");
  for (guint i = 0; i < G_N_ELEMENTS (load_tables); i++)
    g_string_append_printf (sql, "%s'%s'", i > 0 ? ", " : "", load_tables[i]);
  g_string_append (sql, ")");

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

void
crm_replica_initial_load_abort (CrmReplica *self)
{
  CRM_REPLICA_LOCKED (self);

  g_return_if_fail (CRM_IS_REPLICA (self));

  if (!self->loading)
    return;
  finalize_load_statements (self);
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
  if (!crm_replica_exec (self, LOAD_PRAGMAS, error) ||
      !crm_replica_exec (self, self->load_journal ? LOAD_JOURNAL_PRAGMAS : LOAD_WAL_PRAGMAS,
                         error))
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

  return crm_replica_step_done (self, stmt, error);
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
  return TRUE;
}

/* The vocabulary of one FTS table: its distinct words, folded as crm_terms()
 * folds them (ASCII, œ expanded, at most 64 characters, three or more). */
static gboolean
fill_vocabulary (CrmReplica *self,
                 const char *fts,
                 GError    **error)
{
  g_autofree char *create = g_strdup_printf ("CREATE VIRTUAL TABLE temp.%s_vocab USING "
                                             "fts5vocab (main, %s, row)", fts, fts);
  g_autofree char *fill = g_strdup_printf ("INSERT OR IGNORE INTO search_terms (term) "
                                           "SELECT DISTINCT t FROM (SELECT substr (crm_fold_ascii "
                                           "(term), 1, 64) AS t FROM temp.%s_vocab) "
                                           "WHERE length (t) >= ?", fts);
  g_autofree char *drop = g_strdup_printf ("DROP TABLE temp.%s_vocab", fts);
  sqlite3_stmt *stmt;

  if (!crm_replica_exec (self, create, error))
    return FALSE;
  stmt = crm_replica_prepare (self, fill, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, CRM_SEARCH_TRIGRAM_MIN_CHARS);
  if (!crm_replica_step_done (self, stmt, error))
    return FALSE;
  /* The statement reads the temporary table: it goes before the table does. */
  g_hash_table_remove (self->statements, fill);
  return crm_replica_exec (self, drop, error);
}

/* FTS5 writes its pending terms out as a new segment whenever they pass
 * 'hashsize' (1 MiB by default), and merges segments as they pile up: over a
 * million rows, much of the indexing work. 64 MiB segments for the load cut the
 * merging (4 of the 34 s of CPU of a 1.4M-row load); back to the default after.
 * The load's segments are then merged once, at the end (fts_place_high()). */
#define LOAD_FTS_HASHSIZE (64 * 1024 * 1024)
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

/* G_MESSAGES_DEBUG=crm-replica shows what each step of the build costs. */
static gboolean
exec_timed (CrmReplica *self,
            const char *sql,
            GError    **error)
{
  gint64 start = g_get_monotonic_time ();
  double cpu = cpu_ms ();
  gboolean ok = crm_replica_exec (self, sql, error);

  g_debug ("load: %.0f ms (CPU %.0f ms) for %.60s", (g_get_monotonic_time () - start) / 1e3,
           cpu_ms () - cpu, sql);
  return ok;
}

static gboolean
build_derived (CrmReplica *self,
               GError    **error)
{
  for (CrmEntityKind kind = 0; kind < CRM_REPLICA_N_KINDS; kind++)
    {
      const char *fts = crm_replica_fts_table (kind);
      gint64 start = g_get_monotonic_time ();
      double cpu = cpu_ms ();

      if (fts == NULL)
        continue;
      if (!fts_raise_levels (self, fts, error) ||
          !set_fts_hashsize (self, fts, LOAD_FTS_HASHSIZE, error) ||
          !crm_replica_fts_fill (self, kind, 0, error) ||
          !fts_place_high (self, fts, error) ||
          !set_fts_hashsize (self, fts, FTS5_DEFAULT_HASHSIZE, error) ||
          !fts_setting (self, fts, "automerge", FTS5_DEFAULT_AUTOMERGE, error) ||
          !fts_setting (self, fts, "crisismerge", FTS5_DEFAULT_CRISISMERGE, error))
        return FALSE;
      g_debug ("load: %.0f ms (CPU %.0f ms) for the full text of %s",
               (g_get_monotonic_time () - start) / 1e3, cpu_ms () - cpu, fts);
      start = g_get_monotonic_time ();
      cpu = cpu_ms ();
      if (!fill_vocabulary (self, fts, error))
        return FALSE;
      g_debug ("load: %.0f ms (CPU %.0f ms) for the vocabulary of %s",
               (g_get_monotonic_time () - start) / 1e3, cpu_ms () - cpu, fts);
    }

  if (!exec_timed (self, "INSERT OR IGNORE INTO interaction_participants (person_id, "
                               "interaction_rid) SELECT j.value, i.rid FROM interactions AS i, "
                               "json_each (i.participant_ids) AS j WHERE j.type = 'text'",
                         error))
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

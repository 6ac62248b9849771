/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-replica"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-replica-private.h"

/*
 * Bulk writes inside a transaction (a pull page, the demo data into a replica
 * that already holds rows): the full-text and vocabulary triggers skip the rows
 * inserted meanwhile (crm_indexed() in crm-replica-search.c), and
 * crm_replica_bulk_end() indexes them in one INSERT ... SELECT per table.
 * The initial load of an empty replica goes further: crm-replica-load.c.
 */

/* The FTS columns of each indexed table, in the order of 0001_init.sql, and
 * whether their text goes through crm_fold() (e-mails and numbers do not). */
typedef struct
{
  CrmEntityKind kind;
  const char   *table;
  const char   *columns[6];
  const char   *raw[3];
} FtsTable;

static const FtsTable fts_tables[] = {
  { CRM_ENTITY_ORGANISATION, "organisations", { "name", "email", "city", "notes", "tags", NULL },
    { "email", NULL } },
  { CRM_ENTITY_PERSON, "people",
    { "first_name", "last_name", "personal_email", "job_title", "notes", NULL },
    { "personal_email", NULL } },
  { CRM_ENTITY_MANDAT, "mandats", { "number", "products", "notes", NULL }, { "number", NULL } },
  { CRM_ENTITY_INTERACTION, "interactions", { "subject", "body", NULL }, { NULL } },
  { CRM_ENTITY_TASK, "tasks", { "title", "description", NULL }, { NULL } },
};

const char *const *
crm_replica_fts_columns (CrmEntityKind kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (fts_tables); i++)
    if (fts_tables[i].kind == kind)
      return fts_tables[i].columns;
  return NULL;
}

/* Into an empty replica (demo data, a first load), the list indexes are dropped
 * and built again at the end: CREATE INDEX sorts once, where a million inserts
 * at random places in 35 B-trees miss the page cache at every step (a third
 * less CPU at 280k rows). Within the load's transaction, so a kill or an error
 * brings them back with everything else. */
static gboolean
drop_list_indexes_if_empty (CrmReplica *self,
                            GError    **error)
{
  /* WHERE: a row only when every table is empty (SQLITE_DONE otherwise). */
  g_autoptr(GString) empty = g_string_new ("SELECT 1 WHERE 1");
  sqlite3_stmt *stmt;
  int rc;

  for (guint k = 0; k < CRM_REPLICA_N_KINDS; k++)
    g_string_append_printf (empty, " AND NOT EXISTS (SELECT 1 FROM %s)",
                            crm_entity_get (k)->collection);
  stmt = crm_replica_prepare (self, empty->str, error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return TRUE; /* not empty */
  if (rc != SQLITE_ROW)
    {
      crm_replica_set_sqlite_error (self, rc, error);
      return FALSE;
    }

  /* Only the indexes written in the migrations (sql IS NOT NULL): the UNIQUE
   * index on id stays, lookups by id go on during the load. */
  stmt = crm_replica_prepare (self, "SELECT name, sql FROM sqlite_schema WHERE type = 'index' "
                                    "AND sql IS NOT NULL AND tbl_name IN ('organisations', "
                                    "'people', 'links', 'mandats', 'interactions', 'tasks', "
                                    "'notifications')", error);
  if (stmt == NULL)
    return FALSE;
  {
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        g_ptr_array_add (names, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
        g_ptr_array_add (self->bulk_indexes,
                         g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
      }
    sqlite3_reset (stmt);
    if (rc != SQLITE_DONE)
      {
        crm_replica_set_sqlite_error (self, rc, error);
        return FALSE;
      }

    for (guint i = 0; i < names->len; i++)
      {
        /* Names come from sqlite_schema, not from anyone's input. */
        g_autofree char *drop = g_strdup_printf ("DROP INDEX \"%s\"",
                                                 (const char *) g_ptr_array_index (names, i));

        if (!crm_replica_exec (self, drop, error))
          return FALSE;
      }
  }

  return TRUE;
}

gboolean
crm_replica_bulk_begin (CrmReplica *self,
                        GError    **error)
{
  g_ptr_array_set_size (self->bulk_indexes, 0);
  if (!drop_list_indexes_if_empty (self, error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (fts_tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT coalesce (max (rid), 0) FROM %s",
                                              fts_tables[i].table);
      sqlite3_stmt *stmt = crm_replica_prepare (self, sql, error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_ROW)
        {
          crm_replica_set_sqlite_error (self, rc, error);
          sqlite3_reset (stmt);
          return FALSE;
        }
      self->bulk_start[fts_tables[i].kind] = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
    }

  self->bulk = TRUE;
  return TRUE;
}

static gboolean
run_with_rid (CrmReplica *self,
              const char *sql,
              gint64      rid,
              GError    **error)
{
  sqlite3_stmt *stmt = crm_replica_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rid);
  return crm_replica_step_done (self, stmt, error);
}

gboolean
crm_replica_fts_fill (CrmReplica   *self,
                      CrmEntityKind kind,
                      gint64        after_rid,
                      GError      **error)
{
  const FtsTable *t = NULL;
  g_autoptr(GString) names = g_string_new (NULL);
  g_autoptr(GString) values = g_string_new (NULL);
  g_autofree char *sql = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (fts_tables); i++)
    if (fts_tables[i].kind == kind)
      t = &fts_tables[i];
  g_return_val_if_fail (t != NULL, FALSE);

  for (guint c = 0; t->columns[c] != NULL; c++)
    {
      gboolean raw = g_strv_contains (t->raw, t->columns[c]);

      g_string_append_printf (names, "%s%s", c > 0 ? ", " : "", t->columns[c]);
      g_string_append_printf (values, raw ? "%s%s" : "%scrm_fold (%s)", c > 0 ? ", " : "",
                              t->columns[c]);
    }

  /* One statement per table: FTS5 keeps the whole batch in memory and writes
   * it in large segments. */
  sql = g_strdup_printf ("INSERT INTO %s_fts (rowid, %s) SELECT rid, %s FROM %s "
                         "WHERE rid > ? AND deleted = 0",
                         t->table, names->str, values->str, t->table);
  return run_with_rid (self, sql, after_rid, error);
}

gboolean
crm_replica_bulk_end (CrmReplica *self,
                      GError    **error)
{
  g_return_val_if_fail (self->bulk, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (fts_tables); i++)
    {
      const FtsTable *t = &fts_tables[i];
      g_autoptr(GString) names = g_string_new (NULL);
      g_autofree char *terms_sql = NULL;

      for (guint c = 0; t->columns[c] != NULL; c++)
        g_string_append_printf (names, "%s%s", c > 0 ? ", " : "", t->columns[c]);
      terms_sql = g_strdup_printf ("INSERT OR IGNORE INTO search_terms (term) SELECT j.value "
                                   "FROM %s, json_each (crm_terms (%s)) AS j WHERE %s.rid > ?",
                                   t->table, names->str, t->table);
      if (!crm_replica_fts_fill (self, t->kind, self->bulk_start[t->kind], error) ||
          !run_with_rid (self, terms_sql, self->bulk_start[t->kind], error))
        return FALSE;
    }

  for (guint i = 0; i < self->bulk_indexes->len; i++)
    if (!crm_replica_exec (self, g_ptr_array_index (self->bulk_indexes, i), error))
      return FALSE;
  g_ptr_array_set_size (self->bulk_indexes, 0);

  self->bulk = FALSE;
  return TRUE;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-replica"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "crm-replica-private.h"
#include "crm-search-query.h"

/*
 * Lists use keyset pagination: a page starts after the (sort value, rid) of the
 * last row of the previous one, which an index on the sort column (every index
 * ends with the rid) finds directly, so page 18,000 costs what page 1 costs.
 * NULLs are walked in their own phase (first when ascending, last when
 * descending, as SQLite orders them): a single "(col, rid) > (?, ?)" cannot
 * step over them, and an OR would cost the index its order.
 */

/* Cursor: base64 of a JSON array [phase, value, rid], phase "n" (walking the
 * NULLs of the sort column) or "v" (walking values). */
static char *
encode_cursor (gboolean      in_nulls,
               sqlite3_stmt *stmt,
               int           value_col,
               gint64        rid)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;

  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, in_nulls ? "n" : "v");
  switch (sqlite3_column_type (stmt, value_col))
    {
    case SQLITE_INTEGER:
      json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, value_col));
      break;
    case SQLITE_FLOAT:
      json_builder_add_double_value (builder, sqlite3_column_double (stmt, value_col));
      break;
    case SQLITE_TEXT:
      json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, value_col));
      break;
    case SQLITE_NULL:
    default:
      json_builder_add_null_value (builder);
      break;
    }
  json_builder_add_int_value (builder, rid);
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);

  return g_base64_encode ((const guchar *) json, strlen (json));
}

static gboolean
decode_cursor (const char *cursor,
               gboolean   *in_nulls,
               Bind       *value,
               gint64     *rid,
               GError    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree guchar *json = NULL;
  gsize len = 0;
  JsonNode *root;
  JsonArray *array;
  JsonNode *v;
  const char *phase;

  json = g_base64_decode (cursor, &len);
  if (json == NULL || len == 0 || len > 4096 ||
      !json_parser_load_from_data (parser, (const char *) json, (gssize) len, NULL))
    goto invalid;

  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_ARRAY (root) || json_array_get_length (json_node_get_array (root)) != 3)
    goto invalid;
  array = json_node_get_array (root);
  if (!JSON_NODE_HOLDS_VALUE (json_array_get_element (array, 0)) ||
      json_node_get_value_type (json_array_get_element (array, 0)) != G_TYPE_STRING ||
      !JSON_NODE_HOLDS_VALUE (json_array_get_element (array, 2)) ||
      json_node_get_value_type (json_array_get_element (array, 2)) != G_TYPE_INT64)
    goto invalid;
  phase = json_array_get_string_element (array, 0);
  if (strcmp (phase, "n") != 0 && strcmp (phase, "v") != 0)
    goto invalid;

  *in_nulls = strcmp (phase, "n") == 0;
  *rid = json_array_get_int_element (array, 2);

  /* The value keeps its SQLite type, so the comparison is the index's own. */
  v = json_array_get_element (array, 1);
  memset (value, 0, sizeof *value);
  value->kind = BIND_NULL;
  if (JSON_NODE_HOLDS_VALUE (v))
    {
      GType type = json_node_get_value_type (v);

      if (type == G_TYPE_INT64)
        {
          value->kind = BIND_INT;
          value->number = json_node_get_int (v);
        }
      else if (type == G_TYPE_DOUBLE)
        {
          value->kind = BIND_DOUBLE;
          value->real = json_node_get_double (v);
        }
      else if (type == G_TYPE_STRING)
        {
          value->kind = BIND_TEXT;
          value->text = g_strdup (json_node_get_string (v));
        }
    }
  if (!*in_nulls && value->kind == BIND_NULL)
    goto invalid;

  return TRUE;

invalid:
  g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_INVALID,
               _("La position dans la liste n’est plus valable : revenez au début de la liste."));
  return FALSE;
}

/* One phase of a page: up to @want rows appended to @rows, and the cursor that
 * resumes after each to @cursors. Returns the number of rows read, -1 on error. */
static int
run_phase (CrmReplica            *self,
           const CrmReplicaQuery *query,
           gboolean               nulls,
           gboolean               has_bound,
           const Bind            *bound_value,
           gint64                 bound_rid,
           guint                  want,
           GPtrArray             *rows,
           GPtrArray             *cursors,
           GError               **error)
{
  const CrmEntityInfo *entity = crm_entity_get (query->kind);
  const char *col = query->sort->name;
  const char *dir = query->descending ? "DESC" : "ASC";
  const char *op = query->descending ? "<" : ">";
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GArray) binds = crm_replica_binds_new ();
  sqlite3_stmt *stmt;
  int n = 0, rc;
  guint n_cols = entity->n_fields;

  g_string_append_printf (sql, "SELECT %s, t.rid, t.%s FROM %s AS t",
                          self->select_columns[query->kind], col, entity->collection);
  if (!crm_replica_query_append_where (query, sql, binds, TRUE, error))
    return -1;

  if (nulls)
    {
      g_string_append_printf (sql, " AND t.%s IS NULL", col);
      if (has_bound)
        {
          g_string_append_printf (sql, " AND t.rid %s ?", op);
          crm_replica_binds_add_int (binds, bound_rid);
        }
      g_string_append_printf (sql, " ORDER BY t.rid %s LIMIT ?", dir);
    }
  else
    {
      g_string_append_printf (sql, " AND t.%s IS NOT NULL", col);
      if (has_bound)
        {
          Bind bind = *bound_value;

          bind.text = g_strdup (bound_value->text);
          g_string_append_printf (sql, " AND (t.%s, t.rid) %s (?, ?)", col, op);
          g_array_append_val (binds, bind);
          crm_replica_binds_add_int (binds, bound_rid);
        }
      g_string_append_printf (sql, " ORDER BY t.%s %s, t.rid %s LIMIT ?", col, dir, dir);
    }
  crm_replica_binds_add_int (binds, want);

  stmt = crm_replica_prepare (self, sql->str, error);
  if (stmt == NULL || !crm_replica_binds_apply (binds, stmt, error))
    return -1;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (rows, crm_replica_row_read (entity, stmt, 0));
      g_ptr_array_add (cursors, encode_cursor (nulls, stmt, (int) n_cols + 1,
                                               sqlite3_column_int64 (stmt, (int) n_cols)));
      n++;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_replica_set_sqlite_error (self, rc, error);
      return -1;
    }

  return n;
}

/* A page at a row position: the whole list in one walk of the sort index, with
 * NULLs where the phases put them (first ascending, last descending: SQLite's
 * own order), @query->offset rows skipped. Skipped rows cost an index step:
 * the filters an index covers are checked on it, and SQLite reads a row's
 * columns only once it is past the offset. */
static int
run_offset (CrmReplica            *self,
            const CrmReplicaQuery *query,
            guint                  want,
            GPtrArray             *rows,
            GPtrArray             *cursors,
            GError               **error)
{
  const CrmEntityInfo *entity = crm_entity_get (query->kind);
  const char *col = query->sort->name;
  const char *dir = query->descending ? "DESC" : "ASC";
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GArray) binds = crm_replica_binds_new ();
  sqlite3_stmt *stmt;
  int n = 0, rc;
  int value_col = (int) entity->n_fields + 1;

  g_string_append_printf (sql, "SELECT %s, t.rid, t.%s FROM %s AS t",
                          self->select_columns[query->kind], col, entity->collection);
  if (!crm_replica_query_append_where (query, sql, binds, TRUE, error))
    return -1;
  g_string_append_printf (sql, " ORDER BY t.%s %s, t.rid %s LIMIT ? OFFSET ?", col, dir, dir);
  crm_replica_binds_add_int (binds, want);
  crm_replica_binds_add_int (binds, query->offset);

  stmt = crm_replica_prepare (self, sql->str, error);
  if (stmt == NULL || !crm_replica_binds_apply (binds, stmt, error))
    return -1;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (rows, crm_replica_row_read (entity, stmt, 0));
      g_ptr_array_add (cursors,
                       encode_cursor (sqlite3_column_type (stmt, value_col) == SQLITE_NULL, stmt,
                                      value_col, sqlite3_column_int64 (stmt, value_col - 1)));
      n++;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_replica_set_sqlite_error (self, rc, error);
      return -1;
    }

  return n;
}

void
crm_search_hit_free (CrmSearchHit *hit)
{
  if (hit == NULL)
    return;
  g_clear_pointer (&hit->record, crm_record_unref);
  g_free (hit->snippet);
  g_free (hit);
}

/* Matches ranked per search: bm25 costs something for every row it scores, and a
 * two-letter prefix can match half a million rows. The most recent matches (FTS5
 * walks its doclists backwards by rowid for free) are ranked; past the window the
 * person is still typing, and the next letter narrows the set below it. */
#define RANK_WINDOW 1000

GPtrArray *
crm_replica_match (CrmReplica            *self,
                   CrmEntityKind          kind,
                   const CrmReplicaQuery *filters,
                   const char            *match,
                   const char            *words,
                   guint                  limit,
                   GError               **error)
{
  const CrmEntityInfo *entity = crm_entity_get (kind);
  const char *fts = crm_replica_fts_table (kind);
  g_autoptr(CrmReplicaQuery) plain = NULL;
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GArray) binds = crm_replica_binds_new ();
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_search_hit_free);
  g_autoptr(CrmSearchQuery) parsed = NULL;
  g_autoptr(GString) where = g_string_new (NULL);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (fts != NULL, NULL);

  if (filters == NULL)
    filters = plain = crm_replica_query_new (kind);

  /* Innermost: the FTS table drives, newest rowids first; rows are looked up by
   * rid only when there are filters to check (the index holds live rows only).
   * Then the window is ranked and cut to the page, and only those rows are read
   * whole. */
  g_string_append_printf (sql,
                          "SELECT %s, m.rank FROM (SELECT * FROM (SELECT %s.rowid AS rid, "
                          "crm_rank (%s, %s) AS rank FROM %s",
                          self->select_columns[kind], fts, fts, crm_replica_fts_weights (kind),
                          fts);
  if (!crm_replica_query_append_where (filters, where, binds, FALSE, error))
    return NULL;
  if (filters->filters->len > 0 || filters->include_deleted)
    g_string_append_printf (sql, " JOIN %s AS t ON t.rid = %s.rowid%s AND", entity->collection,
                            fts, where->str);
  else
    g_string_append (sql, " WHERE");
  g_string_append_printf (sql, " %s MATCH ? ORDER BY %s.rowid DESC LIMIT %d) "
                          "ORDER BY rank, rid DESC LIMIT ?) AS m "
                          "JOIN %s AS t ON t.rid = m.rid ORDER BY m.rank, m.rid DESC",
                          fts, fts, RANK_WINDOW, entity->collection);
  crm_replica_binds_add_text (binds, NULL, match);
  crm_replica_binds_add_int (binds, limit);

  stmt = crm_replica_prepare (self, sql->str, error);
  if (stmt == NULL || !crm_replica_binds_apply (binds, stmt, error))
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CrmSearchHit *hit = g_new0 (CrmSearchHit, 1);

      hit->record = crm_replica_row_read (entity, stmt, 0);
      hit->rank = sqlite3_column_double (stmt, (int) entity->n_fields);
      g_ptr_array_add (hits, hit);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_replica_set_sqlite_error (self, rc, error);
      return NULL;
    }

  /* Snippets from the record in hand: FTS5's snippet() costs a second MATCH per
   * row, more than the whole search. */
  parsed = crm_search_query_parse (words);
  for (guint i = 0; i < hits->len; i++)
    {
      CrmSearchHit *hit = hits->pdata[i];

      hit->snippet = crm_replica_snippet (hit->record, parsed);
    }

  return g_steal_pointer (&hits);
}

static GPtrArray *
list_search (CrmReplica            *self,
             const CrmReplicaQuery *query,
             GError               **error)
{
  g_autoptr(CrmSearchQuery) parsed = crm_search_query_parse (query->search);
  g_autofree char *match = crm_replica_match_expression (self, parsed, error);
  g_autoptr(GPtrArray) hits = NULL;
  GPtrArray *rows;

  if (match == NULL)
    return NULL;
  /* At a position, the ranked matches before it are skipped (within the
   * window of ranked matches, see RANK_WINDOW). */
  hits = crm_replica_match (self, query->kind, query, match, query->search,
                            (guint) MIN (query->offset + query->limit, RANK_WINDOW), error);
  if (hits == NULL)
    return NULL;

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_record_unref);
  for (guint i = (guint) MIN (query->offset, (gint64) hits->len); i < hits->len; i++)
    {
      CrmSearchHit *hit = g_ptr_array_index (hits, i);

      g_ptr_array_add (rows, g_steal_pointer (&hit->record));
    }

  return rows;
}

GPtrArray *
crm_replica_list (CrmReplica            *self,
                  const CrmReplicaQuery *query,
                  char                 **next_cursor,
                  GError               **error)
{
  CRM_REPLICA_LOCKED (self);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) cursors = NULL;
  Bind bound = { BIND_NULL, NULL, NULL, 0, 0 };
  gboolean in_nulls = FALSE;
  gboolean has_bound = FALSE;
  gboolean nulls_first;
  gint64 rid = 0;
  guint want;

  g_return_val_if_fail (CRM_IS_REPLICA (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  if (next_cursor != NULL)
    *next_cursor = NULL;
  if (!crm_replica_check_open (self, error))
    return NULL;

  if (query->offset > 0 && query->after != NULL)
    {
      g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_INVALID,
                   _("Une page de liste se demande soit à une position, soit après la page "
                     "précédente, pas les deux."));
      return NULL;
    }

  if (query->search != NULL && crm_replica_fts_table (query->kind) != NULL)
    {
      g_autoptr(CrmSearchQuery) parsed = crm_search_query_parse (query->search);

      if (parsed->n_tokens > 0)
        return list_search (self, query, error);
    }

  if (query->after != NULL)
    {
      if (!decode_cursor (query->after, &in_nulls, &bound, &rid, error))
        return NULL;
      has_bound = TRUE;
    }

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_record_unref);
  cursors = g_ptr_array_new_with_free_func (g_free);
  /* One row more than asked tells whether there is a next page. */
  want = query->limit + 1;
  nulls_first = !query->descending;

  if (query->offset > 0 && run_offset (self, query, want, rows, cursors, error) < 0)
    return NULL;

  /* Phase order: NULLs then values ascending, values then NULLs descending. A
   * cursor in the second phase skips the first. */
  for (int phase = 0; query->offset == 0 && phase < 2 && rows->len < want; phase++)
    {
      gboolean nulls = (phase == 0) == nulls_first;

      if (has_bound && phase == 0 && nulls != in_nulls)
        continue;

      if (run_phase (self, query, nulls, has_bound && nulls == in_nulls, &bound, rid,
                     want - rows->len, rows, cursors, error) < 0)
        {
          g_free (bound.text);
          return NULL;
        }
    }
  g_free (bound.text);

  if (rows->len > query->limit)
    {
      g_ptr_array_set_size (rows, query->limit);
      if (next_cursor != NULL)
        *next_cursor = g_strdup (g_ptr_array_index (cursors, query->limit - 1));
    }

  return g_steal_pointer (&rows);
}

gint64
crm_replica_count (CrmReplica            *self,
                   const CrmReplicaQuery *query,
                   GError               **error)
{
  CRM_REPLICA_LOCKED (self);
  const CrmEntityInfo *entity;
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GArray) binds = crm_replica_binds_new ();
  sqlite3_stmt *stmt;
  gint64 count = -1;
  int rc;

  g_return_val_if_fail (CRM_IS_REPLICA (self), -1);
  g_return_val_if_fail (query != NULL, -1);

  entity = crm_entity_get (query->kind);
  g_string_append_printf (sql, "SELECT count (*) FROM %s AS t", entity->collection);
  if (!crm_replica_query_append_where (query, sql, binds, TRUE, error))
    return -1;

  stmt = crm_replica_prepare (self, sql->str, error);
  if (stmt == NULL || !crm_replica_binds_apply (binds, stmt, error))
    return -1;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    crm_replica_set_sqlite_error (self, rc, error);
  sqlite3_reset (stmt);

  return count;
}

CrmRecord *
crm_replica_get (CrmReplica   *self,
                 CrmEntityKind kind,
                 const char   *id,
                 GError      **error)
{
  CRM_REPLICA_LOCKED (self);
  const CrmEntityInfo *entity;

  g_return_val_if_fail (CRM_IS_REPLICA (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  entity = crm_replica_entity (kind, error);
  if (entity == NULL || !crm_replica_check_open (self, error))
    return NULL;

  return crm_replica_row_get (self, entity, id, error);
}

void
crm_replica_member_free (CrmReplicaMember *member)
{
  if (member == NULL)
    return;
  g_clear_pointer (&member->link, crm_record_unref);
  g_clear_pointer (&member->other, crm_record_unref);
  g_free (member);
}

static GPtrArray *
members (CrmReplica *self,
         gboolean    of_organisation,
         const char *id,
         GError    **error)
{
  const CrmEntityInfo *link = crm_entity_get (CRM_ENTITY_LINK);
  const CrmEntityInfo *other = crm_entity_get (of_organisation ? CRM_ENTITY_PERSON
                                                               : CRM_ENTITY_ORGANISATION);
  g_autofree char *link_cols = crm_replica_row_columns (link, "l");
  g_autofree char *sql = NULL;
  g_autoptr(GPtrArray) result = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (of_organisation)
    sql = g_strdup_printf ("SELECT %s, %s FROM links AS l JOIN people AS t ON t.id = l.person_id "
                           "WHERE l.organisation_id = ? AND l.deleted = 0 AND t.deleted = 0 "
                           "ORDER BY l.is_primary DESC, t.last_name, t.first_name, t.rid",
                           link_cols, self->select_columns[CRM_ENTITY_PERSON]);
  else
    sql = g_strdup_printf ("SELECT %s, %s FROM links AS l "
                           "JOIN organisations AS t ON t.id = l.organisation_id "
                           "WHERE l.person_id = ? AND l.deleted = 0 AND t.deleted = 0 "
                           "ORDER BY l.is_primary DESC, t.name, t.rid",
                           link_cols, self->select_columns[CRM_ENTITY_ORGANISATION]);

  stmt = crm_replica_prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);

  result = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_replica_member_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CrmReplicaMember *member = g_new0 (CrmReplicaMember, 1);

      member->link = crm_replica_row_read (link, stmt, 0);
      member->other = crm_replica_row_read (other, stmt, (int) link->n_fields);
      g_ptr_array_add (result, member);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_replica_set_sqlite_error (self, rc, error);
      return NULL;
    }

  return g_steal_pointer (&result);
}

GPtrArray *
crm_replica_organisation_people (CrmReplica *self,
                                 const char *organisation_id,
                                 GError    **error)
{
  CRM_REPLICA_LOCKED (self);

  g_return_val_if_fail (CRM_IS_REPLICA (self), NULL);
  if (!crm_replica_check_open (self, error))
    return NULL;

  return members (self, TRUE, organisation_id, error);
}

GPtrArray *
crm_replica_person_organisations (CrmReplica *self,
                                  const char *person_id,
                                  GError    **error)
{
  CRM_REPLICA_LOCKED (self);

  g_return_val_if_fail (CRM_IS_REPLICA (self), NULL);
  if (!crm_replica_check_open (self, error))
    return NULL;

  return members (self, FALSE, person_id, error);
}

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

#define DEFAULT_LIMIT 50
#define MAX_LIMIT 1000

typedef struct
{
  const CrmFieldInfo *field;  /* NULL for the pseudo filters */
  const char         *pseudo; /* "organisation_id" on people, "person_id" on interactions */
  CrmReplicaCmp       cmp;
  char               *value;
} Filter;

struct _CrmReplicaQuery
{
  CrmEntityKind kind;
  GArray       *filters;
  char         *bad_field;   /* first unknown field: reported when the query runs */
  const CrmFieldInfo *sort;
  gboolean      descending;
  guint         limit;
  char         *after;
  char         *search;
  gboolean      include_deleted;
};

static void
filter_clear (gpointer data)
{
  g_free (((Filter *) data)->value);
}

static const char *
default_sort (CrmEntityKind kind,
              gboolean     *descending)
{
  *descending = FALSE;
  switch (kind)
    {
    case CRM_ENTITY_ORGANISATION: return "name";
    case CRM_ENTITY_PERSON: return "last_name";
    case CRM_ENTITY_MANDAT: return "number";
    case CRM_ENTITY_TASK: return "due_at";
    case CRM_ENTITY_INTERACTION:
      *descending = TRUE;
      return "occurred_at";
    case CRM_ENTITY_NOTIFICATION:
      *descending = TRUE;
      return "created_at";
    case CRM_ENTITY_LINK:
    case CRM_ENTITY_USER:
    case CRM_ENTITY_TEAM:
    case CRM_N_ENTITIES:
    default:
      return "created_at";
    }
}

CrmReplicaQuery *
crm_replica_query_new (CrmEntityKind kind)
{
  CrmReplicaQuery *query = g_new0 (CrmReplicaQuery, 1);
  gboolean descending;

  g_return_val_if_fail ((guint) kind < CRM_REPLICA_N_KINDS, NULL);

  query->kind = kind;
  query->filters = g_array_new (FALSE, TRUE, sizeof (Filter));
  g_array_set_clear_func (query->filters, filter_clear);
  query->sort = crm_entity_field (crm_entity_get (kind), default_sort (kind, &descending));
  query->descending = descending;
  query->limit = DEFAULT_LIMIT;

  return query;
}

void
crm_replica_query_free (CrmReplicaQuery *query)
{
  if (query == NULL)
    return;

  g_array_unref (query->filters);
  g_free (query->bad_field);
  g_free (query->after);
  g_free (query->search);
  g_free (query);
}

CrmEntityKind
crm_replica_query_get_kind (const CrmReplicaQuery *query)
{
  return query->kind;
}

static void
remember_bad_field (CrmReplicaQuery *query,
                    const char      *field)
{
  if (query->bad_field == NULL)
    query->bad_field = g_strdup (field != NULL ? field : "");
}

void
crm_replica_query_filter (CrmReplicaQuery *query,
                          const char      *field,
                          CrmReplicaCmp    cmp,
                          const char      *value)
{
  const CrmEntityInfo *entity = crm_entity_get (query->kind);
  Filter filter = { NULL, NULL, cmp, g_strdup (value) };

  g_return_if_fail (query != NULL);

  filter.field = crm_entity_field (entity, field);
  if (filter.field == NULL)
    {
      if (query->kind == CRM_ENTITY_PERSON && g_strcmp0 (field, "organisation_id") == 0)
        filter.pseudo = "organisation_id";
      else if (query->kind == CRM_ENTITY_INTERACTION && g_strcmp0 (field, "person_id") == 0)
        filter.pseudo = "person_id";
      else
        {
          remember_bad_field (query, field);
          g_free (filter.value);
          return;
        }
    }

  g_array_append_val (query->filters, filter);
}

void
crm_replica_query_sort (CrmReplicaQuery *query,
                        const char      *field,
                        gboolean         descending)
{
  const CrmFieldInfo *info;

  g_return_if_fail (query != NULL);

  info = crm_entity_field (crm_entity_get (query->kind), field);
  if (info == NULL || info->type == CRM_FIELD_TAGS || info->type == CRM_FIELD_UUID_LIST)
    {
      remember_bad_field (query, field);
      return;
    }
  query->sort = info;
  query->descending = descending;
}

void
crm_replica_query_set_limit (CrmReplicaQuery *query,
                             guint            limit)
{
  query->limit = CLAMP (limit, 1, MAX_LIMIT);
}

void
crm_replica_query_set_after (CrmReplicaQuery *query,
                             const char      *cursor)
{
  g_free (query->after);
  query->after = g_strdup (cursor);
}

void
crm_replica_query_set_search (CrmReplicaQuery *query,
                              const char      *text)
{
  g_free (query->search);
  query->search = g_strdup (text);
}

void
crm_replica_query_set_include_deleted (CrmReplicaQuery *query,
                                       gboolean         include_deleted)
{
  query->include_deleted = include_deleted;
}

/* Values to bind once the statement is prepared. */
typedef enum
{
  BIND_FIELD_TEXT, /* wire text converted for a field's column */
  BIND_TEXT,
  BIND_INT,
  BIND_DOUBLE,
  BIND_NULL,
} BindKind;

typedef struct
{
  BindKind            kind;
  const CrmFieldInfo *field;
  char               *text;
  gint64              number;
  double              real;
} Bind;

static void
bind_clear (gpointer data)
{
  g_free (((Bind *) data)->text);
}

static GArray *
binds_new (void)
{
  GArray *binds = g_array_new (FALSE, TRUE, sizeof (Bind));

  g_array_set_clear_func (binds, bind_clear);
  return binds;
}

static void
binds_add_text (GArray             *binds,
                const CrmFieldInfo *field,
                const char         *text)
{
  Bind bind = { field != NULL ? BIND_FIELD_TEXT : BIND_TEXT, field, g_strdup (text), 0, 0 };

  g_array_append_val (binds, bind);
}

static void
binds_add_int (GArray *binds,
               gint64  number)
{
  Bind bind = { BIND_INT, NULL, NULL, number, 0 };

  g_array_append_val (binds, bind);
}

static gboolean
binds_apply (GArray       *binds,
             sqlite3_stmt *stmt,
             GError      **error)
{
  for (guint i = 0; i < binds->len; i++)
    {
      Bind *bind = &g_array_index (binds, Bind, i);
      int index = (int) i + 1;

      switch (bind->kind)
        {
        case BIND_FIELD_TEXT:
          if (!crm_replica_bind_text_value (stmt, index, bind->field, bind->text, error))
            return FALSE;
          break;
        case BIND_TEXT:
          sqlite3_bind_text (stmt, index, bind->text, -1, SQLITE_TRANSIENT);
          break;
        case BIND_INT:
          sqlite3_bind_int64 (stmt, index, bind->number);
          break;
        case BIND_DOUBLE:
          sqlite3_bind_double (stmt, index, bind->real);
          break;
        case BIND_NULL:
        default:
          sqlite3_bind_null (stmt, index);
          break;
        }
    }

  return TRUE;
}

static const char *
cmp_sql (CrmReplicaCmp cmp)
{
  switch (cmp)
    {
    case CRM_REPLICA_EQ: return "=";
    case CRM_REPLICA_NE: return "<>";
    case CRM_REPLICA_LT: return "<";
    case CRM_REPLICA_LE: return "<=";
    case CRM_REPLICA_GT: return ">";
    case CRM_REPLICA_GE: return ">=";
    case CRM_REPLICA_IS_NULL: return "IS NULL";
    case CRM_REPLICA_NOT_NULL: return "IS NOT NULL";
    default: return "=";
    }
}

/* Appends " AND ..." for the filters and the search; FALSE on a bad query. */
static gboolean
append_where (const CrmReplicaQuery *query,
              GString               *sql,
              GArray                *binds,
              gboolean               with_search,
              GError               **error)
{
  const CrmEntityInfo *entity = crm_entity_get (query->kind);

  if (query->bad_field != NULL)
    {
      g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_INVALID,
                   _("On ne peut pas filtrer ou trier les %s sur « %s »."),
                   entity->label_plural, query->bad_field);
      return FALSE;
    }

  g_string_append (sql, query->include_deleted ? " WHERE 1" : " WHERE t.deleted = 0");

  for (guint i = 0; i < query->filters->len; i++)
    {
      const Filter *filter = &g_array_index (query->filters, Filter, i);
      gboolean unary = filter->cmp == CRM_REPLICA_IS_NULL || filter->cmp == CRM_REPLICA_NOT_NULL;

      if (filter->pseudo != NULL && query->kind == CRM_ENTITY_PERSON)
        {
          g_string_append (sql, " AND t.id IN (SELECT l.person_id FROM links AS l "
                                "WHERE l.organisation_id = ? AND l.deleted = 0)");
          binds_add_text (binds, NULL, filter->value);
        }
      else if (filter->pseudo != NULL)
        {
          g_string_append (sql, " AND t.rid IN (SELECT p.interaction_rid "
                                "FROM interaction_participants AS p WHERE p.person_id = ?)");
          binds_add_text (binds, NULL, filter->value);
        }
      else if (unary)
        g_string_append_printf (sql, " AND t.%s %s", filter->field->name, cmp_sql (filter->cmp));
      else
        {
          if (filter->value == NULL)
            {
              g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_INVALID,
                           _("Le filtre sur « %s » n’a pas de valeur."), filter->field->label);
              return FALSE;
            }
          g_string_append_printf (sql, " AND t.%s %s ?", filter->field->name,
                                  cmp_sql (filter->cmp));
          binds_add_text (binds, filter->field, filter->value);
        }
    }

  if (with_search && query->search != NULL)
    {
      g_autoptr(CrmSearchQuery) parsed = crm_search_query_parse (query->search);
      g_autofree char *match = crm_search_query_to_fts (parsed);
      const char *fts = crm_replica_fts_table (query->kind);

      if (match != NULL && fts == NULL)
        {
          g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_INVALID,
                       _("La recherche n’est pas disponible pour les %s."), entity->label_plural);
          return FALSE;
        }
      if (match != NULL)
        {
          g_string_append_printf (sql, " AND t.rid IN (SELECT rowid FROM %s WHERE %s MATCH ?)",
                                  fts, fts);
          binds_add_text (binds, NULL, match);
        }
    }

  return TRUE;
}

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
  g_autoptr(GArray) binds = binds_new ();
  sqlite3_stmt *stmt;
  int n = 0, rc;
  guint n_cols = entity->n_fields;

  g_string_append_printf (sql, "SELECT %s, t.rid, t.%s FROM %s AS t",
                          self->select_columns[query->kind], col, entity->collection);
  if (!append_where (query, sql, binds, TRUE, error))
    return -1;

  if (nulls)
    {
      g_string_append_printf (sql, " AND t.%s IS NULL", col);
      if (has_bound)
        {
          g_string_append_printf (sql, " AND t.rid %s ?", op);
          binds_add_int (binds, bound_rid);
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
          binds_add_int (binds, bound_rid);
        }
      g_string_append_printf (sql, " ORDER BY t.%s %s, t.rid %s LIMIT ?", col, dir, dir);
    }
  binds_add_int (binds, want);

  stmt = crm_replica_prepare (self, sql->str, error);
  if (stmt == NULL || !binds_apply (binds, stmt, error))
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

void
crm_search_hit_free (CrmSearchHit *hit)
{
  if (hit == NULL)
    return;
  g_clear_pointer (&hit->record, crm_record_unref);
  g_free (hit->snippet);
  g_free (hit);
}

GPtrArray *
crm_replica_match (CrmReplica            *self,
                   CrmEntityKind          kind,
                   const CrmReplicaQuery *filters,
                   const char            *match,
                   guint                  limit,
                   GError               **error)
{
  const CrmEntityInfo *entity = crm_entity_get (kind);
  const char *fts = crm_replica_fts_table (kind);
  g_autoptr(CrmReplicaQuery) plain = NULL;
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GArray) binds = binds_new ();
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_search_hit_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (fts != NULL, NULL);

  if (filters == NULL)
    filters = plain = crm_replica_query_new (kind);

  /* The FTS table drives the join: MATCH yields the few matching rowids, each
   * looked up by rid; the filters then apply to those rows only. */
  g_string_append_printf (sql, "SELECT %s, bm25 (%s, %s), snippet (%s, -1, '[', ']', '…', 10) "
                          "FROM %s JOIN %s AS t ON t.rid = %s.rowid",
                          self->select_columns[kind], fts, crm_replica_fts_weights (kind), fts,
                          fts, entity->collection, fts);
  if (!append_where (filters, sql, binds, FALSE, error))
    return NULL;
  g_string_append_printf (sql, " AND %s MATCH ? ORDER BY %u LIMIT ?", fts, entity->n_fields + 1);
  binds_add_text (binds, NULL, match);
  binds_add_int (binds, limit);

  stmt = crm_replica_prepare (self, sql->str, error);
  if (stmt == NULL || !binds_apply (binds, stmt, error))
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CrmSearchHit *hit = g_new0 (CrmSearchHit, 1);

      hit->record = crm_replica_row_read (entity, stmt, 0);
      hit->rank = sqlite3_column_double (stmt, (int) entity->n_fields);
      hit->snippet = g_strdup ((const char *) sqlite3_column_text (stmt, (int) entity->n_fields + 1));
      g_ptr_array_add (hits, hit);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_replica_set_sqlite_error (self, rc, error);
      return NULL;
    }

  return g_steal_pointer (&hits);
}

static GPtrArray *
list_search (CrmReplica            *self,
             const CrmReplicaQuery *query,
             GError               **error)
{
  g_autoptr(CrmSearchQuery) parsed = crm_search_query_parse (query->search);
  g_autofree char *match = crm_search_query_to_fts (parsed);
  g_autoptr(GPtrArray) hits = NULL;
  GPtrArray *rows;

  hits = crm_replica_match (self, query->kind, query, match, query->limit, error);
  if (hits == NULL)
    return NULL;

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_record_unref);
  for (guint i = 0; i < hits->len; i++)
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

  /* Phase order: NULLs then values ascending, values then NULLs descending. A
   * cursor in the second phase skips the first. */
  for (int phase = 0; phase < 2 && rows->len < want; phase++)
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
  g_autoptr(GArray) binds = binds_new ();
  sqlite3_stmt *stmt;
  gint64 count = -1;
  int rc;

  g_return_val_if_fail (CRM_IS_REPLICA (self), -1);
  g_return_val_if_fail (query != NULL, -1);

  entity = crm_entity_get (query->kind);
  g_string_append_printf (sql, "SELECT count (*) FROM %s AS t", entity->collection);
  if (!append_where (query, sql, binds, TRUE, error))
    return -1;

  stmt = crm_replica_prepare (self, sql->str, error);
  if (stmt == NULL || !binds_apply (binds, stmt, error))
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

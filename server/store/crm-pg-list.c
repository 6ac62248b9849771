/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "crm-json.h"
#include "crm-pg-private.h"
#include "crm-uuid.h"
#include "crm-validate.h"

/*
 * Keyset pagination. A page is "the next N rows after (sort value, id)" in the order
 *   ascending:  col ASC NULLS LAST,  id ASC
 *   descending: col DESC NULLS FIRST, id DESC
 * which is a plain forward or backward scan of the (col, id) indexes, so page
 * 10,000 costs what page 1 does. The cursor carries the last row's sort value and id
 * as base64url JSON: opaque to clients, checked when it comes back.
 */

typedef struct
{
  char     *sort;
  gboolean  descending;
  char     *value;  /* NULL when the last row's sort value was NULL */
  char     *id;
} Cursor;

static void
cursor_clear (Cursor *cursor)
{
  g_free (cursor->sort);
  g_free (cursor->value);
  g_free (cursor->id);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Cursor, cursor_clear)

static char *
cursor_encode (const CrmStoreQuery *query,
               const char          *value,
               const char          *id)
{
  g_autoptr(GString) json = g_string_new ("{\"s\":");
  char *encoded;

  /* {"s": sort, "d": descending, "v": value or null, "i": id}, written by hand: a
   * JsonBuilder and its generator cost more than the rest of the cursor. */
  crm_pg_json_append_string (json, query->sort->name, -1);
  g_string_append (json, query->descending ? ",\"d\":true,\"v\":" : ",\"d\":false,\"v\":");
  if (value != NULL)
    crm_pg_json_append_string (json, value, -1);
  else
    g_string_append (json, "null");
  g_string_append (json, ",\"i\":");
  crm_pg_json_append_string (json, id, -1);
  g_string_append_c (json, '}');

  /* base64url without padding: safe in a query string as is. */
  encoded = g_base64_encode ((const guchar *) json->str, json->len);
  g_strdelimit (encoded, "+", '-');
  g_strdelimit (encoded, "/", '_');
  for (char *end = encoded + strlen (encoded); end > encoded && end[-1] == '='; end--)
    end[-1] = '\0';
  return encoded;
}

static gboolean
bad_cursor (GError **error)
{
  g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                       _("Le curseur de pagination est invalide ; reprenez la liste depuis "
                         "la première page."));
  return FALSE;
}

static gboolean
cursor_decode (const CrmStoreQuery  *query,
               const char           *text,
               Cursor               *cursor,
               GError              **error)
{
  g_autoptr(GString) padded = NULL;
  g_autofree guchar *json = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonNode *value;
  gsize len = 0;

  if (strlen (text) > 4096 || strspn (text, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                            "0123456789-_") != strlen (text))
    return bad_cursor (error);

  padded = g_string_new (text);
  g_strdelimit (padded->str, "-", '+');
  g_strdelimit (padded->str, "_", '/');
  while (padded->len % 4 != 0)
    g_string_append_c (padded, '=');
  json = g_base64_decode (padded->str, &len);
  if (json == NULL || len == 0 || !g_utf8_validate ((const char *) json, (gssize) len, NULL))
    return bad_cursor (error);

  root = crm_json_parse_bounded ((const char *) json, (gssize) len, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return bad_cursor (error);
  object = json_node_get_object (root);
  value = json_object_get_member (object, "v");
  if (json_object_get_member (object, "s") == NULL ||
      json_node_get_value_type (json_object_get_member (object, "s")) != G_TYPE_STRING ||
      json_object_get_member (object, "d") == NULL ||
      json_node_get_value_type (json_object_get_member (object, "d")) != G_TYPE_BOOLEAN ||
      json_object_get_member (object, "i") == NULL ||
      json_node_get_value_type (json_object_get_member (object, "i")) != G_TYPE_STRING ||
      value == NULL ||
      (!JSON_NODE_HOLDS_NULL (value) && json_node_get_value_type (value) != G_TYPE_STRING))
    return bad_cursor (error);

  cursor->sort = g_strdup (json_object_get_string_member (object, "s"));
  cursor->descending = json_object_get_boolean_member (object, "d");
  cursor->id = g_strdup (json_object_get_string_member (object, "i"));
  cursor->value = JSON_NODE_HOLDS_NULL (value) ? NULL : g_strdup (json_node_get_string (value));

  if (!crm_uuid_is_valid (cursor->id))
    return bad_cursor (error);
  if (strcmp (cursor->sort, query->sort->name) != 0 || cursor->descending != query->descending)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("Ce curseur appartient à une liste triée autrement ; reprenez la "
                             "liste depuis la première page."));
      return FALSE;
    }
  /* The value goes back into SQL cast to the column type: check it like any input so a
   * forged cursor is a 400, not a database error. */
  if (cursor->value != NULL && !crm_validate_field_text (query->sort, cursor->value, NULL))
    return bad_cursor (error);
  return TRUE;
}

static const char *
cmp_sql (CrmStoreCmp cmp)
{
  switch (cmp)
    {
    case CRM_STORE_EQ:
      return "=";
    case CRM_STORE_NE:
      return "IS DISTINCT FROM";
    case CRM_STORE_LT:
      return "<";
    case CRM_STORE_LE:
      return "<=";
    case CRM_STORE_GT:
      return ">";
    case CRM_STORE_GE:
      return ">=";
    case CRM_STORE_IS_NULL:
      return "IS NULL";
    case CRM_STORE_NOT_NULL:
      return "IS NOT NULL";
    default:
      g_return_val_if_reached ("=");
    }
}

static void
append_filter (GString           *sql,
               GPtrArray         *params,
               const CrmPgFilter *filter)
{
  const CrmFieldInfo *field = filter->field;

  if (filter->pseudo != NULL && strcmp (filter->pseudo, "organisation_id") == 0)
    g_string_append_printf (sql, " AND EXISTS (SELECT 1 FROM links l WHERE l.person_id = t.id"
                                 " AND l.organisation_id = $%u::uuid AND NOT l.deleted)",
                            crm_pg_param (params, filter->value));
  else if (filter->pseudo != NULL)
    g_string_append_printf (sql, " AND $%u::uuid = ANY (t.participant_ids)",
                            crm_pg_param (params, filter->value));
  else if (filter->cmp == CRM_STORE_IS_NULL || filter->cmp == CRM_STORE_NOT_NULL)
    g_string_append_printf (sql, " AND t.%s %s", field->name, cmp_sql (filter->cmp));
  else if (field->type == CRM_FIELD_TAGS)
    g_string_append_printf (sql, " AND $%u::text = ANY (t.%s)",
                            crm_pg_param (params, filter->value), field->name);
  else if (field->type == CRM_FIELD_UUID_LIST)
    g_string_append_printf (sql, " AND $%u::uuid = ANY (t.%s)",
                            crm_pg_param (params, filter->value), field->name);
  else
    {
      g_string_append_printf (sql, " AND t.%s %s ", field->name, cmp_sql (filter->cmp));
      crm_pg_append_value (sql, field, crm_pg_param (params, filter->value));
    }
}

static void
append_keyset (GString             *sql,
               GPtrArray           *params,
               const CrmStoreQuery *query,
               const Cursor        *cursor)
{
  const char *col = query->sort->name;
  const char *op = query->descending ? "<" : ">";
  guint id = crm_pg_param (params, cursor->id);
  guint value;

  if (strcmp (col, "id") == 0)
    {
      g_string_append_printf (sql, " AND t.id %s $%u::uuid", op, id);
      return;
    }

  if (cursor->value == NULL)
    {
      /* Nulls come last going up, first going down. */
      if (query->descending)
        g_string_append_printf (sql, " AND ((t.%s IS NULL AND t.id < $%u::uuid) OR t.%s IS NOT NULL)",
                                col, id, col);
      else
        g_string_append_printf (sql, " AND t.%s IS NULL AND t.id > $%u::uuid", col, id);
      return;
    }

  value = crm_pg_param (params, cursor->value);
  g_string_append_printf (sql, " AND ((t.%s, t.id) %s (", col, op);
  crm_pg_append_value (sql, query->sort, value);
  g_string_append_printf (sql, ", $%u::uuid)", id);
  if (!query->descending)
    g_string_append_printf (sql, " OR t.%s IS NULL", col);
  g_string_append_c (sql, ')');
}

/* The select list of the JSON page for @entity, written once per entity (it was two
 * dozen printf calls per request); NULL for an entity not of the schema's tables. */
static const char *
json_columns (const CrmEntityInfo *entity)
{
  static gsize once = 0;
  static char *columns[CRM_N_ENTITIES];

  if (g_once_init_enter (&once))
    {
      for (guint kind = 0; kind < CRM_N_ENTITIES; kind++)
        {
          const CrmEntityInfo *info = crm_entity_get ((CrmEntityKind) kind);
          GString *text = g_string_new (NULL);

          if (info != NULL)
            crm_pg_json_append_columns (text, info, "t");
          columns[kind] = g_string_free (text, FALSE);
        }
      g_once_init_leave (&once, 1);
    }
  if ((guint) entity->kind < CRM_N_ENTITIES && crm_entity_get (entity->kind) == entity)
    return columns[entity->kind];
  return NULL;
}

/*
 * What a list statement selects:
 * RECORDS  every column as text (crm_pg_append_columns), then the sort column's text;
 * COLUMNS  every column as crm_pg_json_append_row () reads it, in binary, then the sort
 *          column's text;
 * WIRE     the row's JSON as PostgreSQL keeps it (the "wire" column of migration 0015),
 *          the id and the version in binary (cursor and ETag), the sort column's text.
 *          A NULL "wire" is a row whose JSON must be written from its columns.
 */
typedef enum
{
  LIST_RECORDS,
  LIST_COLUMNS,
  LIST_WIRE,
} ListColumns;

#define WIRE_COL         0
#define WIRE_ID_COL      1
#define WIRE_VERSION_COL 2
#define WIRE_SORT_COL    3

static gboolean
sorted_by_id (const CrmStoreQuery *query)
{
  return strcmp (query->sort->name, "id") == 0;
}

/* The page's rows (one more than the limit, when there is a next page), or NULL with
 * @error; *@limit_out gets the page size. */
static PGresult *
run_list_query (PGconn              *conn,
                const CrmActor      *actor,
                const CrmStoreQuery *query,
                ListColumns          columns,
                guint               *limit_out,
                GError             **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT ");
  g_autoptr(GPtrArray) params = crm_pg_params_new ();
  g_auto(Cursor) cursor = { 0 };
  PGresult *failed = NULL;
  g_autoptr(PGresult) failure = NULL;
  PGresult *result;
  const CrmEntityInfo *entity;
  guint limit;

  g_return_val_if_fail (conn != NULL && actor != NULL && query != NULL, NULL);

  entity = query->entity;
  limit = query->limit > 0 ? query->limit : CRM_STORE_DEFAULT_LIMIT;
  *limit_out = limit;

  if (query->problem != NULL)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID, query->problem);
      return NULL;
    }
  if (!crm_pg_actor_can (actor, entity, CRM_ACTION_READ))
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_FORBIDDEN,
                   _("Votre rôle ne permet pas de consulter « %s »."), entity->label_plural);
      return NULL;
    }
  if (query->after != NULL && !cursor_decode (query, query->after, &cursor, error))
    return NULL;

  if (columns == LIST_WIRE)
    g_string_append (sql, "t.wire, t.id, t.version");
  else if (columns == LIST_COLUMNS && json_columns (entity) != NULL)
    g_string_append (sql, json_columns (entity));
  else if (columns == LIST_COLUMNS)
    crm_pg_json_append_columns (sql, entity, "t");
  else
    crm_pg_append_columns (sql, entity, "t");
  /* The sort column's raw text too, for the next cursor (the id is there already). */
  if (columns != LIST_WIRE || !sorted_by_id (query))
    {
      g_string_append (sql, ", ");
      crm_pg_append_column (sql, query->sort, "t");
    }
  g_string_append_printf (sql, " FROM %s t WHERE %s", entity->collection,
                          query->include_deleted ? "TRUE" : "NOT t.deleted");
  crm_pg_append_visibility (sql, params, actor, entity, "t");
  if (actor->unchecked)
    {
      /* The check crm_store_load_actor () would have made, in the same statement: an
       * uncorrelated subquery, run once before the scan (and instead of it when false). */
      g_autofree char *epoch = g_strdup_printf ("%" G_GINT64_FORMAT, actor->epoch);
      guint user = crm_pg_param (params, actor->user_id);
      guint epoch_param = crm_pg_param (params, epoch);
      guint role = crm_pg_param (params, crm_role_to_string (actor->role));
      guint team = crm_pg_param (params, actor->team_id);

      g_string_append_printf (sql, " AND EXISTS (SELECT 1 FROM users u WHERE u.id = $%u::uuid"
                                   " AND u.epoch = $%u::bigint AND u.is_active"
                                   " AND u.role = $%u::text"
                                   " AND u.team_id IS NOT DISTINCT FROM $%u::uuid)",
                              user, epoch_param, role, team);
    }
  for (guint i = 0; i < query->filters->len; i++)
    append_filter (sql, params, &g_array_index (query->filters, CrmPgFilter, i));
  if (cursor.id != NULL)
    append_keyset (sql, params, query, &cursor);

  if (strcmp (query->sort->name, "id") == 0)
    g_string_append_printf (sql, " ORDER BY t.id %s", query->descending ? "DESC" : "ASC");
  else
    g_string_append_printf (sql, " ORDER BY t.%s %s, t.id %s", query->sort->name,
                            query->descending ? "DESC NULLS FIRST" : "ASC NULLS LAST",
                            query->descending ? "DESC" : "ASC");
  /* One more than asked: whether it exists says whether there is a next page. */
  g_string_append_printf (sql, " LIMIT %u", limit + 1);

  /* The JSON page reads its columns in binary (crm-pg-json.c); a text column's binary
   * form is its bytes. */
  result = crm_pg_exec_checked_format (conn, sql->str, params, columns != LIST_RECORDS ? 1 : 0,
                                       &failed, error);
  failure = failed;
  if (result == NULL)
    {
      /* A value core/ accepts but PostgreSQL cannot hold (a year 20000...). */
      if (failure != NULL && g_str_has_prefix (crm_pg_sqlstate (failure), "22"))
        {
          g_clear_error (error);
          g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                               _("Une valeur de filtre est hors des limites acceptées."));
        }
      return NULL;
    }
  return result;
}

/* Where the id and the sort column's text are in a result of @columns. */
static void
result_layout (const CrmEntityInfo *entity,
               ListColumns          columns,
               int                 *id_col,
               int                 *version_col,
               int                 *sort_col)
{
  *id_col = -1;
  *version_col = -1;
  if (columns == LIST_WIRE)
    {
      *id_col = WIRE_ID_COL;
      *version_col = WIRE_VERSION_COL;
      *sort_col = WIRE_SORT_COL;
      return;
    }
  for (guint i = 0; i < entity->n_fields; i++)
    if (strcmp (entity->fields[i].name, "id") == 0)
      *id_col = (int) i;
    else if (strcmp (entity->fields[i].name, "version") == 0)
      *version_col = (int) i;
  *sort_col = (int) entity->n_fields;
}

/* The cursor after the last row of the page, when a row follows it. */
static char *
next_page_cursor (const CrmStoreQuery *query,
                  const PGresult      *result,
                  ListColumns          columns,
                  guint                limit)
{
  const CrmEntityInfo *entity = query->entity;
  char buffer[CRM_PG_COLUMN_TEXT_MAX];
  char id[CRM_PG_JSON_TEXT_MAX];
  int last = (int) limit - 1;
  int id_col, version_col, sort_col;
  const char *id_text;

  if ((guint) PQntuples (result) <= limit)
    return NULL;
  result_layout (entity, columns, &id_col, &version_col, &sort_col);
  g_return_val_if_fail (id_col >= 0, NULL);

  /* The sort column's text is text in either format; the id is a uuid in binary. */
  id_text = columns != LIST_RECORDS
              ? crm_pg_json_column_text (crm_entity_field (entity, "id"), result, last, id_col,
                                         id)
              : crm_pg_value (result, last, id_col);
  if (columns == LIST_WIRE && sorted_by_id (query))
    return cursor_encode (query, id_text, id_text);
  return cursor_encode (query,
                        crm_pg_column_text (query->sort, crm_pg_value (result, last, sort_col),
                                            buffer, sizeof buffer),
                        id_text);
}

GPtrArray *
crm_store_list (PGconn              *conn,
                const CrmActor      *actor,
                const CrmStoreQuery *query,
                char               **next_cursor,
                GError             **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_record_unref);
  g_autoptr(PGresult) result = NULL;
  guint limit = 0;
  int n;

  if (next_cursor != NULL)
    *next_cursor = NULL;
  result = run_list_query (conn, actor, query, LIST_RECORDS, &limit, error);
  if (result == NULL)
    return NULL;

  n = PQntuples (result);
  for (int i = 0; i < n && (guint) i < limit; i++)
    {
      CrmRecord *row = crm_pg_record_from_row (query->entity, result, i, 0, error);

      if (row == NULL)
        return NULL;
      g_ptr_array_add (rows, row);
    }

  if (next_cursor != NULL)
    *next_cursor = next_page_cursor (query, result, LIST_RECORDS, limit);
  return g_steal_pointer (&rows);
}

/* What the JSON of @n rows of @result will take, so the page grows once. */
static gsize
page_size_hint (const CrmEntityInfo *entity,
                const PGresult      *result,
                int                  n)
{
  gsize names = 0;
  gsize size = 0;

  /* Per row: the keys, and what a binary value takes more once written (a uuid's 16
   * bytes are 38 characters, a timestamp's 8 are 29). */
  for (guint i = 0; i < entity->n_fields; i++)
    {
      CrmFieldType type = entity->fields[i].type;

      names += strlen (entity->fields[i].name) + 8;
      if (type == CRM_FIELD_UUID || type == CRM_FIELD_DATETIME)
        names += 24;
      else if (type == CRM_FIELD_INT || type == CRM_FIELD_DECIMAL)
        names += 16;
    }
  /* The first and the last row stand for the others: an estimate short of the mark
   * costs one regrowth of the page, reading every length cost more. */
  if (n > 0)
    {
      for (guint i = 0; i < entity->n_fields; i++)
        size += (gsize) PQgetlength (result, 0, (int) i)
                + (gsize) PQgetlength (result, n - 1, (int) i);
      size = size * (gsize) n / 2;
    }
  /* A little room for escapes and rows longer than those two. */
  return size + size / 8 + (names + 2) * (gsize) n + 64;
}

/* "id version\n" for each row of the page (read in binary): what identifies its content,
 * since every change of a row goes through crm_store_mutate (), which raises its version. */
static void
append_fingerprint (GString             *fingerprint,
                    const CrmEntityInfo *entity,
                    const PGresult      *result,
                    ListColumns          columns,
                    int                  n)
{
  const CrmFieldInfo *id_field = crm_entity_field (entity, "id");
  const CrmFieldInfo *version_field = crm_entity_field (entity, "version");
  int id_col, version_col, sort_col;

  result_layout (entity, columns, &id_col, &version_col, &sort_col);
  g_return_if_fail (id_col >= 0 && version_col >= 0);

  for (int row = 0; row < n; row++)
    {
      char id[CRM_PG_JSON_TEXT_MAX];
      char version[CRM_PG_JSON_TEXT_MAX];
      const char *id_text = crm_pg_json_column_text (id_field, result, row, id_col, id);
      const char *version_text = crm_pg_json_column_text (version_field, result, row,
                                                          version_col, version);

      g_string_append (fingerprint, id_text != NULL ? id_text : "-");
      g_string_append_c (fingerprint, ' ');
      g_string_append (fingerprint, version_text != NULL ? version_text : "-");
      g_string_append_c (fingerprint, '\n');
    }
}

/* The rows' JSON as PostgreSQL keeps it; FALSE when a row has none (its JSON needs the
 * columns, crm_pg_json_append_row ()), @items then as it was. */
static gboolean
append_wire_rows (GString        *items,
                  const PGresult *result,
                  int             n)
{
  gsize start = items->len;
  gsize size = 0;

  for (int i = 0; i < n; i++)
    {
      if (PQgetisnull (result, i, WIRE_COL))
        return FALSE;
      size += (gsize) PQgetlength (result, i, WIRE_COL) + 1;
    }
  g_string_set_size (items, start + size);
  g_string_truncate (items, start);
  for (int i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (items, ',');
      g_string_append_len (items, PQgetvalue (result, i, WIRE_COL),
                           PQgetlength (result, i, WIRE_COL));
    }
  return TRUE;
}

gboolean
crm_store_list_json (PGconn              *conn,
                     const CrmActor      *actor,
                     const CrmStoreQuery *query,
                     GString             *items,
                     GString             *fingerprint,
                     char               **next_cursor,
                     GError             **error)
{
  g_autoptr(PGresult) result = NULL;
  ListColumns columns = query->entity->synced ? LIST_WIRE : LIST_COLUMNS;
  guint limit = 0;
  gsize start = items->len;
  int n;

  g_return_val_if_fail (items != NULL, FALSE);

  if (next_cursor != NULL)
    *next_cursor = NULL;
  result = run_list_query (conn, actor, query, columns, &limit, error);
  if (result == NULL)
    return FALSE;
  n = MIN (PQntuples (result), (int) limit);

  /* A row whose JSON PostgreSQL could not spell (migration 0015 says which): the whole
   * page again from the columns. Rare: values the API itself never writes. */
  if (columns == LIST_WIRE && !append_wire_rows (items, result, n))
    {
      g_clear_pointer (&result, PQclear);
      columns = LIST_COLUMNS;
      result = run_list_query (conn, actor, query, columns, &limit, error);
      if (result == NULL)
        return FALSE;
      n = MIN (PQntuples (result), (int) limit);
    }
  if (columns == LIST_COLUMNS)
    {
      g_string_set_size (items, start + page_size_hint (query->entity, result, n));
      g_string_truncate (items, start);
      for (int i = 0; i < n; i++)
        {
          if (i > 0)
            g_string_append_c (items, ',');
          if (!crm_pg_json_append_row (items, query->entity, result, i, 0, error))
            {
              g_string_truncate (items, start);
              return FALSE;
            }
        }
    }

  if (fingerprint != NULL)
    append_fingerprint (fingerprint, query->entity, result, columns, n);
  if (next_cursor != NULL)
    *next_cursor = next_page_cursor (query, result, columns, limit);
  return TRUE;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "crm-json.h"
#include "crm-pg-private.h"

/*
 * A pull reads the change log after the cursor in one REPEATABLE READ snapshot.
 * Writers take their sequence number from one counter row they hold locked until
 * commit, so in any snapshot every number up to the counter's value is committed:
 * the new cursor (the counter, or the last change of a full page) never passes a
 * change that will commit later.
 *
 * Rows are sent as they are now, not as they were at each change; a row whose
 * current state the actor may not see is revoked instead. So nothing leaks from a
 * row that has since left the actor's view, and a replica that applies every page
 * ends up with exactly the rows the actor may see.
 */

/* How many pages of the log one pull reads at most (see pull_in_snapshot). */
#define PULL_WINDOW_PAGES 4

typedef struct
{
  const CrmEntityInfo *entity;
  char                *id;
  gint64               seq;  /* its last change in this page */
} Touched;

static void
touched_free (gpointer data)
{
  Touched *touched = data;

  g_free (touched->id);
  g_free (touched);
}

static void
change_free (gpointer data)
{
  CrmPullChange *change = data;

  g_free (change->id);
  g_clear_pointer (&change->data, crm_record_unref);
  g_free (change);
}

static void
revoke_free (gpointer data)
{
  CrmPullRevoke *revoke = data;

  g_free (revoke->id);
  g_free (revoke);
}

/* "Could see it" for one side (before or after) of a change log row. */
static void
append_side (GString        *sql,
             const CrmActor *actor,
             const char     *side,
             guint           me,
             guint           team)
{
  g_string_append_printf (sql, "(c.owner_%s = $%u::uuid OR c.assignee_%s = $%u::uuid", side, me,
                          side, me);
  if (team > 0)
    g_string_append_printf (sql, " OR c.team_%s = $%u::uuid", side, team);
  g_string_append_c (sql, ')');
}

static void
append_change_visibility (GString        *sql,
                          GPtrArray      *params,
                          const CrmActor *actor)
{
  guint me = crm_pg_param (params, actor->user_id);
  guint team = actor->scope == CRM_SCOPE_TEAM && actor->team_id != NULL
                 ? crm_pg_param (params, actor->team_id) : 0;

  /* Notifications are their recipient's whatever the scope (assignee = user_id). */
  g_string_append_printf (sql, " AND ((c.entity = 'notification' AND (c.assignee_before = $%u::uuid"
                               " OR c.assignee_after = $%u::uuid))", me, me);
  g_string_append (sql, " OR (c.entity <> 'notification'");
  if (actor->scope != CRM_SCOPE_ALL)
    {
      g_string_append (sql, " AND (");
      append_side (sql, actor, "before", me, team);
      g_string_append (sql, " OR ");
      append_side (sql, actor, "after", me, team);
      g_string_append_c (sql, ')');
    }
  g_string_append (sql, "))");
}

static char *
readable_entities (const CrmActor *actor)
{
  g_autoptr(GString) list = g_string_new ("{");

  for (guint k = 0; k < CRM_N_ENTITIES; k++)
    {
      const CrmEntityInfo *entity = crm_entity_get (k);

      if (!entity->synced || !crm_pg_actor_can (actor, entity, CRM_ACTION_READ))
        continue;
      if (list->len > 1)
        g_string_append_c (list, ',');
      g_string_append (list, entity->name);
    }
  g_string_append_c (list, '}');
  return g_string_free (g_steal_pointer (&list), FALSE);
}

/* The rows touched by the page, each once, ordered by their last change. */
static GPtrArray *
collect_touched (const PGresult *result,
                 int             n)
{
  g_autoptr(GHashTable) index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *touched = g_ptr_array_new_with_free_func (touched_free);

  for (int i = 0; i < n; i++)
    {
      const CrmEntityInfo *entity = crm_entity_lookup (crm_pg_value (result, i, 1));
      const char *id = crm_pg_value (result, i, 2);
      char *key;
      Touched *entry;

      if (entity == NULL)
        continue;
      key = g_strdup_printf ("%s/%s", entity->name, id);
      entry = g_hash_table_lookup (index, key);
      if (entry == NULL)
        {
          entry = g_new0 (Touched, 1);
          entry->entity = entity;
          entry->id = g_strdup (id);
          g_ptr_array_add (touched, entry);
          g_hash_table_insert (index, key, entry);
        }
      else
        g_free (key);
      entry->seq = crm_pg_int (result, i, 0);
    }
  return touched;
}

static int
compare_touched (gconstpointer a,
                 gconstpointer b)
{
  const Touched *ta = *(const Touched * const *) a;
  const Touched *tb = *(const Touched * const *) b;

  return (ta->seq > tb->seq) - (ta->seq < tb->seq);
}

/* Appends to @ids ("{" so far) the ids of @entity's rows among @touched, and the "}" that
 * closes the array literal: "{}" when there are none. */
static void
touched_ids (GPtrArray           *touched,
             const CrmEntityInfo *entity,
             GString             *ids)
{
  for (guint i = 0; i < touched->len; i++)
    {
      const Touched *entry = g_ptr_array_index (touched, i);

      if (entry->entity != entity)
        continue;
      if (ids->len > 1)
        g_string_append_c (ids, ',');
      g_string_append (ids, entry->id);
    }
  g_string_append_c (ids, '}');
}

/* The current rows of one entity among @touched, by id. */
static GHashTable *
load_rows (PGconn              *conn,
           const CrmEntityInfo *entity,
           GPtrArray           *touched,
           GError             **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT ");
  g_autoptr(GString) ids = g_string_new ("{");
  g_autoptr(GPtrArray) params = crm_pg_params_new ();
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GHashTable) rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                      (GDestroyNotify) crm_record_unref);

  touched_ids (touched, entity, ids);
  if (ids->len == 2)
    return g_steal_pointer (&rows);

  crm_pg_append_columns (sql, entity, "t");
  g_string_append_printf (sql, " FROM %s t WHERE t.id = ANY ($%u::uuid[])", entity->collection,
                          crm_pg_param (params, ids->str));
  result = crm_pg_exec (conn, sql->str, params, error);
  if (result == NULL)
    return NULL;

  for (int i = 0; i < PQntuples (result); i++)
    {
      CrmRecord *row = crm_pg_record_from_row (entity, result, i, 0, error);

      if (row == NULL)
        return NULL;
      g_hash_table_insert (rows, g_strdup (crm_record_get_string (row, "id")), row);
    }
  return g_steal_pointer (&rows);
}

static gboolean
fill_rows (PGconn          *conn,
           const CrmActor  *actor,
           GPtrArray       *touched,
           CrmPullPage     *page,
           GError         **error)
{
  GHashTable *by_entity[CRM_N_ENTITIES] = { NULL };
  gboolean ok = TRUE;

  for (guint k = 0; k < CRM_N_ENTITIES && ok; k++)
    if (crm_entity_get (k)->synced)
      {
        by_entity[k] = load_rows (conn, crm_entity_get (k), touched, error);
        ok = by_entity[k] != NULL;
      }

  for (guint i = 0; ok && i < touched->len; i++)
    {
      const Touched *entry = g_ptr_array_index (touched, i);
      CrmRecord *row = g_hash_table_lookup (by_entity[entry->entity->kind], entry->id);
      const char *assignee = crm_pg_assignee_column (entry->entity);

      if (row != NULL &&
          crm_pg_actor_sees (actor, entry->entity, crm_record_get_string (row, "owner_id"),
                             crm_record_get_string (row, "team_id"),
                             assignee != NULL ? crm_record_get_string (row, assignee) : NULL))
        {
          CrmPullChange *change = g_new0 (CrmPullChange, 1);

          change->entity = entry->entity->name;
          change->id = g_strdup (entry->id);
          change->version = crm_record_get_int (row, "version");
          change->deleted = crm_record_get_bool (row, "deleted");
          change->data = crm_record_ref (row);
          g_ptr_array_add (page->changes, change);
        }
      else
        {
          CrmPullRevoke *revoke = g_new0 (CrmPullRevoke, 1);

          revoke->entity = entry->entity->name;
          revoke->id = g_strdup (entry->id);
          g_ptr_array_add (page->revoked, revoke);
        }
    }

  for (guint k = 0; k < CRM_N_ENTITIES; k++)
    g_clear_pointer (&by_entity[k], g_hash_table_unref);
  return ok;
}

static gboolean
load_conflicts (PGconn          *conn,
                const CrmActor  *actor,
                gint64           after,
                CrmPullPage     *page,
                GError         **error)
{
  g_autoptr(GPtrArray) params = crm_pg_params_new ();
  g_autoptr(PGresult) result = NULL;

  crm_pg_param (params, actor->user_id);
  crm_pg_param_int (params, after);
  crm_pg_param_int (params, page->cursor);
  result = crm_pg_exec (conn,
                        "SELECT " CRM_PG_CONFLICT_COLUMNS " FROM conflicts c"
                        " WHERE c.by_user = $1::uuid AND c.seq > $2 AND c.seq <= $3"
                        " AND NOT c.resolved ORDER BY c.seq, c.id",
                        params, error);
  if (result == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (result); i++)
    g_ptr_array_add (page->conflicts, crm_pg_conflict_from_row (result, i));
  return TRUE;
}

/*
 * The window of the log after @cursor the actor may see: the rows it touched, each once,
 * ordered by their last change; the page's cursor, head, has_more and epoch go into
 * @page.
 */
static GPtrArray *
read_window (PGconn         *conn,
             const CrmActor *actor,
             gint64          cursor,
             guint           limit,
             CrmPullPage    *page,
             GError        **error)
{
  g_autoptr(GPtrArray) params = crm_pg_params_new ();
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(PGresult) head = NULL;
  g_autoptr(PGresult) changes = NULL;
  GPtrArray *touched;
  gint64 counter, window_end;
  gboolean full;
  int n;

  crm_pg_param (params, actor->user_id);
  head = crm_pg_exec (conn,
                      "SELECT (SELECT seq FROM sync_counter WHERE id = 1),"
                      " (SELECT epoch FROM users WHERE id = $1::uuid)",
                      params, error);
  if (head == NULL)
    return NULL;
  if (crm_pg_value (head, 0, 1) == NULL)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                           _("Ce compte n’existe plus ; reconnectez-vous."));
      return NULL;
    }
  page->epoch = crm_pg_int (head, 0, 1);

  /* A window of the log after the cursor, a few pages long: each page reads a bounded
   * range of the primary key whatever the visibility filter keeps, so a download is
   * linear in the log (an unbounded "after the cursor" made each page scan and sort
   * everything after it: quadratic over an initial sync). */
  counter = crm_pg_int (head, 0, 0);
  window_end = cursor > G_MAXINT64 - (gint64) limit * PULL_WINDOW_PAGES
                 ? G_MAXINT64 : cursor + (gint64) limit * PULL_WINDOW_PAGES;
  window_end = MIN (window_end, MAX (cursor, counter));

  g_ptr_array_set_size (params, 0);
  g_string_append_printf (sql, "SELECT c.seq, c.entity, c.entity_id::text FROM change_log c"
                               " WHERE c.seq > $%u AND c.seq <= $%u"
                               " AND c.entity = ANY ($%u::text[])",
                          crm_pg_param_int (params, cursor),
                          crm_pg_param_int (params, window_end),
                          crm_pg_param_take (params, readable_entities (actor)));
  append_change_visibility (sql, params, actor);
  g_string_append_printf (sql, " ORDER BY c.seq LIMIT %u", limit + 1);
  changes = crm_pg_exec (conn, sql->str, params, error);
  if (changes == NULL)
    return NULL;

  n = PQntuples (changes);
  full = (guint) n > limit;
  if (full)
    n = (int) limit;
  /* A full page stops at its last change; otherwise everything up to the window's end
   * has been seen, including changes the actor may not see, and the counter bounds
   * the window: nothing below it commits later. */
  page->cursor = full ? crm_pg_int (changes, n - 1, 0) : MAX (cursor, window_end);
  page->has_more = full || page->cursor < counter;
  /* How far a download from this cursor goes: what an initial sync's progress needs. */
  page->head = MAX (page->cursor, crm_pg_int (head, 0, 0));

  touched = collect_touched (changes, n);
  g_ptr_array_sort (touched, compare_touched);
  return touched;
}

static gboolean
pull_in_snapshot (PGconn         *conn,
                  const CrmActor *actor,
                  gint64          cursor,
                  guint           limit,
                  CrmPullPage    *page,
                  GError        **error)
{
  g_autoptr(GPtrArray) touched = read_window (conn, actor, cursor, limit, page, error);

  return touched != NULL &&
         fill_rows (conn, actor, touched, page, error) &&
         load_conflicts (conn, actor, cursor, page, error);
}

static gboolean
check_pull (const CrmActor *actor,
            gint64          cursor,
            GError        **error)
{
  if (cursor < 0)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("Le curseur de synchronisation doit être un nombre positif."));
      return FALSE;
    }
  if (actor->user_id == NULL)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_FORBIDDEN,
                           _("La synchronisation demande un utilisateur."));
      return FALSE;
    }
  return TRUE;
}

static CrmPullPage *
pull_page_new (void)
{
  CrmPullPage *page = g_new0 (CrmPullPage, 1);

  page->changes = g_ptr_array_new_with_free_func (change_free);
  page->revoked = g_ptr_array_new_with_free_func (revoke_free);
  page->conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_store_conflict_free);
  return page;
}

CrmPullPage *
crm_store_pull (PGconn         *conn,
                const CrmActor *actor,
                gint64          cursor,
                guint           limit,
                GError        **error)
{
  g_autoptr(CrmPullPage) page = NULL;
  g_auto(CrmPgTx) tx = { 0 };

  g_return_val_if_fail (conn != NULL && actor != NULL, NULL);

  if (!check_pull (actor, cursor, error))
    return NULL;
  limit = limit == 0 ? CRM_STORE_PULL_DEFAULT_LIMIT : MIN (limit, CRM_STORE_PULL_MAX_LIMIT);
  page = pull_page_new ();

  if (!crm_pg_tx_begin (&tx, conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", error) ||
      !pull_in_snapshot (conn, actor, cursor, limit, page, error) ||
      !crm_pg_tx_commit (&tx, error))
    return NULL;

  return g_steal_pointer (&page);
}

/* ---- the page as JSON, straight from binary results -------------------------------- */

/*
 * A first sync is hundreds of pages of a thousand rows: decoding each row into a
 * CrmRecord, building a json-glib tree of the page and writing it out again cost the
 * server 24 µs per row. The rows are copied here from the JSON PostgreSQL keeps for
 * them (migration 0015), or written from their binary columns by crm-pg-json.c when it
 * keeps none, the bytes crm_record_append_json () writes either way, and the rest of
 * the page as crm_json_to_data (crm_pull_page_to_json ()) spells it: a client cannot
 * tell which path wrote a page (tests/sync/test-sync-pull-json.c compares them).
 */

typedef struct
{
  PGresult   *result;
  GHashTable *rows;      /* id text -> row + 1 */
  gboolean    wire;      /* column 0 is the row's JSON as PostgreSQL keeps it */
  /* The fields of the columns below, and where they are in @result. */
  const CrmFieldInfo *id_field, *version_field, *owner_field, *team_field, *assignee_field;
  int         id_col;
  int         version_col;
  int         deleted_col;
  int         owner_col;
  int         team_col;
  int         assignee_col;  /* -1: the entity has none */
} BinaryRows;

static const CrmFieldInfo *
field_named (const CrmEntityInfo *entity,
             const char          *name,
             int                 *index)
{
  *index = name != NULL ? crm_entity_field_index (entity, name) : -1;
  return *index >= 0 ? &entity->fields[*index] : NULL;
}

/*
 * The rows' JSON as PostgreSQL keeps it (the "wire" column of migration 0015, the bytes
 * crm-pg-json.c writes for the same row) and the few columns the page needs beside it:
 * one value per row to send instead of 25. NULL (no error) when a row has no "wire"
 * (a value PostgreSQL cannot spell as core does): its rows are written from columns.
 */
static PGresult *
load_wire_rows (PGconn              *conn,
                const CrmEntityInfo *entity,
                const char          *ids,
                BinaryRows          *rows,
                GError             **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT t.wire, t.id, t.version, t.deleted,"
                                         " t.owner_id, t.team_id");
  g_autoptr(GPtrArray) params = crm_pg_params_new ();
  g_autoptr(PGresult) failed = NULL;
  g_autoptr(PGresult) result = NULL;

  if (rows->assignee_field != NULL)
    g_string_append_printf (sql, ", t.%s", rows->assignee_field->name);
  g_string_append_printf (sql, " FROM %s t WHERE t.id = ANY ($%u::uuid[])", entity->collection,
                          crm_pg_param (params, ids));
  result = crm_pg_exec_checked_format (conn, sql->str, params, 1, &failed, error);
  if (result == NULL)
    return NULL;
  for (int i = 0; i < PQntuples (result); i++)
    if (PQgetisnull (result, i, 0))
      return NULL;
  rows->wire = TRUE;
  rows->id_col = 1;
  rows->version_col = 2;
  rows->deleted_col = 3;
  rows->owner_col = rows->owner_field != NULL ? 4 : -1;
  rows->team_col = rows->team_field != NULL ? 5 : -1;
  rows->assignee_col = rows->assignee_field != NULL ? 6 : -1;
  return g_steal_pointer (&result);
}

static void
binary_rows_clear (BinaryRows *rows)
{
  g_clear_pointer (&rows->result, PQclear);
  g_clear_pointer (&rows->rows, g_hash_table_unref);
}

static gboolean
load_binary_rows (PGconn              *conn,
                  const CrmEntityInfo *entity,
                  GPtrArray           *touched,
                  BinaryRows          *rows,
                  GError             **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT ");
  g_autoptr(GString) ids = g_string_new ("{");
  g_autoptr(GPtrArray) params = crm_pg_params_new ();
  const char *assignee = crm_pg_assignee_column (entity);
  g_autoptr(PGresult) failed = NULL;
  char buffer[CRM_PG_JSON_TEXT_MAX];

  rows->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  /* Laid out as crm_pg_json_append_columns () selects them: a column per field. */
  rows->id_field = field_named (entity, "id", &rows->id_col);
  rows->version_field = field_named (entity, "version", &rows->version_col);
  field_named (entity, "deleted", &rows->deleted_col);
  rows->owner_field = field_named (entity, "owner_id", &rows->owner_col);
  rows->team_field = field_named (entity, "team_id", &rows->team_col);
  rows->assignee_field = field_named (entity, assignee, &rows->assignee_col);

  touched_ids (touched, entity, ids);
  if (ids->len == 2)
    return TRUE;

  rows->result = load_wire_rows (conn, entity, ids->str, rows, error);
  if (rows->result == NULL)
    {
      if (error != NULL && *error != NULL)
        return FALSE;
      crm_pg_json_append_columns (sql, entity, "t");
      g_string_append_printf (sql, " FROM %s t WHERE t.id = ANY ($%u::uuid[])",
                              entity->collection, crm_pg_param (params, ids->str));
      rows->result = crm_pg_exec_checked_format (conn, sql->str, params, 1, &failed, error);
      if (rows->result == NULL)
        return FALSE;
    }
  for (int i = 0; i < PQntuples (rows->result); i++)
    {
      const char *id = crm_pg_json_column_text (rows->id_field, rows->result, i, rows->id_col,
                                                buffer);

      if (id == NULL)
        {
          g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_DATABASE,
                       "%s.id : valeur illisible", entity->collection);
          return FALSE;
        }
      g_hash_table_insert (rows->rows, g_strdup (id), GINT_TO_POINTER (i + 1));
    }
  return TRUE;
}

/* A uuid column of a binary row as text, in @buffer (NULL for SQL NULL or no column). */
static const char *
uuid_at (const CrmFieldInfo *field,
         const BinaryRows   *rows,
         int                 row,
         int                 col,
         char                buffer[CRM_PG_JSON_TEXT_MAX])
{
  if (col < 0 || field == NULL)
    return NULL;
  return crm_pg_json_column_text (field, rows->result, row, col, buffer);
}

static void
append_int (GString *out,
            gint64   value)
{
  g_string_append_printf (out, "%" G_GINT64_FORMAT, value);
}

/* "changes" and "revoked" of the page, as crm_pull_page_to_json () has them. */
static gboolean
write_rows (const CrmActor *actor,
            GPtrArray      *touched,
            BinaryRows     *by_entity,
            GString        *out,
            GError        **error)
{
  g_autoptr(GString) revoked = g_string_new ("],\"revoked\":[");
  gboolean first_change = TRUE, first_revoke = TRUE;

  g_string_append (out, "{\"changes\":[");
  for (guint i = 0; i < touched->len; i++)
    {
      const Touched *entry = g_ptr_array_index (touched, i);
      const CrmEntityInfo *entity = entry->entity;
      BinaryRows *rows = &by_entity[entity->kind];
      gpointer found = rows->rows != NULL ? g_hash_table_lookup (rows->rows, entry->id) : NULL;
      int row = GPOINTER_TO_INT (found) - 1;
      char owner[CRM_PG_JSON_TEXT_MAX], team[CRM_PG_JSON_TEXT_MAX];
      char assignee[CRM_PG_JSON_TEXT_MAX], version[CRM_PG_JSON_TEXT_MAX];
      const char *version_text, *deleted;

      if (found == NULL
          || !crm_pg_actor_sees (actor, entity,
                                 uuid_at (rows->owner_field, rows, row, rows->owner_col, owner),
                                 uuid_at (rows->team_field, rows, row, rows->team_col, team),
                                 uuid_at (rows->assignee_field, rows, row, rows->assignee_col,
                                          assignee)))
        {
          if (!first_revoke)
            g_string_append_c (revoked, ',');
          first_revoke = FALSE;
          g_string_append (revoked, "{\"entity\":");
          crm_pg_json_append_string (revoked, entity->name, -1);
          g_string_append (revoked, ",\"id\":");
          crm_pg_json_append_string (revoked, entry->id, -1);
          g_string_append_c (revoked, '}');
          continue;
        }

      version_text = crm_pg_json_column_text (rows->version_field, rows->result, row,
                                              rows->version_col, version);
      deleted = PQgetisnull (rows->result, row, rows->deleted_col)
                  ? NULL : PQgetvalue (rows->result, row, rows->deleted_col);
      if (!first_change)
        g_string_append_c (out, ',');
      first_change = FALSE;
      g_string_append (out, "{\"entity\":");
      crm_pg_json_append_string (out, entity->name, -1);
      g_string_append (out, ",\"id\":");
      crm_pg_json_append_string (out, entry->id, -1);
      /* As crm_record_get_int () and _get_bool () read a NULL: 0 and false. */
      g_string_append (out, ",\"version\":");
      g_string_append (out, version_text != NULL ? version_text : "0");
      g_string_append (out, deleted != NULL && deleted[0] == 1 ? ",\"deleted\":true,\"data\":"
                                                               : ",\"deleted\":false,\"data\":");
      if (rows->wire)
        g_string_append_len (out, PQgetvalue (rows->result, row, 0),
                             PQgetlength (rows->result, row, 0));
      else if (!crm_pg_json_append_row (out, entity, rows->result, row, 0, error))
        return FALSE;
      g_string_append_c (out, '}');
    }
  g_string_append_len (out, revoked->str, (gssize) revoked->len);
  return TRUE;
}

static gboolean
write_page (PGconn         *conn,
            const CrmActor *actor,
            gint64          cursor,
            guint           limit,
            GString        *out,
            CrmPullPage    *page,
            GError        **error)
{
  g_autoptr(GPtrArray) touched = read_window (conn, actor, cursor, limit, page, error);
  BinaryRows by_entity[CRM_N_ENTITIES];
  gboolean ok = touched != NULL;

  memset (by_entity, 0, sizeof by_entity);
  /* Room for the page's rows without a reallocation on the way (a row is under 1 KiB);
   * a poke's page of one row stays small. */
  if (ok)
    {
      g_string_set_size (out, touched->len * 1024 + 256);
      g_string_truncate (out, 0);
    }
  for (guint k = 0; k < CRM_N_ENTITIES && ok; k++)
    if (crm_entity_get (k)->synced)
      ok = load_binary_rows (conn, crm_entity_get (k), touched, &by_entity[k], error);
  ok = ok && write_rows (actor, touched, by_entity, out, error)
       && load_conflicts (conn, actor, cursor, page, error);
  for (guint k = 0; k < CRM_N_ENTITIES; k++)
    binary_rows_clear (&by_entity[k]);
  if (!ok)
    return FALSE;

  g_string_append (out, "],\"conflicts\":[");
  for (guint i = 0; i < page->conflicts->len; i++)
    {
      g_autoptr(JsonNode) node = crm_store_conflict_to_json (g_ptr_array_index (page->conflicts, i));
      gsize length = 0;
      g_autofree char *text = crm_json_to_data (node, &length);

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_len (out, text, (gssize) length);
    }
  g_string_append (out, "],\"cursor\":");
  append_int (out, page->cursor);
  g_string_append (out, ",\"head\":");
  append_int (out, page->head);
  g_string_append (out, page->has_more ? ",\"has_more\":true,\"epoch\":"
                                       : ",\"has_more\":false,\"epoch\":");
  append_int (out, page->epoch);
  g_string_append_c (out, '}');
  return TRUE;
}

GBytes *
crm_store_pull_json (PGconn         *conn,
                     const CrmActor *actor,
                     gint64          cursor,
                     guint           limit,
                     gint64         *next_cursor,
                     gboolean       *has_more,
                     GError        **error)
{
  g_autoptr(CrmPullPage) page = NULL;
  g_autoptr(GString) out = NULL;
  g_auto(CrmPgTx) tx = { 0 };

  g_return_val_if_fail (conn != NULL && actor != NULL, NULL);

  if (!check_pull (actor, cursor, error))
    return NULL;
  limit = limit == 0 ? CRM_STORE_PULL_DEFAULT_LIMIT : MIN (limit, CRM_STORE_PULL_MAX_LIMIT);
  page = pull_page_new ();
  out = g_string_new (NULL);

  if (!crm_pg_tx_begin (&tx, conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", error) ||
      !write_page (conn, actor, cursor, limit, out, page, error) ||
      !crm_pg_tx_commit (&tx, error))
    return NULL;

  if (next_cursor != NULL)
    *next_cursor = page->cursor;
  if (has_more != NULL)
    *has_more = page->has_more;
  return g_string_free_to_bytes (g_steal_pointer (&out));
}

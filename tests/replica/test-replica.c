/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-replica"

#include "config.h"

#include <json-glib/json-glib.h>
#include <locale.h>
#include <sqlite3.h>

#include "crm-error.h"
#include "replica-test-util.h"

static CrmRecord *
create_or_die (CrmReplica *replica,
               CrmRecord  *record)
{
  g_autoptr(GError) error = NULL;
  CrmRecord *row = crm_replica_create (replica, record, &error);

  g_assert_no_error (error);
  g_assert_nonnull (row);
  crm_record_unref (record);
  return row;
}

static CrmRecord *
org (CrmReplica *replica,
     const char *name,
     const char *type,
     const char *stage,
     const char *city)
{
  CrmRecord *r = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);

  crm_record_set_string (r, "name", name);
  if (type != NULL)
    crm_record_set_string (r, "type", type);
  if (stage != NULL)
    crm_record_set_string (r, "pipeline_stage", stage);
  crm_record_set_string (r, "city", city);
  return create_or_die (replica, r);
}

static CrmRecord *
person (CrmReplica *replica,
        const char *first,
        const char *last)
{
  CrmRecord *r = crm_record_new_for_kind (CRM_ENTITY_PERSON);

  crm_record_set_string (r, "first_name", first);
  crm_record_set_string (r, "last_name", last);
  return create_or_die (replica, r);
}

static const char *
id_of (const CrmRecord *r)
{
  return crm_record_get_string (r, "id");
}

static gint64
outbox_count (CrmReplica *replica)
{
  g_autoptr(GError) error = NULL;
  gint64 n = crm_replica_outbox_count (replica, &error);

  g_assert_no_error (error);
  return n;
}

static GPtrArray *
outbox (CrmReplica *replica)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *ops = crm_replica_outbox_peek (replica, 0, &error);

  g_assert_no_error (error);
  return ops;
}

static JsonObject *
op_fields (const CrmOutboxOp *op)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, op->fields, -1, NULL));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* The last migration of migrations/replica. */
#define LATEST_SCHEMA 5

/* ---- schema ---------------------------------------------------------------- */

static void
test_migrations_recorded (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (crm_replica_get_schema_version (f->replica), ==, LATEST_SCHEMA);
  g_assert_true (crm_replica_close (f->replica, &error));
  g_clear_object (&f->replica);

  /* A newer app recorded schema 999: this one must refuse, in French. */
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO schema_migrations (version, name) "
                                     "VALUES (999, '0999_future.sql')", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  sqlite3_close (db);

  f->replica = crm_replica_open (f->path, CRM_REPLICA_OPEN_NONE, &error);
  g_assert_null (f->replica);
  g_assert_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_NEWER_SCHEMA);
  g_assert_nonnull (strstr (error->message, "plus récente"));
}

/* A replica made before migration 0002 is brought up to date at open. */
static void
test_older_replica_upgraded (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_true (crm_replica_close (f->replica, &error));
  g_clear_object (&f->replica);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  /* Migration 0003 (issue 5's sync state) undone as well: a replica from before 0002
   * never had it. */
  g_assert_cmpint (sqlite3_exec (db, "DROP INDEX organisations_stage_aum;"
                                     "DROP INDEX conflicts_server_id;"
                                     "ALTER TABLE conflicts DROP COLUMN server_id;"
                                     "ALTER TABLE conflicts DROP COLUMN reported;"
                                     "DROP TABLE resync_seen;"
                                     "ALTER TABLE sync_state DROP COLUMN resync;"
                                     "DELETE FROM schema_migrations WHERE version >= 2",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  f->replica = crm_replica_open (f->path, CRM_REPLICA_OPEN_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_replica_get_schema_version (f->replica), ==, LATEST_SCHEMA);

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count (*) FROM sqlite_schema "
                                           "WHERE name = 'organisations_stage_aum'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static gint64
db_scalar (sqlite3    *db,
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
finds (CrmReplica *replica,
       const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) groups = crm_replica_search (replica, text, NULL, 10, &error);

  g_assert_no_error (error);
  return groups->len > 0;
}

/* Migrations 0004 and 0005 make the five full-text indexes again, without
 * per-row sizes, then with one prefix index: a replica of schema 3 keeps every
 * live row searchable, folded as the triggers fold it (œ), tombstones still out. */
static void
test_fts_rebuilt_without_sizes (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRecord) heart = org (f->replica, "Cœur de Lyon Gestion", NULL, NULL, "Lyon");
  g_autoptr(CrmRecord) gone = org (f->replica, "Maison Disparue", NULL, NULL, "Tours");
  g_autoptr(CrmRecord) someone = person (f->replica, "Anaïs", "Bœuf");
  sqlite3 *db = NULL;

  g_assert_true (crm_replica_delete (f->replica, CRM_ENTITY_ORGANISATION, id_of (gone), &error));
  g_assert_no_error (error);
  g_assert_true (crm_replica_close (f->replica, &error));
  g_clear_object (&f->replica);

  /* Back to schema 3: the indexes of 0001, with their size records, filled
   * with every row and no folding (what 0004 must not keep). */
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TABLE organisations_fts;"
                                     "CREATE VIRTUAL TABLE organisations_fts USING fts5 ("
                                     "  name, email, city, notes, tags,"
                                     "  content = 'organisations', content_rowid = 'rid',"
                                     "  tokenize = 'unicode61 remove_diacritics 2',"
                                     "  prefix = '2 3');"
                                     "INSERT INTO organisations_fts (organisations_fts) "
                                     "  VALUES ('rebuild');"
                                     "DELETE FROM schema_migrations WHERE version >= 4",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (db_scalar (db, "SELECT count (*) FROM sqlite_schema "
                                  "WHERE name = 'organisations_fts_docsize'"), ==, 1);
  sqlite3_close (db);

  f->replica = crm_replica_open (f->path, CRM_REPLICA_OPEN_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_replica_get_schema_version (f->replica), ==, LATEST_SCHEMA);

  g_assert_true (finds (f->replica, "coeur lyon"));
  g_assert_true (finds (f->replica, "boeuf"));
  g_assert_true (finds (f->replica, "anais"));
  g_assert_false (finds (f->replica, "disparue"));
  /* Then 0005: one prefix index, of three characters; two letters still find. */
  g_assert_true (finds (f->replica, "coeur ly"));
  g_assert_true (finds (f->replica, "an"));
  g_assert_false (finds (f->replica, "di"));

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (db_scalar (db, "SELECT count (*) FROM sqlite_schema "
                                  "WHERE name LIKE '%_fts_docsize'"), ==, 0);
  g_assert_cmpint (db_scalar (db, "SELECT count (*) FROM sqlite_schema WHERE name LIKE '%_fts' "
                                  "AND sql LIKE '%prefix = ''3''%'"), ==, 5);
  /* FTS5's own check of the index's structure. */
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO organisations_fts (organisations_fts, rank) "
                                     "VALUES ('integrity-check', 0)", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  sqlite3_close (db);

  /* Local writes keep the new index current, deletes included. */
  g_assert_true (crm_replica_delete (f->replica, CRM_ENTITY_ORGANISATION, id_of (heart), &error));
  g_assert_no_error (error);
  g_assert_false (finds (f->replica, "coeur"));
}

static void
test_columns_match_core (Fixture *f, gconstpointer data)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  for (guint k = 0; k <= CRM_ENTITY_NOTIFICATION; k++)
    {
      const CrmEntityInfo *entity = crm_entity_get (k);

      for (guint i = 0; i < entity->n_fields; i++)
        {
          g_autofree char *sql = g_strdup_printf ("SELECT %s FROM %s LIMIT 0",
                                                  entity->fields[i].name, entity->collection);
          g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
        }
    }
  sqlite3_close (db);
}

/* ---- CRUD and outbox for every entity ------------------------------------------ */

static CrmRecord *
minimal_record (CrmReplica   *replica,
                CrmEntityKind kind)
{
  g_autoptr(CrmRecord) o = NULL;
  g_autoptr(CrmRecord) p = NULL;
  CrmRecord *r = crm_record_new_for_kind (kind);

  switch (kind)
    {
    case CRM_ENTITY_ORGANISATION:
      crm_record_set_string (r, "name", "Banque Lyonnaise");
      break;
    case CRM_ENTITY_PERSON:
      crm_record_set_string (r, "last_name", "Lefèvre");
      break;
    case CRM_ENTITY_LINK:
      o = org (replica, "Caisse d’Épargne", NULL, NULL, "Lyon");
      p = person (replica, "Zoé", "Martin");
      crm_record_set_string (r, "organisation_id", id_of (o));
      crm_record_set_string (r, "person_id", id_of (p));
      crm_record_set_string (r, "role", "Trésorière");
      break;
    case CRM_ENTITY_MANDAT:
      o = org (replica, "Fonds du Rhône", "fournisseur", NULL, "Lyon");
      crm_record_set_string (r, "organisation_id", id_of (o));
      crm_record_set_string (r, "number", "M-2025-001");
      break;
    case CRM_ENTITY_INTERACTION:
      crm_record_set_string (r, "type", "call");
      crm_record_set_string (r, "occurred_at", "2026-03-01T09:30:00Z");
      crm_record_set_string (r, "subject", "Appel découverte");
      break;
    case CRM_ENTITY_TASK:
      crm_record_set_string (r, "title", "Envoyer la plaquette");
      break;
    case CRM_ENTITY_NOTIFICATION:
      crm_record_set_string (r, "user_id", TEST_USER);
      crm_record_set_string (r, "type", "mention");
      crm_record_set_string (r, "title", "Vous avez été mentionné");
      break;
    case CRM_ENTITY_USER:
    case CRM_ENTITY_TEAM:
    case CRM_N_ENTITIES:
    default:
      g_assert_not_reached ();
    }
  return r;
}

/* A text field of each entity the test edits. */
static const char *const edited_field[] = {
  "notes", "job_title", "role", "notes", "outcome", "description", "message",
};

static void
test_crud (Fixture *f, gconstpointer data)
{
  CrmEntityKind kind = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRecord) created = NULL;
  g_autoptr(CrmRecord) changes = crm_record_new_for_kind (kind);
  g_autoptr(CrmRecord) updated = NULL;
  g_autoptr(CrmRecord) fetched = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(JsonObject) create_fields = NULL;
  g_autoptr(JsonObject) update_fields = NULL;
  gint64 before;
  const CrmOutboxOp *op;

  created = create_or_die (f->replica, minimal_record (f->replica, kind));
  before = outbox_count (f->replica) - 1;
  g_assert_cmpint (crm_record_get_int (created, "version"), ==, 0);
  g_assert_false (crm_record_get_bool (created, "deleted"));
  g_assert_cmpstr (crm_record_get_string (created, "created_by"), ==, TEST_USER);
  g_assert_cmpstr (crm_record_get_string (created, "owner_id"), ==, TEST_USER);

  crm_record_set_string (changes, edited_field[kind], "Texte modifié");
  updated = crm_replica_update (f->replica, kind, id_of (created), changes, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_record_get_string (updated, edited_field[kind]), ==, "Texte modifié");

  fetched = crm_replica_get (f->replica, kind, id_of (created), &error);
  g_assert_no_error (error);
  g_assert_true (crm_record_equal (fetched, updated));

  g_assert_true (crm_replica_delete (f->replica, kind, id_of (created), &error));
  g_assert_no_error (error);
  g_clear_pointer (&fetched, crm_record_unref);
  fetched = crm_replica_get (f->replica, kind, id_of (created), &error);
  g_assert_true (crm_record_get_bool (fetched, "deleted"));

  g_assert_null (crm_replica_update (f->replica, kind, id_of (created), changes, &error));
  g_assert_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_DELETED);
  g_clear_error (&error);

  g_assert_true (crm_replica_restore (f->replica, kind, id_of (created), &error));
  g_assert_no_error (error);

  /* create (with the later update folded in: never sent), delete, restore. */
  ops = outbox (f->replica);
  g_assert_cmpint (ops->len, ==, before + 3);
  op = g_ptr_array_index (ops, before);
  g_assert_cmpstr (op->kind, ==, "create");
  g_assert_cmpstr (op->entity, ==, crm_entity_get (kind)->name);
  g_assert_cmpstr (op->row_id, ==, id_of (created));
  g_assert_cmpint (op->base_version, ==, 0);
  create_fields = op_fields (op);
  g_assert_cmpstr (json_object_get_string_member (create_fields, edited_field[kind]), ==,
                   "Texte modifié");
  g_assert_false (json_object_has_member (create_fields, "id"));
  g_assert_false (json_object_has_member (create_fields, "version"));
  g_assert_cmpstr (((CrmOutboxOp *) g_ptr_array_index (ops, before + 1))->kind, ==, "delete");
  g_assert_cmpstr (((CrmOutboxOp *) g_ptr_array_index (ops, before + 2))->kind, ==, "restore");
  (void) update_fields;
}

static void
test_validation_rejected (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRecord) r = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);
  g_autoptr(CrmRecord) row = NULL;

  crm_record_set_string (r, "city", "Lyon");
  row = crm_replica_create (f->replica, r, &error);
  g_assert_null (row);
  g_assert_error (error, CRM_VALIDATION_ERROR, CRM_VALIDATION_ERROR_REQUIRED);
  g_assert_cmpint (outbox_count (f->replica), ==, 0);
}

static void
test_reference_checked (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRecord) link = crm_record_new_for_kind (CRM_ENTITY_LINK);
  g_autoptr(CrmRecord) p = person (f->replica, "Jean", "Dupont");
  g_autoptr(CrmRecord) row = NULL;

  crm_record_set_string (link, "person_id", id_of (p));
  crm_record_set_string (link, "organisation_id", "01900000-0000-7000-8000-00000000dead");
  row = crm_replica_create (f->replica, link, &error);
  g_assert_null (row);
  g_assert_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_REFERENCE);
  g_assert_cmpint (outbox_count (f->replica), ==, 1);
}

static void
test_mandat_number_unique (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRecord) first = create_or_die (f->replica,
                                              minimal_record (f->replica, CRM_ENTITY_MANDAT));
  g_autoptr(CrmRecord) second = crm_record_new_for_kind (CRM_ENTITY_MANDAT);
  g_autoptr(CrmRecord) row = NULL;

  crm_record_set_string (second, "organisation_id",
                         crm_record_get_string (first, "organisation_id"));
  crm_record_set_string (second, "number", "M-2025-001");
  row = crm_replica_create (f->replica, second, &error);
  g_assert_null (row);
  g_assert_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_DUPLICATE);
  g_assert_nonnull (strstr (error->message, "M-2025-001 existe déjà"));
}

static void
test_coalesce_keeps_oldest_base (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRecord) o = org (f->replica, "Crédit Alpin", NULL, NULL, "Grenoble");
  g_autoptr(CrmRecord) a = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);
  g_autoptr(CrmRecord) b = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);
  g_autoptr(CrmRecord) c = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);
  g_autoptr(CrmRecord) r1 = NULL, r2 = NULL, r3 = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(JsonObject) fields = NULL;
  CrmOutboxOp *op;

  /* The create reached the server at version 41. */
  ops = outbox (f->replica);
  g_assert_true (crm_replica_outbox_mark_sent (f->replica,
                                               ((CrmOutboxOp *) ops->pdata[0])->op_id, &error));
  g_assert_true (crm_replica_outbox_applied (f->replica,
                                             ((CrmOutboxOp *) ops->pdata[0])->op_id, 41, &error));
  g_assert_no_error (error);
  g_clear_pointer (&ops, g_ptr_array_unref);

  crm_record_set_string (a, "city", "Lyon");
  r1 = crm_replica_update (f->replica, CRM_ENTITY_ORGANISATION, id_of (o), a, &error);
  crm_record_set_string (b, "pipeline_stage", "negotiation");
  r2 = crm_replica_update (f->replica, CRM_ENTITY_ORGANISATION, id_of (o), b, &error);
  g_assert_no_error (error);

  ops = outbox (f->replica);
  g_assert_cmpint (ops->len, ==, 1);
  op = g_ptr_array_index (ops, 0);
  g_assert_cmpstr (op->kind, ==, "update");
  g_assert_cmpint (op->base_version, ==, 41);
  fields = op_fields (op);
  g_assert_cmpuint (json_object_get_size (fields), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (fields, "city"), ==, "Lyon");
  g_assert_cmpstr (json_object_get_string_member (fields, "pipeline_stage"), ==, "negotiation");

  /* Once sent, an op is never changed again: the next edit is a new op. */
  g_assert_true (crm_replica_outbox_mark_sent (f->replica, op->op_id, &error));
  crm_record_set_string (c, "city", "Annecy");
  r3 = crm_replica_update (f->replica, CRM_ENTITY_ORGANISATION, id_of (o), c, &error);
  g_assert_no_error (error);
  g_assert_cmpint (outbox_count (f->replica), ==, 2);
}

static void
test_update_without_change (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRecord) o = org (f->replica, "Mutuelle d’Aquitaine", NULL, NULL, "Bordeaux");
  g_autoptr(CrmRecord) same = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);
  g_autoptr(CrmRecord) row = NULL;
  g_autoptr(GPtrArray) history = NULL;

  crm_record_set_string (same, "city", "Bordeaux");
  row = crm_replica_update (f->replica, CRM_ENTITY_ORGANISATION, id_of (o), same, &error);
  g_assert_no_error (error);
  g_assert_cmpint (outbox_count (f->replica), ==, 1);
  history = crm_replica_history (f->replica, CRM_ENTITY_ORGANISATION, id_of (o), &error);
  for (guint i = 0; i < history->len; i++)
    g_assert_cmpstr (((CrmHistoryEntry *) history->pdata[i])->op_kind, ==, "create");
}

static void
test_reject_moves_to_inbox (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRecord) o = org (f->replica, "Groupe Vendôme", NULL, NULL, "Paris");
  g_autoptr(GPtrArray) ops = outbox (f->replica);

  g_assert_true (crm_replica_outbox_reject (f->replica, ((CrmOutboxOp *) ops->pdata[0])->op_id,
                                            "{\"title\":\"Interdit\"}", &error));
  g_assert_no_error (error);
  g_assert_cmpint (outbox_count (f->replica), ==, 0);
  g_assert_cmpint (crm_replica_rejection_count (f->replica, &error), ==, 1);
  g_assert_false (crm_replica_outbox_applied (f->replica, ((CrmOutboxOp *) ops->pdata[0])->op_id,
                                              3, &error));
  g_assert_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The inbox shows the op and the server's words until the user dismisses it. */
  {
    g_autoptr(GPtrArray) inbox = crm_replica_list_rejections (f->replica, &error);
    CrmReplicaRejection *r;

    g_assert_no_error (error);
    g_assert_cmpuint (inbox->len, ==, 1);
    r = inbox->pdata[0];
    g_assert_cmpstr (r->op.kind, ==, "create");
    g_assert_cmpstr (r->op.row_id, ==, id_of (o));
    g_assert_cmpstr (r->problem, ==, "{\"title\":\"Interdit\"}");
    g_assert_true (crm_replica_dismiss_rejection (f->replica, r->op.op_id, &error));
    g_assert_cmpint (crm_replica_rejection_count (f->replica, &error), ==, 0);
    g_assert_false (crm_replica_dismiss_rejection (f->replica, r->op.op_id, &error));
    g_assert_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_NOT_FOUND);
  }
}

static void
test_history_kept (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRecord) o = org (f->replica, "Holding Haussmann", NULL, "prospect", "Paris");
  g_autoptr(CrmRecord) change = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);
  g_autoptr(CrmRecord) row = NULL;
  g_autoptr(GPtrArray) history = NULL;
  gboolean saw_stage = FALSE, saw_delete = FALSE;

  crm_record_set_string (change, "pipeline_stage", "won");
  row = crm_replica_update (f->replica, CRM_ENTITY_ORGANISATION, id_of (o), change, &error);
  g_assert_true (crm_replica_delete (f->replica, CRM_ENTITY_ORGANISATION, id_of (o), &error));
  history = crm_replica_history (f->replica, CRM_ENTITY_ORGANISATION, id_of (o), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < history->len; i++)
    {
      CrmHistoryEntry *e = history->pdata[i];

      g_assert_cmpstr (e->changed_by, ==, TEST_USER);
      g_assert_nonnull (e->changed_at);
      g_assert_false (e->remote);
      if (g_strcmp0 (e->field, "pipeline_stage") == 0 && g_strcmp0 (e->op_kind, "update") == 0)
        {
          g_assert_cmpstr (e->old_value, ==, "prospect");
          g_assert_cmpstr (e->new_value, ==, "won");
          saw_stage = TRUE;
        }
      if (g_strcmp0 (e->op_kind, "delete") == 0)
        {
          g_assert_cmpstr (e->field, ==, "deleted");
          g_assert_cmpstr (e->new_value, ==, "true");
          saw_delete = TRUE;
        }
    }
  g_assert_true (saw_stage && saw_delete);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

#define ADD(name, fn) g_test_add (name, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/replica/schema/migrations-recorded-newer-refused", test_migrations_recorded);
  ADD ("/replica/schema/columns-match-core", test_columns_match_core);
  ADD ("/replica/schema/older-replica-upgraded", test_older_replica_upgraded);
  ADD ("/replica/schema/fts-rebuilt-without-sizes", test_fts_rebuilt_without_sizes);
  for (guint k = 0; k <= CRM_ENTITY_NOTIFICATION; k++)
    {
      g_autofree char *name = g_strdup_printf ("/replica/crud/%s", crm_entity_get (k)->name);

      g_test_add (name, Fixture, GINT_TO_POINTER (k), fixture_setup, test_crud, fixture_teardown);
    }
  ADD ("/replica/crud/validation-rejected-nothing-queued", test_validation_rejected);
  ADD ("/replica/crud/reference-checked", test_reference_checked);
  ADD ("/replica/crud/mandat-number-unique", test_mandat_number_unique);
  ADD ("/replica/outbox/coalesce-keeps-oldest-base", test_coalesce_keeps_oldest_base);
  ADD ("/replica/outbox/update-without-change-queues-nothing", test_update_without_change);
  ADD ("/replica/outbox/reject-moves-to-inbox", test_reject_moves_to_inbox);
  ADD ("/replica/history/every-change-kept", test_history_kept);

  return g_test_run ();
}

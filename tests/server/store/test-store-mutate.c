/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-store-mutate"

#include "config.h"

#include <string.h>

#include "crm-uuid.h"
#include "store-test.h"

#define ADD(path, func) \
  g_test_add (path, StoreFixture, NULL, store_fixture_setup, func, store_fixture_teardown)

static CrmRecord *
org (const char *name)
{
  return store_test_fields (CRM_ENTITY_ORGANISATION, "name", name, NULL);
}

static gint64
count_rows (StoreFixture *f,
            const char   *sql,
            const char   *param)
{
  return store_test_count (f->conn, sql, param);
}

static gint64
version_of (StoreFixture  *f,
            CrmEntityKind  kind,
            const char    *id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT version FROM %s WHERE id = $1::uuid",
                                          crm_entity_get (kind)->collection);

  return count_rows (f, sql, id);
}

static void
assert_rejected (CrmMutationResult *result,
                 guint              status)
{
  g_assert_cmpint (result->status, ==, CRM_MUTATION_REJECTED);
  g_assert_nonnull (result->problem);
  g_assert_cmpuint (result->problem->status, ==, status);
  g_assert_null (result->row);
}

/* ---- CRUD ---------------------------------------------------------------------- */

static void
crud_one (StoreFixture *f,
          CrmRecord    *create,
          const char   *field,
          const char   *new_value)
{
  CrmEntityKind kind = crm_record_get_entity (create)->kind;
  g_autofree char *id = store_test_create (f->conn, f->user, create);
  g_autoptr(CrmRecord) row = NULL;
  g_autoptr(CrmMutationResult) updated = NULL;
  g_autoptr(CrmMutationResult) deleted = NULL;
  g_autoptr(CrmMutationResult) restored = NULL;
  g_autoptr(GError) error = NULL;
  gint64 version;

  row = crm_store_get (f->conn, f->user, kind, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_record_get_string (row, "owner_id"), ==, f->user->user_id);
  g_assert_cmpstr (crm_record_get_string (row, "team_id"), ==, f->team_a);
  g_assert_cmpstr (crm_record_get_string (row, "created_by"), ==, f->user->user_id);
  g_assert_false (crm_record_get_bool (row, "deleted"));
  version = crm_record_get_int (row, "version");
  g_assert_cmpint (version, >, 0);

  updated = store_test_mutate (f->conn, f->user, CRM_MUTATION_UPDATE, kind, id, version,
                               store_test_fields (kind, field, new_value, NULL));
  g_assert_cmpint (updated->status, ==, CRM_MUTATION_APPLIED);
  g_assert_cmpint (updated->version, >, version);
  g_assert_nonnull (updated->row);
  {
    g_autofree char *text = crm_record_dup_text (updated->row, field);

    g_assert_cmpstr (text, ==, new_value);
  }

  deleted = store_test_mutate (f->conn, f->user, CRM_MUTATION_DELETE, kind, id, updated->version,
                               NULL);
  g_assert_cmpint (deleted->status, ==, CRM_MUTATION_APPLIED);
  g_assert_true (crm_record_get_bool (deleted->row, "deleted"));

  restored = store_test_mutate (f->conn, f->user, CRM_MUTATION_RESTORE, kind, id,
                                deleted->version, NULL);
  g_assert_cmpint (restored->status, ==, CRM_MUTATION_APPLIED);
  g_assert_false (crm_record_get_bool (restored->row, "deleted"));
  g_assert_cmpint (restored->version, >, deleted->version);

  /* Four changes, four log entries, each with the row's version. */
  g_assert_cmpint (count_rows (f, "SELECT count (*) FROM change_log WHERE entity_id = $1::uuid",
                               id), ==, 4);
  g_assert_cmpint (count_rows (f, "SELECT count (*) FROM audit WHERE entity_id = $1", id), ==, 4);
}

static void
test_crud_every_entity (StoreFixture  *f,
                        gconstpointer  data)
{
  g_autofree char *org_id = store_test_create (f->conn, f->user, org ("Alforis Gestion"));
  g_autofree char *person_id =
    store_test_create (f->conn, f->user,
                       store_test_fields (CRM_ENTITY_PERSON, "first_name", "Élodie",
                                          "last_name", "Marchand", NULL));
  g_autofree char *mandat_id = NULL;
  g_autoptr(CrmMutationResult) notif = NULL;
  g_autoptr(CrmMutationResult) read = NULL;

  crud_one (f, org ("Société Générale"), "city", "Lyon");
  crud_one (f, store_test_fields (CRM_ENTITY_PERSON, "last_name", "Dupont", NULL), "job_title",
            "Directrice");
  crud_one (f, store_test_fields (CRM_ENTITY_LINK, "person_id", person_id, "organisation_id",
                                  org_id, NULL), "role", "Associée");
  crud_one (f, store_test_fields (CRM_ENTITY_MANDAT, "organisation_id", org_id, "number",
                                  "M-2025-001", NULL), "status", "signed");
  crud_one (f, store_test_fields (CRM_ENTITY_INTERACTION, "type", "call", "occurred_at",
                                  "2026-03-01T09:30:00Z", "subject", "Point annuel",
                                  "participant_ids", "[]", NULL), "outcome", "Rappeler en mai");
  crud_one (f, store_test_fields (CRM_ENTITY_TASK, "title", "Envoyer la plaquette", "due_at",
                                  "2026-03-02T17:00:00Z", NULL), "priority", "high");
  mandat_id = store_test_value (f->conn, "SELECT id::text FROM mandats", NULL);
  g_assert_nonnull (mandat_id);

  /* Notifications: the server (an admin) writes them, their recipient reads them. */
  notif = store_test_mutate (f->conn, f->admin, CRM_MUTATION_CREATE, CRM_ENTITY_NOTIFICATION,
                             NULL, 0,
                             store_test_fields (CRM_ENTITY_NOTIFICATION, "user_id",
                                                f->user->user_id, "type", "mandat_signed",
                                                "title", "Mandat signé", NULL));
  g_assert_cmpint (notif->status, ==, CRM_MUTATION_APPLIED);
  read = store_test_mutate (f->conn, f->user, CRM_MUTATION_UPDATE, CRM_ENTITY_NOTIFICATION,
                            notif->id, notif->version,
                            store_test_fields (CRM_ENTITY_NOTIFICATION, "is_read", "true", NULL));
  g_assert_cmpint (read->status, ==, CRM_MUTATION_APPLIED);
  g_assert_true (crm_record_get_bool (read->row, "is_read"));
}

/* ---- Idempotency --------------------------------------------------------------- */

static void
test_replay_returns_stored_result (StoreFixture  *f,
                                   gconstpointer  data)
{
  g_autoptr(CrmActor) app = store_test_add_user (f->conn, CRM_ROLE_USER, f->team_a, "client-A");
  g_autoptr(CrmRecord) fields = org ("Crédit Agricole");
  g_autofree char *id = crm_uuid7_new ();
  CrmMutation op = { "op-1", CRM_ENTITY_ORGANISATION, id, CRM_MUTATION_CREATE, 0, fields };
  g_autoptr(CrmMutationResult) first = NULL;
  g_autoptr(CrmMutationResult) again = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (crm_store_mutate (f->conn, app, &op, &first, &error));
  g_assert_true (crm_store_mutate (f->conn, app, &op, &again, &error));
  g_assert_no_error (error);

  g_assert_false (first->replayed);
  g_assert_true (again->replayed);
  g_assert_cmpint (again->status, ==, first->status);
  g_assert_cmpint (again->version, ==, first->version);
  g_assert_cmpstr (again->id, ==, id);
  g_assert_cmpint (count_rows (f, "SELECT count (*) FROM organisations", NULL), ==, 1);
  g_assert_cmpint (count_rows (f, "SELECT count (*) FROM change_log", NULL), ==, 1);
  g_assert_cmpint (count_rows (f, "SELECT count (*) FROM events", NULL), ==, 1);
  g_assert_cmpint (count_rows (f, "SELECT count (*) FROM applied_ops", NULL), ==, 1);
}

static void
test_rejection_replayed_too (StoreFixture  *f,
                             gconstpointer  data)
{
  g_autoptr(CrmActor) app = store_test_add_user (f->conn, CRM_ROLE_VIEWER, f->team_a, "client-V");
  g_autoptr(CrmRecord) fields = org ("Amundi");
  CrmMutation op = { "op-v", CRM_ENTITY_ORGANISATION, NULL, CRM_MUTATION_CREATE, 0, fields };
  g_autoptr(CrmMutationResult) first = NULL;
  g_autoptr(CrmMutationResult) again = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (crm_store_mutate (f->conn, app, &op, &first, &error));
  assert_rejected (first, 403);
  g_assert_true (crm_store_mutate (f->conn, app, &op, &again, &error));
  g_assert_true (again->replayed);
  assert_rejected (again, 403);
  g_assert_cmpstr (again->problem->type, ==, first->problem->type);
  g_assert_cmpint (count_rows (f, "SELECT count (*) FROM organisations", NULL), ==, 0);
}

/* ---- Merge --------------------------------------------------------------------- */

static void
test_different_fields_merge (StoreFixture  *f,
                             gconstpointer  data)
{
  g_autoptr(CrmActor) a = crm_actor_new (f->user->user_id, CRM_ROLE_USER, f->team_a, NULL, "A");
  g_autoptr(CrmActor) b = crm_actor_new (f->user->user_id, CRM_ROLE_USER, f->team_a, NULL, "B");
  g_autofree char *id = store_test_create (f->conn, f->user, org ("BNP Paribas"));
  gint64 base = count_rows (f, "SELECT version FROM organisations WHERE id = $1::uuid", id);
  g_autoptr(CrmMutationResult) ra = NULL;
  g_autoptr(CrmMutationResult) rb = NULL;

  ra = store_test_mutate (f->conn, a, CRM_MUTATION_UPDATE, CRM_ENTITY_ORGANISATION, id, base,
                          store_test_fields (CRM_ENTITY_ORGANISATION, "city", "Lyon", NULL));
  rb = store_test_mutate (f->conn, b, CRM_MUTATION_UPDATE, CRM_ENTITY_ORGANISATION, id, base,
                          store_test_fields (CRM_ENTITY_ORGANISATION, "phone", "+33 4 72 00 00 00",
                                             NULL));
  g_assert_cmpint (ra->status, ==, CRM_MUTATION_APPLIED);
  g_assert_cmpint (rb->status, ==, CRM_MUTATION_MERGED);
  g_assert_cmpstr (crm_record_get_string (rb->row, "city"), ==, "Lyon");
  g_assert_cmpstr (crm_record_get_string (rb->row, "phone"), ==, "+33 4 72 00 00 00");
  g_assert_cmpint (count_rows (f, "SELECT count (*) FROM conflicts", NULL), ==, 0);
}

static void
test_same_field_conflict (StoreFixture  *f,
                          gconstpointer  data)
{
  g_autoptr(CrmActor) a = crm_actor_new (f->user->user_id, CRM_ROLE_USER, f->team_a, NULL, "A");
  g_autoptr(CrmActor) b = crm_actor_new (f->user->user_id, CRM_ROLE_USER, f->team_a, NULL, "B");
  g_autofree char *id = store_test_create (f->conn, f->user, org ("Natixis"));
  gint64 base = count_rows (f, "SELECT version FROM organisations WHERE id = $1::uuid", id);
  g_autoptr(CrmMutationResult) ra = NULL;
  g_autoptr(CrmMutationResult) rb = NULL;
  g_autoptr(CrmMutationResult) again = NULL;
  g_autofree char *city = NULL;
  g_autofree char *mine = NULL;
  const CrmStoreConflict *conflict;

  ra = store_test_mutate (f->conn, a, CRM_MUTATION_UPDATE, CRM_ENTITY_ORGANISATION, id, base,
                          store_test_fields (CRM_ENTITY_ORGANISATION, "city", "Lyon", NULL));
  rb = store_test_mutate (f->conn, b, CRM_MUTATION_UPDATE, CRM_ENTITY_ORGANISATION, id, base,
                          store_test_fields (CRM_ENTITY_ORGANISATION, "city", "Paris",
                                             "notes", "Vu au salon", NULL));
  g_assert_cmpint (rb->status, ==, CRM_MUTATION_CONFLICT);
  g_assert_cmpuint (rb->conflicts->len, ==, 1);
  conflict = g_ptr_array_index (rb->conflicts, 0);
  g_assert_cmpstr (conflict->field, ==, "city");
  g_assert_cmpstr (json_node_get_string (conflict->mine), ==, "Paris");
  g_assert_cmpstr (json_node_get_string (conflict->theirs), ==, "Lyon");
  g_assert_cmpint (conflict->theirs_version, ==, ra->version);
  g_assert_cmpstr (conflict->by, ==, f->user->user_id);

  /* The committed value stays; the other field of the op applied. */
  city = store_test_value (f->conn, "SELECT city FROM organisations WHERE id = $1::uuid", id);
  g_assert_cmpstr (city, ==, "Lyon");
  g_assert_cmpstr (crm_record_get_string (rb->row, "notes"), ==, "Vu au salon");
  mine = store_test_value (f->conn, "SELECT mine::text FROM conflicts WHERE field = 'city'", NULL);
  g_assert_cmpstr (mine, ==, "\"Paris\"");

  /* B's own next op (base still old) is not in conflict with B's notes. */
  again = store_test_mutate (f->conn, b, CRM_MUTATION_UPDATE, CRM_ENTITY_ORGANISATION, id, base,
                             store_test_fields (CRM_ENTITY_ORGANISATION, "notes", "Rappeler",
                                                NULL));
  g_assert_cmpint (again->status, !=, CRM_MUTATION_CONFLICT);
  g_assert_cmpint (again->status, !=, CRM_MUTATION_REJECTED);
}

static void
test_edit_deleted_conflict (StoreFixture  *f,
                            gconstpointer  data)
{
  g_autofree char *id = store_test_create (f->conn, f->user, org ("Oddo BHF"));
  gint64 base = count_rows (f, "SELECT version FROM organisations WHERE id = $1::uuid", id);
  g_autoptr(CrmMutationResult) del = NULL;
  g_autoptr(CrmMutationResult) edit = NULL;
  const CrmStoreConflict *conflict;

  del = store_test_mutate (f->conn, f->admin, CRM_MUTATION_DELETE,
                           CRM_ENTITY_ORGANISATION, id, base, NULL);
  g_assert_cmpint (del->status, ==, CRM_MUTATION_APPLIED);
  edit = store_test_mutate (f->conn, f->user, CRM_MUTATION_UPDATE, CRM_ENTITY_ORGANISATION, id,
                            base, store_test_fields (CRM_ENTITY_ORGANISATION, "city", "Nantes",
                                                     NULL));
  g_assert_cmpint (edit->status, ==, CRM_MUTATION_CONFLICT);
  conflict = g_ptr_array_index (edit->conflicts, 0);
  g_assert_cmpstr (conflict->kind, ==, "deleted");
  g_assert_null (conflict->field);
  g_assert_cmpint (count_rows (f, "SELECT count (*) FROM organisations WHERE city IS NOT NULL",
                               NULL), ==, 0);
}

/* ---- Refusals ------------------------------------------------------------------ */

static void
test_validation_422 (StoreFixture  *f,
                     gconstpointer  data)
{
  g_autoptr(CrmMutationResult) bad = NULL;
  g_autoptr(CrmMutationResult) missing = NULL;
  const CrmStoreProblemError *entry;

  bad = store_test_mutate (f->conn, f->user, CRM_MUTATION_CREATE, CRM_ENTITY_ORGANISATION, NULL, 0,
                           store_test_fields (CRM_ENTITY_ORGANISATION, "name", "Axa",
                                              "email", "pas-une-adresse", "country", "FRA", NULL));
  assert_rejected (bad, 422);
  g_assert_cmpstr (bad->problem->type, ==, CRM_STORE_PROBLEM_VALIDATION);
  g_assert_cmpuint (bad->problem->errors->len, ==, 2);
  entry = g_ptr_array_index (bad->problem->errors, 0);
  g_assert_cmpstr (entry->field, ==, "email");
  g_assert_nonnull (strstr (entry->message, "E-mail"));

  missing = store_test_mutate (f->conn, f->user, CRM_MUTATION_CREATE, CRM_ENTITY_ORGANISATION,
                               NULL, 0, store_test_fields (CRM_ENTITY_ORGANISATION, "city", "Lyon",
                                                           NULL));
  assert_rejected (missing, 422);
  entry = g_ptr_array_index (missing->problem->errors, 0);
  g_assert_cmpstr (entry->field, ==, "name");
  g_assert_cmpint (count_rows (f, "SELECT count (*) FROM organisations", NULL), ==, 0);
  g_assert_cmpint (count_rows (f, "SELECT seq FROM sync_counter", NULL), ==, 0);
}

static void
test_duplicate_mandat_number (StoreFixture  *f,
                              gconstpointer  data)
{
  g_autofree char *provider = store_test_create (f->conn, f->user, org ("Carmignac"));
  g_autofree char *first = NULL;
  g_autoptr(CrmMutationResult) second = NULL;
  g_autoptr(CrmMutationResult) restore = NULL;
  g_autoptr(CrmMutationResult) del = NULL;
  g_autoptr(CrmMutationResult) third = NULL;
  gint64 seq_before;

  first = store_test_create (f->conn, f->user,
                             store_test_fields (CRM_ENTITY_MANDAT, "organisation_id", provider,
                                                "number", "M-2025-001", NULL));
  seq_before = count_rows (f, "SELECT seq FROM sync_counter", NULL);
  second = store_test_mutate (f->conn, f->user, CRM_MUTATION_CREATE, CRM_ENTITY_MANDAT, NULL, 0,
                              store_test_fields (CRM_ENTITY_MANDAT, "organisation_id", provider,
                                                 "number", "M-2025-001", NULL));
  assert_rejected (second, 409);
  g_assert_cmpstr (second->problem->detail, ==, "Le numéro de mandat M-2025-001 existe déjà.");
  g_assert_cmpstr (((CrmStoreProblemError *) g_ptr_array_index (second->problem->errors, 0))->field,
                   ==, "number");
  /* Nothing of the refused op stays, not even its sequence number. */
  g_assert_cmpint (count_rows (f, "SELECT count (*) FROM mandats", NULL), ==, 1);
  g_assert_cmpint (count_rows (f, "SELECT seq FROM sync_counter", NULL), ==, seq_before);

  /* A tombstone frees the number; restoring the old one then collides. */
  del = store_test_mutate (f->conn, f->user, CRM_MUTATION_DELETE, CRM_ENTITY_MANDAT, first, 0,
                           NULL);
  g_free (store_test_create (f->conn, f->user,
                             store_test_fields (CRM_ENTITY_MANDAT, "organisation_id", provider,
                                                "number", "M-2025-001", NULL)));
  restore = store_test_mutate (f->conn, f->user, CRM_MUTATION_RESTORE, CRM_ENTITY_MANDAT, first, 0,
                               NULL);
  assert_rejected (restore, 409);

  third = store_test_mutate (f->conn, f->user, CRM_MUTATION_CREATE, CRM_ENTITY_LINK, NULL, 0,
                             store_test_fields (CRM_ENTITY_LINK, "organisation_id", provider,
                                                "person_id", "0190b4c8-0000-7000-8000-000000000001",
                                                NULL));
  assert_rejected (third, 422);
  g_assert_nonnull (strstr (third->problem->detail, "Personne"));
}

static void
test_owner_is_admin_only (StoreFixture  *f,
                          gconstpointer  data)
{
  g_autofree char *id = store_test_create (f->conn, f->user, org ("La Banque Postale"));
  g_autoptr(CrmMutationResult) give = NULL;
  g_autoptr(CrmMutationResult) same = NULL;
  g_autoptr(CrmMutationResult) admin = NULL;

  give = store_test_mutate (f->conn, f->user, CRM_MUTATION_UPDATE, CRM_ENTITY_ORGANISATION, id, 0,
                            store_test_fields (CRM_ENTITY_ORGANISATION, "owner_id",
                                               f->user2->user_id, NULL));
  assert_rejected (give, 403);
  same = store_test_mutate (f->conn, f->user, CRM_MUTATION_UPDATE, CRM_ENTITY_ORGANISATION, id, 0,
                            store_test_fields (CRM_ENTITY_ORGANISATION, "owner_id",
                                               f->user->user_id, NULL));
  g_assert_cmpint (same->status, !=, CRM_MUTATION_REJECTED);
  admin = store_test_mutate (f->conn, f->admin, CRM_MUTATION_UPDATE, CRM_ENTITY_ORGANISATION, id,
                             count_rows (f, "SELECT version FROM organisations WHERE id = $1::uuid",
                                         id),
                             store_test_fields (CRM_ENTITY_ORGANISATION, "owner_id",
                                                   f->user2->user_id, NULL));
  g_assert_cmpint (admin->status, ==, CRM_MUTATION_APPLIED);
  g_assert_cmpstr (crm_record_get_string (admin->row, "owner_id"), ==, f->user2->user_id);
  g_assert_cmpint (count_rows (f, "SELECT count (*) FROM events WHERE type = 'organisation.assigned'",
                               NULL), ==, 1);
}

/* ---- Events -------------------------------------------------------------------- */

static void
test_events_share_the_transaction (StoreFixture  *f,
                                   gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *task = NULL;
  g_autoptr(CrmMutationResult) stage = NULL;
  g_autoptr(CrmMutationResult) done = NULL;
  g_autofree char *types = NULL;

  /* Inside the caller's transaction the op is a savepoint; rolling the transaction
   * back takes the row, the change log entry and the event with it. */
  store_test_exec (f->conn, "BEGIN");
  g_free (store_test_create (f->conn, f->user, org ("Lazard Frères")));
  g_assert_cmpint (count_rows (f, "SELECT count (*) FROM events", NULL), ==, 1);
  store_test_exec (f->conn, "ROLLBACK");
  g_assert_cmpint (count_rows (f, "SELECT count (*) FROM organisations", NULL), ==, 0);
  g_assert_cmpint (count_rows (f, "SELECT count (*) FROM events", NULL), ==, 0);
  g_assert_cmpint (count_rows (f, "SELECT count (*) FROM change_log", NULL), ==, 0);

  id = store_test_create (f->conn, f->user, org ("Rothschild & Co"));
  stage = store_test_mutate (f->conn, f->user, CRM_MUTATION_UPDATE, CRM_ENTITY_ORGANISATION, id,
                             version_of (f, CRM_ENTITY_ORGANISATION, id),
                             store_test_fields (CRM_ENTITY_ORGANISATION, "pipeline_stage", "won",
                                                NULL));
  task = store_test_create (f->conn, f->user,
                            store_test_fields (CRM_ENTITY_TASK, "title", "Relancer",
                                               "assignee_id", f->user2->user_id, NULL));
  done = store_test_mutate (f->conn, f->user, CRM_MUTATION_UPDATE, CRM_ENTITY_TASK, task,
                            version_of (f, CRM_ENTITY_TASK, task),
                            store_test_fields (CRM_ENTITY_TASK, "status", "done", NULL));
  g_assert_cmpint (stage->status, ==, CRM_MUTATION_APPLIED);
  g_assert_cmpint (done->status, ==, CRM_MUTATION_APPLIED);

  types = store_test_value (f->conn, "SELECT string_agg (type, ',' ORDER BY id) FROM events", NULL);
  g_assert_cmpstr (types, ==, "organisation.created,organisation.updated,"
                              "organisation.pipeline_changed,task.created,task.assigned,"
                              "task.updated,task.completed");
  g_assert_cmpint (count_rows (f, "SELECT count (*) FROM events WHERE payload->>'from' = 'prospect'"
                                  " AND payload->>'to' = 'won'", NULL), ==, 1);
}

static void
test_batch_savepoints (StoreFixture  *f,
                       gconstpointer  data)
{
  g_autoptr(CrmMutationResult) bad = NULL;
  g_autoptr(CrmMutationResult) good = NULL;

  /* A push batch: one transaction, a savepoint per op, a bad op does not spoil the rest. */
  store_test_exec (f->conn, "BEGIN");
  bad = store_test_mutate (f->conn, f->user, CRM_MUTATION_CREATE, CRM_ENTITY_ORGANISATION, NULL, 0,
                           store_test_fields (CRM_ENTITY_ORGANISATION, "name", "", NULL));
  assert_rejected (bad, 422);
  good = store_test_mutate (f->conn, f->user, CRM_MUTATION_CREATE, CRM_ENTITY_ORGANISATION, NULL,
                            0, org ("Edmond de Rothschild"));
  g_assert_cmpint (good->status, ==, CRM_MUTATION_APPLIED);
  g_assert_cmpint (PQtransactionStatus (f->conn), ==, PQTRANS_INTRANS);
  store_test_exec (f->conn, "COMMIT");
  g_assert_cmpint (count_rows (f, "SELECT count (*) FROM organisations", NULL), ==, 1);
}

/* ---- Permissions and visibility ------------------------------------------------ */

static void
test_viewer_never_writes (StoreFixture  *f,
                          gconstpointer  data)
{
  g_autofree char *id = store_test_create (f->conn, f->manager, org ("Groupama"));
  g_autoptr(CrmMutationResult) create = NULL;
  g_autoptr(CrmMutationResult) update = NULL;
  g_autoptr(CrmMutationResult) del = NULL;
  g_autoptr(CrmRecord) seen = NULL;
  g_autoptr(GError) error = NULL;

  create = store_test_mutate (f->conn, f->viewer, CRM_MUTATION_CREATE, CRM_ENTITY_ORGANISATION,
                              NULL, 0, org ("Refusée"));
  assert_rejected (create, 403);
  update = store_test_mutate (f->conn, f->viewer, CRM_MUTATION_UPDATE, CRM_ENTITY_ORGANISATION, id,
                              0, store_test_fields (CRM_ENTITY_ORGANISATION, "city", "Lyon", NULL));
  assert_rejected (update, 403);
  del = store_test_mutate (f->conn, f->viewer, CRM_MUTATION_DELETE, CRM_ENTITY_ORGANISATION, id, 0,
                           NULL);
  assert_rejected (del, 403);
  /* Read-only on their team's rows. */
  seen = crm_store_get (f->conn, f->viewer, CRM_ENTITY_ORGANISATION, id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (seen);
}

static gboolean
sees (StoreFixture   *f,
      const CrmActor *actor,
      CrmEntityKind   kind,
      const char     *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRecord) row = crm_store_get (f->conn, actor, kind, id, &error);

  if (row == NULL)
    g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  return row != NULL;
}

static void
test_scopes (StoreFixture  *f,
             gconstpointer  data)
{
  g_autofree char *mine = store_test_create (f->conn, f->user, org ("À moi"));
  g_autofree char *colleague = store_test_create (f->conn, f->user2, org ("Au collègue"));
  g_autofree char *paris = store_test_create (f->conn, f->other, org ("À Paris"));
  g_autofree char *task = store_test_create (f->conn, f->user2,
                                             store_test_fields (CRM_ENTITY_TASK, "title", "Pour toi",
                                                                "assignee_id", f->user->user_id,
                                                                NULL));
  g_autoptr(CrmMutationResult) hidden_update = NULL;
  g_autoptr(CrmMutationResult) hidden_delete = NULL;
  g_autoptr(CrmMutationResult) unknown = NULL;
  g_autofree char *nobody = crm_uuid7_new ();

  /* user: own rows, and tasks assigned to them. */
  g_assert_true (sees (f, f->user, CRM_ENTITY_ORGANISATION, mine));
  g_assert_false (sees (f, f->user, CRM_ENTITY_ORGANISATION, colleague));
  g_assert_false (sees (f, f->user, CRM_ENTITY_ORGANISATION, paris));
  g_assert_true (sees (f, f->user, CRM_ENTITY_TASK, task));
  /* manager: their team. */
  g_assert_true (sees (f, f->manager, CRM_ENTITY_ORGANISATION, mine));
  g_assert_true (sees (f, f->manager, CRM_ENTITY_ORGANISATION, colleague));
  g_assert_false (sees (f, f->manager, CRM_ENTITY_ORGANISATION, paris));
  /* admin: everything. */
  g_assert_true (sees (f, f->admin, CRM_ENTITY_ORGANISATION, paris));

  /* Hidden rows answer exactly like missing ones. */
  hidden_update = store_test_mutate (f->conn, f->user, CRM_MUTATION_UPDATE,
                                     CRM_ENTITY_ORGANISATION, colleague, 0,
                                     store_test_fields (CRM_ENTITY_ORGANISATION, "city", "Lyon",
                                                        NULL));
  hidden_delete = store_test_mutate (f->conn, f->user, CRM_MUTATION_DELETE,
                                     CRM_ENTITY_ORGANISATION, paris, 0, NULL);
  unknown = store_test_mutate (f->conn, f->user, CRM_MUTATION_DELETE, CRM_ENTITY_ORGANISATION,
                               nobody, 0, NULL);
  assert_rejected (hidden_update, 404);
  assert_rejected (hidden_delete, 404);
  assert_rejected (unknown, 404);
  g_assert_cmpstr (hidden_update->problem->type, ==, unknown->problem->type);
  g_assert_cmpstr (hidden_update->problem->title, ==, unknown->problem->title);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  ADD ("/store/mutate/crud-every-entity", test_crud_every_entity);
  ADD ("/store/mutate/replay-returns-stored-result", test_replay_returns_stored_result);
  ADD ("/store/mutate/rejection-replayed-too", test_rejection_replayed_too);
  ADD ("/store/merge/different-fields-merged", test_different_fields_merge);
  ADD ("/store/merge/same-field-conflict-recorded", test_same_field_conflict);
  ADD ("/store/merge/edit-of-deleted-row-conflict", test_edit_deleted_conflict);
  ADD ("/store/mutate/validation-422-per-field", test_validation_422);
  ADD ("/store/mutate/duplicate-mandat-number-409", test_duplicate_mandat_number);
  ADD ("/store/mutate/owner-and-team-admin-only", test_owner_is_admin_only);
  ADD ("/store/mutate/events-share-the-transaction", test_events_share_the_transaction);
  ADD ("/store/mutate/batch-savepoints", test_batch_savepoints);
  ADD ("/store/rbac/viewer-never-writes", test_viewer_never_writes);
  ADD ("/store/rbac/scopes-and-hidden-rows", test_scopes);

  status = g_test_run ();
  store_test_shutdown ();
  return status;
}

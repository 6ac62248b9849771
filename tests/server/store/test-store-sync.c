/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-store-sync"

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

static CrmPullPage *
pull (PGconn         *conn,
      const CrmActor *actor,
      gint64          cursor,
      guint           limit)
{
  g_autoptr(GError) error = NULL;
  CrmPullPage *page = crm_store_pull (conn, actor, cursor, limit, &error);

  g_assert_no_error (error);
  g_assert_nonnull (page);
  return page;
}

static gboolean
page_has_change (const CrmPullPage *page,
                 const char        *id)
{
  for (guint i = 0; i < page->changes->len; i++)
    if (strcmp (((CrmPullChange *) g_ptr_array_index (page->changes, i))->id, id) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
page_has_revoke (const CrmPullPage *page,
                 const char        *id)
{
  for (guint i = 0; i < page->revoked->len; i++)
    if (strcmp (((CrmPullRevoke *) g_ptr_array_index (page->revoked, i))->id, id) == 0)
      return TRUE;
  return FALSE;
}

/* ---- No skipped commits -------------------------------------------------------- */

typedef struct
{
  char           *conninfo;
  const CrmActor *actor;
  gint64          version;
  gint            done;
} Writer;

static gpointer
write_in_thread (gpointer data)
{
  Writer *writer = data;
  PGconn *conn = store_test_connect (writer->conninfo);
  g_autoptr(CrmMutationResult) result =
    store_test_mutate (conn, writer->actor, CRM_MUTATION_CREATE, CRM_ENTITY_ORGANISATION, NULL, 0,
                       org ("Écrite par B"));

  writer->version = result->version;
  g_atomic_int_set (&writer->done, 1);
  PQfinish (conn);
  return NULL;
}

static void
test_no_skipped_commits (StoreFixture  *f,
                         gconstpointer  data)
{
  PGconn *a = store_test_connect (f->conninfo);
  PGconn *reader = store_test_connect (f->conninfo);
  g_autoptr(CrmMutationResult) first = NULL;
  g_autoptr(CrmPullPage) during = NULL;
  g_autoptr(CrmPullPage) after = NULL;
  Writer writer = { f->conninfo, f->admin, 0, 0 };
  GThread *thread;
  gint64 start = store_test_count (f->conn, "SELECT seq FROM sync_counter", NULL);

  /* Writer A takes the next number and keeps its transaction open... */
  store_test_exec (a, "BEGIN");
  first = store_test_mutate (a, f->admin, CRM_MUTATION_CREATE, CRM_ENTITY_ORGANISATION, NULL, 0,
                             org ("Écrite par A"));
  g_assert_cmpint (first->version, ==, start + 1);

  /* ...writer B starts and must wait for it, ... */
  thread = g_thread_new ("writer-b", write_in_thread, &writer);
  g_usleep (300 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (g_atomic_int_get (&writer.done), ==, 0);

  /* ...and a pull meanwhile neither sees A nor moves its cursor past A's number. */
  during = pull (reader, f->admin, start, 100);
  g_assert_cmpuint (during->changes->len, ==, 0);
  g_assert_cmpint (during->cursor, ==, start);

  store_test_exec (a, "COMMIT");
  g_thread_join (thread);
  g_assert_cmpint (writer.version, ==, start + 2);

  /* From the cursor the reader had, both changes arrive, in commit order. */
  after = pull (reader, f->admin, during->cursor, 100);
  g_assert_cmpuint (after->changes->len, ==, 2);
  g_assert_cmpint (((CrmPullChange *) g_ptr_array_index (after->changes, 0))->version, ==,
                   start + 1);
  g_assert_cmpint (((CrmPullChange *) g_ptr_array_index (after->changes, 1))->version, ==,
                   start + 2);
  g_assert_cmpint (after->cursor, ==, start + 2);
  g_assert_cmpint (store_test_count (f->conn,
                                     "SELECT count (*) FROM change_log WHERE seq > $1::bigint",
                                     "0"), ==, start + 2);
  PQfinish (a);
  PQfinish (reader);
}

/* ---- Pull ---------------------------------------------------------------------- */

static void
test_pull_pages_own_rows (StoreFixture  *f,
                          gconstpointer  data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 cursor = 0;
  guint pages = 0;
  gboolean more = TRUE;

  for (guint i = 0; i < 7; i++)
    {
      g_autofree char *name = g_strdup_printf ("Organisation %u", i);

      g_free (store_test_create (f->conn, f->user, org (name)));
      g_free (store_test_create (f->conn, f->other, org (name)));
    }

  while (more)
    {
      g_autoptr(CrmPullPage) page = pull (f->conn, f->user, cursor, 3);

      for (guint i = 0; i < page->changes->len; i++)
        {
          CrmPullChange *change = g_ptr_array_index (page->changes, i);

          g_assert_cmpstr (crm_record_get_string (change->data, "owner_id"), ==, f->user->user_id);
          g_assert_true (g_hash_table_add (seen, g_strdup (change->id)));
        }
      g_assert_cmpint (page->cursor, >, cursor);
      cursor = page->cursor;
      more = page->has_more;
      g_assert_cmpuint (++pages, <, 10);
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 7);
  g_assert_cmpuint (pages, ==, 3);
  g_assert_cmpint (cursor, ==, store_test_count (f->conn, "SELECT seq FROM sync_counter", NULL));
}

static void
test_reassignment_revokes (StoreFixture  *f,
                           gconstpointer  data)
{
  g_autofree char *id = store_test_create (f->conn, f->user, org ("Partira"));
  g_autoptr(CrmPullPage) first = pull (f->conn, f->user, 0, 100);
  g_autoptr(CrmPullPage) second = NULL;
  g_autoptr(CrmPullPage) theirs = NULL;
  g_autoptr(CrmPullPage) manager = NULL;
  g_autoptr(CrmMutationResult) moved = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *text = NULL;

  g_assert_true (page_has_change (first, id));

  moved = store_test_mutate (f->conn, f->admin, CRM_MUTATION_UPDATE, CRM_ENTITY_ORGANISATION, id,
                             store_test_count (f->conn,
                                               "SELECT version FROM organisations WHERE id = $1::uuid",
                                               id),
                             store_test_fields (CRM_ENTITY_ORGANISATION, "owner_id",
                                                f->other->user_id, "team_id", f->team_b, NULL));
  g_assert_cmpint (moved->status, ==, CRM_MUTATION_APPLIED);

  second = pull (f->conn, f->user, first->cursor, 100);
  g_assert_false (page_has_change (second, id));
  g_assert_true (page_has_revoke (second, id));

  /* The new owner gets the row; the old team's manager loses it too. */
  theirs = pull (f->conn, f->other, first->cursor, 100);
  g_assert_true (page_has_change (theirs, id));
  manager = pull (f->conn, f->manager, first->cursor, 100);
  g_assert_true (page_has_revoke (manager, id));

  json = crm_pull_page_to_json (second);
  text = json_to_string (json, FALSE);
  g_assert_nonnull (strstr (text, "\"revoked\":[{\"entity\":\"organisation\""));
}

static void
test_conflicts_sync_to_author (StoreFixture  *f,
                               gconstpointer  data)
{
  g_autoptr(CrmActor) phone = crm_actor_new (f->user->user_id, CRM_ROLE_USER, f->team_a, NULL,
                                             "phone");
  g_autofree char *id = store_test_create (f->conn, f->user, org ("Conflit"));
  gint64 base = store_test_count (f->conn, "SELECT version FROM organisations WHERE id = $1::uuid",
                                  id);
  g_autoptr(CrmMutationResult) first = NULL;
  g_autoptr(CrmMutationResult) second = NULL;
  g_autoptr(CrmPullPage) mine = NULL;
  g_autoptr(CrmPullPage) others = NULL;
  const CrmStoreConflict *conflict;

  first = store_test_mutate (f->conn, f->manager, CRM_MUTATION_UPDATE, CRM_ENTITY_ORGANISATION, id,
                             base, store_test_fields (CRM_ENTITY_ORGANISATION, "city", "Lyon",
                                                      NULL));
  second = store_test_mutate (f->conn, phone, CRM_MUTATION_UPDATE, CRM_ENTITY_ORGANISATION, id,
                              base, store_test_fields (CRM_ENTITY_ORGANISATION, "city", "Paris",
                                                       NULL));
  g_assert_cmpint (second->status, ==, CRM_MUTATION_CONFLICT);

  mine = pull (f->conn, f->user, first->version - 1, 100);
  g_assert_cmpuint (mine->conflicts->len, ==, 1);
  conflict = g_ptr_array_index (mine->conflicts, 0);
  g_assert_cmpstr (conflict->field, ==, "city");
  g_assert_cmpstr (json_node_get_string (conflict->mine), ==, "Paris");
  g_assert_cmpstr (json_node_get_string (conflict->theirs), ==, "Lyon");
  g_assert_cmpstr (conflict->theirs_user_id, ==, f->manager->user_id);
  g_assert_cmpint (mine->cursor, >=, conflict->seq);

  others = pull (f->conn, f->manager, 0, 100);
  g_assert_cmpuint (others->conflicts->len, ==, 0);
}

static void
test_epoch_bumps_on_role_change (StoreFixture  *f,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmPullPage) before = pull (f->conn, f->user, 0, 10);
  g_autoptr(CrmPullPage) after_role = NULL;
  g_autoptr(CrmPullPage) after_team = NULL;
  g_autoptr(CrmActor) reloaded = NULL;

  g_assert_true (crm_store_set_user_role (f->conn, f->admin, f->user->user_id, CRM_ROLE_MANAGER,
                                          &error));
  g_assert_no_error (error);
  after_role = pull (f->conn, f->user, 0, 10);
  g_assert_cmpint (after_role->epoch, ==, before->epoch + 1);

  g_assert_true (crm_store_set_user_team (f->conn, f->admin, f->user->user_id, f->team_b, &error));
  after_team = pull (f->conn, f->user, 0, 10);
  g_assert_cmpint (after_team->epoch, ==, before->epoch + 2);

  reloaded = crm_store_load_actor (f->conn, f->user->user_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (reloaded->role, ==, CRM_ROLE_MANAGER);
  g_assert_cmpint (reloaded->scope, ==, CRM_SCOPE_TEAM);
  g_assert_cmpstr (reloaded->team_id, ==, f->team_b);

  /* Only an admin changes roles. */
  g_assert_false (crm_store_set_user_role (f->conn, f->manager, f->user2->user_id, CRM_ROLE_ADMIN,
                                           &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_FORBIDDEN);
}

static void
test_bad_cursor (StoreFixture  *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmPullPage) page = crm_store_pull (f->conn, f->user, -1, 10, &error);

  g_assert_null (page);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  ADD ("/store/sync/no-skipped-commits-two-writers", test_no_skipped_commits);
  ADD ("/store/sync/pull-pages-own-rows", test_pull_pages_own_rows);
  ADD ("/store/sync/reassignment-revokes", test_reassignment_revokes);
  ADD ("/store/sync/conflicts-sync-to-author", test_conflicts_sync_to_author);
  ADD ("/store/sync/epoch-bumps-on-role-and-team-change", test_epoch_bumps_on_role_change);
  ADD ("/store/sync/negative-cursor-refused", test_bad_cursor);

  status = g_test_run ();
  store_test_shutdown ();
  return status;
}

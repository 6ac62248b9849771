/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-store-read"

#include "config.h"

#include <string.h>

#include "crm-json.h"
#include "crm-uuid.h"
#include "store-test.h"

#define ADD(path, func) \
  g_test_add (path, StoreFixture, NULL, store_fixture_setup, func, store_fixture_teardown)

static void
seed_organisations (StoreFixture *f,
                    guint         n)
{
  static const char * const cities[] = { "Lyon", "Paris", NULL };

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("Org %03u", i);
      const char *city = cities[i % 3];
      CrmRecord *fields = store_test_fields (CRM_ENTITY_ORGANISATION, "name", name,
                                             "pipeline_stage", i % 2 ? "won" : "prospect",
                                             "tags", i % 5 == 0 ? "[\"vip\"]" : "[]", NULL);

      crm_record_set_string (fields, "city", city);
      g_free (store_test_create (f->conn, f->user, fields));
    }
}

/* Every page of @query; returns the names in order. */
static GPtrArray *
all_pages (StoreFixture   *f,
           const CrmActor *actor,
           CrmStoreQuery  *query,
           guint          *n_pages)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *cursor = NULL;

  *n_pages = 0;
  do
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) rows = NULL;
      char *next = NULL;

      crm_store_query_set_after (query, cursor);
      rows = crm_store_list (f->conn, actor, query, &next, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < rows->len; i++)
        g_ptr_array_add (names, g_strdup (crm_record_get_string (g_ptr_array_index (rows, i),
                                                                 "name")));
      g_free (cursor);
      cursor = next;
      (*n_pages)++;
    }
  while (cursor != NULL);
  return names;
}

static void
test_keyset_pages (StoreFixture  *f,
                   gconstpointer  data)
{
  g_autoptr(CrmStoreQuery) query = crm_store_query_new (CRM_ENTITY_ORGANISATION);
  g_autoptr(CrmStoreQuery) by_city = crm_store_query_new (CRM_ENTITY_ORGANISATION);
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GPtrArray) cities = NULL;
  g_autoptr(GHashTable) unique = g_hash_table_new (g_str_hash, g_str_equal);
  guint pages;

  seed_organisations (f, 120);
  crm_store_query_sort (query, "name", TRUE);
  crm_store_query_set_limit (query, 50);
  names = all_pages (f, f->user, query, &pages);
  g_assert_cmpuint (pages, ==, 3);
  g_assert_cmpuint (names->len, ==, 120);
  g_assert_cmpstr (g_ptr_array_index (names, 0), ==, "Org 119");
  g_assert_cmpstr (g_ptr_array_index (names, 119), ==, "Org 000");

  /* A sort column with NULLs (every third city) still pages through every row once. */
  crm_store_query_sort (by_city, "city", FALSE);
  crm_store_query_set_limit (by_city, 7);
  cities = all_pages (f, f->user, by_city, &pages);
  g_assert_cmpuint (cities->len, ==, 120);
  for (guint i = 0; i < cities->len; i++)
    g_assert_true (g_hash_table_add (unique, g_ptr_array_index (cities, i)));
  g_assert_cmpuint (pages, ==, 18);
}

static gint64
count_list (StoreFixture   *f,
            const CrmActor *actor,
            CrmStoreQuery  *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  crm_store_query_set_limit (query, 500);
  rows = crm_store_list (f->conn, actor, query, NULL, &error);
  g_assert_no_error (error);
  return rows->len;
}

static void
test_filters (StoreFixture  *f,
              gconstpointer  data)
{
  g_autoptr(CrmStoreQuery) won = crm_store_query_new (CRM_ENTITY_ORGANISATION);
  g_autoptr(CrmStoreQuery) vip = crm_store_query_new (CRM_ENTITY_ORGANISATION);
  g_autoptr(CrmStoreQuery) nocity = crm_store_query_new (CRM_ENTITY_ORGANISATION);
  g_autoptr(CrmStoreQuery) others = crm_store_query_new (CRM_ENTITY_ORGANISATION);
  g_autoptr(CrmStoreQuery) members = crm_store_query_new (CRM_ENTITY_PERSON);
  g_autofree char *acme = NULL;
  g_autofree char *alice = NULL;

  seed_organisations (f, 30);
  g_free (store_test_create (f->conn, f->other,
                             store_test_fields (CRM_ENTITY_ORGANISATION, "name", "Ailleurs",
                                                "pipeline_stage", "won", NULL)));

  crm_store_query_filter (won, "pipeline_stage", CRM_STORE_EQ, "won");
  crm_store_query_filter (won, "city", CRM_STORE_EQ, "Lyon");
  g_assert_cmpint (count_list (f, f->user, won), ==, 5);
  crm_store_query_filter (vip, "tags", CRM_STORE_EQ, "vip");
  g_assert_cmpint (count_list (f, f->user, vip), ==, 6);
  crm_store_query_filter (nocity, "city", CRM_STORE_IS_NULL, NULL);
  g_assert_cmpint (count_list (f, f->user, nocity), ==, 10);
  /* Filters never widen the view: the other team's "won" row stays out. */
  crm_store_query_filter (others, "pipeline_stage", CRM_STORE_EQ, "won");
  g_assert_cmpint (count_list (f, f->user, others), ==, 15);
  g_assert_cmpint (count_list (f, f->admin, others), ==, 16);

  acme = store_test_create (f->conn, f->user,
                            store_test_fields (CRM_ENTITY_ORGANISATION, "name", "Acme", NULL));
  alice = store_test_create (f->conn, f->user,
                             store_test_fields (CRM_ENTITY_PERSON, "first_name", "Alice", NULL));
  g_free (store_test_create (f->conn, f->user,
                             store_test_fields (CRM_ENTITY_PERSON, "first_name", "Bob", NULL)));
  g_free (store_test_create (f->conn, f->user,
                             store_test_fields (CRM_ENTITY_LINK, "person_id", alice,
                                                "organisation_id", acme, NULL)));
  crm_store_query_filter (members, "organisation_id", CRM_STORE_EQ, acme);
  g_assert_cmpint (count_list (f, f->user, members), ==, 1);
}

static void
expect_invalid (StoreFixture  *f,
                CrmStoreQuery *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = crm_store_list (f->conn, f->user, query, NULL, &error);

  g_assert_null (rows);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_assert_cmpuint (crm_store_error_http_status (error), ==, 400);
}

static void
test_bad_queries (StoreFixture  *f,
                  gconstpointer  data)
{
  static const char * const cursors[] = {
    "not a cursor!", "e30", "eyJzIjoibmFtZSJ9", "", "%%%%",
    /* {"s":"id","d":false,"v":null,"i":"x"} */
    "eyJzIjoiaWQiLCJkIjpmYWxzZSwidiI6bnVsbCwiaSI6IngifQ",
  };
  g_autoptr(CrmStoreQuery) by_name = crm_store_query_new (CRM_ENTITY_ORGANISATION);
  g_autoptr(CrmStoreQuery) by_id = crm_store_query_new (CRM_ENTITY_ORGANISATION);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  char *next = NULL;

  seed_organisations (f, 3);
  for (guint i = 0; i < G_N_ELEMENTS (cursors); i++)
    {
      g_autoptr(CrmStoreQuery) query = crm_store_query_new (CRM_ENTITY_ORGANISATION);

      crm_store_query_set_after (query, cursors[i]);
      expect_invalid (f, query);
    }

  /* A cursor is only good for the sort that made it. */
  crm_store_query_sort (by_name, "name", FALSE);
  crm_store_query_set_limit (by_name, 1);
  rows = crm_store_list (f->conn, f->user, by_name, &next, &error);
  g_assert_no_error (error);
  g_assert_nonnull (next);
  crm_store_query_set_after (by_id, next);
  g_free (next);
  expect_invalid (f, by_id);

  {
    g_autoptr(CrmStoreQuery) q1 = crm_store_query_new (CRM_ENTITY_ORGANISATION);
    g_autoptr(CrmStoreQuery) q2 = crm_store_query_new (CRM_ENTITY_ORGANISATION);
    g_autoptr(CrmStoreQuery) q3 = crm_store_query_new (CRM_ENTITY_ORGANISATION);
    g_autoptr(CrmStoreQuery) q4 = crm_store_query_new (CRM_ENTITY_ORGANISATION);

    crm_store_query_set_limit (q1, 501);
    expect_invalid (f, q1);
    crm_store_query_filter (q2, "name; DROP TABLE users", CRM_STORE_EQ, "x");
    expect_invalid (f, q2);
    crm_store_query_filter (q3, "pipeline_stage", CRM_STORE_EQ, "' OR 1=1 --");
    expect_invalid (f, q3);
    crm_store_query_sort (q4, "tags", FALSE);
    expect_invalid (f, q4);
  }
}

/* ---- Search -------------------------------------------------------------------- */

static gboolean
finds (StoreFixture   *f,
       const CrmActor *actor,
       const char     *text,
       const char     *title,
       gboolean       *fuzzy)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = crm_store_search (f->conn, actor, text, NULL, 10, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < hits->len; i++)
    {
      const CrmSearchHit *hit = g_ptr_array_index (hits, i);

      if (g_strcmp0 (hit->title, title) == 0)
        {
          if (fuzzy != NULL)
            *fuzzy = hit->fuzzy;
          return TRUE;
        }
    }
  return FALSE;
}

static void
test_search (StoreFixture  *f,
             gconstpointer  data)
{
  static const char * const hostile[] = {
    "'", "\"", "()", "a & b | !c", ":*", "-", "\\", "%_", "'; DROP TABLE users; --", "", "   ",
  };
  gboolean fuzzy = TRUE;

  g_free (store_test_create (f->conn, f->user,
                             store_test_fields (CRM_ENTITY_ORGANISATION, "name", "Société Générale",
                                                "city", "Paris", NULL)));
  g_free (store_test_create (f->conn, f->user,
                             store_test_fields (CRM_ENTITY_PERSON, "first_name", "Élodie",
                                                "last_name", "Lefèvre", NULL)));
  g_free (store_test_create (f->conn, f->other,
                             store_test_fields (CRM_ENTITY_ORGANISATION, "name", "École Générale",
                                                NULL)));

  g_assert_true (finds (f, f->user, "societe generale", "Société Générale", &fuzzy));
  g_assert_false (fuzzy);
  g_assert_true (finds (f, f->user, "SOCIÉTÉ", "Société Générale", NULL));
  g_assert_true (finds (f, f->user, "soc gen", "Société Générale", NULL));
  g_assert_true (finds (f, f->user, "elodie lefevre", "Élodie Lefèvre", NULL));
  g_assert_true (finds (f, f->user, "genarale", "Société Générale", &fuzzy));
  g_assert_true (fuzzy);
  g_assert_true (finds (f, f->user, "lefebvre", "Élodie Lefèvre", NULL));
  /* Not the other team's row, in either pass. */
  g_assert_false (finds (f, f->user, "ecole", "École Générale", NULL));
  g_assert_false (finds (f, f->user, "ecola generale", "École Générale", NULL));
  g_assert_true (finds (f, f->admin, "ecole", "École Générale", NULL));

  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) hits = crm_store_search (f->conn, f->user, hostile[i], NULL, 10, &error);

      g_assert_no_error (error);
      g_assert_nonnull (hits);
    }
}

/* ---- Users and teams ----------------------------------------------------------- */

static void
test_users_and_teams (StoreFixture  *f,
                      gconstpointer  data)
{
  CrmNewUser alice = { "Alice.Martin@Alforis.fr", "Alice Martin", "cheval-Batterie-agrafe-7",
                       CRM_ROLE_USER, NULL, NULL };
  CrmNewUser twin = alice;
  CrmNewUser weak = alice;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *twin_id = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GPtrArray) teams = NULL;
  g_autoptr(JsonObject) json = NULL;
  g_autoptr(CrmActor) gone = NULL;

  alice.team_id = f->team_a;
  id = crm_store_create_user (f->conn, f->admin, &alice, &error);
  g_assert_no_error (error);
  hash = store_test_value (f->conn, "SELECT password_hash FROM users WHERE id = $1::uuid", id);
  g_assert_true (g_str_has_prefix (hash, "$scrypt$"));

  twin.email = "alice.martin@alforis.fr";
  twin_id = crm_store_create_user (f->conn, f->admin, &twin, &error);
  g_assert_null (twin_id);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_CONFLICT);
  g_clear_error (&error);

  weak.email = "bob@alforis.fr";
  weak.password = "azertyuiop12";
  g_assert_null (crm_store_create_user (f->conn, f->admin, &weak, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_VALIDATION);
  g_clear_error (&error);

  weak.password = "cheval-Batterie-agrafe-7";
  g_assert_null (crm_store_create_user (f->conn, f->manager, &weak, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_FORBIDDEN);
  g_clear_error (&error);

  users = crm_store_list_users (f->conn, f->user, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (users->len, ==, 7);
  json = crm_record_to_json (g_ptr_array_index (users, 0));
  g_assert_false (json_object_has_member (json, "password_hash"));

  teams = crm_store_list_teams (f->conn, f->viewer, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (teams->len, ==, 2);
  g_assert_null (crm_store_create_team (f->conn, f->admin, "équipe lyon", &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_CONFLICT);
  g_clear_error (&error);

  store_test_exec (f->conn, "INSERT INTO refresh_tokens (token_hash, family_id, user_id, epoch,"
                            " expires_at) SELECT repeat ('a', 64), gen_random_uuid (), id, epoch,"
                            " now () + interval '1 day' FROM users WHERE email ILIKE 'alice%'");
  g_assert_true (crm_store_deactivate_user (f->conn, f->admin, id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (store_test_count (f->conn, "SELECT count (*) FROM refresh_tokens"
                                              " WHERE revoked_at IS NULL", NULL), ==, 0);
  gone = crm_store_load_actor (f->conn, id, NULL, &error);
  g_assert_null (gone);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_FORBIDDEN);
}

static void
test_permission_edit (StoreFixture  *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmActor) before = crm_store_load_actor (f->conn, f->viewer->user_id, NULL, &error);
  g_autoptr(CrmActor) after = NULL;
  g_autoptr(CrmMutationResult) created = NULL;

  g_assert_true (crm_store_set_permission (f->conn, f->admin, CRM_ROLE_VIEWER,
                                           CRM_RESOURCE_ORGANISATIONS, CRM_ACTION_CREATE, TRUE,
                                           &error));
  g_assert_no_error (error);
  after = crm_store_load_actor (f->conn, f->viewer->user_id, NULL, &error);
  g_assert_true (crm_permission_allows (&after->matrix, CRM_ROLE_VIEWER, CRM_RESOURCE_ORGANISATIONS,
                                        CRM_ACTION_CREATE));
  g_assert_cmpint (after->epoch, ==, before->epoch + 1);
  created = store_test_mutate (f->conn, after, CRM_MUTATION_CREATE, CRM_ENTITY_ORGANISATION, NULL,
                               0, store_test_fields (CRM_ENTITY_ORGANISATION, "name", "Permise",
                                                     NULL));
  g_assert_cmpint (created->status, ==, CRM_MUTATION_APPLIED);

  g_assert_false (crm_store_set_permission (f->conn, f->manager, CRM_ROLE_VIEWER,
                                            CRM_RESOURCE_ORGANISATIONS, CRM_ACTION_DELETE, TRUE,
                                            &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_false (crm_store_set_permission (f->conn, f->admin, CRM_ROLE_ADMIN, CRM_RESOURCE_ROLES,
                                            CRM_ACTION_UPDATE, FALSE, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_FORBIDDEN);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  ADD ("/store/list/keyset-pages-every-row-once", test_keyset_pages);
  ADD ("/store/list/filters-within-view", test_filters);
  ADD ("/store/list/bad-cursor-sort-filter-limit-400", test_bad_queries);
  ADD ("/store/search/accents-prefixes-typos-visibility", test_search);
  ADD ("/store/admin/users-and-teams", test_users_and_teams);
  ADD ("/store/admin/permission-edit", test_permission_edit);

  status = g_test_run ();
  store_test_shutdown ();
  return status;
}

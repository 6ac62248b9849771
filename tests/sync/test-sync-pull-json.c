/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sync-pull-json"

#include "config.h"

#include <locale.h>
#include <string.h>

#include "crm-json.h"
#include "store-test.h"

/*
 * The pull route writes its page straight from what PostgreSQL keeps (the rows' JSON,
 * or their binary columns; crm_store_pull_json, server/store/crm-pg-pull.c). Clients parse what the page of
 * records wrote before (crm_pull_page_to_json of crm_store_pull): both are held here to
 * the same bytes, page after page, for every kind of row and value, tombstones,
 * revokes and conflicts, for each scope.
 */

static CrmRecord *
org (const char *name)
{
  return store_test_fields (CRM_ENTITY_ORGANISATION, "name", name, NULL);
}

/* Every page of a download from cursor 0 in pages of @limit; returns what was compared
 * (changes + revokes + conflicts). */
static guint
assert_same_bytes (PGconn         *conn,
                   const CrmActor *actor,
                   guint           limit)
{
  gint64 cursor = 0;
  gboolean more = TRUE;
  guint compared = 0, pages = 0;

  while (more)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (CrmPullPage) page = crm_store_pull (conn, actor, cursor, limit, &error);
      g_autoptr (JsonNode) node = NULL;
      g_autoptr (GBytes) bytes = NULL;
      g_autofree char *expected = NULL;
      gsize length = 0;
      gint64 next = -1;
      gboolean has_more = FALSE;

      g_assert_no_error (error);
      node = crm_pull_page_to_json (page);
      expected = crm_json_to_data (node, &length);
      bytes = crm_store_pull_json (conn, actor, cursor, limit, &next, &has_more, &error);
      g_assert_no_error (error);
      if (g_bytes_get_size (bytes) != length
          || memcmp (g_bytes_get_data (bytes, NULL), expected, length) != 0)
        g_error ("page %u (curseur %" G_GINT64_FORMAT ", %u lignes) :\n  %s\n  %.*s", pages,
                 cursor, limit, expected, (int) g_bytes_get_size (bytes),
                 (const char *) g_bytes_get_data (bytes, NULL));
      g_assert_cmpint (next, ==, page->cursor);
      g_assert_cmpint (has_more, ==, page->has_more);
      compared += page->changes->len + page->revoked->len + page->conflicts->len;
      cursor = page->cursor;
      more = page->has_more;
      pages++;
    }
  return compared;
}

static void
test_same_bytes (StoreFixture  *f,
                 gconstpointer  data)
{
  g_autoptr (CrmActor) phone = crm_actor_new (f->manager->user_id, CRM_ROLE_MANAGER, f->team_a,
                                              NULL, "phone");
  g_autofree char *rich = store_test_create (
    f->conn, f->manager,
    store_test_fields (CRM_ENTITY_ORGANISATION,
                       "name", "Société « Générale » \"Alpha\" \\ œuvre 😀",
                       "notes", "ligne 1\nligne\t2 </script> \u2028",
                       "aum_eur", "1250000.5", "tags", "[\"client\",\"prio\\\"ritaire\",\"é\"]",
                       "city", "Évry", "is_active", "false", "website", "https://exemple.fr/a?b=c&d",
                       NULL));
  g_autofree char *small = store_test_create (
    f->conn, f->manager,
    store_test_fields (CRM_ENTITY_ORGANISATION, "name", "Bêta", "aum_eur", "0.1", NULL));
  g_autofree char *huge = store_test_create (
    f->conn, f->manager,
    store_test_fields (CRM_ENTITY_ORGANISATION, "name", "Gamma", "aum_eur", "999999999999999.99",
                       NULL));
  g_autofree char *person = store_test_create (
    f->conn, f->manager,
    store_test_fields (CRM_ENTITY_PERSON, "first_name", "Léa", "last_name", "O'Brien",
                       "tags", "[]", NULL));
  g_autofree char *link = store_test_create (
    f->conn, f->manager,
    store_test_fields (CRM_ENTITY_LINK, "person_id", person, "organisation_id", rich,
                       "role", "Directrice", "is_primary", "true", NULL));
  g_autofree char *task = store_test_create (
    f->conn, f->manager,
    store_test_fields (CRM_ENTITY_TASK, "title", "Rappeler", "assignee_id", f->user->user_id,
                       "due_at", "2026-03-01T09:30:00Z", NULL));
  g_autofree char *owned = store_test_create (f->conn, f->user, org ("À l’utilisateur"));
  g_autoptr (CrmMutationResult) first = NULL;
  g_autoptr (CrmMutationResult) second = NULL;
  g_autoptr (CrmMutationResult) deleted = NULL;
  g_autoptr (CrmMutationResult) taken = NULL;
  g_autoptr (CrmMutationResult) moved = NULL;
  gint64 base = store_test_count (f->conn, "SELECT version FROM organisations WHERE id = $1::uuid",
                                  rich);
  const CrmActor *actors[] = { f->admin, f->manager, f->user, f->other, f->viewer };
  guint compared = 0;

  /* A conflict for the manager (the same field from two of their devices), a
   * tombstone, a task taken from the user and a row given to team B (revokes). */
  first = store_test_mutate (f->conn, f->manager, CRM_MUTATION_UPDATE, CRM_ENTITY_ORGANISATION,
                             rich, base, store_test_fields (CRM_ENTITY_ORGANISATION, "city",
                                                            "Lyon", NULL));
  second = store_test_mutate (f->conn, phone, CRM_MUTATION_UPDATE, CRM_ENTITY_ORGANISATION, rich,
                              base, store_test_fields (CRM_ENTITY_ORGANISATION, "city", "Nîmes",
                                                       NULL));
  g_assert_cmpint (second->status, ==, CRM_MUTATION_CONFLICT);
  deleted = store_test_mutate (f->conn, f->manager, CRM_MUTATION_DELETE, CRM_ENTITY_ORGANISATION,
                               small, store_test_count (f->conn, "SELECT version FROM "
                                                        "organisations WHERE id = $1::uuid",
                                                        small), NULL);
  g_assert_cmpint (deleted->status, ==, CRM_MUTATION_APPLIED);
  taken = store_test_mutate (f->conn, f->manager, CRM_MUTATION_UPDATE, CRM_ENTITY_TASK, task,
                             store_test_count (f->conn, "SELECT version FROM tasks WHERE id = "
                                               "$1::uuid", task),
                             store_test_fields (CRM_ENTITY_TASK, "assignee_id", NULL, NULL));
  g_assert_cmpint (taken->status, ==, CRM_MUTATION_APPLIED);
  moved = store_test_mutate (f->conn, f->admin, CRM_MUTATION_UPDATE, CRM_ENTITY_ORGANISATION,
                             owned, store_test_count (f->conn, "SELECT version FROM organisations"
                                                      " WHERE id = $1::uuid", owned),
                             store_test_fields (CRM_ENTITY_ORGANISATION, "owner_id",
                                                f->other->user_id, "team_id", f->team_b, NULL));
  g_assert_cmpint (moved->status, ==, CRM_MUTATION_APPLIED);
  g_assert_nonnull (huge);
  g_assert_nonnull (link);

  /* Both ways the server writes a row: from the JSON PostgreSQL keeps ("wire", migration
   * 0015), and from the columns for a row it could not spell (a tag that needs an
   * escape). */
  g_assert_cmpint (store_test_count (f->conn, "SELECT count (*) FROM organisations"
                                              " WHERE wire IS NULL", NULL), >=, 1);
  g_assert_cmpint (store_test_count (f->conn, "SELECT count (*) FROM organisations"
                                              " WHERE wire IS NOT NULL", NULL), >=, 1);
  for (guint a = 0; a < G_N_ELEMENTS (actors); a++)
    for (guint limit = 1; limit <= 1000; limit = limit == 1 ? 3 : 1000)
      {
        compared += assert_same_bytes (f->conn, actors[a], limit);
        if (limit == 1000)
          break;
      }
  /* Rows of each kind, revokes and the conflict went through both writers. */
  g_assert_cmpuint (compared, >=, 30);
}

/* A page of no rows (a window the actor sees nothing of) is the same too. */
static void
test_same_bytes_empty (StoreFixture  *f,
                       gconstpointer  data)
{
  g_autofree char *id = store_test_create (f->conn, f->other, org ("Équipe B seulement"));

  g_assert_nonnull (id);
  g_assert_cmpuint (assert_same_bytes (f->conn, f->user, 10), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sync/pull-json/same-bytes-as-records", StoreFixture, NULL, store_fixture_setup,
              test_same_bytes, store_fixture_teardown);
  g_test_add ("/sync/pull-json/same-bytes-empty-window", StoreFixture, NULL,
              store_fixture_setup, test_same_bytes_empty, store_fixture_teardown);
  status = g_test_run ();
  store_test_shutdown ();
  return status;
}

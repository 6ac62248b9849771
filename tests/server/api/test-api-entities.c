/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-api-entities"

#include "config.h"

#include <string.h>

#include "api-test-util.h"

/* CRUD of every entity, ETags, PATCH merge and conflict, lists, hostile input. */

static ApiFixture fixture;
static char *admin;     /* access token */
static char *admin_id;

static char *
create (const char *collection,
        const char *body)
{
  g_autofree char *path = g_strconcat ("/api/v1/", collection, NULL);
  g_autofree char *prefix = NULL;
  g_auto (Reply) reply = { 0 };

  api_request (&fixture, "POST", path, admin, body, &reply, NULL);
  if (reply.status != 201)
    g_test_message ("%s : %.*s", collection, (int) g_bytes_get_size (reply.body),
                    (const char *) g_bytes_get_data (reply.body, NULL));
  g_assert_cmpuint (reply.status, ==, 201);
  g_assert_nonnull (reply.etag);
  prefix = g_strconcat (path, "/", reply_string (&reply, "id"), NULL);
  g_assert_cmpstr (reply.location, ==, prefix);
  g_assert_cmpint (json_object_get_int_member (reply.json, "version"), >, 0);
  g_assert_false (json_object_get_boolean_member (reply.json, "deleted"));
  return g_strdup (reply_string (&reply, "id"));
}

/* Create, get, PATCH, DELETE, GET (tombstone), restore: one entity's whole life. */
static void
check_lifecycle (const char *collection,
                 const char *create_body,
                 const char *patch_body,
                 const char *patched_field)
{
  g_autofree char *id = create (collection, create_body);
  g_autofree char *path = g_strdup_printf ("/api/v1/%s/%s", collection, id);
  g_autofree char *restore = g_strconcat (path, "/restore", NULL);
  g_autofree char *etag = NULL;
  g_auto (Reply) reply = { 0 };

  api_request (&fixture, "GET", path, admin, NULL, &reply, NULL);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_nonnull (reply.etag);
  etag = g_strdup (reply.etag);

  api_request (&fixture, "PATCH", path, admin, patch_body, &reply, "If-Match", etag, NULL);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_true (json_object_has_member (reply.json, patched_field));
  g_assert_cmpstr (reply.etag, !=, etag);

  api_request (&fixture, "DELETE", path, admin, NULL, &reply, NULL);
  g_assert_cmpuint (reply.status, ==, 204);
  api_request (&fixture, "GET", path, admin, NULL, &reply, NULL);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_true (json_object_get_boolean_member (reply.json, "deleted"));
  api_request (&fixture, "POST", restore, admin, NULL, &reply, NULL);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_false (json_object_get_boolean_member (reply.json, "deleted"));
}

static void
test_crud_every_entity (void)
{
  g_autofree char *org = create ("organisations", "{\"name\": \"Société Générale AM\"}");
  g_autofree char *person = create ("people", "{\"first_name\": \"Émile\", \"last_name\": "
                                              "\"Zola\"}");
  g_autofree char *body = NULL;

  check_lifecycle ("organisations", "{\"name\": \"Natixis\", \"type\": \"fournisseur\"}",
                   "{\"city\": \"Paris\"}", "city");
  check_lifecycle ("people", "{\"last_name\": \"Curie\"}", "{\"job_title\": \"Gérante\"}",
                   "job_title");
  body = g_strdup_printf ("{\"person_id\": \"%s\", \"organisation_id\": \"%s\"}", person, org);
  check_lifecycle ("links", body, "{\"role\": \"Directrice\"}", "role");
  g_free (body);
  body = g_strdup_printf ("{\"organisation_id\": \"%s\", \"number\": \"M-2026-001\", "
                          "\"status\": \"draft\"}", org);
  check_lifecycle ("mandats", body, "{\"status\": \"signed\"}", "status");
  g_free (body);
  body = g_strdup_printf ("{\"type\": \"call\", \"occurred_at\": \"2026-03-01T09:30:00Z\", "
                          "\"subject\": \"Premier appel\", \"organisation_id\": \"%s\"}", org);
  check_lifecycle ("interactions", body, "{\"outcome\": \"Rappeler\"}", "outcome");
  check_lifecycle ("tasks", "{\"title\": \"Envoyer la plaquette\", \"priority\": \"high\"}",
                   "{\"status\": \"done\"}", "status");
  g_free (body);
  body = g_strdup_printf ("{\"user_id\": \"%s\", \"type\": \"mention\", \"title\": \"Bonjour\"}",
                          admin_id);
  check_lifecycle ("notifications", body, "{\"is_read\": true}", "is_read");
}

static void
test_create_with_client_id (void)
{
  g_auto (Reply) reply = { 0 };
  const char *id = "01900000-0000-7000-8000-000000000001";
  g_autofree char *body = g_strdup_printf ("{\"id\": \"%s\", \"name\": \"Choisie\"}", id);

  api_request (&fixture, "POST", "/api/v1/organisations", admin, body, &reply, NULL);
  g_assert_cmpuint (reply.status, ==, 201);
  g_assert_cmpstr (reply_string (&reply, "id"), ==, id);
  /* The same id again is a conflict, not a second row. */
  api_request (&fixture, "POST", "/api/v1/organisations", admin, body, &reply, NULL);
  g_assert_cmpuint (reply.status, >=, 400);
  g_assert_cmpuint (reply.status, <, 500);
}

static void
test_etag_and_304 (void)
{
  g_autofree char *id = create ("organisations", "{\"name\": \"Etag SA\"}");
  g_autofree char *path = g_strconcat ("/api/v1/organisations/", id, NULL);
  g_autofree char *etag = NULL;
  g_autofree char *list_etag = NULL;
  g_auto (Reply) reply = { 0 };

  api_request (&fixture, "GET", path, admin, NULL, &reply, NULL);
  etag = g_strdup (reply.etag);
  g_assert_cmpuint (strlen (etag), >=, 3);
  api_request (&fixture, "GET", path, admin, NULL, &reply, "If-None-Match", etag, NULL);
  g_assert_cmpuint (reply.status, ==, 304);
  g_assert_cmpuint (g_bytes_get_size (reply.body), ==, 0);
  api_request (&fixture, "GET", path, admin, NULL, &reply, "If-None-Match", "\"999999\"", NULL);
  g_assert_cmpuint (reply.status, ==, 200);

  api_request (&fixture, "GET", "/api/v1/organisations?limit=5", admin, NULL, &reply, NULL);
  g_assert_cmpuint (reply.status, ==, 200);
  list_etag = g_strdup (reply.etag);
  api_request (&fixture, "GET", "/api/v1/organisations?limit=5", admin, NULL, &reply,
               "If-None-Match", list_etag, NULL);
  g_assert_cmpuint (reply.status, ==, 304);

  /* A change of a row on the page changes the page's ETag: the old one gets the page. */
  {
    g_autofree char *first_path = NULL;
    g_autofree char *first_etag = NULL;

    api_request (&fixture, "GET", "/api/v1/organisations?limit=5", admin, NULL, &reply, NULL);
    first_path = g_strconcat ("/api/v1/organisations/",
                              json_object_get_string_member (
                                json_array_get_object_element (
                                  json_object_get_array_member (reply.json, "items"), 0), "id"),
                              NULL);
    api_request (&fixture, "GET", first_path, admin, NULL, &reply, NULL);
    first_etag = g_strdup (reply.etag);
    api_request (&fixture, "PATCH", first_path, admin, "{\"city\": \"Nantes\"}", &reply,
                 "If-Match", first_etag, NULL);
    g_assert_cmpuint (reply.status, ==, 200);
    api_request (&fixture, "GET", "/api/v1/organisations?limit=5", admin, NULL, &reply,
                 "If-None-Match", list_etag, NULL);
    g_assert_cmpuint (reply.status, ==, 200);
    g_assert_cmpstr (reply.etag, !=, list_etag);
  }
}

static void
test_patch_needs_if_match (void)
{
  g_autofree char *id = create ("organisations", "{\"name\": \"Sans version\"}");
  g_autofree char *path = g_strconcat ("/api/v1/organisations/", id, NULL);
  g_auto (Reply) reply = { 0 };

  api_request (&fixture, "PATCH", path, admin, "{\"city\": \"Lyon\"}", &reply, NULL);
  assert_problem (&reply, 428);
  api_request (&fixture, "PATCH", path, admin, "{\"city\": \"Lyon\"}", &reply, "If-Match",
               "\"abc\"", NULL);
  assert_problem (&reply, 412);
  api_request (&fixture, "GET", path, admin, NULL, &reply, NULL);
  g_assert_true (json_object_get_null_member (reply.json, "city"));
}

/* DESIGN.md §9: a stale If-Match merges different fields, and refuses the same field. */
static void
test_patch_stale_merges_or_conflicts (void)
{
  g_autofree char *id = create ("organisations", "{\"name\": \"Fusion\", \"city\": \"Paris\"}");
  g_autofree char *path = g_strconcat ("/api/v1/organisations/", id, NULL);
  g_autofree char *base = NULL;
  g_auto (Reply) reply = { 0 };
  JsonObject *conflict;
  const char *detail;

  api_request (&fixture, "GET", path, admin, NULL, &reply, NULL);
  base = g_strdup (reply.etag);
  api_request (&fixture, "PATCH", path, admin, "{\"city\": \"Lyon\"}", &reply, "If-Match", base,
               NULL);
  g_assert_cmpuint (reply.status, ==, 200);

  /* Another field, same stale base: merged, both changes kept. */
  api_request (&fixture, "PATCH", path, admin, "{\"pipeline_stage\": \"won\"}", &reply,
               "If-Match", base, NULL);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_cmpstr (reply_string (&reply, "city"), ==, "Lyon");
  g_assert_cmpstr (reply_string (&reply, "pipeline_stage"), ==, "won");

  /* The same field: 409 naming it and both values; the stored value stays. */
  api_request (&fixture, "PATCH", path, admin, "{\"city\": \"Nice\"}", &reply, "If-Match", base,
               NULL);
  assert_problem (&reply, 409);
  conflict = json_array_get_object_element (json_object_get_array_member (reply.json,
                                                                          "conflicts"), 0);
  g_assert_cmpstr (json_object_get_string_member (conflict, "field"), ==, "city");
  g_assert_cmpstr (json_object_get_string_member (conflict, "mine"), ==, "Nice");
  g_assert_cmpstr (json_object_get_string_member (conflict, "theirs"), ==, "Lyon");
  detail = reply_string (&reply, "detail");
  g_assert_nonnull (strstr (detail, "city"));
  g_assert_nonnull (strstr (detail, "Nice"));
  g_assert_nonnull (strstr (detail, "Lyon"));
  api_request (&fixture, "GET", path, admin, NULL, &reply, NULL);
  g_assert_cmpstr (reply_string (&reply, "city"), ==, "Lyon");
}

static void
test_list_pages_and_filters (void)
{
  g_autofree char *next = NULL;
  g_auto (Reply) reply = { 0 };
  guint seen = 0;

  for (guint i = 0; i < 7; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"name\": \"Page %u\", \"city\": \"Brest\", "
                                               "\"aum_eur\": %u}", i, i * 1000);

      g_free (create ("organisations", body));
    }
  api_request (&fixture, "GET", "/api/v1/organisations?city=Brest&limit=3&sort=-aum_eur", admin,
               NULL, &reply, NULL);
  g_assert_cmpuint (reply.status, ==, 200);
  for (;;)
    {
      JsonArray *items = json_object_get_array_member (reply.json, "items");
      g_autofree char *path = NULL;

      seen += json_array_get_length (items);
      if (json_object_get_null_member (reply.json, "next"))
        break;
      g_free (next);
      next = g_uri_escape_string (json_object_get_string_member (reply.json, "next"), NULL,
                                  FALSE);
      path = g_strdup_printf ("/api/v1/organisations?city=Brest&limit=3&sort=-aum_eur&after=%s",
                              next);
      api_request (&fixture, "GET", path, admin, NULL, &reply, NULL);
      g_assert_cmpuint (reply.status, ==, 200);
    }
  g_assert_cmpuint (seen, ==, 7);

  api_request (&fixture, "GET", "/api/v1/organisations?city=Brest&aum_eur.gte=5000", admin, NULL,
               &reply, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply.json, "items")),
                    ==, 2);
}

static void
test_body_over_limit_413 (void)
{
  gsize size = 3 * 1024 * 1024;
  g_autofree char *big = g_malloc (size + 32);
  gint64 before = api_fixture_count (&fixture, "SELECT count (*) FROM organisations");
  g_auto (Reply) reply = { 0 };

  strcpy (big, "{\"name\": \"");
  memset (big + 10, 'a', size);
  strcpy (big + 10 + size, "\"}");
  api_request (&fixture, "POST", "/api/v1/organisations", admin, big, &reply, NULL);
  assert_problem (&reply, 413);
  g_assert_cmpint (api_fixture_count (&fixture, "SELECT count (*) FROM organisations"), ==,
                   before);
}

/* At least forty kinds of bad input: each a 4xx problem+json, none writes anything. */
static void
test_hostile_requests (void)
{
  g_autofree char *id = create ("organisations", "{\"name\": \"Cible\"}");
  g_autofree char *item = g_strconcat ("/api/v1/organisations/", id, NULL);
  const struct
  {
    const char *method;
    const char *path;
    const char *body;
    const char *if_match;
  } cases[] = {
    { "POST", "/api/v1/organisations", "{", NULL },
    { "POST", "/api/v1/organisations", "{\"name\": \"x\",}", NULL },
    { "POST", "/api/v1/organisations", "[1, 2]", NULL },
    { "POST", "/api/v1/organisations", "\"texte\"", NULL },
    { "POST", "/api/v1/organisations", "{\"name\": 12}", NULL },
    { "POST", "/api/v1/organisations", "{\"name\": null}", NULL },
    { "POST", "/api/v1/organisations", "{}", NULL },
    { "POST", "/api/v1/organisations", "{\"name\": \"a\", \"type\": \"banque\"}", NULL },
    { "POST", "/api/v1/organisations", "{\"name\": \"a\", \"pipeline_stage\": 3}", NULL },
    { "POST", "/api/v1/organisations", "{\"name\": \"a\", \"aum_eur\": \"beaucoup\"}", NULL },
    { "POST", "/api/v1/organisations", "{\"name\": \"a\", \"country\": \"France\"}", NULL },
    { "POST", "/api/v1/organisations", "{\"name\": \"a\", \"email\": \"pas-un-email\"}", NULL },
    { "POST", "/api/v1/organisations", "{\"name\": \"a\", \"website\": \"javascript:alert(1)\"}",
      NULL },
    { "POST", "/api/v1/organisations", "{\"name\": \"a\", \"tags\": \"un\"}", NULL },
    { "POST", "/api/v1/organisations", "{\"name\": \"a\", \"is_active\": \"oui\"}", NULL },
    { "POST", "/api/v1/organisations", "{\"name\": \"a\", \"owner_id\": \"pas-un-uuid\"}", NULL },
    { "POST", "/api/v1/organisations", "{\"name\": \"a\", \"inconnu\": 1}", NULL },
    { "POST", "/api/v1/organisations", "{\"id\": \"'; DROP TABLE organisations; --\", "
                                       "\"name\": \"a\"}", NULL },
    { "POST", "/api/v1/organisations", "{\"name\": \"a\", \"name\": {\"$gt\": \"\"}}", NULL },
    { "POST", "/api/v1/organisations", "{\"name\": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
                                       "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}", NULL },
    { "POST", "/api/v1/organisations", "{\"name\": \"\\ud800\"}", NULL },
    { "POST", "/api/v1/organisations", "{\"name\": \"a\", \"aum_eur\": 1e999}", NULL },
    { "POST", "/api/v1/people", "{\"job_title\": \"Sans nom\"}", NULL },
    { "POST", "/api/v1/links", "{\"person_id\": \"01900000-0000-7000-8000-00000000dead\", "
                               "\"organisation_id\": \"01900000-0000-7000-8000-00000000beef\"}",
      NULL },
    { "POST", "/api/v1/mandats", "{\"number\": \"pas-un-numero\"}", NULL },
    { "POST", "/api/v1/interactions", "{\"type\": \"pigeon\", \"subject\": \"a\", "
                                      "\"occurred_at\": \"2026-01-01T00:00:00Z\"}", NULL },
    { "POST", "/api/v1/interactions", "{\"type\": \"call\", \"subject\": \"a\", "
                                      "\"occurred_at\": \"hier\"}", NULL },
    { "POST", "/api/v1/tasks", "{\"title\": \"a\", \"priority\": \"critique\"}", NULL },
    { "POST", "/api/v1/tasks", "{\"title\": \"a\", \"due_at\": \"2026-02-30T00:00:00Z\"}", NULL },
    { "PATCH", NULL, "{\"name\": 42}", "\"1\"" },
    { "PATCH", NULL, "{\"name\": \"\"}", "\"1\"" },
    { "PATCH", NULL, "not json", "\"1\"" },
    { "PATCH", NULL, "{\"city\": \"x\"}", "\"-3\"" },
    { "PATCH", NULL, "{\"city\": \"x\"}", "\"1 OR 1=1\"" },
    { "PATCH", "/api/v1/organisations/pas-un-uuid", "{\"city\": \"x\"}", "\"1\"" },
    { "GET", "/api/v1/organisations/1%27%20OR%20%271%27=%271", NULL, NULL },
    { "GET", "/api/v1/organisations?limit=100000", NULL, NULL },
    { "GET", "/api/v1/organisations?limit=-1", NULL, NULL },
    { "GET", "/api/v1/organisations?limit=abc", NULL, NULL },
    { "GET", "/api/v1/organisations?after=bm90LWEtY3Vyc29y", NULL, NULL },
    { "GET", "/api/v1/organisations?after=%27%3B%20DROP%20TABLE%20users%3B", NULL, NULL },
    { "GET", "/api/v1/organisations?sort=password_hash", NULL, NULL },
    { "GET", "/api/v1/organisations?sort=name%3B%20DROP%20TABLE%20users", NULL, NULL },
    { "GET", "/api/v1/organisations?colonne=1", NULL, NULL },
    { "GET", "/api/v1/organisations?name.like=a", NULL, NULL },
    { "GET", "/api/v1/organisations?aum_eur.gte=beaucoup", NULL, NULL },
    { "GET", "/api/v1/organisations?pipeline_stage=inconnu", NULL, NULL },
    { "GET", "/api/v1/organisations?created_at.gt=demain", NULL, NULL },
    { "GET", "/api/v1/nowhere", NULL, NULL },
    { "PUT", "/api/v1/organisations", "{}", NULL },
    { "DELETE", "/api/v1/organisations", NULL, NULL },
    { "DELETE", "/api/v1/organisations/01900000-0000-7000-8000-0000000000aa", NULL, NULL },
    { "POST", "/api/v1/organisations/01900000-0000-7000-8000-0000000000aa/restore", NULL, NULL },
    { "GET", "/api/v1/search", NULL, NULL },
    { "GET", "/api/v1/search?q=a&limit=0", NULL, NULL },
    { "GET", "/api/v1/search?q=a&entities=users", NULL, NULL },
    { "POST", "/api/v1/users", "{\"email\": \"x@y.fr\", \"display_name\": \"X\", "
                               "\"password\": \"123\", \"role\": \"admin\"}", NULL },
    { "POST", "/api/v1/users", "{\"email\": \"x@y.fr\", \"display_name\": \"X\", "
                               "\"password\": \"Tournesol-Marine-47\", \"role\": \"dieu\"}", NULL },
    { "POST", "/api/v1/teams", "{\"name\": 5}", NULL },
    { "PATCH", "/api/v1/roles/admin", "{\"permissions\": {\"roles\": {\"manage\": false}}}",
      NULL },
    { "PATCH", "/api/v1/roles/viewer", "{\"permissions\": {\"fusées\": {\"read\": true}}}", NULL },
    { "PATCH", "/api/v1/roles/viewer", "{\"scope\": \"univers\"}", NULL },
    { "PATCH", "/api/v1/roles/empereur", "{}", NULL },
  };
  gint64 organisations = api_fixture_count (&fixture, "SELECT count (*) FROM organisations");
  gint64 changes = api_fixture_count (&fixture, "SELECT max (version) FROM organisations");
  gint64 users = api_fixture_count (&fixture, "SELECT count (*) FROM users");
  gint64 others = api_fixture_count (&fixture, "SELECT (SELECT count (*) FROM people)"
                                               " + (SELECT count (*) FROM links)"
                                               " + (SELECT count (*) FROM mandats)"
                                               " + (SELECT count (*) FROM interactions)"
                                               " + (SELECT count (*) FROM tasks)"
                                               " + (SELECT count (*) FROM teams)");

  g_assert_cmpuint (G_N_ELEMENTS (cases), >=, 40);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto (Reply) reply = { 0 };

      g_test_message ("cas %u : %s %s %s", i, cases[i].method,
                      cases[i].path != NULL ? cases[i].path : item,
                      cases[i].body != NULL ? cases[i].body : "");
      api_request (&fixture, cases[i].method, cases[i].path != NULL ? cases[i].path : item,
                   admin, cases[i].body, &reply, cases[i].if_match != NULL ? "If-Match" : NULL,
                   cases[i].if_match, NULL);
      g_assert_cmpuint (reply.status, >=, 400);
      g_assert_cmpuint (reply.status, <, 500);
      assert_problem (&reply, reply.status);
    }
  g_assert_cmpint (api_fixture_count (&fixture, "SELECT count (*) FROM organisations"), ==,
                   organisations);
  g_assert_cmpint (api_fixture_count (&fixture, "SELECT max (version) FROM organisations"), ==,
                   changes);
  g_assert_cmpint (api_fixture_count (&fixture, "SELECT count (*) FROM users"), ==, users);
  g_assert_cmpint (api_fixture_count (&fixture, "SELECT (SELECT count (*) FROM people)"
                                                " + (SELECT count (*) FROM links)"
                                                " + (SELECT count (*) FROM mandats)"
                                                " + (SELECT count (*) FROM interactions)"
                                                " + (SELECT count (*) FROM tasks)"
                                                " + (SELECT count (*) FROM teams)"),
                   ==, others);
}

static void
test_wrong_media_type_415 (void)
{
  g_auto (Reply) reply = { 0 };
  g_autofree char *url = g_strconcat (crm_test_server_get_url (fixture.server),
                                      "/api/v1/organisations", NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr (GBytes) body = g_bytes_new_static ("name=x", 6);
  g_autofree char *auth = g_strconcat ("Bearer ", admin, NULL);
  g_autoptr (GBytes) answer = NULL;
  g_autoptr (GError) error = NULL;

  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", body);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  answer = soup_session_send_and_read (fixture.session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 415);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  api_fixture_start (&fixture, NULL);
  admin_id = api_create_user (&fixture, "root@alforis.fr", "admin", NULL);
  admin = api_login (&fixture, "root@alforis.fr", NULL);

  g_test_add_func ("/api/entities/crud/every-entity", test_crud_every_entity);
  g_test_add_func ("/api/entities/create/client-id", test_create_with_client_id);
  g_test_add_func ("/api/entities/get/etag-304", test_etag_and_304);
  g_test_add_func ("/api/entities/patch/if-match-428", test_patch_needs_if_match);
  g_test_add_func ("/api/entities/patch/stale-merge-409", test_patch_stale_merges_or_conflicts);
  g_test_add_func ("/api/entities/list/pages-filters", test_list_pages_and_filters);
  g_test_add_func ("/api/entities/body/over-limit-413", test_body_over_limit_413);
  g_test_add_func ("/api/entities/body/media-type-415", test_wrong_media_type_415);
  g_test_add_func ("/api/entities/hostile/4xx-nothing-written", test_hostile_requests);
  status = g_test_run ();
  g_free (admin);
  g_free (admin_id);
  api_fixture_stop (&fixture);
  return status;
}

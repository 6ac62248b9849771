/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-api-rbac"

#include "config.h"

#include <string.h>

#include "api-test-util.h"
#include "crm-permissions.h"
#include "crm-schema.h"

/*
 * Every cell of role × resource × action that the REST API exposes, checked through
 * HTTPS against the default matrix (a generated table test), then scope filtering:
 * a user never gets, lists or finds another user's rows.
 */

static ApiFixture fixture;
static char *team_a, *team_b;
static char *admin;
static struct
{
  const char *email;
  CrmRole     role;
  char       *id;
  char       *token;
} people[] = {
  { "admin@alforis.fr", CRM_ROLE_ADMIN, NULL, NULL },
  { "manager@alforis.fr", CRM_ROLE_MANAGER, NULL, NULL },
  { "user1@alforis.fr", CRM_ROLE_USER, NULL, NULL },
  { "user2@alforis.fr", CRM_ROLE_USER, NULL, NULL },
  { "viewer@alforis.fr", CRM_ROLE_VIEWER, NULL, NULL },
  { "other-manager@alforis.fr", CRM_ROLE_MANAGER, NULL, NULL },  /* team B */
};
enum { ADMIN, MANAGER, USER1, USER2, VIEWER, OTHER_MANAGER };

static char *organisation;  /* a row every entity may point at, admin's */
static guint counter;

/* A minimal valid body for @kind, with @extra members ("" or ", \"owner_id\": …"). */
static char *
body_for (CrmEntityKind kind,
          const char   *extra)
{
  counter++;
  if (kind == CRM_ENTITY_ORGANISATION)
    return g_strdup_printf ("{\"name\": \"Org %u\"%s}", counter, extra);
  if (kind == CRM_ENTITY_PERSON)
    return g_strdup_printf ("{\"last_name\": \"Nom %u\"%s}", counter, extra);
  if (kind == CRM_ENTITY_MANDAT)
    return g_strdup_printf ("{\"organisation_id\": \"%s\", \"number\": \"M-2026-%03u\"%s}",
                            organisation, counter, extra);
  if (kind == CRM_ENTITY_INTERACTION)
    return g_strdup_printf ("{\"type\": \"note\", \"subject\": \"Note %u\", \"occurred_at\": "
                            "\"2026-03-01T09:30:00Z\"%s}", counter, extra);
  g_assert_true (kind == CRM_ENTITY_TASK);
  return g_strdup_printf ("{\"title\": \"Tâche %u\"%s}", counter, extra);
}

/* A row the admin makes for @owner in team A: visible to every scope that may see it. */
static char *
row_for (CrmEntityKind kind,
         guint         owner)
{
  const CrmEntityInfo *entity = crm_entity_get (kind);
  g_autofree char *extra = g_strdup_printf (", \"owner_id\": \"%s\", \"team_id\": \"%s\"",
                                            people[owner].id, team_a);
  g_autofree char *body = body_for (kind, extra);
  g_autofree char *path = g_strconcat ("/api/v1/", entity->collection, NULL);
  g_auto (Reply) reply = { 0 };

  api_request (&fixture, "POST", path, admin, body, &reply, NULL);
  g_assert_cmpuint (reply.status, ==, 201);
  return g_strdup (reply_string (&reply, "id"));
}

static void
expect (guint       got,
        guint       allowed_status,
        gboolean    allowed,
        const char *what)
{
  if ((allowed && got != allowed_status) || (!allowed && got != 403))
    g_test_message ("%s : reçu %u, attendu %u", what, got, allowed ? allowed_status : 403);
  g_assert_cmpuint (got, ==, allowed ? allowed_status : 403);
}

static void
test_matrix (void)
{
  static const CrmEntityKind kinds[] = {
    CRM_ENTITY_ORGANISATION, CRM_ENTITY_PERSON, CRM_ENTITY_MANDAT, CRM_ENTITY_INTERACTION,
    CRM_ENTITY_TASK,
  };
  CrmPermissionMatrix matrix;
  guint cells = 0;

  crm_permission_matrix_init_default (&matrix);
  for (guint p = 0; p <= VIEWER; p++)
    for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
      {
        const CrmEntityInfo *entity = crm_entity_get (kinds[k]);
        CrmResource resource;
        g_autofree char *collection = g_strconcat ("/api/v1/", entity->collection, NULL);
        g_autofree char *target = row_for (kinds[k], p == VIEWER ? USER1 : p);
        g_autofree char *item = g_strdup_printf ("%s/%s", collection, target);
        g_autofree char *body = body_for (kinds[k], "");
        g_autofree char *what = NULL;
        g_auto (Reply) reply = { 0 };
        CrmRole role = people[p].role;

        g_assert_true (crm_resource_from_string (entity->resource, &resource));
        what = g_strdup_printf ("%s %s", crm_role_to_string (role), entity->collection);

        api_request (&fixture, "GET", collection, people[p].token, NULL, &reply, NULL);
        expect (reply.status, 200, crm_permission_allows (&matrix, role, resource,
                                                          CRM_ACTION_READ), what);
        api_request (&fixture, "POST", collection, people[p].token, body, &reply, NULL);
        expect (reply.status, 201, crm_permission_allows (&matrix, role, resource,
                                                          CRM_ACTION_CREATE), what);
        api_request (&fixture, "GET", item, people[p].token, NULL, &reply, NULL);
        expect (reply.status, 200, crm_permission_allows (&matrix, role, resource,
                                                          CRM_ACTION_READ), what);
        api_request (&fixture, "PATCH", item, people[p].token, "{}", &reply, "If-Match",
                     reply.etag != NULL ? reply.etag : "\"1\"", NULL);
        expect (reply.status, 200, crm_permission_allows (&matrix, role, resource,
                                                          CRM_ACTION_UPDATE), what);
        api_request (&fixture, "DELETE", item, people[p].token, NULL, &reply, NULL);
        expect (reply.status, 204, crm_permission_allows (&matrix, role, resource,
                                                          CRM_ACTION_DELETE), what);
        if (reply.status == 403)
          assert_problem (&reply, 403);
        cells += 4;
      }

  /* The admin areas: users, teams, roles. */
  for (guint p = 0; p <= VIEWER; p++)
    {
      CrmRole role = people[p].role;
      g_autofree char *team = g_strdup_printf ("{\"name\": \"Équipe %u\"}", ++counter);
      g_auto (Reply) reply = { 0 };

      /* An admin's edit of the matrix bumps every epoch of the role: log in afresh. */
      g_free (people[p].token);
      people[p].token = api_login (&fixture, people[p].email, NULL);
      api_request (&fixture, "GET", "/api/v1/users", people[p].token, NULL, &reply, NULL);
      expect (reply.status, 200, crm_permission_allows (&matrix, role, CRM_RESOURCE_USERS,
                                                        CRM_ACTION_READ), "users read");
      api_request (&fixture, "GET", "/api/v1/teams", people[p].token, NULL, &reply, NULL);
      expect (reply.status, 200, crm_permission_allows (&matrix, role, CRM_RESOURCE_TEAMS,
                                                        CRM_ACTION_READ), "teams read");
      api_request (&fixture, "POST", "/api/v1/teams", people[p].token, team, &reply, NULL);
      expect (reply.status, 201, crm_permission_allows (&matrix, role, CRM_RESOURCE_TEAMS,
                                                        CRM_ACTION_CREATE), "teams create");
      api_request (&fixture, "GET", "/api/v1/roles", people[p].token, NULL, &reply, NULL);
      expect (reply.status, 200, crm_permission_allows (&matrix, role, CRM_RESOURCE_ROLES,
                                                        CRM_ACTION_READ), "roles read");
      api_request (&fixture, "PATCH", "/api/v1/roles/viewer", people[p].token,
                   "{\"permissions\": {\"reports\": {\"read\": true}}}", &reply, NULL);
      expect (reply.status, 200, crm_permission_allows (&matrix, role, CRM_RESOURCE_ROLES,
                                                        CRM_ACTION_UPDATE), "roles update");
      cells += 5;
    }
  g_test_message ("%u cellules vérifiées", cells);
}

static gboolean
list_contains (const char *token,
               const char *path,
               const char *id)
{
  g_auto (Reply) reply = { 0 };
  JsonArray *items;

  api_request (&fixture, "GET", path, token, NULL, &reply, NULL);
  g_assert_cmpuint (reply.status, ==, 200);
  items = json_object_get_array_member (reply.json, "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (items, i), "id"),
                   id) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
search_finds (const char *token,
              const char *text,
              const char *id)
{
  g_autofree char *escaped = g_uri_escape_string (text, NULL, FALSE);
  g_autofree char *path = g_strconcat ("/api/v1/search?q=", escaped, NULL);
  g_auto (Reply) reply = { 0 };
  JsonObject *groups;
  JsonArray *hits;

  api_request (&fixture, "GET", path, token, NULL, &reply, NULL);
  g_assert_cmpuint (reply.status, ==, 200);
  groups = json_object_get_object_member (reply.json, "groups");
  if (!json_object_has_member (groups, "organisations"))
    return FALSE;
  hits = json_object_get_array_member (groups, "organisations");
  for (guint i = 0; i < json_array_get_length (hits); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (hits, i), "id"),
                   id) == 0)
      return TRUE;
  return FALSE;
}

static void
test_scopes (void)
{
  g_autofree char *body = g_strdup_printf ("{\"name\": \"Zéphyrine Capital\", \"owner_id\": "
                                           "\"%s\", \"team_id\": \"%s\"}",
                                           people[USER1].id, team_a);
  g_autofree char *id = NULL;
  g_autofree char *item = NULL;
  g_auto (Reply) reply = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    {
      g_free (people[i].token);
      people[i].token = api_login (&fixture, people[i].email, NULL);
    }
  admin = people[ADMIN].token;
  api_request (&fixture, "POST", "/api/v1/organisations", admin, body, &reply, NULL);
  g_assert_cmpuint (reply.status, ==, 201);
  id = g_strdup (reply_string (&reply, "id"));
  item = g_strconcat ("/api/v1/organisations/", id, NULL);

  /* user1 owns it: get, list, search (accents ignored, a typo forgiven). */
  api_request (&fixture, "GET", item, people[USER1].token, NULL, &reply, NULL);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_true (list_contains (people[USER1].token, "/api/v1/organisations?limit=500", id));
  g_assert_true (search_finds (people[USER1].token, "zephyrine", id));
  g_assert_true (search_finds (people[USER1].token, "Zéphirine", id));

  /* user2, same team, scope "own": never sees it, and 404 rather than 403. */
  api_request (&fixture, "GET", item, people[USER2].token, NULL, &reply, NULL);
  assert_problem (&reply, 404);
  api_request (&fixture, "PATCH", item, people[USER2].token, "{\"city\": \"Lyon\"}", &reply,
               "If-Match", "\"1\"", NULL);
  assert_problem (&reply, 404);
  api_request (&fixture, "DELETE", item, people[USER2].token, NULL, &reply, NULL);
  assert_problem (&reply, 404);
  g_assert_false (list_contains (people[USER2].token, "/api/v1/organisations?limit=500", id));
  g_assert_false (search_finds (people[USER2].token, "zephyrine", id));

  /* Team scope: the manager of team A sees it, the manager of team B does not. */
  api_request (&fixture, "GET", item, people[MANAGER].token, NULL, &reply, NULL);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_true (search_finds (people[MANAGER].token, "zephyrine", id));
  api_request (&fixture, "GET", item, people[OTHER_MANAGER].token, NULL, &reply, NULL);
  assert_problem (&reply, 404);
  g_assert_false (list_contains (people[OTHER_MANAGER].token, "/api/v1/organisations?limit=500",
                                 id));
  g_assert_false (search_finds (people[OTHER_MANAGER].token, "zephyrine", id));

  /* The viewer reads its team's rows and writes nothing. */
  api_request (&fixture, "GET", item, people[VIEWER].token, NULL, &reply, NULL);
  g_assert_cmpuint (reply.status, ==, 200);
  api_request (&fixture, "PATCH", item, people[VIEWER].token, "{\"city\": \"Lyon\"}", &reply,
               "If-Match", reply.etag, NULL);
  assert_problem (&reply, 403);
}

/* /me says what the app may show; nothing there is a secret. */
static void
test_me_permissions (void)
{
  g_auto (Reply) reply = { 0 };
  JsonObject *permissions;
  JsonArray *organisations;

  g_free (people[VIEWER].token);
  people[VIEWER].token = api_login (&fixture, people[VIEWER].email, NULL);
  api_request (&fixture, "GET", "/api/v1/me", people[VIEWER].token, NULL, &reply, NULL);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_cmpstr (reply_string (&reply, "role"), ==, "viewer");
  g_assert_cmpstr (reply_string (&reply, "team_id"), ==, team_a);
  g_assert_cmpstr (reply_string (&reply, "scope"), ==, "team");
  permissions = json_object_get_object_member (reply.json, "permissions");
  organisations = json_object_get_array_member (permissions, "organisations");
  g_assert_cmpuint (json_array_get_length (organisations), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (organisations, 0), ==, "read");
  g_assert_null (strstr (g_bytes_get_data (reply.body, NULL), "password"));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *org_body = NULL;
  g_auto (Reply) reply = { 0 };
  int status;

  g_test_init (&argc, &argv, NULL);
  api_fixture_start (&fixture, NULL);
  team_a = api_create_team (&fixture, "Équipe A");
  team_b = api_create_team (&fixture, "Équipe B");
  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    {
      people[i].id = api_create_user (&fixture, people[i].email,
                                      crm_role_to_string (people[i].role),
                                      i == ADMIN ? NULL : i == OTHER_MANAGER ? team_b : team_a);
      people[i].token = api_login (&fixture, people[i].email, NULL);
    }
  admin = people[ADMIN].token;
  org_body = g_strdup_printf ("{\"name\": \"Fournisseur commun\", \"type\": \"fournisseur\", "
                              "\"team_id\": \"%s\"}", team_a);
  api_request (&fixture, "POST", "/api/v1/organisations", admin, org_body, &reply, NULL);
  g_assert_cmpuint (reply.status, ==, 201);
  organisation = g_strdup (reply_string (&reply, "id"));

  g_test_add_func ("/api/rbac/matrix/every-cell", test_matrix);
  g_test_add_func ("/api/rbac/scope/own-team-all", test_scopes);
  g_test_add_func ("/api/rbac/me/permissions", test_me_permissions);
  status = g_test_run ();

  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    {
      g_free (people[i].id);
      g_free (people[i].token);
    }
  g_free (team_a);
  g_free (team_b);
  g_free (organisation);
  api_fixture_stop (&fixture);
  return status;
}

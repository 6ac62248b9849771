/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sync-access"

#include "config.h"

#include <locale.h>

#include "sync-harness.h"

/*
 * Who is signed in, as the status object tells the UI (from GET /api/v1/me), and the
 * engine's generic REST call for the administration pages, against a real server.
 */

static SyncCluster *cluster;
static char *team;
static guint users;

static char *
new_user (CrmRole   role,
          char    **id)
{
  char *email = g_strdup_printf ("a%u-%s@alforis.test", ++users, crm_role_to_string (role));
  g_autofree char *user_id = sync_cluster_add_user (cluster, email, role, team);

  if (id != NULL)
    *id = g_steal_pointer (&user_id);
  return email;
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (*slot == NULL)
    {
      g_main_context_iteration (NULL, TRUE);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
  return *slot;
}

static JsonNode *
call (SyncClient  *client,
      const char  *method,
      const char  *path,
      const char  *body,
      guint       *status,
      GError     **error)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (JsonNode) node = body != NULL ? json_from_string (body, NULL) : NULL;

  crm_sync_engine_call_async (client->engine, method, path, node, NULL, on_done, &result);
  return crm_sync_engine_call_finish (client->engine, wait_result (&result), status, error);
}

static void
on_role (GObject    *object,
         GParamSpec *pspec,
         gpointer    user_data)
{
  *(gboolean *) user_data = TRUE;
}

/* Waits until the status's role is @role (NULL: none); the fetch of /me is async. */
static void
wait_role (SyncClient *client,
           const char *role)
{
  CrmSyncStatus *status = crm_sync_engine_get_status (client->engine);
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (g_strcmp0 (crm_sync_status_get_role (status), role) != 0)
    {
      gboolean notified = FALSE;
      gulong id = g_signal_connect (status, "notify::role", G_CALLBACK (on_role), &notified);

      sync_wait_for (&notified, 200);
      g_signal_handler_disconnect (status, id);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
}

static void
test_viewer_access (void)
{
  g_autofree char *id = NULL;
  g_autofree char *email = new_user (CRM_ROLE_VIEWER, &id);
  g_autoptr (SyncClient) client = sync_client_new (cluster, sync_cluster_url (cluster, 0), email);
  CrmSyncStatus *status = crm_sync_engine_get_status (client->engine);

  /* Known as soon as the sign-in completes. */
  g_assert_cmpstr (crm_sync_status_get_role (status), ==, "viewer");
  g_assert_cmpstr (crm_sync_status_get_user_id (status), ==, id);
  g_assert_true (crm_sync_status_allows (status, CRM_RESOURCE_ORGANISATIONS, CRM_ACTION_READ));
  g_assert_false (crm_sync_status_allows (status, CRM_RESOURCE_ORGANISATIONS,
                                          CRM_ACTION_UPDATE));
  g_assert_false (crm_sync_status_allows (status, CRM_RESOURCE_USERS, CRM_ACTION_MANAGE));
}

static void
test_admin_access (void)
{
  g_autofree char *email = new_user (CRM_ROLE_ADMIN, NULL);
  g_autoptr (SyncClient) client = sync_client_new (cluster, sync_cluster_url (cluster, 0), email);
  CrmSyncStatus *status = crm_sync_engine_get_status (client->engine);

  g_assert_cmpstr (crm_sync_status_get_role (status), ==, "admin");
  g_assert_true (crm_sync_status_allows (status, CRM_RESOURCE_USERS, CRM_ACTION_MANAGE));
  g_assert_true (crm_sync_status_allows (status, CRM_RESOURCE_ORGANISATIONS,
                                         CRM_ACTION_UPDATE));
}

static void
test_restored_session_access (void)
{
  g_autofree char *email = new_user (CRM_ROLE_VIEWER, NULL);
  g_autoptr (SyncClient) client = sync_client_new (cluster, sync_cluster_url (cluster, 0), email);
  g_autoptr (GError) error = NULL;

  /* The app starts again: a new engine, the session from the token store. */
  sync_client_restart (client);
  g_assert_null (crm_sync_status_get_role (crm_sync_engine_get_status (client->engine)));
  g_assert_true (sync_client_sync (client, &error));
  g_assert_no_error (error);
  wait_role (client, "viewer");
}

static void
test_role_change_followed (void)
{
  g_autofree char *viewer_id = NULL;
  g_autofree char *viewer_email = new_user (CRM_ROLE_VIEWER, &viewer_id);
  g_autofree char *admin_email = new_user (CRM_ROLE_ADMIN, NULL);
  g_autoptr (SyncClient) viewer = sync_client_new (cluster, sync_cluster_url (cluster, 0),
                                                   viewer_email);
  g_autoptr (SyncClient) admin = sync_client_new (cluster, sync_cluster_url (cluster, 0),
                                                  admin_email);
  CrmSyncStatus *status = crm_sync_engine_get_status (viewer->engine);
  g_autofree char *path = g_strconcat ("/api/v1/users/", viewer_id, NULL);
  g_autoptr (JsonNode) changed = NULL;
  g_autoptr (GError) error = NULL;
  guint http = 0;

  sync_client_settle (viewer, 5);
  g_assert_false (crm_sync_status_allows (status, CRM_RESOURCE_ORGANISATIONS,
                                          CRM_ACTION_UPDATE));

  /* The administration page's call: the viewer becomes a user (a new epoch). */
  changed = call (admin, "PATCH", path, "{\"role\":\"user\"}", &http, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (http, ==, 200);
  g_assert_nonnull (changed);

  /* The old epoch's session is over: the viewer signs in again and re-syncs. */
  if (!sync_client_sync (viewer, &error))
    {
      g_assert_error (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_UNAUTHORIZED);
      g_clear_error (&error);
      sync_client_login (viewer);
    }
  sync_client_settle (viewer, 5);
  wait_role (viewer, "user");
  g_assert_true (crm_sync_status_allows (status, CRM_RESOURCE_ORGANISATIONS,
                                         CRM_ACTION_UPDATE));
  g_assert_false (crm_sync_status_allows (status, CRM_RESOURCE_USERS, CRM_ACTION_MANAGE));
}

static void
test_call_as_admin_and_viewer (void)
{
  g_autofree char *admin_email = new_user (CRM_ROLE_ADMIN, NULL);
  g_autofree char *viewer_email = new_user (CRM_ROLE_VIEWER, NULL);
  g_autoptr (SyncClient) admin = sync_client_new (cluster, sync_cluster_url (cluster, 0),
                                                  admin_email);
  g_autoptr (SyncClient) viewer = sync_client_new (cluster, sync_cluster_url (cluster, 0),
                                                   viewer_email);
  g_autoptr (JsonNode) listed = NULL;
  g_autoptr (JsonNode) refused = NULL;
  g_autoptr (JsonNode) invalid = NULL;
  g_autoptr (GError) error = NULL;
  JsonArray *items;
  gboolean found = FALSE;
  guint http = 0;

  listed = call (admin, "GET", "/api/v1/users", NULL, &http, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (http, ==, 200);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (listed));
  items = json_object_get_array_member (json_node_get_object (listed), "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    found |= g_strcmp0 (json_object_get_string_member (json_array_get_object_element (items, i),
                                                       "email"), viewer_email) == 0;
  g_assert_true (found);

  /* The default matrix lets a viewer read the users (a team list); creating one is
   * refused. */
  refused = call (viewer, "POST", "/api/v1/users",
                  "{\"email\":\"intrus@alforis.test\",\"display_name\":\"Intrus\","
                  "\"password\":\"Motdepasse-tres-long-2026!\",\"role\":\"admin\"}", &http,
                  &error);
  g_assert_null (refused);
  g_assert_cmpuint (http, ==, 403);
  g_assert_error (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_REFUSED);
  /* The server's French sentence, not a bare status. */
  g_assert_null (strstr (error->message, "répondu 403"));
  g_assert_cmpuint (strlen (error->message), >, 5);
  g_test_message ("403 : %s", error->message);
  g_clear_error (&error);

  /* Bad input: a 422 with the server's words; nothing created. */
  invalid = call (admin, "POST", "/api/v1/users",
                  "{\"email\":\"pas-un-courriel\",\"display_name\":\"X\",\"password\":\"court\","
                  "\"role\":\"user\"}", &http, &error);
  g_assert_null (invalid);
  g_assert_cmpuint (http, ==, 422);
  g_assert_error (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_REFUSED);
  g_test_message ("422 : %s", error->message);
}

static void
test_call_refreshes_expired_token (void)
{
  g_autofree char *email = new_user (CRM_ROLE_ADMIN, NULL);
  g_autoptr (SyncClient) client = sync_client_new (cluster, sync_cluster_url (cluster, 0), email);
  g_autoptr (JsonNode) listed = NULL;
  g_autoptr (GError) error = NULL;
  guint http = 0;

  /* A restarted app holds no access token: the call refreshes from the token store. */
  sync_client_restart (client);
  listed = call (client, "GET", "/api/v1/me", NULL, &http, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (http, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (listed), "role"), ==,
                   "admin");
}

static void
test_logout_clears_access (void)
{
  g_autofree char *email = new_user (CRM_ROLE_VIEWER, NULL);
  g_autoptr (SyncClient) client = sync_client_new (cluster, sync_cluster_url (cluster, 0), email);
  CrmSyncStatus *status = crm_sync_engine_get_status (client->engine);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpstr (crm_sync_status_get_role (status), ==, "viewer");
  crm_sync_engine_logout_async (client->engine, NULL, on_done, &result);
  g_assert_true (crm_sync_engine_logout_finish (client->engine, wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_null (crm_sync_status_get_role (status));
  g_assert_null (crm_sync_status_get_user_id (status));
  g_assert_true (crm_sync_status_allows (status, CRM_RESOURCE_USERS, CRM_ACTION_MANAGE));

  /* The session is gone here and on the server. */
  g_assert_false (sync_client_sync (client, &error));
  g_assert_error (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_UNAUTHORIZED);
  g_clear_error (&error);
  sync_client_restart (client);
  g_assert_false (sync_client_sync (client, &error));
  g_assert_error (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_UNAUTHORIZED);
  g_assert_null (crm_sync_status_get_role (crm_sync_engine_get_status (client->engine)));
}

int
main (int    argc,
      char **argv)
{
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/access/viewer", test_viewer_access);
  g_test_add_func ("/sync/access/admin", test_admin_access);
  g_test_add_func ("/sync/access/restored-session", test_restored_session_access);
  g_test_add_func ("/sync/access/role-change-followed", test_role_change_followed);
  g_test_add_func ("/sync/access/logout-clears", test_logout_clears_access);
  g_test_add_func ("/sync/call/admin-200-viewer-403", test_call_as_admin_and_viewer);
  g_test_add_func ("/sync/call/refreshes-token", test_call_refreshes_expired_token);

  cluster = sync_cluster_new (1);
  team = sync_cluster_add_team (cluster, "Équipe Nantes");
  status = g_test_run ();
  g_free (team);
  sync_cluster_free (cluster);
  return status;
}

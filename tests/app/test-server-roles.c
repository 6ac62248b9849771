/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The window signed in to a real server: a throwaway PostgreSQL, the real
 * alforis-crm-server over TLS (tests/sync/sync-harness), and the app's own sign-in
 * dialog filled in and submitted. The role comes from the server's /me through the
 * sync engine; a viewer then finds no write on any page nor on a record synced down,
 * and an advisor ("user") of the same team does.
 */
#define G_LOG_DOMAIN "test-server-roles"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "crm-account-dialog.h"
#include "crm-admin-page.h"
#include "crm-list-page.h"
#include "crm-record-page.h"
#include "crm-test-app.h"
#include "crm-test-pages.h"
#include "crm-test-writes.h"
#include "crm-token-store.h"
#include "sync-harness.h"

static SyncCluster *cluster;
static char *org_id;
static const char *signing_in_as;
static char *token_path;

static gboolean
is_entry_row_titled (GtkWidget  *widget,
                     const char *title)
{
  return ADW_IS_ENTRY_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

static GtkWidget *
find_row (GtkWidget  *root,
          const char *title)
{
  if (is_entry_row_titled (root, title))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
fill (GtkWidget  *dialog,
      const char *title,
      const char *text)
{
  GtkWidget *row = find_row (dialog, title);

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

typedef struct
{
  CrmApplication *app;
  CrmWindow      *window;
  const char     *role;
} Ready;

/* Signed in, /me answered, and the first sync brought the organisation down. */
static gboolean
signed_in_and_synced (gpointer data)
{
  Ready *ready = data;
  CrmSyncEngine *engine = crm_application_get_engine (ready->app);
  CrmSyncStatus *status = engine != NULL ? crm_sync_engine_get_status (engine) : NULL;
  g_autoptr(CrmRecord) org = NULL;

  if (status == NULL || g_strcmp0 (crm_sync_status_get_role (status), ready->role) != 0)
    return FALSE;
  org = crm_replica_get (crm_window_get_replica (ready->window), CRM_ENTITY_ORGANISATION, org_id, NULL);
  return org != NULL;
}

/* Through the dialog a person would use: address, e-mail, password, Connect. */
static void
sign_in (CrmApplication *app,
         CrmWindow      *window,
         const char     *email,
         const char     *role)
{
  g_autoptr(CrmTokenStore) tokens = crm_file_token_store_new (token_path);
  Ready ready = { app, window, role };
  GtkWidget *dialog, *connect;

  crm_application_set_token_store (app, tokens);
  dialog = crm_application_show_account_dialog (app, FALSE);
  g_assert_true (CRM_IS_ACCOUNT_DIALOG (dialog));
  /* The cluster's certificate is self-signed: the test trusts it, and only it. */
  crm_account_dialog_set_tls_database (CRM_ACCOUNT_DIALOG (dialog), sync_cluster_tls (cluster));
  fill (dialog, "Server Address", sync_cluster_url (cluster, 0));
  fill (dialog, "E-mail", email);
  fill (dialog, "Password", SYNC_TEST_PASSWORD);
  connect = find_button (dialog, "_Connect");
  g_assert_nonnull (connect);
  g_signal_emit_by_name (connect, "clicked");

  crm_test_wait_until (signed_in_and_synced, &ready);
  crm_window_reload (window);
  crm_test_iterate ();
}

static void
viewer_signed_in (CrmApplication *app,
                  CrmWindow      *window)
{
  GtkWidget *list;

  sign_in (app, window, signing_in_as, "viewer");
  g_assert_false (crm_window_allows (window, CRM_RESOURCE_ORGANISATIONS, CRM_ACTION_CREATE));

  crm_test_walk_as_reader (window);
  crm_window_show_section (window, CRM_SECTION_ORGANISATIONS);
  list = crm_window_get_list_page (window, CRM_ENTITY_ORGANISATION);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (crm_list_page_get_model (CRM_LIST_PAGE (list)))), ==, 1);

  crm_window_open_record (window, CRM_ENTITY_ORGANISATION, org_id);
  crm_test_iterate ();
  g_assert_nonnull (crm_window_get_record_page (window));
  crm_test_assert_no_writes (window, "the synced organisation");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.edit", NULL);
  crm_test_iterate ();
  g_assert_false (crm_record_page_get_editing (CRM_RECORD_PAGE (crm_window_get_record_page (window))));
}

static void
advisor_signed_in (CrmApplication *app,
                   CrmWindow      *window)
{
  sign_in (app, window, signing_in_as, "user");
  g_assert_true (crm_window_allows (window, CRM_RESOURCE_ORGANISATIONS, CRM_ACTION_CREATE));
  /* Users are the administrators' business: no Administration for an advisor. */
  g_assert_false (crm_window_allows (window, CRM_RESOURCE_USERS, CRM_ACTION_MANAGE));
  g_assert_false (crm_window_show_section (window, CRM_SECTION_ADMIN));

  crm_window_show_section (window, CRM_SECTION_ORGANISATIONS);
  g_assert_true (crm_test_has_write (window, "win.new-record"));
  crm_window_open_record (window, CRM_ENTITY_ORGANISATION, org_id);
  crm_test_iterate ();
  g_assert_true (crm_test_has_write (window, "win.edit"));
}

static gboolean
admin_idle (gpointer data)
{
  return !crm_admin_page_is_busy (data);
}

static gboolean
admin_lists (gpointer data)
{
  return !crm_admin_page_is_busy (data) && crm_admin_page_get_n_users (data) >= 3;
}

static GtkDropDown *
drop_down_of (GtkWidget *row,
              guint      nth)
{
  guint seen = 0;
  GtkWidget *found = NULL;

  for (GtkWidget *w = row; w != NULL;)
    {
      if (GTK_IS_DROP_DOWN (w) && seen++ == nth)
        {
          found = w;
          break;
        }
      /* Depth first through the row's suffixes. */
      if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != row && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w);
          w = w == row ? NULL : gtk_widget_get_next_sibling (w);
        }
    }
  g_assert_nonnull (found);
  return GTK_DROP_DOWN (found);
}

static char *
db_value (const char *sql,
          const char *param)
{
  return sync_cluster_value (cluster, sql, param);
}

static void
admin_manages_users (CrmApplication *app,
                     CrmWindow      *window)
{
  CrmAdminPage *page;
  GtkWidget *row, *create;
  g_autofree char *role = NULL, *team = NULL, *active = NULL, *count = NULL;

  sign_in (app, window, signing_in_as, "admin");
  g_assert_true (crm_window_show_section (window, CRM_SECTION_ADMIN));
  page = CRM_ADMIN_PAGE (crm_test_find_widget (GTK_WIDGET (window), CRM_TYPE_ADMIN_PAGE, NULL));
  g_assert_nonnull (page);
  crm_test_wait_until (admin_lists, page);
  g_assert_nonnull (crm_admin_page_find_user (page, "lecteur@cabinet.fr"));
  g_assert_null (crm_admin_page_get_error (page));

  /* A team, through its entry row. */
  fill (GTK_WIDGET (page), "New Team", "Marseille");
  g_signal_emit_by_name (find_row (GTK_WIDGET (page), "New Team"), "apply");
  crm_test_wait_until (admin_idle, page);
  g_assert_null (crm_admin_page_get_error (page));
  g_assert_cmpuint (crm_admin_page_get_n_teams (page), ==, 2);
  team = db_value ("SELECT id::text FROM teams WHERE name = $1", "Marseille");
  g_assert_nonnull (team);

  /* A user, through the form; then seen in the list, and in the server's database. */
  fill (GTK_WIDGET (page), "E-mail", "nouvelle@cabinet.fr");
  fill (GTK_WIDGET (page), "Name", "Nadia Nouvelle");
  fill (GTK_WIDGET (page), "Password", SYNC_TEST_PASSWORD);
  create = crm_test_find_button (GTK_WIDGET (page), "C_reate the User");
  g_assert_nonnull (create);
  g_signal_emit_by_name (create, "clicked");
  crm_test_wait_until (admin_idle, page);
  g_assert_null (crm_admin_page_get_error (page));
  row = crm_admin_page_find_user (page, "nouvelle@cabinet.fr");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Nadia Nouvelle");
  role = db_value ("SELECT role FROM users WHERE email = $1", "nouvelle@cabinet.fr");
  g_assert_cmpstr (role, ==, "user");
  g_clear_pointer (&role, g_free);

  /* The same e-mail again: the server's French refusal shows, what was typed stays. */
  fill (GTK_WIDGET (page), "E-mail", "nouvelle@cabinet.fr");
  fill (GTK_WIDGET (page), "Name", "Nadia Doublon");
  fill (GTK_WIDGET (page), "Password", SYNC_TEST_PASSWORD);
  g_signal_emit_by_name (create, "clicked");
  crm_test_wait_until (admin_idle, page);
  g_assert_nonnull (crm_admin_page_get_error (page));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (GTK_WIDGET (page), "Name"))), ==,
                   "Nadia Doublon");
  count = db_value ("SELECT count(*)::text FROM users WHERE email = $1", "nouvelle@cabinet.fr");
  g_assert_cmpstr (count, ==, "1");

  /* Her role and team, changed in the list. */
  gtk_drop_down_set_selected (drop_down_of (row, 0), 3);
  crm_test_wait_until (admin_idle, page);
  role = db_value ("SELECT role FROM users WHERE email = $1", "nouvelle@cabinet.fr");
  g_assert_cmpstr (role, ==, "viewer");
  row = crm_admin_page_find_user (page, "nouvelle@cabinet.fr");
  gtk_drop_down_set_selected (drop_down_of (row, 1), 2);
  crm_test_wait_until (admin_idle, page);
  g_clear_pointer (&team, g_free);
  team = db_value ("SELECT t.name FROM users u JOIN teams t ON t.id = u.team_id WHERE u.email = $1",
                   "nouvelle@cabinet.fr");
  g_assert_nonnull (team);

  /* Deactivated: she stays in the list, marked so. */
  row = crm_admin_page_find_user (page, "nouvelle@cabinet.fr");
  g_signal_emit_by_name (crm_test_find_button (row, "_Deactivate"), "clicked");
  crm_test_wait_until (admin_idle, page);
  active = db_value ("SELECT is_active::text FROM users WHERE email = $1", "nouvelle@cabinet.fr");
  g_assert_cmpstr (active, ==, "false");
  row = crm_admin_page_find_user (page, "nouvelle@cabinet.fr");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Deactivated"));

  /* The matrix: viewers may now create organisations; the box is the server's. */
  {
    GtkWidget *check;
    g_autofree char *granted = NULL;

    crm_admin_page_show_role (page, CRM_ROLE_VIEWER);
    check = crm_admin_page_get_permission_check (page, CRM_RESOURCE_ORGANISATIONS, CRM_ACTION_CREATE);
    g_assert_true (gtk_widget_is_sensitive (check));
    g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
    gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
    crm_test_wait_until (admin_idle, page);
    g_assert_null (crm_admin_page_get_error (page));
    granted = db_value ("SELECT count(*)::text FROM permissions WHERE role = $1"
                        " AND resource = 'organisations' AND action = 'create'", "viewer");
    g_assert_cmpstr (granted, ==, "1");
    g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  }

  /* CRM_TEST_SHOT=file.png: a picture of the page as the test left it. */
  if (g_getenv ("CRM_TEST_SHOT") != NULL)
    crm_test_save_png (GTK_WIDGET (window), g_getenv ("CRM_TEST_SHOT"));
}

static void
run_as (const char     *email,
        CrmTestAppFunc  func)
{
  g_autofree char *path = crm_test_replica_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  const char *args[] = { "--replica", path, NULL };

  signing_in_as = email;
  token_path = g_build_filename (dir, "tokens", NULL);
  crm_test_app_run_with_args (args, func);
  crm_test_remove_replica (path);
  g_unlink (token_path);
  g_clear_pointer (&token_path, g_free);
}

static void
test_viewer (void)
{
  run_as ("lecteur@cabinet.fr", viewer_signed_in);
}

static void
test_admin (void)
{
  run_as ("admin@cabinet.fr", admin_manages_users);
}

static void
test_advisor (void)
{
  run_as ("conseiller@cabinet.fr", advisor_signed_in);
}

/* One cluster for both tests: an admin, a viewer and an advisor of one team, and an
 * organisation of that team created by the admin through sync. */
static void
start_cluster (void)
{
  g_autofree char *team = NULL;
  g_autofree char *admin = NULL, *viewer = NULL, *advisor = NULL;
  g_autoptr(SyncClient) client = NULL;
  g_autoptr(CrmRecord) org = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);
  g_autoptr(CrmRecord) stored = NULL;
  g_autoptr(GError) error = NULL;

  cluster = sync_cluster_new (1);
  team = sync_cluster_add_team (cluster, "Lyon");
  admin = sync_cluster_add_user (cluster, "admin@cabinet.fr", CRM_ROLE_ADMIN, team);
  viewer = sync_cluster_add_user (cluster, "lecteur@cabinet.fr", CRM_ROLE_VIEWER, team);
  advisor = sync_cluster_add_user (cluster, "conseiller@cabinet.fr", CRM_ROLE_USER, team);

  client = sync_client_new (cluster, sync_cluster_url (cluster, 0), "admin@cabinet.fr");
  crm_record_set_string (org, "name", "Gestion Rhône");
  crm_record_set_string (org, "city", "Lyon");
  crm_record_set_string (org, "owner_id", advisor);
  stored = crm_replica_create (client->replica, org, &error);
  g_assert_no_error (error);
  org_id = g_strdup (crm_record_get_string (stored, "id"));
  sync_client_settle (client, 10);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);

  g_test_add_func ("/app/server/viewer-sees-no-write", test_viewer);
  g_test_add_func ("/app/server/advisor-sees-writes", test_advisor);
  g_test_add_func ("/app/server/admin-manages-users", test_admin);

  start_cluster ();
  status = g_test_run ();
  g_clear_pointer (&cluster, sync_cluster_free);
  g_free (org_id);
  return status;
}

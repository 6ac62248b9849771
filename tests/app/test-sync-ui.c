/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The sync parts of the window, driven through the real window on a real replica:
 * the conflict banner and dialog (seeded through the replica API, resolved both ways),
 * the inbox of refused changes, a viewer's read-only window and the status button.
 */
#define G_LOG_DOMAIN "test-sync-ui"

#include "config.h"

#include <string.h>

#include "crm-account-dialog.h"
#include "crm-conflict-dialog.h"
#include "crm-inbox-page.h"
#include "crm-record-page.h"
#include "crm-sync-button.h"
#include "crm-test-app.h"

/* ---- Helpers ------------------------------------------------------------------------ */

/* An organisation as if pulled from the server: stored, nothing left to send. */
static char *
seed_organisation (CrmReplica *replica,
                   const char *name,
                   const char *city)
{
  g_autoptr(CrmRecord) record = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);
  g_autoptr(CrmRecord) stored = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(GError) error = NULL;

  crm_record_set_string (record, "name", name);
  crm_record_set_string (record, "city", city);
  stored = crm_replica_create (replica, record, &error);
  g_assert_no_error (error);
  ops = crm_replica_outbox_peek (replica, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < ops->len; i++)
    {
      CrmOutboxOp *op = ops->pdata[i];

      g_assert_true (crm_replica_outbox_mark_sent (replica, op->op_id, &error));
      g_assert_true (crm_replica_outbox_applied (replica, op->op_id, 1, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpint (crm_replica_outbox_count (replica, NULL), ==, 0);
  return g_strdup (crm_record_get_string (stored, "id"));
}

/* The server kept Lyon; this computer had sent Marseille. */
static void
seed_city_conflict (CrmReplica *replica,
                    const char *id)
{
  CrmReplicaConflict conflict = {
    .entity = "organisation",
    .row_id = (char *) id,
    .field = (char *) "city",
    .kind = (char *) "field",
    .mine = (char *) "Marseille",
    .theirs = (char *) "Lyon",
    .by = (char *) "Claire Martin",
    .at = (char *) "2026-11-20T10:00:00Z",
  };
  g_autoptr(GError) error = NULL;

  g_assert_true (crm_replica_add_conflict (replica, &conflict, "op-seeded", &error));
  g_assert_no_error (error);
}

static char *
city_of (CrmReplica *replica,
         const char *id)
{
  g_autoptr(CrmRecord) record = crm_replica_get (replica, CRM_ENTITY_ORGANISATION, id, NULL);

  g_assert_nonnull (record);
  return g_strdup (crm_record_get_string (record, "city"));
}

typedef gboolean (*WidgetMatch) (GtkWidget *widget, gconstpointer data);

static void
collect (GtkWidget     *widget,
         WidgetMatch    match,
         gconstpointer  data,
         GPtrArray     *found)
{
  if (match (widget, data))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, match, data, found);
}

static gboolean
has_action (GtkWidget     *widget,
            gconstpointer  action)
{
  return GTK_IS_ACTIONABLE (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0;
}

static gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static gboolean
has_css_class (GtkWidget     *widget,
               gconstpointer  name)
{
  return gtk_widget_has_css_class (widget, name);
}

static GtkWidget *
find_one (GtkWidget     *root,
          WidgetMatch    match,
          gconstpointer  data)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect (root, match, data, found);
  g_assert_cmpuint (found->len, ==, 1);
  return found->pdata[0];
}

static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  crm_test_iterate ();
}

static gboolean
banner_shown (CrmWindow *window)
{
  GtkWidget *banner = find_one (GTK_WIDGET (window), has_css_class, "crm-banner");

  return gtk_revealer_get_reveal_child (GTK_REVEALER (gtk_widget_get_parent (banner)));
}

/* ---- Conflicts ---------------------------------------------------------------------- */

static void
resolve_conflict (CrmWindow *window,
                  gboolean   keep_mine)
{
  CrmReplica *replica = crm_window_get_replica (window);
  g_autofree char *id = seed_organisation (replica, "Dupont Patrimoine", "Lyon");
  g_autofree char *city = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(GPtrArray) left = NULL;
  GtkWidget *dialog;

  seed_city_conflict (replica, id);
  crm_window_open_record (window, CRM_ENTITY_ORGANISATION, id);
  crm_test_iterate ();
  g_assert_true (banner_shown (window));

  /* The banner's button opens the dialog with both values and who changed it. */
  click (find_one (GTK_WIDGET (window), has_action, "win.review-conflicts"));
  dialog = crm_window_review_conflicts (window);
  g_assert_true (CRM_IS_CONFLICT_DIALOG (dialog));
  g_assert_cmpuint (crm_conflict_dialog_get_n_conflicts (CRM_CONFLICT_DIALOG (dialog)), ==, 1);

  g_object_ref (dialog);
  click (find_one (dialog, is_button_labelled, keep_mine ? "Keep Mine" : "Keep Theirs"));
  g_assert_cmpuint (crm_conflict_dialog_get_n_conflicts (CRM_CONFLICT_DIALOG (dialog)), ==, 0);
  g_assert_false (gtk_widget_get_visible (dialog));
  g_object_unref (dialog);

  left = crm_replica_list_conflicts (replica, CRM_ENTITY_ORGANISATION, id, NULL);
  g_assert_cmpuint (left->len, ==, 0);
  g_assert_false (banner_shown (window));

  city = city_of (replica, id);
  ops = crm_replica_outbox_peek (replica, 0, NULL);
  if (keep_mine)
    {
      CrmOutboxOp *op;

      g_assert_cmpstr (city, ==, "Marseille");
      g_assert_cmpuint (ops->len, ==, 1);
      op = ops->pdata[0];
      g_assert_cmpstr (op->row_id, ==, id);
      g_assert_cmpstr (op->kind, ==, "update");
      g_assert_nonnull (strstr (op->fields, "\"Marseille\""));
    }
  else
    {
      g_assert_cmpstr (city, ==, "Lyon");
      g_assert_cmpuint (ops->len, ==, 0);
    }
}

static void
keep_mine (CrmApplication *app,
           CrmWindow      *window)
{
  resolve_conflict (window, TRUE);
}

static void
keep_theirs (CrmApplication *app,
             CrmWindow      *window)
{
  resolve_conflict (window, FALSE);
}

static void
run_on_fresh_replica (CrmTestAppFunc func)
{
  g_autofree char *path = crm_test_replica_path ();
  const char *args[] = { "--replica", path, NULL };

  crm_test_app_run_with_args (args, func);
  crm_test_remove_replica (path);
}

static void
test_conflict_keep_mine (void)
{
  run_on_fresh_replica (keep_mine);
}

static void
test_conflict_keep_theirs (void)
{
  run_on_fresh_replica (keep_theirs);
}

/* ---- Inbox -------------------------------------------------------------------------- */

static void
dismiss_rejection (CrmApplication *app,
                   CrmWindow      *window)
{
  CrmReplica *replica = crm_window_get_replica (window);
  g_autofree char *id = seed_organisation (replica, "Martin Conseil", "Nantes");
  g_autofree char *other = seed_organisation (replica, "Bernard SA", "Lyon");
  g_autoptr(CrmRecord) changes = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);
  g_autoptr(CrmRecord) stored = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(GPtrArray) rejections = NULL;
  g_autoptr(GError) error = NULL;
  CrmOutboxOp *op;
  GtkWidget *page, *row;

  crm_record_set_string (changes, "city", "Brest");
  stored = crm_replica_update (replica, CRM_ENTITY_ORGANISATION, id, changes, &error);
  g_assert_no_error (error);
  ops = crm_replica_outbox_peek (replica, 0, &error);
  g_assert_cmpuint (ops->len, ==, 1);
  op = ops->pdata[0];
  g_assert_true (crm_replica_outbox_mark_sent (replica, op->op_id, &error));
  g_assert_true (crm_replica_outbox_reject (replica, op->op_id,
                                            "{\"title\":\"Refusé\",\"status\":403,"
                                            "\"detail\":\"Vous ne pouvez pas modifier cette organisation.\"}",
                                            &error));
  g_assert_no_error (error);
  seed_city_conflict (replica, other);

  click (find_one (GTK_WIDGET (crm_window_get_sync_button (window)), has_action, "win.show-inbox"));
  page = crm_window_show_inbox (window);
  g_assert_true (CRM_IS_INBOX_PAGE (page));
  g_assert_cmpuint (crm_inbox_page_get_n_rejections (CRM_INBOX_PAGE (page)), ==, 1);
  g_assert_cmpuint (crm_inbox_page_get_n_conflicts (CRM_INBOX_PAGE (page)), ==, 1);

  /* The row says what the server said, and opens the record. */
  row = find_one (page, has_action, "inbox.open");
  row = gtk_widget_get_ancestor (row, ADW_TYPE_ACTION_ROW);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "Vous ne pouvez pas modifier cette organisation.");
  click (find_one (page, has_action, "inbox.open"));
  g_assert_cmpstr (crm_record_page_get_id (CRM_RECORD_PAGE (crm_window_get_record_page (window))), ==, id);

  g_object_ref (page);
  click (find_one (page, has_action, "inbox.dismiss"));
  g_assert_cmpuint (crm_inbox_page_get_n_rejections (CRM_INBOX_PAGE (page)), ==, 0);
  g_assert_cmpuint (crm_inbox_page_get_n_conflicts (CRM_INBOX_PAGE (page)), ==, 1);
  g_object_unref (page);
  rejections = crm_replica_list_rejections (replica, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rejections->len, ==, 0);
}

static void
test_inbox_dismiss_rejection (void)
{
  run_on_fresh_replica (dismiss_rejection);
}

/* An edit queued on a row the server then stopped sharing: shown with what was typed,
 * "Apply Again" refused while the row is away (and the edit kept), "Give Up" drops it. */
static void
quarantined_edit (CrmApplication *app,
                  CrmWindow      *window)
{
  CrmReplica *replica = crm_window_get_replica (window);
  g_autofree char *id = seed_organisation (replica, "Conseil Lorrain", "Metz");
  g_autoptr(CrmRecord) changes = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);
  g_autoptr(CrmRecord) stored = NULL;
  g_autoptr(GError) error = NULL;
  CrmReplicaRevoke revoke = { CRM_ENTITY_ORGANISATION, id };
  GtkWidget *page, *row;

  crm_record_set_string (changes, "city", "Nancy");
  stored = crm_replica_update (replica, CRM_ENTITY_ORGANISATION, id, changes, &error);
  g_assert_no_error (error);
  g_assert_true (crm_replica_apply_pull (replica, NULL, 0, &revoke, 1, 9, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (crm_replica_quarantine_count (replica, NULL), ==, 1);

  page = crm_window_show_inbox (window);
  g_assert_cmpuint (crm_inbox_page_get_n_quarantined (CRM_INBOX_PAGE (page)), ==, 1);
  row = gtk_widget_get_ancestor (find_one (page, has_action, "inbox.forget"), ADW_TYPE_ACTION_ROW);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   "Organisation · Conseil Lorrain");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Nancy"));

  /* The row is away: nothing to apply the edit to, and the edit stays. */
  click (find_one (page, has_action, "inbox.reapply"));
  g_assert_nonnull (crm_inbox_page_get_quarantine_error (CRM_INBOX_PAGE (page)));
  g_assert_cmpuint (crm_inbox_page_get_n_quarantined (CRM_INBOX_PAGE (page)), ==, 1);

  g_object_ref (page);
  click (find_one (page, has_action, "inbox.forget"));
  g_assert_cmpuint (crm_inbox_page_get_n_quarantined (CRM_INBOX_PAGE (page)), ==, 0);
  g_object_unref (page);
  g_assert_cmpint (crm_replica_quarantine_count (replica, NULL), ==, 0);
}

static void
test_inbox_quarantined_edit (void)
{
  run_on_fresh_replica (quarantined_edit);
}

/* ---- Viewer ------------------------------------------------------------------------- */

static void
assert_sensitive (GtkWidget  *root,
                  const char *action,
                  gboolean    sensitive)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect (root, has_action, action, found);
  g_assert_cmpuint (found->len, >, 0);
  for (guint i = 0; i < found->len; i++)
    g_assert_cmpint (gtk_widget_is_sensitive (found->pdata[i]), ==, sensitive);
}

static void
viewer_sees_no_edit_actions (CrmApplication *app,
                             CrmWindow      *window)
{
  CrmReplica *replica = crm_window_get_replica (window);
  g_autofree char *id = seed_organisation (replica, "Petit Courtage", "Lille");
  GtkWidget *list = crm_window_get_list_page (window, CRM_ENTITY_ORGANISATION);

  crm_window_show_section (window, CRM_SECTION_ORGANISATIONS);
  crm_window_reload (window);
  crm_test_iterate ();
  assert_sensitive (list, "win.new-record", TRUE);

  crm_window_set_read_only (window, TRUE);
  crm_test_iterate ();
  assert_sensitive (list, "win.new-record", FALSE);

  crm_window_open_record (window, CRM_ENTITY_ORGANISATION, id);
  crm_test_iterate ();
  assert_sensitive (crm_window_get_record_page (window), "win.edit", FALSE);
  assert_sensitive (crm_window_get_record_page (window), "win.delete", FALSE);
  /* Ctrl+E and Delete go through the same actions: nothing happens. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.edit", NULL);
  crm_test_iterate ();
  g_assert_false (crm_record_page_get_editing (CRM_RECORD_PAGE (crm_window_get_record_page (window))));

  crm_window_set_read_only (window, FALSE);
  crm_test_iterate ();
  assert_sensitive (crm_window_get_record_page (window), "win.edit", TRUE);
}

static void
test_viewer_read_only (void)
{
  run_on_fresh_replica (viewer_sees_no_edit_actions);
}

/* ---- Status button ------------------------------------------------------------------ */

static void
button_follows_status (CrmApplication *app,
                       CrmWindow      *window)
{
  CrmSyncButton *button = CRM_SYNC_BUTTON (crm_window_get_sync_button (window));
  g_autoptr(CrmSyncStatus) status = crm_sync_status_new ();
  GtkWidget *error_label;

  g_assert_cmpstr (crm_sync_button_get_label (button), ==, "Local");
  assert_sensitive (GTK_WIDGET (button), "app.sync-now", FALSE);

  crm_window_set_sync_status (window, status);
  g_assert_cmpstr (crm_sync_button_get_label (button), ==, "Offline");

  crm_sync_status_set_state (status, CRM_SYNC_STATE_SYNCING);
  crm_sync_status_set_progress (status, 0.4);
  crm_sync_status_set_counts (status, 3, 1, 0, 0);
  g_assert_cmpstr (crm_sync_button_get_label (button), ==, "Synchronizing…");
  g_assert_nonnull (strstr (crm_sync_button_get_detail (button), "3 changes waiting to be sent."));
  g_assert_nonnull (strstr (crm_sync_button_get_detail (button), "1 conflict to review."));

  crm_sync_status_set_state (status, CRM_SYNC_STATE_UP_TO_DATE);
  crm_sync_status_set_counts (status, 0, 0, 0, 0);
  crm_sync_status_set_last_sync (status, "2026-11-25T09:30:00Z");
  g_assert_cmpstr (crm_sync_button_get_label (button), ==, "Up to Date");
  g_assert_nonnull (strstr (crm_sync_button_get_detail (button), "Every change has been sent."));
  g_assert_null (strstr (crm_sync_button_get_detail (button), "Not synchronized yet."));

  crm_sync_status_set_last_error (status, "Le serveur ne répond pas.");
  error_label = find_one (GTK_WIDGET (button), has_css_class, "error");
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error_label)), ==, "Le serveur ne répond pas.");

  crm_window_set_sync_status (window, NULL);
  g_assert_cmpstr (crm_sync_button_get_label (button), ==, "Local");
}

static void
test_sync_button_follows_status (void)
{
  run_on_fresh_replica (button_follows_status);
}

/* ---- Account ------------------------------------------------------------------------ */

static void
first_run_local (CrmApplication *app,
                 CrmWindow      *window)
{
  g_autoptr(GSettings) settings = g_settings_new (CRM_SETTINGS_SCHEMA_ID);
  GtkWidget *dialog;

  g_settings_set_enum (settings, "account-mode", CRM_ACCOUNT_UNSET);
  dialog = crm_application_show_account_dialog (app, TRUE);
  g_assert_true (CRM_IS_ACCOUNT_DIALOG (dialog));
  g_object_ref (dialog);
  click (find_one (dialog, is_button_labelled, "_Use Locally"));
  g_assert_false (gtk_widget_get_visible (dialog));
  g_object_unref (dialog);

  g_assert_cmpint (g_settings_get_enum (settings, "account-mode"), ==, CRM_ACCOUNT_LOCAL);
  g_assert_null (crm_application_get_engine (app));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "sync-now"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "logout"));
  g_assert_cmpstr (crm_sync_button_get_label (CRM_SYNC_BUTTON (crm_window_get_sync_button (window))), ==, "Local");
}

static void
test_account_first_run_local (void)
{
  run_on_fresh_replica (first_run_local);
}

static gboolean
sign_in_over (gpointer data)
{
  return !crm_account_dialog_is_busy (data);
}

static gboolean
is_entry_row_titled (GtkWidget     *widget,
                     gconstpointer  title)
{
  return ADW_IS_ENTRY_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

static void
fill (GtkWidget  *dialog,
      const char *title,
      const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (find_one (dialog, is_entry_row_titled, title)), text);
}

/* Nothing listens on the port: the engine's refusal shows in the form, which keeps
 * what was typed and stays open. */
static void
unreachable_server (CrmApplication *app,
                    CrmWindow      *window)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, 0, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *url = NULL;
  GtkWidget *dialog = crm_application_show_account_dialog (app, FALSE);
  GtkWidget *connect = find_one (dialog, is_button_labelled, "_Connect");

  /* A port just freed: nobody listens there. */
  g_assert_true (g_socket_bind (socket, any, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  url = g_strdup_printf ("127.0.0.1:%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);

  fill (dialog, "Server Address", "   ");
  fill (dialog, "E-mail", "claire@cabinet.fr");
  fill (dialog, "Password", "secret");
  click (connect);
  g_assert_cmpstr (crm_account_dialog_get_error (CRM_ACCOUNT_DIALOG (dialog)), ==,
                   "Type the server’s address, for example crm.cabinet.fr.");

  fill (dialog, "Server Address", url);
  click (connect);
  crm_test_wait_until (sign_in_over, dialog);
  g_assert_nonnull (crm_account_dialog_get_error (CRM_ACCOUNT_DIALOG (dialog)));
  g_assert_nonnull (strstr (crm_account_dialog_get_error (CRM_ACCOUNT_DIALOG (dialog)), "injoignable"));
  g_assert_true (gtk_widget_get_visible (dialog));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_one (dialog, is_entry_row_titled, "E-mail"))),
                   ==, "claire@cabinet.fr");
  g_assert_null (crm_application_get_engine (app));

  /* GTK warns about a text entry destroyed while it holds the focus. */
  gtk_window_set_focus (GTK_WINDOW (dialog), NULL);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_account_unreachable_server (void)
{
  run_on_fresh_replica (unreachable_server);
}

static void
test_account_certificate_explained (void)
{
  g_autofree char *unknown = crm_account_describe_certificate (G_TLS_CERTIFICATE_UNKNOWN_CA);
  g_autofree char *identity = crm_account_describe_certificate (G_TLS_CERTIFICATE_BAD_IDENTITY |
                                                                G_TLS_CERTIFICATE_EXPIRED);

  g_assert_nonnull (strstr (unknown, "not issued by an authority this computer trusts"));
  g_assert_null (strstr (unknown, "expired"));
  g_assert_nonnull (strstr (identity, "for another address"));
  g_assert_nonnull (strstr (identity, "expired"));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* A blinking cursor in a dialog destroyed at the end of a test makes GtkText warn
   * (fatally here) that its focus-out never came; the blink is not what is tested. */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);

  g_test_add_func ("/app/sync/conflict/keep-mine", test_conflict_keep_mine);
  g_test_add_func ("/app/sync/conflict/keep-theirs", test_conflict_keep_theirs);
  g_test_add_func ("/app/sync/inbox/dismiss-rejection", test_inbox_dismiss_rejection);
  g_test_add_func ("/app/sync/inbox/quarantined-edit", test_inbox_quarantined_edit);
  g_test_add_func ("/app/sync/viewer/no-edit-actions", test_viewer_read_only);
  g_test_add_func ("/app/sync/button/follows-status", test_sync_button_follows_status);
  g_test_add_func ("/app/sync/account/first-run-local", test_account_first_run_local);
  g_test_add_func ("/app/sync/account/unreachable-server", test_account_unreachable_server);
  g_test_add_func ("/app/sync/account/certificate-explained", test_account_certificate_explained);

  return g_test_run ();
}

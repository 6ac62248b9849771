/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-records"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "crm-global-search.h"
#include "crm-list-page.h"
#include "crm-record-chooser.h"
#include "crm-record-page.h"
#include "crm-test-app.h"

#define ORG_NAME "Gestion Lyonnaise Test"

static char *replica_path;

static CrmRecordPage *
record_page (CrmWindow *window)
{
  GtkWidget *page = crm_window_get_record_page (window);

  g_assert_true (CRM_IS_RECORD_PAGE (page));
  return CRM_RECORD_PAGE (page);
}

static guint
organisation_count (CrmWindow *window)
{
  GtkWidget *list = crm_window_get_list_page (window, CRM_ENTITY_ORGANISATION);

  return g_list_model_get_n_items (G_LIST_MODEL (crm_list_page_get_model (CRM_LIST_PAGE (list))));
}

static void
type_into (CrmRecordForm *form,
           const char    *field,
           const char    *text)
{
  GtkWidget *editor = crm_record_form_get_editor (form, field);

  g_assert_true (ADW_IS_ENTRY_ROW (editor));
  gtk_editable_set_text (GTK_EDITABLE (editor), text);
}

static gboolean
search_has_results (gpointer data)
{
  CrmGlobalSearch *search = data;

  return !crm_global_search_is_busy (search) &&
         gtk_list_box_get_row_at_index (crm_global_search_get_results (search), 0) != NULL;
}

static gboolean
chooser_has_results (gpointer data)
{
  return gtk_list_box_get_row_at_index (crm_record_chooser_get_results (data), 0) != NULL;
}

static const char *
row_title (GtkWidget *row)
{
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
}

/* A row of a preferences group (its list box is an internal child), not of a popover. */
static GtkWidget *
find_row_titled (GtkWidget  *widget,
                 const char *title)
{
  if (GTK_IS_POPOVER (widget))
    return NULL;
  if (ADW_IS_PREFERENCES_ROW (widget) && g_strcmp0 (row_title (widget), title) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row_titled (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
create_with_validation (CrmWindow *window)
{
  CrmRecordForm *form;
  GtkWidget *status = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), CRM_TYPE_WINDOW,
                                                                 "empty_page"));
  const char *message;

  /* An empty replica invites to create the first organisation. */
  g_assert_true (gtk_widget_get_mapped (status));
  g_assert_cmpuint (organisation_count (window), ==, 0);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-record", NULL);
  crm_test_iterate ();
  form = crm_record_page_get_form (record_page (window));
  g_assert_true (crm_record_page_get_editing (record_page (window)));
  g_assert_null (crm_record_page_get_id (record_page (window)));

  type_into (form, "name", ORG_NAME);
  type_into (form, "email", "pas-une-adresse");
  type_into (form, "city", "Lyon");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.save", NULL);
  crm_test_iterate ();

  /* core/'s French message, under the field; nothing written, nothing typed lost. */
  message = crm_record_form_get_error (form, "email");
  g_assert_nonnull (message);
  g_assert_true (strstr (message, "adresse e-mail valide") != NULL);
  g_assert_null (crm_record_form_get_error (form, "name"));
  g_assert_null (crm_record_page_get_id (record_page (window)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (crm_record_form_get_editor (form, "name"))),
                   ==, ORG_NAME);
  g_assert_cmpuint (organisation_count (window), ==, 0);

  type_into (form, "email", "contact@gestion-lyonnaise.fr");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.save", NULL);
  crm_test_iterate ();

  g_assert_null (crm_record_form_get_error (form, "email"));
  g_assert_nonnull (crm_record_page_get_id (record_page (window)));
  g_assert_false (crm_record_page_get_editing (record_page (window)));
  g_assert_cmpstr (crm_record_get_string (crm_record_page_get_record (record_page (window)), "email"),
                   ==, "contact@gestion-lyonnaise.fr");
  /* The list counts it at once. */
  g_assert_cmpuint (organisation_count (window), ==, 1);
}

/* What a key press does to @widget's key controllers (GTK 4.8 has no way to synthesize
 * the event itself). */
static void
press_key (GtkWidget *widget,
           guint      keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !handled; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        g_signal_emit_by_name (controller, "key-pressed", keyval, 0, 0, &handled);
    }
  g_assert_true (handled);
}

static void
find_and_open_with_search (CrmWindow *window)
{
  CrmGlobalSearch *search = CRM_GLOBAL_SEARCH (crm_window_get_search (window));
  GtkEditable *entry = crm_global_search_get_entry (search);
  GtkListBoxRow *first;
  GtkWidget *focus;

  /* Leave the record first: the search must bring it back. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.section", "i", (int) CRM_SECTION_PEOPLE);
  g_assert_null (crm_window_get_record_page (window));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL);
  crm_test_iterate ();
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_true (focus == GTK_WIDGET (entry) || gtk_widget_is_ancestor (focus, GTK_WIDGET (entry)));

  /* Typed faster than a search takes: one search runs, then the latest text only. */
  {
    const char *keys[] = { "l", "ly", "lyo", "lyon", "lyonn", "lyonna", "lyonnai", "lyonnais" };
    guint before = crm_global_search_get_n_started (search);

    for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
      {
        gtk_editable_set_text (entry, keys[i]);
        /* As GtkSearchEntry does after its pause, without the pause. */
        g_signal_emit_by_name (entry, "search-changed");
      }
    crm_test_wait_until (search_has_results, search);
    g_assert_cmpuint (crm_global_search_get_n_started (search) - before, <=, 3);
  }

  gtk_editable_set_text (entry, "lyonnaise");
  crm_test_wait_until (search_has_results, search);

  first = gtk_list_box_get_row_at_index (crm_global_search_get_results (search), 0);
  g_assert_cmpstr (row_title (GTK_WIDGET (first)), ==, ORG_NAME);
  /* Grouped: the first hit of each entity carries the entity's header. */
  g_assert_nonnull (gtk_list_box_row_get_header (first));
  g_assert_true (gtk_list_box_get_selected_row (crm_global_search_get_results (search)) == first);

  /* Down moves the selection through the hits while the focus stays in the entry; Up
   * comes back. */
  if (gtk_list_box_get_row_at_index (crm_global_search_get_results (search), 1) != NULL)
    {
      press_key (GTK_WIDGET (entry), GDK_KEY_Down);
      g_assert_cmpint (gtk_list_box_row_get_index (gtk_list_box_get_selected_row (crm_global_search_get_results (search))), ==, 1);
      press_key (GTK_WIDGET (entry), GDK_KEY_Up);
      g_assert_true (gtk_list_box_get_selected_row (crm_global_search_get_results (search)) == first);
    }

  /* Enter opens the selected hit. */
  g_signal_emit_by_name (entry, "activate");
  crm_test_iterate ();
  g_assert_cmpint (crm_record_page_get_kind (record_page (window)), ==, CRM_ENTITY_ORGANISATION);
  g_assert_cmpstr (crm_record_get_string (crm_record_page_get_record (record_page (window)), "name"),
                   ==, ORG_NAME);
}

/* An edit shows in the list at once, without reading the list again. */
static void
edit_from_the_record_page (CrmWindow *window)
{
  CrmRecordListModel *model = crm_list_page_get_model (CRM_LIST_PAGE (crm_window_get_list_page (window, CRM_ENTITY_ORGANISATION)));
  g_autoptr(CrmRecordItem) before = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_autoptr(CrmRecordItem) after = NULL;
  CrmRecordForm *form;

  g_assert_cmpstr (crm_record_get_string (crm_record_item_get_record (before), "city"), ==, "Lyon");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.edit", NULL);
  g_assert_true (crm_record_page_get_editing (record_page (window)));
  form = crm_record_page_get_form (record_page (window));
  type_into (form, "city", "Villeurbanne");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.save", NULL);
  crm_test_iterate ();

  g_assert_false (crm_record_page_get_editing (record_page (window)));
  g_assert_cmpstr (crm_record_get_string (crm_record_item_get_record (before), "city"), ==, "Villeurbanne");
  after = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_true (after == before);
}

static void
add_a_person_link (CrmWindow *window)
{
  CrmReplica *replica = crm_window_get_replica (window);
  g_autoptr(CrmRecord) person = crm_record_new_for_kind (CRM_ENTITY_PERSON);
  g_autoptr(CrmRecord) stored = NULL;
  g_autoptr(GPtrArray) people = NULL;
  g_autoptr(GError) error = NULL;
  CrmRecordChooser *chooser;
  GtkEntry *role;
  GtkWidget *group;
  GtkWidget *row;
  const char *org_id = crm_record_page_get_id (record_page (window));

  crm_record_set_string (person, "first_name", "Claire");
  crm_record_set_string (person, "last_name", "Martin");
  stored = crm_replica_create (replica, person, &error);
  g_assert_no_error (error);

  chooser = CRM_RECORD_CHOOSER (crm_record_page_get_person_chooser (record_page (window)));
  g_assert_nonnull (chooser);
  crm_record_chooser_popup (chooser);
  crm_test_iterate ();
  role = g_object_get_data (G_OBJECT (chooser), "crm-role-entry");
  gtk_editable_set_text (GTK_EDITABLE (role), "Directrice des investissements");
  gtk_editable_set_text (crm_record_chooser_get_search_entry (chooser), "martin");
  crm_test_wait_until (chooser_has_results, chooser);
  g_assert_cmpstr (row_title (GTK_WIDGET (gtk_list_box_get_row_at_index (crm_record_chooser_get_results (chooser), 0))),
                   ==, "Claire Martin");
  g_signal_emit_by_name (crm_record_chooser_get_search_entry (chooser), "activate");
  crm_test_iterate ();

  people = crm_replica_organisation_people (replica, org_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (people->len, ==, 1);
  g_assert_cmpstr (crm_record_get_string (((CrmReplicaMember *) people->pdata[0])->link, "role"),
                   ==, "Directrice des investissements");

  /* The page shows the new member with the role. */
  group = crm_record_page_get_links_group (record_page (window), CRM_ENTITY_PERSON);
  row = find_row_titled (group, "Claire Martin");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "Directrice des investissements");
}

static void
delete_and_undo (CrmWindow *window)
{
  AdwToast *toast;
  GVariant *target;
  g_autofree char *id = g_strdup (crm_record_page_get_id (record_page (window)));
  g_autoptr(CrmRecord) restored = NULL;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.delete", NULL);
  crm_test_iterate ();

  g_assert_null (crm_window_get_record_page (window));
  toast = crm_window_get_toast (window);
  g_assert_nonnull (toast);
  g_assert_true (strstr (adw_toast_get_title (toast), ORG_NAME) != NULL);
  g_assert_cmpstr (adw_toast_get_action_name (toast), ==, "win.undo-delete");

  /* The list of organisations, when shown, no longer counts it: back to the invitation. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.section", "i", (int) CRM_SECTION_ORGANISATIONS);
  crm_test_iterate ();
  g_assert_cmpuint (organisation_count (window), ==, 0);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                                                  CRM_TYPE_WINDOW,
                                                                                  "empty_page"))));

  /* What the toast's Undo button does. */
  target = adw_toast_get_action_target_value (toast);
  gtk_widget_activate_action_variant (GTK_WIDGET (window), "win.undo-delete", target);
  crm_test_iterate ();

  g_assert_cmpuint (organisation_count (window), ==, 1);
  restored = crm_replica_get (crm_window_get_replica (window), CRM_ENTITY_ORGANISATION, id, NULL);
  g_assert_false (crm_record_get_bool (restored, "deleted"));
}

static void
check_records (CrmApplication *app,
               CrmWindow      *window)
{
  create_with_validation (window);
  find_and_open_with_search (window);
  edit_from_the_record_page (window);
  add_a_person_link (window);
  delete_and_undo (window);
}

static void
test_records_create_find_link_delete (void)
{
  const char *args[] = { "--replica", replica_path, NULL };

  crm_test_app_run_with_args (args, check_records);
}

static gboolean
demo_written (gpointer data)
{
  return organisation_count (data) > 0;
}

static GtkDropDown *
find_drop_down (GtkWidget *widget)
{
  if (GTK_IS_DROP_DOWN (widget))
    return GTK_DROP_DOWN (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkDropDown *found = find_drop_down (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
check_sort_and_filter (CrmApplication *app,
                       CrmWindow      *window)
{
  CrmListPage *list;
  CrmRecordListModel *model;
  GtkColumnView *view;
  g_autoptr(GtkColumnViewColumn) aum = NULL;
  g_autoptr(CrmReplicaQuery) richest = crm_replica_query_new (CRM_ENTITY_ORGANISATION);
  g_autoptr(CrmReplicaQuery) providers = crm_replica_query_new (CRM_ENTITY_ORGANISATION);
  g_autoptr(GPtrArray) top = NULL;
  g_autoptr(CrmRecordItem) first = NULL;
  g_autoptr(CrmRecordItem) second = NULL;
  GtkDropDown *type;
  gint64 n_providers;

  /* --demo writes its rows in a worker thread; the lists follow when it is done. */
  crm_test_wait_until (demo_written, window);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.section", "i", (int) CRM_SECTION_ORGANISATIONS);
  list = CRM_LIST_PAGE (crm_window_get_list_page (window, CRM_ENTITY_ORGANISATION));
  model = crm_list_page_get_model (list);

  /* A click on a column header sorts through the replica, not in memory. */
  view = crm_list_page_get_column_view (list);
  aum = g_list_model_get_item (gtk_column_view_get_columns (view), 5);
  g_assert_cmpstr (gtk_column_view_column_get_title (aum), ==, "Encours (EUR)");
  gtk_column_view_sort_by_column (view, aum, GTK_SORT_DESCENDING);
  crm_replica_query_sort (richest, "aum_eur", TRUE);
  crm_replica_query_set_limit (richest, 1);
  top = crm_replica_list (crm_window_get_replica (window), richest, NULL, NULL);
  first = g_list_model_get_item (G_LIST_MODEL (model), 0);
  second = g_list_model_get_item (G_LIST_MODEL (model), 1);
  g_assert_cmpstr (crm_record_item_get_id (first), ==, crm_record_get_string (top->pdata[0], "id"));
  g_assert_cmpfloat (crm_record_get_double (crm_record_item_get_record (first), "aum_eur"), >=,
                     crm_record_get_double (crm_record_item_get_record (second), "aum_eur"));

  /* Ctrl+F shows the filters; the type filter narrows the list and its count. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.filter", NULL);
  g_assert_true (crm_list_page_get_filters_visible (list));
  type = find_drop_down (GTK_WIDGET (list));
  g_assert_nonnull (type);
  gtk_drop_down_set_selected (type, 2);   /* "Any", then the types in schema order */
  crm_replica_query_filter (providers, "type", CRM_REPLICA_EQ, "fournisseur");
  n_providers = crm_replica_count (crm_window_get_replica (window), providers, NULL);
  g_assert_cmpint (n_providers, >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n_providers);
  for (guint i = 0; i < MIN (n_providers, 20); i++)
    {
      g_autoptr(CrmRecordItem) item = g_list_model_get_item (G_LIST_MODEL (model), i);

      g_assert_cmpstr (crm_record_get_string (crm_record_item_get_record (item), "type"), ==, "fournisseur");
    }
}

static void
test_records_list_sorts_and_filters (void)
{
  g_autofree char *path = crm_test_replica_path ();
  const char *args[] = { "--replica", path, "--demo-rows", "2000", NULL };

  crm_test_app_run_with_args (args, check_sort_and_filter);
  crm_test_remove_replica (path);
}

static void
check_open_error (CrmApplication *app,
                  CrmWindow      *window)
{
  AdwStatusPage *error_page = ADW_STATUS_PAGE (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                                             CRM_TYPE_WINDOW,
                                                                             "error_page"));
  gboolean dialog_shown = FALSE;

  g_assert_null (crm_window_get_replica (window));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (error_page)));
  g_assert_nonnull (strstr (adw_status_page_get_description (error_page), "cannot be created"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-record", NULL);
  g_assert_null (crm_window_get_record_page (window));

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data))
      dialog_shown = g_strcmp0 (adw_message_dialog_get_heading (l->data),
                                "The Local Data Cannot Be Opened") == 0;
  g_assert_true (dialog_shown);
}

/* A replica that cannot be opened says why (in French with the catalogue, see test-i18n)
 * and offers nothing to edit. */
static void
test_records_open_error_is_explained (void)
{
  g_autofree char *path = crm_test_replica_path ();
  g_autofree char *blocker = g_path_get_dirname (path);
  g_autofree char *inside = g_build_filename (blocker, "not-a-folder", "replica.db", NULL);
  g_autofree char *file = g_build_filename (blocker, "not-a-folder", NULL);
  const char *args[] = { "--replica", inside, NULL };

  /* A file where the folder should be. */
  g_assert_true (g_file_set_contents (file, "", 0, NULL));
  crm_test_app_run_with_args (args, check_open_error);
  g_assert_cmpint (g_unlink (file), ==, 0);
  g_assert_cmpint (g_rmdir (blocker), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  replica_path = crm_test_replica_path ();
  g_test_add_func ("/app/records/create-find-link-delete", test_records_create_find_link_delete);
  g_test_add_func ("/app/records/list-sorts-and-filters", test_records_list_sorts_and_filters);
  g_test_add_func ("/app/records/open-error-is-explained", test_records_open_error_is_explained);
  status = g_test_run ();

  crm_test_remove_replica (replica_path);
  g_free (replica_path);
  return status;
}

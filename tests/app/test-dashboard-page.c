/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-dashboard-page"

#include "config.h"

#include "crm-dashboard-page.h"
#include "crm-test-pages.h"

typedef struct
{
  CrmTestReplica  store;
  char           *expiring_mandat;
  char           *overdue_task;
  char           *planned_interaction;
} Fixture;

static char *
add_mandat (CrmReplica *replica,
            const char *provider,
            const char *number,
            const char *status,
            int         ends_in_days)
{
  g_autoptr(CrmRecord) mandat = crm_record_new_for_kind (CRM_ENTITY_MANDAT);
  g_autoptr(CrmRecord) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *end = crm_test_local_date (ends_in_days);

  crm_record_set_string (mandat, "organisation_id", provider);
  crm_record_set_string (mandat, "number", number);
  crm_record_set_string (mandat, "status", status);
  crm_record_set_string (mandat, "end_date", end);
  stored = crm_replica_create (replica, mandat, &error);
  g_assert_no_error (error);

  return g_strdup (crm_record_get_string (stored, "id"));
}

static char *
add_interaction (CrmReplica *replica,
                 const char *organisation,
                 const char *subject,
                 int         days)
{
  g_autoptr(CrmRecord) interaction = crm_record_new_for_kind (CRM_ENTITY_INTERACTION);
  g_autoptr(CrmRecord) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *at = crm_test_local_time (days, 10);

  crm_record_set_string (interaction, "type", "call");
  crm_record_set_string (interaction, "occurred_at", at);
  crm_record_set_string (interaction, "organisation_id", organisation);
  crm_record_set_string (interaction, "subject", subject);
  stored = crm_replica_create (replica, interaction, &error);
  g_assert_no_error (error);

  return g_strdup (crm_record_get_string (stored, "id"));
}

/* Three prospects, two in negotiation (one of them deleted), one won; tasks, mandats and
 * interactions of which only some count. */
static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  CrmReplica *replica;
  g_autofree char *provider = NULL;
  g_autofree char *deleted = NULL;
  g_autofree char *three_days_ago = crm_test_local_time (-3, 12);
  g_autofree char *yesterday = crm_test_local_time (-1, 9);
  g_autofree char *today = crm_test_local_time (0, 12);
  g_autofree char *tomorrow = crm_test_local_time (1, 12);
  g_autoptr(GError) error = NULL;

  crm_test_replica_init (&fixture->store);
  replica = fixture->store.replica;

  for (int i = 0; i < 3; i++)
    g_free (crm_test_add_organisation (replica, "Prospect", "investor", "prospect", 1e6));
  g_free (crm_test_add_organisation (replica, "Négociateur", "investor", "negotiation", 1e6));
  deleted = crm_test_add_organisation (replica, "Supprimé", "investor", "negotiation", 1e6);
  crm_replica_delete (replica, CRM_ENTITY_ORGANISATION, deleted, &error);
  g_assert_no_error (error);
  provider = crm_test_add_organisation (replica, "Gestion Alpha", "fournisseur", "won", -1);

  fixture->overdue_task = crm_test_add_task (replica, "Rappeler", CRM_TEST_USER, yesterday, "todo");
  g_free (crm_test_add_task (replica, "Relancer", CRM_TEST_USER, three_days_ago, "in_progress"));
  g_free (crm_test_add_task (replica, "Préparer le comité", CRM_TEST_USER, today, "todo"));
  /* Not counted: due later, done, someone else's. */
  g_free (crm_test_add_task (replica, "Plus tard", CRM_TEST_USER, tomorrow, "todo"));
  g_free (crm_test_add_task (replica, "Fait", CRM_TEST_USER, three_days_ago, "done"));
  g_free (crm_test_add_task (replica, "Pas à moi", CRM_TEST_OTHER, three_days_ago, "todo"));

  fixture->expiring_mandat = add_mandat (replica, provider, "M-2026-001", "active", 10);
  g_free (add_mandat (replica, provider, "M-2026-002", "active", 90));
  g_free (add_mandat (replica, provider, "M-2026-003", "draft", 10));

  g_free (add_interaction (replica, provider, "Point trimestriel", -1));
  g_free (add_interaction (replica, provider, "Présentation du fonds", -2));
  /* Planned, not recent. */
  fixture->planned_interaction = add_interaction (replica, provider, "Comité annuel", 7);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_free (fixture->expiring_mandat);
  g_free (fixture->overdue_task);
  g_free (fixture->planned_interaction);
  crm_test_replica_clear (&fixture->store);
}

static const char *
template_label (GtkWidget  *page,
                const char *name)
{
  return gtk_label_get_label (GTK_LABEL (gtk_widget_get_template_child (page, CRM_TYPE_DASHBOARD_PAGE, name)));
}

static GtkListBox *
template_list (GtkWidget  *page,
               const char *name)
{
  return GTK_LIST_BOX (gtk_widget_get_template_child (page, CRM_TYPE_DASHBOARD_PAGE, name));
}

/* The count shown on the stage row of @stage. */
static const char *
stage_count (GtkWidget  *page,
             const char *stage)
{
  GtkListBox *list = template_list (page, "stages_list");

  for (int i = 0; gtk_list_box_get_row_at_index (list, i) != NULL; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "crm-stage"), stage) == 0)
        {
          GtkWidget *bar = crm_test_find_widget (GTK_WIDGET (row), GTK_TYPE_LEVEL_BAR, NULL);
          GtkWidget *label = gtk_widget_get_next_sibling (bar);

          return gtk_label_get_label (GTK_LABEL (label));
        }
    }
  g_assert_not_reached ();
}

static void
test_dashboard_counts (Fixture       *fixture,
                       gconstpointer  data)
{
  GtkWidget *page = crm_dashboard_page_new (fixture->store.replica);
  GtkWindow *window = crm_test_show (page, FALSE);
  GtkStack *stack = GTK_STACK (gtk_widget_get_template_child (page, CRM_TYPE_DASHBOARD_PAGE, "stack"));

  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "content");
  g_assert_cmpstr (template_label (page, "due_today_label"), ==, "1");
  g_assert_cmpstr (template_label (page, "overdue_label"), ==, "2");
  g_assert_cmpstr (template_label (page, "expiring_label"), ==, "1");

  g_assert_cmpstr (stage_count (page, "prospect"), ==, "3");
  g_assert_cmpstr (stage_count (page, "negotiation"), ==, "1");
  g_assert_cmpstr (stage_count (page, "won"), ==, "1");
  g_assert_cmpstr (stage_count (page, "lost"), ==, "0");

  /* One row per task due today or overdue, one expiring mandat, both interactions. */
  g_assert_nonnull (gtk_list_box_get_row_at_index (template_list (page, "tasks_list"), 2));
  g_assert_null (gtk_list_box_get_row_at_index (template_list (page, "tasks_list"), 3));
  g_assert_nonnull (crm_test_find_row (GTK_WIDGET (template_list (page, "mandats_list")),
                                       fixture->expiring_mandat));
  g_assert_null (gtk_list_box_get_row_at_index (template_list (page, "mandats_list"), 1));
  g_assert_nonnull (gtk_list_box_get_row_at_index (template_list (page, "interactions_list"), 1));
  g_assert_null (gtk_list_box_get_row_at_index (template_list (page, "interactions_list"), 2));
  g_assert_null (crm_test_find_row (GTK_WIDGET (template_list (page, "interactions_list")),
                                    fixture->planned_interaction));

  crm_test_destroy (window);
}

typedef struct
{
  int   kind;
  char *id;
} Opened;

static void
open_record_cb (GtkWidget  *page,
                int         kind,
                const char *id,
                Opened     *opened)
{
  opened->kind = kind;
  g_free (opened->id);
  opened->id = g_strdup (id);
}

static void
test_dashboard_activate_opens_record (Fixture       *fixture,
                                      gconstpointer  data)
{
  GtkWidget *page = crm_dashboard_page_new (fixture->store.replica);
  GtkWindow *window = crm_test_show (page, FALSE);
  Opened opened = { -1, NULL };
  GtkWidget *row;

  g_signal_connect (page, "open-record", G_CALLBACK (open_record_cb), &opened);

  /* What Enter or a click on the row does. */
  row = crm_test_find_row (page, fixture->expiring_mandat);
  g_assert_nonnull (row);
  gtk_widget_activate (row);
  g_assert_cmpint (opened.kind, ==, CRM_ENTITY_MANDAT);
  g_assert_cmpstr (opened.id, ==, fixture->expiring_mandat);

  row = crm_test_find_row (page, fixture->overdue_task);
  g_assert_nonnull (row);
  gtk_widget_activate (row);
  g_assert_cmpint (opened.kind, ==, CRM_ENTITY_TASK);
  g_assert_cmpstr (opened.id, ==, fixture->overdue_task);

  g_free (opened.id);
  crm_test_destroy (window);
}

static void
test_dashboard_reload_shows_new_rows (Fixture       *fixture,
                                      gconstpointer  data)
{
  GtkWidget *page = crm_dashboard_page_new (fixture->store.replica);
  GtkWindow *window = crm_test_show (page, FALSE);
  g_autofree char *today = crm_test_local_time (0, 15);

  g_free (crm_test_add_organisation (fixture->store.replica, "Nouveau", "investor", "lost", 1e6));
  g_free (crm_test_add_task (fixture->store.replica, "Nouvelle", CRM_TEST_USER, today, "todo"));
  g_assert_cmpstr (stage_count (page, "lost"), ==, "0");

  crm_dashboard_page_reload (CRM_DASHBOARD_PAGE (page));
  g_assert_cmpstr (stage_count (page, "lost"), ==, "1");
  g_assert_cmpstr (template_label (page, "due_today_label"), ==, "2");

  crm_test_destroy (window);
}

static void
test_dashboard_empty_replica (void)
{
  CrmTestReplica store;
  GtkWidget *page;
  GtkWindow *window;
  GtkStack *stack;

  crm_test_replica_init (&store);
  page = crm_dashboard_page_new (store.replica);
  window = crm_test_show (page, FALSE);
  stack = GTK_STACK (gtk_widget_get_template_child (page, CRM_TYPE_DASHBOARD_PAGE, "stack"));

  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");

  crm_test_destroy (window);
  crm_test_replica_clear (&store);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/app/dashboard/counts", Fixture, NULL,
              fixture_setup, test_dashboard_counts, fixture_teardown);
  g_test_add ("/app/dashboard/activate-opens-record", Fixture, NULL,
              fixture_setup, test_dashboard_activate_opens_record, fixture_teardown);
  g_test_add ("/app/dashboard/reload-shows-new-rows", Fixture, NULL,
              fixture_setup, test_dashboard_reload_shows_new_rows, fixture_teardown);
  g_test_add_func ("/app/dashboard/empty-replica", test_dashboard_empty_replica);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-tasks-page"

#include "config.h"

#include "crm-tasks-page.h"
#include "crm-test-pages.h"

typedef struct
{
  CrmTestReplica  store;
  char           *overdue;
  char           *today;
  char           *tomorrow;
  char           *later;
  char           *undated;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  CrmReplica *replica;
  g_autofree char *last_week = crm_test_local_time (-7, 10);
  g_autofree char *today = crm_test_local_time (0, 16);
  g_autofree char *tomorrow = crm_test_local_time (1, 9);
  g_autofree char *next_month = crm_test_local_time (30, 9);

  crm_test_replica_init (&fixture->store);
  replica = fixture->store.replica;

  fixture->overdue = crm_test_add_task (replica, "Relancer la caisse", CRM_TEST_USER, last_week, "todo");
  fixture->today = crm_test_add_task (replica, "Préparer le comité", CRM_TEST_USER, today, "in_progress");
  fixture->tomorrow = crm_test_add_task (replica, "Appeler Lyon", CRM_TEST_USER, tomorrow, "todo");
  fixture->later = crm_test_add_task (replica, "Bilan annuel", CRM_TEST_USER, next_month, "todo");
  fixture->undated = crm_test_add_task (replica, "Lire le rapport", CRM_TEST_USER, NULL, "todo");
  /* Not shown: done, cancelled, someone else's. */
  g_free (crm_test_add_task (replica, "Déjà fait", CRM_TEST_USER, today, "done"));
  g_free (crm_test_add_task (replica, "Abandonné", CRM_TEST_USER, today, "cancelled"));
  g_free (crm_test_add_task (replica, "Pas à moi", CRM_TEST_OTHER, today, "todo"));
  crm_test_replica_settle (replica);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_free (fixture->overdue);
  g_free (fixture->today);
  g_free (fixture->tomorrow);
  g_free (fixture->later);
  g_free (fixture->undated);
  crm_test_replica_clear (&fixture->store);
}

static GtkWidget *
group (GtkWidget  *page,
       const char *name)
{
  GtkWidget *widget = crm_test_find_widget (page, ADW_TYPE_PREFERENCES_GROUP, name);

  g_assert_nonnull (widget);
  return widget;
}

/* The ids of the task rows of group @name, in order. */
static GPtrArray *
group_ids (GtkWidget  *page,
           const char *name)
{
  GtkWidget *list = crm_test_find_widget (group (page, name), GTK_TYPE_LIST_BOX, "tasks");
  GPtrArray *ids = g_ptr_array_new ();

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      const char *id = g_object_get_data (G_OBJECT (row), "crm-id");

      if (id != NULL)
        g_ptr_array_add (ids, (gpointer) id);
    }
  return ids;
}

static void
assert_group (GtkWidget  *page,
              const char *name,
              const char *only_id)
{
  g_autoptr(GPtrArray) ids = group_ids (page, name);

  if (only_id == NULL)
    {
      g_assert_false (gtk_widget_get_visible (group (page, name)));
      g_assert_cmpuint (ids->len, ==, 0);
      return;
    }
  g_assert_true (gtk_widget_get_visible (group (page, name)));
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (ids, 0), ==, only_id);
}

static void
test_tasks_grouped_by_due_date (Fixture       *fixture,
                                gconstpointer  data)
{
  GtkWidget *page = crm_tasks_page_new (fixture->store.replica);
  GtkWindow *window = crm_test_show (page, FALSE);

  assert_group (page, "overdue", fixture->overdue);
  assert_group (page, "today", fixture->today);
  assert_group (page, "tomorrow", fixture->tomorrow);
  /* Whatever the weekday, next month is after this week. */
  assert_group (page, "this-week", NULL);
  assert_group (page, "later", fixture->later);
  assert_group (page, "no-date", fixture->undated);

  crm_test_destroy (window);
}

static void
task_done_cb (GtkWidget  *page,
              const char *id,
              const char *previous,
              GPtrArray  *seen)
{
  g_ptr_array_add (seen, g_strdup (id));
  g_ptr_array_add (seen, g_strdup (previous));
}

static char *
status_of (CrmReplica *replica,
           const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRecord) task = crm_replica_get (replica, CRM_ENTITY_TASK, id, &error);

  g_assert_no_error (error);
  return g_strdup (crm_record_get_string (task, "status"));
}

static void
click_done (GtkWidget  *page,
            const char *id)
{
  GtkWidget *row = crm_test_find_row (page, id);
  GtkWidget *check;

  g_assert_nonnull (row);
  check = g_object_get_data (G_OBJECT (row), "crm-check");
  g_assert_true (GTK_IS_CHECK_BUTTON (check));
  /* What a click or Space on the check button does. */
  gtk_widget_activate (check);
}

static void
test_tasks_check_marks_done (Fixture       *fixture,
                             gconstpointer  data)
{
  CrmReplica *replica = fixture->store.replica;
  GtkWidget *page = crm_tasks_page_new (replica);
  GtkWindow *window = crm_test_show (page, FALSE);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;
  gint64 queued = crm_replica_outbox_count (replica, &error);

  g_signal_connect (page, "task-done", G_CALLBACK (task_done_cb), seen);
  click_done (page, fixture->today);

  status = status_of (replica, fixture->today);
  g_assert_cmpstr (status, ==, "done");
  g_assert_cmpint (crm_replica_outbox_count (replica, &error), ==, queued + 1);
  assert_group (page, "today", NULL);
  assert_group (page, "overdue", fixture->overdue);

  /* No toast overlay here: the signal carries what an undo needs. */
  g_assert_cmpuint (seen->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (seen, 0), ==, fixture->today);
  g_assert_cmpstr (g_ptr_array_index (seen, 1), ==, "in_progress");

  crm_test_destroy (window);
}

static void
test_tasks_undo_toast_restores (Fixture       *fixture,
                                gconstpointer  data)
{
  CrmReplica *replica = fixture->store.replica;
  GtkWidget *page = crm_tasks_page_new (replica);
  GtkWindow *window = crm_test_show (page, TRUE);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *done = NULL;
  g_autofree char *restored = NULL;
  GtkWidget *undo;

  g_signal_connect (page, "task-done", G_CALLBACK (task_done_cb), seen);
  click_done (page, fixture->overdue);
  crm_test_spin ();

  done = status_of (replica, fixture->overdue);
  g_assert_cmpstr (done, ==, "done");
  assert_group (page, "overdue", NULL);
  g_assert_cmpuint (seen->len, ==, 0);

  undo = crm_test_find_button (gtk_widget_get_parent (page), "_Undo");
  g_assert_nonnull (undo);
  /* What a click does (activate would wait for the press animation). */
  g_signal_emit_by_name (undo, "clicked");

  restored = status_of (replica, fixture->overdue);
  g_assert_cmpstr (restored, ==, "todo");
  assert_group (page, "overdue", fixture->overdue);

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
test_tasks_activate_opens_record (Fixture       *fixture,
                                  gconstpointer  data)
{
  GtkWidget *page = crm_tasks_page_new (fixture->store.replica);
  GtkWindow *window = crm_test_show (page, FALSE);
  Opened opened = { -1, NULL };

  g_signal_connect (page, "open-record", G_CALLBACK (open_record_cb), &opened);
  gtk_widget_activate (crm_test_find_row (page, fixture->later));

  g_assert_cmpint (opened.kind, ==, CRM_ENTITY_TASK);
  g_assert_cmpstr (opened.id, ==, fixture->later);

  g_free (opened.id);
  crm_test_destroy (window);
}

/* Open means to do or in progress; the two are read apart and merged in due order. */
static void
test_tasks_statuses_merge_in_due_order (void)
{
  CrmTestReplica store;
  GtkWidget *page;
  GtkWindow *window;
  g_autoptr(GPtrArray) ids = NULL;
  g_autofree char *d1 = crm_test_local_time (-1, 9);
  g_autofree char *d2 = crm_test_local_time (-2, 9);
  g_autofree char *d3 = crm_test_local_time (-3, 9);
  g_autofree char *d5 = crm_test_local_time (-5, 9);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  g_autofree char *d = NULL;

  crm_test_replica_init (&store);
  a = crm_test_add_task (store.replica, "A", CRM_TEST_USER, d2, "todo");
  b = crm_test_add_task (store.replica, "B", CRM_TEST_USER, d1, "in_progress");
  c = crm_test_add_task (store.replica, "C", CRM_TEST_USER, d5, "todo");
  d = crm_test_add_task (store.replica, "D", CRM_TEST_USER, d3, "in_progress");
  page = crm_tasks_page_new (store.replica);
  window = crm_test_show (page, FALSE);

  /* Overdue: the latest missed first, whatever their status. */
  ids = group_ids (page, "overdue");
  g_assert_cmpuint (ids->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (ids, 0), ==, b);
  g_assert_cmpstr (g_ptr_array_index (ids, 1), ==, a);
  g_assert_cmpstr (g_ptr_array_index (ids, 2), ==, d);
  g_assert_cmpstr (g_ptr_array_index (ids, 3), ==, c);

  crm_test_destroy (window);
  crm_test_replica_clear (&store);
}

static void
test_tasks_show_more (void)
{
  CrmTestReplica store;
  GtkWidget *page;
  GtkWindow *window;
  GtkWidget *list;
  GtkWidget *more = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) all = NULL;

  crm_test_replica_init (&store);
  for (int i = 1; i <= 25; i++)
    {
      g_autofree char *due = crm_test_local_time (-i, 9);

      g_free (crm_test_add_task (store.replica, "En retard", CRM_TEST_USER, due, "todo"));
    }
  page = crm_tasks_page_new (store.replica);
  window = crm_test_show (page, FALSE);

  /* A long group starts short, with a row that lists the next ones. */
  first = group_ids (page, "overdue");
  g_assert_cmpuint (first->len, ==, 20);
  list = crm_test_find_widget (group (page, "overdue"), GTK_TYPE_LIST_BOX, "tasks");
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    if (g_object_get_data (G_OBJECT (row), "crm-more") != NULL)
      more = row;
  g_assert_nonnull (more);
  gtk_widget_activate (more);

  all = group_ids (page, "overdue");
  g_assert_cmpuint (all->len, ==, 25);

  crm_test_destroy (window);
  crm_test_replica_clear (&store);
}

static void
test_tasks_empty (void)
{
  CrmTestReplica store;
  GtkWidget *page;
  GtkWindow *window;
  GtkStack *stack;
  g_autofree char *today = crm_test_local_time (0, 12);

  crm_test_replica_init (&store);
  g_free (crm_test_add_task (store.replica, "Pas à moi", CRM_TEST_OTHER, today, "todo"));
  page = crm_tasks_page_new (store.replica);
  window = crm_test_show (page, FALSE);
  stack = GTK_STACK (gtk_widget_get_template_child (page, CRM_TYPE_TASKS_PAGE, "stack"));

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

  g_test_add ("/app/tasks/grouped-by-due-date", Fixture, NULL,
              fixture_setup, test_tasks_grouped_by_due_date, fixture_teardown);
  g_test_add ("/app/tasks/check-marks-done", Fixture, NULL,
              fixture_setup, test_tasks_check_marks_done, fixture_teardown);
  g_test_add ("/app/tasks/undo-toast-restores", Fixture, NULL,
              fixture_setup, test_tasks_undo_toast_restores, fixture_teardown);
  g_test_add ("/app/tasks/activate-opens-record", Fixture, NULL,
              fixture_setup, test_tasks_activate_opens_record, fixture_teardown);
  g_test_add_func ("/app/tasks/statuses-merge-in-due-order", test_tasks_statuses_merge_in_due_order);
  g_test_add_func ("/app/tasks/show-more", test_tasks_show_more);
  g_test_add_func ("/app/tasks/empty", test_tasks_empty);

  return g_test_run ();
}

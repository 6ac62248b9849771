/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-test-pages"

#include "config.h"

#include <glib/gstdio.h>

#include "crm-test-pages.h"
#include "crm-time.h"

void
crm_test_replica_init (CrmTestReplica *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("crm-test-pages-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "replica.db", NULL);
  fixture->replica = crm_replica_open (path, CRM_REPLICA_OPEN_NONE, &error);
  g_assert_no_error (error);
  crm_replica_set_user (fixture->replica, CRM_TEST_USER, NULL, &error);
  g_assert_no_error (error);
}

void
crm_test_replica_clear (CrmTestReplica *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  crm_replica_close (fixture->replica, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (g_steal_pointer (&fixture->replica));

  dir = g_dir_open (fixture->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (fixture->dir, name, NULL);

      g_unlink (file);
    }
  g_rmdir (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
}

void
crm_test_replica_settle (CrmReplica *replica)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ops = crm_replica_outbox_peek (replica, 0, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < ops->len; i++)
    {
      CrmOutboxOp *op = g_ptr_array_index (ops, i);

      crm_replica_outbox_mark_sent (replica, op->op_id, &error);
      g_assert_no_error (error);
      crm_replica_outbox_applied (replica, op->op_id, (gint64) i + 1, &error);
      g_assert_no_error (error);
    }
  g_assert_cmpint (crm_replica_outbox_count (replica, &error), ==, 0);
}

static char *
create (CrmReplica *replica,
        CrmRecord  *record)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRecord) stored = crm_replica_create (replica, record, &error);

  g_assert_no_error (error);
  return g_strdup (crm_record_get_string (stored, "id"));
}

char *
crm_test_add_organisation (CrmReplica *replica,
                           const char *name,
                           const char *type,
                           const char *stage,
                           double      aum_eur)
{
  g_autoptr(CrmRecord) org = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);

  crm_record_set_string (org, "name", name);
  crm_record_set_string (org, "type", type);
  crm_record_set_string (org, "pipeline_stage", stage);
  crm_record_set_string (org, "city", "Lyon");
  if (aum_eur >= 0)
    crm_record_set_double (org, "aum_eur", aum_eur);

  return create (replica, org);
}

char *
crm_test_add_task (CrmReplica *replica,
                   const char *title,
                   const char *assignee,
                   const char *due_at,
                   const char *status)
{
  g_autoptr(CrmRecord) task = crm_record_new_for_kind (CRM_ENTITY_TASK);

  crm_record_set_string (task, "title", title);
  crm_record_set_string (task, "assignee_id", assignee);
  if (due_at != NULL)
    crm_record_set_string (task, "due_at", due_at);
  crm_record_set_string (task, "status", status);

  return create (replica, task);
}

static GDateTime *
local_day (int days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) midnight = g_date_time_new_local (g_date_time_get_year (now),
                                                         g_date_time_get_month (now),
                                                         g_date_time_get_day_of_month (now),
                                                         0, 0, 0);

  return g_date_time_add_days (midnight, days);
}

char *
crm_test_local_time (int days,
                     int hour)
{
  g_autoptr(GDateTime) day = local_day (days);
  g_autoptr(GDateTime) at = g_date_time_add_hours (day, hour);

  return crm_time_format (g_date_time_to_unix (at) * G_USEC_PER_SEC);
}

char *
crm_test_local_date (int days)
{
  g_autoptr(GDateTime) day = local_day (days);

  return g_date_time_format (day, "%Y-%m-%d");
}

GtkWidget *
crm_test_find_card (GtkWidget *root)
{
  if (g_object_get_data (G_OBJECT (root), "crm-menu") != NULL)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = crm_test_find_card (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
crm_test_find_widget (GtkWidget  *root,
                      GType       type,
                      const char *name)
{
  if (g_type_is_a (G_OBJECT_TYPE (root), type)
      && (name == NULL || g_strcmp0 (gtk_widget_get_name (root), name) == 0))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = crm_test_find_widget (child, type, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
crm_test_find_button (GtkWidget  *root,
                      const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = crm_test_find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
crm_test_find_row (GtkWidget  *root,
                   const char *id)
{
  if (GTK_IS_LIST_BOX_ROW (root) && g_strcmp0 (g_object_get_data (G_OBJECT (root), "crm-id"), id) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = crm_test_find_row (child, id);

      if (found != NULL)
        return found;
    }
  return NULL;
}

void
crm_test_spin (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

GtkWindow *
crm_test_show (GtkWidget *child,
               gboolean   with_overlay)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  if (with_overlay)
    {
      GtkWidget *overlay = adw_toast_overlay_new ();

      adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), child);
      gtk_window_set_child (GTK_WINDOW (window), overlay);
    }
  else
    gtk_window_set_child (GTK_WINDOW (window), child);
  g_object_set_data (G_OBJECT (window), "crm-test-child", child);
  gtk_window_present (GTK_WINDOW (window));
  crm_test_spin ();

  return GTK_WINDOW (window);
}

/* Destroys @window and checks that its page did not leak: a page that kept a reference
 * to itself (a signal, a pending task) would outlive its window. */
void
crm_test_destroy (GtkWindow *window)
{
  GtkWidget *child = g_object_get_data (G_OBJECT (window), "crm-test-child");
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_object_add_weak_pointer (G_OBJECT (child), (gpointer *) &child);
  gtk_window_destroy (window);
  /* A background read still running holds the page until it returns. */
  while (child != NULL && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  g_assert_null (child);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-test-app"

#include "config.h"

#include <glib/gstdio.h>

#include "crm-test-app.h"

gboolean crm_test_app_first_run_choice = TRUE;

static void
on_activate (CrmApplication *app,
             gpointer        user_data)
{
  CrmTestAppFunc func = (CrmTestAppFunc) user_data;
  GtkWindow *window;

  crm_test_iterate ();

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_nonnull (window);
  g_assert_true (CRM_IS_WINDOW (window));

  func (app, CRM_WINDOW (window));

  /* The way a user leaves: the run ends once app.quit has closed the last window. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
}

/* Runs the real application as a launch does: its main loop, start-up, activation (which
 * opens the main window), then app.quit and shutdown. It must end up finalized: a
 * leaked reference to the application, or a window that outlives it, fails the test.
 * Non-unique, so that successive tests in one process each get a fresh instance. */
void
crm_test_app_run (CrmTestAppFunc func)
{
  crm_test_app_run_with_args (NULL, func);
}

void
crm_test_app_run_with_args (const char * const *args,
                            CrmTestAppFunc      func)
{
  g_autoptr(CrmApplication) app = crm_application_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  int status;

  g_strv_builder_add (builder, "alforis-crm");
  if (args != NULL)
    g_strv_builder_addv (builder, (const char **) args);
  argv = g_strv_builder_end (builder);

  /* This machine has made its first-run choice: the window comes up alone. */
  if (crm_test_app_first_run_choice)
    {
      g_autoptr(GSettings) settings = g_settings_new (CRM_SETTINGS_SCHEMA_ID);

      if (g_settings_get_enum (settings, "account-mode") == CRM_ACCOUNT_UNSET)
        g_settings_set_enum (settings, "account-mode", CRM_ACCOUNT_LOCAL);
    }
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate), (gpointer) func);

  status = g_application_run (G_APPLICATION (app), (int) g_strv_length (argv), argv);

  g_assert_cmpint (status, ==, EXIT_SUCCESS);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));
  g_assert_finalize_object (g_steal_pointer (&app));
}

void
crm_test_iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Runs the main loop until @done says so; a test that waits 20 s has failed. */
void
crm_test_wait_until (CrmTestCondition done,
                     gpointer         data)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!done (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  crm_test_iterate ();
}

/* A fresh replica file for one test, removed with its folder by the caller. */
char *
crm_test_replica_path (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("crm-test-XXXXXX", &error);

  g_assert_no_error (error);
  return g_build_filename (dir, "replica.db", NULL);
}

/* Removes the folder crm_test_replica_path() made, with the replica's files. */
void
crm_test_remove_replica (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GDir) contents = g_dir_open (dir, 0, NULL);
  const char *name;

  while (contents != NULL && (name = g_dir_read_name (contents)) != NULL)
    {
      g_autofree char *file = g_build_filename (dir, name, NULL);

      g_assert_cmpint (g_unlink (file), ==, 0);
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
collect_popovers (GtkWidget *widget,
                  GPtrArray *found)
{
  if (GTK_IS_POPOVER (widget) && gtk_widget_get_mapped (widget))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_popovers (child, found);
}

static void
snapshot_widget (GtkSnapshot *snapshot,
                 GtkWidget   *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);

  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (widget),
                          gtk_widget_get_height (widget));
}

void
crm_test_save_png (GtkWidget  *toplevel,
                   const char *path)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GPtrArray) popovers = g_ptr_array_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (toplevel));
  int width = gtk_widget_get_width (toplevel);
  int height = gtk_widget_get_height (toplevel);
  double top_x, top_y;

  g_return_if_fail (GTK_IS_NATIVE (toplevel));

  /* The paintable shows the last frame drawn: let a queued one be drawn first. */
  for (gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC / 2; g_get_monotonic_time () < end;)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
  snapshot_widget (snapshot, toplevel);
  gtk_native_get_surface_transform (GTK_NATIVE (toplevel), &top_x, &top_y);
  collect_popovers (toplevel, popovers);
  for (guint i = 0; i < popovers->len; i++)
    {
      GtkWidget *popover = popovers->pdata[i];
      GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (popover));
      double x, y;

      /* The popup's surface is placed relative to its parent's surface; both widgets sit
       * inside their surfaces by their shadow margins. */
      gtk_native_get_surface_transform (GTK_NATIVE (popover), &x, &y);
      x += gdk_popup_get_position_x (GDK_POPUP (surface)) - top_x;
      y += gdk_popup_get_position_y (GDK_POPUP (surface)) - top_y;
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((float) x, (float) y));
      snapshot_widget (snapshot, popover);
      gtk_snapshot_restore (snapshot);
    }

  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    g_error ("Could not write %s", path);
}

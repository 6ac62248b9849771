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

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-about"

#include "config.h"

#include "crm-test-app.h"

static AdwAboutWindow *
find_about_window (CrmApplication *app)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    {
      if (ADW_IS_ABOUT_WINDOW (l->data))
        return l->data;
    }
  return NULL;
}

static void
open_about_and_check (CrmApplication *app,
                      CrmWindow      *window)
{
  AdwAboutWindow *about;

  g_assert_null (find_about_window (app));

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  crm_test_iterate ();

  about = find_about_window (app);
  g_assert_nonnull (about);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (about)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (about)) == GTK_WINDOW (window));
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
  g_assert_cmpint (adw_about_window_get_license_type (about), ==, GTK_LICENSE_GPL_3_0);
  g_assert_cmpstr (adw_about_window_get_application_icon (about), ==, APP_ID);
}

static void
test_about_action_shows_version (void)
{
  crm_test_app_run (open_about_and_check);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/app/about/action-shows-version", test_about_action_shows_version);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include "crm-test-app.h"

static void
check_title_and_empty_state (CrmApplication *app,
                             CrmWindow      *window)
{
  AdwStatusPage *empty_page;

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Alforis CRM");

  empty_page = ADW_STATUS_PAGE (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                               CRM_TYPE_WINDOW,
                                                               "empty_page"));
  g_assert_cmpstr (adw_status_page_get_title (empty_page), ==, "No data — create an organisation");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (empty_page)));
}

static void
test_window_title_and_empty_state (void)
{
  crm_test_app_run (check_title_and_empty_state);
}

static void
check_size_is_812x534 (CrmApplication *app,
                       CrmWindow      *window)
{
  int width;
  int height;

  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 812);
  g_assert_cmpint (height, ==, 534);
}

static void
test_window_restores_saved_size (void)
{
  g_autoptr(GSettings) settings = g_settings_new (CRM_SETTINGS_SCHEMA_ID);

  g_settings_set_int (settings, "window-width", 812);
  g_settings_set_int (settings, "window-height", 534);

  crm_test_app_run (check_size_is_812x534);

  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
}

static void
resize_to_777x555_and_quit (CrmApplication *app,
                            CrmWindow      *window)
{
  gtk_window_set_default_size (GTK_WINDOW (window), 777, 555);
  crm_test_iterate ();

  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
}

static void
test_window_saves_size_on_quit (void)
{
  g_autoptr(GSettings) settings = g_settings_new (CRM_SETTINGS_SCHEMA_ID);

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), !=, 777);

  crm_test_app_run (resize_to_777x555_and_quit);

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 777);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 555);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/app/window/title-and-empty-state", test_window_title_and_empty_state);
  g_test_add_func ("/app/window/restores-saved-size", test_window_restores_saved_size);
  g_test_add_func ("/app/window/saves-size-on-quit", test_window_saves_size_on_quit);

  return g_test_run ();
}

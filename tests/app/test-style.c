/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-style"

#include "config.h"

#include "crm-test-app.h"

static void
check_forced_dark (CrmApplication *app,
                   CrmWindow      *window)
{
  AdwStyleManager *style_manager = adw_style_manager_get_default ();

  g_assert_cmpint (adw_style_manager_get_color_scheme (style_manager), ==, ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_true (adw_style_manager_get_dark (style_manager));
}

static void
test_style_dark_setting_at_startup (void)
{
  g_autoptr(GSettings) settings = g_settings_new (CRM_SETTINGS_SCHEMA_ID);

  g_assert_false (adw_style_manager_get_dark (adw_style_manager_get_default ()));
  g_settings_set_string (settings, "color-scheme", "dark");

  crm_test_app_run (check_forced_dark);

  g_settings_reset (settings, "color-scheme");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

static void
switch_scheme_from_menu (CrmApplication *app,
                         CrmWindow      *window)
{
  g_autoptr(GSettings) settings = g_settings_new (CRM_SETTINGS_SCHEMA_ID);
  AdwStyleManager *style_manager = adw_style_manager_get_default ();
  g_autofree char *stored = NULL;

  g_assert_cmpint (adw_style_manager_get_color_scheme (style_manager), ==, ADW_COLOR_SCHEME_DEFAULT);

  g_action_group_activate_action (G_ACTION_GROUP (app), "color-scheme", g_variant_new_string ("dark"));
  stored = g_settings_get_string (settings, "color-scheme");
  g_assert_cmpstr (stored, ==, "dark");
  g_assert_true (adw_style_manager_get_dark (style_manager));

  g_action_group_activate_action (G_ACTION_GROUP (app), "color-scheme", g_variant_new_string ("light"));
  g_assert_cmpint (adw_style_manager_get_color_scheme (style_manager), ==, ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_assert_false (adw_style_manager_get_dark (style_manager));

  g_settings_reset (settings, "color-scheme");
}

static void
test_style_menu_action_switches_scheme (void)
{
  crm_test_app_run (switch_scheme_from_menu);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/app/style/dark-setting-at-startup", test_style_dark_setting_at_startup);
  g_test_add_func ("/app/style/menu-action-switches-scheme", test_style_menu_action_switches_scheme);

  return g_test_run ();
}

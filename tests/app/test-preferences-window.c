/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-preferences-window"

#include "config.h"

#include "crm-preferences-window.h"
#include "crm-test-app.h"

static GObject *
child (GtkWidget  *preferences,
       const char *name)
{
  return gtk_widget_get_template_child (preferences, CRM_TYPE_PREFERENCES_WINDOW, name);
}

static void
choose_dark_then_light (CrmApplication *app,
                        CrmWindow      *window)
{
  g_autoptr(GSettings) settings = g_settings_new (CRM_SETTINGS_SCHEMA_ID);
  AdwStyleManager *style_manager = adw_style_manager_get_default ();
  GtkWidget *preferences = crm_preferences_window_new (GTK_WINDOW (window));
  AdwComboRow *style_row = ADW_COMBO_ROW (child (preferences, "style_row"));
  g_autofree char *dark = NULL;
  g_autofree char *light = NULL;

  gtk_window_present (GTK_WINDOW (preferences));
  crm_test_iterate ();
  g_assert_cmpuint (adw_combo_row_get_selected (style_row), ==, 0);
  g_assert_false (adw_style_manager_get_dark (style_manager));

  adw_combo_row_set_selected (style_row, 2);
  dark = g_settings_get_string (settings, "color-scheme");
  g_assert_cmpstr (dark, ==, "dark");
  g_assert_cmpint (adw_style_manager_get_color_scheme (style_manager), ==, ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_true (adw_style_manager_get_dark (style_manager));

  adw_combo_row_set_selected (style_row, 1);
  light = g_settings_get_string (settings, "color-scheme");
  g_assert_cmpstr (light, ==, "light");
  g_assert_false (adw_style_manager_get_dark (style_manager));

  adw_combo_row_set_selected (style_row, 0);
  g_assert_cmpint (adw_style_manager_get_color_scheme (style_manager), ==, ADW_COLOR_SCHEME_DEFAULT);

  gtk_window_destroy (GTK_WINDOW (preferences));
}

static void
test_preferences_style_choice_applies (void)
{
  crm_test_app_run (choose_dark_then_light);
}

static void
show_stored_values (CrmApplication *app,
                    CrmWindow      *window)
{
  GtkWidget *preferences = crm_preferences_window_new (GTK_WINDOW (window));

  /* Set before the window opened (test_preferences_show_stored_values). */
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (child (preferences, "style_row"))), ==, 2);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (child (preferences, "density_row"))), ==, 1);
  g_assert_cmpfloat (gtk_adjustment_get_value (GTK_ADJUSTMENT (child (preferences, "sync_interval_adjustment"))),
                     ==, 42);
  gtk_window_destroy (GTK_WINDOW (preferences));
}

static void
test_preferences_show_stored_values (void)
{
  g_autoptr(GSettings) settings = g_settings_new (CRM_SETTINGS_SCHEMA_ID);

  g_settings_set_string (settings, "color-scheme", "dark");
  g_settings_set_string (settings, "list-density", "compact");
  g_settings_set_uint (settings, "sync-interval", 42);

  crm_test_app_run (show_stored_values);

  g_settings_reset (settings, "color-scheme");
  g_settings_reset (settings, "list-density");
  g_settings_reset (settings, "sync-interval");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

static void
test_preferences_interval_and_density (void)
{
  g_autoptr(GSettings) settings = g_settings_new (CRM_SETTINGS_SCHEMA_ID);
  GtkWidget *preferences = crm_preferences_window_new (NULL);
  GtkAdjustment *interval = GTK_ADJUSTMENT (child (preferences, "sync_interval_adjustment"));
  AdwComboRow *density = ADW_COMBO_ROW (child (preferences, "density_row"));
  g_autofree char *compact = NULL;

  g_assert_cmpfloat (gtk_adjustment_get_value (interval), ==, 5);
  gtk_adjustment_set_value (interval, 30);
  g_assert_cmpuint (g_settings_get_uint (settings, "sync-interval"), ==, 30);
  g_settings_set_uint (settings, "sync-interval", 12);
  g_assert_cmpfloat (gtk_adjustment_get_value (interval), ==, 12);

  adw_combo_row_set_selected (density, 1);
  compact = g_settings_get_string (settings, "list-density");
  g_assert_cmpstr (compact, ==, "compact");
  g_settings_set_string (settings, "list-density", "comfortable");
  g_assert_cmpuint (adw_combo_row_get_selected (density), ==, 0);

  gtk_window_destroy (GTK_WINDOW (preferences));
  g_settings_reset (settings, "sync-interval");
  g_settings_reset (settings, "list-density");
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/app/preferences/style-choice-applies", test_preferences_style_choice_applies);
  g_test_add_func ("/app/preferences/show-stored-values", test_preferences_show_stored_values);
  g_test_add_func ("/app/preferences/interval-and-density", test_preferences_interval_and_density);

  return g_test_run ();
}

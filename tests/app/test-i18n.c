/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-i18n"

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "crm-test-app.h"

/* Labels of the primary menu, section by section, with their mnemonics. */
static GPtrArray *
collect_menu_labels (GMenuModel *model)
{
  GPtrArray *labels = g_ptr_array_new_with_free_func (g_free);

  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);

      for (int j = 0; section != NULL && j < g_menu_model_get_n_items (section); j++)
        {
          char *label = NULL;

          if (g_menu_model_get_item_attribute (section, j, G_MENU_ATTRIBUTE_LABEL, "s", &label))
            g_ptr_array_add (labels, label);
        }
    }

  return labels;
}

static void
test_i18n_catalogue_is_french (void)
{
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "_About Alforis CRM"), ==, "À _propos d’Alforis CRM");
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "No data — create an organisation"),
                   ==, "Aucune donnée — créez une organisation");
}

static void
check_window_is_french (CrmApplication *app,
                        CrmWindow      *window)
{
  GtkMenuButton *button;
  AdwStatusPage *empty_page;
  g_autoptr(GPtrArray) labels = NULL;

  button = GTK_MENU_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                           CRM_TYPE_WINDOW,
                                                           "primary_menu_button"));
  labels = collect_menu_labels (gtk_menu_button_get_menu_model (button));

  g_assert_true (g_ptr_array_find_with_equal_func (labels, "_Raccourcis clavier", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (labels, "À _propos d’Alforis CRM", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (labels, "_Quitter", g_str_equal, NULL));
  g_assert_false (g_ptr_array_find_with_equal_func (labels, "_Quit", g_str_equal, NULL));

  empty_page = ADW_STATUS_PAGE (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                               CRM_TYPE_WINDOW,
                                                               "empty_page"));
  g_assert_cmpstr (adw_status_page_get_title (empty_page), ==, "Aucune donnée — créez une organisation");
}

static void
test_i18n_window_is_french (void)
{
  crm_test_app_run (check_window_is_french);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  /* gtk_test_init() forces the "C" locale, under which gettext ignores LANGUAGE; C.UTF-8
   * does not. The catalogue is the one meson built in this build tree. */
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "fr", TRUE);
  bindtextdomain (GETTEXT_PACKAGE, CRM_TEST_LOCALE_DIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  g_test_add_func ("/app/i18n/catalogue-is-french", test_i18n_catalogue_is_french);
  g_test_add_func ("/app/i18n/window-is-french", test_i18n_window_is_french);

  return g_test_run ();
}

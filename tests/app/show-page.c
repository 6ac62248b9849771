/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * show-page — one page of the app on demo data, in French, in a window; with
 * --screenshot FILE it renders the window to a PNG once it has settled and quits.
 *
 *   show-page dashboard|pipeline|tasks|preferences [--dark] [--rows N] [--screenshot FILE]
 *
 * tests/app/screenshot-pages.sh runs it under Xvfb for every page. The window titles
 * are the sidebar's French names: this stands in for the main window.
 */
#define G_LOG_DOMAIN "show-page"

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "crm-application.h"
#include "crm-dashboard-page.h"
#include "crm-pipeline-page.h"
#include "crm-preferences-window.h"
#include "crm-tasks-page.h"

static char *page_name;
static char *screenshot;
static gboolean dark;
static int n_rows = 3000;
static CrmReplica *replica;

static const GOptionEntry entries[] = {
  { "dark", 0, 0, G_OPTION_ARG_NONE, &dark, "Dark style", NULL },
  { "rows", 0, 0, G_OPTION_ARG_INT, &n_rows, "Rows of demo data", "N" },
  { "screenshot", 0, 0, G_OPTION_ARG_FILENAME, &screenshot, "Write a PNG and quit", "FILE" },
  { NULL }
};

static gboolean
take_screenshot (gpointer user_data)
{
  GtkWindow *window = user_data;
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  int width = gtk_widget_get_width (GTK_WIDGET (window));
  int height = gtk_widget_get_height (GTK_WIDGET (window));

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, screenshot))
    g_printerr ("Could not write %s\n", screenshot);

  gtk_window_destroy (window);
  return G_SOURCE_REMOVE;
}

static void
open_record_cb (GtkWidget  *page,
                int         kind,
                const char *id)
{
  g_print ("open-record %s %s\n", crm_entity_get (kind)->name, id);
}

static void
activate_cb (GtkApplication *app)
{
  GtkWidget *window;
  GtkWidget *page = NULL;
  GtkWidget *box;
  GtkWidget *header;
  GtkWidget *overlay;
  const char *title = page_name;

  if (dark)
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                        ADW_COLOR_SCHEME_FORCE_DARK);

  if (g_strcmp0 (page_name, "preferences") == 0)
    {
      window = crm_preferences_window_new (NULL);
      gtk_window_set_application (GTK_WINDOW (window), app);
      gtk_window_present (GTK_WINDOW (window));
      if (screenshot != NULL)
        g_timeout_add (1500, take_screenshot, window);
      return;
    }

  if (g_strcmp0 (page_name, "dashboard") == 0)
    {
      page = crm_dashboard_page_new (replica);
      title = "Tableau de bord";
    }
  else if (g_strcmp0 (page_name, "pipeline") == 0)
    {
      page = crm_pipeline_page_new (replica);
      title = "Pipeline";
    }
  else if (g_strcmp0 (page_name, "tasks") == 0)
    {
      page = crm_tasks_page_new (replica);
      title = "Tâches";
    }
  else
    {
      g_printerr ("Unknown page %s\n", page_name);
      return;
    }
  g_signal_connect (page, "open-record", G_CALLBACK (open_record_cb), NULL);

  window = adw_application_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1366, 800);
  gtk_window_set_title (GTK_WINDOW (window), title);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new (title, NULL));
  gtk_box_append (GTK_BOX (box), header);
  overlay = adw_toast_overlay_new ();
  gtk_widget_set_vexpand (overlay, TRUE);
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), page);
  gtk_box_append (GTK_BOX (box), overlay);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));

  if (screenshot != NULL)
    g_timeout_add (1500, take_screenshot, window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("PAGE");
  g_autoptr(GError) error = NULL;
  g_autoptr(AdwApplication) app = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  int status;

  setlocale (LC_ALL, "");
  g_setenv ("LANGUAGE", "fr", FALSE);
  bindtextdomain (GETTEXT_PACKAGE, CRM_TEST_LOCALE_DIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2)
    {
      g_printerr ("usage: show-page dashboard|pipeline|tasks|preferences [--dark] [--rows N] "
                  "[--screenshot FILE]\n");
      return 2;
    }
  page_name = argv[1];

  dir = g_dir_make_tmp ("crm-show-page-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "replica.db", NULL);
  replica = crm_replica_open (path, CRM_REPLICA_OPEN_NONE, &error);
  g_assert_no_error (error);
  crm_replica_fill_demo (replica, (guint) n_rows, 42, &error);
  g_assert_no_error (error);

  app = adw_application_new ("fr.alforis.Crm.ShowPage", G_APPLICATION_NON_UNIQUE);
  /* The app's own resources: its style sheet and icons. */
  g_application_set_resource_base_path (G_APPLICATION (app), "/fr/alforis/Crm");
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);
  status = g_application_run (G_APPLICATION (app), 0, NULL);

  crm_replica_close (replica, NULL);
  g_clear_object (&replica);
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *file = g_build_filename (dir, name, NULL);
        g_unlink (file);
      }
    g_rmdir (dir);
  }

  return status;
}

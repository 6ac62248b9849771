/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * shot-window — not a test: opens the real window on demo data, goes to one scene and
 * photographs the screen with ImageMagick's import (run it under xvfb-run).
 *   shot-window SCENE OUT.png [--demo-rows N] [--dark]
 * Scenes: main (the organisation list, sorted, with its filters), dashboard,
 * organisations, people-list, mandats, interactions, pipeline (a section as it opens), tasks, narrow and narrow-record (a 480 px window),
 * person, mandat, interaction, task (the first of its list; SHOT_EDIT=1 to edit it), organisation (a record page), search (Ctrl+K
 * results), people (a 100k-row list scrolled to its middle), edit (a form with a
 * validation message).
 */
#define G_LOG_DOMAIN "shot-window"

#include "config.h"

#include <locale.h>
#include <stdlib.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "crm-global-search.h"
#include "crm-list-page.h"
#include "crm-record-page.h"
#include "crm-test-app.h"
#include "crm-uuid.h"

static const char *scene;
static const char *out_path;

static gboolean
has_organisations (gpointer data)
{
  g_autoptr(CrmReplicaQuery) query = crm_replica_query_new (CRM_ENTITY_ORGANISATION);
  g_autoptr(GPtrArray) rows = NULL;
  CrmReplica *replica = crm_window_get_replica (data);

  if (replica == NULL)
    return FALSE;
  crm_replica_query_set_limit (query, 1);
  rows = crm_replica_list (replica, query, NULL, NULL);
  return rows != NULL && rows->len > 0;
}

static gboolean
search_done (gpointer data)
{
  return !crm_global_search_is_busy (data) &&
         gtk_list_box_get_row_at_index (crm_global_search_get_results (data), 0) != NULL;
}

static gboolean
settled (gpointer data)
{
  return g_get_monotonic_time () > *(gint64 *) data;
}

static void
settle (double seconds)
{
  gint64 until = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  crm_test_wait_until (settled, &until);
}

/* The organisation with the most going on: people, mandates, interactions. */
static char *
busy_organisation (CrmReplica *replica)
{
  g_autoptr(CrmReplicaQuery) query = crm_replica_query_new (CRM_ENTITY_MANDAT);
  g_autoptr(GPtrArray) mandats = NULL;

  crm_replica_query_filter (query, "status", CRM_REPLICA_EQ, "active");
  crm_replica_query_set_limit (query, 1);
  mandats = crm_replica_list (replica, query, NULL, NULL);
  g_assert_nonnull (mandats);
  g_assert_cmpuint (mandats->len, >, 0);
  return g_strdup (crm_record_get_string (mandats->pdata[0], "organisation_id"));
}

static void
run_scene (CrmApplication *app,
           CrmWindow      *window)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *command = NULL;
  int status = 0;

  static const struct { const char *name; CrmSection section; } sections[] = {
    { "dashboard", CRM_SECTION_DASHBOARD },
    { "organisations", CRM_SECTION_ORGANISATIONS },
    { "people-list", CRM_SECTION_PEOPLE },
    { "mandats", CRM_SECTION_MANDATS },
    { "interactions", CRM_SECTION_INTERACTIONS },
    { "pipeline", CRM_SECTION_PIPELINE },
  };

  crm_test_wait_until (has_organisations, window);

  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    if (g_str_equal (scene, sections[i].name))
      gtk_widget_activate_action (GTK_WIDGET (window), "win.section", "i", (int) sections[i].section);

  if (g_str_equal (scene, "main"))
    {
      GtkColumnView *view;
      g_autoptr(GtkColumnViewColumn) column = NULL;

      /* The biggest investors first, with the filters in sight. */
      gtk_widget_activate_action (GTK_WIDGET (window), "win.section", "i", (int) CRM_SECTION_ORGANISATIONS);
      view = crm_list_page_get_column_view (CRM_LIST_PAGE (crm_window_get_list_page (window, CRM_ENTITY_ORGANISATION)));
      column = g_list_model_get_item (gtk_column_view_get_columns (view), 5);
      gtk_column_view_sort_by_column (view, column, GTK_SORT_DESCENDING);
      gtk_widget_activate_action (GTK_WIDGET (window), "win.filter", NULL);
    }
  else if (g_str_equal (scene, "narrow") || g_str_equal (scene, "narrow-record"))
    {
      /* A narrow window folds the sidebar away; Back returns to it. */
      gtk_window_set_default_size (GTK_WINDOW (window), 480, 760);
      gtk_widget_activate_action (GTK_WIDGET (window), "win.section", "i", (int) CRM_SECTION_ORGANISATIONS);
      if (g_str_equal (scene, "narrow-record"))
        {
          g_autofree char *id = busy_organisation (crm_window_get_replica (window));

          crm_window_open_record (window, CRM_ENTITY_ORGANISATION, id);
        }
    }
  else if (g_str_equal (scene, "person") || g_str_equal (scene, "mandat") ||
           g_str_equal (scene, "interaction") || g_str_equal (scene, "task"))
    {
      const CrmEntityInfo *entity = crm_entity_lookup (scene);
      g_autoptr(CrmReplicaQuery) query = crm_replica_query_new (entity->kind);
      g_autoptr(GPtrArray) rows = NULL;

      crm_replica_query_set_limit (query, 1);
      rows = crm_replica_list (crm_window_get_replica (window), query, NULL, NULL);
      g_assert_nonnull (rows);
      g_assert_cmpuint (rows->len, ==, 1);
      crm_window_open_record (window, entity->kind, crm_record_get_string (rows->pdata[0], "id"));
      if (g_getenv ("SHOT_EDIT") != NULL)
        gtk_widget_activate_action (GTK_WIDGET (window), "win.edit", NULL);
    }
  else if (g_str_equal (scene, "tasks"))
    gtk_widget_activate_action (GTK_WIDGET (window), "win.section", "i", (int) CRM_SECTION_TASKS);
  else if (g_str_equal (scene, "organisation"))
    {
      g_autofree char *id = busy_organisation (crm_window_get_replica (window));

      gtk_widget_activate_action (GTK_WIDGET (window), "win.section", "i", (int) CRM_SECTION_ORGANISATIONS);
      crm_window_open_record (window, CRM_ENTITY_ORGANISATION, id);
    }
  else if (g_str_equal (scene, "edit"))
    {
      CrmRecordForm *form;

      gtk_widget_activate_action (GTK_WIDGET (window), "win.new-record", NULL);
      form = crm_record_page_get_form (CRM_RECORD_PAGE (crm_window_get_record_page (window)));
      gtk_editable_set_text (GTK_EDITABLE (crm_record_form_get_editor (form, "name")), "Gestion Rhône-Alpes");
      gtk_editable_set_text (GTK_EDITABLE (crm_record_form_get_editor (form, "email")), "contact@gestion");
      gtk_editable_set_text (GTK_EDITABLE (crm_record_form_get_editor (form, "city")), "Lyon");
      gtk_widget_activate_action (GTK_WIDGET (window), "win.save", NULL);
    }
  else if (g_str_equal (scene, "search"))
    {
      CrmGlobalSearch *search = CRM_GLOBAL_SEARCH (crm_window_get_search (window));

      gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL);
      gtk_editable_set_text (crm_global_search_get_entry (search), "dupon");
      crm_test_wait_until (search_done, search);
    }
  else if (g_str_equal (scene, "people"))
    {
      GtkWidget *list = crm_window_get_list_page (window, CRM_ENTITY_PERSON);
      GtkWidget *scrolled;
      GtkAdjustment *adj;

      gtk_widget_activate_action (GTK_WIDGET (window), "win.section", "i", (int) CRM_SECTION_PEOPLE);
      settle (0.5);
      scrolled = gtk_widget_get_parent (GTK_WIDGET (crm_list_page_get_column_view (CRM_LIST_PAGE (list))));
      adj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (crm_list_page_get_column_view (CRM_LIST_PAGE (list))));
      g_assert_true (GTK_IS_SCROLLED_WINDOW (scrolled));
      gtk_adjustment_set_value (adj, (gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj)) / 2);
      settle (3);
    }

  settle (1.5);
  /* Without a compositor, X draws a popover's shadow black: GTK renders that scene. */
  if (g_str_equal (scene, "search"))
    {
      crm_test_save_png (GTK_WIDGET (window), out_path);
      return;
    }
  command = g_strdup_printf ("import -window root %s", out_path);
  if (!g_spawn_command_line_sync (command, NULL, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("import failed: %s", error->message);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *path = NULL;
  g_autofree char *rows = NULL;
  const char *args[] = { "--replica", NULL, "--demo-rows", "5000", NULL };
  gboolean dark = FALSE;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "fr", TRUE);
  bindtextdomain (GETTEXT_PACKAGE, CRM_TEST_LOCALE_DIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 3)
    g_error ("usage: shot-window SCENE OUT.png [ROWS] [dark]");
  scene = argv[1];
  out_path = argv[2];
  if (argc > 3)
    args[3] = argv[3];
  if (argc > 4)
    dark = g_str_equal (argv[4], "dark");

  /* One replica per size, kept between runs: a big demo takes a while to write. */
  path = g_strdup_printf ("%s/crm-shot-%s.db", g_get_tmp_dir (), args[3]);
  args[1] = path;

  /* Written here rather than by --demo: a big replica takes longer than a test waits. */
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CrmReplica) replica = crm_replica_open (path, CRM_REPLICA_OPEN_NONE, &error);
      g_autofree char *user_id = crm_uuid7_new ();
      gint64 start = g_get_monotonic_time ();

      if (replica == NULL ||
          !crm_replica_set_user (replica, user_id, NULL, &error) ||
          !crm_replica_fill_demo (replica, (guint) atoi (args[3]), 2026, &error) ||
          !crm_replica_close (replica, &error))
        g_error ("demo replica: %s", error->message);
      g_printerr ("%s rows written in %.1f s\n", args[3],
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
    }

  {
    g_autoptr(GSettings) settings = g_settings_new (CRM_SETTINGS_SCHEMA_ID);

    g_settings_set_int (settings, "window-width", 1366);
    g_settings_set_int (settings, "window-height", 800);
    g_settings_set_string (settings, "color-scheme", dark ? "dark" : "light");
  }

  crm_test_app_run_with_args (args, run_scene);
  return 0;
}

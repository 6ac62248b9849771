/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * shot-sync — not a test: photographs the sync parts of the window on demo data with
 * a seeded conflict and refusal (run it under xvfb-run).
 *   shot-sync SCENE OUT.png [dark]
 * Scenes: banner (a record with a conflict), conflict (its dialog), inbox, status (the
 * sync popover while an initial sync runs), account (the first-run choice), login.
 */
#define G_LOG_DOMAIN "shot-sync"

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "crm-sync-button.h"
#include "crm-test-app.h"

static const char *scene;
static const char *out_path;

static void
settle (double seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
}

/* Two conflicts on the first organisation, a refusal on the second. */
static char *
seed (CrmReplica *replica)
{
  g_autoptr(CrmReplicaQuery) query = crm_replica_query_new (CRM_ENTITY_ORGANISATION);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(CrmRecord) changes = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);
  g_autoptr(CrmRecord) stored = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(GError) error = NULL;
  const char *id, *other;
  CrmReplicaConflict city = { .entity = "organisation", .field = (char *) "city",
                              .kind = (char *) "field", .mine = (char *) "Marseille",
                              .by = (char *) "Claire Martin", .at = (char *) "2026-11-20T10:00:00Z" };
  CrmReplicaConflict stage = { .entity = "organisation", .field = (char *) "pipeline_stage",
                               .kind = (char *) "field", .mine = (char *) "negotiation",
                               .theirs = (char *) "won", .by = (char *) "Paul Girard",
                               .at = (char *) "2026-11-21T16:45:00Z" };

  crm_replica_query_set_limit (query, 2);
  rows = crm_replica_list (replica, query, NULL, &error);
  g_assert_no_error (error);
  id = crm_record_get_string (rows->pdata[0], "id");
  other = crm_record_get_string (rows->pdata[1], "id");
  city.row_id = stage.row_id = (char *) id;
  city.theirs = (char *) crm_record_get_string (rows->pdata[0], "city");
  if (!crm_replica_add_conflict (replica, &city, "shot", &error) ||
      !crm_replica_add_conflict (replica, &stage, "shot", &error))
    g_error ("conflict: %s", error->message);

  crm_record_set_string (changes, "city", "Brest");
  stored = crm_replica_update (replica, CRM_ENTITY_ORGANISATION, other, changes, &error);
  g_assert_no_error (error);
  ops = crm_replica_outbox_peek (replica, 0, &error);
  g_assert_no_error (error);
  if (!crm_replica_outbox_mark_sent (replica, ((CrmOutboxOp *) ops->pdata[0])->op_id, &error) ||
      !crm_replica_outbox_reject (replica, ((CrmOutboxOp *) ops->pdata[0])->op_id,
                                  "{\"title\":\"Refusé\",\"status\":403,\"detail\":"
                                  "\"Vous n’avez pas le droit de modifier cette organisation.\"}",
                                  &error))
    g_error ("rejection: %s", error->message);
  return g_strdup (id);
}

static void
run_scene (CrmApplication *app,
           CrmWindow      *window)
{
  g_autofree char *id = seed (crm_window_get_replica (window));
  g_autofree char *command = NULL;
  g_autoptr(CrmSyncStatus) status = crm_sync_status_new ();
  g_autoptr(GError) error = NULL;
  int wait_status;
  GtkWidget *dialog = NULL;

  /* A photograph wants the end of a transition, not its middle. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  crm_sync_status_set_state (status, CRM_SYNC_STATE_SYNCING);
  crm_sync_status_set_progress (status, 0.4);
  crm_sync_status_set_counts (status, 3, 2, 1, 0);
  crm_sync_status_set_last_sync (status, "2026-11-25T09:30:00Z");
  crm_window_set_sync_status (window, status);
  /* The end of the demo load shows its section again: open the record after it. */
  settle (3);

  crm_window_open_record (window, CRM_ENTITY_ORGANISATION, id);
  if (g_str_equal (scene, "conflict"))
    dialog = crm_window_review_conflicts (window);
  else if (g_str_equal (scene, "inbox"))
    dialog = gtk_widget_get_ancestor (crm_window_show_inbox (window), GTK_TYPE_WINDOW);
  else if (g_str_equal (scene, "account") || g_str_equal (scene, "login"))
    dialog = crm_application_show_account_dialog (app, g_str_equal (scene, "account"));
  else if (g_str_equal (scene, "status"))
    {
      GtkWidget *button = crm_window_get_sync_button (window);
      GtkWidget *menu = gtk_widget_get_first_child (button);

      gtk_menu_button_popup (GTK_MENU_BUTTON (menu));
    }

  settle (1.5);
  /* A dialog alone, as GTK draws it: without a window manager it would sit in the
   * screen's corner over its window. */
  if (dialog != NULL)
    {
      crm_test_save_png (dialog, out_path);
      crm_window_set_sync_status (window, NULL);
      return;
    }
  command = g_strdup_printf ("import -window root %s", out_path);
  if (!g_spawn_command_line_sync (command, NULL, NULL, &wait_status, &error) ||
      !g_spawn_check_wait_status (wait_status, &error))
    g_error ("import failed: %s", error->message);
  crm_window_set_sync_status (window, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *path = NULL;
  const char *args[] = { "--replica", NULL, "--demo", "--demo-rows", "500", NULL };
  g_autoptr(GSettings) settings = NULL;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "fr", TRUE);
  bindtextdomain (GETTEXT_PACKAGE, CRM_TEST_LOCALE_DIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 3)
    g_error ("usage: shot-sync SCENE OUT.png [dark]");
  scene = argv[1];
  out_path = argv[2];

  settings = g_settings_new (CRM_SETTINGS_SCHEMA_ID);
  g_settings_set_int (settings, "window-width", 1200);
  g_settings_set_int (settings, "window-height", 760);
  g_settings_set_string (settings, "color-scheme", argc > 3 && g_str_equal (argv[3], "dark") ? "dark" : "light");

  path = crm_test_replica_path ();
  args[1] = path;
  crm_test_app_run_with_args (args, run_scene);
  crm_test_remove_replica (path);
  return 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-application"

#include "config.h"

#include <errno.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "crm-application.h"
#include "crm-replica.h"
#include "crm-sync-engine.h"
#include "crm-uuid.h"
#include "ui/crm-account-dialog.h"
#include "ui/crm-preferences-window.h"
#include "ui/crm-window.h"

#define CRM_WEBSITE   "https://github.com/alforis/alforis-crm"
#define CRM_ISSUE_URL "https://github.com/alforis/alforis-crm/issues"

/* "A few thousand rows": enough to fill every screen, quick to write. */
#define CRM_DEMO_ROWS 5000
#define CRM_DEMO_SEED 2026

struct _CrmApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;

  char           *replica_path;   /* --replica, or NULL for the default place */
  gboolean        demo;
  guint           demo_rows;
  CrmReplica     *replica;
  CrmTokenStore  *tokens;         /* the keyring, made when first needed */
  CrmSyncEngine  *engine;         /* signed in to a server, or NULL: local only */
};

G_DEFINE_FINAL_TYPE (CrmApplication, crm_application, ADW_TYPE_APPLICATION)

static const GOptionEntry crm_application_options[] = {
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and exit"), NULL },
  { "replica", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Use the local data file at PATH"), N_("PATH") },
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Fill an empty local data file with demonstration data"), NULL },
  { "demo-rows", 0, 0, G_OPTION_ARG_INT, NULL, N_("How many demonstration rows to write"), N_("N") },
  { NULL }
};

static gboolean
color_scheme_from_setting (GValue   *value,
                           GVariant *variant,
                           gpointer  user_data)
{
  const char *nick = g_variant_get_string (variant, NULL);
  AdwColorScheme scheme = ADW_COLOR_SCHEME_DEFAULT;

  /* "default" keeps libadwaita's own behaviour: follow the system, light when it says nothing. */
  if (g_strcmp0 (nick, "light") == 0)
    scheme = ADW_COLOR_SCHEME_FORCE_LIGHT;
  else if (g_strcmp0 (nick, "dark") == 0)
    scheme = ADW_COLOR_SCHEME_FORCE_DARK;

  g_value_set_enum (value, scheme);
  return TRUE;
}

static CrmWindow *
crm_application_find_main_window (CrmApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      if (CRM_IS_WINDOW (l->data))
        return l->data;
    }
  return NULL;
}

static void
crm_application_quit_cb (GSimpleAction *action,
                         GVariant      *param,
                         gpointer       user_data)
{
  CrmApplication *self = user_data;
  GList *windows = NULL;

  /* Dialogs first, and held by a reference until all are closed: closing the main
   * window also destroys its dialogs, and a dialog let go after its parent finds a
   * parent that is gone. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      if (gtk_window_get_transient_for (l->data) != NULL)
        windows = g_list_prepend (windows, g_object_ref (l->data));
      else
        windows = g_list_append (windows, g_object_ref (l->data));
    }

  /* Close rather than destroy, so each window saves its state in close-request; the
   * application ends by itself once the last window is gone. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));

  g_list_free_full (windows, g_object_unref);
}

static void
crm_application_about_cb (GSimpleAction *action,
                          GVariant      *param,
                          gpointer       user_data)
{
  CrmApplication *self = user_data;
  static const char *developers[] = {
    "Alforis CRM contributors https://github.com/alforis/alforis-crm/graphs/contributors",
    NULL
  };
  GtkWindow *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "application", self,
                        "transient-for", crm_application_find_main_window (self),
                        "modal", TRUE,
                        "application-name", _("Alforis CRM"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Alforis CRM developers"),
                        "version", PACKAGE_VERSION,
                        "website", CRM_WEBSITE,
                        "issue-url", CRM_ISSUE_URL,
                        "developers", developers,
                        "copyright", _("© 2026 The Alforis CRM developers"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (about);
}

static void
crm_application_preferences_cb (GSimpleAction *action,
                                GVariant      *param,
                                gpointer       user_data)
{
  CrmApplication *self = user_data;
  GtkWidget *preferences = crm_preferences_window_new (GTK_WINDOW (crm_application_find_main_window (self)));

  gtk_window_set_application (GTK_WINDOW (preferences), GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (preferences));
}

/* ---- Account: local or signed in to a server ---------------------------------------- */

static CrmTokenStore *
crm_application_get_tokens (CrmApplication *self)
{
  if (self->tokens == NULL)
    self->tokens = crm_secret_token_store_new ();
  return self->tokens;
}

void
crm_application_set_token_store (CrmApplication *self,
                                 CrmTokenStore  *tokens)
{
  g_return_if_fail (CRM_IS_APPLICATION (self));
  g_return_if_fail (CRM_IS_TOKEN_STORE (tokens));

  g_set_object (&self->tokens, tokens);
}

static void
crm_application_update_sync_actions (CrmApplication *self)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "sync-now");

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), self->engine != NULL);
  action = g_action_map_lookup_action (G_ACTION_MAP (self), "logout");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), self->engine != NULL);
}

/* Takes @engine (signed in, or holding a saved session) and syncs with it from now on. */
static void
crm_application_use_engine (CrmApplication *self,
                            CrmSyncEngine  *engine)
{
  CrmWindow *window = crm_application_find_main_window (self);

  if (self->engine != NULL)
    crm_sync_engine_stop (self->engine);
  g_set_object (&self->engine, engine);
  if (engine != NULL)
    {
      crm_sync_engine_set_poll_interval (engine, 60 * g_settings_get_uint (self->settings, "sync-interval"));
      crm_sync_engine_start (engine);
    }
  if (window != NULL)
    {
      crm_window_set_engine (window, engine);
      crm_window_set_sync_status (window, engine != NULL ? crm_sync_engine_get_status (engine) : NULL);
    }
  crm_application_update_sync_actions (self);
}

static void
on_chose_local (CrmApplication *self)
{
  g_settings_set_enum (self->settings, "account-mode", CRM_ACCOUNT_LOCAL);
}

static void
on_signed_in (CrmAccountDialog *dialog,
              CrmSyncEngine    *engine,
              CrmApplication   *self)
{
  g_settings_set_string (self->settings, "server-url", crm_sync_engine_get_server_url (engine));
  g_settings_set_enum (self->settings, "account-mode", CRM_ACCOUNT_SERVER);
  crm_application_use_engine (self, engine);
}

GtkWidget *
crm_application_show_account_dialog (CrmApplication *self,
                                     gboolean        first_run)
{
  g_autofree char *url = NULL;
  GtkWidget *dialog;

  g_return_val_if_fail (CRM_IS_APPLICATION (self), NULL);

  if (self->replica == NULL)
    return NULL;
  dialog = crm_account_dialog_new (GTK_WINDOW (crm_application_find_main_window (self)), self->replica,
                                   crm_application_get_tokens (self), first_run);
  url = g_settings_get_string (self->settings, "server-url");
  crm_account_dialog_set_server_url (CRM_ACCOUNT_DIALOG (dialog), url);
  g_signal_connect_object (dialog, "chose-local", G_CALLBACK (on_chose_local), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "signed-in", G_CALLBACK (on_signed_in), self, 0);
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

CrmSyncEngine *
crm_application_get_engine (CrmApplication *self)
{
  g_return_val_if_fail (CRM_IS_APPLICATION (self), NULL);
  return self->engine;
}

/* At start: the first-run choice, or the saved server's session (from the keyring). */
static void
crm_application_start_account (CrmApplication *self)
{
  g_autofree char *url = g_settings_get_string (self->settings, "server-url");

  switch (g_settings_get_enum (self->settings, "account-mode"))
    {
    case CRM_ACCOUNT_UNSET:
      crm_application_show_account_dialog (self, TRUE);
      break;
    case CRM_ACCOUNT_SERVER:
      if (*url != '\0')
        {
          g_autoptr(CrmSyncEngine) engine = crm_sync_engine_new (self->replica, url,
                                                                 crm_application_get_tokens (self));
          crm_application_use_engine (self, engine);
        }
      break;
    default:
      break;
    }
}

static void
on_token_forgotten (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!crm_token_store_save_finish (CRM_TOKEN_STORE (source), result, &error))
    g_warning ("Cannot remove the session from the keyring: %s", error->message);
}

/* The session leaves the keyring; the replica and its unsent changes stay. */
void
crm_application_logout (CrmApplication *self)
{
  g_return_if_fail (CRM_IS_APPLICATION (self));

  if (self->engine == NULL)
    return;
  crm_token_store_save_async (crm_application_get_tokens (self),
                              crm_sync_engine_get_server_url (self->engine), NULL, NULL,
                              on_token_forgotten, NULL);
  g_settings_set_enum (self->settings, "account-mode", CRM_ACCOUNT_LOCAL);
  crm_application_use_engine (self, NULL);
}

static void
crm_application_sync_now_cb (GSimpleAction *action,
                             GVariant      *param,
                             gpointer       user_data)
{
  CrmApplication *self = user_data;

  if (self->engine != NULL)
    crm_sync_engine_sync_now (self->engine);
}

static void
crm_application_connect_cb (GSimpleAction *action,
                            GVariant      *param,
                            gpointer       user_data)
{
  crm_application_show_account_dialog (user_data, FALSE);
}

static void
crm_application_logout_cb (GSimpleAction *action,
                           GVariant      *param,
                           gpointer       user_data)
{
  crm_application_logout (user_data);
}

static const GActionEntry crm_application_entries[] = {
  { "sync-now", crm_application_sync_now_cb },
  { "connect", crm_application_connect_cb },
  { "logout", crm_application_logout_cb },
  { "quit", crm_application_quit_cb },
  { "about", crm_application_about_cb },
  { "preferences", crm_application_preferences_cb },
};

static int
crm_application_handle_local_options (GApplication *app,
                                      GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  {
    CrmApplication *self = CRM_APPLICATION (app);
    const char *path = NULL;
    int rows = 0;

    if (g_variant_dict_lookup (options, "replica", "^&ay", &path))
      {
        g_free (self->replica_path);
        self->replica_path = g_strdup (path);
      }
    self->demo = g_variant_dict_contains (options, "demo");
    if (g_variant_dict_lookup (options, "demo-rows", "i", &rows))
      {
        if (rows <= 0)
          {
            g_printerr (_("--demo-rows needs a positive number\n"));
            return EXIT_FAILURE;
          }
        self->demo = TRUE;
        self->demo_rows = (guint) rows;
      }
  }

  return -1;
}

/* Without a GPU (no DRM device: a virtual machine, a remote desktop), GTK's GL renderer
 * runs on Mesa's llvmpipe, which compiles shaders and rasterizes on the CPU: in the 1M-row
 * benchmark it was 70 % of the app's CPU time and 140 MiB of its memory, and made a
 * search keystroke cost up to a second. GTK 4.8 does not fall back by itself, so the app
 * asks for the cairo renderer there. GSK_RENDERER, when set, is obeyed. GTK reads it
 * when the first window is realized, after this. */
static void
prefer_cairo_without_gpu (void)
{
  if (g_getenv ("GSK_RENDERER") != NULL || g_file_test ("/dev/dri", G_FILE_TEST_IS_DIR))
    return;
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
}

static void
crm_application_startup (GApplication *app)
{
  CrmApplication *self = CRM_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  g_autoptr(GAction) color_scheme_action = NULL;

  prefer_cairo_without_gpu ();
  G_APPLICATION_CLASS (crm_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   crm_application_entries,
                                   G_N_ELEMENTS (crm_application_entries),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);

  self->settings = g_settings_new (CRM_SETTINGS_SCHEMA_ID);

  /* The menu's radio items write the setting; the binding applies it, at start-up and
   * whenever it changes (from the menu or from dconf). */
  color_scheme_action = g_settings_create_action (self->settings, "color-scheme");
  g_action_map_add_action (G_ACTION_MAP (self), color_scheme_action);
  g_settings_bind_with_mapping (self->settings, "color-scheme",
                                adw_application_get_style_manager (ADW_APPLICATION (self)),
                                "color-scheme",
                                G_SETTINGS_BIND_GET,
                                color_scheme_from_setting, NULL, NULL, NULL);
  crm_application_update_sync_actions (self);
}

static void
fill_demo_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  CrmReplica *replica = task_data;
  GError *error = NULL;

  if (crm_replica_fill_demo (replica, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (task), "rows")),
                             CRM_DEMO_SEED, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
fill_demo_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  CrmApplication *self = CRM_APPLICATION (object);
  CrmWindow *window = crm_application_find_main_window (self);
  g_autoptr(GError) error = NULL;

  g_task_propagate_boolean (G_TASK (result), &error);
  if (window != NULL)
    crm_window_demo_finished (window, error);
}

/* Demo data on a fresh replica only: on one that holds real rows it would mix invented
 * organisations with the user's own. */
static void
crm_application_maybe_fill_demo (CrmApplication *self,
                                 CrmWindow      *window)
{
  g_autoptr(CrmReplicaQuery) query = crm_replica_query_new (CRM_ENTITY_ORGANISATION);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  gint64 count;

  if (!self->demo)
    return;
  self->demo = FALSE;

  crm_replica_query_set_include_deleted (query, TRUE);
  count = crm_replica_count (self->replica, query, &error);
  if (count != 0)
    {
      if (count > 0)
        g_message ("The replica already holds data: no demonstration data added");
      else
        g_message ("Could not count organisations: %s", error->message);
      return;
    }

  crm_window_demo_started (window);
  task = g_task_new (self, NULL, fill_demo_done, NULL);
  g_task_set_source_tag (task, crm_application_maybe_fill_demo);
  g_task_set_task_data (task, g_object_ref (self->replica), g_object_unref);
  g_object_set_data (G_OBJECT (task), "rows",
                     GUINT_TO_POINTER (self->demo_rows > 0 ? self->demo_rows : CRM_DEMO_ROWS));
  g_task_run_in_thread (task, fill_demo_thread);
}

static char *
crm_application_default_replica_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "alforis-crm", "replica.db", NULL);
}

/* Opens the local replica; on failure @error says why, in French. */
static gboolean
crm_application_open_replica (CrmApplication  *self,
                              GError         **error)
{
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;

  path = self->replica_path != NULL ? g_strdup (self->replica_path)
                                    : crm_application_default_replica_path ();
  dir = g_path_get_dirname (path);
  if (g_strcmp0 (path, ":memory:") != 0 && g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("The folder %s cannot be created: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  self->replica = crm_replica_open (path, CRM_REPLICA_OPEN_NONE, error);
  if (self->replica == NULL)
    return FALSE;

  /* Without a server, the person at the keyboard is the one local user: give them an id
   * once, so "mine" filters and task assignment mean something. Signing in to a server
   * replaces it with their account's. */
  if (crm_replica_get_user_id (self->replica) == NULL)
    {
      g_autofree char *user_id = crm_uuid7_new ();

      if (!crm_replica_set_user (self->replica, user_id, NULL, error))
        {
          g_clear_object (&self->replica);
          return FALSE;
        }
    }
  return TRUE;
}

static void
crm_application_activate (GApplication *app)
{
  CrmApplication *self = CRM_APPLICATION (app);
  CrmWindow *window = crm_application_find_main_window (self);

  if (window == NULL)
    {
      g_autoptr(GError) error = NULL;

      window = crm_window_new (self);
      if (self->replica == NULL && !crm_application_open_replica (self, &error))
        crm_window_show_open_error (window, error);
      else
        {
          crm_window_set_replica (window, self->replica);
          crm_application_maybe_fill_demo (self, window);
        }
      gtk_window_present (GTK_WINDOW (window));
      if (self->replica != NULL)
        crm_application_start_account (self);
      return;
    }

  gtk_window_present (GTK_WINDOW (window));
}

static void
crm_application_dispose (GObject *object)
{
  CrmApplication *self = CRM_APPLICATION (object);

  /* The style manager is a process-wide singleton: drop the binding, or it would keep
   * our settings object alive (and applied) after the application is gone. */
  if (self->settings != NULL)
    g_settings_unbind (adw_style_manager_get_default (), "color-scheme");
  g_clear_object (&self->settings);
  if (self->engine != NULL)
    crm_sync_engine_stop (self->engine);
  g_clear_object (&self->engine);
  g_clear_object (&self->tokens);
  g_clear_object (&self->replica);
  g_clear_pointer (&self->replica_path, g_free);

  G_OBJECT_CLASS (crm_application_parent_class)->dispose (object);
}

static void
crm_application_class_init (CrmApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = crm_application_dispose;

  app_class->handle_local_options = crm_application_handle_local_options;
  app_class->startup = crm_application_startup;
  app_class->activate = crm_application_activate;
}

static void
crm_application_init (CrmApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), crm_application_options);
}

CrmReplica *
crm_application_get_replica (CrmApplication *self)
{
  g_return_val_if_fail (CRM_IS_APPLICATION (self), NULL);

  return self->replica;
}

CrmApplication *
crm_application_new (void)
{
  /* A fixed resource path: both profiles ship the same resources under it. */
  return g_object_new (CRM_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/fr/alforis/Crm",
                       NULL);
}

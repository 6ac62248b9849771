/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-application"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-application.h"
#include "ui/crm-window.h"

#define CRM_WEBSITE   "https://github.com/alforis/alforis-crm"
#define CRM_ISSUE_URL "https://github.com/alforis/alforis-crm/issues"

struct _CrmApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (CrmApplication, crm_application, ADW_TYPE_APPLICATION)

static const GOptionEntry crm_application_options[] = {
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and exit"), NULL },
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
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* Close rather than destroy, so each window saves its state in close-request; the
   * application ends by itself once the last window is gone. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));

  g_list_free (windows);
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

static const GActionEntry crm_application_entries[] = {
  { "quit", crm_application_quit_cb },
  { "about", crm_application_about_cb },
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

  return -1;
}

static void
crm_application_startup (GApplication *app)
{
  CrmApplication *self = CRM_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  g_autoptr(GAction) color_scheme_action = NULL;

  G_APPLICATION_CLASS (crm_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   crm_application_entries,
                                   G_N_ELEMENTS (crm_application_entries),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);

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
}

static void
crm_application_activate (GApplication *app)
{
  CrmApplication *self = CRM_APPLICATION (app);
  CrmWindow *window = crm_application_find_main_window (self);

  if (window == NULL)
    window = crm_window_new (self);

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

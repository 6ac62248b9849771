/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-application.h"
#include "crm-preferences-window.h"

struct _CrmPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  /* Template children */
  AdwComboRow          *style_row;
  AdwComboRow          *density_row;
  GtkAdjustment        *sync_interval_adjustment;
};

G_DEFINE_FINAL_TYPE (CrmPreferencesWindow, crm_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The combo rows list the schema's enum nicks in order; these map a row's position to
 * its nick and back. */
static const char *const color_scheme_nicks[] = { "default", "light", "dark", NULL };
static const char *const density_nicks[] = { "comfortable", "compact", NULL };

static gboolean
nick_to_position (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  const char *const *nicks = user_data;
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; nicks[i] != NULL; i++)
    {
      if (g_strcmp0 (nicks[i], nick) == 0)
        {
          g_value_set_uint (value, i);
          return TRUE;
        }
    }
  return FALSE;
}

static GVariant *
position_to_nick (const GValue       *value,
                  const GVariantType *expected_type,
                  gpointer            user_data)
{
  const char *const *nicks = user_data;
  guint position = g_value_get_uint (value);

  if (position >= g_strv_length ((char **) nicks))
    return NULL;
  return g_variant_new_string (nicks[position]);
}

/* The key is a count of minutes ("u"); the adjustment holds a double. */
static gboolean
minutes_to_value (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  g_value_set_double (value, (double) g_variant_get_uint32 (variant));
  return TRUE;
}

static GVariant *
value_to_minutes (const GValue       *value,
                  const GVariantType *expected_type,
                  gpointer            user_data)
{
  double minutes = g_value_get_double (value);

  if (minutes < 1 || minutes > 1440)
    return NULL;
  return g_variant_new_uint32 ((guint32) (minutes + 0.5));
}

static void
crm_preferences_window_dispose (GObject *object)
{
  CrmPreferencesWindow *self = CRM_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (crm_preferences_window_parent_class)->dispose (object);
}

static void
crm_preferences_window_class_init (CrmPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/alforis/Crm/ui/crm-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmPreferencesWindow, style_row);
  gtk_widget_class_bind_template_child (widget_class, CrmPreferencesWindow, density_row);
  gtk_widget_class_bind_template_child (widget_class, CrmPreferencesWindow, sync_interval_adjustment);
}

static void
crm_preferences_window_init (CrmPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Bound both ways: a change shows here and applies at once (the application binds
   * color-scheme to the style manager), and a change made elsewhere shows here too. */
  self->settings = g_settings_new (CRM_SETTINGS_SCHEMA_ID);
  g_settings_bind_with_mapping (self->settings, "color-scheme",
                                self->style_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                nick_to_position, position_to_nick,
                                (gpointer) color_scheme_nicks, NULL);
  g_settings_bind_with_mapping (self->settings, "list-density",
                                self->density_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                nick_to_position, position_to_nick,
                                (gpointer) density_nicks, NULL);
  g_settings_bind_with_mapping (self->settings, "sync-interval",
                                self->sync_interval_adjustment, "value",
                                G_SETTINGS_BIND_DEFAULT,
                                minutes_to_value, value_to_minutes,
                                NULL, NULL);
}

GtkWidget *
crm_preferences_window_new (GtkWindow *transient_for)
{
  g_return_val_if_fail (transient_for == NULL || GTK_IS_WINDOW (transient_for), NULL);

  return g_object_new (CRM_TYPE_PREFERENCES_WINDOW,
                       "transient-for", transient_for,
                       "modal", transient_for != NULL,
                       NULL);
}

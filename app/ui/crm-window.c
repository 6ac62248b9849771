/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-window"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-window.h"

struct _CrmWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;

  /* Template children */
  GtkMenuButton        *primary_menu_button;
  AdwStatusPage        *empty_page;
};

G_DEFINE_FINAL_TYPE (CrmWindow, crm_window, ADW_TYPE_APPLICATION_WINDOW)

static void
crm_window_save_state (CrmWindow *self)
{
  int width;
  int height;

  /* GTK 4 keeps the default size at the unmaximized size, which is what to restore. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  g_settings_delay (self->settings);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_apply (self->settings);
}

static void
crm_window_restore_state (CrmWindow *self)
{
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));

  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static gboolean
crm_window_close_request (GtkWindow *window)
{
  crm_window_save_state (CRM_WINDOW (window));

  return GTK_WINDOW_CLASS (crm_window_parent_class)->close_request (window);
}

static void
crm_window_dispose (GObject *object)
{
  CrmWindow *self = CRM_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (crm_window_parent_class)->dispose (object);
}

static void
crm_window_class_init (CrmWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = crm_window_dispose;

  window_class->close_request = crm_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/alforis/Crm/ui/crm-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, empty_page);
}

static void
crm_window_init (CrmWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

#ifdef DEVELOPMENT_BUILD
  /* libadwaita's striped header bar: a development build is never mistaken for the real one. */
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif

  self->settings = g_settings_new (CRM_SETTINGS_SCHEMA_ID);
  crm_window_restore_state (self);
}

CrmWindow *
crm_window_new (CrmApplication *application)
{
  g_return_val_if_fail (CRM_IS_APPLICATION (application), NULL);

  return g_object_new (CRM_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

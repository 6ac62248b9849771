/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-sync-button"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-format.h"
#include "crm-sync-button.h"

struct _CrmSyncButton
{
  AdwBin          parent_instance;

  CrmSyncStatus  *status;
  gulong          notify_id;
  gint64          local_pending;
  char           *detail;

  /* Template children */
  GtkMenuButton  *menu_button;
  AdwButtonContent *content;
  GtkLabel       *title_label;
  GtkProgressBar *progress_bar;
  GtkLabel       *detail_label;
  GtkLabel       *error_label;
  GtkWidget      *inbox_button;
  GtkWidget      *sync_now_button;
};

G_DEFINE_FINAL_TYPE (CrmSyncButton, crm_sync_button, ADW_TYPE_BIN)

enum { PROP_0, PROP_STATUS, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void append_line (GString    *text,
                         const char *format,
                         ...) G_GNUC_PRINTF (2, 3);

static void
append_line (GString    *text,
             const char *format,
             ...)
{
  va_list args;

  if (text->len > 0)
    g_string_append_c (text, '\n');
  va_start (args, format);
  g_string_append_vprintf (text, format, args);
  va_end (args);
}

/* Counts above G_MAXUINT do not happen: the outbox would not fit on the disk. */
#define COUNT(n) ((guint) MIN ((n), G_MAXUINT))

static void
show_local (CrmSyncButton *self)
{
  g_autoptr(GString) detail = g_string_new (_("Your data stays on this computer. Everything works offline; synchronization comes with a server connection."));

  if (self->local_pending > 0)
    append_line (detail, ngettext ("%u change kept for a future server.",
                                      "%u changes kept for a future server.", (gulong) self->local_pending),
                 COUNT (self->local_pending));
  adw_button_content_set_icon_name (self->content, "computer-symbolic");
  adw_button_content_set_label (self->content, C_("sync status", "Local"));
  gtk_label_set_text (self->title_label, _("No Server Configured"));
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_widget_set_visible (self->inbox_button, FALSE);
  gtk_widget_set_visible (self->sync_now_button, FALSE);
  g_free (self->detail);
  self->detail = g_string_free (g_steal_pointer (&detail), FALSE);
  gtk_label_set_text (self->detail_label, self->detail);
}

static void
update (CrmSyncButton *self)
{
  g_autoptr(GString) detail = NULL;
  g_autofree char *title = NULL;
  const char *label, *icon, *error, *last_sync;
  double progress;
  gint64 attention;

  if (self->status == NULL)
    {
      show_local (self);
      return;
    }

  progress = crm_sync_status_get_progress (self->status);
  switch (crm_sync_status_get_state (self->status))
    {
    case CRM_SYNC_STATE_SYNCING:
      label = C_("sync status", "Synchronizing…");
      icon = "emblem-synchronizing-symbolic";
      break;
    case CRM_SYNC_STATE_UP_TO_DATE:
      label = C_("sync status", "Up to Date");
      icon = "emblem-ok-symbolic";
      break;
    case CRM_SYNC_STATE_OFFLINE:
    default:
      label = C_("sync status", "Offline");
      icon = "network-offline-symbolic";
      break;
    }
  adw_button_content_set_label (self->content, label);
  adw_button_content_set_icon_name (self->content, icon);
  title = crm_sync_status_describe (self->status);
  gtk_label_set_text (self->title_label, title);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), progress >= 0);
  if (progress >= 0)
    gtk_progress_bar_set_fraction (self->progress_bar, progress);

  detail = g_string_new (NULL);
  if (crm_sync_status_get_pending (self->status) == 0)
    g_string_append (detail, _("Every change has been sent."));
  if (crm_sync_status_get_pending (self->status) > 0)
    append_line (detail, ngettext ("%u change waiting to be sent.",
                                      "%u changes waiting to be sent.", (gulong) crm_sync_status_get_pending (self->status)),
                 COUNT (crm_sync_status_get_pending (self->status)));
  if (crm_sync_status_get_conflicts (self->status) > 0)
    append_line (detail, ngettext ("%u conflict to review.",
                                      "%u conflicts to review.", (gulong) crm_sync_status_get_conflicts (self->status)),
                 COUNT (crm_sync_status_get_conflicts (self->status)));
  if (crm_sync_status_get_rejections (self->status) > 0)
    append_line (detail, ngettext ("%u change refused by the server.",
                                      "%u changes refused by the server.", (gulong) crm_sync_status_get_rejections (self->status)),
                 COUNT (crm_sync_status_get_rejections (self->status)));
  if (crm_sync_status_get_quarantined (self->status) > 0)
    append_line (detail, ngettext ("%u change set aside (record no longer shared with you).",
                                      "%u changes set aside (records no longer shared with you).", (gulong) crm_sync_status_get_quarantined (self->status)),
                 COUNT (crm_sync_status_get_quarantined (self->status)));
  last_sync = crm_sync_status_get_last_sync (self->status);
  g_string_append_c (detail, '\n');
  if (last_sync != NULL)
    {
      g_autofree char *when = crm_format_datetime (last_sync);
      g_string_append_printf (detail, _("Last synchronization: %s"), when != NULL ? when : last_sync);
    }
  else
    g_string_append (detail, _("Not synchronized yet."));
  g_free (self->detail);
  self->detail = g_string_free (g_steal_pointer (&detail), FALSE);
  gtk_label_set_text (self->detail_label, self->detail);

  error = crm_sync_status_get_last_error (self->status);
  gtk_label_set_text (self->error_label, error != NULL ? error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);

  attention = crm_sync_status_get_conflicts (self->status) +
              crm_sync_status_get_rejections (self->status) +
              crm_sync_status_get_quarantined (self->status);
  gtk_widget_set_visible (self->inbox_button, attention > 0);
  gtk_widget_set_visible (self->sync_now_button, TRUE);
  if (attention > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->menu_button), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->menu_button), "warning");
}

void
crm_sync_button_set_status (CrmSyncButton *self,
                            CrmSyncStatus *status)
{
  g_return_if_fail (CRM_IS_SYNC_BUTTON (self));
  g_return_if_fail (status == NULL || CRM_IS_SYNC_STATUS (status));

  if (self->status == status)
    return;
  if (self->status != NULL)
    g_clear_signal_handler (&self->notify_id, self->status);
  g_set_object (&self->status, status);
  if (status != NULL)
    self->notify_id = g_signal_connect_object (status, "notify", G_CALLBACK (update), self,
                                               G_CONNECT_SWAPPED);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

CrmSyncStatus *
crm_sync_button_get_status (CrmSyncButton *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_BUTTON (self), NULL);
  return self->status;
}

void
crm_sync_button_set_local_pending (CrmSyncButton *self,
                                   gint64         pending)
{
  g_return_if_fail (CRM_IS_SYNC_BUTTON (self));
  self->local_pending = pending;
  update (self);
}

const char *
crm_sync_button_get_label (CrmSyncButton *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_BUTTON (self), NULL);
  return adw_button_content_get_label (self->content);
}

const char *
crm_sync_button_get_detail (CrmSyncButton *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_BUTTON (self), NULL);
  return self->detail;
}

GtkWidget *
crm_sync_button_new (void)
{
  return g_object_new (CRM_TYPE_SYNC_BUTTON, NULL);
}

static void
crm_sync_button_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CrmSyncButton *self = CRM_SYNC_BUTTON (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      g_value_set_object (value, self->status);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_sync_button_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  CrmSyncButton *self = CRM_SYNC_BUTTON (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      crm_sync_button_set_status (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_sync_button_dispose (GObject *object)
{
  CrmSyncButton *self = CRM_SYNC_BUTTON (object);

  if (self->status != NULL)
    g_clear_signal_handler (&self->notify_id, self->status);
  g_clear_object (&self->status);
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_SYNC_BUTTON);

  G_OBJECT_CLASS (crm_sync_button_parent_class)->dispose (object);
}

static void
crm_sync_button_finalize (GObject *object)
{
  g_free (CRM_SYNC_BUTTON (object)->detail);

  G_OBJECT_CLASS (crm_sync_button_parent_class)->finalize (object);
}

static void
crm_sync_button_class_init (CrmSyncButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = crm_sync_button_get_property;
  object_class->set_property = crm_sync_button_set_property;
  object_class->dispose = crm_sync_button_dispose;
  object_class->finalize = crm_sync_button_finalize;

  properties[PROP_STATUS] = g_param_spec_object ("status", NULL, NULL, CRM_TYPE_SYNC_STATUS,
                                                 G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
                                                 G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/alforis/Crm/ui/crm-sync-button.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmSyncButton, menu_button);
  gtk_widget_class_bind_template_child (widget_class, CrmSyncButton, content);
  gtk_widget_class_bind_template_child (widget_class, CrmSyncButton, title_label);
  gtk_widget_class_bind_template_child (widget_class, CrmSyncButton, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CrmSyncButton, detail_label);
  gtk_widget_class_bind_template_child (widget_class, CrmSyncButton, error_label);
  gtk_widget_class_bind_template_child (widget_class, CrmSyncButton, inbox_button);
  gtk_widget_class_bind_template_child (widget_class, CrmSyncButton, sync_now_button);
}

static void
crm_sync_button_init (CrmSyncButton *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update (self);
}

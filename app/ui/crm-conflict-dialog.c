/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-conflict-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-conflict-dialog.h"
#include "crm-record-text.h"
#include "crm-schema.h"

struct _CrmConflictDialog
{
  AdwWindow            parent_instance;

  CrmReplica          *replica;
  CrmEntityKind        kind;
  char                *id;
  GPtrArray           *groups;   /* AdwPreferencesGroup*, one per conflict shown */
  guint                n_conflicts;

  /* Template children */
  AdwWindowTitle      *window_title;
  GtkLabel            *error_label;
  AdwPreferencesPage  *page;
};

G_DEFINE_FINAL_TYPE (CrmConflictDialog, crm_conflict_dialog, ADW_TYPE_WINDOW)

enum { SIGNAL_RESOLVED, N_SIGNALS };
static guint signals[N_SIGNALS];

char *
crm_conflict_dup_value_text (const char *entity,
                             const char *field,
                             const char *wire)
{
  const CrmEntityInfo *info = entity != NULL ? crm_entity_lookup (entity) : NULL;
  const CrmFieldInfo *field_info = info != NULL && field != NULL ? crm_entity_field (info, field) : NULL;
  const char *label;

  if (wire == NULL || *wire == '\0' || g_str_equal (wire, "null"))
    return g_strdup (_("(empty)"));
  if (field_info != NULL && field_info->enum_values != NULL
      && (label = crm_enum_label (field_info->enum_values, wire)) != NULL)
    return g_strdup (label);
  if (field_info != NULL && (field_info->type == CRM_FIELD_DATE || field_info->type == CRM_FIELD_DATETIME))
    {
      char *date = crm_format_wire_date (wire, field_info->type == CRM_FIELD_DATETIME);
      if (date != NULL)
        return date;
    }
  return g_strdup (wire);
}

static GtkWidget *
value_row (const char *title,
           const char *value)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  return row;
}

static GtkWidget *
choice_button (const char *label,
               gint64      cid,
               gboolean    keep_mine)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "conflict.keep");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "(xb)", cid, keep_mine);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  if (keep_mine)
    gtk_widget_add_css_class (button, "suggested-action");
  return button;
}

static GtkWidget *
conflict_group (const CrmReplicaConflict *conflict)
{
  const CrmEntityInfo *info = crm_entity_lookup (conflict->entity);
  const CrmFieldInfo *field = info != NULL && conflict->field != NULL
                                ? crm_entity_field (info, conflict->field) : NULL;
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  g_autofree char *when = conflict->at != NULL ? crm_format_wire_date (conflict->at, TRUE) : NULL;
  g_autofree char *description = NULL;
  g_autofree char *mine = NULL, *theirs = NULL;
  gboolean deleted = g_strcmp0 (conflict->kind, "deleted") == 0;

  if (deleted)
    adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Record deleted on the server"));
  else
    adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group),
                                     field != NULL ? field->label : conflict->field);
  description = g_strdup_printf (_("Changed by %s on %s"),
                                 conflict->by != NULL ? conflict->by : _("another user"),
                                 when != NULL ? when : (conflict->at != NULL ? conflict->at : "?"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);

  mine = deleted ? g_strdup (_("Your changes to this record"))
                 : crm_conflict_dup_value_text (conflict->entity, conflict->field, conflict->mine);
  theirs = deleted ? g_strdup (_("Deleted"))
                   : crm_conflict_dup_value_text (conflict->entity, conflict->field, conflict->theirs);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), value_row (_("Your value"), mine));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), value_row (_("Their value"), theirs));

  gtk_box_append (GTK_BOX (buttons), choice_button (_("Keep Mine"), conflict->cid, TRUE));
  gtk_box_append (GTK_BOX (buttons), choice_button (_("Keep Theirs"), conflict->cid, FALSE));
  /* Room between "who and when" and the buttons, which it wraps beside. */
  gtk_widget_set_margin_start (buttons, 12);
  gtk_widget_set_valign (buttons, GTK_ALIGN_CENTER);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), buttons);
  return group;
}

static void
crm_conflict_dialog_rebuild (CrmConflictDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;

  for (guint i = 0; i < self->groups->len; i++)
    adw_preferences_page_remove (self->page, self->groups->pdata[i]);
  g_ptr_array_set_size (self->groups, 0);

  conflicts = crm_replica_list_conflicts (self->replica, self->kind, self->id, &error);
  if (conflicts == NULL)
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      self->n_conflicts = 0;
      return;
    }
  for (guint i = 0; i < conflicts->len; i++)
    {
      GtkWidget *group = conflict_group (conflicts->pdata[i]);

      adw_preferences_page_add (self->page, ADW_PREFERENCES_GROUP (group));
      g_ptr_array_add (self->groups, group);
    }
  self->n_conflicts = conflicts->len;
}

guint
crm_conflict_dialog_get_n_conflicts (CrmConflictDialog *self)
{
  g_return_val_if_fail (CRM_IS_CONFLICT_DIALOG (self), 0);
  return self->n_conflicts;
}

gboolean
crm_conflict_dialog_resolve (CrmConflictDialog *self,
                             gint64             cid,
                             gboolean           keep_mine)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (CRM_IS_CONFLICT_DIALOG (self), FALSE);

  if (!crm_replica_resolve_conflict (self->replica, cid, keep_mine, &error))
    {
      /* The conflict stays listed: the user's value is still there to choose. */
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return FALSE;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  crm_conflict_dialog_rebuild (self);
  g_signal_emit (self, signals[SIGNAL_RESOLVED], 0);
  if (self->n_conflicts == 0)
    gtk_window_close (GTK_WINDOW (self));
  return TRUE;
}

static void
keep_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  gint64 cid;
  gboolean keep_mine;

  g_variant_get (param, "(xb)", &cid, &keep_mine);
  crm_conflict_dialog_resolve (CRM_CONFLICT_DIALOG (widget), cid, keep_mine);
}

GtkWidget *
crm_conflict_dialog_new (GtkWindow     *parent,
                         CrmReplica    *replica,
                         CrmEntityKind  kind,
                         const char    *id)
{
  CrmConflictDialog *self;
  g_autoptr(CrmRecord) record = NULL;
  g_autofree char *title = NULL;

  g_return_val_if_fail (CRM_IS_REPLICA (replica), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  self = g_object_new (CRM_TYPE_CONFLICT_DIALOG, "transient-for", parent, NULL);
  self->replica = g_object_ref (replica);
  self->kind = kind;
  self->id = g_strdup (id);

  /* A revoked or never-pulled row still has its conflicts: the title just says less. */
  record = crm_replica_get (replica, kind, id, NULL);
  title = record != NULL ? crm_record_dup_title (record) : NULL;
  adw_window_title_set_subtitle (self->window_title, title != NULL ? title : crm_entity_get (kind)->label);
  crm_conflict_dialog_rebuild (self);
  return GTK_WIDGET (self);
}

static void
crm_conflict_dialog_dispose (GObject *object)
{
  CrmConflictDialog *self = CRM_CONFLICT_DIALOG (object);

  g_clear_object (&self->replica);
  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_CONFLICT_DIALOG);

  G_OBJECT_CLASS (crm_conflict_dialog_parent_class)->dispose (object);
}

static void
crm_conflict_dialog_class_init (CrmConflictDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_conflict_dialog_dispose;

  /* After each choice: the record and the inbox read the replica again. */
  signals[SIGNAL_RESOLVED] = g_signal_new ("resolved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/alforis/Crm/ui/crm-conflict-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmConflictDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, CrmConflictDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, CrmConflictDialog, page);
  gtk_widget_class_install_action (widget_class, "conflict.keep", "(xb)", keep_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
crm_conflict_dialog_init (CrmConflictDialog *self)
{
  self->groups = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

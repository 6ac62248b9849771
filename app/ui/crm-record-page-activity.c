/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-record-page"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-format.h"
#include "crm-record-page-private.h"
#include "crm-record-text.h"

#define TIMELINE_LIMIT 15
#define HISTORY_LIMIT 30

static const char *
timeline_icon (CrmTimelineKind kind)
{
  switch (kind)
    {
    case CRM_TIMELINE_INTERACTION: return "call-start-symbolic";
    case CRM_TIMELINE_TASK: return "task-due-symbolic";
    case CRM_TIMELINE_MANDAT: return "emblem-documents-symbolic";
    case CRM_TIMELINE_LINK: return "avatar-default-symbolic";
    case CRM_TIMELINE_FIELD_CHANGE:
    default: return "document-edit-symbolic";
    }
}

static void
on_timeline_row_activated (AdwActionRow  *row,
                           CrmRecordPage *self)
{
  const CrmEntityInfo *entity = g_object_get_data (G_OBJECT (row), "crm-entity");
  const char *id = g_object_get_data (G_OBJECT (row), "crm-id");

  g_signal_emit (self, crm_record_page_signals[CRM_RECORD_PAGE_OPEN_RECORD], 0,
                 (int) entity->kind, id);
}

static void
remove_rows (GPtrArray **rows,
             GtkWidget  *group)
{
  for (guint i = 0; *rows != NULL && i < (*rows)->len; i++)
    {
      if (ADW_IS_EXPANDER_ROW (group))
        adw_expander_row_remove (ADW_EXPANDER_ROW (group), (*rows)->pdata[i]);
      else
        adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), (*rows)->pdata[i]);
    }
  g_clear_pointer (rows, g_ptr_array_unref);
  *rows = g_ptr_array_new ();
}

static void
load_timeline (CrmRecordPage *self)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  remove_rows (&self->timeline_rows, self->timeline_group);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->timeline_group), NULL);
  if (self->kind != CRM_ENTITY_ORGANISATION && self->kind != CRM_ENTITY_PERSON)
    return;

  items = crm_replica_timeline (self->replica, self->kind, self->id, NULL, TIMELINE_LIMIT, &error);
  if (items == NULL)
    {
      g_message ("Could not read the timeline: %s", error->message);
      return;
    }

  for (guint i = 0; i < items->len; i++)
    {
      CrmTimelineItem *item = items->pdata[i];
      const CrmEntityInfo *entity = crm_entity_lookup (item->entity);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *when = crm_format_wire_date (item->at, strlen (item->at) > 10);
      g_autofree char *subtitle = item->detail != NULL
                                  ? g_strdup_printf ("%s — %s", when, item->detail)
                                  : g_strdup (when);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), item->title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      /* One line each, ellipsized: see crm_row_set_single_lines(). */
      crm_row_set_single_lines (row);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name (timeline_icon (item->kind)));

      /* An item about another record opens it; a change of this record is already here. */
      if (entity != NULL && item->kind != CRM_TIMELINE_FIELD_CHANGE &&
          entity->kind != CRM_ENTITY_LINK && g_strcmp0 (item->id, self->id) != 0)
        {
          g_object_set_data (G_OBJECT (row), "crm-entity", (gpointer) entity);
          g_object_set_data_full (G_OBJECT (row), "crm-id", g_strdup (item->id), g_free);
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
          g_signal_connect (row, "activated", G_CALLBACK (on_timeline_row_activated), self);
        }
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->timeline_group), row);
      g_ptr_array_add (self->timeline_rows, row);
    }

  if (items->len == 0)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->timeline_group),
                                           _("Nothing has happened here yet."));
}

static const char *
op_label (const CrmHistoryEntry *entry)
{
  if (entry->remote)
    return _("from the server");
  if (g_strcmp0 (entry->op_kind, "create") == 0)
    return _("created");
  if (g_strcmp0 (entry->op_kind, "delete") == 0)
    return _("deleted");
  if (g_strcmp0 (entry->op_kind, "restore") == 0)
    return _("restored");
  return _("edited");
}

static char *
history_value (const CrmFieldInfo *field,
               const char         *wire)
{
  if (wire == NULL || *wire == '\0')
    return g_strdup (_("(empty)"));
  if (field != NULL && field->type == CRM_FIELD_ENUM && crm_enum_label (field->enum_values, wire) != NULL)
    return g_strdup (crm_enum_label (field->enum_values, wire));
  if (field != NULL && (field->type == CRM_FIELD_DATE || field->type == CRM_FIELD_DATETIME))
    return crm_format_wire_date (wire, field->type == CRM_FIELD_DATETIME);
  return g_strdup (wire);
}

static void
load_history (CrmRecordPage *self)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  const CrmEntityInfo *entity = crm_entity_get (self->kind);
  g_autofree char *subtitle = NULL;
  guint shown = 0;

  remove_rows (&self->history_rows, GTK_WIDGET (self->history_row));

  entries = crm_replica_history (self->replica, self->kind, self->id, &error);
  if (entries == NULL)
    {
      g_message ("Could not read the history: %s", error->message);
      return;
    }

  /* Newest first: the last change is the one people look for. */
  for (guint i = entries->len; i > 0 && shown < HISTORY_LIMIT; i--)
    {
      CrmHistoryEntry *entry = entries->pdata[i - 1];
      const CrmFieldInfo *field = crm_entity_field (entity, entry->field);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *old_value = history_value (field, entry->old_value);
      g_autofree char *new_value = history_value (field, entry->new_value);
      g_autofree char *when = crm_format_wire_date (entry->changed_at, TRUE);
      g_autofree char *title = NULL;
      g_autofree char *detail = NULL;

      if (field != NULL && (field->flags & CRM_FIELD_META))
        continue;
      /* Translators: a line of the field history: field, old value, new value. */
      title = g_strdup_printf (_("%s: %s → %s"), field != NULL ? field->label : entry->field,
                               old_value, new_value);
      detail = g_strdup_printf ("%s, %s", when, op_label (entry));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), detail);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
      adw_expander_row_add_row (self->history_row, row);
      g_ptr_array_add (self->history_rows, row);
      shown++;
    }

  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u change", "%u changes", shown), shown);
  adw_expander_row_set_subtitle (self->history_row, subtitle);
  gtk_widget_set_sensitive (GTK_WIDGET (self->history_row), shown > 0);
}

void
crm_record_page_load_activity (CrmRecordPage *self)
{
  if (self->record == NULL)
    return;
  load_timeline (self);
  load_history (self);
}

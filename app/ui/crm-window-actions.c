/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-window"

#include "config.h"

#include <stdlib.h>

#include <glib/gi18n.h>

#include "crm-list-page.h"
#include "crm-record-page.h"
#include "crm-record-text.h"
#include "crm-window-private.h"

static CrmListPage *
current_list (CrmWindow *self)
{
  GtkWidget *page = crm_window_get_current_list (self);

  return page != NULL ? CRM_LIST_PAGE (page) : NULL;
}

static CrmEntityKind
current_kind (CrmWindow *self)
{
  if (self->record_page != NULL)
    return crm_record_page_get_kind (CRM_RECORD_PAGE (self->record_page));
  if (current_list (self) != NULL)
    return crm_list_page_get_kind (current_list (self));
  /* The dashboard and the pipeline are about organisations. */
  return self->section == CRM_SECTION_TASKS ? CRM_ENTITY_TASK : CRM_ENTITY_ORGANISATION;
}

/* The record an action is about: the one open, or the row selected in the list. */
static CrmRecord *
current_record (CrmWindow *self)
{
  if (self->record_page != NULL)
    return crm_record_page_get_id (CRM_RECORD_PAGE (self->record_page)) != NULL
           ? crm_record_page_get_record (CRM_RECORD_PAGE (self->record_page)) : NULL;
  if (current_list (self) != NULL)
    return crm_list_page_get_selected (current_list (self));
  return NULL;
}

static gboolean
allows (CrmWindow     *self,
        CrmEntityKind  kind,
        CrmAction      action)
{
  return crm_access_allows_kind (&self->access, kind, action);
}

void
crm_window_update_actions (CrmWindow *self)
{
  gboolean ready = self->replica != NULL &&
                   g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "loading") != 0;
  CrmRecord *record = ready ? current_record (self) : NULL;
  gboolean deleted = record != NULL && crm_record_get_bool (record, "deleted");

  CrmEntityKind record_kind = record != NULL ? crm_record_get_entity (record)->kind : current_kind (self);
  gboolean editing = self->record_page != NULL &&
                     crm_record_page_get_editing (CRM_RECORD_PAGE (self->record_page));
  gboolean creating = editing && crm_record_page_get_id (CRM_RECORD_PAGE (self->record_page)) == NULL;
  gboolean can_undelete = FALSE;

  /* What the role denies is not offered: the server would refuse it anyway. */
  for (CrmEntityKind kind = 0; kind < CRM_N_ENTITIES; kind++)
    can_undelete |= allows (self, kind, CRM_ACTION_DELETE);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-record",
                                 ready && (self->record_page != NULL || self->section != CRM_SECTION_ADMIN) &&
                                 allows (self, current_kind (self), CRM_ACTION_CREATE));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-organisation",
                                 ready && allows (self, CRM_ENTITY_ORGANISATION, CRM_ACTION_CREATE));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.filter", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.section", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.edit",
                                 record != NULL && !deleted && allows (self, record_kind, CRM_ACTION_UPDATE));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.delete",
                                 record != NULL && !deleted && allows (self, record_kind, CRM_ACTION_DELETE));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo-delete", can_undelete);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save",
                                 editing && allows (self, current_kind (self),
                                                    creating ? CRM_ACTION_CREATE : CRM_ACTION_UPDATE));
}

void
crm_window_show_toast (CrmWindow *self,
                       AdwToast  *toast)
{
  g_set_weak_pointer (&self->toast, toast);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
crm_window_go_back (CrmWindow *self)
{
  g_autofree char *previous = g_queue_pop_head (&self->back_stack);

  if (previous != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (previous, ":", 2);

      /* Without a page shown, opening pushes nothing: going back must not return here. */
      adw_bin_set_child (self->record_bin, NULL);
      self->record_page = NULL;
      crm_window_open_record (self, atoi (parts[0]), parts[1]);
      return;
    }

  if (self->record_page != NULL)
    {
      adw_bin_set_child (self->record_bin, NULL);
      self->record_page = NULL;
      crm_window_update_content (self);
      return;
    }

  /* A folded window goes back from the content to the sections. */
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

void
crm_window_delete_record (CrmWindow     *self,
                          CrmEntityKind  kind,
                          const char    *id)
{
  g_autoptr(CrmRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *text = NULL;
  g_autofree char *row_id = g_strdup (id);
  AdwToast *toast;

  g_return_if_fail (CRM_IS_WINDOW (self));

  record = crm_replica_get (self->replica, kind, row_id, &error);
  if (record == NULL || !crm_replica_delete (self->replica, kind, row_id, &error))
    {
      crm_window_show_toast (self, adw_toast_new (error->message));
      return;
    }

  /* The page of a deleted record has nothing left to show: back to where we came from. */
  if (self->record_page != NULL &&
      g_strcmp0 (crm_record_page_get_id (CRM_RECORD_PAGE (self->record_page)), row_id) == 0)
    crm_window_go_back (self);
  crm_window_reload (self);

  title = crm_record_dup_title (record);
  /* Translators: a toast after a deletion; %s is the record's name. */
  text = g_strdup_printf (_("“%s” deleted"), title);
  toast = adw_toast_new (text);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.undo-delete");
  adw_toast_set_action_target_value (toast, g_variant_new ("(is)", (int) kind, row_id));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  crm_window_show_toast (self, toast);
}

static void
undo_delete_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  CrmWindow *self = CRM_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRecord) record = NULL;
  g_autofree char *title = NULL;
  g_autofree char *text = NULL;
  const char *id;
  int kind;

  g_variant_get (param, "(i&s)", &kind, &id);
  if (!crm_replica_restore (self->replica, kind, id, &error) ||
      (record = crm_replica_get (self->replica, kind, id, &error)) == NULL)
    {
      crm_window_show_toast (self, adw_toast_new (error->message));
      return;
    }

  crm_window_reload (self);
  title = crm_record_dup_title (record);
  /* Translators: a toast after an undone deletion; %s is the record's name. */
  text = g_strdup_printf (_("“%s” restored"), title);
  crm_window_show_toast (self, adw_toast_new (text));
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  CrmWindow *self = CRM_WINDOW (widget);
  CrmRecord *record = current_record (self);

  if (record == NULL)
    return;
  crm_window_delete_record (self, crm_record_get_entity (record)->kind,
                            crm_record_get_string (record, "id"));
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  CrmWindow *self = CRM_WINDOW (widget);
  CrmRecord *record = current_record (self);

  if (record == NULL)
    return;
  if (self->record_page == NULL)
    crm_window_open_record (self, crm_record_get_entity (record)->kind,
                            crm_record_get_string (record, "id"));
  crm_record_page_set_editing (CRM_RECORD_PAGE (self->record_page), TRUE);
  crm_window_update_actions (self);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  CrmWindow *self = CRM_WINDOW (widget);

  if (self->record_page != NULL && crm_record_page_get_editing (CRM_RECORD_PAGE (self->record_page)))
    crm_record_page_save (CRM_RECORD_PAGE (self->record_page));
  crm_window_update_actions (self);
}

static void
new_record_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  CrmWindow *self = CRM_WINDOW (widget);

  crm_window_new_record (self, current_kind (self), NULL, NULL);
}

static void
new_organisation_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  crm_window_new_record (CRM_WINDOW (widget), CRM_ENTITY_ORGANISATION, NULL, NULL);
}

static void
filter_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  CrmWindow *self = CRM_WINDOW (widget);

  /* From a record page, Ctrl+F goes back to its list to filter it. */
  if (self->record_page != NULL)
    crm_window_show_section (self, self->section);
  /* The tasks have their filters on the list of all of them. */
  if (self->section == CRM_SECTION_TASKS)
    adw_view_stack_set_visible_child_name (self->tasks_stack, "all");
  if (current_list (self) == NULL)
    return;
  /* The first-run invitation hides the list: filtering an empty list shows it. */
  gtk_stack_set_visible_child (self->content_stack, self->section_pages[self->section]);
  crm_list_page_toggle_filters (current_list (self));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  CrmWindow *self = CRM_WINDOW (widget);

  /* A folded window shows the sections: the search lives with the content. */
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  crm_global_search_focus (self->search);
}

static void
section_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  crm_window_show_section (CRM_WINDOW (widget), g_variant_get_int32 (param));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  crm_window_go_back (CRM_WINDOW (widget));
}

void
crm_window_class_install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.new-record", NULL, new_record_action);
  gtk_widget_class_install_action (widget_class, "win.new-organisation", NULL, new_organisation_action);
  gtk_widget_class_install_action (widget_class, "win.filter", NULL, filter_action);
  gtk_widget_class_install_action (widget_class, "win.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "win.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "win.undo-delete", "(is)", undo_delete_action);
  gtk_widget_class_install_action (widget_class, "win.section", "i", section_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-record", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.filter", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.edit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "win.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "win.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "win.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
  for (int i = 0; i < CRM_N_SECTIONS; i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK, "win.section", "i", i);
}

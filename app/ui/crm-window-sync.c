/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-window-sync.c — the window's part in sync: the status button, the banner on a
 * record that has conflicts, the conflict dialog and the inbox, and read-only mode
 * for a viewer.
 */
#define G_LOG_DOMAIN "crm-window"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-admin-page.h"
#include "crm-conflict-dialog.h"
#include "crm-inbox-page.h"
#include "crm-list-page.h"
#include "crm-pipeline-page.h"
#include "crm-record-page.h"
#include "crm-tasks-page.h"
#include "crm-window-private.h"

void
crm_window_update_sync (CrmWindow *self)
{
  const char *id = NULL;
  guint n = 0;

  if (self->replica == NULL)
    return;
  if (crm_sync_button_get_status (self->sync_button) == NULL)
    crm_sync_button_set_local_pending (self->sync_button,
                                       crm_replica_outbox_count (self->replica, NULL));

  if (self->record_page != NULL)
    id = crm_record_page_get_id (CRM_RECORD_PAGE (self->record_page));
  if (id != NULL)
    {
      g_autoptr(GPtrArray) conflicts =
        crm_replica_list_conflicts (self->replica,
                                    crm_record_page_get_kind (CRM_RECORD_PAGE (self->record_page)),
                                    id, NULL);
      n = conflicts != NULL ? conflicts->len : 0;
    }
  if (n > 0)
    {
      g_autofree char *text = g_strdup_printf (ngettext ("Someone else changed this record: %u field to review.",
                                                         "Someone else changed this record: %u fields to review.",
                                                         n), n);
      gtk_label_set_text (self->conflict_banner_label, text);
    }
  gtk_revealer_set_reveal_child (self->conflict_banner, n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.review-conflicts", n > 0);
}

static void
on_conflict_resolved (CrmWindow *self)
{
  if (self->record_page != NULL)
    crm_record_page_reload (CRM_RECORD_PAGE (self->record_page));
  crm_window_update_sync (self);
}

GtkWidget *
crm_window_review_conflicts (CrmWindow *self)
{
  CrmRecordPage *page;
  GtkWidget *dialog;

  g_return_val_if_fail (CRM_IS_WINDOW (self), NULL);

  if (self->replica == NULL || self->record_page == NULL)
    return NULL;
  page = CRM_RECORD_PAGE (self->record_page);
  if (crm_record_page_get_id (page) == NULL)
    return NULL;
  dialog = crm_conflict_dialog_new (GTK_WINDOW (self), self->replica,
                                    crm_record_page_get_kind (page), crm_record_page_get_id (page));
  g_signal_connect_object (dialog, "resolved", G_CALLBACK (on_conflict_resolved), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

static void
on_inbox_open_record (CrmInboxPage *page,
                      int           kind,
                      const char   *id,
                      CrmWindow    *self)
{
  crm_window_open_record (self, kind, id);
  gtk_window_present (GTK_WINDOW (self));
}

GtkWidget *
crm_window_show_inbox (CrmWindow *self)
{
  GtkWidget *window, *box, *header, *page;

  g_return_val_if_fail (CRM_IS_WINDOW (self), NULL);

  if (self->replica == NULL)
    return NULL;

  page = crm_inbox_page_new (self->replica);
  gtk_widget_set_vexpand (page, TRUE);
  g_signal_connect_object (page, "open-record", G_CALLBACK (on_inbox_open_record), self, 0);

  header = adw_header_bar_new ();
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), page);
  window = g_object_new (ADW_TYPE_WINDOW,
                         "title", _("To Review"),
                         "transient-for", self,
                         "default-width", 620,
                         "default-height", 560,
                         "content", box,
                         NULL);
  gtk_window_set_application (GTK_WINDOW (window), gtk_window_get_application (GTK_WINDOW (self)));
  gtk_window_present (GTK_WINDOW (window));
  return page;
}

void
crm_window_set_sync_status (CrmWindow     *self,
                            CrmSyncStatus *status)
{
  g_return_if_fail (CRM_IS_WINDOW (self));

  if (crm_sync_button_get_status (self->sync_button) != NULL)
    g_signal_handlers_disconnect_by_data (crm_sync_button_get_status (self->sync_button), self);
  crm_sync_button_set_status (self->sync_button, status);
  /* New conflicts come down with a pull: the record shown may have one now. */
  if (status != NULL)
    {
      g_signal_connect_object (status, "notify::conflicts", G_CALLBACK (crm_window_update_sync), self,
                               G_CONNECT_SWAPPED);
      /* The role comes from /me after the sign-in, and changes with an epoch. */
      g_signal_connect_object (status, "notify::role", G_CALLBACK (crm_window_update_access), self,
                               G_CONNECT_SWAPPED);
    }
  crm_window_update_sync (self);
  crm_window_update_access (self);
}

void
crm_window_apply_access (CrmWindow *self)
{
  const CrmAccess *access = &self->access;
  GtkWidget *tasks;

  for (CrmEntityKind kind = 0; kind < CRM_N_ENTITIES; kind++)
    if (self->lists[kind] != NULL)
      crm_list_page_set_can_create (CRM_LIST_PAGE (self->lists[kind]),
                                    crm_access_allows_kind (access, kind, CRM_ACTION_CREATE));
  if (self->section_pages[CRM_SECTION_PIPELINE] != NULL)
    crm_pipeline_page_set_can_move (CRM_PIPELINE_PAGE (self->section_pages[CRM_SECTION_PIPELINE]),
                                    crm_access_allows_kind (access, CRM_ENTITY_ORGANISATION,
                                                            CRM_ACTION_UPDATE));
  tasks = self->tasks_stack != NULL ? adw_view_stack_get_child_by_name (self->tasks_stack, "mine") : NULL;
  if (tasks != NULL)
    crm_tasks_page_set_can_complete (CRM_TASKS_PAGE (tasks),
                                     crm_access_allows_kind (access, CRM_ENTITY_TASK, CRM_ACTION_UPDATE));
  gtk_widget_set_visible (self->new_organisation_button,
                          crm_access_allows_kind (access, CRM_ENTITY_ORGANISATION, CRM_ACTION_CREATE));
  if (self->section_rows[CRM_SECTION_ADMIN] != NULL)
    gtk_widget_set_visible (self->section_rows[CRM_SECTION_ADMIN], crm_window_shows_admin (self));
  if (self->section_pages[CRM_SECTION_ADMIN] != NULL)
    crm_admin_page_set_can_edit_roles (CRM_ADMIN_PAGE (self->section_pages[CRM_SECTION_ADMIN]),
                                       crm_access_allows (access, CRM_RESOURCE_ROLES, CRM_ACTION_MANAGE) ||
                                       crm_access_allows (access, CRM_RESOURCE_ROLES, CRM_ACTION_UPDATE));
  if (self->record_page != NULL)
    {
      /* Ending a creation the role no longer allows takes the page away: keep it alive
       * through the call. */
      g_autoptr(GtkWidget) page = g_object_ref (self->record_page);

      crm_record_page_set_access (CRM_RECORD_PAGE (page), access);
    }
}

gboolean
crm_window_shows_admin (CrmWindow *self)
{
  /* No role means the local CRM: there is no server to administer. */
  CrmSyncStatus *status = crm_sync_button_get_status (self->sync_button);

  return self->engine != NULL && status != NULL && crm_sync_status_get_role (status) != NULL &&
         crm_access_allows (&self->access, CRM_RESOURCE_USERS, CRM_ACTION_MANAGE);
}

void
crm_window_drop_admin (CrmWindow *self)
{
  GtkWidget *page = self->section_pages[CRM_SECTION_ADMIN];

  if (page == NULL)
    return;
  if (self->section == CRM_SECTION_ADMIN)
    crm_window_show_section (self, CRM_SECTION_DASHBOARD);
  self->section_pages[CRM_SECTION_ADMIN] = NULL;
  gtk_stack_remove (self->content_stack, page);
}

void
crm_window_set_engine (CrmWindow     *self,
                       CrmSyncEngine *engine)
{
  g_return_if_fail (CRM_IS_WINDOW (self));

  if (self->engine == engine)
    return;
  crm_window_drop_admin (self);
  g_set_object (&self->engine, engine);
  if (self->section_rows[CRM_SECTION_ADMIN] != NULL)
    gtk_widget_set_visible (self->section_rows[CRM_SECTION_ADMIN], crm_window_shows_admin (self));
}

void
crm_window_update_access (CrmWindow *self)
{
  CrmAccess access;

  g_return_if_fail (CRM_IS_WINDOW (self));

  crm_access_init_from (&access, crm_sync_button_get_status (self->sync_button), self->read_only);
  if (crm_access_equal (&access, &self->access))
    {
      /* The same rights, but "no role" and "a role that may do everything" differ here. */
      if (self->section_rows[CRM_SECTION_ADMIN] != NULL)
        gtk_widget_set_visible (self->section_rows[CRM_SECTION_ADMIN], crm_window_shows_admin (self));
      return;
    }
  self->access = access;
  if (!crm_window_shows_admin (self))
    crm_window_drop_admin (self);
  crm_window_apply_access (self);
  crm_window_update_content (self);
  crm_window_update_actions (self);
}

gboolean
crm_window_allows (CrmWindow     *self,
                   CrmResource    resource,
                   CrmAction      action)
{
  g_return_val_if_fail (CRM_IS_WINDOW (self), FALSE);
  return crm_access_allows (&self->access, resource, action);
}

GtkWidget *
crm_window_get_sync_button (CrmWindow *self)
{
  g_return_val_if_fail (CRM_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->sync_button);
}

void
crm_window_set_read_only (CrmWindow *self,
                          gboolean   read_only)
{
  g_return_if_fail (CRM_IS_WINDOW (self));

  read_only = !!read_only;
  if (self->read_only == read_only)
    return;
  self->read_only = read_only;
  crm_window_update_access (self);
}

gboolean
crm_window_get_read_only (CrmWindow *self)
{
  g_return_val_if_fail (CRM_IS_WINDOW (self), FALSE);
  return self->read_only;
}

static void
show_inbox_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  crm_window_show_inbox (CRM_WINDOW (widget));
}

static void
review_conflicts_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  crm_window_review_conflicts (CRM_WINDOW (widget));
}

void
crm_window_class_install_sync_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.show-inbox", NULL, show_inbox_action);
  gtk_widget_class_install_action (widget_class, "win.review-conflicts", NULL, review_conflicts_action);
}

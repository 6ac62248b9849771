/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-window"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-admin-page.h"
#include "crm-dashboard-page.h"
#include "crm-list-page.h"
#include "crm-pipeline-page.h"
#include "crm-record-page.h"
#include "crm-tasks-page.h"
#include "crm-window-private.h"

typedef struct
{
  CrmSection     section;
  const char    *icon_name;
  const char    *label;
} SectionInfo;

static const SectionInfo sections[CRM_N_SECTIONS] = {
  { CRM_SECTION_DASHBOARD, "go-home-symbolic", N_("Dashboard") },
  { CRM_SECTION_ORGANISATIONS, "x-office-address-book-symbolic", N_("Organisations") },
  { CRM_SECTION_PEOPLE, "avatar-default-symbolic", N_("People") },
  { CRM_SECTION_MANDATS, "emblem-documents-symbolic", N_("Mandates") },
  { CRM_SECTION_INTERACTIONS, "call-start-symbolic", N_("Interactions") },
  { CRM_SECTION_TASKS, "checkbox-checked-symbolic", N_("Tasks") },
  { CRM_SECTION_PIPELINE, "view-grid-symbolic", N_("Pipeline") },
  { CRM_SECTION_ADMIN, "emblem-system-symbolic", N_("Administration") },
};

G_DEFINE_FINAL_TYPE (CrmWindow, crm_window, ADW_TYPE_APPLICATION_WINDOW)

static void ensure_section_page (CrmWindow  *self,
                                 CrmSection  section);
static void reload_section      (CrmWindow  *self,
                                 CrmSection  section);

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

static const char *
section_page_name (CrmSection section)
{
  static const char *names[CRM_N_SECTIONS] = {
    "dashboard", "organisations", "people", "mandats", "interactions", "tasks", "pipeline",
    "admin"
  };

  return names[section];
}

/* An empty replica opens on the invitation to create the first organisation. */
static gboolean
shows_first_run (CrmWindow *self)
{
  CrmRecordListModel *model;
  GtkWidget *page = self->lists[CRM_ENTITY_ORGANISATION];

  /* A role that may not create organisations is not invited to. */
  if (self->section != CRM_SECTION_ORGANISATIONS || page == NULL ||
      !crm_access_allows_kind (&self->access, CRM_ENTITY_ORGANISATION, CRM_ACTION_CREATE))
    return FALSE;
  model = crm_list_page_get_model (CRM_LIST_PAGE (page));
  return g_list_model_get_n_items (G_LIST_MODEL (model)) == 0 &&
         crm_record_list_model_get_n_filters (model) == 0;
}

void
crm_window_update_content (CrmWindow *self)
{
  const char *visible = gtk_stack_get_visible_child_name (self->content_stack);

  if (self->replica == NULL || g_strcmp0 (visible, "loading") == 0)
    return;

  /* Back from a record page: its section may have been changed meanwhile. */
  if (self->record_page == NULL && (self->stale & (1u << self->section)))
    reload_section (self, self->section);

  if (self->record_page != NULL)
    gtk_stack_set_visible_child_name (self->content_stack, "record");
  else if (shows_first_run (self))
    gtk_stack_set_visible_child_name (self->content_stack, "empty");
  else if (self->section_pages[self->section] != NULL)
    gtk_stack_set_visible_child_name (self->content_stack, section_page_name (self->section));

  gtk_widget_set_visible (self->back_button,
                          self->record_page != NULL || adw_leaflet_get_folded (self->leaflet));
  crm_window_update_actions (self);
}

/* Reads what a section shows again: a count of 100,000 rows is not free, so only the
 * section on screen is read after a change, the others when they are shown. */
static void
reload_section (CrmWindow  *self,
                CrmSection  section)
{
  if (self->section_pages[section] == NULL)
    return;
  self->stale &= ~(1u << section);
  switch ((int) section)
    {
    case CRM_SECTION_DASHBOARD:
      crm_dashboard_page_reload (CRM_DASHBOARD_PAGE (self->section_pages[section]));
      break;
    case CRM_SECTION_PIPELINE:
      crm_pipeline_page_reload (CRM_PIPELINE_PAGE (self->section_pages[section]));
      break;
    case CRM_SECTION_TASKS:
      crm_tasks_page_reload (CRM_TASKS_PAGE (adw_view_stack_get_child_by_name (self->tasks_stack, "mine")));
      crm_list_page_reload (CRM_LIST_PAGE (self->lists[CRM_ENTITY_TASK]));
      break;
    case CRM_SECTION_ORGANISATIONS:
      crm_list_page_reload (CRM_LIST_PAGE (self->lists[CRM_ENTITY_ORGANISATION]));
      break;
    case CRM_SECTION_PEOPLE:
      crm_list_page_reload (CRM_LIST_PAGE (self->lists[CRM_ENTITY_PERSON]));
      break;
    case CRM_SECTION_MANDATS:
      crm_list_page_reload (CRM_LIST_PAGE (self->lists[CRM_ENTITY_MANDAT]));
      break;
    case CRM_SECTION_INTERACTIONS:
      crm_list_page_reload (CRM_LIST_PAGE (self->lists[CRM_ENTITY_INTERACTION]));
      break;
    case CRM_SECTION_ADMIN:
      crm_admin_page_reload (CRM_ADMIN_PAGE (self->section_pages[section]));
      break;
    default:
      break;
    }
}

gboolean
crm_window_show_section (CrmWindow  *self,
                         CrmSection  section)
{
  g_return_val_if_fail (CRM_IS_WINDOW (self), FALSE);

  if (section >= CRM_N_SECTIONS || self->replica == NULL)
    return FALSE;
  if (section == CRM_SECTION_ADMIN && !crm_window_shows_admin (self))
    return FALSE;

  ensure_section_page (self, section);
  self->section = section;
  if (self->stale & (1u << section))
    reload_section (self, section);
  g_queue_clear_full (&self->back_stack, g_free);
  if (self->record_page != NULL)
    {
      adw_bin_set_child (self->record_bin, NULL);
      self->record_page = NULL;
    }

  gtk_list_box_select_row (self->sidebar_list, GTK_LIST_BOX_ROW (self->section_rows[section]));
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  crm_window_update_content (self);
  return TRUE;
}

CrmSection
crm_window_get_section (CrmWindow *self)
{
  return self->section;
}

static void
on_sidebar_row_activated (GtkListBox    *box,
                          GtkListBoxRow *row,
                          CrmWindow     *self)
{
  crm_window_show_section (self, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "crm-section")));
}

static void
on_open_record (GtkWidget  *page,
                int         kind,
                const char *id,
                CrmWindow  *self)
{
  crm_window_open_record (self, kind, id);
}

static void
add_section (CrmWindow  *self,
             CrmSection  section)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (_(sections[section].label));
  g_autofree char *tooltip = g_strdup_printf (_("Alt+%d"), (int) section + 1);

  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name (sections[section].icon_name));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_set_tooltip_text (row, tooltip);
  g_object_set_data (G_OBJECT (row), "crm-section", GINT_TO_POINTER (section));

  /* Rows stay in section order whatever order the pages come in. */
  gtk_list_box_insert (self->sidebar_list, row, -1);
  self->section_rows[section] = row;
}

/* Everything a section shows can open a record. */
static GtkWidget *
follow (CrmWindow *self,
        GtkWidget *page)
{
  g_signal_connect (page, "open-record", G_CALLBACK (on_open_record), self);
  return page;
}

static GtkWidget *
new_list (CrmWindow     *self,
          CrmEntityKind  kind)
{
  self->lists[kind] = follow (self, crm_list_page_new (self->replica, kind));
  return self->lists[kind];
}

/* Tasks: the person's own, grouped by due date, or all of them in a list with filters. */
static GtkWidget *
new_tasks_section (CrmWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *switcher = adw_view_switcher_new ();
  AdwViewStackPage *page;

  self->tasks_stack = ADW_VIEW_STACK (adw_view_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->tasks_stack), TRUE);
  page = adw_view_stack_add_titled (self->tasks_stack,
                                    follow (self, crm_tasks_page_new (self->replica)),
                                    "mine", _("My Tasks"));
  adw_view_stack_page_set_icon_name (page, "checkbox-checked-symbolic");
  page = adw_view_stack_add_titled (self->tasks_stack, new_list (self, CRM_ENTITY_TASK),
                                    "all", _("All Tasks"));
  adw_view_stack_page_set_icon_name (page, "view-list-symbolic");

  adw_view_switcher_set_stack (ADW_VIEW_SWITCHER (switcher), self->tasks_stack);
  adw_view_switcher_set_policy (ADW_VIEW_SWITCHER (switcher), ADW_VIEW_SWITCHER_POLICY_WIDE);
  gtk_widget_set_halign (switcher, GTK_ALIGN_CENTER);
  g_object_set (switcher, "margin-top", 6, "margin-bottom", 6, NULL);
  g_signal_connect_swapped (self->tasks_stack, "notify::visible-child",
                            G_CALLBACK (crm_window_update_actions), self);

  gtk_box_append (GTK_BOX (box), switcher);
  gtk_box_append (GTK_BOX (box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->tasks_stack));
  return box;
}

/* Pages are made when first shown: a pipeline board of 30,000 cards or a list's count
 * of 100,000 rows is no reason to wait at start-up. */
static void
ensure_section_page (CrmWindow  *self,
                     CrmSection  section)
{
  GtkWidget *page;

  if (self->section_pages[section] != NULL)
    return;

  switch ((int) section)
    {
    case CRM_SECTION_DASHBOARD:
      page = follow (self, crm_dashboard_page_new_lazy (self->replica));
      break;
    case CRM_SECTION_PEOPLE:
      page = new_list (self, CRM_ENTITY_PERSON);
      break;
    case CRM_SECTION_MANDATS:
      page = new_list (self, CRM_ENTITY_MANDAT);
      break;
    case CRM_SECTION_INTERACTIONS:
      page = new_list (self, CRM_ENTITY_INTERACTION);
      break;
    case CRM_SECTION_TASKS:
      page = new_tasks_section (self);
      break;
    case CRM_SECTION_PIPELINE:
      page = follow (self, crm_pipeline_page_new (self->replica));
      break;
    case CRM_SECTION_ADMIN:
      page = crm_admin_page_new (self->engine);
      break;
    case CRM_SECTION_ORGANISATIONS:
    default:
      page = new_list (self, CRM_ENTITY_ORGANISATION);
      break;
    }

  /* A new list is empty until read; the other pages read their data as they are made. */
  if (section == CRM_SECTION_DASHBOARD || section == CRM_SECTION_PIPELINE ||
      section == CRM_SECTION_ADMIN)
    self->stale &= ~(1u << section);
  else
    self->stale |= 1u << section;
  self->section_pages[section] = page;
  gtk_stack_add_named (self->content_stack, page, section_page_name (section));
  crm_window_apply_access (self);
}

GtkWidget *
crm_window_get_current_list (CrmWindow *self)
{
  if (self->record_page != NULL)
    return NULL;
  switch ((int) self->section)
    {
    case CRM_SECTION_ORGANISATIONS: return self->lists[CRM_ENTITY_ORGANISATION];
    case CRM_SECTION_PEOPLE: return self->lists[CRM_ENTITY_PERSON];
    case CRM_SECTION_MANDATS: return self->lists[CRM_ENTITY_MANDAT];
    case CRM_SECTION_INTERACTIONS: return self->lists[CRM_ENTITY_INTERACTION];
    case CRM_SECTION_TASKS:
      if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->tasks_stack), "all") == 0)
        return self->lists[CRM_ENTITY_TASK];
      return NULL;
    default:
      return NULL;
    }
}

static int
sort_sidebar (GtkListBoxRow *a,
              GtkListBoxRow *b,
              gpointer       user_data)
{
  return GPOINTER_TO_INT (g_object_get_data (G_OBJECT (a), "crm-section")) -
         GPOINTER_TO_INT (g_object_get_data (G_OBJECT (b), "crm-section"));
}

static gboolean
replica_is_empty (CrmWindow *self)
{
  g_autoptr(CrmReplicaQuery) query = crm_replica_query_new (CRM_ENTITY_ORGANISATION);
  g_autoptr(GPtrArray) rows = NULL;

  crm_replica_query_set_limit (query, 1);
  rows = crm_replica_list (self->replica, query, NULL, NULL);
  return rows != NULL && rows->len == 0;
}

static void
show_recovery (CrmWindow *self)
{
  const char *moved_to = NULL;
  guint n_salvaged = 0;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (!crm_replica_get_recovery (self->replica, &moved_to, &n_salvaged))
    return;

  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "The local data file was damaged. It was set aside, not deleted, at %s, and a new one took its place; %u change waiting to be sent was saved. Synchronize with your server to get your records back.",
                                       "The local data file was damaged. It was set aside, not deleted, at %s, and a new one took its place; %u changes waiting to be sent were saved. Synchronize with your server to get your records back.",
                                       n_salvaged),
                          moved_to, n_salvaged);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Local Data Repaired"), body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_set_application (GTK_WINDOW (dialog), gtk_window_get_application (GTK_WINDOW (self)));
  gtk_window_present (GTK_WINDOW (dialog));
}

void
crm_window_set_replica (CrmWindow  *self,
                        CrmReplica *replica)
{
  g_return_if_fail (CRM_IS_WINDOW (self));
  g_return_if_fail (self->replica == NULL);

  self->replica = g_object_ref (replica);
  crm_global_search_set_replica (self->search, replica);

  for (CrmSection section = 0; section < CRM_N_SECTIONS; section++)
    add_section (self, section);
  gtk_widget_set_visible (self->section_rows[CRM_SECTION_ADMIN], crm_window_shows_admin (self));

  /* The dashboard greets a replica with data; an empty one opens on the invitation to
   * create the first organisation. One row tells which: the organisation list (a count
   * of every row at 1M) is made only if it is shown. */
  if (replica_is_empty (self))
    crm_window_show_section (self, CRM_SECTION_ORGANISATIONS);
  else
    crm_window_show_section (self, CRM_SECTION_DASHBOARD);
  crm_window_update_sync (self);
  show_recovery (self);
}

CrmReplica *
crm_window_get_replica (CrmWindow *self)
{
  return self->replica;
}

void
crm_window_show_open_error (CrmWindow    *self,
                            const GError *error)
{
  GtkWidget *dialog;

  adw_status_page_set_description (self->error_page, error->message);
  gtk_stack_set_visible_child_name (self->content_stack, "error");

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("The Local Data Cannot Be Opened"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("%s\n\nNothing was changed. Close the other programs that may use it, check the free disk space, then start Alforis CRM again."),
                                  error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  /* The application's window: app.quit closes it with the others. */
  gtk_window_set_application (GTK_WINDOW (dialog), gtk_window_get_application (GTK_WINDOW (self)));
  gtk_window_present (GTK_WINDOW (dialog));
  crm_window_update_actions (self);
}

void
crm_window_demo_started (CrmWindow *self)
{
  gtk_spinner_start (self->loading_spinner);
  gtk_stack_set_visible_child_name (self->content_stack, "loading");
  crm_window_update_actions (self);
}

void
crm_window_demo_finished (CrmWindow    *self,
                          const GError *error)
{
  gtk_spinner_stop (self->loading_spinner);
  gtk_stack_set_visible_child_name (self->content_stack, "empty");
  crm_window_reload (self);
  if (error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The demonstration data could not be written: %s"),
                                               error->message);

      crm_window_show_toast (self, adw_toast_new (text));
    }
}

void
crm_window_reload (CrmWindow *self)
{
  g_return_if_fail (CRM_IS_WINDOW (self));

  if (self->replica == NULL)
    return;
  self->stale = (1u << CRM_N_SECTIONS) - 1;
  /* Behind a record page, the section's list is what Back returns to: read it now too. */
  reload_section (self, self->section);
  crm_window_update_content (self);
  crm_window_update_sync (self);
}

static void
on_record_saved (CrmRecordPage *page,
                 int            kind,
                 const char    *id,
                 gboolean       created,
                 CrmWindow     *self)
{
  g_autoptr(CrmRecord) record = NULL;
  GtkWidget *list = kind < CRM_N_ENTITIES ? self->lists[kind] : NULL;

  /* An edit changes a row, not the list: its row takes the new values and the list
   * keeps its place. A new row changes counts, so everything is read again. */
  if (created || list == NULL ||
      (record = crm_replica_get (self->replica, kind, id, NULL)) == NULL)
    {
      crm_window_reload (self);
      return;
    }
  crm_record_list_model_update_record (crm_list_page_get_model (CRM_LIST_PAGE (list)), record);
  self->stale |= (1u << CRM_SECTION_DASHBOARD) | (1u << CRM_SECTION_PIPELINE) |
                 (1u << CRM_SECTION_TASKS);
}

static void
on_record_restored (CrmRecordPage *page,
                    CrmWindow     *self)
{
  crm_window_reload (self);
}

static void
on_new_related (CrmRecordPage *page,
                int            kind,
                const char    *field,
                const char    *id,
                CrmWindow     *self)
{
  crm_window_new_record (self, kind, field, id);
}

static void
show_record_page (CrmWindow *self,
                  GtkWidget *page)
{
  /* The page we leave is where Back returns to. */
  if (self->record_page != NULL)
    {
      CrmRecordPage *old = CRM_RECORD_PAGE (self->record_page);

      if (crm_record_page_get_id (old) != NULL)
        g_queue_push_head (&self->back_stack,
                           g_strdup_printf ("%d:%s", (int) crm_record_page_get_kind (old),
                                            crm_record_page_get_id (old)));
    }

  g_signal_connect (page, "open-record", G_CALLBACK (on_open_record), self);
  g_signal_connect (page, "new-related", G_CALLBACK (on_new_related), self);
  g_signal_connect (page, "saved", G_CALLBACK (on_record_saved), self);
  g_signal_connect_swapped (page, "cancelled", G_CALLBACK (crm_window_go_back), self);
  g_signal_connect (page, "restored", G_CALLBACK (on_record_restored), self);

  crm_record_page_set_access (CRM_RECORD_PAGE (page), &self->access);
  crm_record_page_set_expected_width (CRM_RECORD_PAGE (page),
                                      gtk_widget_get_width (GTK_WIDGET (self->content_stack)));
  self->record_page = page;
  adw_bin_set_child (self->record_bin, page);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  crm_window_update_content (self);
  crm_window_update_sync (self);
}

void
crm_window_open_record (CrmWindow     *self,
                        CrmEntityKind  kind,
                        const char    *id)
{
  g_return_if_fail (CRM_IS_WINDOW (self));
  g_return_if_fail (id != NULL);

  if (self->replica == NULL)
    return;
  if (kind == CRM_ENTITY_LINK)
    return;

  show_record_page (self, crm_record_page_new (self->replica, kind, id));
}

void
crm_window_new_record (CrmWindow     *self,
                       CrmEntityKind  kind,
                       const char    *ref_field,
                       const char    *ref_id)
{
  GtkWidget *page;

  g_return_if_fail (CRM_IS_WINDOW (self));

  if (self->replica == NULL || !crm_access_allows_kind (&self->access, kind, CRM_ACTION_CREATE))
    return;

  page = crm_record_page_new (self->replica, kind, NULL);
  if (ref_field != NULL && ref_id != NULL)
    crm_record_form_set_reference (crm_record_page_get_form (CRM_RECORD_PAGE (page)), ref_field, ref_id);
  show_record_page (self, page);
  crm_record_page_set_editing (CRM_RECORD_PAGE (page), TRUE);
}

GtkWidget *
crm_window_get_list_page (CrmWindow     *self,
                          CrmEntityKind  kind)
{
  static const CrmSection section_of[CRM_N_ENTITIES] = {
    [CRM_ENTITY_ORGANISATION] = CRM_SECTION_ORGANISATIONS,
    [CRM_ENTITY_PERSON] = CRM_SECTION_PEOPLE,
    [CRM_ENTITY_MANDAT] = CRM_SECTION_MANDATS,
    [CRM_ENTITY_INTERACTION] = CRM_SECTION_INTERACTIONS,
    [CRM_ENTITY_TASK] = CRM_SECTION_TASKS,
  };

  g_return_val_if_fail (kind < CRM_N_ENTITIES, NULL);

  if (self->replica == NULL || section_of[kind] == CRM_SECTION_DASHBOARD)
    return NULL;
  ensure_section_page (self, section_of[kind]);
  return self->lists[kind];
}

GtkWidget *
crm_window_get_record_page (CrmWindow *self)
{
  return self->record_page;
}

GtkWidget *
crm_window_get_search (CrmWindow *self)
{
  return GTK_WIDGET (self->search);
}

AdwToast *
crm_window_get_toast (CrmWindow *self)
{
  return self->toast;
}

static void
on_folded_changed (CrmWindow *self)
{
  crm_window_update_content (self);
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

  g_queue_clear_full (&self->back_stack, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_WINDOW);
  self->record_page = NULL;
  g_clear_weak_pointer (&self->toast);
  g_clear_object (&self->settings);
  g_clear_object (&self->replica);
  g_clear_object (&self->engine);

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

  g_type_ensure (CRM_TYPE_GLOBAL_SEARCH);
  g_type_ensure (CRM_TYPE_SYNC_BUTTON);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/alforis/Crm/ui/crm-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, sidebar_list);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, search);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, new_organisation_button);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, sync_button);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, conflict_banner);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, conflict_banner_label);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, record_bin);

  crm_window_class_install_actions (widget_class);
  crm_window_class_install_sync_actions (widget_class);
}

static void
crm_window_init (CrmWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_queue_init (&self->back_stack);
  crm_access_init_all (&self->access);

#ifdef DEVELOPMENT_BUILD
  /* libadwaita's striped header bar: a development build is never mistaken for the real one. */
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif

  self->section = CRM_SECTION_ORGANISATIONS;
  gtk_list_box_set_sort_func (self->sidebar_list, sort_sidebar, NULL, NULL);
  g_signal_connect (self->sidebar_list, "row-activated", G_CALLBACK (on_sidebar_row_activated), self);
  g_signal_connect_swapped (self->leaflet, "notify::folded", G_CALLBACK (on_folded_changed), self);
  g_signal_connect (self->search, "open-record", G_CALLBACK (on_open_record), self);

  self->settings = g_settings_new (CRM_SETTINGS_SCHEMA_ID);
  crm_window_restore_state (self);
  crm_window_update_actions (self);
}

CrmWindow *
crm_window_new (CrmApplication *application)
{
  g_return_val_if_fail (CRM_IS_APPLICATION (application), NULL);

  return g_object_new (CRM_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

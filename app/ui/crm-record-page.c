/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-record-page"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-record-page-private.h"
#include "crm-record-text.h"
#include "crm-validate.h"

G_DEFINE_FINAL_TYPE (CrmRecordPage, crm_record_page, GTK_TYPE_WIDGET)

guint crm_record_page_signals[CRM_RECORD_PAGE_N_SIGNALS];

static const char *
new_record_title (CrmEntityKind kind)
{
  switch ((int) kind)
    {
    case CRM_ENTITY_ORGANISATION: return _("New Organisation");
    case CRM_ENTITY_PERSON: return _("New Person");
    case CRM_ENTITY_MANDAT: return _("New Mandate");
    case CRM_ENTITY_INTERACTION: return _("New Interaction");
    case CRM_ENTITY_TASK:
    default: return _("New Task");
    }
}

/* "Investisseur · Lyon · Négociation": what a glance at the page should tell. */
static char *
record_summary (CrmRecord *record)
{
  static const char *org[] = { "type", "city", "pipeline_stage", NULL };
  static const char *person[] = { "job_title", NULL };
  static const char *mandat[] = { "status", "start_date", "end_date", NULL };
  static const char *interaction[] = { "type", "occurred_at", NULL };
  static const char *task[] = { "status", "priority", "due_at", NULL };
  const char **fields;
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  const CrmEntityInfo *entity = crm_record_get_entity (record);

  switch ((int) entity->kind)
    {
    case CRM_ENTITY_ORGANISATION: fields = org; break;
    case CRM_ENTITY_PERSON: fields = person; break;
    case CRM_ENTITY_MANDAT: fields = mandat; break;
    case CRM_ENTITY_INTERACTION: fields = interaction; break;
    case CRM_ENTITY_TASK:
    default: fields = task; break;
    }

  g_ptr_array_add (parts, g_strdup (entity->label));
  for (guint i = 0; fields[i] != NULL; i++)
    {
      char *text = crm_record_dup_display (record, fields[i]);

      if (text != NULL)
        g_ptr_array_add (parts, text);
    }
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

static void
update_header (CrmRecordPage *self)
{
  gboolean creating = self->id == NULL;
  gboolean deleted = self->record != NULL && crm_record_get_bool (self->record, "deleted");
  /* A viewer sees the record, not the buttons the server would refuse. */
  gboolean can_update = crm_access_allows_kind (&self->access, self->kind, CRM_ACTION_UPDATE);
  gboolean can_delete = crm_access_allows_kind (&self->access, self->kind, CRM_ACTION_DELETE);

  if (creating)
    {
      gtk_label_set_text (self->title_label, new_record_title (self->kind));
      gtk_label_set_text (self->subtitle_label,
                          _("Fill in the fields, then save. Fields marked “required” must be filled."));
    }
  else if (self->record != NULL)
    {
      g_autofree char *title = crm_record_dup_title (self->record);
      g_autofree char *summary = record_summary (self->record);

      gtk_label_set_text (self->title_label, title);
      gtk_label_set_text (self->subtitle_label, summary);
    }

  gtk_widget_set_visible (self->deleted_label, deleted);
  gtk_widget_set_visible (self->restore_button, deleted && can_delete);
  gtk_widget_set_visible (self->edit_button, !deleted && !self->editing && can_update);
  gtk_widget_set_visible (self->delete_button, !deleted && !self->editing && !creating && can_delete);
  gtk_widget_set_visible (self->save_button, self->editing);
  gtk_widget_set_visible (self->cancel_button, self->editing);
  gtk_button_set_label (GTK_BUTTON (self->save_button), creating ? _("C_reate") : _("_Save"));

  /* The surroundings of a record that does not exist yet, or is being edited, wait; the
   * form then has the whole width. */
  gtk_widget_set_visible (self->side_column, !creating && !self->editing);
  gtk_widget_set_visible (GTK_WIDGET (self->links_box), !creating && !self->editing);
  gtk_widget_set_visible (self->timeline_group, !creating && !self->editing &&
                          (self->kind == CRM_ENTITY_ORGANISATION || self->kind == CRM_ENTITY_PERSON));
  gtk_widget_set_visible (self->history_group, !creating && !self->editing);
}

void
crm_record_page_reload (CrmRecordPage *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CRM_IS_RECORD_PAGE (self));

  if (self->id != NULL)
    {
      CrmRecord *record = crm_replica_get (self->replica, self->kind, self->id, &error);

      if (record == NULL)
        {
          g_message ("Could not read %s %s: %s", crm_entity_get (self->kind)->name,
                     self->id, error->message);
          return;
        }
      g_clear_pointer (&self->record, crm_record_unref);
      self->record = record;
    }

  crm_record_form_set_record (self->form, self->record);
  crm_record_form_set_editing (self->form, self->editing);
  update_header (self);
  if (self->id != NULL)
    {
      crm_record_page_load_links (self);
      crm_record_page_load_activity (self);
    }
}

void
crm_record_page_set_editing (CrmRecordPage *self,
                             gboolean       editing)
{
  g_return_if_fail (CRM_IS_RECORD_PAGE (self));

  if (self->record != NULL && crm_record_get_bool (self->record, "deleted"))
    editing = FALSE;
  if (self->id == NULL)
    editing = TRUE;

  self->editing = editing;
  crm_record_form_set_editing (self->form, editing);
  update_header (self);
  if (editing)
    crm_record_form_focus (self->form);
}

gboolean
crm_record_page_get_editing (CrmRecordPage *self)
{
  return self->editing;
}

/* Where a refusal of the replica belongs in the form. */
static CrmFieldError *
replica_error_to_field (CrmEntityKind  kind,
                        const GError  *error)
{
  CrmFieldError *problem = g_new0 (CrmFieldError, 1);

  if (g_error_matches (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_DUPLICATE) &&
      kind == CRM_ENTITY_MANDAT)
    problem->field = g_strdup ("number");
  else if (g_error_matches (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_REFERENCE))
    problem->field = g_strdup ("organisation_id");
  problem->message = g_strdup (error->message);
  return problem;
}

gboolean
crm_record_page_save (CrmRecordPage *self)
{
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_field_error_free);
  g_autoptr(GPtrArray) invalid = NULL;
  g_autoptr(CrmRecord) changes = NULL;
  g_autoptr(CrmRecord) stored = NULL;
  g_autoptr(GError) error = NULL;
  gboolean creating = self->id == NULL;

  g_return_val_if_fail (CRM_IS_RECORD_PAGE (self), FALSE);

  changes = crm_record_form_collect (self->form, creating ? NULL : self->record, errors);
  if (creating && self->kind == CRM_ENTITY_TASK && !crm_record_has (changes, "assignee_id") &&
      crm_replica_get_user_id (self->replica) != NULL)
    crm_record_set_string (changes, "assignee_id", crm_replica_get_user_id (self->replica));

  /* The messages core/ gives the server too, before anything is queued. */
  invalid = crm_record_validate_all (changes, creating ? CRM_VALIDATE_CREATE : CRM_VALIDATE_UPDATE);
  for (guint i = 0; i < invalid->len; i++)
    g_ptr_array_add (errors, g_steal_pointer (&invalid->pdata[i]));
  if (errors->len > 0)
    {
      crm_record_form_show_errors (self->form, errors);
      return FALSE;
    }

  if (creating)
    stored = crm_replica_create (self->replica, changes, &error);
  else
    stored = crm_replica_update (self->replica, self->kind, self->id, changes, &error);
  if (stored == NULL)
    {
      g_ptr_array_add (errors, replica_error_to_field (self->kind, error));
      crm_record_form_show_errors (self->form, errors);
      return FALSE;
    }

  if (creating)
    self->id = g_strdup (crm_record_get_string (stored, "id"));
  g_clear_pointer (&self->record, crm_record_unref);
  self->record = g_steal_pointer (&stored);
  self->editing = FALSE;
  crm_record_page_reload (self);

  g_signal_emit (self, crm_record_page_signals[CRM_RECORD_PAGE_SAVED], 0,
                 (int) self->kind, self->id, creating);
  return TRUE;
}

void
crm_record_page_cancel (CrmRecordPage *self)
{
  g_return_if_fail (CRM_IS_RECORD_PAGE (self));

  if (self->id == NULL)
    {
      g_signal_emit (self, crm_record_page_signals[CRM_RECORD_PAGE_CANCELLED], 0);
      return;
    }
  self->editing = FALSE;
  crm_record_page_reload (self);
}

static void
on_restore_clicked (CrmRecordPage *self)
{
  g_autoptr(GError) error = NULL;

  if (!crm_replica_restore (self->replica, self->kind, self->id, &error))
    {
      g_message ("Could not restore %s: %s", self->id, error->message);
      return;
    }
  crm_record_page_reload (self);
  g_signal_emit (self, crm_record_page_signals[CRM_RECORD_PAGE_RESTORED], 0);
}

/* Fields on the left and surroundings on the right when there is room, one above the
 * other in a narrow window. GTK 4.8 has no breakpoints: the page measures its one child
 * itself and, when its width crosses the line, changes the orientation in an idle, out
 * of the allocation. The columns are the same width only side by side. */
#define TWO_COLUMNS_WIDTH 980

static void
set_layout_for_width (CrmRecordPage *self,
                      int            width)
{
  GtkOrientation orientation = width >= TWO_COLUMNS_WIDTH ? GTK_ORIENTATION_HORIZONTAL
                                                          : GTK_ORIENTATION_VERTICAL;

  if (gtk_orientable_get_orientation (GTK_ORIENTABLE (self->columns)) != orientation)
    {
      gtk_orientable_set_orientation (GTK_ORIENTABLE (self->columns), orientation);
      gtk_box_set_homogeneous (self->columns, orientation == GTK_ORIENTATION_HORIZONTAL);
    }
}

static gboolean
update_layout (gpointer data)
{
  CrmRecordPage *self = data;

  self->layout_idle = 0;
  set_layout_for_width (self, gtk_widget_get_width (GTK_WIDGET (self)));
  return G_SOURCE_REMOVE;
}

void
crm_record_page_set_expected_width (CrmRecordPage *self,
                                    int            width)
{
  g_return_if_fail (CRM_IS_RECORD_PAGE (self));

  /* Before the first allocation: laying a big page out twice costs as much as once. */
  if (width > 0)
    set_layout_for_width (self, width);
}

static void
crm_record_page_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  gtk_widget_measure (CRM_RECORD_PAGE (widget)->scrolled_window, orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

static void
crm_record_page_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  CrmRecordPage *self = CRM_RECORD_PAGE (widget);
  GtkOrientation wanted = width >= TWO_COLUMNS_WIDTH ? GTK_ORIENTATION_HORIZONTAL
                                                     : GTK_ORIENTATION_VERTICAL;

  gtk_widget_size_allocate (self->scrolled_window, &(GtkAllocation) { 0, 0, width, height }, baseline);
  if (gtk_orientable_get_orientation (GTK_ORIENTABLE (self->columns)) != wanted &&
      self->layout_idle == 0)
    /* Before the next frame lays out again: the page never shows the wrong shape long. */
    self->layout_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, update_layout, self, NULL);
}

static void
crm_record_page_dispose (GObject *object)
{
  CrmRecordPage *self = CRM_RECORD_PAGE (object);

  g_clear_handle_id (&self->layout_idle, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_RECORD_PAGE);
  g_clear_object (&self->replica);
  g_clear_pointer (&self->record, crm_record_unref);
  g_clear_pointer (&self->link_groups, g_ptr_array_unref);
  g_clear_pointer (&self->history_rows, g_ptr_array_unref);
  g_clear_pointer (&self->timeline_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (crm_record_page_parent_class)->dispose (object);
}

static void
crm_record_page_finalize (GObject *object)
{
  CrmRecordPage *self = CRM_RECORD_PAGE (object);

  g_free (self->id);

  G_OBJECT_CLASS (crm_record_page_parent_class)->finalize (object);
}

static void
crm_record_page_class_init (CrmRecordPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_record_page_dispose;
  object_class->finalize = crm_record_page_finalize;

  crm_record_page_signals[CRM_RECORD_PAGE_OPEN_RECORD] =
    g_signal_new ("open-record", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_STRING);
  crm_record_page_signals[CRM_RECORD_PAGE_NEW_RELATED] =
    g_signal_new ("new-related", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_INT, G_TYPE_STRING, G_TYPE_STRING);
  crm_record_page_signals[CRM_RECORD_PAGE_SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_INT, G_TYPE_STRING, G_TYPE_BOOLEAN);
  crm_record_page_signals[CRM_RECORD_PAGE_CANCELLED] =
    g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  crm_record_page_signals[CRM_RECORD_PAGE_RESTORED] =
    g_signal_new ("restored", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/alforis/Crm/ui/crm-record-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmRecordPage, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, CrmRecordPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, CrmRecordPage, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, CrmRecordPage, delete_button);
  gtk_widget_class_bind_template_child (widget_class, CrmRecordPage, edit_button);
  gtk_widget_class_bind_template_child (widget_class, CrmRecordPage, restore_button);
  gtk_widget_class_bind_template_child (widget_class, CrmRecordPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CrmRecordPage, save_button);
  gtk_widget_class_bind_template_child (widget_class, CrmRecordPage, deleted_label);
  gtk_widget_class_bind_template_child (widget_class, CrmRecordPage, columns);
  gtk_widget_class_bind_template_child (widget_class, CrmRecordPage, side_column);
  gtk_widget_class_bind_template_child (widget_class, CrmRecordPage, form_slot);
  gtk_widget_class_bind_template_child (widget_class, CrmRecordPage, links_box);
  gtk_widget_class_bind_template_child (widget_class, CrmRecordPage, timeline_group);
  gtk_widget_class_bind_template_child (widget_class, CrmRecordPage, history_group);
  gtk_widget_class_bind_template_child (widget_class, CrmRecordPage, history_row);

  widget_class->measure = crm_record_page_measure;
  widget_class->size_allocate = crm_record_page_size_allocate;
}

static void
crm_record_page_init (CrmRecordPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  crm_access_init_all (&self->access);

  g_signal_connect_swapped (self->save_button, "clicked", G_CALLBACK (crm_record_page_save), self);
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (crm_record_page_cancel), self);
  g_signal_connect_swapped (self->restore_button, "clicked", G_CALLBACK (on_restore_clicked), self);
}

GtkWidget *
crm_record_page_new (CrmReplica    *replica,
                     CrmEntityKind  kind,
                     const char    *id)
{
  CrmRecordPage *self;

  g_return_val_if_fail (CRM_IS_REPLICA (replica), NULL);

  self = g_object_new (CRM_TYPE_RECORD_PAGE, NULL);
  self->replica = g_object_ref (replica);
  self->kind = kind;
  self->id = g_strdup (id);
  self->editing = id == NULL;
  self->form = CRM_RECORD_FORM (crm_record_form_new (replica, kind));
  gtk_box_append (self->form_slot, GTK_WIDGET (self->form));

  crm_record_page_reload (self);
  return GTK_WIDGET (self);
}

CrmEntityKind
crm_record_page_get_kind (CrmRecordPage *self)
{
  return self->kind;
}

const char *
crm_record_page_get_id (CrmRecordPage *self)
{
  return self->id;
}

CrmRecord *
crm_record_page_get_record (CrmRecordPage *self)
{
  return self->record;
}

CrmRecordForm *
crm_record_page_get_form (CrmRecordPage *self)
{
  return self->form;
}

void
crm_record_page_set_access (CrmRecordPage   *self,
                            const CrmAccess *access)
{
  g_return_if_fail (CRM_IS_RECORD_PAGE (self));
  g_return_if_fail (access != NULL);

  if (crm_access_equal (&self->access, access))
    return;
  self->access = *access;
  /* An edit the role no longer allows ends (a creation emits ::cancelled): the server
   * would refuse it, and the form would promise what cannot be kept. */
  if (self->editing &&
      !crm_access_allows_kind (access, self->kind,
                               self->id != NULL ? CRM_ACTION_UPDATE : CRM_ACTION_CREATE))
    {
      crm_record_page_cancel (self);
      return;
    }
  update_header (self);
  if (self->id != NULL && !self->editing)
    crm_record_page_load_links (self);
}

GtkWidget *
crm_record_page_get_person_chooser (CrmRecordPage *self)
{
  return self->person_chooser;
}

GtkWidget *
crm_record_page_get_links_group (CrmRecordPage *self,
                                 CrmEntityKind  kind)
{
  for (guint i = 0; self->link_groups != NULL && i < self->link_groups->len; i++)
    {
      GtkWidget *group = self->link_groups->pdata[i];

      if (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (group), "crm-kind")) == (int) kind + 1)
        return group;
    }
  return NULL;
}

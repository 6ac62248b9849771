/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-record-form"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-record-chooser.h"
#include "crm-record-form.h"
#include "crm-record-text.h"
#include "crm-validate.h"

typedef struct
{
  const CrmFieldInfo *field;
  GtkWidget          *view_row;   /* AdwActionRow */
  GtkWidget          *edit_row;   /* the row holding the editor */
  GtkWidget          *editor;     /* AdwEntryRow, AdwComboRow, GtkSwitch, GtkTextView, AdwActionRow */
  GtkWidget          *error_row;
  GtkWidget          *error_label;
  char               *ref_id;     /* references: the chosen id */
  gboolean            has_none;   /* enums: first item means "not set" */
} Field;

struct _CrmRecordForm
{
  GtkWidget      parent_instance;

  CrmReplica    *replica;
  CrmEntityKind  kind;
  GArray        *fields;        /* Field */
  GtkWidget     *box;
  GtkWidget     *general_error;
  GtkWidget     *view_group;
  GtkWidget     *edit_group;
  GtkWidget     *notes_view_group;
  GtkWidget     *notes_edit_group;
  gboolean       editing;
  /* The edit rows are made when first needed: a record is read far more often than
   * edited, and a form's editors are most of a record page's widgets. */
  gboolean       editors_built;
  CrmRecord     *record;        /* what the editors are filled from once built */
};

G_DEFINE_FINAL_TYPE (CrmRecordForm, crm_record_form, GTK_TYPE_WIDGET)

static void
field_clear (gpointer data)
{
  g_free (((Field *) data)->ref_id);
}

/* References the app can choose among; users are not in the replica, participants are
 * shown with the linked records. */
static CrmEntityKind
reference_kind (const CrmFieldInfo *field)
{
  if (g_str_equal (field->name, "organisation_id"))
    return CRM_ENTITY_ORGANISATION;
  if (g_str_equal (field->name, "person_id"))
    return CRM_ENTITY_PERSON;
  if (g_str_equal (field->name, "mandat_id"))
    return CRM_ENTITY_MANDAT;
  return CRM_N_ENTITIES;
}

static gboolean
is_shown (const CrmFieldInfo *field)
{
  if (field->flags & (CRM_FIELD_META | CRM_FIELD_READONLY | CRM_FIELD_SECRET))
    return FALSE;
  if (field->type == CRM_FIELD_UUID_LIST)
    return FALSE;
  if (field->type == CRM_FIELD_UUID)
    return reference_kind (field) != CRM_N_ENTITIES;
  return TRUE;
}

static gboolean
is_note (const CrmFieldInfo *field)
{
  return field->type == CRM_FIELD_LONGTEXT &&
         (g_str_equal (field->name, "notes") || g_str_equal (field->name, "body") ||
          g_str_equal (field->name, "description"));
}

/* The field a record page shows as its title. */
static gboolean
is_title (const CrmFieldInfo *field)
{
  return g_str_equal (field->name, "name") || g_str_equal (field->name, "number") ||
         g_str_equal (field->name, "subject") || g_str_equal (field->name, "title");
}

static char *
reference_title (CrmRecordForm *self,
                 Field         *f)
{
  g_autoptr(CrmRecord) other = NULL;

  if (f->ref_id == NULL)
    return NULL;
  other = crm_replica_get (self->replica, reference_kind (f->field), f->ref_id, NULL);
  return other != NULL ? crm_record_dup_title (other) : NULL;
}

static void
set_reference (CrmRecordForm *self,
               Field         *f,
               const char    *id)
{
  g_autofree char *title = NULL;

  g_free (f->ref_id);
  f->ref_id = g_strdup (id);
  if (f->editor == NULL)
    return;
  title = reference_title (self, f);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (f->editor), title != NULL ? title : _("Not set"));
}

static void
on_reference_chosen (CrmRecordChooser *chooser,
                     const char       *id,
                     CrmRecordForm    *self)
{
  Field *f = g_object_get_data (G_OBJECT (chooser), "crm-form-field");

  set_reference (self, f, id);
}

static void
on_reference_cleared (GtkButton     *button,
                      CrmRecordForm *self)
{
  set_reference (self, g_object_get_data (G_OBJECT (button), "crm-form-field"), NULL);
}

static GtkWidget *
error_row_new (GtkWidget **label_out)
{
  GtkWidget *row = g_object_new (ADW_TYPE_PREFERENCES_ROW,
                                 "activatable", FALSE,
                                 "selectable", FALSE,
                                 "visible", FALSE,
                                 NULL);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_widget_add_css_class (label, "error");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  *label_out = label;
  return row;
}

static void
build_editor (CrmRecordForm *self,
              Field         *f)
{
  const CrmFieldInfo *field = f->field;

  switch (field->type)
    {
    case CRM_FIELD_ENUM:
      {
        g_autoptr(GtkStringList) strings = gtk_string_list_new (NULL);

        f->has_none = !(field->flags & CRM_FIELD_REQUIRED) && field->default_value == NULL;
        if (f->has_none)
          gtk_string_list_append (strings, _("Not set"));
        for (guint i = 0; field->enum_values[i].wire != NULL; i++)
          gtk_string_list_append (strings, field->enum_values[i].label);
        f->editor = f->edit_row = adw_combo_row_new ();
        adw_combo_row_set_model (ADW_COMBO_ROW (f->editor), G_LIST_MODEL (strings));
      }
      break;
    case CRM_FIELD_BOOL:
      f->edit_row = adw_action_row_new ();
      f->editor = gtk_switch_new ();
      gtk_widget_set_valign (f->editor, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (f->edit_row), f->editor);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (f->edit_row), f->editor);
      gtk_accessible_update_property (GTK_ACCESSIBLE (f->editor),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, field->label, -1);
      break;
    case CRM_FIELD_LONGTEXT:
      {
        GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
        GtkWidget *caption = gtk_label_new (field->label);

        gtk_label_set_xalign (GTK_LABEL (caption), 0);
        gtk_widget_add_css_class (caption, "caption");
        gtk_widget_add_css_class (caption, "dim-label");
        f->editor = gtk_text_view_new ();
        gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (f->editor), GTK_WRAP_WORD_CHAR);
        gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (f->editor), FALSE);
        gtk_widget_set_size_request (f->editor, -1, 72);
        gtk_widget_add_css_class (f->editor, "crm-text-editor");
        gtk_accessible_update_property (GTK_ACCESSIBLE (f->editor),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, field->label, -1);
        gtk_box_append (GTK_BOX (box), caption);
        gtk_box_append (GTK_BOX (box), f->editor);
        g_object_set (box, "margin-start", 12, "margin-end", 12, "margin-top", 8,
                      "margin-bottom", 12, NULL);
        f->edit_row = g_object_new (ADW_TYPE_PREFERENCES_ROW, "activatable", FALSE,
                                    "selectable", FALSE, "title", field->label, NULL);
        gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (f->edit_row), box);
      }
      break;
    case CRM_FIELD_UUID:
      {
        GtkWidget *chooser = crm_record_chooser_new (self->replica, reference_kind (field),
                                                     _("_Choose…"));
        GtkWidget *clear = gtk_button_new_from_icon_name ("edit-clear-symbolic");

        f->editor = f->edit_row = adw_action_row_new ();
        g_object_set_data (G_OBJECT (chooser), "crm-form-field", f);
        g_object_set_data (G_OBJECT (clear), "crm-form-field", f);
        g_signal_connect (chooser, "chosen", G_CALLBACK (on_reference_chosen), self);
        g_signal_connect (clear, "clicked", G_CALLBACK (on_reference_cleared), self);
        gtk_widget_set_valign (clear, GTK_ALIGN_CENTER);
        gtk_widget_add_css_class (clear, "flat");
        gtk_widget_set_tooltip_text (clear, _("Remove"));
        gtk_accessible_update_property (GTK_ACCESSIBLE (clear), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        _("Remove"), -1);
        gtk_widget_set_visible (clear, !(field->flags & CRM_FIELD_REQUIRED));
        adw_action_row_add_suffix (ADW_ACTION_ROW (f->editor), chooser);
        adw_action_row_add_suffix (ADW_ACTION_ROW (f->editor), clear);
      }
      break;
    case CRM_FIELD_TEXT:
    case CRM_FIELD_INT:
    case CRM_FIELD_DECIMAL:
    case CRM_FIELD_DATE:
    case CRM_FIELD_DATETIME:
    case CRM_FIELD_EMAIL:
    case CRM_FIELD_URL:
    case CRM_FIELD_PHONE:
    case CRM_FIELD_COUNTRY:
    case CRM_FIELD_LANGUAGE:
    case CRM_FIELD_TAGS:
    case CRM_FIELD_UUID_LIST:
    case CRM_FIELD_MANDAT_NUMBER:
    default:
      f->editor = f->edit_row = adw_entry_row_new ();
      if (field->type == CRM_FIELD_EMAIL)
        adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (f->editor), GTK_INPUT_PURPOSE_EMAIL);
      else if (field->type == CRM_FIELD_PHONE)
        adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (f->editor), GTK_INPUT_PURPOSE_PHONE);
      else if (field->type == CRM_FIELD_URL)
        adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (f->editor), GTK_INPUT_PURPOSE_URL);
      else if (field->type == CRM_FIELD_DECIMAL || field->type == CRM_FIELD_INT)
        adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (f->editor), GTK_INPUT_PURPOSE_NUMBER);
      break;
    }

  if (field->type != CRM_FIELD_LONGTEXT)
    {
      g_autofree char *title = NULL;

      /* Translators: the title of a required field in a form. */
      title = (field->flags & CRM_FIELD_REQUIRED) ? g_strdup_printf (_("%s (required)"), field->label)
                                                  : g_strdup (field->label);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (f->edit_row), title);
      adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (f->edit_row), FALSE);
    }
}

static void
add_field (CrmRecordForm      *self,
           const CrmFieldInfo *field)
{
  Field f = { field };
  GtkWidget *view_group = is_note (field) ? self->notes_view_group : self->view_group;

  f.view_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (f.view_row), field->label);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (f.view_row), FALSE);
  gtk_widget_add_css_class (f.view_row, "crm-property");
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (f.view_row), 0);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (view_group), f.view_row);

  g_array_append_val (self->fields, f);
}

static void load_editor (CrmRecordForm   *self,
                         Field           *f,
                         const CrmRecord *record);

static void
ensure_editors (CrmRecordForm *self)
{
  if (self->editors_built)
    return;
  self->editors_built = TRUE;
  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *f = &g_array_index (self->fields, Field, i);
      GtkWidget *edit_group = is_note (f->field) ? self->notes_edit_group : self->edit_group;

      build_editor (self, f);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (edit_group), f->edit_row);
      f->error_row = error_row_new (&f->error_label);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (edit_group), f->error_row);
      load_editor (self, f, self->record);
    }
}

static Field *
find_field (CrmRecordForm *self,
            const char    *name)
{
  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *f = &g_array_index (self->fields, Field, i);

      if (g_str_equal (f->field->name, name))
        return f;
    }
  return NULL;
}

/* The editor's value: the record's, or the field's default for a new one. A reference
 * shows the record chosen (f->ref_id), which a new record may have been given already. */
static void
load_editor (CrmRecordForm   *self,
             Field           *f,
             const CrmRecord *record)
{
  const CrmFieldInfo *field = f->field;
  g_autofree char *editable = NULL;

  if (f->editor == NULL)
    return;
  if (record != NULL && field->type != CRM_FIELD_UUID)
    editable = crm_record_dup_editable (record, field->name);

  switch (field->type)
    {
    case CRM_FIELD_ENUM:
      {
        guint selected = 0;
        const char *wire = editable != NULL ? editable : field->default_value;

        for (guint i = 0; wire != NULL && field->enum_values[i].wire != NULL; i++)
          if (g_str_equal (field->enum_values[i].wire, wire))
            selected = i + (f->has_none ? 1 : 0);
        adw_combo_row_set_selected (ADW_COMBO_ROW (f->editor), selected);
      }
      break;
    case CRM_FIELD_BOOL:
      gtk_switch_set_active (GTK_SWITCH (f->editor),
                             record != NULL ? crm_record_get_bool (record, field->name)
                                            : g_strcmp0 (field->default_value, "true") == 0);
      break;
    case CRM_FIELD_LONGTEXT:
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (f->editor)),
                                editable != NULL ? editable : "", -1);
      break;
    case CRM_FIELD_UUID:
      {
        g_autofree char *title = reference_title (self, f);

        adw_action_row_set_subtitle (ADW_ACTION_ROW (f->editor), title != NULL ? title : _("Not set"));
      }
      break;
    case CRM_FIELD_TEXT:
    case CRM_FIELD_INT:
    case CRM_FIELD_DECIMAL:
    case CRM_FIELD_DATE:
    case CRM_FIELD_DATETIME:
    case CRM_FIELD_EMAIL:
    case CRM_FIELD_URL:
    case CRM_FIELD_PHONE:
    case CRM_FIELD_COUNTRY:
    case CRM_FIELD_LANGUAGE:
    case CRM_FIELD_TAGS:
    case CRM_FIELD_UUID_LIST:
    case CRM_FIELD_MANDAT_NUMBER:
    default:
      gtk_editable_set_text (GTK_EDITABLE (f->editor), editable != NULL ? editable : "");
      break;
    }
}

static void
load_field (CrmRecordForm   *self,
            Field           *f,
            const CrmRecord *record)
{
  const CrmFieldInfo *field = f->field;
  g_autofree char *display = NULL;

  if (field->type == CRM_FIELD_UUID)
    {
      g_free (f->ref_id);
      f->ref_id = g_strdup (record != NULL ? crm_record_get_string (record, field->name) : NULL);
      display = reference_title (self, f);
    }
  else if (record != NULL)
    display = crm_record_dup_display (record, field->name);
  load_editor (self, f, record);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (f->view_row), display != NULL ? display : "");
  /* A record page reads the values it has; the empty fields wait for the edit form, and
   * the name is the page's title already. */
  gtk_widget_set_visible (f->view_row, display != NULL && !is_title (f->field));
}

static void
update_visibility (CrmRecordForm *self)
{
  gboolean any_note = FALSE;

  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *f = &g_array_index (self->fields, Field, i);

      if (is_note (f->field) && gtk_widget_get_visible (f->view_row))
        any_note = TRUE;
    }

  gtk_widget_set_visible (self->view_group, !self->editing);
  gtk_widget_set_visible (self->notes_view_group, !self->editing && any_note);
  gtk_widget_set_visible (self->edit_group, self->editing);
  gtk_widget_set_visible (self->notes_edit_group, self->editing);
}

void
crm_record_form_set_record (CrmRecordForm   *self,
                            const CrmRecord *record)
{
  g_return_if_fail (CRM_IS_RECORD_FORM (self));

  g_clear_pointer (&self->record, crm_record_unref);
  if (record != NULL)
    self->record = crm_record_ref ((CrmRecord *) record);
  for (guint i = 0; i < self->fields->len; i++)
    load_field (self, &g_array_index (self->fields, Field, i), record);
  crm_record_form_clear_errors (self);
  update_visibility (self);
}

void
crm_record_form_set_editing (CrmRecordForm *self,
                             gboolean       editing)
{
  g_return_if_fail (CRM_IS_RECORD_FORM (self));

  if (editing)
    ensure_editors (self);
  self->editing = editing;
  update_visibility (self);
}

void
crm_record_form_set_reference (CrmRecordForm *self,
                               const char    *field,
                               const char    *id)
{
  Field *f = find_field (self, field);

  g_return_if_fail (f != NULL && f->field->type == CRM_FIELD_UUID);
  set_reference (self, f, id);
}

/* The wire text typed for @f, or NULL when it is empty. */
static char *
field_text (Field *f)
{
  switch (f->field->type)
    {
    case CRM_FIELD_ENUM:
      {
        guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (f->editor));

        if (selected == GTK_INVALID_LIST_POSITION || (f->has_none && selected == 0))
          return NULL;
        return g_strdup (f->field->enum_values[selected - (f->has_none ? 1 : 0)].wire);
      }
    case CRM_FIELD_BOOL:
      return g_strdup (gtk_switch_get_active (GTK_SWITCH (f->editor)) ? "true" : "false");
    case CRM_FIELD_UUID:
      return g_strdup (f->ref_id);
    case CRM_FIELD_LONGTEXT:
      {
        GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (f->editor));
        GtkTextIter start, end;
        g_autofree char *text = NULL;

        gtk_text_buffer_get_bounds (buffer, &start, &end);
        text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
        return *g_strstrip (text) != '\0' ? g_steal_pointer (&text) : NULL;
      }
    case CRM_FIELD_TEXT:
    case CRM_FIELD_INT:
    case CRM_FIELD_DECIMAL:
    case CRM_FIELD_DATE:
    case CRM_FIELD_DATETIME:
    case CRM_FIELD_EMAIL:
    case CRM_FIELD_URL:
    case CRM_FIELD_PHONE:
    case CRM_FIELD_COUNTRY:
    case CRM_FIELD_LANGUAGE:
    case CRM_FIELD_TAGS:
    case CRM_FIELD_UUID_LIST:
    case CRM_FIELD_MANDAT_NUMBER:
    default:
      {
        g_autofree char *typed = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (f->editor))));

        return *typed != '\0' ? crm_field_text_from_user (f->field, typed) : NULL;
      }
    }
}

CrmRecord *
crm_record_form_collect (CrmRecordForm   *self,
                         const CrmRecord *base,
                         GPtrArray       *errors)
{
  g_autoptr(CrmRecord) record = crm_record_new_for_kind (self->kind);

  g_return_val_if_fail (CRM_IS_RECORD_FORM (self), NULL);

  ensure_editors (self);
  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *f = &g_array_index (self->fields, Field, i);
      const char *name = f->field->name;
      g_autofree char *text = field_text (f);
      g_autoptr(GError) error = NULL;

      if (text == NULL)
        {
          /* Left empty on a new record: absent, so its default applies. */
          if (base != NULL)
            crm_record_set_null (record, name);
        }
      else if (!crm_record_set_from_text (record, name, text, &error))
        {
          CrmFieldError *problem = g_new0 (CrmFieldError, 1);

          problem->field = g_strdup (name);
          problem->message = g_strdup (error->message);
          g_ptr_array_add (errors, problem);
          crm_record_unset (record, name);
          continue;
        }

      if (base != NULL && crm_record_field_equal (record, base, name))
        crm_record_unset (record, name);
    }

  return g_steal_pointer (&record);
}

void
crm_record_form_clear_errors (CrmRecordForm *self)
{
  for (guint i = 0; self->editors_built && i < self->fields->len; i++)
    {
      Field *f = &g_array_index (self->fields, Field, i);

      gtk_widget_set_visible (f->error_row, FALSE);
      gtk_label_set_text (GTK_LABEL (f->error_label), "");
      gtk_widget_remove_css_class (f->edit_row, "error");
    }
  gtk_widget_set_visible (self->general_error, FALSE);
}

void
crm_record_form_show_errors (CrmRecordForm *self,
                             GPtrArray     *errors)
{
  g_autoptr(GString) general = g_string_new (NULL);
  GtkWidget *first = NULL;

  ensure_editors (self);
  crm_record_form_clear_errors (self);
  for (guint i = 0; i < errors->len; i++)
    {
      CrmFieldError *problem = errors->pdata[i];
      Field *f = problem->field != NULL ? find_field (self, problem->field) : NULL;

      if (f == NULL)
        {
          if (general->len > 0)
            g_string_append_c (general, '\n');
          g_string_append (general, problem->message);
          continue;
        }
      /* One message per field: the first is the one to fix first. */
      if (gtk_widget_get_visible (f->error_row))
        continue;
      gtk_label_set_text (GTK_LABEL (f->error_label), problem->message);
      gtk_widget_set_visible (f->error_row, TRUE);
      gtk_widget_add_css_class (f->edit_row, "error");
      if (first == NULL)
        first = f->editor;
    }

  gtk_label_set_text (GTK_LABEL (self->general_error), general->str);
  gtk_widget_set_visible (self->general_error, general->len > 0);
  if (first != NULL)
    gtk_widget_grab_focus (first);
}

const char *
crm_record_form_get_error (CrmRecordForm *self,
                           const char    *field)
{
  Field *f = field != NULL ? find_field (self, field) : NULL;

  if (field == NULL)
    return gtk_widget_get_visible (self->general_error)
           ? gtk_label_get_text (GTK_LABEL (self->general_error)) : NULL;
  if (f == NULL || f->error_row == NULL || !gtk_widget_get_visible (f->error_row))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (f->error_label));
}

GtkWidget *
crm_record_form_get_editor (CrmRecordForm *self,
                            const char    *field)
{
  Field *f = find_field (self, field);

  ensure_editors (self);
  return f != NULL ? f->editor : NULL;
}

void
crm_record_form_focus (CrmRecordForm *self)
{
  ensure_editors (self);
  if (self->fields->len > 0)
    gtk_widget_grab_focus (g_array_index (self->fields, Field, 0).editor);
}

static void
crm_record_form_dispose (GObject *object)
{
  CrmRecordForm *self = CRM_RECORD_FORM (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->replica);
  g_clear_pointer (&self->record, crm_record_unref);

  G_OBJECT_CLASS (crm_record_form_parent_class)->dispose (object);
}

static void
crm_record_form_finalize (GObject *object)
{
  CrmRecordForm *self = CRM_RECORD_FORM (object);

  g_array_unref (self->fields);

  G_OBJECT_CLASS (crm_record_form_parent_class)->finalize (object);
}

static void
crm_record_form_class_init (CrmRecordFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_record_form_dispose;
  object_class->finalize = crm_record_form_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
crm_record_form_init (CrmRecordForm *self)
{
  self->fields = g_array_new (FALSE, TRUE, sizeof (Field));
  g_array_set_clear_func (self->fields, field_clear);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->general_error = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->general_error), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->general_error), 0);
  gtk_widget_add_css_class (self->general_error, "error");
  gtk_widget_set_visible (self->general_error, FALSE);
  gtk_box_append (GTK_BOX (self->box), self->general_error);

  self->view_group = adw_preferences_group_new ();
  self->edit_group = adw_preferences_group_new ();
  self->notes_view_group = adw_preferences_group_new ();
  self->notes_edit_group = adw_preferences_group_new ();
  gtk_box_append (GTK_BOX (self->box), self->view_group);
  gtk_box_append (GTK_BOX (self->box), self->edit_group);
  gtk_box_append (GTK_BOX (self->box), self->notes_view_group);
  gtk_box_append (GTK_BOX (self->box), self->notes_edit_group);
}

GtkWidget *
crm_record_form_new (CrmReplica    *replica,
                     CrmEntityKind  kind)
{
  CrmRecordForm *self = g_object_new (CRM_TYPE_RECORD_FORM, NULL);
  const CrmEntityInfo *entity = crm_entity_get (kind);

  self->replica = g_object_ref (replica);
  self->kind = kind;

  for (guint i = 0; i < entity->n_fields; i++)
    if (is_shown (&entity->fields[i]))
      add_field (self, &entity->fields[i]);

  crm_record_form_set_record (self, NULL);
  return GTK_WIDGET (self);
}

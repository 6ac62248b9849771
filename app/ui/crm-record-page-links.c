/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-record-page"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-format.h"
#include "crm-record-chooser.h"
#include "crm-record-page-private.h"
#include "crm-record-text.h"

/* Linked rows shown per group; the description tells how many there are in all. */
#define LINK_LIMIT 10

static void
on_row_activated (AdwActionRow  *row,
                  CrmRecordPage *self)
{
  int kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "crm-kind"));
  const char *id = g_object_get_data (G_OBJECT (row), "crm-id");

  g_signal_emit (self, crm_record_page_signals[CRM_RECORD_PAGE_OPEN_RECORD], 0, kind, id);
}

static GtkWidget *
add_row_full (CrmRecordPage *self,
              GtkWidget     *group,
              CrmRecord     *record,
              const char    *subtitle,
              const char    *badge)
{
  g_autofree char *title = crm_record_dup_title (record);
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (subtitle != NULL && *subtitle != '\0')
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  crm_row_set_single_lines (row);
  if (badge != NULL)
    {
      GtkWidget *label = gtk_label_new (badge);

      gtk_widget_add_css_class (label, "caption");
      gtk_widget_add_css_class (label, "accent");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data (G_OBJECT (row), "crm-kind",
                     GINT_TO_POINTER ((int) crm_record_get_entity (record)->kind));
  g_object_set_data_full (G_OBJECT (row), "crm-id",
                          g_strdup (crm_record_get_string (record, "id")), g_free);
  g_signal_connect (row, "activated", G_CALLBACK (on_row_activated), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  return row;
}

static GtkWidget *
add_row (CrmRecordPage *self,
         GtkWidget     *group,
         CrmRecord     *record,
         const char    *subtitle)
{
  return add_row_full (self, group, record, subtitle, NULL);
}

static GtkWidget *
add_group (CrmRecordPage *self,
           CrmEntityKind  kind,
           const char    *title)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  g_object_set_data (G_OBJECT (group), "crm-kind", GINT_TO_POINTER ((int) kind + 1));
  gtk_box_append (self->links_box, group);
  g_ptr_array_add (self->link_groups, group);
  return group;
}

static void
on_new_related_clicked (GtkButton     *button,
                        CrmRecordPage *self)
{
  int kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "crm-kind"));
  const char *field = g_object_get_data (G_OBJECT (button), "crm-field");

  g_signal_emit (self, crm_record_page_signals[CRM_RECORD_PAGE_NEW_RELATED], 0, kind, field, self->id);
}

static void
add_new_button (CrmRecordPage *self,
                GtkWidget     *group,
                CrmEntityKind  kind,
                const char    *field,
                const char    *label)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *content = adw_button_content_new ();

  adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (content), "list-add-symbolic");
  adw_button_content_set_label (ADW_BUTTON_CONTENT (content), label);
  adw_button_content_set_use_underline (ADW_BUTTON_CONTENT (content), TRUE);
  gtk_button_set_child (GTK_BUTTON (button), content);
  gtk_widget_add_css_class (button, "flat");
  g_object_set_data (G_OBJECT (button), "crm-kind", GINT_TO_POINTER ((int) kind));
  g_object_set_data (G_OBJECT (button), "crm-field", (gpointer) field);
  g_signal_connect (button, "clicked", G_CALLBACK (on_new_related_clicked), self);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), button);
}

static char *
join_displays (CrmRecord         *record,
               const char *const *fields)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

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
set_count_description (GtkWidget *group,
                       guint      shown,
                       gint64     total)
{
  g_autofree char *text = NULL;

  if (total <= (gint64) shown)
    return;
  /* Translators: below a list of linked records, e.g. "The first 10 of 42". */
  text = g_strdup_printf (_("The first %u of %u"), shown, (guint) MIN (total, G_MAXUINT));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), text);
}

/* Rows of @kind whose @field is this record, @sort first; with an empty text when none. */
static void
add_related (CrmRecordPage     *self,
             CrmEntityKind      kind,
             const char        *field,
             const char        *sort,
             gboolean           descending,
             const char        *title,
             const char        *new_label,
             const char *const *subtitle_fields)
{
  g_autoptr(CrmReplicaQuery) query = crm_replica_query_new (kind);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *group = add_group (self, kind, title);
  gint64 total;

  crm_replica_query_filter (query, field, CRM_REPLICA_EQ, self->id);
  crm_replica_query_sort (query, sort, descending);
  crm_replica_query_set_limit (query, LINK_LIMIT);
  rows = crm_replica_list (self->replica, query, NULL, &error);
  total = crm_replica_count (self->replica, query, NULL);
  if (rows == NULL)
    {
      g_message ("Could not list linked %s: %s", crm_entity_get (kind)->collection, error->message);
      return;
    }

  if (new_label != NULL && !crm_record_get_bool (self->record, "deleted") &&
      crm_access_allows_kind (&self->access, kind, CRM_ACTION_CREATE))
    add_new_button (self, group, kind, field, new_label);
  for (guint i = 0; i < rows->len; i++)
    {
      g_autofree char *subtitle = join_displays (rows->pdata[i], subtitle_fields);

      add_row (self, group, rows->pdata[i], subtitle);
    }
  if (rows->len == 0)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), _("None yet."));
  set_count_description (group, rows->len, total);
}

static void
on_person_chosen (CrmRecordChooser *chooser,
                  const char       *person_id,
                  CrmRecordPage    *self)
{
  GtkEntry *role_entry = g_object_get_data (G_OBJECT (chooser), "crm-role-entry");
  const char *role = gtk_editable_get_text (GTK_EDITABLE (role_entry));
  g_autoptr(CrmRecord) link = crm_record_new_for_kind (CRM_ENTITY_LINK);
  g_autoptr(CrmRecord) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup (self->id);

  crm_record_set_string (link, "person_id", person_id);
  crm_record_set_string (link, "organisation_id", id);
  if (*role != '\0')
    crm_record_set_string (link, "role", role);

  stored = crm_replica_create (self->replica, link, &error);
  if (stored == NULL)
    {
      g_message ("Could not link the person: %s", error->message);
      return;
    }
  crm_record_page_reload (self);
  g_signal_emit (self, crm_record_page_signals[CRM_RECORD_PAGE_SAVED], 0,
                 (int) CRM_ENTITY_LINK, crm_record_get_string (stored, "id"), TRUE);
}

static void
add_organisation_people (CrmRecordPage *self)
{
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *group = add_group (self, CRM_ENTITY_PERSON, _("People"));
  GtkEntry *role_entry;

  if (!crm_record_get_bool (self->record, "deleted") &&
      crm_access_allows_kind (&self->access, CRM_ENTITY_LINK, CRM_ACTION_CREATE))
    {
      self->person_chooser = crm_record_chooser_new (self->replica, CRM_ENTITY_PERSON,
                                                     _("_Add a Person"));
      role_entry = crm_record_chooser_add_entry (CRM_RECORD_CHOOSER (self->person_chooser),
                                                 _("Role (optional)"));
      g_object_set_data (G_OBJECT (self->person_chooser), "crm-role-entry", role_entry);
      g_signal_connect (self->person_chooser, "chosen", G_CALLBACK (on_person_chosen), self);
      adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), self->person_chooser);
    }

  members = crm_replica_organisation_people (self->replica, self->id, &error);
  if (members == NULL)
    {
      g_message ("Could not list the people: %s", error->message);
      return;
    }
  for (guint i = 0; i < members->len; i++)
    {
      CrmReplicaMember *member = members->pdata[i];
      static const char *fields[] = { "role", "work_email", NULL };
      g_autofree char *subtitle = join_displays (member->link, fields);

      add_row_full (self, group, member->other, subtitle,
                    crm_record_get_bool (member->link, "is_primary") ? _("Primary contact") : NULL);
    }
  if (members->len == 0)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                           _("Nobody yet: add the people you deal with there."));
}

static void
add_person_organisations (CrmRecordPage *self)
{
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *group = add_group (self, CRM_ENTITY_ORGANISATION, _("Organisations"));

  members = crm_replica_person_organisations (self->replica, self->id, &error);
  if (members == NULL)
    {
      g_message ("Could not list the organisations: %s", error->message);
      return;
    }
  for (guint i = 0; i < members->len; i++)
    {
      CrmReplicaMember *member = members->pdata[i];
      static const char *fields[] = { "role", "work_email", "work_phone", NULL };
      g_autofree char *subtitle = join_displays (member->link, fields);

      add_row (self, group, member->other, subtitle);
    }
  if (members->len == 0)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                           _("Not linked to an organisation yet."));
}

/* The records this one points at (a mandat's provider, a task's organisation...). */
static void
add_references (CrmRecordPage *self)
{
  static const struct { const char *field; CrmEntityKind kind; } refs[] = {
    { "organisation_id", CRM_ENTITY_ORGANISATION },
    { "person_id", CRM_ENTITY_PERSON },
    { "mandat_id", CRM_ENTITY_MANDAT },
  };
  const CrmEntityInfo *entity = crm_entity_get (self->kind);
  GtkWidget *group = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (refs); i++)
    {
      const char *id;
      g_autoptr(CrmRecord) other = NULL;

      if (crm_entity_field (entity, refs[i].field) == NULL)
        continue;
      id = crm_record_get_string (self->record, refs[i].field);
      if (id == NULL || (other = crm_replica_get (self->replica, refs[i].kind, id, NULL)) == NULL)
        continue;
      if (group == NULL)
        group = add_group (self, CRM_ENTITY_ORGANISATION, _("Linked To"));
      add_row (self, group, other, crm_entity_get (refs[i].kind)->label);
    }

  if (self->kind == CRM_ENTITY_INTERACTION)
    {
      const char * const *people = crm_record_get_strv (self->record, "participant_ids");
      GtkWidget *participants = NULL;

      for (guint i = 0; people != NULL && people[i] != NULL; i++)
        {
          g_autoptr(CrmRecord) person = crm_replica_get (self->replica, CRM_ENTITY_PERSON,
                                                         people[i], NULL);

          if (person == NULL)
            continue;
          if (participants == NULL)
            participants = add_group (self, CRM_ENTITY_PERSON, _("Participants"));
          add_row (self, participants, person, crm_record_get_string (person, "job_title"));
        }
    }
}

void
crm_record_page_load_links (CrmRecordPage *self)
{
  static const char *mandat_fields[] = { "status", "start_date", "end_date", NULL };
  static const char *interaction_fields[] = { "occurred_at", "type", NULL };
  static const char *task_fields[] = { "due_at", "status", "priority", NULL };
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->links_box))) != NULL)
    gtk_box_remove (self->links_box, child);
  g_clear_pointer (&self->link_groups, g_ptr_array_unref);
  self->link_groups = g_ptr_array_new ();
  self->person_chooser = NULL;

  if (self->record == NULL)
    return;

  switch ((int) self->kind)
    {
    case CRM_ENTITY_ORGANISATION:
      add_organisation_people (self);
      add_related (self, CRM_ENTITY_MANDAT, "organisation_id", "end_date", TRUE,
                   _("Mandates"), _("New _Mandate"), mandat_fields);
      add_related (self, CRM_ENTITY_INTERACTION, "organisation_id", "occurred_at", TRUE,
                   _("Interactions"), _("New _Interaction"), interaction_fields);
      add_related (self, CRM_ENTITY_TASK, "organisation_id", "due_at", FALSE,
                   _("Tasks"), _("New _Task"), task_fields);
      break;
    case CRM_ENTITY_PERSON:
      add_person_organisations (self);
      add_related (self, CRM_ENTITY_INTERACTION, "person_id", "occurred_at", TRUE,
                   _("Interactions"), NULL, interaction_fields);
      add_related (self, CRM_ENTITY_TASK, "person_id", "due_at", FALSE,
                   _("Tasks"), _("New _Task"), task_fields);
      break;
    case CRM_ENTITY_MANDAT:
      add_references (self);
      add_related (self, CRM_ENTITY_TASK, "mandat_id", "due_at", FALSE,
                   _("Tasks"), _("New _Task"), task_fields);
      break;
    case CRM_ENTITY_INTERACTION:
    case CRM_ENTITY_TASK:
    default:
      add_references (self);
      break;
    }
}

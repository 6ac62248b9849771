/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-filter-bar"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "crm-filter-bar.h"
#include "crm-record-text.h"

typedef enum
{
  FILTER_ENUM,
  FILTER_TEXT,
  FILTER_MINE,
  FILTER_FROM,
  FILTER_UNTIL,
} FilterType;

typedef struct
{
  FilterType  type;
  const char *field;
} FilterSpec;

static const FilterSpec organisation_filters[] = {
  { FILTER_ENUM, "type" }, { FILTER_ENUM, "category" }, { FILTER_ENUM, "pipeline_stage" },
  { FILTER_TEXT, "city" }, { FILTER_MINE, "owner_id" }, { 0, NULL }
};
static const FilterSpec person_filters[] = {
  { FILTER_TEXT, "job_title" }, { FILTER_TEXT, "language" }, { FILTER_MINE, "owner_id" }, { 0, NULL }
};
static const FilterSpec mandat_filters[] = {
  { FILTER_ENUM, "status" }, { FILTER_FROM, "end_date" }, { FILTER_UNTIL, "end_date" },
  { FILTER_MINE, "owner_id" }, { 0, NULL }
};
static const FilterSpec interaction_filters[] = {
  { FILTER_ENUM, "type" }, { FILTER_FROM, "occurred_at" }, { FILTER_UNTIL, "occurred_at" },
  { FILTER_MINE, "owner_id" }, { 0, NULL }
};
static const FilterSpec task_filters[] = {
  { FILTER_ENUM, "status" }, { FILTER_ENUM, "priority" }, { FILTER_FROM, "due_at" },
  { FILTER_UNTIL, "due_at" }, { FILTER_MINE, "assignee_id" }, { 0, NULL }
};

typedef struct
{
  const FilterSpec   *spec;
  const CrmFieldInfo *field;
  GtkWidget          *widget;
} Filter;

struct _CrmFilterBar
{
  GtkWidget      parent_instance;

  CrmEntityKind  kind;
  char          *user_id;
  GArray        *filters;   /* Filter */
  GtkWidget     *box;
  GtkWidget     *clear_button;
  guint          changing;  /* > 0 while clear() resets widgets: one "changed" at the end */
};

G_DEFINE_FINAL_TYPE (CrmFilterBar, crm_filter_bar, GTK_TYPE_WIDGET)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const FilterSpec *
specs_for (CrmEntityKind kind)
{
  switch ((int) kind)
    {
    case CRM_ENTITY_ORGANISATION: return organisation_filters;
    case CRM_ENTITY_PERSON: return person_filters;
    case CRM_ENTITY_MANDAT: return mandat_filters;
    case CRM_ENTITY_INTERACTION: return interaction_filters;
    case CRM_ENTITY_TASK: return task_filters;
    default: return NULL;
    }
}

/* A date typed as JJ/MM/AAAA (or AAAA-MM-JJ), as the filter value for @field: a date,
 * or for a time field the first or last second of that day, local time. NULL if the
 * text is not a date. */
static char *
date_filter_value (const CrmFieldInfo *field,
                   const char         *text,
                   gboolean            until)
{
  static const CrmFieldInfo date_field = { "date", "Date", CRM_FIELD_DATE, 0, 0, NULL, 0, 0, NULL };
  g_autofree char *date = crm_field_text_from_user (&date_field, text);
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) utc = NULL;
  int year, month, day;

  if (sscanf (date, "%4d-%2d-%2d", &year, &month, &day) != 3 || strlen (date) != 10 ||
      !g_date_valid_dmy (day, month, year))
    return NULL;
  if (field->type == CRM_FIELD_DATE)
    return g_steal_pointer (&date);

  tz = g_time_zone_new_local ();
  local = g_date_time_new (tz, year, month, day, until ? 23 : 0, until ? 59 : 0, until ? 59 : 0);
  utc = g_date_time_to_utc (local);
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

static void
emit_changed (CrmFilterBar *self)
{
  if (self->changing == 0)
    {
      gtk_widget_set_visible (self->clear_button, crm_filter_bar_get_n_active (self) > 0);
      g_signal_emit (self, signals[CHANGED], 0);
    }
}

static void
on_date_changed (GtkEditable  *editable,
                 CrmFilterBar *self)
{
  for (guint i = 0; i < self->filters->len; i++)
    {
      Filter *filter = &g_array_index (self->filters, Filter, i);
      const char *text;
      g_autofree char *value = NULL;

      if (filter->widget != GTK_WIDGET (editable))
        continue;
      text = gtk_editable_get_text (editable);
      value = date_filter_value (filter->field, text, filter->spec->type == FILTER_UNTIL);
      if (*text != '\0' && value == NULL)
        {
          /* Half-typed: say so, and keep the list as it was until the date is whole. */
          gtk_widget_add_css_class (GTK_WIDGET (editable), "error");
          return;
        }
      gtk_widget_remove_css_class (GTK_WIDGET (editable), "error");
    }
  emit_changed (self);
}

static GtkWidget *
labelled (const char *caption,
          GtkWidget  *widget)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *label = gtk_label_new (caption);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "caption-heading");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), widget);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
  return box;
}

static GtkWidget *
build_filter (CrmFilterBar *self,
              Filter       *filter)
{
  const char *label = filter->field->label;
  g_autofree char *caption = NULL;

  switch (filter->spec->type)
    {
    case FILTER_ENUM:
      {
        g_autoptr(GtkStringList) strings = gtk_string_list_new (NULL);

        gtk_string_list_append (strings, _("Any"));
        for (guint i = 0; filter->field->enum_values[i].wire != NULL; i++)
          gtk_string_list_append (strings, filter->field->enum_values[i].label);
        filter->widget = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&strings)), NULL);
        g_signal_connect_swapped (filter->widget, "notify::selected", G_CALLBACK (emit_changed), self);
        return labelled (label, filter->widget);
      }
    case FILTER_TEXT:
      filter->widget = gtk_search_entry_new ();
      gtk_editable_set_width_chars (GTK_EDITABLE (filter->widget), 12);
      g_signal_connect_swapped (filter->widget, "search-changed", G_CALLBACK (emit_changed), self);
      return labelled (label, filter->widget);
    case FILTER_MINE:
      filter->widget = gtk_check_button_new_with_mnemonic (self->kind == CRM_ENTITY_TASK
                                                           ? _("Assigned to _me")
                                                           : _("_Mine only"));
      gtk_widget_set_valign (filter->widget, GTK_ALIGN_END);
      g_signal_connect_swapped (filter->widget, "toggled", G_CALLBACK (emit_changed), self);
      return filter->widget;
    case FILTER_FROM:
    case FILTER_UNTIL:
      filter->widget = gtk_entry_new ();
      /* Translators: the format of a date typed in a filter. */
      gtk_entry_set_placeholder_text (GTK_ENTRY (filter->widget), _("DD/MM/YYYY"));
      gtk_editable_set_width_chars (GTK_EDITABLE (filter->widget), 11);
      g_signal_connect (filter->widget, "changed", G_CALLBACK (on_date_changed), self);
      caption = g_strdup_printf (filter->spec->type == FILTER_FROM
                                 /* Translators: a filter caption, %s is a date field. */
                                 ? _("%s from")
                                 /* Translators: a filter caption, %s is a date field. */
                                 : _("%s until"), label);
      return labelled (caption, filter->widget);
    default:
      g_assert_not_reached ();
    }
}

guint
crm_filter_bar_get_n_active (CrmFilterBar *self)
{
  guint n = 0;

  for (guint i = 0; i < self->filters->len; i++)
    {
      Filter *filter = &g_array_index (self->filters, Filter, i);

      switch (filter->spec->type)
        {
        case FILTER_ENUM:
          n += gtk_drop_down_get_selected (GTK_DROP_DOWN (filter->widget)) > 0;
          break;
        case FILTER_MINE:
          n += gtk_check_button_get_active (GTK_CHECK_BUTTON (filter->widget));
          break;
        case FILTER_TEXT:
        case FILTER_FROM:
        case FILTER_UNTIL:
        default:
          n += *gtk_editable_get_text (GTK_EDITABLE (filter->widget)) != '\0';
          break;
        }
    }
  return n;
}

void
crm_filter_bar_apply (CrmFilterBar       *self,
                      CrmRecordListModel *model)
{
  g_return_if_fail (CRM_IS_FILTER_BAR (self));

  crm_record_list_model_clear_filters (model);
  for (guint i = 0; i < self->filters->len; i++)
    {
      Filter *filter = &g_array_index (self->filters, Filter, i);
      const char *name = filter->field->name;

      switch (filter->spec->type)
        {
        case FILTER_ENUM:
          {
            guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (filter->widget));

            if (selected > 0 && selected != GTK_INVALID_LIST_POSITION)
              crm_record_list_model_add_filter (model, name, CRM_REPLICA_EQ,
                                                filter->field->enum_values[selected - 1].wire);
          }
          break;
        case FILTER_TEXT:
          {
            g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (filter->widget))));

            if (*text != '\0')
              crm_record_list_model_add_filter (model, name, CRM_REPLICA_EQ, text);
          }
          break;
        case FILTER_MINE:
          if (gtk_check_button_get_active (GTK_CHECK_BUTTON (filter->widget)))
            crm_record_list_model_add_filter (model, name, CRM_REPLICA_EQ, self->user_id);
          break;
        case FILTER_FROM:
        case FILTER_UNTIL:
        default:
          {
            gboolean until = filter->spec->type == FILTER_UNTIL;
            g_autofree char *value = date_filter_value (filter->field,
                                                        gtk_editable_get_text (GTK_EDITABLE (filter->widget)),
                                                        until);

            if (value != NULL)
              crm_record_list_model_add_filter (model, name,
                                                until ? CRM_REPLICA_LE : CRM_REPLICA_GE, value);
          }
          break;
        }
    }
}

void
crm_filter_bar_clear (CrmFilterBar *self)
{
  self->changing++;
  for (guint i = 0; i < self->filters->len; i++)
    {
      Filter *filter = &g_array_index (self->filters, Filter, i);

      switch (filter->spec->type)
        {
        case FILTER_ENUM:
          gtk_drop_down_set_selected (GTK_DROP_DOWN (filter->widget), 0);
          break;
        case FILTER_MINE:
          gtk_check_button_set_active (GTK_CHECK_BUTTON (filter->widget), FALSE);
          break;
        case FILTER_TEXT:
        case FILTER_FROM:
        case FILTER_UNTIL:
        default:
          gtk_editable_set_text (GTK_EDITABLE (filter->widget), "");
          break;
        }
    }
  self->changing--;
  emit_changed (self);
}

void
crm_filter_bar_focus (CrmFilterBar *self)
{
  if (self->filters->len > 0)
    gtk_widget_grab_focus (g_array_index (self->filters, Filter, 0).widget);
}

static void
crm_filter_bar_dispose (GObject *object)
{
  CrmFilterBar *self = CRM_FILTER_BAR (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (crm_filter_bar_parent_class)->dispose (object);
}

static void
crm_filter_bar_finalize (GObject *object)
{
  CrmFilterBar *self = CRM_FILTER_BAR (object);

  g_array_unref (self->filters);
  g_free (self->user_id);

  G_OBJECT_CLASS (crm_filter_bar_parent_class)->finalize (object);
}

static void
crm_filter_bar_class_init (CrmFilterBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_filter_bar_dispose;
  object_class->finalize = crm_filter_bar_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "filterbar");
}

static void
crm_filter_bar_init (CrmFilterBar *self)
{
  self->filters = g_array_new (FALSE, TRUE, sizeof (Filter));
}

GtkWidget *
crm_filter_bar_new (CrmEntityKind  kind,
                    const char    *user_id)
{
  CrmFilterBar *self = g_object_new (CRM_TYPE_FILTER_BAR, NULL);
  const FilterSpec *specs = specs_for (kind);
  const CrmEntityInfo *entity = crm_entity_get (kind);

  self->kind = kind;
  self->user_id = g_strdup (user_id);

  /* A flow box wraps the filters onto more lines in a narrow window. */
  self->box = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (self->box), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (self->box), 8);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (self->box), 12);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (self->box), 6);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  for (guint i = 0; specs != NULL && specs[i].field != NULL; i++)
    {
      Filter filter = { &specs[i], crm_entity_field (entity, specs[i].field), NULL };
      GtkWidget *child;

      /* "Only mine" means nothing without a user to be. */
      if (specs[i].type == FILTER_MINE && user_id == NULL)
        continue;
      child = build_filter (self, &filter);
      g_array_append_val (self->filters, filter);
      gtk_flow_box_append (GTK_FLOW_BOX (self->box), child);
    }

  self->clear_button = gtk_button_new_with_mnemonic (_("_Clear Filters"));
  gtk_widget_set_valign (self->clear_button, GTK_ALIGN_END);
  gtk_widget_set_visible (self->clear_button, FALSE);
  g_signal_connect_swapped (self->clear_button, "clicked", G_CALLBACK (crm_filter_bar_clear), self);
  gtk_flow_box_append (GTK_FLOW_BOX (self->box), self->clear_button);

  return GTK_WIDGET (self);
}

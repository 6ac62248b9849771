/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-global-search"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "crm-format.h"
#include "crm-global-search.h"
#include "crm-record-text.h"

/* Hits per entity: a glance, not a list (the lists have filters for that). */
#define HITS_PER_GROUP 5

struct _CrmGlobalSearch
{
  GtkWidget     parent_instance;

  CrmReplica   *replica;
  GtkWidget    *entry;
  GtkWidget    *popover;
  GtkWidget    *results;
  GtkWidget    *scrolled;
  GtkWidget    *status;
  guint         generation;
  guint         n_running;
  gboolean      pending;      /* the text changed while a search ran: search it next */
  guint         n_started;    /* searches started, for tests */
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (CrmGlobalSearch, crm_global_search, GTK_TYPE_WIDGET)

enum {
  OPEN_RECORD,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  CrmReplica *replica;
  char       *text;
  guint       generation;
} SearchJob;

static void
search_job_free (SearchJob *job)
{
  g_clear_object (&job->replica);
  g_free (job->text);
  g_free (job);
}

/* "…chez [Dupont] Gestion…" -> the match in bold, everything else escaped. */
static char *
snippet_markup (const char *snippet)
{
  g_autoptr(GString) markup = g_string_new (NULL);
  g_auto(GStrv) parts = NULL;

  if (snippet == NULL)
    return NULL;
  parts = g_strsplit_set (snippet, "[]", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *escaped = g_markup_escape_text (parts[i], -1);

      if (i % 2 == 1)
        g_string_append_printf (markup, "<b>%s</b>", escaped);
      else
        g_string_append (markup, escaped);
    }
  return g_string_free (g_steal_pointer (&markup), FALSE);
}

/* What tells two "Jean Dupont" apart when the match is the name itself. */
static char *
describe_hit (CrmRecord  *record,
              const char *title,
              const char *snippet)
{
  static const char *fields[] = {
    [CRM_ENTITY_ORGANISATION] = "city",
    [CRM_ENTITY_PERSON] = "job_title",
    [CRM_ENTITY_MANDAT] = "status",
    [CRM_ENTITY_INTERACTION] = "occurred_at",
    [CRM_ENTITY_TASK] = "due_at",
  };
  CrmEntityKind kind = crm_record_get_entity (record)->kind;
  g_autofree char *plain = NULL;
  g_autofree char *folded_title = NULL;
  g_autofree char *folded_plain = NULL;

  if (snippet == NULL || *snippet == '\0')
    return NULL;
  plain = g_strdelimit (g_strdup (snippet), "[]", ' ');
  g_strstrip (plain);
  folded_title = g_utf8_casefold (title, -1);
  folded_plain = g_utf8_casefold (plain, -1);
  if (strstr (folded_title, folded_plain) == NULL)
    return snippet_markup (snippet);
  if ((guint) kind < G_N_ELEMENTS (fields) && fields[kind] != NULL)
    {
      g_autofree char *text = crm_record_dup_display (record, fields[kind]);

      if (text != NULL)
        return g_markup_escape_text (text, -1);
    }
  return NULL;
}

static void
header_func (GtkListBoxRow *row,
             GtkListBoxRow *before,
             gpointer       user_data)
{
  int kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "crm-kind"));
  GtkWidget *header;

  if (before != NULL && GPOINTER_TO_INT (g_object_get_data (G_OBJECT (before), "crm-kind")) == kind)
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }

  header = gtk_label_new (crm_entity_get (kind)->label_plural);
  gtk_label_set_xalign (GTK_LABEL (header), 0);
  gtk_widget_add_css_class (header, "heading");
  gtk_widget_add_css_class (header, "dim-label");
  gtk_widget_add_css_class (header, "crm-search-header");
  gtk_list_box_row_set_header (row, header);
}

static void
clear_results (CrmGlobalSearch *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->results)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->results), child);
}

static void
show_groups (CrmGlobalSearch *self,
             GPtrArray       *groups)
{
  clear_results (self);

  for (guint i = 0; i < groups->len; i++)
    {
      CrmSearchGroup *group = groups->pdata[i];

      for (guint j = 0; j < group->hits->len; j++)
        {
          CrmSearchHit *hit = group->hits->pdata[j];
          g_autofree char *title = crm_record_dup_title (hit->record);
          g_autofree char *escaped_title = g_markup_escape_text (title, -1);
          g_autofree char *markup = describe_hit (hit->record, title, hit->snippet);
          GtkWidget *row = adw_action_row_new ();

          /* Markup for the bold match of the snippet; the title is escaped for it. */
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped_title);
          if (markup != NULL && *markup != '\0')
            adw_action_row_set_subtitle (ADW_ACTION_ROW (row), markup);
          /* Results come with every keystroke: cheap to lay out. */
          crm_row_set_single_lines (row);
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
          g_object_set_data (G_OBJECT (row), "crm-kind", GINT_TO_POINTER ((int) group->kind));
          g_object_set_data_full (G_OBJECT (row), "crm-id",
                                  g_strdup (crm_record_get_string (hit->record, "id")), g_free);
          gtk_list_box_append (GTK_LIST_BOX (self->results), row);
        }
    }

  gtk_widget_set_visible (self->status, groups->len == 0);
  gtk_widget_set_visible (self->scrolled, groups->len > 0);
  gtk_list_box_select_row (GTK_LIST_BOX (self->results),
                           gtk_list_box_get_row_at_index (GTK_LIST_BOX (self->results), 0));
  gtk_popover_popup (GTK_POPOVER (self->popover));
}

static void
search_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SearchJob *job = task_data;
  GError *error = NULL;
  GPtrArray *groups = crm_replica_search (job->replica, job->text, NULL, HITS_PER_GROUP, &error);

  if (groups == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, groups, (GDestroyNotify) g_ptr_array_unref);
}

static void start_search (CrmGlobalSearch *self);

static void
search_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  CrmGlobalSearch *self = CRM_GLOBAL_SEARCH (object);
  SearchJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GError) error = NULL;

  self->n_running--;
  groups = g_task_propagate_pointer (G_TASK (result), &error);
  /* Typing went on meanwhile: only the latest text is searched, once this one is done,
   * so fast typing never piles searches up on the replica and the two cores. */
  if (self->pending && self->n_running == 0 &&
      self->cancellable != NULL && !g_cancellable_is_cancelled (self->cancellable))
    {
      self->pending = FALSE;
      start_search (self);
    }
  /* A later keystroke has its own search on the way: this one is stale. */
  if (job->generation != self->generation)
    return;
  if (groups == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Search failed: %s", error->message);
      return;
    }
  show_groups (self, groups);
}

static void
start_search (CrmGlobalSearch *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  g_autoptr(GTask) task = NULL;
  SearchJob *job;

  if (self->replica == NULL || *text == '\0')
    return;
  self->n_started++;
  job = g_new0 (SearchJob, 1);
  job->replica = g_object_ref (self->replica);
  job->text = g_strdup (text);
  job->generation = self->generation;

  self->n_running++;
  task = g_task_new (self, self->cancellable, search_done, NULL);
  g_task_set_source_tag (task, start_search);
  g_task_set_task_data (task, job, (GDestroyNotify) search_job_free);
  g_task_run_in_thread (task, search_thread);
}

static void
on_search_changed (CrmGlobalSearch *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));

  self->generation++;
  if (self->replica == NULL || *text == '\0')
    {
      self->pending = FALSE;
      clear_results (self);
      gtk_popover_popdown (GTK_POPOVER (self->popover));
      return;
    }
  if (self->n_running > 0)
    {
      self->pending = TRUE;
      return;
    }
  start_search (self);
}

static void
open_row (CrmGlobalSearch *self,
          GtkListBoxRow   *row)
{
  int kind;
  g_autofree char *id = NULL;

  if (row == NULL)
    return;
  kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "crm-kind"));
  id = g_strdup (g_object_get_data (G_OBJECT (row), "crm-id"));
  gtk_popover_popdown (GTK_POPOVER (self->popover));
  g_signal_emit (self, signals[OPEN_RECORD], 0, kind, id);
}

static void
on_activate (CrmGlobalSearch *self)
{
  open_row (self, gtk_list_box_get_selected_row (GTK_LIST_BOX (self->results)));
}

static void
on_row_activated (GtkListBox      *box,
                  GtkListBoxRow   *row,
                  CrmGlobalSearch *self)
{
  open_row (self, row);
}

static void
on_stop_search (CrmGlobalSearch *self)
{
  gtk_popover_popdown (GTK_POPOVER (self->popover));
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                CrmGlobalSearch       *self)
{
  GtkListBox *results = GTK_LIST_BOX (self->results);
  GtkListBoxRow *row = gtk_list_box_get_selected_row (results);
  int index = row != NULL ? gtk_list_box_row_get_index (row) : -1;
  GtkListBoxRow *next = NULL;

  switch (keyval)
    {
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      next = gtk_list_box_get_row_at_index (results, index + 1);
      break;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      next = gtk_list_box_get_row_at_index (results, MAX (index - 1, 0));
      break;
    default:
      return FALSE;
    }

  if (!gtk_widget_get_visible (self->popover))
    return FALSE;
  if (next != NULL)
    {
      GtkAdjustment *adj;
      graphene_point_t point;

      gtk_list_box_select_row (results, next);
      /* Keep the selected row in sight, since the focus stays in the entry. */
      adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scrolled));
      if (gtk_widget_compute_point (GTK_WIDGET (next), self->results, &GRAPHENE_POINT_INIT (0, 0), &point))
        gtk_adjustment_clamp_page (adj, point.y, point.y + gtk_widget_get_height (GTK_WIDGET (next)));
    }
  return TRUE;
}

static void
crm_global_search_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  CrmGlobalSearch *self = CRM_GLOBAL_SEARCH (widget);

  gtk_widget_measure (self->entry, orientation, for_size, minimum, natural,
                      minimum_baseline, natural_baseline);
}

static void
crm_global_search_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  CrmGlobalSearch *self = CRM_GLOBAL_SEARCH (widget);

  gtk_widget_size_allocate (self->entry, &(GtkAllocation) { 0, 0, width, height }, baseline);
  gtk_popover_present (GTK_POPOVER (self->popover));
}

static void
crm_global_search_dispose (GObject *object)
{
  CrmGlobalSearch *self = CRM_GLOBAL_SEARCH (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->entry, gtk_widget_unparent);
  g_clear_pointer (&self->popover, gtk_widget_unparent);
  g_clear_object (&self->replica);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (crm_global_search_parent_class)->dispose (object);
}

static void
crm_global_search_class_init (CrmGlobalSearchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_global_search_dispose;
  widget_class->measure = crm_global_search_measure;
  widget_class->size_allocate = crm_global_search_size_allocate;

  signals[OPEN_RECORD] = g_signal_new ("open-record", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_STRING);
}

static void
crm_global_search_init (CrmGlobalSearch *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *scrolled = self->scrolled = gtk_scrolled_window_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();

  self->cancellable = g_cancellable_new ();

  self->entry = gtk_search_entry_new ();
  g_object_set (self->entry, "placeholder-text", _("Search (Ctrl+K)"), NULL);
  gtk_search_entry_set_search_delay (GTK_SEARCH_ENTRY (self->entry), 60);
  /* Wide when there is room, yet small enough for a narrow window. */
  gtk_editable_set_width_chars (GTK_EDITABLE (self->entry), 12);
  gtk_editable_set_max_width_chars (GTK_EDITABLE (self->entry), 36);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Search organisations, people, mandates, interactions and tasks"), -1);
  gtk_widget_set_parent (self->entry, GTK_WIDGET (self));

  self->results = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->results), GTK_SELECTION_BROWSE);
  gtk_list_box_set_header_func (GTK_LIST_BOX (self->results), header_func, NULL, NULL);
  gtk_widget_add_css_class (self->results, "navigation-sidebar");
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), self->results);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 460);
  gtk_widget_set_size_request (scrolled, 400, -1);
  gtk_box_append (GTK_BOX (box), scrolled);

  self->status = gtk_label_new (_("No results. Try fewer or shorter words."));
  gtk_widget_add_css_class (self->status, "dim-label");
  g_object_set (self->status, "margin-top", 18, "margin-bottom", 18, "margin-start", 12,
                "margin-end", 12, NULL);
  gtk_box_append (GTK_BOX (box), self->status);

  self->popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (self->popover), box);
  /* The focus stays in the entry while the results follow the typing. */
  gtk_popover_set_autohide (GTK_POPOVER (self->popover), FALSE);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->popover), FALSE);
  gtk_popover_set_position (GTK_POPOVER (self->popover), GTK_POS_BOTTOM);
  gtk_widget_set_can_focus (self->popover, FALSE);
  gtk_widget_add_css_class (self->popover, "crm-search-results");
  gtk_widget_set_parent (self->popover, GTK_WIDGET (self));

  g_signal_connect_swapped (self->entry, "search-changed", G_CALLBACK (on_search_changed), self);
  g_signal_connect_swapped (self->entry, "activate", G_CALLBACK (on_activate), self);
  g_signal_connect_swapped (self->entry, "stop-search", G_CALLBACK (on_stop_search), self);
  g_signal_connect (self->results, "row-activated", G_CALLBACK (on_row_activated), self);
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (self->entry, keys);
}

GtkWidget *
crm_global_search_new (void)
{
  return g_object_new (CRM_TYPE_GLOBAL_SEARCH, NULL);
}

void
crm_global_search_set_replica (CrmGlobalSearch *self,
                               CrmReplica      *replica)
{
  g_return_if_fail (CRM_IS_GLOBAL_SEARCH (self));

  g_set_object (&self->replica, replica);
}

void
crm_global_search_focus (CrmGlobalSearch *self)
{
  gtk_widget_grab_focus (self->entry);
  gtk_editable_select_region (GTK_EDITABLE (self->entry), 0, -1);
}

GtkEditable *
crm_global_search_get_entry (CrmGlobalSearch *self)
{
  return GTK_EDITABLE (self->entry);
}

GtkListBox *
crm_global_search_get_results (CrmGlobalSearch *self)
{
  return GTK_LIST_BOX (self->results);
}

gboolean
crm_global_search_is_busy (CrmGlobalSearch *self)
{
  return self->n_running > 0 || self->pending;
}

guint
crm_global_search_get_n_started (CrmGlobalSearch *self)
{
  g_return_val_if_fail (CRM_IS_GLOBAL_SEARCH (self), 0);
  return self->n_started;
}

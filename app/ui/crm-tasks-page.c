/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-tasks-page"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-format.h"
#include "crm-open-tasks.h"
#include "crm-tasks-page.h"

/* Rows per group, and how many more each "Show more" adds: a backlog of 3,000 overdue
 * tasks is counted, not listed, and the page builds quickly at any size. */
#define FIRST_ROWS 20
#define MORE_ROWS  50

typedef enum
{
  GROUP_OVERDUE,
  GROUP_TODAY,
  GROUP_TOMORROW,
  GROUP_THIS_WEEK,
  GROUP_LATER,
  GROUP_NO_DATE,
  N_GROUPS
} GroupKind;

static const char *const group_titles[N_GROUPS] = {
  N_("Overdue"),
  N_("Today"),
  N_("Tomorrow"),
  N_("This Week"),
  N_("Later"),
  N_("No Due Date"),
};

typedef struct
{
  gboolean           shown;       /* FALSE: the group cannot hold anything today */
  CrmOpenTasksRange  range;
  char              *since;
  char              *until;
  gboolean           descending;
} GroupBounds;

typedef struct
{
  AdwPreferencesGroup *group;
  GtkListBox          *list;
  GtkLabel            *count_label;
  GroupBounds          bounds;      /* of the last load */
  guint                limit;       /* rows shown */
} Group;

struct _CrmTasksPage
{
  AdwBin      parent_instance;

  CrmReplica *replica;
  Group       groups[N_GROUPS];
  /* organisation id -> name, for the rows of one reload */
  GHashTable *org_names;
  gboolean    can_complete;

  /* Template children */
  GtkStack   *stack;
  GtkBox     *groups_box;
};

G_DEFINE_FINAL_TYPE (CrmTasksPage, crm_tasks_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_REPLICA,
  PROP_CAN_COMPLETE,
  N_PROPS
};

enum {
  OPEN_RECORD,
  TASK_DONE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static gboolean crm_tasks_page_set_status (CrmTasksPage *self,
                                           const char   *id,
                                           const char   *status,
                                           GError      **error);

static void
show_error (CrmTasksPage *self,
            const char   *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
  else
    g_message ("%s", message);
}

/* ---- Undo ------------------------------------------------------------------- */

typedef struct
{
  CrmTasksPage *page;
  char         *id;
  char         *status;
} UndoData;

static void
undo_data_free (gpointer  data,
                GClosure *closure)
{
  UndoData *undo = data;

  g_clear_weak_pointer (&undo->page);
  g_free (undo->id);
  g_free (undo->status);
  g_free (undo);
}

static void
undo_clicked_cb (AdwToast *toast,
                 UndoData *undo)
{
  g_autoptr(GError) error = NULL;

  if (undo->page != NULL && !crm_tasks_page_set_status (undo->page, undo->id, undo->status, &error))
    show_error (undo->page, error->message);
}

static void
offer_undo (CrmTasksPage *self,
            const char   *id,
            const char   *title,
            const char   *previous_status)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  g_autofree char *text = NULL;
  UndoData *undo;
  AdwToast *toast;

  if (overlay == NULL)
    {
      g_signal_emit (self, signals[TASK_DONE], 0, id, previous_status);
      return;
    }

  /* TRANSLATORS: after a task was ticked, e.g. "“Call back Amundi” done" */
  text = g_strdup_printf (_("“%s” done"), title);
  toast = adw_toast_new (text);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  undo = g_new0 (UndoData, 1);
  g_set_weak_pointer (&undo->page, self);
  undo->id = g_strdup (id);
  undo->status = g_strdup (previous_status);
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (undo_clicked_cb), undo,
                         undo_data_free, 0);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

/* ---- Rows ------------------------------------------------------------------- */

static void
done_toggled_cb (GtkCheckButton *check,
                 CrmTasksPage   *self)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (check), GTK_TYPE_LIST_BOX_ROW);
  g_autofree char *id = g_strdup (g_object_get_data (G_OBJECT (row), "crm-id"));
  g_autofree char *title = g_strdup (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
  g_autofree char *previous = g_strdup (g_object_get_data (G_OBJECT (row), "crm-status"));
  g_autoptr(GError) error = NULL;

  if (!gtk_check_button_get_active (check) || !self->can_complete)
    return;

  /* The row goes away with the reload; what it said is kept above for the toast. */
  if (!crm_tasks_page_set_status (self, id, "done", &error))
    {
      gtk_check_button_set_active (check, FALSE);
      show_error (self, error->message);
      return;
    }

  offer_undo (self, id, title, previous);
}

static const char *
organisation_name (CrmTasksPage *self,
                   const char   *id)
{
  const char *name;
  g_autoptr(CrmRecord) org = NULL;

  if (id == NULL)
    return NULL;
  if (g_hash_table_lookup_extended (self->org_names, id, NULL, (gpointer *) &name))
    return name;

  org = crm_replica_get (self->replica, CRM_ENTITY_ORGANISATION, id, NULL);
  name = org != NULL ? crm_record_get_string (org, "name") : NULL;
  g_hash_table_insert (self->org_names, g_strdup (id), g_strdup (name));

  return g_hash_table_lookup (self->org_names, id);
}

static char *
task_subtitle (CrmTasksPage    *self,
               GDateTime       *now,
               const CrmRecord *task,
               GroupKind        kind)
{
  const char *due = crm_record_get_string (task, "due_at");
  const char *status = crm_record_get_string (task, "status");
  const char *priority = crm_record_get_string (task, "priority");
  const char *org = organisation_name (self, crm_record_get_string (task, "organisation_id"));
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  if (due != NULL)
    {
      g_autofree char *when = crm_format_datetime (due);

      if (kind == GROUP_OVERDUE)
        {
          g_autofree char *relative = crm_format_relative_day (now, due);

          /* TRANSLATORS: e.g. "Was due 3 March 2026 at 14:30 (5 days ago)" */
          g_ptr_array_add (parts, g_strdup_printf (_("Was due %s (%s)"), when, relative));
        }
      else
        /* TRANSLATORS: e.g. "Due 3 March 2026 at 14:30" */
        g_ptr_array_add (parts, g_strdup_printf (_("Due %s"), when));
    }
  if (g_strcmp0 (priority, "high") == 0 || g_strcmp0 (priority, "urgent") == 0)
    /* TRANSLATORS: e.g. "Priority: Haute" */
    g_ptr_array_add (parts, g_strdup_printf (_("Priority: %s"), crm_enum_label (crm_priorities, priority)));
  if (g_strcmp0 (status, "in_progress") == 0)
    g_ptr_array_add (parts, g_strdup (crm_enum_label (crm_task_statuses, status)));
  if (org != NULL)
    g_ptr_array_add (parts, g_strdup (org));
  g_ptr_array_add (parts, NULL);

  return g_strjoinv (" · ", (char **) parts->pdata);
}

static GtkWidget *
task_row_new (CrmTasksPage    *self,
              GDateTime       *now,
              const CrmRecord *task,
              GroupKind        kind)
{
  const char *title = crm_record_get_string (task, "title");
  g_autofree char *subtitle = task_subtitle (self, now, task, kind);
  /* TRANSLATORS: what a screen reader says of a task's check button */
  g_autofree char *check_label = g_strdup_printf (_("Mark “%s” as done"), title);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (check, _("Mark as done"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, check_label,
                                  -1);
  g_signal_connect (check, "toggled", G_CALLBACK (done_toggled_cb), self);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  g_object_bind_property (self, "can-complete", check, "visible", G_BINDING_SYNC_CREATE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));

  if (kind == GROUP_OVERDUE)
    gtk_widget_add_css_class (row, "overdue");

  g_object_set_data_full (G_OBJECT (row), "crm-id", g_strdup (crm_record_get_string (task, "id")),
                          g_free);
  g_object_set_data_full (G_OBJECT (row), "crm-status", g_strdup (crm_record_get_string (task, "status")),
                          g_free);
  g_object_set_data (G_OBJECT (row), "crm-check", check);

  return row;
}

static gboolean fill_group (CrmTasksPage *self,
                            GDateTime    *now,
                            GroupKind     kind,
                            gint64       *count,
                            GError      **error);

static void
crm_tasks_page_show_more (CrmTasksPage *self,
                          GroupKind     kind)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GError) error = NULL;
  gint64 count;

  self->groups[kind].limit += MORE_ROWS;
  if (!fill_group (self, now, kind, &count, &error))
    show_error (self, error->message);
}

static void
row_activated_cb (GtkListBox    *list,
                  GtkListBoxRow *row,
                  CrmTasksPage  *self)
{
  const char *id = g_object_get_data (G_OBJECT (row), "crm-id");
  int more = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "crm-more"));

  if (id != NULL)
    g_signal_emit (self, signals[OPEN_RECORD], 0, CRM_ENTITY_TASK, id);
  else if (more > 0)
    crm_tasks_page_show_more (self, more - 1);
}

/* ---- Loading ---------------------------------------------------------------- */


static gboolean
fill_group (CrmTasksPage *self,
            GDateTime    *now,
            GroupKind     kind,
            gint64       *count,
            GError      **error)
{
  Group *group = &self->groups[kind];
  const GroupBounds *bounds = &group->bounds;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autofree char *count_text = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (group->list))) != NULL)
    gtk_list_box_remove (group->list, child);

  *count = 0;
  if (bounds->shown)
    {
      *count = crm_open_tasks_count (self->replica, bounds->range, bounds->since, bounds->until,
                                     error);
      if (*count < 0)
        return FALSE;
      tasks = crm_open_tasks_list (self->replica, bounds->range, bounds->since, bounds->until,
                                   bounds->descending, group->limit, error);
      if (tasks == NULL)
        return FALSE;

      for (guint i = 0; i < tasks->len; i++)
        gtk_list_box_append (group->list, task_row_new (self, now, g_ptr_array_index (tasks, i), kind));

      if (*count > (gint64) tasks->len)
        {
          gint64 more = *count - tasks->len;
          g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                "Show %d more task",
                                                                "Show %d more tasks",
                                                                (gulong) MIN (more, MORE_ROWS)),
                                                   (int) MIN (more, MORE_ROWS));
          g_autofree char *left = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                "%d not shown",
                                                                "%d not shown",
                                                                (gulong) more),
                                                   (int) more);
          GtkWidget *row = adw_action_row_new ();

          /* Activating it lists the next ones; the group keeps its place on the page. */
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), left);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                     gtk_image_new_from_icon_name ("go-down-symbolic"));
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
          gtk_widget_add_css_class (row, "show-more");
          g_object_set_data (G_OBJECT (row), "crm-more", GINT_TO_POINTER (kind + 1));
          gtk_list_box_append (group->list, row);
        }
    }

  count_text = g_strdup_printf ("%" G_GINT64_FORMAT, *count);
  gtk_label_set_label (group->count_label, count_text);
  gtk_widget_set_visible (GTK_WIDGET (group->group), *count > 0);

  return TRUE;
}

static void
group_bounds_clear (GroupBounds *bounds)
{
  g_clear_pointer (&bounds->since, g_free);
  g_clear_pointer (&bounds->until, g_free);
}

static void
group_bounds_set (GroupBounds       *bounds,
                  gboolean           shown,
                  CrmOpenTasksRange  range,
                  char              *since,
                  char              *until,
                  gboolean           descending)
{
  group_bounds_clear (bounds);
  bounds->shown = shown;
  bounds->range = range;
  bounds->since = since;
  bounds->until = until;
  bounds->descending = descending;
}

static gboolean
crm_tasks_page_load (CrmTasksPage *self,
                     GError      **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  /* Days from today to next Monday: the week ends on Sunday night, as in a French diary. */
  int to_monday = 8 - g_date_time_get_day_of_week (now);
  int monday = MAX (to_monday, 2);
  gint64 total = 0;

  /* The latest missed first: yesterday's call matters more than last year's. */
  group_bounds_set (&self->groups[GROUP_OVERDUE].bounds, TRUE, CRM_OPEN_TASKS_DUE,
                    NULL, crm_format_day_start_utc (now, 0), TRUE);
  group_bounds_set (&self->groups[GROUP_TODAY].bounds, TRUE, CRM_OPEN_TASKS_DUE,
                    crm_format_day_start_utc (now, 0), crm_format_day_start_utc (now, 1), FALSE);
  group_bounds_set (&self->groups[GROUP_TOMORROW].bounds, TRUE, CRM_OPEN_TASKS_DUE,
                    crm_format_day_start_utc (now, 1), crm_format_day_start_utc (now, 2), FALSE);
  group_bounds_set (&self->groups[GROUP_THIS_WEEK].bounds, to_monday > 2, CRM_OPEN_TASKS_DUE,
                    crm_format_day_start_utc (now, 2), crm_format_day_start_utc (now, monday), FALSE);
  group_bounds_set (&self->groups[GROUP_LATER].bounds, TRUE, CRM_OPEN_TASKS_DUE,
                    crm_format_day_start_utc (now, monday), NULL, FALSE);
  group_bounds_set (&self->groups[GROUP_NO_DATE].bounds, TRUE, CRM_OPEN_TASKS_NO_DATE,
                    NULL, NULL, TRUE);

  g_hash_table_remove_all (self->org_names);
  for (guint i = 0; i < N_GROUPS; i++)
    {
      gint64 count = 0;

      if (!fill_group (self, now, i, &count, error))
        return FALSE;
      total += count;
    }

  gtk_stack_set_visible_child_name (self->stack, total > 0 ? "tasks" : "empty");

  return TRUE;
}

void
crm_tasks_page_reload (CrmTasksPage *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CRM_IS_TASKS_PAGE (self));

  if (self->replica != NULL && !crm_tasks_page_load (self, &error))
    g_message ("Could not refresh the tasks: %s", error->message);
}

static gboolean
crm_tasks_page_set_status (CrmTasksPage *self,
                           const char   *id,
                           const char   *status,
                           GError      **error)
{
  g_autoptr(CrmRecord) changes = crm_record_new_for_kind (CRM_ENTITY_TASK);
  g_autoptr(CrmRecord) updated = NULL;

  /* The one write path: validated, recorded in the field history, queued for sync. */
  crm_record_set_string (changes, "status", status);
  updated = crm_replica_update (self->replica, CRM_ENTITY_TASK, id, changes, error);
  if (updated == NULL)
    return FALSE;

  return crm_tasks_page_load (self, error);
}

/* ---- GObject ---------------------------------------------------------------- */

static void
crm_tasks_page_constructed (GObject *object)
{
  CrmTasksPage *self = CRM_TASKS_PAGE (object);

  G_OBJECT_CLASS (crm_tasks_page_parent_class)->constructed (object);

  crm_tasks_page_reload (self);
}

static void
crm_tasks_page_dispose (GObject *object)
{
  CrmTasksPage *self = CRM_TASKS_PAGE (object);

  /* AdwBin unparents its child itself: hand it over first, or the template would
   * unparent it behind AdwBin's back. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_TASKS_PAGE);
  g_clear_object (&self->replica);

  G_OBJECT_CLASS (crm_tasks_page_parent_class)->dispose (object);
}

static void
crm_tasks_page_finalize (GObject *object)
{
  CrmTasksPage *self = CRM_TASKS_PAGE (object);

  g_clear_pointer (&self->org_names, g_hash_table_unref);
  for (guint i = 0; i < N_GROUPS; i++)
    group_bounds_clear (&self->groups[i].bounds);

  G_OBJECT_CLASS (crm_tasks_page_parent_class)->finalize (object);
}

static void
crm_tasks_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CrmTasksPage *self = CRM_TASKS_PAGE (object);

  switch (prop_id)
    {
    case PROP_REPLICA:
      g_value_set_object (value, self->replica);
      break;
    case PROP_CAN_COMPLETE:
      g_value_set_boolean (value, self->can_complete);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_tasks_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  CrmTasksPage *self = CRM_TASKS_PAGE (object);

  switch (prop_id)
    {
    case PROP_REPLICA:
      self->replica = g_value_dup_object (value);
      break;
    case PROP_CAN_COMPLETE:
      crm_tasks_page_set_can_complete (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_tasks_page_class_init (CrmTasksPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = crm_tasks_page_constructed;
  object_class->dispose = crm_tasks_page_dispose;
  object_class->finalize = crm_tasks_page_finalize;
  object_class->get_property = crm_tasks_page_get_property;
  object_class->set_property = crm_tasks_page_set_property;

  properties[PROP_REPLICA] =
    g_param_spec_object ("replica", NULL, NULL,
                         CRM_TYPE_REPLICA,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* FALSE for a role that may not change tasks: the rows lose their check button. */
  properties[PROP_CAN_COMPLETE] =
    g_param_spec_boolean ("can-complete", NULL, NULL,
                          TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CrmTasksPage::open-record:
   * @kind: CRM_ENTITY_TASK
   * @id: the task's id
   */
  signals[OPEN_RECORD] =
    g_signal_new ("open-record",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_STRING);

  /**
   * CrmTasksPage::task-done:
   * @id: the task marked done
   * @previous_status: its status before, to restore on undo
   *
   * Emitted when a task was marked done and no toast overlay could offer the undo.
   */
  signals[TASK_DONE] =
    g_signal_new ("task-done",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/alforis/Crm/ui/crm-tasks-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmTasksPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CrmTasksPage, groups_box);
}

static void
crm_tasks_page_init (CrmTasksPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->can_complete = TRUE;

  self->org_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < N_GROUPS; i++)
    {
      Group *group = &self->groups[i];
      GtkWidget *count = gtk_label_new (NULL);
      GtkWidget *list = gtk_list_box_new ();

      group->limit = FIRST_ROWS;
      group->group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
      adw_preferences_group_set_title (group->group, _(group_titles[i]));
      gtk_widget_set_name (GTK_WIDGET (group->group), i == GROUP_OVERDUE ? "overdue"
                                                      : i == GROUP_TODAY ? "today"
                                                      : i == GROUP_TOMORROW ? "tomorrow"
                                                      : i == GROUP_THIS_WEEK ? "this-week"
                                                      : i == GROUP_LATER ? "later" : "no-date");

      gtk_widget_add_css_class (count, "dim-label");
      gtk_widget_add_css_class (count, "numeric");
      gtk_widget_set_valign (count, GTK_ALIGN_CENTER);
      adw_preferences_group_set_header_suffix (group->group, count);
      group->count_label = GTK_LABEL (count);

      gtk_widget_set_name (list, "tasks");
      gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
      gtk_widget_add_css_class (list, "boxed-list");
      gtk_accessible_update_property (GTK_ACCESSIBLE (list),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _(group_titles[i]),
                                      -1);
      g_signal_connect (list, "row-activated", G_CALLBACK (row_activated_cb), self);
      adw_preferences_group_add (group->group, list);
      group->list = GTK_LIST_BOX (list);

      gtk_box_append (self->groups_box, GTK_WIDGET (group->group));
    }
}

GtkWidget *
crm_tasks_page_new (CrmReplica *replica)
{
  g_return_val_if_fail (CRM_IS_REPLICA (replica), NULL);

  return g_object_new (CRM_TYPE_TASKS_PAGE,
                       "replica", replica,
                       NULL);
}

void
crm_tasks_page_set_can_complete (CrmTasksPage *self,
                                 gboolean      can_complete)
{
  g_return_if_fail (CRM_IS_TASKS_PAGE (self));

  can_complete = !!can_complete;
  if (self->can_complete == can_complete)
    return;
  self->can_complete = can_complete;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_COMPLETE]);
}

gboolean
crm_tasks_page_get_can_complete (CrmTasksPage *self)
{
  g_return_val_if_fail (CRM_IS_TASKS_PAGE (self), FALSE);
  return self->can_complete;
}

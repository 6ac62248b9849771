/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-dashboard-page"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-dashboard-page.h"
#include "crm-format.h"
#include "crm-open-tasks.h"

/* Rows shown per list: the dashboard is a glance, the full lists live in their pages. */
#define MAX_TASK_ROWS     7
#define MAX_MANDAT_ROWS   10
#define N_RECENT          8
#define EXPIRING_DAYS     60

struct _CrmDashboardPage
{
  AdwBin      parent_instance;

  CrmReplica *replica;
  gboolean    lazy;         /* read after the first frame on screen */
  guint       idle_id;
  /* organisation id -> name, for the rows of one reload */
  GHashTable *org_names;

  /* Template children */
  GtkStack   *stack;
  GtkFlowBox *sections_box;
  GtkLabel   *due_today_label;
  GtkLabel   *overdue_label;
  GtkLabel   *expiring_label;
  GtkListBox *stages_list;
  GtkListBox *tasks_list;
  GtkListBox *mandats_list;
  GtkListBox *interactions_list;
};

G_DEFINE_FINAL_TYPE (CrmDashboardPage, crm_dashboard_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_REPLICA,
  PROP_LAZY,
  N_PROPS
};

enum {
  OPEN_RECORD,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static GtkWidget *
record_row_new (CrmEntityKind kind,
                const char   *id,
                const char   *title,
                const char   *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  /* Titles are user text: never parse them as markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));

  g_object_set_data (G_OBJECT (row), "crm-kind", GINT_TO_POINTER (kind));
  g_object_set_data_full (G_OBJECT (row), "crm-id", g_strdup (id), g_free);

  return row;
}

/* A row that only says something ("and 12 more"), when a list is cut short or empty. */
static void
add_note_row (GtkListBox *list,
              const char *text)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 12);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_append (list, row);
}

static void
row_activated_cb (CrmDashboardPage *self,
                  GtkListBoxRow    *row)
{
  const char *id = g_object_get_data (G_OBJECT (row), "crm-id");

  if (id == NULL)
    return;

  g_signal_emit (self, signals[OPEN_RECORD], 0,
                 GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "crm-kind")), id);
}

static const char *
organisation_name (CrmDashboardPage *self,
                   const char       *id)
{
  const char *name;
  g_autoptr(CrmRecord) org = NULL;

  if (id == NULL)
    return NULL;
  if (g_hash_table_lookup_extended (self->org_names, id, NULL, (gpointer *) &name))
    return name;

  /* A missing organisation (not synced yet, or out of view) is simply not named. */
  org = crm_replica_get (self->replica, CRM_ENTITY_ORGANISATION, id, NULL);
  name = org != NULL ? crm_record_get_string (org, "name") : NULL;
  g_hash_table_insert (self->org_names, g_strdup (id), g_strdup (name));

  return g_hash_table_lookup (self->org_names, id);
}

static void
set_count (GtkLabel *label,
           gint64    count)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, count);

  gtk_label_set_label (label, text);
}

static gint64
fill_stages (CrmDashboardPage          *self,
             const CrmReplicaDashboard *dash)
{
  gint64 max = 0;
  gint64 total = 0;

  clear_list (self->stages_list);
  for (guint i = 0; i < dash->n_stages; i++)
    max = MAX (max, dash->stages[i].count);

  for (guint i = 0; i < dash->n_stages; i++)
    {
      const CrmStageCount *stage = &dash->stages[i];
      const char *label = crm_enum_label (crm_pipeline_stages, stage->stage);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *bar = gtk_level_bar_new_for_interval (0, MAX (max, 1));
      GtkWidget *count = gtk_label_new (NULL);
      g_autofree char *count_text = g_strdup_printf ("%" G_GINT64_FORMAT, stage->count);
      /* TRANSLATORS: what a screen reader says of a stage's bar, e.g. "Prospect: 12 organisations" */
      g_autofree char *description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                   "%s: %d organisation",
                                                                   "%s: %d organisations",
                                                                   (gulong) stage->count),
                                                      label, (int) stage->count);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);

      /* The bars share one scale, so the stages compare at a glance. */
      gtk_level_bar_set_mode (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_MODE_CONTINUOUS);
      gtk_level_bar_set_value (GTK_LEVEL_BAR (bar), (double) stage->count);
      /* No colour thresholds: a full bar is the biggest stage, not a warning. */
      gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_LOW);
      gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_HIGH);
      gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_FULL);
      gtk_widget_set_size_request (bar, 240, -1);
      gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (bar),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                      -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), bar);

      gtk_label_set_label (GTK_LABEL (count), count_text);
      gtk_label_set_width_chars (GTK_LABEL (count), 6);
      gtk_label_set_xalign (GTK_LABEL (count), 1.0);
      gtk_widget_add_css_class (count, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), count);

      g_object_set_data_full (G_OBJECT (row), "crm-stage", g_strdup (stage->stage), g_free);
      gtk_list_box_append (self->stages_list, row);
      total += stage->count;
    }

  return total;
}

static char *
task_subtitle (GDateTime       *now,
               const CrmRecord *task,
               gboolean         overdue)
{
  const char *due = crm_record_get_string (task, "due_at");
  const char *priority = crm_record_get_string (task, "priority");
  g_autofree char *when = NULL;
  g_autofree char *relative = NULL;
  GString *text = g_string_new (NULL);

  if (overdue)
    {
      when = crm_format_date (due);
      relative = crm_format_relative_day (now, due);
      /* TRANSLATORS: e.g. "Was due 3 March 2026 (5 days ago)" */
      g_string_append_printf (text, _("Was due %s (%s)"), when, relative);
    }
  else
    {
      when = crm_format_datetime (due);
      /* TRANSLATORS: e.g. "Due 3 March 2026 at 14:30" */
      g_string_append_printf (text, _("Due %s"), when);
    }

  if (g_strcmp0 (priority, "high") == 0 || g_strcmp0 (priority, "urgent") == 0)
    /* TRANSLATORS: appended to a task's due date, e.g. " · Priority: Haute" */
    g_string_append_printf (text, _(" · Priority: %s"), crm_enum_label (crm_priorities, priority));

  return g_string_free (text, FALSE);
}

static gboolean
fill_tasks (CrmDashboardPage *self,
            GDateTime        *now,
            gint64           *n_today,
            gint64           *n_overdue,
            GError          **error)
{
  g_autofree char *today = crm_format_day_start_utc (now, 0);
  g_autofree char *tomorrow = crm_format_day_start_utc (now, 1);
  g_autoptr(GPtrArray) due_today = NULL;
  g_autoptr(GPtrArray) overdue = NULL;
  guint shown;

  clear_list (self->tasks_list);

  *n_today = crm_open_tasks_count (self->replica, CRM_OPEN_TASKS_DUE, today, tomorrow, error);
  if (*n_today < 0)
    return FALSE;
  *n_overdue = crm_open_tasks_count (self->replica, CRM_OPEN_TASKS_DUE, NULL, today, error);
  if (*n_overdue < 0)
    return FALSE;

  /* Today's first, earliest first; then the most recently missed. */
  due_today = crm_open_tasks_list (self->replica, CRM_OPEN_TASKS_DUE, today, tomorrow, FALSE,
                                   MAX_TASK_ROWS, error);
  if (due_today == NULL)
    return FALSE;
  overdue = crm_open_tasks_list (self->replica, CRM_OPEN_TASKS_DUE, NULL, today, TRUE,
                                 MAX (MAX_TASK_ROWS - (int) due_today->len, 1), error);
  if (overdue == NULL)
    return FALSE;

  for (guint i = 0; i < due_today->len + overdue->len; i++)
    {
      gboolean is_overdue = i >= due_today->len;
      CrmRecord *task = is_overdue ? g_ptr_array_index (overdue, i - due_today->len)
                                   : g_ptr_array_index (due_today, i);
      g_autofree char *subtitle = task_subtitle (now, task, is_overdue);
      GtkWidget *row = record_row_new (CRM_ENTITY_TASK,
                                       crm_record_get_string (task, "id"),
                                       crm_record_get_string (task, "title"),
                                       subtitle);

      if (is_overdue)
        gtk_widget_add_css_class (row, "overdue");
      gtk_list_box_append (self->tasks_list, row);
    }

  shown = due_today->len + overdue->len;
  if (shown == 0)
    add_note_row (self->tasks_list, _("Nothing due today, nothing late."));
  else if ((gint64) shown < *n_today + *n_overdue)
    {
      gint64 more = *n_today + *n_overdue - shown;
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "And %d more task in the Tasks page",
                                                            "And %d more tasks in the Tasks page",
                                                            (gulong) more),
                                               (int) more);
      add_note_row (self->tasks_list, text);
    }

  return TRUE;
}

static void
fill_mandats (CrmDashboardPage          *self,
              GDateTime                 *now,
              const CrmReplicaDashboard *dash)
{
  guint shown = MIN (dash->expiring_mandats->len, MAX_MANDAT_ROWS);

  clear_list (self->mandats_list);

  for (guint i = 0; i < shown; i++)
    {
      CrmRecord *mandat = g_ptr_array_index (dash->expiring_mandats, i);
      const char *number = crm_record_get_string (mandat, "number");
      const char *provider = organisation_name (self, crm_record_get_string (mandat, "organisation_id"));
      const char *end = crm_record_get_string (mandat, "end_date");
      g_autofree char *title = NULL;
      g_autofree char *end_text = crm_format_date (end);
      g_autofree char *relative = crm_format_relative_day (now, end);
      g_autofree char *subtitle = NULL;

      if (provider != NULL)
        /* TRANSLATORS: a mandate and its provider, e.g. "M-2025-001 — Amundi" */
        title = g_strdup_printf (_("%s — %s"), number, provider);
      else
        title = g_strdup (number);
      /* TRANSLATORS: e.g. "Ends 3 March 2026 (in 12 days)" */
      subtitle = g_strdup_printf (_("Ends %s (%s)"), end_text, relative);

      gtk_list_box_append (self->mandats_list,
                           record_row_new (CRM_ENTITY_MANDAT, crm_record_get_string (mandat, "id"),
                                           title, subtitle));
    }

  if (shown == 0)
    add_note_row (self->mandats_list, _("No mandate ends within 60 days."));
  else if (dash->mandats_expiring > shown)
    {
      gint64 more = dash->mandats_expiring - shown;
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "And %d more mandate",
                                                            "And %d more mandates",
                                                            (gulong) more),
                                               (int) more);
      add_note_row (self->mandats_list, text);
    }
}

static const char *
interaction_icon (const char *type)
{
  if (g_strcmp0 (type, "call") == 0)
    return "call-start-symbolic";
  if (g_strcmp0 (type, "meeting") == 0)
    return "x-office-calendar-symbolic";
  if (g_strcmp0 (type, "email") == 0)
    return "mail-unread-symbolic";
  if (g_strcmp0 (type, "event") == 0)
    return "starred-symbolic";
  return "document-edit-symbolic";
}

/* The latest interactions that happened: one planned for next week is not "recent". */
static gboolean
fill_interactions (CrmDashboardPage  *self,
                   GDateTime         *now,
                   guint             *n_shown,
                   GError           **error)
{
  g_autoptr(CrmReplicaQuery) query = crm_replica_query_new (CRM_ENTITY_INTERACTION);
  g_autoptr(GDateTime) utc = g_date_time_to_utc (now);
  g_autofree char *until = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
  g_autoptr(GPtrArray) recent = NULL;

  clear_list (self->interactions_list);

  crm_replica_query_filter (query, "occurred_at", CRM_REPLICA_LE, until);
  crm_replica_query_sort (query, "occurred_at", TRUE);
  crm_replica_query_set_limit (query, N_RECENT);
  recent = crm_replica_list (self->replica, query, NULL, error);
  if (recent == NULL)
    return FALSE;

  for (guint i = 0; i < recent->len; i++)
    {
      CrmRecord *interaction = g_ptr_array_index (recent, i);
      const char *type = crm_record_get_string (interaction, "type");
      const char *org = organisation_name (self, crm_record_get_string (interaction, "organisation_id"));
      g_autofree char *when = crm_format_date (crm_record_get_string (interaction, "occurred_at"));
      g_autofree char *subtitle = NULL;
      GtkWidget *row;
      GtkWidget *icon;

      if (org != NULL)
        /* TRANSLATORS: an interaction's type, organisation and date, e.g. "Appel · Amundi · 3 March 2026" */
        subtitle = g_strdup_printf (_("%s · %s · %s"), crm_enum_label (crm_interaction_types, type),
                                    org, when);
      else
        /* TRANSLATORS: an interaction's type and date, e.g. "Appel · 3 March 2026" */
        subtitle = g_strdup_printf (_("%s · %s"), crm_enum_label (crm_interaction_types, type), when);

      row = record_row_new (CRM_ENTITY_INTERACTION, crm_record_get_string (interaction, "id"),
                            crm_record_get_string (interaction, "subject"), subtitle);
      icon = gtk_image_new_from_icon_name (interaction_icon (type));
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      crm_enum_label (crm_interaction_types, type),
                                      -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      gtk_list_box_append (self->interactions_list, row);
    }

  if (recent->len == 0)
    add_note_row (self->interactions_list, _("No interaction recorded yet."));
  *n_shown = recent->len;

  return TRUE;
}

static gboolean
crm_dashboard_page_fill (CrmDashboardPage *self,
                         GError          **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autoptr(CrmReplicaDashboard) dash = NULL;
  gint64 n_orgs, n_today = 0, n_overdue = 0;
  guint n_interactions = 0;

  dash = crm_replica_dashboard (self->replica, crm_replica_get_user_id (self->replica), today,
                                EXPIRING_DAYS, 1, error);
  if (dash == NULL)
    return FALSE;

  g_hash_table_remove_all (self->org_names);

  n_orgs = fill_stages (self, dash);
  if (!fill_tasks (self, now, &n_today, &n_overdue, error))
    return FALSE;
  fill_mandats (self, now, dash);
  if (!fill_interactions (self, now, &n_interactions, error))
    return FALSE;

  set_count (self->due_today_label, n_today);
  set_count (self->overdue_label, n_overdue);
  set_count (self->expiring_label, dash->mandats_expiring);
  if (n_overdue > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->overdue_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->overdue_label), "error");

  gtk_stack_set_visible_child_name (self->stack,
                                    n_orgs == 0 && n_today == 0 && n_overdue == 0
                                    && dash->mandats_expiring == 0
                                    && n_interactions == 0 ? "empty" : "content");

  return TRUE;
}

void
crm_dashboard_page_reload (CrmDashboardPage *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CRM_IS_DASHBOARD_PAGE (self));

  if (self->replica == NULL)
    return;

  /* A replica that cannot be read leaves the last figures up; the window reports
   * the store's state, the dashboard only says it could not refresh. */
  if (!crm_dashboard_page_fill (self, &error))
    g_message ("Could not refresh the dashboard: %s", error->message);
}

static gboolean
reload_idle (gpointer data)
{
  CrmDashboardPage *self = data;

  self->idle_id = 0;
  crm_dashboard_page_reload (self);
  return G_SOURCE_REMOVE;
}

/* The first frame is being drawn: the figures are read once it is on screen. */
static gboolean
first_tick (GtkWidget     *widget,
            GdkFrameClock *clock,
            gpointer       data)
{
  CrmDashboardPage *self = CRM_DASHBOARD_PAGE (widget);

  if (self->idle_id == 0)
    self->idle_id = g_idle_add (reload_idle, self);
  return G_SOURCE_REMOVE;
}

static void
crm_dashboard_page_constructed (GObject *object)
{
  CrmDashboardPage *self = CRM_DASHBOARD_PAGE (object);

  G_OBJECT_CLASS (crm_dashboard_page_parent_class)->constructed (object);

  if (!self->lazy)
    {
      crm_dashboard_page_reload (self);
      return;
    }
  /* The page's frame at once, its figures a moment later: "…" rather than the empty
   * state, which would be a lie until the replica has been read. */
  gtk_label_set_text (self->due_today_label, "…");
  gtk_label_set_text (self->overdue_label, "…");
  gtk_label_set_text (self->expiring_label, "…");
  gtk_stack_set_visible_child_name (self->stack, "content");
  gtk_widget_add_tick_callback (GTK_WIDGET (self), first_tick, NULL, NULL);
}

static void
crm_dashboard_page_dispose (GObject *object)
{
  CrmDashboardPage *self = CRM_DASHBOARD_PAGE (object);

  /* AdwBin unparents its child itself: hand it over first, or the template would
   * unparent it behind AdwBin's back. */
  g_clear_handle_id (&self->idle_id, g_source_remove);
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_DASHBOARD_PAGE);
  g_clear_object (&self->replica);

  G_OBJECT_CLASS (crm_dashboard_page_parent_class)->dispose (object);
}

static void
crm_dashboard_page_finalize (GObject *object)
{
  CrmDashboardPage *self = CRM_DASHBOARD_PAGE (object);

  g_clear_pointer (&self->org_names, g_hash_table_unref);

  G_OBJECT_CLASS (crm_dashboard_page_parent_class)->finalize (object);
}

static void
crm_dashboard_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CrmDashboardPage *self = CRM_DASHBOARD_PAGE (object);

  switch (prop_id)
    {
    case PROP_REPLICA:
      g_value_set_object (value, self->replica);
      break;
    case PROP_LAZY:
      g_value_set_boolean (value, self->lazy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_dashboard_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  CrmDashboardPage *self = CRM_DASHBOARD_PAGE (object);

  switch (prop_id)
    {
    case PROP_REPLICA:
      self->replica = g_value_dup_object (value);
      break;
    case PROP_LAZY:
      self->lazy = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_dashboard_page_class_init (CrmDashboardPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = crm_dashboard_page_constructed;
  object_class->dispose = crm_dashboard_page_dispose;
  object_class->finalize = crm_dashboard_page_finalize;
  object_class->get_property = crm_dashboard_page_get_property;
  object_class->set_property = crm_dashboard_page_set_property;

  properties[PROP_REPLICA] =
    g_param_spec_object ("replica", NULL, NULL,
                         CRM_TYPE_REPLICA,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* TRUE: the replica is read after the page's first frame, not while it is made. */
  properties[PROP_LAZY] =
    g_param_spec_boolean ("lazy", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CrmDashboardPage::open-record:
   * @kind: the CrmEntityKind of the record
   * @id: its id
   *
   * The user activated a task, a mandate or an interaction.
   */
  signals[OPEN_RECORD] =
    g_signal_new ("open-record",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/alforis/Crm/ui/crm-dashboard-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmDashboardPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CrmDashboardPage, sections_box);
  gtk_widget_class_bind_template_child (widget_class, CrmDashboardPage, due_today_label);
  gtk_widget_class_bind_template_child (widget_class, CrmDashboardPage, overdue_label);
  gtk_widget_class_bind_template_child (widget_class, CrmDashboardPage, expiring_label);
  gtk_widget_class_bind_template_child (widget_class, CrmDashboardPage, stages_list);
  gtk_widget_class_bind_template_child (widget_class, CrmDashboardPage, tasks_list);
  gtk_widget_class_bind_template_child (widget_class, CrmDashboardPage, mandats_list);
  gtk_widget_class_bind_template_child (widget_class, CrmDashboardPage, interactions_list);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
}

static void
crm_dashboard_page_init (CrmDashboardPage *self)
{
  self->org_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The flow box only lays the sections out: Tab goes straight to their rows, not to an
   * invisible cell around each section first. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->sections_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_widget_set_focusable (child, FALSE);
}

GtkWidget *
crm_dashboard_page_new (CrmReplica *replica)
{
  g_return_val_if_fail (CRM_IS_REPLICA (replica), NULL);

  return g_object_new (CRM_TYPE_DASHBOARD_PAGE,
                       "replica", replica,
                       NULL);
}

GtkWidget *
crm_dashboard_page_new_lazy (CrmReplica *replica)
{
  g_return_val_if_fail (CRM_IS_REPLICA (replica), NULL);

  return g_object_new (CRM_TYPE_DASHBOARD_PAGE,
                       "replica", replica,
                       "lazy", TRUE,
                       NULL);
}

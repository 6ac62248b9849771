/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-pipeline-page"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-format.h"
#include "crm-pipeline-page-private.h"

/* Cards per column, biggest assets first: a stage with 20,000 investors must not load
 * 20,000 rows; the header still counts and totals all of them. */
#define MAX_CARDS 200
/* Rows per read when totalling a stage too big to load: the replica's lock is released
 * between pages, so the UI thread never waits long behind the scan. */
#define SUM_PAGE  1000

struct _CrmPipelinePage
{
  AdwBin      parent_instance;

  CrmReplica   *replica;
  GPtrArray    *columns;           /* CrmPipelineColumn*, in stage order */
  GCancellable *load_cancellable;
  gboolean      loading;
  gboolean      can_move;

  /* Template children */
  GtkStack   *stack;
  GtkBox     *columns_box;
};

G_DEFINE_FINAL_TYPE (CrmPipelinePage, crm_pipeline_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_REPLICA,
  PROP_LOADING,
  PROP_CAN_MOVE,
  N_PROPS
};

enum {
  OPEN_RECORD,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static CrmPipelineColumn *
find_column (CrmPipelinePage *self,
             const char      *stage)
{
  for (guint i = 0; i < self->columns->len; i++)
    {
      CrmPipelineColumn *column = g_ptr_array_index (self->columns, i);

      if (g_strcmp0 (column->stage, stage) == 0)
        return column;
    }
  return NULL;
}

void
crm_pipeline_page_add_toast (CrmPipelinePage *self,
           AdwToast        *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

/* ---- Totals ----------------------------------------------------------------- */

static CrmReplicaQuery *
stage_query (const char *stage)
{
  CrmReplicaQuery *query = crm_replica_query_new (CRM_ENTITY_ORGANISATION);

  crm_replica_query_filter (query, "type", CRM_REPLICA_EQ, "investor");
  crm_replica_query_filter (query, "pipeline_stage", CRM_REPLICA_EQ, stage);

  return query;
}

typedef struct
{
  CrmReplica *replica;
  const char *stage;
} SumData;

static void
sum_data_free (SumData *data)
{
  g_clear_object (&data->replica);
  g_free (data);
}

static void
sum_thread (GTask        *task,
            gpointer      source,
            gpointer      task_data,
            GCancellable *cancellable)
{
  SumData *data = task_data;
  g_autoptr(CrmReplicaQuery) query = stage_query (data->stage);
  g_autofree char *cursor = NULL;
  double sum = 0;

  crm_replica_query_set_limit (query, SUM_PAGE);
  do
    {
      g_autoptr(GPtrArray) rows = NULL;
      g_autofree char *next = NULL;
      GError *error = NULL;

      if (g_task_return_error_if_cancelled (task))
        return;

      crm_replica_query_set_after (query, cursor);
      rows = crm_replica_list (data->replica, query, &next, &error);
      if (rows == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      for (guint i = 0; i < rows->len; i++)
        sum += crm_record_get_double (g_ptr_array_index (rows, i), "aum_eur");

      g_free (cursor);
      cursor = g_steal_pointer (&next);
    }
  while (cursor != NULL);

  g_task_return_pointer (task, g_memdup2 (&sum, sizeof sum), g_free);
}

static void
column_show_total (CrmPipelineColumn *column)
{
  g_autofree char *amount = column->total_known ? crm_format_amount_short (column->total)
                                                : g_strdup ("…");
  /* TRANSLATORS: the assets under management of a pipeline stage, e.g. "Assets: 12.5 M€" */
  g_autofree char *text = g_strdup_printf (_("Assets: %s"), amount);

  gtk_label_set_label (column->total_label, text);
}

static void
sum_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  CrmPipelinePage *self = CRM_PIPELINE_PAGE (source);
  CrmPipelineColumn *column = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree double *sum = g_task_propagate_pointer (G_TASK (result), &error);

  /* Cancelled: the page went away, or the column was reloaded and a newer scan runs. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (sum == NULL)
    {
      g_message ("Could not total the %s stage: %s", column->stage, error->message);
      return;
    }

  g_assert (find_column (self, column->stage) == column);
  column->total = *sum;
  column->total_known = TRUE;
  column_show_total (column);
}

static void
column_start_sum (CrmPipelineColumn *column)
{
  g_autoptr(GTask) task = NULL;
  SumData *data = g_new0 (SumData, 1);

  g_cancellable_cancel (column->sum_cancellable);
  g_clear_object (&column->sum_cancellable);
  column->sum_cancellable = g_cancellable_new ();

  data->replica = g_object_ref (column->page->replica);
  data->stage = column->stage;
  task = g_task_new (column->page, column->sum_cancellable, sum_done_cb, column);
  g_task_set_source_tag (task, column_start_sum);
  g_task_set_task_data (task, data, (GDestroyNotify) sum_data_free);
  g_task_run_in_thread (task, sum_thread);
}

/* ---- Loading ---------------------------------------------------------------- */

/* What a lane shows: its count, and the cards it has; used after a load and after a
 * card moved in or out. */
static void
column_show_counts (CrmPipelineColumn *column)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (column->ids));
  g_autofree char *count_text = g_strdup_printf ("%" G_GINT64_FORMAT, column->count);
  g_autofree char *accessible = NULL;

  gtk_label_set_label (column->count_label, count_text);
  /* TRANSLATORS: how a screen reader names a pipeline column, e.g. "Prospect, 12 organisations" */
  accessible = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %d organisation", "%s, %d organisations",
                                             (gulong) column->count),
                                crm_enum_label (crm_pipeline_stages, column->stage), (int) column->count);
  gtk_accessible_update_property (GTK_ACCESSIBLE (column->widget),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);

  if (column->count > (gint64) shown)
    {
      gint64 more = column->count - shown;
      /* TRANSLATORS: below the cards of a column that shows only the biggest ones */
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "and %d more", "and %d more",
                                                            (gulong) more),
                                               (int) more);

      gtk_label_set_label (column->more_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (column->more_label), column->count > (gint64) shown);
  gtk_widget_set_visible (column->scroller, shown > 0);
  gtk_widget_set_visible (column->empty_label, shown == 0);
  column_show_total (column);
}

static void
column_apply (CrmPipelineColumn *column,
              gint64             count,
              GPtrArray         *rows)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

  g_hash_table_remove_all (column->cards);
  column->total = 0;
  for (guint i = 0; i < rows->len; i++)
    {
      CrmRecord *row = g_ptr_array_index (rows, i);
      const char *id = crm_record_get_string (row, "id");

      g_hash_table_insert (column->cards, g_strdup (id), crm_record_ref (row));
      g_ptr_array_add (ids, (gpointer) id);
      column->total += crm_record_get_double (row, "aum_eur");
    }
  g_ptr_array_add (ids, NULL);
  gtk_string_list_splice (column->ids, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (column->ids)),
                          (const char * const *) ids->pdata);

  column->count = count;
  g_cancellable_cancel (column->sum_cancellable);
  /* Every row is loaded: the total is already known. Otherwise scan in a thread. */
  column->total_known = count <= (gint64) rows->len;
  if (!column->total_known)
    column_start_sum (column);
  column_show_counts (column);
}

/* A card leaves a lane or joins one, before the replica is read again: the board
 * answers a drop at once, and the reload that follows only confirms it. */
static void
column_take_out (CrmPipelineColumn *column,
                 const CrmRecord   *org)
{
  const char *id = crm_record_get_string (org, "id");
  guint n = g_list_model_get_n_items (G_LIST_MODEL (column->ids));

  for (guint i = 0; i < n; i++)
    {
      if (g_strcmp0 (gtk_string_list_get_string (column->ids, i), id) == 0)
        {
          gtk_string_list_remove (column->ids, i);
          break;
        }
    }
  g_hash_table_remove (column->cards, id);
  column->count = MAX (column->count - 1, 0);
  column->total -= crm_record_get_double (org, "aum_eur");
  column_show_counts (column);
}

static void
column_put_in (CrmPipelineColumn *column,
               CrmRecord         *org)
{
  const char *id = crm_record_get_string (org, "id");
  double aum = crm_record_get_double (org, "aum_eur");
  guint n = g_list_model_get_n_items (G_LIST_MODEL (column->ids));
  guint position = n;

  for (guint i = 0; i < n; i++)
    {
      CrmRecord *card = g_hash_table_lookup (column->cards, gtk_string_list_get_string (column->ids, i));

      if (card != NULL && crm_record_get_double (card, "aum_eur") < aum)
        {
          position = i;
          break;
        }
    }

  /* Past the last card shown of a lane that shows only its biggest: counted, not shown. */
  if (position < n || column->count <= (gint64) n)
    {
      const char *one[] = { id, NULL };

      g_hash_table_insert (column->cards, g_strdup (id), crm_record_ref (org));
      gtk_string_list_splice (column->ids, position, 0, one);
    }
  column->count++;
  column->total += aum;
  column_show_counts (column);
}

typedef struct
{
  const char *stage;
  gint64      count;
  GPtrArray  *rows;
} StageRows;

typedef struct
{
  CrmReplica *replica;
  GArray     *stages;  /* StageRows */
} LoadData;

static void
stage_rows_clear (gpointer data)
{
  g_clear_pointer (&((StageRows *) data)->rows, g_ptr_array_unref);
}

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->replica);
  g_clear_pointer (&data->stages, g_array_unref);
  g_free (data);
}

static void
load_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;

  for (guint i = 0; i < data->stages->len; i++)
    {
      StageRows *stage = &g_array_index (data->stages, StageRows, i);
      g_autoptr(CrmReplicaQuery) query = stage_query (stage->stage);
      GError *error = NULL;

      if (g_task_return_error_if_cancelled (task))
        return;

      crm_replica_query_sort (query, "aum_eur", TRUE);
      crm_replica_query_set_limit (query, MAX_CARDS);
      stage->count = crm_replica_count (data->replica, query, &error);
      if (stage->count >= 0)
        stage->rows = crm_replica_list (data->replica, query, NULL, &error);
      if (stage->rows == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }

  g_task_return_boolean (task, TRUE);
}

static void
set_loading (CrmPipelinePage *self,
             gboolean         loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
load_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  CrmPipelinePage *self = CRM_PIPELINE_PAGE (source);
  LoadData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gint64 total = 0;

  /* Cancelled: the page went away, or a newer load replaced this one. */
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_message ("Could not refresh the pipeline: %s", error->message);
      set_loading (self, FALSE);
      return;
    }

  for (guint i = 0; i < data->stages->len; i++)
    {
      StageRows *stage = &g_array_index (data->stages, StageRows, i);
      CrmPipelineColumn *column = find_column (self, stage->stage);

      column_apply (column, stage->count, stage->rows);
      total += stage->count;
    }

  gtk_stack_set_visible_child_name (self->stack, total > 0 ? "board" : "empty");
  set_loading (self, FALSE);
}

/* Counting a stage reads every investor in it, which at a million rows is no longer
 * instant: the lanes are read in a thread, and the board shows what it had meanwhile
 * (no spinner: it would flash for the usual few milliseconds, and its endless animation
 * keeps the frame clock busy). */
void
crm_pipeline_page_reload (CrmPipelinePage *self)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  g_return_if_fail (CRM_IS_PIPELINE_PAGE (self));

  if (self->replica == NULL)
    return;

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();

  data = g_new0 (LoadData, 1);
  data->replica = g_object_ref (self->replica);
  data->stages = g_array_new (FALSE, TRUE, sizeof (StageRows));
  g_array_set_clear_func (data->stages, stage_rows_clear);
  for (guint i = 0; i < self->columns->len; i++)
    {
      StageRows stage = { ((CrmPipelineColumn *) g_ptr_array_index (self->columns, i))->stage, 0, NULL };

      g_array_append_val (data->stages, stage);
    }

  task = g_task_new (self, self->load_cancellable, load_done_cb, NULL);
  g_task_set_source_tag (task, crm_pipeline_page_reload);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  set_loading (self, TRUE);
  g_task_run_in_thread (task, load_thread);
}

/* ---- Moving a card ---------------------------------------------------------- */

typedef struct
{
  CrmPipelinePage *page;
  char            *id;
  char            *stage;
} UndoData;

static void
undo_data_free (gpointer data,
                GClosure *closure)
{
  UndoData *undo = data;

  g_clear_weak_pointer (&undo->page);
  g_free (undo->id);
  g_free (undo->stage);
  g_free (undo);
}

static void
undo_clicked_cb (AdwToast *toast,
                 UndoData *undo)
{
  g_autoptr(GError) error = NULL;

  if (undo->page == NULL)
    return;

  if (!crm_pipeline_page_move (undo->page, undo->id, undo->stage, FALSE, &error))
    crm_pipeline_page_add_toast (undo->page, adw_toast_new (error->message));
}

static void
offer_undo (CrmPipelinePage *self,
            const char      *id,
            const char      *name,
            const char      *from,
            const char      *to)
{
  UndoData *undo = g_new0 (UndoData, 1);
  /* TRANSLATORS: after a card was moved, e.g. "“Amundi” moved to Négociation" */
  g_autofree char *title = g_strdup_printf (_("“%s” moved to %s"), name,
                                            crm_enum_label (crm_pipeline_stages, to));
  AdwToast *toast = adw_toast_new (title);

  g_set_weak_pointer (&undo->page, self);
  undo->id = g_strdup (id);
  undo->stage = g_strdup (from);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (undo_clicked_cb), undo,
                         undo_data_free, 0);
  crm_pipeline_page_add_toast (self, toast);
}

gboolean
crm_pipeline_page_move (CrmPipelinePage *self,
                        const char      *id,
                        const char      *stage,
                        gboolean         undoable,
                        GError         **error)
{
  g_autoptr(CrmRecord) current = NULL;
  g_autoptr(CrmRecord) changes = NULL;
  g_autoptr(CrmRecord) updated = NULL;
  g_autofree char *from = NULL;
  CrmPipelineColumn *from_column;
  CrmPipelineColumn *to_column;

  current = crm_replica_get (self->replica, CRM_ENTITY_ORGANISATION, id, error);
  if (current == NULL)
    return FALSE;
  from = g_strdup (crm_record_get_string (current, "pipeline_stage"));
  if (g_strcmp0 (from, stage) == 0)
    return TRUE;

  /* The one write path: validated, recorded in the field history, queued for sync. */
  changes = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);
  crm_record_set_string (changes, "pipeline_stage", stage);
  updated = crm_replica_update (self->replica, CRM_ENTITY_ORGANISATION, id, changes, error);
  if (updated == NULL)
    return FALSE;

  from_column = find_column (self, from);
  to_column = find_column (self, stage);
  if (from_column != NULL)
    column_take_out (from_column, current);
  if (to_column != NULL && g_strcmp0 (crm_record_get_string (updated, "type"), "investor") == 0)
    column_put_in (to_column, updated);
  crm_pipeline_page_reload (self);

  if (undoable)
    offer_undo (self, id, crm_record_get_string (updated, "name"), from, stage);

  return TRUE;
}

static void
move_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CrmPipelinePage *self = CRM_PIPELINE_PAGE (widget);
  g_autoptr(GError) error = NULL;
  const char *id;
  const char *stage;

  g_variant_get (parameter, "(&s&s)", &id, &stage);
  if (!crm_enum_contains (crm_pipeline_stages, stage))
    return;

  if (!crm_pipeline_page_move (self, id, stage, TRUE, &error))
    crm_pipeline_page_add_toast (self, adw_toast_new (error->message));
}

void
crm_pipeline_page_open_card (CrmPipelinePage *self,
                             const char      *id)
{
  g_signal_emit (self, signals[OPEN_RECORD], 0, CRM_ENTITY_ORGANISATION, id);
}

/* ---- GObject ---------------------------------------------------------------- */

static void
crm_pipeline_page_constructed (GObject *object)
{
  CrmPipelinePage *self = CRM_PIPELINE_PAGE (object);

  G_OBJECT_CLASS (crm_pipeline_page_parent_class)->constructed (object);

  crm_pipeline_page_reload (self);
}

static void
crm_pipeline_page_dispose (GObject *object)
{
  CrmPipelinePage *self = CRM_PIPELINE_PAGE (object);

  /* Running reads hold the page; cancelled, their results are dropped unread. */
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  for (guint i = 0; self->columns != NULL && i < self->columns->len; i++)
    g_cancellable_cancel (((CrmPipelineColumn *) g_ptr_array_index (self->columns, i))->sum_cancellable);

  /* AdwBin unparents its child itself: hand it over first, or the template would
   * unparent it behind AdwBin's back. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_PIPELINE_PAGE);
  g_clear_object (&self->replica);

  G_OBJECT_CLASS (crm_pipeline_page_parent_class)->dispose (object);
}

static void
crm_pipeline_page_finalize (GObject *object)
{
  CrmPipelinePage *self = CRM_PIPELINE_PAGE (object);

  g_clear_pointer (&self->columns, g_ptr_array_unref);

  G_OBJECT_CLASS (crm_pipeline_page_parent_class)->finalize (object);
}

static void
crm_pipeline_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CrmPipelinePage *self = CRM_PIPELINE_PAGE (object);

  switch (prop_id)
    {
    case PROP_REPLICA:
      g_value_set_object (value, self->replica);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_CAN_MOVE:
      g_value_set_boolean (value, self->can_move);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_pipeline_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CrmPipelinePage *self = CRM_PIPELINE_PAGE (object);

  switch (prop_id)
    {
    case PROP_REPLICA:
      self->replica = g_value_dup_object (value);
      break;
    case PROP_CAN_MOVE:
      crm_pipeline_page_set_can_move (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_pipeline_page_class_init (CrmPipelinePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = crm_pipeline_page_constructed;
  object_class->dispose = crm_pipeline_page_dispose;
  object_class->finalize = crm_pipeline_page_finalize;
  object_class->get_property = crm_pipeline_page_get_property;
  object_class->set_property = crm_pipeline_page_set_property;

  properties[PROP_REPLICA] =
    g_param_spec_object ("replica", NULL, NULL,
                         CRM_TYPE_REPLICA,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* TRUE while the lanes are being read; the window may show a spinner. */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* FALSE for a role that may not change organisations: no drag, no "Move To" menu. */
  properties[PROP_CAN_MOVE] =
    g_param_spec_boolean ("can-move", NULL, NULL,
                          TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CrmPipelinePage::open-record:
   * @kind: CRM_ENTITY_ORGANISATION
   * @id: the organisation's id
   *
   * The user activated a card.
   */
  signals[OPEN_RECORD] =
    g_signal_new ("open-record",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_STRING);

  /* (organisation id, stage): what the cards' "Move To" menus activate. */
  gtk_widget_class_install_action (widget_class, "pipeline.move", "(ss)", move_action_cb);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/alforis/Crm/ui/crm-pipeline-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmPipelinePage, stack);
  gtk_widget_class_bind_template_child (widget_class, CrmPipelinePage, columns_box);
}

static void
crm_pipeline_page_init (CrmPipelinePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->can_move = TRUE;

  /* The board, with "…" for its figures, until the first read says it is empty. */
  gtk_stack_set_visible_child_name (self->stack, "board");
  self->columns = g_ptr_array_new_with_free_func (crm_pipeline_column_free);
  for (guint i = 0; crm_pipeline_stages[i].wire != NULL; i++)
    {
      CrmPipelineColumn *column = crm_pipeline_column_new (self, crm_pipeline_stages[i].wire);

      g_ptr_array_add (self->columns, column);
      gtk_box_append (self->columns_box, column->widget);
    }
}

GtkWidget *
crm_pipeline_page_new (CrmReplica *replica)
{
  g_return_val_if_fail (CRM_IS_REPLICA (replica), NULL);

  return g_object_new (CRM_TYPE_PIPELINE_PAGE,
                       "replica", replica,
                       NULL);
}

void
crm_pipeline_page_set_can_move (CrmPipelinePage *self,
                                gboolean         can_move)
{
  g_return_if_fail (CRM_IS_PIPELINE_PAGE (self));

  can_move = !!can_move;
  if (self->can_move == can_move)
    return;
  self->can_move = can_move;
  /* The cards' menus are bound to the property; Shift+F10 and the drop go through here. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pipeline.move", can_move);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_MOVE]);
}

gboolean
crm_pipeline_page_get_can_move (CrmPipelinePage *self)
{
  g_return_val_if_fail (CRM_IS_PIPELINE_PAGE (self), FALSE);
  return self->can_move;
}

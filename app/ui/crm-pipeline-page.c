/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-pipeline-page"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-format.h"
#include "crm-pipeline-page.h"

/* Cards per column, biggest assets first: a stage with 20,000 investors must not load
 * 20,000 rows; the header still counts and totals all of them. */
#define MAX_CARDS 200
/* Rows per read when totalling a stage too big to load: the replica's lock is released
 * between pages, so the UI thread never waits long behind the scan. */
#define SUM_PAGE  1000

typedef struct
{
  CrmPipelinePage *page;           /* unowned: the page owns its columns */
  const char      *stage;          /* wire value; static */
  GtkWidget       *widget;
  GtkLabel        *count_label;
  GtkLabel        *total_label;
  GtkLabel        *more_label;
  GtkWidget       *scroller;
  GtkWidget       *empty_label;
  GtkStringList   *ids;            /* ids of the cards shown, in order */
  GHashTable      *cards;          /* id -> CrmRecord */
  gint64           count;
  double           total;
  gboolean         total_known;
  GCancellable    *sum_cancellable;
} Column;

struct _CrmPipelinePage
{
  AdwBin      parent_instance;

  CrmReplica *replica;
  GPtrArray  *columns;             /* Column*, in stage order */

  /* Template children */
  GtkStack   *stack;
  GtkBox     *columns_box;
};

G_DEFINE_FINAL_TYPE (CrmPipelinePage, crm_pipeline_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_REPLICA,
  N_PROPS
};

enum {
  OPEN_RECORD,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
column_free (gpointer data)
{
  Column *column = data;

  g_cancellable_cancel (column->sum_cancellable);
  g_clear_object (&column->sum_cancellable);
  g_clear_object (&column->ids);
  g_clear_pointer (&column->cards, g_hash_table_unref);
  g_free (column);
}

static Column *
find_column (CrmPipelinePage *self,
             const char      *stage)
{
  for (guint i = 0; i < self->columns->len; i++)
    {
      Column *column = g_ptr_array_index (self->columns, i);

      if (g_strcmp0 (column->stage, stage) == 0)
        return column;
    }
  return NULL;
}

static void
add_toast (CrmPipelinePage *self,
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
column_show_total (Column *column)
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
  Column *column = user_data;
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
column_start_sum (Column *column)
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

static gboolean
column_load (Column  *column,
             GError **error)
{
  CrmPipelinePage *self = column->page;
  g_autoptr(CrmReplicaQuery) query = stage_query (column->stage);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autofree char *count_text = NULL;
  g_autofree char *accessible = NULL;
  gint64 count;

  crm_replica_query_sort (query, "aum_eur", TRUE);
  crm_replica_query_set_limit (query, MAX_CARDS);
  count = crm_replica_count (self->replica, query, error);
  if (count < 0)
    return FALSE;
  rows = crm_replica_list (self->replica, query, NULL, error);
  if (rows == NULL)
    return FALSE;

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
  column_show_total (column);

  count_text = g_strdup_printf ("%" G_GINT64_FORMAT, count);
  gtk_label_set_label (column->count_label, count_text);
  /* TRANSLATORS: how a screen reader names a pipeline column, e.g. "Prospect, 12 organisations" */
  accessible = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %d organisation", "%s, %d organisations",
                                             (gulong) count),
                                crm_enum_label (crm_pipeline_stages, column->stage), (int) count);
  gtk_accessible_update_property (GTK_ACCESSIBLE (column->widget),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);

  if (count > (gint64) rows->len)
    {
      gint64 more = count - rows->len;
      /* TRANSLATORS: below the cards of a column that shows only the biggest ones */
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "and %d more", "and %d more",
                                                            (gulong) more),
                                               (int) more);

      gtk_label_set_label (column->more_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (column->more_label), count > (gint64) rows->len);
  gtk_widget_set_visible (column->scroller, rows->len > 0);
  gtk_widget_set_visible (column->empty_label, rows->len == 0);

  return TRUE;
}

static gboolean
crm_pipeline_page_load (CrmPipelinePage *self,
                        GError         **error)
{
  gint64 total = 0;

  for (guint i = 0; i < self->columns->len; i++)
    {
      Column *column = g_ptr_array_index (self->columns, i);

      if (!column_load (column, error))
        return FALSE;
      total += column->count;
    }

  gtk_stack_set_visible_child_name (self->stack, total > 0 ? "board" : "empty");

  return TRUE;
}

void
crm_pipeline_page_reload (CrmPipelinePage *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CRM_IS_PIPELINE_PAGE (self));

  if (self->replica != NULL && !crm_pipeline_page_load (self, &error))
    g_message ("Could not refresh the pipeline: %s", error->message);
}

/* ---- Moving a card ---------------------------------------------------------- */

static gboolean crm_pipeline_page_move (CrmPipelinePage *self,
                                        const char      *id,
                                        const char      *stage,
                                        gboolean         offer_undo,
                                        GError         **error);

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
    add_toast (undo->page, adw_toast_new (error->message));
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
  add_toast (self, toast);
}

static gboolean
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
  Column *from_column;
  Column *to_column;

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
  if (from_column != NULL && !column_load (from_column, error))
    return FALSE;
  if (to_column != NULL && !column_load (to_column, error))
    return FALSE;

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
    add_toast (self, adw_toast_new (error->message));
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         Column        *column)
{
  g_autoptr(GError) error = NULL;
  const char *id = g_value_get_string (value);
  CrmRecord *card;

  if (id == NULL)
    return FALSE;
  /* Dropped where it already is: nothing to write, and the drag reports failure so the
   * card is seen to go back. */
  card = g_hash_table_lookup (column->cards, id);
  if (card != NULL)
    return FALSE;

  if (!crm_pipeline_page_move (column->page, id, column->stage, TRUE, &error))
    {
      add_toast (column->page, adw_toast_new (error->message));
      return FALSE;
    }
  return TRUE;
}

/* ---- Cards ------------------------------------------------------------------ */

static GdkContentProvider *
drag_prepare_cb (GtkDragSource *source,
                 double         x,
                 double         y,
                 GtkWidget     *card)
{
  const char *id = g_object_get_data (G_OBJECT (card), "crm-id");

  if (id == NULL)
    return NULL;
  return gdk_content_provider_new_typed (G_TYPE_STRING, id);
}

static void
drag_begin_cb (GtkDragSource *source,
               GdkDrag       *drag,
               GtkWidget     *card)
{
  g_autoptr(GdkPaintable) icon = gtk_widget_paintable_new (card);

  gtk_drag_source_set_icon (source, icon, 0, 0);
}

static void
setup_card_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               Column                   *column)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *city = gtk_label_new (NULL);
  GtkWidget *aum = gtk_label_new (NULL);
  GtkWidget *menu = gtk_menu_button_new ();
  GtkDragSource *drag = gtk_drag_source_new ();

  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "pipeline-card");

  gtk_widget_set_hexpand (text, TRUE);
  gtk_widget_set_margin_top (text, 9);
  gtk_widget_set_margin_bottom (text, 9);
  gtk_widget_set_margin_start (text, 12);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (name, "heading");
  gtk_label_set_xalign (GTK_LABEL (city), 0);
  gtk_label_set_ellipsize (GTK_LABEL (city), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (city, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (aum), 0);
  gtk_widget_add_css_class (aum, "numeric");
  gtk_box_append (GTK_BOX (text), name);
  gtk_box_append (GTK_BOX (text), city);
  gtk_box_append (GTK_BOX (text), aum);
  gtk_box_append (GTK_BOX (card), text);

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu), "view-more-symbolic");
  gtk_widget_set_tooltip_text (menu, _("Move To…"));
  gtk_widget_set_valign (menu, GTK_ALIGN_START);
  gtk_widget_set_margin_top (menu, 6);
  gtk_widget_set_margin_end (menu, 6);
  gtk_widget_add_css_class (menu, "flat");
  gtk_box_append (GTK_BOX (card), menu);

  gtk_drag_source_set_actions (drag, GDK_ACTION_MOVE);
  g_signal_connect (drag, "prepare", G_CALLBACK (drag_prepare_cb), card);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), card);
  gtk_widget_add_controller (card, GTK_EVENT_CONTROLLER (drag));

  g_object_set_data (G_OBJECT (card), "crm-name", name);
  g_object_set_data (G_OBJECT (card), "crm-city", city);
  g_object_set_data (G_OBJECT (card), "crm-aum", aum);
  g_object_set_data (G_OBJECT (card), "crm-menu", menu);
  gtk_list_item_set_child (item, card);
}

static GMenuModel *
move_menu_new (const char *id,
               const char *current)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) section = g_menu_new ();

  for (guint i = 0; crm_pipeline_stages[i].wire != NULL; i++)
    {
      g_autoptr(GMenuItem) item = NULL;

      if (g_strcmp0 (crm_pipeline_stages[i].wire, current) == 0)
        continue;
      item = g_menu_item_new (crm_pipeline_stages[i].label, NULL);
      g_menu_item_set_action_and_target_value (item, "pipeline.move",
                                               g_variant_new ("(ss)", id, crm_pipeline_stages[i].wire));
      g_menu_append_item (section, item);
    }
  g_menu_append_section (menu, _("Move To"), G_MENU_MODEL (section));

  return G_MENU_MODEL (g_steal_pointer (&menu));
}

static void
bind_card_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              Column                   *column)
{
  GtkWidget *card = gtk_list_item_get_child (item);
  const char *id = gtk_string_object_get_string (gtk_list_item_get_item (item));
  CrmRecord *org = g_hash_table_lookup (column->cards, id);
  const char *name = org != NULL ? crm_record_get_string (org, "name") : NULL;
  const char *city = org != NULL ? crm_record_get_string (org, "city") : NULL;
  g_autofree char *aum = NULL;
  g_autofree char *menu_label = NULL;
  g_autofree char *accessible = NULL;
  g_autoptr(GMenuModel) menu = NULL;

  if (org != NULL && !crm_record_is_null (org, "aum_eur"))
    aum = crm_format_amount_short (crm_record_get_double (org, "aum_eur"));

  gtk_label_set_label (g_object_get_data (G_OBJECT (card), "crm-name"), name);
  gtk_label_set_label (g_object_get_data (G_OBJECT (card), "crm-city"), city != NULL ? city : "");
  gtk_widget_set_visible (g_object_get_data (G_OBJECT (card), "crm-city"), city != NULL);
  gtk_label_set_label (g_object_get_data (G_OBJECT (card), "crm-aum"), aum != NULL ? aum : "");
  gtk_widget_set_visible (g_object_get_data (G_OBJECT (card), "crm-aum"), aum != NULL);
  g_object_set_data_full (G_OBJECT (card), "crm-id", g_strdup (id), g_free);

  menu = move_menu_new (id, column->stage);
  gtk_menu_button_set_menu_model (g_object_get_data (G_OBJECT (card), "crm-menu"), menu);
  /* TRANSLATORS: the label of a card's menu button for screen readers */
  menu_label = g_strdup_printf (_("Move “%s” to another stage"), name != NULL ? name : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (g_object_get_data (G_OBJECT (card), "crm-menu")),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, menu_label,
                                  -1);
  /* TRANSLATORS: how a screen reader reads a card: name, city, assets */
  accessible = g_strdup_printf (_("%s, %s, %s"), name != NULL ? name : "", city != NULL ? city : "",
                                aum != NULL ? aum : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (card), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
}

static void
unbind_card_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                Column                   *column)
{
  GtkWidget *card = gtk_list_item_get_child (item);

  g_object_set_data (G_OBJECT (card), "crm-id", NULL);
  gtk_menu_button_set_menu_model (g_object_get_data (G_OBJECT (card), "crm-menu"), NULL);
}

static void
card_activated_cb (GtkListView *view,
                   guint        position,
                   Column      *column)
{
  const char *id = gtk_string_list_get_string (column->ids, position);

  if (id != NULL)
    g_signal_emit (column->page, signals[OPEN_RECORD], 0, CRM_ENTITY_ORGANISATION, id);
}

/* Shift+F10 or the Menu key on a focused card opens its "Move To" menu: the keyboard way
 * to do what a drag does. */
static gboolean
card_menu_key_cb (GtkEventControllerKey *controller,
                  guint                  keyval,
                  guint                  keycode,
                  GdkModifierType        state,
                  Column                *column)
{
  GtkWidget *view = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  GtkRoot *root = gtk_widget_get_root (view);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (!(keyval == GDK_KEY_Menu || (keyval == GDK_KEY_F10 && (state & GDK_SHIFT_MASK))))
    return FALSE;

  for (GtkWidget *w = focus; w != NULL && w != view; w = gtk_widget_get_parent (w))
    {
      GtkWidget *child = gtk_widget_get_first_child (w);
      GtkWidget *menu = g_object_get_data (G_OBJECT (w), "crm-menu");

      /* The focus is the list row, whose child is the card, or a widget inside the card. */
      if (menu == NULL && child != NULL)
        menu = g_object_get_data (G_OBJECT (child), "crm-menu");
      if (menu != NULL)
        {
          gtk_menu_button_popup (GTK_MENU_BUTTON (menu));
          return TRUE;
        }
    }
  return FALSE;
}

static Column *
column_new (CrmPipelinePage *self,
            const char      *stage)
{
  Column *column = g_new0 (Column, 1);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *title = gtk_label_new (crm_enum_label (crm_pipeline_stages, stage));
  GtkWidget *view;
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_MOVE);
  GtkEventController *keys = gtk_event_controller_key_new ();

  column->page = self;
  column->stage = stage;
  column->ids = gtk_string_list_new (NULL);
  column->cards = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) crm_record_unref);

  column->widget = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_name (column->widget, stage);
  gtk_widget_set_size_request (column->widget, 260, -1);
  gtk_widget_set_hexpand (column->widget, TRUE);
  gtk_widget_add_css_class (column->widget, "pipeline-column");
  gtk_accessible_update_property (GTK_ACCESSIBLE (column->widget),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  crm_enum_label (crm_pipeline_stages, stage),
                                  -1);

  gtk_widget_set_margin_top (header, 12);
  /* Aligned with the text of the cards below (row padding + card padding). */
  gtk_widget_set_margin_start (header, 20);
  gtk_widget_set_margin_end (header, 20);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_widget_add_css_class (title, "heading");
  gtk_box_append (GTK_BOX (header), title);
  column->count_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (column->count_label), "count");
  gtk_widget_add_css_class (GTK_WIDGET (column->count_label), "numeric");
  gtk_widget_add_css_class (GTK_WIDGET (column->count_label), "dim-label");
  gtk_box_append (GTK_BOX (header), GTK_WIDGET (column->count_label));
  gtk_box_append (GTK_BOX (column->widget), header);

  column->total_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (column->total_label), "total");
  gtk_label_set_xalign (column->total_label, 0);
  gtk_widget_set_margin_start (GTK_WIDGET (column->total_label), 20);
  gtk_widget_set_margin_end (GTK_WIDGET (column->total_label), 20);
  gtk_widget_set_margin_bottom (GTK_WIDGET (column->total_label), 6);
  gtk_widget_add_css_class (GTK_WIDGET (column->total_label), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (column->total_label), "numeric");
  gtk_box_append (GTK_BOX (column->widget), GTK_WIDGET (column->total_label));

  g_signal_connect (factory, "setup", G_CALLBACK (setup_card_cb), column);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_card_cb), column);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_card_cb), column);
  view = gtk_list_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (g_object_ref (column->ids)))),
                            factory);
  gtk_widget_add_css_class (view, "pipeline-cards");
  gtk_accessible_update_property (GTK_ACCESSIBLE (view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  crm_enum_label (crm_pipeline_stages, stage),
                                  -1);
  g_signal_connect (view, "activate", G_CALLBACK (card_activated_cb), column);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (card_menu_key_cb), column);
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  gtk_widget_add_controller (view, keys);

  column->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (column->scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (column->scroller), view);
  gtk_widget_set_vexpand (column->scroller, TRUE);
  gtk_box_append (GTK_BOX (column->widget), column->scroller);

  column->empty_label = gtk_label_new (_("No organisation at this stage"));
  gtk_label_set_wrap (GTK_LABEL (column->empty_label), TRUE);
  gtk_widget_set_vexpand (column->empty_label, TRUE);
  gtk_widget_set_valign (column->empty_label, GTK_ALIGN_START);
  gtk_widget_set_margin_top (column->empty_label, 24);
  gtk_widget_add_css_class (column->empty_label, "dim-label");
  gtk_box_append (GTK_BOX (column->widget), column->empty_label);

  column->more_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (column->more_label), "more");
  gtk_widget_set_margin_top (GTK_WIDGET (column->more_label), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (column->more_label), 12);
  gtk_widget_add_css_class (GTK_WIDGET (column->more_label), "dim-label");
  gtk_widget_set_visible (GTK_WIDGET (column->more_label), FALSE);
  gtk_box_append (GTK_BOX (column->widget), GTK_WIDGET (column->more_label));

  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), column);
  gtk_widget_add_controller (column->widget, GTK_EVENT_CONTROLLER (drop));

  return column;
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

  /* Running scans hold the page; cancelled, their results are dropped unread. */
  for (guint i = 0; self->columns != NULL && i < self->columns->len; i++)
    g_cancellable_cancel (((Column *) g_ptr_array_index (self->columns, i))->sum_cancellable);

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

  self->columns = g_ptr_array_new_with_free_func (column_free);
  for (guint i = 0; crm_pipeline_stages[i].wire != NULL; i++)
    {
      Column *column = column_new (self, crm_pipeline_stages[i].wire);

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

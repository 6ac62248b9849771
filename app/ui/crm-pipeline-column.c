/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-pipeline-page"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-format.h"
#include "crm-pipeline-page-private.h"

/* One lane of the board: its header, its cards (a recycling list view, so a lane of 200
 * cards builds widgets only for the ones on screen), the drop target that takes a card
 * dragged from another lane, and the keyboard's way to the same move. */

void
crm_pipeline_column_free (gpointer data)
{
  CrmPipelineColumn *column = data;

  g_cancellable_cancel (column->sum_cancellable);
  g_clear_object (&column->sum_cancellable);
  g_clear_object (&column->ids);
  g_clear_pointer (&column->cards, g_hash_table_unref);
  g_free (column);
}

static gboolean
drop_cb (GtkDropTarget     *target,
         const GValue      *value,
         double             x,
         double             y,
         CrmPipelineColumn *column)
{
  g_autoptr(GError) error = NULL;
  const char *id = g_value_get_string (value);
  CrmRecord *card;

  if (id == NULL || !crm_pipeline_page_get_can_move (column->page))
    return FALSE;
  /* Dropped where it already is: nothing to write, and the drag reports failure so the
   * card is seen to go back. */
  card = g_hash_table_lookup (column->cards, id);
  if (card != NULL)
    return FALSE;

  if (!crm_pipeline_page_move (column->page, id, column->stage, TRUE, &error))
    {
      crm_pipeline_page_add_toast (column->page, adw_toast_new (error->message));
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
  GtkWidget *page = gtk_widget_get_ancestor (card, CRM_TYPE_PIPELINE_PAGE);

  /* No content, no drag: a role that may not move cards only opens them. */
  if (id == NULL || page == NULL || !crm_pipeline_page_get_can_move (CRM_PIPELINE_PAGE (page)))
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
               CrmPipelineColumn        *column)
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
  g_object_bind_property (column->page, "can-move", menu, "visible", G_BINDING_SYNC_CREATE);

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
              CrmPipelineColumn        *column)
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
                CrmPipelineColumn        *column)
{
  GtkWidget *card = gtk_list_item_get_child (item);

  g_object_set_data (G_OBJECT (card), "crm-id", NULL);
  gtk_menu_button_set_menu_model (g_object_get_data (G_OBJECT (card), "crm-menu"), NULL);
}

static void
card_activated_cb (GtkListView       *view,
                   guint              position,
                   CrmPipelineColumn *column)
{
  const char *id = gtk_string_list_get_string (column->ids, position);

  if (id != NULL)
    crm_pipeline_page_open_card (column->page, id);
}

/* Shift+F10 or the Menu key on a focused card opens its "Move To" menu: the keyboard way
 * to do what a drag does. */
static gboolean
card_menu_key_cb (GtkEventControllerKey *controller,
                  guint                  keyval,
                  guint                  keycode,
                  GdkModifierType        state,
                  CrmPipelineColumn     *column)
{
  GtkWidget *view = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  GtkRoot *root = gtk_widget_get_root (view);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (!(keyval == GDK_KEY_Menu || (keyval == GDK_KEY_F10 && (state & GDK_SHIFT_MASK))))
    return FALSE;
  if (!crm_pipeline_page_get_can_move (column->page))
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

CrmPipelineColumn *
crm_pipeline_column_new (CrmPipelinePage *self,
            const char      *stage)
{
  CrmPipelineColumn *column = g_new0 (CrmPipelineColumn, 1);
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
  /* "…" until the first read of the lane comes back. */
  column->count_label = GTK_LABEL (gtk_label_new ("…"));
  gtk_widget_set_name (GTK_WIDGET (column->count_label), "count");
  gtk_widget_add_css_class (GTK_WIDGET (column->count_label), "numeric");
  gtk_widget_add_css_class (GTK_WIDGET (column->count_label), "dim-label");
  gtk_box_append (GTK_BOX (header), GTK_WIDGET (column->count_label));
  gtk_box_append (GTK_BOX (column->widget), header);

  column->total_label = GTK_LABEL (gtk_label_new ("…"));
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

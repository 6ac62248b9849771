/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-record-chooser"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-record-chooser.h"
#include "crm-record-text.h"

#define MAX_RESULTS 8

struct _CrmRecordChooser
{
  GtkWidget      parent_instance;

  CrmReplica    *replica;
  CrmEntityKind  kind;
  GtkWidget     *button;
  GtkWidget     *popover_box;
  GtkWidget     *search_entry;
  GtkWidget     *results;
};

G_DEFINE_FINAL_TYPE (CrmRecordChooser, crm_record_chooser, GTK_TYPE_WIDGET)

enum {
  CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* A second line that tells two namesakes apart. */
static char *
record_subtitle (CrmRecord *record)
{
  switch ((int) crm_record_get_entity (record)->kind)
    {
    case CRM_ENTITY_ORGANISATION:
      return crm_record_dup_display (record, "city");
    case CRM_ENTITY_PERSON:
      return crm_record_dup_display (record, "job_title");
    case CRM_ENTITY_MANDAT:
      return crm_record_dup_display (record, "status");
    default:
      return NULL;
    }
}

static void
add_result (CrmRecordChooser *self,
            CrmRecord        *record)
{
  g_autofree char *title = crm_record_dup_title (record);
  g_autofree char *subtitle = record_subtitle (record);
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "crm-id",
                          g_strdup (crm_record_get_string (record, "id")), g_free);
  gtk_list_box_append (GTK_LIST_BOX (self->results), row);
}

static void
refresh (CrmRecordChooser *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autoptr(CrmReplicaQuery) query = crm_replica_query_new (self->kind);
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  if (self->replica == NULL)
    return;
  while ((child = gtk_widget_get_first_child (self->results)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->results), child);

  crm_replica_query_set_limit (query, MAX_RESULTS);
  if (*text == '\0')
    {
      g_autoptr(GPtrArray) rows = crm_replica_list (self->replica, query, NULL, &error);

      for (guint i = 0; rows != NULL && i < rows->len; i++)
        add_result (self, rows->pdata[i]);
    }
  else
    {
      g_autoptr(GPtrArray) groups = crm_replica_search (self->replica, text, query, MAX_RESULTS, &error);

      for (guint i = 0; groups != NULL && i < groups->len; i++)
        {
          CrmSearchGroup *group = groups->pdata[i];

          for (guint j = 0; j < group->hits->len; j++)
            add_result (self, ((CrmSearchHit *) group->hits->pdata[j])->record);
        }
    }

  if (error != NULL)
    g_message ("Chooser search failed: %s", error->message);

  gtk_list_box_select_row (GTK_LIST_BOX (self->results),
                           gtk_list_box_get_row_at_index (GTK_LIST_BOX (self->results), 0));
}

static void
choose_row (CrmRecordChooser *self,
            GtkListBoxRow    *row)
{
  const char *id;

  if (row == NULL)
    return;
  id = g_object_get_data (G_OBJECT (row), "crm-id");
  gtk_menu_button_popdown (GTK_MENU_BUTTON (self->button));
  g_signal_emit (self, signals[CHOSEN], 0, id);
}

static void
on_row_activated (GtkListBox       *box,
                  GtkListBoxRow    *row,
                  CrmRecordChooser *self)
{
  choose_row (self, row);
}

static void
on_entry_activate (CrmRecordChooser *self)
{
  choose_row (self, gtk_list_box_get_selected_row (GTK_LIST_BOX (self->results)));
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                CrmRecordChooser      *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (GTK_LIST_BOX (self->results));
  int index = row != NULL ? gtk_list_box_row_get_index (row) : -1;
  GtkListBoxRow *next;

  if (keyval != GDK_KEY_Down && keyval != GDK_KEY_Up)
    return FALSE;

  next = gtk_list_box_get_row_at_index (GTK_LIST_BOX (self->results),
                                        keyval == GDK_KEY_Down ? index + 1 : MAX (index - 1, 0));
  if (next != NULL)
    gtk_list_box_select_row (GTK_LIST_BOX (self->results), next);
  return TRUE;
}

static void
on_popover_shown (CrmRecordChooser *self)
{
  refresh (self);
  gtk_widget_grab_focus (self->search_entry);
}

static void
crm_record_chooser_dispose (GObject *object)
{
  CrmRecordChooser *self = CRM_RECORD_CHOOSER (object);

  /* A pick often rebuilds the page holding this chooser: the entry's delayed
   * search-changed must not reach a chooser that is gone. */
  if (self->search_entry != NULL)
    g_signal_handlers_disconnect_by_data (self->search_entry, self);
  if (self->button != NULL)
    gtk_menu_button_popdown (GTK_MENU_BUTTON (self->button));
  self->search_entry = NULL;
  self->results = NULL;
  g_clear_pointer (&self->button, gtk_widget_unparent);
  g_clear_object (&self->replica);

  G_OBJECT_CLASS (crm_record_chooser_parent_class)->dispose (object);
}

static void
crm_record_chooser_class_init (CrmRecordChooserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_record_chooser_dispose;

  signals[CHOSEN] = g_signal_new ("chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
crm_record_chooser_init (CrmRecordChooser *self)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();

  self->button = gtk_menu_button_new ();
  gtk_widget_set_parent (self->button, GTK_WIDGET (self));
  gtk_widget_set_valign (self->button, GTK_ALIGN_CENTER);

  self->popover_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  self->search_entry = gtk_search_entry_new ();
  gtk_search_entry_set_search_delay (GTK_SEARCH_ENTRY (self->search_entry), 100);
  gtk_box_append (GTK_BOX (self->popover_box), self->search_entry);

  self->results = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->results), GTK_SELECTION_BROWSE);
  gtk_widget_add_css_class (self->results, "boxed-list");
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), self->results);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 360);
  gtk_widget_set_size_request (scrolled, 300, -1);
  gtk_box_append (GTK_BOX (self->popover_box), scrolled);
  gtk_popover_set_child (GTK_POPOVER (popover), self->popover_box);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->button), popover);

  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (refresh), self);
  g_signal_connect_swapped (self->search_entry, "activate", G_CALLBACK (on_entry_activate), self);
  g_signal_connect (self->results, "row-activated", G_CALLBACK (on_row_activated), self);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (self->search_entry, keys);
  g_signal_connect_swapped (popover, "show", G_CALLBACK (on_popover_shown), self);
}

GtkWidget *
crm_record_chooser_new (CrmReplica    *replica,
                        CrmEntityKind  kind,
                        const char    *label)
{
  CrmRecordChooser *self = g_object_new (CRM_TYPE_RECORD_CHOOSER, NULL);

  self->replica = g_object_ref (replica);
  self->kind = kind;
  gtk_menu_button_set_label (GTK_MENU_BUTTON (self->button), label);
  gtk_menu_button_set_use_underline (GTK_MENU_BUTTON (self->button), TRUE);
  g_object_set (self->search_entry, "placeholder-text",
                kind == CRM_ENTITY_PERSON ? _("Find a person")
                : kind == CRM_ENTITY_MANDAT ? _("Find a mandate")
                : _("Find an organisation"),
                NULL);
  return GTK_WIDGET (self);
}

/* An extra entry above the search (the role of a new link, say). */
GtkEntry *
crm_record_chooser_add_entry (CrmRecordChooser *self,
                              const char       *placeholder)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), placeholder);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, placeholder, -1);
  gtk_box_prepend (GTK_BOX (self->popover_box), entry);
  return GTK_ENTRY (entry);
}

GtkEditable *
crm_record_chooser_get_search_entry (CrmRecordChooser *self)
{
  return GTK_EDITABLE (self->search_entry);
}

GtkListBox *
crm_record_chooser_get_results (CrmRecordChooser *self)
{
  return GTK_LIST_BOX (self->results);
}

void
crm_record_chooser_popup (CrmRecordChooser *self)
{
  gtk_menu_button_popup (GTK_MENU_BUTTON (self->button));
}

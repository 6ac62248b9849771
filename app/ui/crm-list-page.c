/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-list-page"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-filter-bar.h"
#include "crm-list-page.h"
#include "crm-record-text.h"

typedef struct
{
  const char *field;
  gboolean    expand;
  gboolean    numeric;
} ColumnSpec;

static const ColumnSpec organisation_columns[] = {
  { "name", TRUE }, { "type" }, { "category" }, { "pipeline_stage" }, { "city" },
  { "aum_eur", FALSE, TRUE }, { NULL }
};
static const ColumnSpec person_columns[] = {
  { "last_name" }, { "first_name" }, { "job_title", TRUE }, { "personal_email", TRUE },
  { "mobile" }, { NULL }
};
static const ColumnSpec mandat_columns[] = {
  { "number" }, { "organisation_id", TRUE }, { "status" }, { "start_date" }, { "end_date" },
  { NULL }
};
static const ColumnSpec interaction_columns[] = {
  { "occurred_at" }, { "type" }, { "subject", TRUE }, { "organisation_id", TRUE }, { NULL }
};
static const ColumnSpec task_columns[] = {
  { "title", TRUE }, { "due_at" }, { "priority" }, { "status" }, { "organisation_id", TRUE },
  { NULL }
};

/* A reference column shows the organisation's name, looked up once and remembered. */
#define MAX_CACHED_NAMES 5000

struct _CrmListPage
{
  GtkWidget           parent_instance;

  CrmReplica         *replica;
  CrmEntityKind       kind;
  CrmRecordListModel *model;
  GtkSingleSelection *selection;
  GHashTable         *names;       /* organisation id -> name */
  CrmFilterBar       *filter_bar;
  GtkColumnViewColumn *probe_hit;  /* see sort_probe() */
  gboolean            can_create;  /* FALSE for a role that may only read */

  /* Template children */
  GtkWidget          *box;
  GtkWidget          *new_button;
  GtkLabel           *count_label;
  GtkToggleButton    *filter_button;
  AdwButtonContent   *new_button_content;
  GtkRevealer        *filter_revealer;
  GtkBox             *filter_slot;
  GtkStack           *stack;
  GtkColumnView      *column_view;
  AdwStatusPage      *empty_page;
  GtkButton          *empty_button;
};

G_DEFINE_FINAL_TYPE (CrmListPage, crm_list_page, GTK_TYPE_WIDGET)

enum {
  OPEN_RECORD,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const ColumnSpec *
columns_for (CrmEntityKind kind)
{
  switch ((int) kind)
    {
    case CRM_ENTITY_ORGANISATION: return organisation_columns;
    case CRM_ENTITY_PERSON: return person_columns;
    case CRM_ENTITY_MANDAT: return mandat_columns;
    case CRM_ENTITY_INTERACTION: return interaction_columns;
    case CRM_ENTITY_TASK: return task_columns;
    default: g_return_val_if_reached (NULL);
    }
}

static char *
organisation_name (CrmListPage *self,
                   const char  *id)
{
  const char *cached;
  g_autoptr(CrmRecord) org = NULL;
  char *name;

  if (id == NULL)
    return NULL;
  cached = g_hash_table_lookup (self->names, id);
  if (cached != NULL)
    return g_strdup (cached);

  org = crm_replica_get (self->replica, CRM_ENTITY_ORGANISATION, id, NULL);
  if (org == NULL)
    return NULL;
  if (g_hash_table_size (self->names) >= MAX_CACHED_NAMES)
    g_hash_table_remove_all (self->names);
  name = crm_record_dup_title (org);
  g_hash_table_insert (self->names, g_strdup (id), g_strdup (name));
  return name;
}

static void
update_cell (CrmRecordItem *item,
             GParamSpec    *pspec,
             GtkLabel      *label)
{
  CrmListPage *self = g_object_get_data (G_OBJECT (label), "crm-list-page");
  const char *field = g_object_get_data (G_OBJECT (label), "crm-field");
  CrmRecord *record = crm_record_item_get_record (item);
  g_autofree char *text = NULL;

  if (record != NULL && g_str_equal (field, "organisation_id"))
    text = organisation_name (self, crm_record_get_string (record, field));
  else if (record != NULL)
    text = crm_record_dup_display (record, field);

  gtk_label_set_text (label, text != NULL ? text : "");
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            const ColumnSpec         *spec)
{
  CrmListPage *self = g_object_get_data (G_OBJECT (factory), "crm-list-page");
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), spec->numeric ? 1.0 : 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (spec->numeric)
    gtk_widget_add_css_class (label, "numeric");
  g_object_set_data (G_OBJECT (label), "crm-list-page", self);
  g_object_set_data (G_OBJECT (label), "crm-field", (gpointer) spec->field);
  gtk_list_item_set_child (list_item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  CrmRecordItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *label = gtk_list_item_get_child (list_item);

  /* A placeholder fills in when its page arrives: follow it. */
  update_cell (item, NULL, GTK_LABEL (label));
  g_signal_connect_object (item, "notify::record", G_CALLBACK (update_cell), label, 0);
}

static void
unbind_cell (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  CrmRecordItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *label = gtk_list_item_get_child (list_item);

  if (item != NULL)
    g_signal_handlers_disconnect_by_func (item, update_cell, label);
}

/*
 * GTK 4.8 cannot tell which column a column view sorts by (the getters came in 4.10),
 * yet the rows must be sorted by the replica, never in memory. So each column's sorter
 * is a probe: comparing two dummies through the view's sorter calls the primary
 * column's sorter first, which records itself and answers "larger"; the sign that
 * comes back says the direction.
 */
static int
sort_probe (gconstpointer a,
            gconstpointer b,
            gpointer      user_data)
{
  GtkColumnViewColumn *column = user_data;
  CrmListPage *self = g_object_get_data (G_OBJECT (column), "crm-list-page");

  if (self->probe_hit == NULL)
    self->probe_hit = column;
  return GTK_ORDERING_LARGER;
}

static void
update_count (CrmListPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  g_autofree char *number = crm_format_count (n);
  g_autofree char *text = NULL;

  switch ((int) self->kind)
    {
    case CRM_ENTITY_ORGANISATION:
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s organisation", "%s organisations", n), number);
      break;
    case CRM_ENTITY_PERSON:
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s person", "%s people", n), number);
      break;
    case CRM_ENTITY_MANDAT:
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s mandate", "%s mandates", n), number);
      break;
    case CRM_ENTITY_INTERACTION:
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s interaction", "%s interactions", n), number);
      break;
    case CRM_ENTITY_TASK:
    default:
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s task", "%s tasks", n), number);
      break;
    }
  gtk_label_set_text (self->count_label, text);
}

static void
update_empty_state (CrmListPage *self)
{
  gboolean filtered = crm_filter_bar_get_n_active (self->filter_bar) > 0;
  const char *title = NULL, *description = NULL, *button = NULL;

  if (g_list_model_get_n_items (G_LIST_MODEL (self->model)) > 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "list");
      return;
    }

  if (filtered)
    {
      title = _("No Results");
      description = _("Nothing matches these filters. Change them or clear them to see every row.");
      button = _("_Clear Filters");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->empty_button), NULL);
      adw_status_page_set_icon_name (self->empty_page, "edit-find-symbolic");
    }
  else
    {
      switch ((int) self->kind)
        {
        case CRM_ENTITY_ORGANISATION:
          title = _("No Organisations");
          description = _("Add the investors and fund providers you work with: press Ctrl+N.");
          button = _("_New Organisation");
          break;
        case CRM_ENTITY_PERSON:
          title = _("No People");
          description = _("Add the people you meet at your organisations: press Ctrl+N.");
          button = _("_New Person");
          break;
        case CRM_ENTITY_MANDAT:
          title = _("No Mandates");
          description = _("Record the distribution mandates signed with fund providers: press Ctrl+N.");
          button = _("_New Mandate");
          break;
        case CRM_ENTITY_INTERACTION:
          title = _("No Interactions");
          description = _("Log your calls, meetings and e-mails here: press Ctrl+N.");
          button = _("_New Interaction");
          break;
        case CRM_ENTITY_TASK:
        default:
          title = _("No Tasks");
          description = _("Plan what to do next and when: press Ctrl+N.");
          button = _("_New Task");
          break;
        }
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->empty_button), "win.new-record");
      adw_status_page_set_icon_name (self->empty_page, "fr.alforis.Crm-symbolic");
      /* A role that reads only is not told to press Ctrl+N. */
      if (!self->can_create)
        description = _("Nothing to show yet. What your team records appears here after a synchronization.");
    }

  adw_status_page_set_title (self->empty_page, title);
  adw_status_page_set_description (self->empty_page, description);
  gtk_button_set_label (self->empty_button, button);
  gtk_widget_set_visible (GTK_WIDGET (self->empty_button), filtered || self->can_create);
  gtk_widget_remove_css_class (GTK_WIDGET (self->empty_button), filtered ? "suggested-action" : "flat");
  gtk_widget_add_css_class (GTK_WIDGET (self->empty_button), filtered ? "flat" : "suggested-action");
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

void
crm_list_page_reload (CrmListPage *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CRM_IS_LIST_PAGE (self));

  g_hash_table_remove_all (self->names);
  crm_filter_bar_apply (self->filter_bar, self->model);
  if (!crm_record_list_model_reload (self->model, &error))
    g_message ("Could not list %s: %s", crm_entity_get (self->kind)->collection, error->message);
  update_count (self);
  update_empty_state (self);
}

static void
on_sorter_changed (GtkSorter       *sorter,
                   GtkSorterChange  change,
                   CrmListPage     *self)
{
  const char *field = NULL;
  GtkOrdering order;
  gboolean descending = FALSE;

  self->probe_hit = NULL;
  /* Two different objects: a sorter says "equal" to an item compared with itself. */
  order = gtk_sorter_compare (sorter, self, self->model);
  if (self->probe_hit != NULL)
    {
      field = g_object_get_data (G_OBJECT (self->probe_hit), "crm-field");
      descending = order == GTK_ORDERING_SMALLER;
    }
  self->probe_hit = NULL;

  crm_record_list_model_set_sort (self->model, field, descending);
  crm_list_page_reload (self);
}

static void
on_activate (GtkColumnView *view,
             guint          position,
             CrmListPage   *self)
{
  g_autoptr(CrmRecordItem) item = g_list_model_get_item (G_LIST_MODEL (self->model), position);

  if (item != NULL && crm_record_item_get_id (item) != NULL)
    g_signal_emit (self, signals[OPEN_RECORD], 0, (int) self->kind, crm_record_item_get_id (item));
}

static void
on_empty_button_clicked (CrmListPage *self)
{
  if (crm_filter_bar_get_n_active (self->filter_bar) > 0)
    crm_filter_bar_clear (self->filter_bar);
}

static void
add_columns (CrmListPage *self)
{
  const CrmEntityInfo *entity = crm_entity_get (self->kind);
  const ColumnSpec *specs = columns_for (self->kind);

  for (guint i = 0; specs[i].field != NULL; i++)
    {
      const CrmFieldInfo *field = crm_entity_field (entity, specs[i].field);
      g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_object_set_data (G_OBJECT (factory), "crm-list-page", self);
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), (gpointer) &specs[i]);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), NULL);
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), NULL);

      column = gtk_column_view_column_new (field->label, g_object_ref (factory));
      gtk_column_view_column_set_expand (column, specs[i].expand);
      /* The column that names the row keeps a readable width in a narrow window: the
       * others scroll sideways. */
      if (i == 0 && specs[i].expand)
        gtk_column_view_column_set_fixed_width (column, 220);
      gtk_column_view_column_set_resizable (column, TRUE);
      g_object_set_data (G_OBJECT (column), "crm-field", (gpointer) field->name);
      g_object_set_data (G_OBJECT (column), "crm-list-page", self);

      /* A reference sorts by an id nobody reads: not sortable. */
      if (field->type != CRM_FIELD_UUID)
        {
          g_autoptr(GtkSorter) sorter = GTK_SORTER (gtk_custom_sorter_new (sort_probe, column, NULL));

          gtk_column_view_column_set_sorter (column, sorter);
        }
      gtk_column_view_append_column (self->column_view, column);
    }
}

static void
crm_list_page_dispose (GObject *object)
{
  CrmListPage *self = CRM_LIST_PAGE (object);

  /* Columns going away unsort the view: nothing to read again for a page going away. */
  if (self->column_view != NULL)
    g_signal_handlers_disconnect_by_data (gtk_column_view_get_sorter (self->column_view), self);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_LIST_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->replica);
  g_clear_pointer (&self->names, g_hash_table_unref);

  G_OBJECT_CLASS (crm_list_page_parent_class)->dispose (object);
}

static void
crm_list_page_class_init (CrmListPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_list_page_dispose;

  signals[OPEN_RECORD] = g_signal_new ("open-record", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/alforis/Crm/ui/crm-list-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmListPage, box);
  gtk_widget_class_bind_template_child (widget_class, CrmListPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, CrmListPage, filter_button);
  gtk_widget_class_bind_template_child (widget_class, CrmListPage, new_button);
  gtk_widget_class_bind_template_child (widget_class, CrmListPage, new_button_content);
  gtk_widget_class_bind_template_child (widget_class, CrmListPage, filter_revealer);
  gtk_widget_class_bind_template_child (widget_class, CrmListPage, filter_slot);
  gtk_widget_class_bind_template_child (widget_class, CrmListPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CrmListPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, CrmListPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CrmListPage, empty_button);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
crm_list_page_init (CrmListPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->can_create = TRUE;
  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

GtkWidget *
crm_list_page_new (CrmReplica    *replica,
                   CrmEntityKind  kind)
{
  CrmListPage *self;

  g_return_val_if_fail (CRM_IS_REPLICA (replica), NULL);

  self = g_object_new (CRM_TYPE_LIST_PAGE, NULL);
  self->replica = g_object_ref (replica);
  self->kind = kind;
  self->model = crm_record_list_model_new (replica, kind);
  g_signal_connect_object (self->model, "notify::n-items", G_CALLBACK (update_count), self,
                           G_CONNECT_SWAPPED);

  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  add_columns (self);
  g_signal_connect (self->column_view, "activate", G_CALLBACK (on_activate), self);
  g_signal_connect_swapped (self->empty_button, "clicked", G_CALLBACK (on_empty_button_clicked), self);
  g_signal_connect (gtk_column_view_get_sorter (self->column_view), "changed",
                    G_CALLBACK (on_sorter_changed), self);

  self->filter_bar = CRM_FILTER_BAR (crm_filter_bar_new (kind, crm_replica_get_user_id (replica)));
  gtk_widget_set_hexpand (GTK_WIDGET (self->filter_bar), TRUE);
  gtk_box_append (self->filter_slot, GTK_WIDGET (self->filter_bar));
  g_signal_connect_swapped (self->filter_bar, "changed", G_CALLBACK (crm_list_page_reload), self);

  switch ((int) kind)
    {
    case CRM_ENTITY_ORGANISATION:
      adw_button_content_set_label (self->new_button_content, _("_New Organisation"));
      break;
    case CRM_ENTITY_PERSON:
      adw_button_content_set_label (self->new_button_content, _("_New Person"));
      break;
    case CRM_ENTITY_MANDAT:
      adw_button_content_set_label (self->new_button_content, _("_New Mandate"));
      break;
    case CRM_ENTITY_INTERACTION:
      adw_button_content_set_label (self->new_button_content, _("_New Interaction"));
      break;
    case CRM_ENTITY_TASK:
    default:
      adw_button_content_set_label (self->new_button_content, _("_New Task"));
      break;
    }

  update_count (self);
  return GTK_WIDGET (self);
}

CrmEntityKind
crm_list_page_get_kind (CrmListPage *self)
{
  return self->kind;
}

CrmRecordListModel *
crm_list_page_get_model (CrmListPage *self)
{
  return self->model;
}

void
crm_list_page_toggle_filters (CrmListPage *self)
{
  gboolean show = !gtk_toggle_button_get_active (self->filter_button);

  gtk_toggle_button_set_active (self->filter_button, show);
  if (show)
    crm_filter_bar_focus (self->filter_bar);
}

gboolean
crm_list_page_get_filters_visible (CrmListPage *self)
{
  return gtk_toggle_button_get_active (self->filter_button);
}

CrmRecord *
crm_list_page_get_selected (CrmListPage *self)
{
  CrmRecordItem *item = gtk_single_selection_get_selected_item (self->selection);

  return item != NULL ? crm_record_item_get_record (item) : NULL;
}

GtkColumnView *
crm_list_page_get_column_view (CrmListPage *self)
{
  return self->column_view;
}

void
crm_list_page_set_can_create (CrmListPage *self,
                              gboolean     can_create)
{
  g_return_if_fail (CRM_IS_LIST_PAGE (self));

  can_create = !!can_create;
  if (self->can_create == can_create)
    return;
  self->can_create = can_create;
  gtk_widget_set_visible (self->new_button, can_create);
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "empty") == 0)
    update_empty_state (self);
}

gboolean
crm_list_page_get_can_create (CrmListPage *self)
{
  g_return_val_if_fail (CRM_IS_LIST_PAGE (self), FALSE);
  return self->can_create;
}

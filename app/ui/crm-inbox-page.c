/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-inbox-page"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "crm-conflict-dialog.h"
#include "crm-json.h"
#include "crm-replica-sync.h"
#include "crm-inbox-page.h"
#include "crm-record-text.h"
#include "crm-schema.h"

struct _CrmInboxPage
{
  AdwBin                parent_instance;

  CrmReplica           *replica;
  GPtrArray            *rows;   /* rows added to the groups, to remove on reload */
  guint                 n_conflicts;
  guint                 n_rejections;
  guint                 n_quarantined;
  char                 *quarantine_error;  /* why "Apply Again" could not, until the next try */

  /* Template children */
  GtkStack             *stack;
  AdwPreferencesGroup  *conflicts_group;
  AdwPreferencesGroup  *rejections_group;
  AdwPreferencesGroup  *quarantine_group;
  AdwActionRow         *quarantine_row;
};

G_DEFINE_FINAL_TYPE (CrmInboxPage, crm_inbox_page, ADW_TYPE_BIN)

/* The entities people edit, hence those that can conflict. */
static const CrmEntityKind edited_kinds[] = {
  CRM_ENTITY_ORGANISATION, CRM_ENTITY_PERSON, CRM_ENTITY_LINK, CRM_ENTITY_MANDAT,
  CRM_ENTITY_INTERACTION, CRM_ENTITY_TASK,
};

enum { SIGNAL_OPEN_RECORD, N_SIGNALS };
static guint signals[N_SIGNALS];

/* "Organisation · Dupont SA", or the entity alone for a row no longer here. */
static char *
record_title (CrmReplica *replica,
              const char *entity,
              const char *id)
{
  const CrmEntityInfo *info = crm_entity_lookup (entity);
  g_autoptr(CrmRecord) record = NULL;
  g_autofree char *title = NULL;

  if (info == NULL)
    return g_strdup (entity);
  record = crm_replica_get (replica, info->kind, id, NULL);
  title = record != NULL ? crm_record_dup_title (record) : NULL;
  if (title == NULL)
    return g_strdup (info->label);
  return g_strdup_printf ("%s · %s", info->label, title);
}

/* The server's problem+json in one sentence: its detail, else its title. */
static char *
problem_text (const char *problem)
{
  g_autoptr(JsonNode) node = problem != NULL ? json_from_string (problem, NULL) : NULL;
  JsonObject *object = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *text = NULL;

  if (object != NULL)
    text = json_object_get_string_member_with_default (object, "detail",
             json_object_get_string_member_with_default (object, "title", NULL));
  return g_strdup (text != NULL ? text : _("The server refused this change."));
}

static void
add_row (CrmInboxPage        *self,
         AdwPreferencesGroup *group,
         GtkWidget           *row)
{
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->rows, row);
  g_object_set_data (G_OBJECT (row), "crm-group", group);
}

static GtkWidget *
suffix_button (const char *label,
               const char *action,
               GVariant   *target)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), target);
  return button;
}

static void
add_conflicts (CrmInboxPage *self,
               GPtrArray    *conflicts)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* One row per record: its dialog shows all of its fields. */
  for (guint i = 0; i < conflicts->len; i++)
    {
      CrmReplicaConflict *conflict = conflicts->pdata[i];
      g_autofree char *key = g_strdup_printf ("%s:%s", conflict->entity, conflict->row_id);
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (seen, key));

      g_hash_table_replace (seen, g_strdup (key), GUINT_TO_POINTER (n + 1));
    }

  for (guint i = 0; i < conflicts->len; i++)
    {
      CrmReplicaConflict *conflict = conflicts->pdata[i];
      g_autofree char *key = g_strdup_printf ("%s:%s", conflict->entity, conflict->row_id);
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (seen, key));
      g_autofree char *title = NULL, *subtitle = NULL;
      GtkWidget *row;

      if (n == 0)
        continue;
      g_hash_table_replace (seen, g_strdup (key), GUINT_TO_POINTER (0));
      title = record_title (self->replica, conflict->entity, conflict->row_id);
      subtitle = g_strdup_printf (ngettext ("%u field to review", "%u fields to review", n), n);
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 suffix_button (_("Review…"), "inbox.review",
                                                g_variant_new_string (key)));
      add_row (self, self->conflicts_group, row);
    }
}

static void
add_rejections (CrmInboxPage *self,
                GPtrArray    *rejections)
{
  for (guint i = 0; i < rejections->len; i++)
    {
      CrmReplicaRejection *rejection = rejections->pdata[i];
      g_autofree char *title = record_title (self->replica, rejection->op.entity, rejection->op.row_id);
      g_autofree char *problem = problem_text (rejection->problem);
      g_autofree char *key = g_strdup_printf ("%s:%s", rejection->op.entity, rejection->op.row_id);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), problem);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 suffix_button (_("Open"), "inbox.open", g_variant_new_string (key)));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 suffix_button (_("Dismiss"), "inbox.dismiss",
                                                g_variant_new_string (rejection->op.op_id)));
      add_row (self, self->rejections_group, row);
    }
}

/* "Ville : Marseille · Téléphone : 04 …": what the user typed, in the entity's labels. */
static char *
typed_fields (const CrmEntityInfo *info,
              const char          *fields)
{
  g_autoptr(CrmRecord) record = fields != NULL
                                ? crm_record_from_json_data (info, fields, -1, CRM_JSON_NONE, NULL) : NULL;
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; record != NULL && i < info->n_fields; i++)
    {
      const CrmFieldInfo *field = &info->fields[i];
      g_autofree char *value = NULL;

      if (!crm_record_has (record, field->name) || field->flags & CRM_FIELD_READONLY)
        continue;
      value = crm_record_dup_display (record, field->name);
      /* TRANSLATORS: a field and its value, e.g. "Ville : Marseille" */
      g_ptr_array_add (parts, g_strdup_printf (_("%s: %s"), field->label, value != NULL ? value : "—"));
    }
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

static void
add_quarantined (CrmInboxPage *self,
                 GPtrArray    *items)
{
  for (guint i = 0; i < items->len; i++)
    {
      CrmReplicaQuarantined *item = items->pdata[i];
      const CrmEntityInfo *info = crm_entity_lookup (item->entity);
      g_autoptr(CrmRecord) row = NULL;
      g_autofree char *name = NULL;
      g_autofree char *title = NULL;
      g_autofree char *typed = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *qid = g_strdup_printf ("%" G_GINT64_FORMAT, item->qid);
      GtkWidget *widget;

      if (info == NULL)
        continue;
      /* The row left the replica: its last known state names it. */
      if (item->row_data != NULL)
        row = crm_record_from_json_data (info, item->row_data, -1, CRM_JSON_NONE, NULL);
      name = row != NULL ? crm_record_dup_title (row) : NULL;
      title = name != NULL ? g_strdup_printf ("%s · %s", info->label, name) : g_strdup (info->label);
      typed = g_strcmp0 (item->kind, "delete") == 0 ? g_strdup (_("Deleted on this computer"))
                                                    : typed_fields (info, item->fields);
      subtitle = g_strdup_printf ("%s\n%s", item->why != NULL ? item->why : "", typed);

      widget = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (widget), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (widget), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (widget), subtitle);
      adw_action_row_add_suffix (ADW_ACTION_ROW (widget),
                                 suffix_button (_("Apply Again"), "inbox.reapply", g_variant_new_string (qid)));
      adw_action_row_add_suffix (ADW_ACTION_ROW (widget),
                                 suffix_button (_("Give Up"), "inbox.forget", g_variant_new_string (qid)));
      add_row (self, self->quarantine_group, widget);
    }
}

void
crm_inbox_page_reload (CrmInboxPage *self)
{
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GPtrArray) rejections = NULL;
  g_autoptr(GPtrArray) quarantine = NULL;
  g_autoptr(GError) error = NULL;
  gint64 quarantined;

  g_return_if_fail (CRM_IS_INBOX_PAGE (self));

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (g_object_get_data (self->rows->pdata[i], "crm-group"),
                                  self->rows->pdata[i]);
  g_ptr_array_set_size (self->rows, 0);

  /* The replica lists conflicts one entity at a time. */
  conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_replica_conflict_free);
  for (guint i = 0; i < G_N_ELEMENTS (edited_kinds); i++)
    {
      g_autoptr(GPtrArray) some = crm_replica_list_conflicts (self->replica, edited_kinds[i], NULL, &error);

      if (some == NULL)
        {
          g_warning ("Cannot list conflicts: %s", error->message);
          g_clear_error (&error);
          continue;
        }
      g_ptr_array_set_free_func (some, NULL);
      g_ptr_array_extend_and_steal (conflicts, g_steal_pointer (&some));
    }
  rejections = crm_replica_list_rejections (self->replica, &error);
  if (rejections == NULL)
    g_warning ("Cannot list rejections: %s", error->message);
  g_clear_error (&error);
  quarantine = crm_replica_list_quarantined (self->replica, &error);
  if (quarantine == NULL)
    g_warning ("Cannot list the edits set aside: %s", error->message);
  g_clear_error (&error);
  quarantined = quarantine != NULL ? quarantine->len : 0;
  self->n_quarantined = quarantined;

  self->n_conflicts = conflicts != NULL ? conflicts->len : 0;
  self->n_rejections = rejections != NULL ? rejections->len : 0;
  if (conflicts != NULL)
    add_conflicts (self, conflicts);
  if (rejections != NULL)
    add_rejections (self, rejections);
  if (quarantine != NULL)
    add_quarantined (self, quarantine);

  gtk_widget_set_visible (GTK_WIDGET (self->conflicts_group), self->n_conflicts > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->rejections_group), self->n_rejections > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->quarantine_group), quarantined > 0);
  /* One row per edit now: the group's description says what they are. */
  gtk_widget_set_visible (GTK_WIDGET (self->quarantine_row), FALSE);
  if (self->quarantine_error == NULL)
    adw_preferences_group_set_description (self->quarantine_group,
                                           adw_action_row_get_subtitle (self->quarantine_row));
  gtk_stack_set_visible_child_name (self->stack,
                                    self->n_conflicts + self->n_rejections > 0 || quarantined > 0
                                      ? "items" : "empty");
}

guint
crm_inbox_page_get_n_conflicts (CrmInboxPage *self)
{
  g_return_val_if_fail (CRM_IS_INBOX_PAGE (self), 0);
  return self->n_conflicts;
}

guint
crm_inbox_page_get_n_rejections (CrmInboxPage *self)
{
  g_return_val_if_fail (CRM_IS_INBOX_PAGE (self), 0);
  return self->n_rejections;
}

gboolean
crm_inbox_page_dismiss (CrmInboxPage *self,
                        const char   *op_id)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (CRM_IS_INBOX_PAGE (self), FALSE);

  if (!crm_replica_dismiss_rejection (self->replica, op_id, &error))
    {
      g_warning ("Cannot dismiss the refused change %s: %s", op_id, error->message);
      return FALSE;
    }
  crm_inbox_page_reload (self);
  return TRUE;
}

GtkWidget *
crm_inbox_page_review (CrmInboxPage *self,
                       CrmEntityKind kind,
                       const char   *id)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = crm_conflict_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               self->replica, kind, id);

  g_signal_connect_object (dialog, "resolved", G_CALLBACK (crm_inbox_page_reload), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

guint
crm_inbox_page_get_n_quarantined (CrmInboxPage *self)
{
  g_return_val_if_fail (CRM_IS_INBOX_PAGE (self), 0);
  return self->n_quarantined;
}

const char *
crm_inbox_page_get_quarantine_error (CrmInboxPage *self)
{
  g_return_val_if_fail (CRM_IS_INBOX_PAGE (self), NULL);
  return self->quarantine_error;
}

gboolean
crm_inbox_page_reapply (CrmInboxPage *self,
                        gint64        qid)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (CRM_IS_INBOX_PAGE (self), FALSE);

  g_clear_pointer (&self->quarantine_error, g_free);
  if (!crm_replica_reapply_quarantined (self->replica, qid, &error))
    {
      /* The replica's sentence says what to do (ask for the record to be shared). */
      self->quarantine_error = g_strdup (error->message);
      adw_preferences_group_set_description (self->quarantine_group, error->message);
      crm_inbox_page_reload (self);
      return FALSE;
    }
  crm_inbox_page_reload (self);
  return TRUE;
}

gboolean
crm_inbox_page_forget (CrmInboxPage *self,
                       gint64        qid)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (CRM_IS_INBOX_PAGE (self), FALSE);

  g_clear_pointer (&self->quarantine_error, g_free);
  if (!crm_replica_dismiss_quarantined (self->replica, qid, &error))
    {
      g_warning ("Cannot give up the edit %" G_GINT64_FORMAT ": %s", qid, error->message);
      return FALSE;
    }
  crm_inbox_page_reload (self);
  return TRUE;
}

static gboolean
parse_key (const char     *key,
           CrmEntityKind  *kind,
           const char    **id)
{
  const char *colon = strchr (key, ':');
  g_autofree char *entity = colon != NULL ? g_strndup (key, colon - key) : NULL;
  const CrmEntityInfo *info = entity != NULL ? crm_entity_lookup (entity) : NULL;

  if (info == NULL)
    return FALSE;
  *kind = info->kind;
  *id = colon + 1;
  return TRUE;
}

static void
inbox_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  CrmInboxPage *self = CRM_INBOX_PAGE (widget);
  const char *text = g_variant_get_string (param, NULL);
  CrmEntityKind kind;
  const char *id;

  if (g_str_equal (action_name, "inbox.dismiss"))
    crm_inbox_page_dismiss (self, text);
  else if (g_str_equal (action_name, "inbox.reapply"))
    crm_inbox_page_reapply (self, g_ascii_strtoll (text, NULL, 10));
  else if (g_str_equal (action_name, "inbox.forget"))
    crm_inbox_page_forget (self, g_ascii_strtoll (text, NULL, 10));
  else if (parse_key (text, &kind, &id))
    {
      if (g_str_equal (action_name, "inbox.review"))
        crm_inbox_page_review (self, kind, id);
      else
        g_signal_emit (self, signals[SIGNAL_OPEN_RECORD], 0, (int) kind, id);
    }
}

GtkWidget *
crm_inbox_page_new (CrmReplica *replica)
{
  CrmInboxPage *self;

  g_return_val_if_fail (CRM_IS_REPLICA (replica), NULL);

  self = g_object_new (CRM_TYPE_INBOX_PAGE, NULL);
  self->replica = g_object_ref (replica);
  crm_inbox_page_reload (self);
  return GTK_WIDGET (self);
}

static void
crm_inbox_page_dispose (GObject *object)
{
  CrmInboxPage *self = CRM_INBOX_PAGE (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->quarantine_error, g_free);
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_INBOX_PAGE);
  g_clear_object (&self->replica);

  G_OBJECT_CLASS (crm_inbox_page_parent_class)->dispose (object);
}

static void
crm_inbox_page_class_init (CrmInboxPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_inbox_page_dispose;

  /* (kind, id): the window opens the record page. */
  signals[SIGNAL_OPEN_RECORD] = g_signal_new ("open-record", G_TYPE_FROM_CLASS (klass),
                                              G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                              G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/alforis/Crm/ui/crm-inbox-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmInboxPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CrmInboxPage, conflicts_group);
  gtk_widget_class_bind_template_child (widget_class, CrmInboxPage, rejections_group);
  gtk_widget_class_bind_template_child (widget_class, CrmInboxPage, quarantine_group);
  gtk_widget_class_bind_template_child (widget_class, CrmInboxPage, quarantine_row);
  gtk_widget_class_install_action (widget_class, "inbox.review", "s", inbox_action);
  gtk_widget_class_install_action (widget_class, "inbox.open", "s", inbox_action);
  gtk_widget_class_install_action (widget_class, "inbox.dismiss", "s", inbox_action);
  gtk_widget_class_install_action (widget_class, "inbox.reapply", "s", inbox_action);
  gtk_widget_class_install_action (widget_class, "inbox.forget", "s", inbox_action);
}

static void
crm_inbox_page_init (CrmInboxPage *self)
{
  self->rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

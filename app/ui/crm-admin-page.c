/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-admin-page"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "crm-admin-page.h"
#include "crm-permissions.h"
#include "crm-schema.h"

struct _CrmAdminPage
{
  AdwBin         parent_instance;

  CrmSyncEngine *engine;
  GCancellable  *cancellable;
  guint          busy;
  gboolean       can_edit_roles;
  gboolean       filling;          /* widgets being set from the server: no writes */
  char          *error;

  GtkWidget     *error_label;
  GtkWidget     *users_group;
  GPtrArray     *user_rows;
  GtkWidget     *teams_group;
  GPtrArray     *team_rows;
  GtkStringList *team_names;       /* "No team", then the teams */
  GPtrArray     *team_ids;         /* char*, NULL first, parallel to team_names */

  GtkWidget     *email_row;
  GtkWidget     *name_row;
  GtkWidget     *password_row;
  GtkWidget     *role_row;
  GtkWidget     *team_row;
  GtkWidget     *team_name_row;

  GtkWidget     *role_choice;
  GtkWidget     *scope_label;
  GtkWidget     *checks[CRM_N_RESOURCES][CRM_N_ACTIONS];
  guint8         allowed[CRM_N_ROLES][CRM_N_RESOURCES];
  char          *scopes[CRM_N_ROLES];
};

G_DEFINE_FINAL_TYPE (CrmAdminPage, crm_admin_page, ADW_TYPE_BIN)

/* The roles as the drop-downs list them: most rights first (crm_roles' order). */
static const char *const role_wire[] = { "admin", "manager", "user", "viewer" };

static const char *
role_label (guint i)
{
  static const char *labels[] = { N_("Administrator"), N_("Manager"), N_("Advisor"), N_("Viewer") };

  return _(labels[i]);
}

static guint
role_index (const char *wire)
{
  for (guint i = 0; i < G_N_ELEMENTS (role_wire); i++)
    if (g_strcmp0 (role_wire[i], wire) == 0)
      return i;
  return G_N_ELEMENTS (role_wire) - 1;
}

static const char *
resource_label (CrmResource resource)
{
  static const char *labels[CRM_N_RESOURCES] = {
    N_("Organisations"), N_("People"), N_("Mandates"), N_("Interactions"), N_("Tasks"),
    N_("Documents"), N_("Users"), N_("Roles"), N_("Teams"), N_("Settings"), N_("Reports"),
    N_("Webhooks"),
  };

  return _(labels[resource]);
}

static const char *
action_label (CrmAction action)
{
  static const char *labels[CRM_N_ACTIONS] = {
    N_("Read"), N_("Create"), N_("Change"), N_("Delete"), N_("Export"), N_("Import"), N_("Manage"),
  };

  return _(labels[action]);
}

static GtkStringList *
role_model (void)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (role_wire); i++)
    gtk_string_list_append (list, role_label (i));
  return list;
}

/* ---- Talking to the server ------------------------------------------------------------ */

typedef void (*CallDone) (CrmAdminPage *self,
                          JsonNode     *answer,
                          const GError *error,
                          gpointer      data);

typedef struct
{
  CrmAdminPage   *self;
  CallDone        done;
  gpointer        data;
  GDestroyNotify  free_data;
} Call;

static void
show_error (CrmAdminPage *self,
            const char   *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  gtk_label_set_text (GTK_LABEL (self->error_label), message != NULL ? message : "");
  gtk_widget_set_visible (self->error_label, message != NULL);
}

static void
show_toast (CrmAdminPage *self,
            const char   *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
}

static void
on_called (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Call *call = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = crm_sync_engine_call_finish (CRM_SYNC_ENGINE (source), result,
                                                            NULL, &error);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      !g_error_matches (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_CANCELLED))
    {
      call->self->busy--;
      call->done (call->self, answer, error, call->data);
    }
  if (call->free_data != NULL)
    call->free_data (call->data);
  g_object_unref (call->self);
  g_free (call);
}

static void
call_server (CrmAdminPage   *self,
             const char     *method,
             const char     *path,
             JsonNode       *body,
             CallDone        done,
             gpointer        data,
             GDestroyNotify  free_data)
{
  Call *call = g_new0 (Call, 1);

  call->self = g_object_ref (self);
  call->done = done;
  call->data = data;
  call->free_data = free_data;
  self->busy++;
  crm_sync_engine_call_async (self->engine, method, path, body, self->cancellable, on_called, call);
}

static JsonArray *
items_of (JsonNode *answer)
{
  JsonObject *object = answer != NULL && JSON_NODE_HOLDS_OBJECT (answer) ? json_node_get_object (answer) : NULL;
  JsonNode *items = object != NULL ? json_object_get_member (object, "items") : NULL;

  return items != NULL && JSON_NODE_HOLDS_ARRAY (items) ? json_node_get_array (items) : NULL;
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonNode *
object_node (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

static void load_users (CrmAdminPage *self);
static void load_roles (CrmAdminPage *self);

/* ---- Users ---------------------------------------------------------------------------- */

static void
after_change (CrmAdminPage *self,
              JsonNode     *answer,
              const GError *error,
              gpointer      data)
{
  if (error != NULL)
    show_error (self, error->message);
  else
    {
      show_error (self, NULL);
      if (data != NULL)
        show_toast (self, data);
    }
  /* Either way the list shows what the server holds now. */
  load_users (self);
}

static void
patch_user (CrmAdminPage *self,
            const char   *id,
            JsonObject   *changes,
            const char   *done_text)
{
  g_autofree char *path = g_strconcat ("/api/v1/users/", id, NULL);
  g_autoptr(JsonNode) body = object_node (changes);

  call_server (self, "PATCH", path, body, after_change, g_strdup (done_text), g_free);
}

static void
on_role_selected (GtkDropDown  *drop,
                  GParamSpec   *pspec,
                  CrmAdminPage *self)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (drop), ADW_TYPE_ACTION_ROW);
  JsonObject *changes;
  guint i = gtk_drop_down_get_selected (drop);

  if (self->filling || row == NULL || i >= G_N_ELEMENTS (role_wire))
    return;
  changes = json_object_new ();
  json_object_set_string_member (changes, "role", role_wire[i]);
  patch_user (self, g_object_get_data (G_OBJECT (row), "crm-id"), changes, _("Role changed"));
}

static void
on_team_selected (GtkDropDown  *drop,
                  GParamSpec   *pspec,
                  CrmAdminPage *self)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (drop), ADW_TYPE_ACTION_ROW);
  JsonObject *changes;
  guint i = gtk_drop_down_get_selected (drop);

  if (self->filling || row == NULL || i >= self->team_ids->len)
    return;
  changes = json_object_new ();
  if (self->team_ids->pdata[i] == NULL)
    json_object_set_null_member (changes, "team_id");
  else
    json_object_set_string_member (changes, "team_id", self->team_ids->pdata[i]);
  patch_user (self, g_object_get_data (G_OBJECT (row), "crm-id"), changes, _("Team changed"));
}

static void
on_deactivate_clicked (GtkButton    *button,
                       CrmAdminPage *self)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), ADW_TYPE_ACTION_ROW);
  g_autofree char *path = g_strdup_printf ("/api/v1/users/%s/deactivate",
                                           (char *) g_object_get_data (G_OBJECT (row), "crm-id"));

  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  call_server (self, "POST", path, NULL, after_change, g_strdup (_("Account deactivated")), g_free);
}

static guint
team_index (CrmAdminPage *self,
            const char   *team_id)
{
  for (guint i = 1; team_id != NULL && i < self->team_ids->len; i++)
    if (g_strcmp0 (self->team_ids->pdata[i], team_id) == 0)
      return i;
  return 0;
}

static GtkWidget *
user_row_new (CrmAdminPage *self,
              JsonObject   *user)
{
  const char *name = string_member (user, "display_name");
  const char *email = string_member (user, "email");
  gboolean active = !json_object_has_member (user, "is_active") ||
                    json_object_get_boolean_member (user, "is_active");
  g_autoptr(GtkStringList) roles = role_model ();
  g_autofree char *subtitle = NULL;
  g_autofree char *role_a11y = NULL;
  g_autofree char *team_a11y = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *role = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&roles)), NULL);
  GtkWidget *team = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (self->team_names)), NULL);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name != NULL ? name : email);
  /* TRANSLATORS: below a user's name: their e-mail, and "Deactivated" for a closed account */
  subtitle = active ? g_strdup (email) : g_strdup_printf (_("%s · Deactivated"), email);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  gtk_drop_down_set_selected (GTK_DROP_DOWN (role), role_index (string_member (user, "role")));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (team), team_index (self, string_member (user, "team_id")));
  /* TRANSLATORS: screen-reader labels of a user's drop-downs; %s is the user's name */
  role_a11y = g_strdup_printf (_("Role of %s"), name != NULL ? name : email);
  team_a11y = g_strdup_printf (_("Team of %s"), name != NULL ? name : email);
  gtk_accessible_update_property (GTK_ACCESSIBLE (role), GTK_ACCESSIBLE_PROPERTY_LABEL, role_a11y, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (team), GTK_ACCESSIBLE_PROPERTY_LABEL, team_a11y, -1);
  gtk_widget_set_valign (role, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (team, GTK_ALIGN_CENTER);
  gtk_widget_set_sensitive (role, active);
  gtk_widget_set_sensitive (team, active);
  g_signal_connect (role, "notify::selected", G_CALLBACK (on_role_selected), self);
  g_signal_connect (team, "notify::selected", G_CALLBACK (on_team_selected), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), role);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), team);

  if (active)
    {
      GtkWidget *deactivate = gtk_button_new_with_mnemonic (_("_Deactivate"));

      gtk_widget_set_valign (deactivate, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (deactivate, "destructive-action");
      g_signal_connect (deactivate, "clicked", G_CALLBACK (on_deactivate_clicked), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), deactivate);
    }

  g_object_set_data_full (G_OBJECT (row), "crm-id", g_strdup (string_member (user, "id")), g_free);
  g_object_set_data_full (G_OBJECT (row), "crm-email", g_strdup (email), g_free);
  return row;
}

static void
clear_rows (GtkWidget *group,
            GPtrArray *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), rows->pdata[i]);
  g_ptr_array_set_size (rows, 0);
}

static void
users_loaded (CrmAdminPage *self,
              JsonNode     *answer,
              const GError *error,
              gpointer      data)
{
  JsonArray *items = items_of (answer);

  if (error != NULL || items == NULL)
    {
      show_error (self, error != NULL ? error->message : _("The server sent a list it cannot read."));
      return;
    }
  self->filling = TRUE;
  clear_rows (self->users_group, self->user_rows);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      GtkWidget *row;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      row = user_row_new (self, json_node_get_object (node));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->users_group), row);
      g_ptr_array_add (self->user_rows, row);
    }
  self->filling = FALSE;
}

static void
teams_loaded (CrmAdminPage *self,
              JsonNode     *answer,
              const GError *error,
              gpointer      data)
{
  JsonArray *items = items_of (answer);
  guint n;

  if (error != NULL || items == NULL)
    {
      show_error (self, error != NULL ? error->message : _("The server sent a list it cannot read."));
      return;
    }

  self->filling = TRUE;
  clear_rows (self->teams_group, self->team_rows);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->team_names));
  gtk_string_list_splice (self->team_names, 1, n - 1, NULL);
  g_ptr_array_set_size (self->team_ids, 1);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      const char *name, *id;
      GtkWidget *row;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      name = string_member (json_node_get_object (node), "name");
      id = string_member (json_node_get_object (node), "id");
      if (name == NULL || id == NULL)
        continue;
      gtk_string_list_append (self->team_names, name);
      g_ptr_array_add (self->team_ids, g_strdup (id));
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->teams_group), row);
      g_ptr_array_add (self->team_rows, row);
    }
  self->filling = FALSE;
  /* The users' team drop-downs read these names. */
  call_server (self, "GET", "/api/v1/users", NULL, users_loaded, NULL, NULL);
}

static void
load_users (CrmAdminPage *self)
{
  call_server (self, "GET", "/api/v1/teams", NULL, teams_loaded, NULL, NULL);
}

/* ---- New user, new team ---------------------------------------------------------------- */

static void
user_created (CrmAdminPage *self,
              JsonNode     *answer,
              const GError *error,
              gpointer      data)
{
  if (error != NULL)
    {
      /* What was typed stays, so it can be corrected. */
      show_error (self, error->message);
      return;
    }
  show_error (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->email_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  show_toast (self, _("User created"));
  load_users (self);
}

static void
on_create_user (CrmAdminPage *self)
{
  const char *email = gtk_editable_get_text (GTK_EDITABLE (self->email_row));
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  guint role = adw_combo_row_get_selected (ADW_COMBO_ROW (self->role_row));
  guint team = adw_combo_row_get_selected (ADW_COMBO_ROW (self->team_row));
  g_autofree char *trimmed = g_strstrip (g_strdup (name));
  g_autoptr(JsonNode) body = NULL;
  JsonObject *object;

  if (strchr (email, '@') == NULL || *trimmed == '\0' || *password == '\0')
    {
      show_error (self, _("Type the new user’s e-mail address, name and password."));
      return;
    }

  object = json_object_new ();
  json_object_set_string_member (object, "email", email);
  json_object_set_string_member (object, "display_name", trimmed);
  json_object_set_string_member (object, "password", password);
  json_object_set_string_member (object, "role", role_wire[MIN (role, G_N_ELEMENTS (role_wire) - 1)]);
  if (team > 0 && team < self->team_ids->len)
    json_object_set_string_member (object, "team_id", self->team_ids->pdata[team]);
  body = object_node (object);
  call_server (self, "POST", "/api/v1/users", body, user_created, NULL, NULL);
}

static void
team_created (CrmAdminPage *self,
              JsonNode     *answer,
              const GError *error,
              gpointer      data)
{
  if (error != NULL)
    {
      show_error (self, error->message);
      return;
    }
  show_error (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->team_name_row), "");
  show_toast (self, _("Team created"));
  load_users (self);
}

static void
on_create_team (CrmAdminPage *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->team_name_row))));
  g_autoptr(JsonNode) body = NULL;
  JsonObject *object;

  if (*name == '\0')
    {
      show_error (self, _("Type the new team’s name."));
      return;
    }
  object = json_object_new ();
  json_object_set_string_member (object, "name", name);
  body = object_node (object);
  call_server (self, "POST", "/api/v1/teams", body, team_created, NULL, NULL);
}

/* ---- Roles ---------------------------------------------------------------------------- */

static CrmRole
chosen_role (CrmAdminPage *self)
{
  CrmRole role = CRM_ROLE_VIEWER;
  guint i = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->role_choice));

  crm_role_from_string (role_wire[MIN (i, G_N_ELEMENTS (role_wire) - 1)], &role);
  return role;
}

static void
show_matrix (CrmAdminPage *self)
{
  CrmRole role = chosen_role (self);
  g_autofree char *scope = NULL;
  const char *scope_text;

  self->filling = TRUE;
  for (CrmResource r = 0; r < CRM_N_RESOURCES; r++)
    for (CrmAction a = 0; a < CRM_N_ACTIONS; a++)
      {
        gtk_check_button_set_active (GTK_CHECK_BUTTON (self->checks[r][a]),
                                     (self->allowed[role][r] & (1u << a)) != 0);
        gtk_widget_set_sensitive (self->checks[r][a], self->can_edit_roles);
      }
  self->filling = FALSE;

  if (g_strcmp0 (self->scopes[role], "all") == 0)
    scope_text = _("Sees every record.");
  else if (g_strcmp0 (self->scopes[role], "team") == 0)
    scope_text = _("Sees the records of their team.");
  else if (g_strcmp0 (self->scopes[role], "own") == 0)
    scope_text = _("Sees their own records and the tasks given to them.");
  else
    scope_text = "";
  gtk_label_set_text (GTK_LABEL (self->scope_label), scope_text);
}

static void
roles_loaded (CrmAdminPage *self,
              JsonNode     *answer,
              const GError *error,
              gpointer      data)
{
  JsonArray *items = items_of (answer);

  if (error != NULL || items == NULL)
    {
      show_error (self, error != NULL ? error->message : _("The server sent a list it cannot read."));
      return;
    }
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      JsonObject *object, *permissions;
      CrmRole role;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);
      if (!crm_role_from_string (string_member (object, "name"), &role) ||
          !json_object_has_member (object, "permissions"))
        continue;
      g_free (self->scopes[role]);
      self->scopes[role] = g_strdup (string_member (object, "scope"));
      permissions = json_object_get_object_member (object, "permissions");
      for (CrmResource r = 0; r < CRM_N_RESOURCES; r++)
        {
          JsonNode *actions = json_object_get_member (permissions, crm_resource_to_string (r));

          self->allowed[role][r] = 0;
          if (actions == NULL || !JSON_NODE_HOLDS_ARRAY (actions))
            continue;
          for (guint j = 0; j < json_array_get_length (json_node_get_array (actions)); j++)
            {
              CrmAction action;

              if (crm_action_from_string (json_array_get_string_element (json_node_get_array (actions), j),
                                          &action))
                self->allowed[role][r] |= (guint8) (1u << action);
            }
        }
    }
  show_matrix (self);
}

static void
load_roles (CrmAdminPage *self)
{
  call_server (self, "GET", "/api/v1/roles", NULL, roles_loaded, NULL, NULL);
}

static void
role_changed (CrmAdminPage *self,
              JsonNode     *answer,
              const GError *error,
              gpointer      data)
{
  if (error != NULL)
    show_error (self, error->message);
  else
    show_error (self, NULL);
  /* A refusal puts the box back as the server has it. */
  load_roles (self);
}

static void
on_check_toggled (GtkCheckButton *check,
                  CrmAdminPage   *self)
{
  CrmResource resource = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (check), "crm-resource"));
  CrmAction action = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (check), "crm-action"));
  CrmRole role = chosen_role (self);
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) body = NULL;
  JsonObject *object, *permissions, *cell;

  if (self->filling)
    return;
  cell = json_object_new ();
  json_object_set_boolean_member (cell, crm_action_to_string (action), gtk_check_button_get_active (check));
  permissions = json_object_new ();
  json_object_set_object_member (permissions, crm_resource_to_string (resource), cell);
  object = json_object_new ();
  json_object_set_object_member (object, "permissions", permissions);
  body = object_node (object);
  path = g_strconcat ("/api/v1/roles/", crm_role_to_string (role), NULL);
  call_server (self, "PATCH", path, body, role_changed, NULL, NULL);
}

/* ---- Building the page ---------------------------------------------------------------- */

static GtkWidget *
group_new (GtkWidget  *box,
           const char *title,
           const char *description)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  if (description != NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  gtk_box_append (GTK_BOX (box), group);
  return group;
}

static GtkWidget *
entry_row_new (GtkWidget  *group,
               GType       type,
               const char *title)
{
  GtkWidget *row = g_object_new (type, "title", title, NULL);

  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  return row;
}

static void
build_new_user (CrmAdminPage *self,
                GtkWidget    *box)
{
  GtkWidget *group = group_new (box, _("New User"),
                                _("They sign in with this e-mail address and password, and can change the password later."));
  g_autoptr(GtkStringList) roles = role_model ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("C_reate the User"));

  self->email_row = entry_row_new (group, ADW_TYPE_ENTRY_ROW, _("E-mail"));
  self->name_row = entry_row_new (group, ADW_TYPE_ENTRY_ROW, _("Name"));
  self->password_row = entry_row_new (group, ADW_TYPE_PASSWORD_ENTRY_ROW, _("Password"));
  self->role_row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->role_row), _("Role"));
  adw_combo_row_set_model (ADW_COMBO_ROW (self->role_row), G_LIST_MODEL (roles));
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->role_row), role_index ("user"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->role_row);
  self->team_row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->team_row), _("Team"));
  adw_combo_row_set_model (ADW_COMBO_ROW (self->team_row), G_LIST_MODEL (self->team_names));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->team_row);

  gtk_widget_set_halign (button, GTK_ALIGN_END);
  gtk_widget_set_margin_top (button, 12);
  gtk_widget_add_css_class (button, "suggested-action");
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (on_create_user), self);
  gtk_box_append (GTK_BOX (box), button);
}

static void
build_matrix (CrmAdminPage *self,
              GtkWidget    *box)
{
  GtkWidget *group = group_new (box, _("Roles and Permissions"),
                                _("What each role may do. A change applies at the next synchronization of the role’s users."));
  g_autoptr(GtkStringList) roles = role_model ();
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *frame = gtk_frame_new (NULL);

  self->role_choice = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&roles)), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->role_choice), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Role shown"), -1);
  g_signal_connect_swapped (self->role_choice, "notify::selected", G_CALLBACK (show_matrix), self);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), self->role_choice);

  self->scope_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->scope_label), 0);
  gtk_widget_add_css_class (self->scope_label, "dim-label");
  gtk_widget_set_margin_bottom (self->scope_label, 6);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->scope_label);

  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 3);
  g_object_set (grid, "margin-top", 9, "margin-bottom", 9, "margin-start", 12, "margin-end", 12, NULL);
  for (CrmAction a = 0; a < CRM_N_ACTIONS; a++)
    {
      GtkWidget *label = gtk_label_new (action_label (a));

      gtk_widget_add_css_class (label, "caption-heading");
      gtk_grid_attach (GTK_GRID (grid), label, 1 + (int) a, 0, 1, 1);
    }
  for (CrmResource r = 0; r < CRM_N_RESOURCES; r++)
    {
      GtkWidget *label = gtk_label_new (resource_label (r));

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_grid_attach (GTK_GRID (grid), label, 0, 1 + (int) r, 1, 1);
      for (CrmAction a = 0; a < CRM_N_ACTIONS; a++)
        {
          GtkWidget *check = gtk_check_button_new ();
          /* TRANSLATORS: a screen reader's name for one box: "Organisations: Create" */
          g_autofree char *a11y = g_strdup_printf (_("%s: %s"), resource_label (r), action_label (a));

          gtk_widget_set_halign (check, GTK_ALIGN_CENTER);
          gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
          g_object_set_data (G_OBJECT (check), "crm-resource", GUINT_TO_POINTER (r));
          g_object_set_data (G_OBJECT (check), "crm-action", GUINT_TO_POINTER (a));
          g_signal_connect (check, "toggled", G_CALLBACK (on_check_toggled), self);
          gtk_widget_set_sensitive (check, FALSE);
          self->checks[r][a] = check;
          gtk_grid_attach (GTK_GRID (grid), check, 1 + (int) a, 1 + (int) r, 1, 1);
        }
    }
  gtk_frame_set_child (GTK_FRAME (frame), grid);
  gtk_widget_add_css_class (frame, "view");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), frame);
}

static void
crm_admin_page_dispose (GObject *object)
{
  CrmAdminPage *self = CRM_ADMIN_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->engine);
  g_clear_object (&self->team_names);
  g_clear_pointer (&self->team_ids, g_ptr_array_unref);
  g_clear_pointer (&self->user_rows, g_ptr_array_unref);
  g_clear_pointer (&self->team_rows, g_ptr_array_unref);
  for (guint i = 0; i < CRM_N_ROLES; i++)
    g_clear_pointer (&self->scopes[i], g_free);
  g_clear_pointer (&self->error, g_free);

  G_OBJECT_CLASS (crm_admin_page_parent_class)->dispose (object);
}

static void
crm_admin_page_class_init (CrmAdminPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = crm_admin_page_dispose;
}

static void
crm_admin_page_init (CrmAdminPage *self)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  GtkWidget *team_group;

  self->cancellable = g_cancellable_new ();
  self->user_rows = g_ptr_array_new ();
  self->team_rows = g_ptr_array_new ();
  self->team_names = gtk_string_list_new (NULL);
  gtk_string_list_append (self->team_names, _("No Team"));
  self->team_ids = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->team_ids, NULL);

  g_object_set (box, "margin-top", 24, "margin-bottom", 24, "margin-start", 12, "margin-end", 12, NULL);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 900);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  adw_bin_set_child (ADW_BIN (self), scrolled);

  self->error_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->error_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->error_label), 0);
  gtk_widget_add_css_class (self->error_label, "error");
  gtk_widget_set_visible (self->error_label, FALSE);
  gtk_box_append (GTK_BOX (box), self->error_label);

  self->users_group = group_new (box, _("Users"),
                                 _("Who can sign in to this server, with their role and team."));
  build_new_user (self, box);

  team_group = group_new (box, _("Teams"), _("A manager and a viewer see the records of their team."));
  self->teams_group = team_group;
  self->team_name_row = entry_row_new (team_group, ADW_TYPE_ENTRY_ROW, _("New Team"));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (self->team_name_row), TRUE);
  g_signal_connect_swapped (self->team_name_row, "apply", G_CALLBACK (on_create_team), self);

  build_matrix (self, box);
}

GtkWidget *
crm_admin_page_new (CrmSyncEngine *engine)
{
  CrmAdminPage *self;

  g_return_val_if_fail (CRM_IS_SYNC_ENGINE (engine), NULL);

  self = g_object_new (CRM_TYPE_ADMIN_PAGE, NULL);
  self->engine = g_object_ref (engine);
  crm_admin_page_reload (self);
  return GTK_WIDGET (self);
}

void
crm_admin_page_reload (CrmAdminPage *self)
{
  g_return_if_fail (CRM_IS_ADMIN_PAGE (self));

  load_users (self);
  load_roles (self);
}

void
crm_admin_page_set_can_edit_roles (CrmAdminPage *self,
                                   gboolean      can_edit)
{
  g_return_if_fail (CRM_IS_ADMIN_PAGE (self));

  self->can_edit_roles = !!can_edit;
  show_matrix (self);
}

gboolean
crm_admin_page_is_busy (CrmAdminPage *self)
{
  return self->busy > 0;
}

guint
crm_admin_page_get_n_users (CrmAdminPage *self)
{
  return self->user_rows->len;
}

guint
crm_admin_page_get_n_teams (CrmAdminPage *self)
{
  return self->team_rows->len;
}

GtkWidget *
crm_admin_page_find_user (CrmAdminPage *self,
                          const char   *email)
{
  for (guint i = 0; i < self->user_rows->len; i++)
    if (g_strcmp0 (g_object_get_data (self->user_rows->pdata[i], "crm-email"), email) == 0)
      return self->user_rows->pdata[i];
  return NULL;
}

const char *
crm_admin_page_get_error (CrmAdminPage *self)
{
  return self->error;
}

void
crm_admin_page_show_role (CrmAdminPage *self,
                          CrmRole       role)
{
  g_return_if_fail (CRM_IS_ADMIN_PAGE (self));

  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->role_choice), role_index (crm_role_to_string (role)));
}

GtkWidget *
crm_admin_page_get_permission_check (CrmAdminPage *self,
                                     CrmResource   resource,
                                     CrmAction     action)
{
  g_return_val_if_fail (CRM_IS_ADMIN_PAGE (self), NULL);
  g_return_val_if_fail (resource < CRM_N_RESOURCES && action < CRM_N_ACTIONS, NULL);

  return self->checks[resource][action];
}

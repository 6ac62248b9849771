/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-sync"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "crm-api-private.h"
#include "crm-json.h"
#include "crm-pg-conflicts.h"
#include "crm-sync-routes.h"
#include "crm-uuid.h"
#include "crm-ws-hub.h"

/*
 * Push and pull (DESIGN.md §4, §9). Both run on a pool worker with the caller already
 * authenticated by the dispatcher (crm-api.h). A push is one PostgreSQL transaction in
 * which crm_store_mutate() puts each op in its own savepoint, so a refused op leaves
 * the others alone, and a failure of PostgreSQL itself rolls the whole push back: the
 * client retries it, and the stored (client_id, op_id) results make the retry exact.
 */

#define CLIENT_ID_MAX_LENGTH 128

/* ---- protocol ---------------------------------------------------------------------- */

/* FALSE after answering: 426 for an app older than the previous protocol (or one that
 * does not say), 400 for one newer than this server. */
static gboolean
check_protocol (CrmApiCall *call,
                gboolean    present,
                gint64      protocol,
                const char *app_version)
{
  g_autofree char *detail = NULL;
  JsonObject *extra;

  if (present && protocol >= CRM_SYNC_PROTOCOL_OLDEST && protocol <= CRM_SYNC_PROTOCOL_CURRENT)
    return TRUE;

  if (present && protocol > CRM_SYNC_PROTOCOL_CURRENT)
    {
      detail = g_strdup_printf (_("L’application parle le protocole de synchronisation %"
                                  G_GINT64_FORMAT " ; ce serveur ne connaît que les versions %d "
                                  "à %d. Demandez à votre administrateur de mettre le serveur "
                                  "à jour."),
                                protocol, CRM_SYNC_PROTOCOL_OLDEST, CRM_SYNC_PROTOCOL_CURRENT);
      crm_api_call_respond_problem (call, SOUP_STATUS_BAD_REQUEST, CRM_API_PROBLEM_BAD_REQUEST,
                                    _("Serveur trop ancien"), detail, NULL);
      return FALSE;
    }

  detail = g_strdup_printf (_("Cette version d’Alforis CRM (%s) est trop ancienne pour "
                              "synchroniser avec ce serveur. Mettez l’application à jour, puis "
                              "relancez-la : vos modifications en attente seront envoyées."),
                            app_version != NULL ? app_version : _("inconnue"));
  extra = json_object_new ();
  json_object_set_int_member (extra, "min_protocol", CRM_SYNC_PROTOCOL_OLDEST);
  json_object_set_int_member (extra, "protocol", CRM_SYNC_PROTOCOL_CURRENT);
  crm_api_call_respond_problem (call, 426, CRM_SYNC_PROBLEM_UPGRADE,
                                _("Mise à jour de l’application nécessaire"), detail, extra);
  return FALSE;
}

static gboolean
parse_int (const char *text,
           gint64      min,
           gint64      max,
           gint64     *value)
{
  return text != NULL && g_ascii_string_to_signed (text, 10, min, max, value, NULL);
}

/* ---- push --------------------------------------------------------------------------- */

static CrmMutationResult *
rejected (JsonObject *op,
          guint       status,
          const char *type,
          const char *title,
          const char *detail)
{
  CrmMutationResult *result = g_new0 (CrmMutationResult, 1);

  result->status = CRM_MUTATION_REJECTED;
  if (op != NULL)
    {
      result->op_id = g_strdup (json_object_get_string_member_with_default (op, "op_id", NULL));
      result->entity = g_strdup (json_object_get_string_member_with_default (op, "entity", NULL));
      result->id = g_strdup (json_object_get_string_member_with_default (op, "id", NULL));
    }
  result->conflicts = g_ptr_array_new ();
  result->problem = crm_store_problem_new (status, type, title, detail);
  return result;
}

static CrmMutationResult *
malformed (JsonObject *op,
           const char *detail)
{
  return rejected (op, SOUP_STATUS_BAD_REQUEST, CRM_STORE_PROBLEM_BAD_REQUEST,
                   _("Opération mal formée"), detail);
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/*
 * Reads one op of the push body into @op (pointing into @object and *@fields). NULL
 * when it is usable, else the rejection to report for it.
 */
static CrmMutationResult *
parse_op (JsonNode     *node,
          CrmMutation  *op,
          CrmRecord   **fields)
{
  JsonObject *object;
  JsonNode *member;
  const CrmEntityInfo *entity;
  const char *text;
  g_autoptr (GError) error = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return malformed (NULL, _("Chaque opération doit être un objet JSON."));
  object = json_node_get_object (node);

  op->op_id = string_member (object, "op_id");
  if (op->op_id == NULL || !crm_uuid_is_valid (op->op_id))
    return malformed (object, _("« op_id » doit être un UUID."));

  text = string_member (object, "entity");
  entity = text != NULL ? crm_entity_lookup (text) : NULL;
  if (entity == NULL || !entity->synced)
    return malformed (object, _("« entity » ne désigne pas un type d’élément synchronisé."));
  op->entity = entity->kind;

  text = string_member (object, "kind");
  if (text == NULL || !crm_mutation_kind_from_string (text, &op->kind))
    return malformed (object, _("« kind » doit valoir create, update, delete ou restore."));

  op->id = string_member (object, "id");
  if ((op->id == NULL && op->kind != CRM_MUTATION_CREATE)
      || (op->id != NULL && !crm_uuid_is_valid (op->id)))
    return malformed (object, _("« id » doit être l’UUID de l’élément."));

  member = json_object_get_member (object, "base_version");
  op->base_version = 0;
  if (member != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_INT64
          || json_node_get_int (member) < 0)
        return malformed (object, _("« base_version » doit être un entier positif ou nul."));
      op->base_version = json_node_get_int (member);
    }

  member = json_object_get_member (object, "fields");
  *fields = NULL;
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      if (!JSON_NODE_HOLDS_OBJECT (member))
        return malformed (object, _("« fields » doit être un objet JSON."));
      *fields = crm_record_from_json (entity, json_node_get_object (member),
                                      CRM_JSON_SKIP_READONLY, &error);
      if (*fields == NULL)
        return rejected (object, 422, CRM_STORE_PROBLEM_VALIDATION, _("Données invalides"),
                         error->message);
    }
  op->fields = *fields;
  return NULL;
}

static gboolean
command (PGconn     *conn,
         const char *sql,
         GError    **error)
{
  PGresult *result = PQexec (conn, sql);
  gboolean ok = PQresultStatus (result) == PGRES_COMMAND_OK;

  if (!ok)
    g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_DATABASE, "%s",
                 PQresultErrorMessage (result));
  PQclear (result);
  return ok;
}

/* Runs every op of @ops in one transaction; NULL (rolled back) if PostgreSQL failed. */
static JsonNode *
push_ops (PGconn         *conn,
          const CrmActor *actor,
          JsonArray      *ops,
          GError        **error)
{
  g_autoptr (JsonArray) results = json_array_new ();
  JsonNode *root;
  JsonObject *object;

  if (!command (conn, "BEGIN", error))
    return NULL;

  for (guint i = 0; i < json_array_get_length (ops); i++)
    {
      g_autoptr (CrmMutationResult) result = NULL;
      g_autoptr (CrmRecord) fields = NULL;
      CrmMutation op = { 0 };

      result = parse_op (json_array_get_element (ops, i), &op, &fields);
      if (result == NULL && !crm_store_mutate (conn, actor, &op, &result, error))
        {
          command (conn, "ROLLBACK", NULL);
          return NULL;
        }
      json_array_add_element (results, crm_mutation_result_to_json (result));
    }

  if (!command (conn, "COMMIT", error))
    {
      command (conn, "ROLLBACK", NULL);
      return NULL;
    }

  object = json_object_new ();
  json_object_set_array_member (object, "results", g_steal_pointer (&results));
  root = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (root, object);
  return root;
}

static gboolean
client_id_is_acceptable (const char *text)
{
  size_t length = text != NULL ? strlen (text) : 0;

  if (length == 0 || length > CLIENT_ID_MAX_LENGTH)
    return FALSE;
  for (size_t i = 0; i < length; i++)
    if (!g_ascii_isalnum (text[i]) && text[i] != '-' && text[i] != '_' && text[i] != '.')
      return FALSE;
  return TRUE;
}

static void
handle_push (CrmApiCall *call,
             PGconn     *conn,
             gpointer    user_data)
{
  JsonObject *body = crm_api_call_require_object (call);
  const CrmActor *caller = crm_api_call_get_actor (call);
  g_autoptr (CrmActor) actor = NULL;
  g_autoptr (GError) error = NULL;
  JsonNode *protocol, *ops, *reply;
  const char *client_id;

  if (body == NULL)
    return;

  protocol = json_object_get_member (body, "protocol");
  if (!check_protocol (call,
                       protocol != NULL && JSON_NODE_HOLDS_VALUE (protocol)
                         && json_node_get_value_type (protocol) == G_TYPE_INT64,
                       protocol != NULL && JSON_NODE_HOLDS_VALUE (protocol)
                         ? json_node_get_int (protocol) : 0,
                       string_member (body, "app_version")))
    return;

  client_id = string_member (body, "client_id");
  if (!client_id_is_acceptable (client_id))
    {
      crm_api_call_respond_problem (call, SOUP_STATUS_BAD_REQUEST, CRM_API_PROBLEM_BAD_REQUEST,
                                    _("Requête invalide"),
                                    _("« client_id » doit identifier l’installation de "
                                      "l’application (lettres, chiffres, tirets ; 128 "
                                      "caractères au plus)."), NULL);
      return;
    }
  ops = json_object_get_member (body, "ops");
  if (ops == NULL || !JSON_NODE_HOLDS_ARRAY (ops))
    {
      crm_api_call_respond_problem (call, SOUP_STATUS_BAD_REQUEST, CRM_API_PROBLEM_BAD_REQUEST,
                                    _("Requête invalide"),
                                    _("« ops » doit être la liste des opérations à appliquer."),
                                    NULL);
      return;
    }
  if (json_array_get_length (json_node_get_array (ops)) > CRM_SYNC_MAX_PUSH_OPS)
    {
      g_autofree char *detail =
        g_strdup_printf (_("Un envoi compte au plus %d opérations ; envoyez la file par lots."),
                         CRM_SYNC_MAX_PUSH_OPS);

      crm_api_call_respond_problem (call, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                                    "payload-too-large", _("Requête trop volumineuse"), detail,
                                    NULL);
      return;
    }

  /* The same user, as this app install: the key of push idempotency. */
  actor = crm_actor_new (caller->user_id, caller->role, caller->team_id, &caller->matrix,
                         client_id);
  actor->scope = caller->scope;
  actor->epoch = caller->epoch;

  reply = push_ops (conn, actor, json_node_get_array (ops), &error);
  if (reply == NULL)
    {
      g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
                        "REQUEST_ID", crm_api_call_get_request_id (call),
                        "MESSAGE", "envoi annulé : %s", error->message);
      crm_api_call_respond_error (call, error);
      return;
    }
  crm_api_call_respond (call, SOUP_STATUS_OK, reply);
}

/* ---- pull --------------------------------------------------------------------------- */

static void
handle_pull (CrmApiCall *call,
             PGconn     *conn,
             gpointer    user_data)
{
  const char *protocol = crm_api_call_get_query (call, "protocol");
  const char *cursor_text = crm_api_call_get_query (call, "cursor");
  const char *limit_text = crm_api_call_get_query (call, "limit");
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;
  gint64 value = 0, cursor = 0, limit = CRM_STORE_PULL_DEFAULT_LIMIT, next = 0;
  gboolean has_more = FALSE;
  gboolean has_protocol = protocol != NULL && parse_int (protocol, G_MININT32, G_MAXINT32, &value);

  if (!check_protocol (call, has_protocol, value, crm_api_call_get_query (call, "app_version")))
    return;
  if ((cursor_text != NULL && !parse_int (cursor_text, 0, G_MAXINT64, &cursor))
      || (limit_text != NULL && !parse_int (limit_text, 1, CRM_STORE_PULL_MAX_LIMIT, &limit)))
    {
      g_autofree char *detail =
        g_strdup_printf (_("« cursor » doit être un entier positif ou nul et « limit » un entier "
                           "de 1 à %d."), CRM_STORE_PULL_MAX_LIMIT);

      crm_api_call_respond_problem (call, SOUP_STATUS_BAD_REQUEST, CRM_API_PROBLEM_BAD_REQUEST,
                                    _("Requête invalide"), detail, NULL);
      return;
    }

  /* The page's JSON written from the database's binary rows (crm-pg-pull.c). */
  body = crm_store_pull_json (conn, crm_api_call_get_actor (call), cursor, (guint) limit, &next,
                              &has_more, &error);
  if (body == NULL)
    {
      crm_api_call_respond_error (call, error);
      return;
    }
  /* The next page's cursor before the body is read: a client may ask for it while it
   * applies this one. */
  {
    g_autofree char *next_text = g_strdup_printf ("%" G_GINT64_FORMAT, next);

    crm_api_call_set_header (call, "X-Alforis-Sync-Cursor", next_text);
    crm_api_call_set_header (call, "X-Alforis-Sync-Has-More", has_more ? "true" : "false");
  }
  crm_api_call_respond_bytes (call, SOUP_STATUS_OK, "application/json", body);
}

/* ---- conflicts ---------------------------------------------------------------------- */

/* The author chose "garder la mienne" or "garder la leur" on their replica: the record
 * is closed here, so no pull or epoch re-sync brings it again. 204, also when it was
 * already closed. */
static void
handle_conflict_resolve (CrmApiCall *call,
                         PGconn     *conn,
                         gpointer    user_data)
{
  const CrmActor *caller = crm_api_call_get_actor (call);
  g_autoptr (GError) error = NULL;

  if (!crm_store_resolve_conflict (conn, caller, crm_api_call_get_param (call, "id"), &error))
    {
      crm_api_call_respond_error (call, error);
      return;
    }
  crm_api_call_respond (call, SOUP_STATUS_NO_CONTENT, NULL);
}

void
crm_sync_routes_register (CrmApi *api)
{
  crm_api_add_route (api, "POST", "/api/v1/sync/conflicts/{id}/resolve", CRM_API_ROUTE_DEFAULT,
                     handle_conflict_resolve, NULL);
  crm_api_add_route (api, "POST", "/api/v1/sync/push", CRM_API_ROUTE_DEFAULT, handle_push,
                     NULL);
  crm_api_add_route (api, "GET", "/api/v1/sync/pull", CRM_API_ROUTE_DEFAULT, handle_pull, NULL);

  /* The hub lives as long as the HTTP server it listens on. */
  g_object_set_data_full (G_OBJECT (crm_api_get_soup (api)), "crm-ws-hub", crm_ws_hub_new (api),
                          (GDestroyNotify) crm_ws_hub_free);
}

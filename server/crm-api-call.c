/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-api"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-api-private.h"
#include "crm-auth-error.h"
#include "crm-error.h"
#include "crm-json.h"
#include "crm-problem.h"
#include "crm-request.h"
#include "crm-uuid.h"

/* ---- problems ------------------------------------------------------------------------ */

JsonObject *
crm_api_problem_object (guint       status,
                        const char *slug,
                        const char *title,
                        const char *detail,
                        const char *request_id)
{
  JsonObject *object = json_object_new ();
  g_autofree char *type = g_strconcat (CRM_HTTP_PROBLEM_BASE, slug, NULL);

  json_object_set_string_member (object, "type", type);
  json_object_set_string_member (object, "title", title);
  json_object_set_int_member (object, "status", status);
  if (detail != NULL)
    json_object_set_string_member (object, "detail", detail);
  json_object_set_string_member (object, "request_id", request_id);
  return object;
}

static JsonObject *
store_problem_object (const CrmStoreProblem *problem,
                      const char            *request_id)
{
  g_autoptr (JsonNode) node = crm_store_problem_to_json (problem);
  JsonObject *object = json_object_ref (json_node_get_object (node));

  json_object_set_string_member (object, "request_id", request_id);
  return object;
}

static const char *
auth_title (const GError *error)
{
  switch (error->code)
    {
    case CRM_AUTH_ERROR_EXPIRED:
      return _("Jeton expiré");
    case CRM_AUTH_ERROR_ACCOUNT_DISABLED:
      return _("Compte désactivé");
    case CRM_AUTH_ERROR_BAD_CREDENTIALS:
      return _("Identifiants incorrects");
    default:
      return _("Authentification requise");
    }
}

/**
 * crm_api_error_to_problem:
 *
 * Database and internal failures are logged here with their text and answered without
 * it: the client learns what to do, not how our network looks.
 */
JsonObject *
crm_api_error_to_problem (const GError *error,
                          const char   *request_id,
                          guint        *status)
{
  if (error->domain == CRM_AUTH_ERROR && error->code != CRM_AUTH_ERROR_CRYPTO
      && error->code != CRM_AUTH_ERROR_INVALID_ARGUMENT)
    {
      *status = SOUP_STATUS_UNAUTHORIZED;
      return crm_api_problem_object (*status, CRM_API_PROBLEM_UNAUTHORIZED, auth_title (error),
                                     error->message, request_id);
    }
  if (error->domain == CRM_VALIDATION_ERROR)
    {
      JsonObject *object;
      g_autoptr (JsonArray) errors = json_array_new ();
      JsonObject *entry = json_object_new ();

      *status = error->code == CRM_VALIDATION_ERROR_MALFORMED ? SOUP_STATUS_BAD_REQUEST : 422;
      object = crm_api_problem_object (*status,
                                       *status == 422 ? CRM_API_PROBLEM_VALIDATION
                                                      : CRM_API_PROBLEM_BAD_REQUEST,
                                       *status == 422 ? _("Données invalides")
                                                      : _("Requête invalide"),
                                       error->message, request_id);
      json_object_set_null_member (entry, "field");
      json_object_set_string_member (entry, "message", error->message);
      json_array_add_object_element (errors, entry);
      json_object_set_array_member (object, "errors", g_steal_pointer (&errors));
      return object;
    }
  if (error->domain == CRM_STORE_ERROR)
    {
      g_autoptr (CrmStoreProblem) problem = crm_store_problem_new_from_error (error);

      if (problem->status >= 500)
        g_warning ("%s : %s", request_id, error->message);
      *status = problem->status;
      return store_problem_object (problem, request_id);
    }
  if (error->domain == CRM_DB_POOL_ERROR)
    {
      g_warning ("%s : %s", request_id, error->message);
      *status = SOUP_STATUS_SERVICE_UNAVAILABLE;
      return crm_api_problem_object (*status, CRM_HTTP_PROBLEM_UNAVAILABLE,
                                     _("Service momentanément indisponible"),
                                     _("La base de données ne répond pas ; réessayez dans un "
                                       "instant."),
                                     request_id);
    }
  g_critical ("%s : %s", request_id, error->message);
  *status = SOUP_STATUS_INTERNAL_SERVER_ERROR;
  return crm_api_problem_object (*status, CRM_HTTP_PROBLEM_INTERNAL, _("Erreur interne"),
                                 _("Le serveur a rencontré une erreur ; elle est dans son "
                                   "journal avec l'identifiant de la requête."),
                                 request_id);
}

/* ---- the call ------------------------------------------------------------------------ */

static void
copy_header (const char *name,
             const char *value,
             gpointer    user_data)
{
  soup_message_headers_append (user_data, name, value);
}

CrmApiCall *
crm_api_call_new (CrmApi            *api,
                  SoupServerMessage *msg,
                  const CrmApiRoute *route,
                  GHashTable        *params,
                  GHashTable        *query)
{
  CrmApiCall *call = g_new0 (CrmApiCall, 1);
  GUri *uri = soup_server_message_get_uri (msg);

  call->api = api;
  call->msg = g_object_ref (msg);
  call->route = route;
  call->method = g_strdup (soup_server_message_get_method (msg));
  call->path = g_strdup (g_uri_get_path (uri));
  call->params = g_hash_table_ref (params);
  call->query = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (query != NULL)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, query);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_replace (call->query, g_strdup (key), g_strdup (value));
    }
  call->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_message_headers_foreach (soup_server_message_get_request_headers (msg), copy_header,
                                call->headers);
  call->remote_address = crm_api_client_address (msg, &call->local);
  call->request_id = g_strdup (crm_request_get_id (msg));
  call->response_headers = g_ptr_array_new_with_free_func (g_free);
  return call;
}

void
crm_api_call_free (CrmApiCall *call)
{
  if (call == NULL)
    return;

  g_clear_object (&call->msg);
  g_free (call->method);
  g_free (call->path);
  g_hash_table_unref (call->params);
  g_hash_table_unref (call->query);
  soup_message_headers_unref (call->headers);
  g_clear_pointer (&call->raw_body, g_bytes_unref);
  g_clear_pointer (&call->body, json_node_unref);
  g_clear_pointer (&call->claims, crm_jwt_claims_free);
  g_clear_pointer (&call->actor, crm_actor_free);
  g_free (call->remote_address);
  g_free (call->request_id);
  g_clear_pointer (&call->response_body, g_bytes_unref);
  g_ptr_array_unref (call->response_headers);
  g_free (call);
}

static gboolean
is_json_media_type (const char *content_type)
{
  return content_type != NULL
         && (g_ascii_strcasecmp (content_type, "application/json") == 0
             || g_str_has_suffix (content_type, "+json"));
}

/*
 * Keeps the body, parsed when the route wants JSON. Any defect of the body is the
 * client's: 415 for another media type, 400 for anything the strict parser refuses.
 */
gboolean
crm_api_call_read_body (CrmApiCall *call)
{
  SoupMessageBody *body = soup_server_message_get_request_body (call->msg);
  const char *content_type = soup_message_headers_get_content_type (call->headers, NULL);
  g_autoptr (GError) error = NULL;
  gsize length = 0;
  const char *data;

  if (body == NULL || body->length == 0)
    return TRUE;
  call->raw_body = soup_message_body_flatten (body);
  if ((call->route->flags & CRM_API_ROUTE_RAW_BODY) != 0)
    return TRUE;

  if (!is_json_media_type (content_type))
    {
      crm_api_call_respond_problem (call, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
                                    CRM_API_PROBLEM_UNSUPPORTED_MEDIA,
                                    _("Type de contenu non pris en charge"),
                                    _("Envoyez le corps en JSON avec « Content-Type: "
                                      "application/json »."),
                                    NULL);
      return FALSE;
    }
  data = g_bytes_get_data (call->raw_body, &length);
  call->body = crm_json_parse_bounded (data, length, &error);
  if (call->body == NULL)
    {
      g_autofree char *detail = g_strdup_printf (_("Le corps n'est pas un JSON valide : %s"),
                                                 error->message);

      crm_api_call_respond_problem (call, SOUP_STATUS_BAD_REQUEST, CRM_API_PROBLEM_BAD_REQUEST,
                                    _("Requête invalide"), detail, NULL);
      return FALSE;
    }
  return TRUE;
}

/* libsoup 3.2 has no phrase for these (it would say "Unknown Error"). */
const char *
crm_api_reason_phrase (guint status)
{
  switch (status)
    {
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 422:
      return "Unprocessable Content";
    default:
      return NULL;
    }
}

/* Main loop: hands the answer to libsoup and lets the message go on. */
void
crm_api_call_send (CrmApiCall *call)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (call->msg);

  for (guint i = 0; i + 1 < call->response_headers->len; i += 2)
    soup_message_headers_replace (headers, g_ptr_array_index (call->response_headers, i),
                                  g_ptr_array_index (call->response_headers, i + 1));
  soup_server_message_set_status (call->msg, call->status,
                                  crm_api_reason_phrase (call->status));
  /* What soup_server_message_set_response () does, without copying the body: a list
   * page is tens of kilobytes, and this runs on the main loop, which every request
   * goes through. */
  if (call->response_body != NULL && call->content_type != NULL)
    {
      soup_message_headers_replace (headers, "Content-Type", call->content_type);
      soup_message_body_append_bytes (soup_server_message_get_response_body (call->msg),
                                      call->response_body);
    }
  else if (call->response_body != NULL)
    {
      soup_message_headers_remove (headers, "Content-Type");
      soup_message_body_truncate (soup_server_message_get_response_body (call->msg));
    }
  soup_server_message_unpause (call->msg);
}

/* ---- reading ------------------------------------------------------------------------- */

CrmApi *
crm_api_call_get_api (CrmApiCall *call)
{
  return call->api;
}

const char *
crm_api_call_get_method (CrmApiCall *call)
{
  return call->method;
}

const char *
crm_api_call_get_path (CrmApiCall *call)
{
  return call->path;
}

const char *
crm_api_call_get_param (CrmApiCall *call,
                        const char *name)
{
  return g_hash_table_lookup (call->params, name);
}

const char *
crm_api_call_get_query (CrmApiCall *call,
                        const char *name)
{
  return g_hash_table_lookup (call->query, name);
}

GHashTable *
crm_api_call_get_query_table (CrmApiCall *call)
{
  return call->query;
}

const char *
crm_api_call_get_header (CrmApiCall *call,
                         const char *name)
{
  return soup_message_headers_get_one (call->headers, name);
}

JsonNode *
crm_api_call_get_body (CrmApiCall *call)
{
  return call->body;
}

GBytes *
crm_api_call_get_raw_body (CrmApiCall *call)
{
  return call->raw_body;
}

JsonObject *
crm_api_call_require_object (CrmApiCall *call)
{
  if (call->body != NULL && JSON_NODE_HOLDS_OBJECT (call->body))
    return json_node_get_object (call->body);
  crm_api_call_respond_problem (call, SOUP_STATUS_BAD_REQUEST, CRM_API_PROBLEM_BAD_REQUEST,
                                _("Requête invalide"),
                                _("Le corps de la requête doit être un objet JSON."), NULL);
  return NULL;
}

const CrmActor *
crm_api_call_get_actor (CrmApiCall *call)
{
  return call->actor;
}

const CrmJwtClaims *
crm_api_call_get_claims (CrmApiCall *call)
{
  return call->claims;
}

const char *
crm_api_call_get_remote_address (CrmApiCall *call)
{
  return call->remote_address;
}

const char *
crm_api_call_get_request_id (CrmApiCall *call)
{
  return call->request_id;
}

gboolean
crm_api_param_is_uuid (CrmApiCall *call,
                       const char *name)
{
  const char *value = crm_api_call_get_param (call, name);
  g_autofree char *detail = NULL;

  if (value != NULL && crm_uuid_is_valid (value))
    return TRUE;
  /* A malformed id names no row: the same answer as a row that is not there. */
  detail = g_strdup_printf (_("« %s » n'est pas un identifiant valide."), value);
  crm_api_call_respond_problem (call, SOUP_STATUS_NOT_FOUND, CRM_HTTP_PROBLEM_NOT_FOUND,
                                _("Élément introuvable"), detail, NULL);
  return FALSE;
}

/* ---- answering ----------------------------------------------------------------------- */

static void
respond_object (CrmApiCall *call,
                guint       status,
                const char *content_type,
                JsonObject *object)
{
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  gsize length = 0;
  char *text;

  json_node_set_object (node, object);
  text = crm_json_to_data (node, &length);
  g_clear_pointer (&call->response_body, g_bytes_unref);
  call->response_body = g_bytes_new_take (text, length);
  call->content_type = content_type;
  call->status = status;
  call->responded = TRUE;
}

void
crm_api_call_respond (CrmApiCall *call,
                      guint       status,
                      JsonNode   *body)
{
  g_autoptr (JsonNode) owned = body;

  g_clear_pointer (&call->response_body, g_bytes_unref);
  if (owned != NULL)
    {
      gsize length = 0;
      char *text = crm_json_to_data (owned, &length);

      call->response_body = g_bytes_new_take (text, length);
      call->content_type = "application/json";
    }
  call->status = status;
  call->responded = TRUE;
}

void
crm_api_call_respond_bytes (CrmApiCall *call,
                            guint       status,
                            const char *content_type,
                            GBytes     *body)
{
  g_clear_pointer (&call->response_body, g_bytes_unref);
  call->response_body = g_bytes_ref (body);
  call->content_type = content_type;
  call->status = status;
  call->responded = TRUE;
}

void
crm_api_call_set_header (CrmApiCall *call,
                         const char *name,
                         const char *value)
{
  g_ptr_array_add (call->response_headers, g_strdup (name));
  g_ptr_array_add (call->response_headers, g_strdup (value));
}

static void
log_denial (CrmApiCall *call,
            const char *why)
{
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                    "REQUEST_ID", call->request_id,
                    "USER_ID", call->actor != NULL ? call->actor->user_id : "-",
                    "ROUTE", call->route->pattern,
                    "MESSAGE", "refus : %s %s : %s", call->method, call->route->pattern,
                    why != NULL ? why : "-");
}

void
crm_api_call_respond_problem (CrmApiCall *call,
                              guint       status,
                              const char *slug,
                              const char *title,
                              const char *detail,
                              JsonObject *extra)
{
  g_autoptr (JsonObject) members = extra;
  g_autoptr (JsonObject) object = crm_api_problem_object (status, slug, title, detail,
                                                          call->request_id);

  if (members != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, members);
      while (json_object_iter_next (&iter, &name, &value))
        if (!json_object_has_member (object, name))
          json_object_set_member (object, name, json_node_copy (value));
    }
  if (status == SOUP_STATUS_FORBIDDEN)
    log_denial (call, detail);
  respond_object (call, status, "application/problem+json", object);
}

void
crm_api_call_respond_store_problem (CrmApiCall            *call,
                                    const CrmStoreProblem *problem)
{
  g_autoptr (JsonObject) object = store_problem_object (problem, call->request_id);

  if (problem->status == SOUP_STATUS_FORBIDDEN)
    log_denial (call, problem->detail);
  respond_object (call, problem->status, "application/problem+json", object);
}

void
crm_api_call_respond_error (CrmApiCall   *call,
                            const GError *error)
{
  guint status = 500;
  g_autoptr (JsonObject) object = crm_api_error_to_problem (error, call->request_id, &status);

  if (status == SOUP_STATUS_FORBIDDEN)
    log_denial (call, error->message);
  if (status == SOUP_STATUS_UNAUTHORIZED)
    crm_api_call_set_header (call, "WWW-Authenticate", "Bearer realm=\"alforis-crm\"");
  respond_object (call, status, "application/problem+json", object);
}

gboolean
crm_api_call_has_response (CrmApiCall *call)
{
  return call->responded;
}

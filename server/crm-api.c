/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-api"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-api-private.h"
#include "crm-auth-error.h"
#include "crm-problem.h"
#include "crm-request.h"
#include "crm-sync-routes.h"

/* Registration functions of the route files: one line per file. */
static void (*const modules[]) (CrmApi *api) = {
  crm_api_auth_register,
  crm_api_entities_register,
  crm_api_admin_register,
  crm_api_search_register,
  crm_api_ops_register,
  crm_sync_routes_register,
};

/* Failed logins: 5 at once per account, 20 per address, then one every few minutes. */
#define ACCOUNT_LIMIT   5
#define ADDRESS_LIMIT   20
#define LIMIT_WINDOW    (15 * 60)
#define LIMIT_MAX_KEYS  100000

/* Access tokens remembered at once: far more clients than one server sees in 15 minutes. */
#define TOKEN_CACHE_MAX 20000

static void
route_free (gpointer data)
{
  CrmApiRoute *route = data;

  g_free (route->method);
  g_free (route->pattern);
  g_strfreev (route->segments);
  g_free (route);
}

void
crm_api_add_route (CrmApi           *api,
                   const char       *method,
                   const char       *pattern,
                   CrmApiRouteFlags  flags,
                   CrmApiHandler     handler,
                   gpointer          user_data)
{
  CrmApiRoute *route = g_new0 (CrmApiRoute, 1);

  g_return_if_fail (pattern[0] == '/');

  route->method = g_strdup (method);
  route->pattern = g_strdup (pattern);
  route->segments = g_strsplit (pattern + 1, "/", -1);
  route->flags = flags;
  route->handler = handler;
  route->user_data = user_data;
  g_ptr_array_add (api->routes, route);
}

/* Fills @params (placeholder → segment) when @path fits the pattern. */
static gboolean
route_matches (const CrmApiRoute *route,
               char             **path_segments,
               GHashTable        *params)
{
  guint i;

  for (i = 0; route->segments[i] != NULL && path_segments[i] != NULL; i++)
    {
      const char *want = route->segments[i];

      if (want[0] == '{')
        {
          if (path_segments[i][0] == '\0')
            return FALSE;
          if (params != NULL)
            g_hash_table_replace (params, g_strndup (want + 1, strlen (want) - 2),
                                  g_strdup (path_segments[i]));
        }
      else if (strcmp (want, path_segments[i]) != 0)
        return FALSE;
    }
  return route->segments[i] == NULL && path_segments[i] == NULL;
}

/* ---- answering before a call exists ---------------------------------------------- */

static void
respond_method_not_allowed (SoupServerMessage *msg,
                            GString           *allow)
{
  g_autofree char *detail = g_strdup_printf (_("Méthodes acceptées ici : %s."), allow->str);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                allow->str);
  crm_problem_respond (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, CRM_HTTP_PROBLEM_METHOD_NOT_ALLOWED,
                       _("Méthode non permise"), detail, NULL);
}

void
crm_api_respond_error (SoupServerMessage *msg,
                       const GError      *error)
{
  guint status = 500;
  g_autoptr (JsonObject) problem = crm_api_error_to_problem (error, crm_request_get_id (msg),
                                                             &status);
  g_autoptr (JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  gsize length = 0;
  char *text;

  if (status == SOUP_STATUS_UNAUTHORIZED)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "WWW-Authenticate", "Bearer realm=\"alforis-crm\"");
  json_node_set_object (root, problem);
  text = json_to_string (root, FALSE);
  length = strlen (text);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/problem+json", SOUP_MEMORY_TAKE, text,
                                    length);
}

/* ---- the request's journey -------------------------------------------------------- */

static gpointer
run_call (PGconn       *conn,
          gpointer      job_data,
          GCancellable *cancellable,
          GError      **error)
{
  CrmApiCall *call = job_data;
  const CrmApiRoute *route = call->route;
  g_autoptr (GError) local_error = NULL;

  if (call->claims != NULL && (route->flags & CRM_API_ROUTE_ACTOR_IN_QUERY) != 0)
    call->actor = crm_store_actor_from_claims (call->claims->sub, call->claims->role,
                                               call->claims->team, call->claims->epoch);
  if (call->claims != NULL && call->actor == NULL)
    {
      call->actor = crm_api_load_actor (conn, call->claims, NULL, &local_error);
      if (call->actor == NULL)
        {
          /* The pool's own failures (PostgreSQL away) are the pool's to report. */
          if (g_error_matches (local_error, CRM_STORE_ERROR, CRM_STORE_ERROR_DATABASE))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          crm_api_call_respond_error (call, local_error);
          return call;
        }
      if ((route->flags & CRM_API_ROUTE_LOCAL_OR_ADMIN) != 0 && call->actor->role != CRM_ROLE_ADMIN)
        {
          crm_api_call_respond_problem (call, SOUP_STATUS_FORBIDDEN, CRM_API_PROBLEM_FORBIDDEN,
                                        _("Action non autorisée"),
                                        _("Cette adresse est réservée aux administrateurs."),
                                        NULL);
          return call;
        }
    }
  if ((route->flags & CRM_API_ROUTE_MAIN_THREAD) == 0)
    {
      route->handler (call, conn, route->user_data);
      if (!call->responded)
        {
          g_critical ("la route %s %s n'a pas répondu", route->method, route->pattern);
          crm_api_call_respond_problem (call, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                                        CRM_HTTP_PROBLEM_INTERNAL, _("Erreur interne"), NULL,
                                        NULL);
        }
    }
  return call;
}

/**
 * crm_api_call_check_actor:
 *
 * For a CRM_API_ROUTE_ACTOR_IN_QUERY handler whose statement came back empty or failed
 * with an unchecked actor: loads the actor from the users table in its place. FALSE
 * after answering (the token is stale, the account gone or disabled) or on a database
 * failure (@error set, nothing answered).
 */
gboolean
crm_api_call_check_actor (CrmApiCall *call,
                          PGconn     *conn,
                          GError    **error)
{
  g_autoptr (GError) local_error = NULL;
  CrmActor *actor;

  if (call->actor != NULL && !call->actor->unchecked)
    return TRUE;
  actor = crm_api_load_actor (conn, call->claims, NULL, &local_error);
  if (actor == NULL)
    {
      if (g_error_matches (local_error, CRM_STORE_ERROR, CRM_STORE_ERROR_DATABASE))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        crm_api_call_respond_error (call, local_error);
      return FALSE;
    }
  g_clear_pointer (&call->actor, crm_actor_free);
  call->actor = actor;
  return TRUE;
}

static void
finish_call (CrmApiCall *call)
{
  const CrmApiRoute *route = call->route;

  if (!call->responded && (route->flags & CRM_API_ROUTE_MAIN_THREAD) != 0)
    route->handler (call, NULL, route->user_data);
  if (!call->responded)
    crm_api_call_respond_problem (call, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                                  CRM_HTTP_PROBLEM_INTERNAL, _("Erreur interne"), NULL, NULL);
  if (call->actor != NULL)
    crm_request_set_user (call->msg, call->actor->user_id);
  crm_api_call_send (call);
}

static void
on_call_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr (CrmApiCall) call = user_data;
  g_autoptr (GError) error = NULL;

  if (crm_db_pool_run_finish (call->api->pool, result, &error) == NULL)
    {
      g_warning ("%s %s : %s", call->method, call->route->pattern, error->message);
      crm_api_call_respond_error (call, error);
      crm_api_call_send (call);
      return;
    }
  finish_call (call);
}

static const CrmApiRoute *
find_route (CrmApi            *api,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *params)
{
  const char *method = soup_server_message_get_method (msg);
  g_auto (GStrv) segments = g_strsplit (path + 1, "/", -1);
  g_autoptr (GString) allow = NULL;

  if (method == SOUP_METHOD_HEAD)
    method = SOUP_METHOD_GET;
  for (guint i = 0; i < api->routes->len; i++)
    {
      const CrmApiRoute *route = g_ptr_array_index (api->routes, i);

      if (!route_matches (route, segments, NULL))
        continue;
      if (strcmp (route->method, method) == 0)
        {
          route_matches (route, segments, params);
          return route;
        }
      if (allow == NULL)
        allow = g_string_new (route->method);
      else if (strstr (allow->str, route->method) == NULL)
        g_string_append_printf (allow, ", %s", route->method);
    }

  if (allow != NULL)
    respond_method_not_allowed (msg, allow);
  else
    {
      g_autofree char *detail = g_strdup_printf (_("Aucune ressource à l'adresse %s."), path);

      crm_problem_respond (msg, SOUP_STATUS_NOT_FOUND, CRM_HTTP_PROBLEM_NOT_FOUND,
                           _("Ressource introuvable"), detail, NULL);
    }
  return NULL;
}

static void
api_handler (SoupServer        *soup,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  CrmApi *api = user_data;
  g_autoptr (GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         g_free);
  g_autoptr (CrmApiCall) call = NULL;
  g_autoptr (GError) error = NULL;
  const CrmApiRoute *route;
  CrmApiCall *owned;

  /* Already answered once the headers came in (413, shutting down). */
  if (soup_server_message_get_status (msg) != 0)
    return;

  route = find_route (api, msg, path, params);
  if (route == NULL)
    return;
  crm_request_set_route (msg, route->pattern);

  call = crm_api_call_new (api, msg, route, params, query);
  if (!crm_api_call_read_body (call))
    {
      crm_api_call_send (call);
      return;
    }

  if ((route->flags & CRM_API_ROUTE_PUBLIC) == 0
      && !((route->flags & CRM_API_ROUTE_LOCAL_OR_ADMIN) != 0 && call->local))
    {
      call->claims = crm_api_verify_bearer (api, msg, &error);
      if (call->claims == NULL)
        {
          crm_api_respond_error (msg, error);
          return;
        }
      crm_request_set_user (msg, call->claims->sub);
    }

  if (call->claims == NULL && (route->flags & CRM_API_ROUTE_MAIN_THREAD) != 0)
    {
      finish_call (call);
      return;
    }

  /* on_call_done owns the call from here; the pool only borrows it for the job. */
  soup_server_message_pause (msg);
  owned = g_steal_pointer (&call);
  crm_db_pool_run (api->pool, run_call, owned, NULL, NULL, on_call_done, owned);
}

/* ---- metrics for every request, routed by us or not --------------------------------- */

static void
on_request_finished (SoupServer        *soup,
                     SoupServerMessage *msg,
                     gpointer           user_data)
{
  CrmApi *api = user_data;
  gint64 started = crm_request_get_started (msg);
  const char *route = crm_request_get_route (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  guint status = soup_server_message_get_status (msg);

  /* A keep-alive connection that closes while waiting for a request finishes nothing;
   * the request's clock starts at "request-started" (crm-server.c, crm_request_begin). */
  if (started == 0 || status == 0)
    return;
  if (route == NULL)
    route = uri != NULL && g_str_equal (g_uri_get_path (uri), "/health") ? "/health" : "other";
  crm_metrics_observe (api->metrics, soup_server_message_get_method (msg), route, status,
                       (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);
}

/* ---- lifecycle ---------------------------------------------------------------------- */

CrmApi *
crm_api_new (SoupServer *soup,
             CrmDbPool  *pool,
             CrmConfig  *config,
             GError    **error)
{
  g_autoptr (CrmApi) api = g_new0 (CrmApi, 1);
  gsize length = 0;
  const guint8 *secret;

  api->soup = soup;
  api->pool = pool;
  api->config = config;
  api->routes = g_ptr_array_new_with_free_func (route_free);
  api->metrics = crm_metrics_new ();
  api->token_cache = crm_token_cache_new (TOKEN_CACHE_MAX);
  api->account_limiter = crm_rate_limiter_new (ACCOUNT_LIMIT, LIMIT_WINDOW, LIMIT_MAX_KEYS);
  api->address_limiter = crm_rate_limiter_new (ADDRESS_LIMIT, LIMIT_WINDOW, LIMIT_MAX_KEYS);

  if (config->jwt_secret == NULL)
    {
      g_set_error_literal (error, CRM_AUTH_ERROR, CRM_AUTH_ERROR_WEAK_SECRET,
                           _("Aucun secret de signature : réglez [auth] jwt-secret-file ou "
                             "ALFORIS_JWT_SECRET."));
      return NULL;
    }
  secret = g_bytes_get_data (config->jwt_secret, &length);
  api->jwt_key = crm_jwt_key_new (secret, length, error);
  if (api->jwt_key == NULL)
    return NULL;
  crm_jwt_key_set_issuer (api->jwt_key, "alforis-crm");

  for (guint i = 0; i < G_N_ELEMENTS (modules); i++)
    modules[i] (api);

  soup_server_add_handler (soup, "/api/v1", api_handler, api, NULL);
  soup_server_add_handler (soup, "/metrics", api_handler, api, NULL);
  g_signal_connect (soup, "request-finished", G_CALLBACK (on_request_finished), api);
  return g_steal_pointer (&api);
}

void
crm_api_free (CrmApi *api)
{
  if (api == NULL)
    return;

  if (api->soup != NULL)
    {
      g_signal_handlers_disconnect_by_data (api->soup, api);
      if (api->routes->len > 0)
        {
          soup_server_remove_handler (api->soup, "/api/v1");
          soup_server_remove_handler (api->soup, "/metrics");
        }
    }
  g_ptr_array_unref (api->routes);
  g_clear_pointer (&api->jwt_key, crm_jwt_key_free);
  g_clear_pointer (&api->token_cache, crm_token_cache_free);
  g_clear_pointer (&api->metrics, crm_metrics_free);
  g_clear_pointer (&api->account_limiter, crm_rate_limiter_free);
  g_clear_pointer (&api->address_limiter, crm_rate_limiter_free);
  g_free (api);
}

CrmDbPool *
crm_api_get_pool (CrmApi *api)
{
  return api->pool;
}

CrmConfig *
crm_api_get_config (CrmApi *api)
{
  return api->config;
}

SoupServer *
crm_api_get_soup (CrmApi *api)
{
  return api->soup;
}

const CrmJwtKey *
crm_api_get_jwt_key (CrmApi *api)
{
  return api->jwt_key;
}

/* ---- authentication ----------------------------------------------------------------- */

CrmJwtClaims *
crm_api_verify_bearer (CrmApi            *api,
                       SoupServerMessage *msg,
                       GError           **error)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *value = soup_message_headers_get_one (headers, "Authorization");
  CrmJwtClaims *claims;
  gint64 now;

  /* A verified token still goes through crm_api_load_actor (): the epoch of the user's
   * row ends it at once, cached or not. */
  if (value == NULL || g_ascii_strncasecmp (value, "Bearer ", 7) != 0 || value[7] == '\0')
    {
      g_set_error_literal (error, CRM_AUTH_ERROR, CRM_AUTH_ERROR_MISSING_CLAIM,
                           _("Cette adresse demande un jeton d'accès : en-tête "
                             "« Authorization: Bearer … »."));
      return NULL;
    }
  now = g_get_real_time () / G_USEC_PER_SEC;
  claims = crm_token_cache_lookup (api->token_cache, value + 7, now);
  if (claims != NULL)
    return claims;
  claims = crm_jwt_verify (api->jwt_key, value + 7, now, error);
  if (claims != NULL)
    crm_token_cache_store (api->token_cache, value + 7, claims, now);
  return claims;
}

CrmActor *
crm_api_load_actor (PGconn             *conn,
                    const CrmJwtClaims *claims,
                    const char         *client_id,
                    GError            **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (CrmActor) actor = crm_store_load_actor (conn, claims->sub, client_id, &local_error);

  if (actor == NULL)
    {
      if (g_error_matches (local_error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND)
          || g_error_matches (local_error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID))
        g_set_error_literal (error, CRM_AUTH_ERROR, CRM_AUTH_ERROR_INVALID_CLAIM,
                             _("Ce jeton désigne un compte qui n'existe pas."));
      else if (g_error_matches (local_error, CRM_STORE_ERROR, CRM_STORE_ERROR_FORBIDDEN))
        g_set_error_literal (error, CRM_AUTH_ERROR, CRM_AUTH_ERROR_ACCOUNT_DISABLED,
                             local_error->message);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (actor->epoch != claims->epoch)
    {
      g_set_error_literal (error, CRM_AUTH_ERROR, CRM_AUTH_ERROR_EXPIRED,
                           _("Votre compte a changé depuis ce jeton (rôle, équipe ou mot de "
                             "passe) : renouvelez-le."));
      return NULL;
    }
  return g_steal_pointer (&actor);
}

CrmActor *
crm_api_require_actor (CrmApi            *api,
                       SoupServerMessage *msg,
                       PGconn            *conn,
                       GError           **error)
{
  g_autoptr (CrmJwtClaims) claims = crm_api_verify_bearer (api, msg, error);

  if (claims == NULL)
    return NULL;
  return crm_api_load_actor (conn, claims, NULL, error);
}

/* Behind a proxy on the same machine every request comes from loopback: the address to
 * count is then the one the proxy appended last to X-Forwarded-For, and the request is
 * not "local" (so /metrics is not open to the world through nginx). */
char *
crm_api_client_address (SoupServerMessage *msg,
                        gboolean          *local)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);
  const char *forwarded = soup_message_headers_get_list (headers, "X-Forwarded-For");
  gboolean loopback = FALSE;
  const char *host = soup_server_message_get_remote_host (msg);

  if (G_IS_INET_SOCKET_ADDRESS (remote))
    loopback = g_inet_address_get_is_loopback (
      g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));

  *local = loopback && forwarded == NULL
           && soup_message_headers_get_one (headers, "Forwarded") == NULL;
  if (loopback && forwarded != NULL)
    {
      const char *last = strrchr (forwarded, ',');
      g_autofree char *candidate = g_strstrip (g_strdup (last != NULL ? last + 1 : forwarded));

      if (g_hostname_is_ip_address (candidate))
        return g_steal_pointer (&candidate);
    }
  return g_strdup (host != NULL ? host : "-");
}

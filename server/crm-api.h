/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-api.h — the REST dispatcher of /api/v1 (DESIGN.md §9) and what other route files
 * build on: route registration, the authenticated actor, answers in problem+json.
 *
 * How a request flows, for every route registered here:
 *
 *   main loop   match the route (method + pattern) → check the body (JSON, bounded)
 *               → verify the bearer token (HS256, strict, no database) → pause
 *   worker      crm_api_load_actor (user active, epoch equal to the token's) → the
 *               route's handler with a connection of the pool (never in a transaction)
 *   main loop   write the answer the handler left in the call, unpause, count it
 *               (metrics per route template, request log with route and user)
 *
 * A handler never touches the SoupServerMessage: everything it needs is copied into
 * the CrmApiCall, so it is safe on the worker thread. A handler that leaves without
 * answering produces a 500 problem (a bug, logged).
 *
 * Adding routes from another file (the sync endpoints, exports…):
 *
 *   void
 *   crm_sync_routes_register (CrmApi *api)
 *   {
 *     crm_api_add_route (api, "POST", "/api/v1/sync/push", CRM_API_ROUTE_DEFAULT,
 *                        handle_push, NULL);
 *     crm_api_add_route (api, "GET", "/api/v1/sync/pull", CRM_API_ROUTE_DEFAULT,
 *                        handle_pull, NULL);
 *   }
 *
 * and add the registration function to the `modules` list at the top of crm-api.c
 * (one line). Patterns are literal segments and `{name}` placeholders, read back with
 * crm_api_call_get_param(); the pattern is also the route's name in logs and metrics.
 *
 * For a handler that cannot use this flow (the WebSocket upgrade of /api/v1/ws runs
 * in libsoup's own handler on the main loop), the pieces are public:
 * crm_api_verify_bearer() checks the token on the main loop with no database, then
 * crm_api_load_actor() on a worker thread turns its claims into the actor (401 for a
 * stale epoch or a deactivated account), and crm_api_respond_error() answers any of
 * the errors with the right status. crm_api_require_actor() does both in one call on
 * a worker thread while the message is paused.
 */
#pragma once

#include <libpq-fe.h>
#include <libsoup/soup.h>

#include "crm-config.h"
#include "crm-db-pool.h"
#include "crm-jwt.h"
#include "crm-pg-store.h"

G_BEGIN_DECLS

/* Problem slugs of the API (crm-problem.h has the server's own). Part of the API. */
#define CRM_API_PROBLEM_UNAUTHORIZED        "unauthorized"
#define CRM_API_PROBLEM_FORBIDDEN           "forbidden"
#define CRM_API_PROBLEM_BAD_REQUEST         "bad-request"
#define CRM_API_PROBLEM_VALIDATION          "validation"
#define CRM_API_PROBLEM_PRECONDITION        "precondition-required"
#define CRM_API_PROBLEM_PRECONDITION_FAILED "precondition-failed"
#define CRM_API_PROBLEM_UNSUPPORTED_MEDIA   "unsupported-media-type"
#define CRM_API_PROBLEM_TOO_MANY            "too-many-requests"
#define CRM_API_PROBLEM_EDIT_CONFLICT       "edit-conflict"

typedef struct _CrmApi     CrmApi;
typedef struct _CrmApiCall CrmApiCall;

typedef enum
{
  CRM_API_ROUTE_DEFAULT     = 0,       /* bearer token required, handler on a worker */
  CRM_API_ROUTE_PUBLIC      = 1 << 0,  /* no token (login, refresh, logout) */
  CRM_API_ROUTE_LOCAL_OR_ADMIN = 1 << 1, /* no token from loopback, else an admin's */
  CRM_API_ROUTE_MAIN_THREAD = 1 << 2,  /* handler on the main loop, conn NULL (no DB) */
  CRM_API_ROUTE_RAW_BODY    = 1 << 3,  /* the body is not parsed as JSON */
  /* The handler's statement checks the user row itself (crm_store_list_json): the
   * actor may come from the token without a query (CrmActor.unchecked), and the
   * handler calls crm_api_call_check_actor () before trusting an empty answer. */
  CRM_API_ROUTE_ACTOR_IN_QUERY = 1 << 4,
} CrmApiRouteFlags;

/*
 * Runs on a pool worker thread (or the main loop with CRM_API_ROUTE_MAIN_THREAD, then
 * @conn is NULL) once the caller is authenticated. @conn is not in a transaction and
 * must be left that way. Answer with one of the crm_api_call_respond_* functions.
 */
typedef void (*CrmApiHandler) (CrmApiCall *call,
                               PGconn     *conn,
                               gpointer    user_data);

/* ---- The dispatcher (owned by the server) ------------------------------------------ */

/* Routes /api/v1/…, /metrics; @soup, @pool and @config are borrowed and outlive it.
 * NULL with an error if the signing secret is missing or too short. */
CrmApi           *crm_api_new                 (SoupServer  *soup,
                                               CrmDbPool   *pool,
                                               CrmConfig   *config,
                                               GError     **error);
void              crm_api_free                (CrmApi      *api);

void              crm_api_add_route           (CrmApi           *api,
                                               const char       *method,
                                               const char       *pattern,
                                               CrmApiRouteFlags  flags,
                                               CrmApiHandler     handler,
                                               gpointer          user_data);

CrmDbPool        *crm_api_get_pool            (CrmApi      *api);
CrmConfig        *crm_api_get_config          (CrmApi      *api);
SoupServer       *crm_api_get_soup            (CrmApi      *api);
const CrmJwtKey  *crm_api_get_jwt_key         (CrmApi      *api);

/* ---- Authentication, for handlers outside the dispatcher --------------------------- */

/* Main loop, no database: the verified claims of "Authorization: Bearer …", or NULL
 * with a CRM_AUTH_ERROR (no header or not a bearer: CRM_AUTH_ERROR_MISSING_CLAIM). */
CrmJwtClaims     *crm_api_verify_bearer       (CrmApi             *api,
                                               SoupServerMessage  *msg,
                                               GError            **error);
/* Any thread with a connection: the actor for @claims, checked against the database:
 * the account exists and is active, its epoch is the token's (CRM_AUTH_ERROR_EXPIRED
 * otherwise: a role or team change, a password reset or a deactivation ends every
 * older access token). @client_id: the app install for sync, NULL for REST. */
CrmActor         *crm_api_load_actor          (PGconn             *conn,
                                               const CrmJwtClaims *claims,
                                               const char         *client_id,
                                               GError            **error);
/* Both, on a worker thread, while @msg is paused by the caller (its headers are then
 * not touched by the main loop). */
CrmActor         *crm_api_require_actor       (CrmApi             *api,
                                               SoupServerMessage  *msg,
                                               PGconn             *conn,
                                               GError            **error);
/* Main loop: answers @msg with the problem+json @error calls for (CRM_AUTH_ERROR → 401,
 * CRM_STORE_ERROR → its status, CRM_DB_POOL_ERROR → 503, anything else → 500). */
void              crm_api_respond_error       (SoupServerMessage  *msg,
                                               const GError       *error);

/* ---- What a handler reads -------------------------------------------------------- */

CrmApi           *crm_api_call_get_api        (CrmApiCall  *call);
const char       *crm_api_call_get_method     (CrmApiCall  *call);
const char       *crm_api_call_get_path       (CrmApiCall  *call);
/* The value of a {name} placeholder of the route's pattern. */
const char       *crm_api_call_get_param      (CrmApiCall  *call,
                                               const char  *name);
/* A query parameter (decoded), or NULL. The table may be NULL when there is none. */
const char       *crm_api_call_get_query      (CrmApiCall  *call,
                                               const char  *name);
GHashTable       *crm_api_call_get_query_table (CrmApiCall *call);
/* A request header (a copy made on the main loop). */
const char       *crm_api_call_get_header     (CrmApiCall  *call,
                                               const char  *name);
/* The parsed JSON body (an object or an array, depth and size bounded), or NULL when the
 * request has none. With CRM_API_ROUTE_RAW_BODY, crm_api_call_get_raw_body instead. */
JsonNode         *crm_api_call_get_body       (CrmApiCall  *call);
GBytes           *crm_api_call_get_raw_body   (CrmApiCall  *call);
/* The body as an object: NULL after answering 400 when it is absent or not an object. */
JsonObject       *crm_api_call_require_object (CrmApiCall  *call);
/* The authenticated caller (NULL for PUBLIC routes, and LOCAL_OR_ADMIN from loopback). */
const CrmActor   *crm_api_call_get_actor      (CrmApiCall  *call);
/* With CRM_API_ROUTE_ACTOR_IN_QUERY: the actor read from the users table, in place of
 * the unchecked one. FALSE after answering (401/403) or with @error (database). */
gboolean          crm_api_call_check_actor    (CrmApiCall  *call,
                                               PGconn      *conn,
                                               GError     **error);
const CrmJwtClaims *crm_api_call_get_claims   (CrmApiCall  *call);
const char       *crm_api_call_get_remote_address (CrmApiCall *call);
const char       *crm_api_call_get_request_id (CrmApiCall  *call);

/* ---- How a handler answers ------------------------------------------------------- */

/* @body (transfer full, nullable: no body, as for 204 and 304) written as JSON with
 * crm_json_to_data, so records with any double survive. */
void              crm_api_call_respond        (CrmApiCall  *call,
                                               guint        status,
                                               JsonNode    *body);
void              crm_api_call_set_header     (CrmApiCall  *call,
                                               const char  *name,
                                               const char  *value);
/* RFC 9457 with a French @title; @extra (transfer full, nullable) adds members. */
void              crm_api_call_respond_problem (CrmApiCall *call,
                                                guint       status,
                                                const char *slug,
                                                const char *title,
                                                const char *detail,
                                                JsonObject *extra);
void              crm_api_call_respond_store_problem (CrmApiCall            *call,
                                                      const CrmStoreProblem *problem);
/* As crm_api_respond_error. A 403 is logged (who, route, why). */
void              crm_api_call_respond_error  (CrmApiCall   *call,
                                               const GError *error);
gboolean          crm_api_call_has_response   (CrmApiCall  *call);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmApi, crm_api_free)

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "crm-api.h"
#include "crm-rate-limit.h"
#include "crm-token-cache.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

typedef struct _CrmMetrics CrmMetrics;

typedef struct
{
  char            *method;
  char            *pattern;
  char           **segments;  /* of the pattern, "{name}" for a placeholder */
  CrmApiRouteFlags flags;
  CrmApiHandler    handler;
  gpointer         user_data;
} CrmApiRoute;

struct _CrmApi
{
  SoupServer     *soup;    /* borrowed */
  CrmDbPool      *pool;    /* borrowed */
  CrmConfig      *config;  /* borrowed */
  CrmJwtKey      *jwt_key;
  CrmTokenCache  *token_cache;  /* tokens verified already: one check per token, not per request */
  GPtrArray      *routes;  /* of CrmApiRoute* */
  CrmMetrics     *metrics;
  /* Failed logins, the cheap first line before the login_failures table. */
  CrmRateLimiter *account_limiter;
  CrmRateLimiter *address_limiter;
};

struct _CrmApiCall
{
  CrmApi             *api;
  SoupServerMessage  *msg;       /* main loop only */
  const CrmApiRoute  *route;
  char               *method;
  char               *path;
  GHashTable         *params;
  GHashTable         *query;
  SoupMessageHeaders *headers;   /* a copy of the request's */
  GBytes             *raw_body;
  JsonNode           *body;
  CrmJwtClaims       *claims;
  CrmActor           *actor;
  char               *remote_address;  /* the client's, through a local proxy's X-Forwarded-For */
  gboolean            local;           /* straight from loopback, no proxy in between */
  char               *request_id;

  /* The answer. */
  gboolean            responded;
  guint               status;
  GBytes             *response_body;
  const char         *content_type;
  GPtrArray          *response_headers;  /* name, value, name, value… */
};

CrmApiCall *crm_api_call_new      (CrmApi            *api,
                                   SoupServerMessage *msg,
                                   const CrmApiRoute *route,
                                   GHashTable        *params,
                                   GHashTable        *query);
void        crm_api_call_free     (CrmApiCall        *call);
void        crm_api_call_send     (CrmApiCall        *call);
void        crm_api_call_respond_bytes (CrmApiCall   *call,
                                        guint         status,
                                        const char   *content_type,
                                        GBytes       *body);
gboolean    crm_api_call_read_body (CrmApiCall       *call);
/* The client address a limiter should count; @local says it came straight from loopback. */
char       *crm_api_client_address (SoupServerMessage *msg,
                                    gboolean          *local);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmApiCall, crm_api_call_free)

const char *crm_api_reason_phrase (guint status);

/* Problem bodies, shared by the call and the message paths. */
JsonObject *crm_api_problem_object (guint        status,
                                    const char  *slug,
                                    const char  *title,
                                    const char  *detail,
                                    const char  *request_id);
/* The status and the body @error calls for; logs what must not reach the client. */
JsonObject *crm_api_error_to_problem (const GError *error,
                                      const char   *request_id,
                                      guint        *status);

/* Route files. */
void        crm_api_auth_register     (CrmApi *api);
void        crm_api_entities_register (CrmApi *api);
void        crm_api_admin_register    (CrmApi *api);
void        crm_api_search_register   (CrmApi *api);
void        crm_api_ops_register      (CrmApi *api);

/* crm-metrics.c */
CrmMetrics *crm_metrics_new       (void);
void        crm_metrics_free      (CrmMetrics *metrics);
void        crm_metrics_observe   (CrmMetrics *metrics,
                                   const char *method,
                                   const char *route,
                                   guint       status,
                                   double      seconds);
char       *crm_metrics_render    (CrmMetrics *metrics,
                                   CrmDbPool  *pool);

/* crm-api-auth.c: one statement, every value bound; CRM_STORE_ERROR_DATABASE on failure. */
PGresult   *crm_api_exec          (PGconn            *conn,
                                   const char        *sql,
                                   int                n_params,
                                   const char *const *values,
                                   GError           **error);

/* Small helpers for handlers. */
gboolean    crm_api_param_is_uuid (CrmApiCall *call,
                                   const char *name);

G_END_DECLS

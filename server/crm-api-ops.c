/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-api"

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gio.h>
#include <string.h>

#include "crm-api-private.h"
#include "crm-api-resources.h"
#include "crm-problem.h"

/*
 * GET /metrics and GET /api/v1/openapi.json: open on loopback (a local Prometheus, a
 * developer), an admin's token otherwise (DESIGN.md §9). A request that came through a
 * proxy on the same machine is not "loopback" (crm_api_client_address).
 */

#define OPENAPI_RESOURCE "/fr/alforis/Crm/server/openapi.json"

static void
handle_metrics (CrmApiCall *call,
                PGconn     *conn,
                gpointer    user_data)
{
  CrmApi *api = crm_api_call_get_api (call);
  char *text = crm_metrics_render (api->metrics, api->pool);
  g_autoptr (GBytes) body = g_bytes_new_take (text, strlen (text));

  crm_api_call_respond_bytes (call, SOUP_STATUS_OK, "text/plain; version=0.0.4; charset=utf-8",
                              body);
}

static void
handle_openapi (CrmApiCall *call,
                PGconn     *conn,
                gpointer    user_data)
{
  g_autoptr (GError) error = NULL;
  /* Looked up in our own bundle: naming it keeps the linker from dropping it. */
  g_autoptr (GBytes) body = g_resource_lookup_data (crm_api_get_resource (), OPENAPI_RESOURCE,
                                                    G_RESOURCE_LOOKUP_FLAGS_NONE, &error);

  if (body == NULL)
    {
      crm_api_call_respond_error (call, error);
      return;
    }
  crm_api_call_respond_bytes (call, SOUP_STATUS_OK, "application/json", body);
}

void
crm_api_ops_register (CrmApi *api)
{
  CrmApiRouteFlags flags = CRM_API_ROUTE_LOCAL_OR_ADMIN | CRM_API_ROUTE_MAIN_THREAD;

  crm_api_add_route (api, "GET", "/metrics", flags, handle_metrics, NULL);
  crm_api_add_route (api, "GET", "/api/v1/openapi.json", flags, handle_openapi, NULL);
}

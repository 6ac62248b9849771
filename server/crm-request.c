/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-http"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-request.h"

#define MAX_REQUEST_ID_LENGTH 64

typedef struct
{
  char   *id;
  gint64  started;  /* monotonic, microseconds */
  char   *route;    /* the route template once a handler claimed the request */
  char   *user_id;
  gboolean in_flight;
} CrmRequest;

/* A quark taken once: g_object_get_data () looks its string key up in GLib's global
 * quark table, under a lock, every time, and this runs several times per request. */
static GQuark
request_quark (void)
{
  static gsize quark = 0;

  if (g_once_init_enter (&quark))
    g_once_init_leave (&quark, g_quark_from_static_string ("crm-request"));
  return (GQuark) quark;
}

static void
crm_request_free (gpointer data)
{
  CrmRequest *request = data;

  g_free (request->id);
  g_free (request->route);
  g_free (request->user_id);
  g_free (request);
}

static CrmRequest *
get_request (SoupServerMessage *msg)
{
  return g_object_get_qdata (G_OBJECT (msg), request_quark ());
}

/* An id a proxy sent is kept, so one request can be followed across both logs, but only
 * if it is short and plain: it goes into our logs and headers verbatim. */
gboolean
crm_request_id_is_acceptable (const char *id)
{
  gsize length = 0;

  for (const char *p = id; *p != '\0'; p++, length++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  return length > 0 && length <= MAX_REQUEST_ID_LENGTH;
}

/* Called before the headers are read: the clock starts, and the id is ours for now. */
void
crm_request_begin (SoupServerMessage *msg)
{
  CrmRequest *request = g_new0 (CrmRequest, 1);

  request->started = g_get_monotonic_time ();
  request->id = g_uuid_string_random ();
  g_object_set_qdata_full (G_OBJECT (msg), request_quark (), request, crm_request_free);
}

/* Once the headers are in: takes the proxy's id if it sent an acceptable one. */
void
crm_request_got_headers (SoupServerMessage *msg)
{
  CrmRequest *request = get_request (msg);
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  const char *from_proxy = soup_message_headers_get_one (request_headers, "X-Request-Id");

  if (request == NULL || from_proxy == NULL || !crm_request_id_is_acceptable (from_proxy))
    return;
  g_free (request->id);
  request->id = g_strdup (from_proxy);
}

const char *
crm_request_get_id (SoupServerMessage *msg)
{
  CrmRequest *request = get_request (msg);

  return request != NULL ? request->id : "-";
}

void
crm_request_set_route (SoupServerMessage *msg,
                       const char        *route)
{
  CrmRequest *request = get_request (msg);

  if (request == NULL)
    return;
  g_free (request->route);
  request->route = g_strdup (route);
}

const char *
crm_request_get_route (SoupServerMessage *msg)
{
  CrmRequest *request = get_request (msg);

  return request != NULL ? request->route : NULL;
}

gint64
crm_request_get_started (SoupServerMessage *msg)
{
  CrmRequest *request = get_request (msg);

  return request != NULL ? request->started : 0;
}

void
crm_request_set_in_flight (SoupServerMessage *msg)
{
  CrmRequest *request = get_request (msg);

  if (request != NULL)
    request->in_flight = TRUE;
}

gboolean
crm_request_get_in_flight (SoupServerMessage *msg)
{
  CrmRequest *request = get_request (msg);

  return request != NULL && request->in_flight;
}

void
crm_request_set_user (SoupServerMessage *msg,
                      const char        *user_id)
{
  CrmRequest *request = get_request (msg);

  if (request == NULL)
    return;
  g_free (request->user_id);
  request->user_id = g_strdup (user_id);
}

/**
 * crm_request_log:
 *
 * One line per request. The path is logged without its query string, which is where
 * a careless client would put a token.
 */
void
crm_request_log (SoupServerMessage *msg,
                 gboolean           aborted)
{
  CrmRequest *request = get_request (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  const char *path = uri != NULL ? g_uri_get_path (uri) : "?";
  const char *method = soup_server_message_get_method (msg);
  const char *remote = soup_server_message_get_remote_host (msg);
  guint status = soup_server_message_get_status (msg);
  g_autofree char *status_text = NULL;
  g_autofree char *duration = NULL;
  g_autofree char *message = NULL;
  double milliseconds;

  if (request == NULL)
    return;
  milliseconds = (g_get_monotonic_time () - request->started) / 1000.0;
  status_text = g_strdup_printf ("%u", status);
  duration = g_strdup_printf ("%.1f", milliseconds);
  if (aborted)
    message = g_strdup_printf (_("%s %s interrompue après %.1f ms"), method, path, milliseconds);
  else
    message = g_strdup_printf ("%s %s %u %.1f ms", method, path, status, milliseconds);

  {
    const GLogField fields[] = {
      { "GLIB_DOMAIN", G_LOG_DOMAIN, -1 },
      { "PRIORITY", aborted ? "5" : "6", -1 },
      { "MESSAGE", message, -1 },
      { "REQUEST_ID", request->id, -1 },
      { "HTTP_METHOD", method, -1 },
      { "HTTP_PATH", path, -1 },
      { "ROUTE", request->route != NULL ? request->route : "-", -1 },
      { "HTTP_STATUS", status_text, -1 },
      { "DURATION_MS", duration, -1 },
      { "USER_ID", request->user_id != NULL ? request->user_id : "-", -1 },
      { "REMOTE_ADDR", remote != NULL ? remote : "-", -1 },
    };

    g_log_structured_array (aborted ? G_LOG_LEVEL_MESSAGE : G_LOG_LEVEL_INFO, fields,
                            G_N_ELEMENTS (fields));
  }
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-server"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>

#include "crm-problem.h"
#include "crm-request.h"
#include "crm-server-private.h"

/* ---- every request: id, limits, log --------------------------------------------- */

static void
refuse_too_large (CrmServer         *self,
                  SoupServerMessage *msg)
{
  g_autofree char *limit = g_format_size_full (self->config->body_limit,
                                               G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *detail = g_strdup_printf (_("Le corps de la requête dépasse la limite de "
                                               "%s."),
                                             limit);

  /* We stop reading what is left, so the connection cannot carry another request. */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                "close");
  crm_problem_respond (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, CRM_HTTP_PROBLEM_TOO_LARGE,
                       _("Requête trop volumineuse"), detail, NULL);
}

/* Bodies without a Content-Length (chunked) are measured as they arrive. */
static void
on_got_chunk (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  CrmServer *self = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  if ((guint64) body->length <= self->config->body_limit
      || soup_server_message_get_status (msg) != 0)
    return;
  /* Keep nothing more of it in memory; libsoup still reads to the end of the body. */
  soup_message_body_set_accumulate (body, FALSE);
  refuse_too_large (self, msg);
}

/*
 * Runs once the headers are in, before the body is read and before any route handler
 * (a status set here skips them). Not an early handler: libsoup calls only the early
 * handler of the path's own route, and this must run for every path.
 */
static void
on_got_headers (SoupServerMessage *msg,
                gpointer           user_data)
{
  CrmServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  /* Counted from here: "request-started" also fires for a keep-alive connection that
   * merely waits for its next request, and nothing ends those. */
  self->in_flight++;
  crm_request_set_in_flight (msg);
  crm_request_got_headers (msg);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "X-Request-Id",
                                crm_request_get_id (msg));
  if (self->stopping)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Connection", "close");
      crm_problem_respond (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, CRM_HTTP_PROBLEM_UNAVAILABLE,
                           _("Serveur en cours d'arrêt"),
                           _("Le serveur s'arrête ; réessayez dans quelques secondes."), NULL);
      return;
    }
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
      && (guint64) soup_message_headers_get_content_length (headers) > self->config->body_limit)
    {
      refuse_too_large (self, msg);
      return;
    }
  /* A body to watch as it comes (chunked, or until the connection closes): most
   * requests are GETs without one, and a handler per message costs a closure. */
  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_NONE
      && !(soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
           && soup_message_headers_get_content_length (headers) == 0))
    g_signal_connect (msg, "got-chunk", G_CALLBACK (on_got_chunk), self);
}

static void
on_request_started (SoupServer        *soup,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  CrmServer *self = user_data;

  crm_request_begin (msg);
  g_signal_connect (msg, "got-headers", G_CALLBACK (on_got_headers), self);
}

static void
on_request_done (CrmServer         *self,
                 SoupServerMessage *msg,
                 gboolean           aborted)
{
  g_signal_handlers_disconnect_by_data (msg, self);
  crm_request_log (msg, aborted);
  if (crm_request_get_in_flight (msg))
    self->in_flight--;
}

static void
on_request_finished (SoupServer        *soup,
                     SoupServerMessage *msg,
                     gpointer           user_data)
{
  on_request_done (user_data, msg, FALSE);
}

static void
on_request_aborted (SoupServer        *soup,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  on_request_done (user_data, msg, TRUE);
}

static void
not_found_handler (SoupServer        *soup,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  g_autofree char *detail = g_strdup_printf (_("Aucune ressource à l'adresse %s."), path);

  crm_problem_respond (msg, SOUP_STATUS_NOT_FOUND, CRM_HTTP_PROBLEM_NOT_FOUND,
                       _("Ressource introuvable"), detail, NULL);
}

/* ---- lifecycle --------------------------------------------------------------------- */

static gboolean
drain_tick (gpointer user_data)
{
  CrmServer *self = user_data;

  if (self->in_flight > 0 && g_get_monotonic_time () < self->stop_deadline)
    return G_SOURCE_CONTINUE;
  if (self->in_flight > 0)
    g_warning (_("%u requêtes encore en cours après %d s ; fermeture quand même"),
               self->in_flight, CRM_SERVER_DRAIN_SECONDS);
  self->drain_source = 0;
  g_main_loop_quit (self->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
on_stop_signal (gpointer user_data)
{
  CrmServer *self = user_data;

  if (self->stopping)
    return G_SOURCE_CONTINUE;
  g_message (_("Arrêt demandé : fin des %u requêtes en cours"), self->in_flight);
  self->stopping = TRUE;
  self->stop_deadline = g_get_monotonic_time () + CRM_SERVER_DRAIN_SECONDS * G_USEC_PER_SEC;
  self->drain_source = g_timeout_add (50, drain_tick, self);
  return G_SOURCE_CONTINUE;
}

static SoupServer *
create_soup_server (CrmConfig *config,
                    GError   **error)
{
  g_autoptr (GTlsCertificate) certificate = NULL;

  if (config->tls_certificate == NULL)
    return soup_server_new ("server-header", "alforis-crm-server", NULL);

  certificate = g_tls_certificate_new_from_files (config->tls_certificate, config->tls_key,
                                                  error);
  if (certificate == NULL)
    return NULL;
  return soup_server_new ("server-header", "alforis-crm-server",
                          "tls-certificate", certificate, NULL);
}

/**
 * crm_server_new:
 * @config: (transfer none): validated; must outlive the server
 */
CrmServer *
crm_server_new (CrmConfig *config,
                GError   **error)
{
  g_autoptr (CrmServer) self = g_new0 (CrmServer, 1);

  self->config = config;
  self->soup = create_soup_server (config, error);
  if (self->soup == NULL)
    return NULL;
  self->pool = crm_db_pool_new (config->database_url, config->pool_size);
  self->loop = g_main_loop_new (NULL, FALSE);

  /* Before listening: a SIGTERM that arrives as soon as the port opens must already
   * mean "drain", not the default "die". A client that hangs up mid-response must not
   * kill the process either. */
  signal (SIGPIPE, SIG_IGN);
  self->signal_sources[0] = g_unix_signal_add (SIGTERM, on_stop_signal, self);
  self->signal_sources[1] = g_unix_signal_add (SIGINT, on_stop_signal, self);

  g_signal_connect (self->soup, "request-started", G_CALLBACK (on_request_started), self);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (on_request_finished), self);
  g_signal_connect (self->soup, "request-aborted", G_CALLBACK (on_request_aborted), self);
  soup_server_add_handler (self->soup, NULL, not_found_handler, self, NULL);
  crm_health_register (self);
  self->api = crm_api_new (self->soup, self->pool, config, error);
  if (self->api == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

gboolean
crm_server_listen (CrmServer *self,
                   GError   **error)
{
  g_autoptr (GSocketAddress) address = NULL;
  SoupServerListenOptions options = 0;
  g_autoptr (GError) local_error = NULL;

  address = g_inet_socket_address_new_from_string (self->config->listen, self->config->port);
  if (self->config->tls_certificate != NULL)
    options |= SOUP_SERVER_LISTEN_HTTPS;
  if (!soup_server_listen (self->soup, address, options, &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code,
                   _("Impossible d'écouter sur %s port %u : %s"), self->config->listen,
                   self->config->port, local_error->message);
      return FALSE;
    }
  return TRUE;
}

static void
log_listening (CrmServer *self)
{
  GSList *uris = soup_server_get_uris (self->soup);

  for (GSList *l = uris; l != NULL; l = l->next)
    {
      g_autofree char *text = g_uri_to_string (l->data);

      g_message (_("alforis-crm-server %s écoute sur %s (%u connexions PostgreSQL)"),
                 PACKAGE_VERSION, text, self->config->pool_size);
    }
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

/* Serves until SIGTERM or SIGINT, then lets requests in flight finish. */
void
crm_server_run (CrmServer *self)
{
  log_listening (self);
  crm_server_check_schema (self);
  g_main_loop_run (self->loop);

  soup_server_disconnect (self->soup);
  g_message (_("Serveur arrêté"));
}

/*
 * Database jobs still queued or running finish first, and their callbacks run, while
 * everything they use exists. FALSE when PostgreSQL does not answer in time.
 */
static gboolean
wait_for_database_jobs (CrmServer *self)
{
  gint64 deadline = g_get_monotonic_time () + CRM_SERVER_POOL_STOP_SECONDS * G_USEC_PER_SEC;

  while (!crm_db_pool_is_idle (self->pool))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (G_USEC_PER_SEC / 100);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return TRUE;
}

void
crm_server_free (CrmServer *self)
{
  if (self == NULL)
    return;

  /* Removing GLib's watches puts the default "die" back: a second SIGTERM while we tear
   * down must change nothing (exit status 0 after a drain, not "killed by SIGTERM"). */
  for (guint i = 0; i < G_N_ELEMENTS (self->signal_sources); i++)
    g_clear_handle_id (&self->signal_sources[i], g_source_remove);
  signal (SIGTERM, SIG_IGN);
  signal (SIGINT, SIG_IGN);
  g_clear_handle_id (&self->drain_source, g_source_remove);
  if (self->pool != NULL && !wait_for_database_jobs (self))
    {
      /* Workers are stuck in libpq, and tearing down what else talks to the database
       * (the API, the WebSocket hub's LISTEN thread) could block on them just the same:
       * the process exit ends it all instead. */
      g_warning (_("PostgreSQL ne répond pas depuis %d s ; arrêt sans attendre les requêtes "
                   "en cours dans la base"),
                 CRM_SERVER_POOL_STOP_SECONDS);
      return;
    }
  if (self->soup != NULL)
    g_signal_handlers_disconnect_by_data (self->soup, self);
  g_clear_pointer (&self->api, crm_api_free);
  g_clear_object (&self->soup);
  g_clear_pointer (&self->pool, crm_db_pool_free);
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_free (self);
}

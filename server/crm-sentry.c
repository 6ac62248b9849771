/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-sentry"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "crm-log.h"
#include "crm-sentry.h"

#define QUEUE_LIMIT        100  /* events waiting to be sent; more are dropped */
#define SAME_MESSAGE_USEC  (60 * G_USEC_PER_SEC)
#define BURST_LIMIT        30   /* events per minute, all messages together */
#define SEND_TIMEOUT_S     5

/* Fields the event carries in its own members rather than in "extra". */
static const char *const own_fields[] = {
  "MESSAGE", "PRIORITY", "GLIB_DOMAIN", "GLIB_OLD_LOG_API", "SYSLOG_IDENTIFIER", NULL
};

typedef struct
{
  CrmSentryDsn dsn;
  GAsyncQueue *queue;       /* of char* (JSON events); the sentinel STOP ends the thread */
  GThread     *thread;
  GMutex       lock;        /* guards what follows */
  GHashTable  *last_sent;   /* message → gint64 monotonic time */
  gint64       window_start;
  guint        window_count;
  gint64       deadline;    /* when stopping: events not sent by then are dropped */
} Reporter;

static Reporter *reporter;
static char stop_sentinel;
#define STOP ((gpointer) &stop_sentinel)

/* Set on the sender thread: what it logs itself (libsoup included) is never reported. */
static GPrivate on_sender_thread;

void
crm_sentry_dsn_clear (CrmSentryDsn *parsed)
{
  g_clear_pointer (&parsed->store_url, g_free);
  g_clear_pointer (&parsed->public_key, g_free);
}

/* https://KEY@host[:port][/prefix]/PROJECT */
gboolean
crm_sentry_dsn_parse (const char   *dsn,
                      CrmSentryDsn *parsed,
                      GError      **error)
{
  g_autoptr (GUri) uri = g_uri_parse (dsn, G_URI_FLAGS_NONE, error);
  g_autofree char *prefix = NULL;
  const char *path, *project;
  int port;

  if (uri == NULL)
    return FALSE;
  path = g_uri_get_path (uri);
  project = strrchr (path, '/');
  if (g_uri_get_user (uri) == NULL || project == NULL || project[1] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("le DSN doit avoir la forme https://CLÉ@hôte/PROJET"));
      return FALSE;
    }

  prefix = g_strndup (path, project - path);
  port = g_uri_get_port (uri);
  parsed->public_key = g_strdup (g_uri_get_user (uri));
  parsed->store_url = port > 0
    ? g_strdup_printf ("%s://%s:%d%s/api/%s/store/", g_uri_get_scheme (uri),
                       g_uri_get_host (uri), port, prefix, project + 1)
    : g_strdup_printf ("%s://%s%s/api/%s/store/", g_uri_get_scheme (uri),
                       g_uri_get_host (uri), prefix, project + 1);
  return TRUE;
}

static const char *
sentry_level (GLogLevelFlags level)
{
  if (level & G_LOG_LEVEL_ERROR)
    return "fatal";
  if (level & G_LOG_LEVEL_CRITICAL)
    return "error";
  return "warning";
}

/* Once a minute per message, and BURST_LIMIT a minute in all: a database outage makes
 * the same warning on every request, and one report says it. */
static gboolean
may_send (const char *message)
{
  gint64 now = g_get_monotonic_time ();
  gpointer last;
  gboolean ok = FALSE;

  g_mutex_lock (&reporter->lock);
  if (now - reporter->window_start > SAME_MESSAGE_USEC)
    {
      reporter->window_start = now;
      reporter->window_count = 0;
    }
  last = g_hash_table_lookup (reporter->last_sent, message);
  if ((last == NULL || now - *(gint64 *) last > SAME_MESSAGE_USEC)
      && reporter->window_count < BURST_LIMIT)
    {
      gint64 *stamp = g_new (gint64, 1);

      *stamp = now;
      g_hash_table_replace (reporter->last_sent, g_strdup (message), stamp);
      reporter->window_count++;
      ok = TRUE;
    }
  g_mutex_unlock (&reporter->lock);
  return ok;
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
add_extra (JsonBuilder     *builder,
           const GLogField *fields,
           gsize            n_fields)
{
  json_builder_set_member_name (builder, "extra");
  json_builder_begin_object (builder);
  for (gsize i = 0; i < n_fields; i++)
    {
      g_autofree char *key = NULL;
      g_autofree char *value = NULL;

      if (g_strv_contains (own_fields, fields[i].key))
        continue;
      key = g_ascii_strdown (fields[i].key, -1);
      value = crm_log_field_to_text (&fields[i]);
      add_string (builder, key, value);
    }
  json_builder_end_object (builder);
}

static const char *
field (const GLogField *fields,
       gsize            n_fields,
       const char      *key)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, key) && fields[i].length < 0)
      return fields[i].value;
  return NULL;
}

static char *
event_json (GLogLevelFlags   level,
            const GLogField *fields,
            gsize            n_fields,
            const char      *message)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *uuid = g_uuid_string_random ();
  g_auto (GStrv) uuid_parts = g_strsplit (uuid, "-", -1);
  g_autofree char *event_id = g_strjoinv ("", uuid_parts);
  g_autofree char *timestamp = g_date_time_format_iso8601 (now);
  const char *domain = field (fields, n_fields, "GLIB_DOMAIN");
  const char *request_id = field (fields, n_fields, "REQUEST_ID");

  json_builder_begin_object (builder);
  add_string (builder, "event_id", event_id);
  add_string (builder, "timestamp", timestamp);
  add_string (builder, "platform", "c");
  add_string (builder, "level", sentry_level (level));
  add_string (builder, "logger", domain != NULL ? domain : "alforis-crm-server");
  add_string (builder, "message", message);
  add_string (builder, "server_name", g_get_host_name ());
  add_string (builder, "release", "alforis-crm-server@" PACKAGE_VERSION);
  json_builder_set_member_name (builder, "tags");
  json_builder_begin_object (builder);
  if (request_id != NULL)
    add_string (builder, "request_id", request_id);
  json_builder_end_object (builder);
  add_extra (builder, fields, n_fields);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* The log observer: runs on whichever thread logged, so it only builds and queues. */
static void
capture (GLogLevelFlags   level,
         const GLogField *fields,
         gsize            n_fields)
{
  const GLogField *message_field = NULL;
  g_autofree char *message = NULL;

  if (reporter == NULL || g_private_get (&on_sender_thread) != NULL)
    return;
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE"))
      message_field = &fields[i];
  message = message_field != NULL ? crm_log_field_to_text (message_field) : g_strdup ("");

  if (g_async_queue_length (reporter->queue) >= QUEUE_LIMIT || !may_send (message))
    return;
  g_async_queue_push (reporter->queue, event_json (level, fields, n_fields, message));
}

static void
send_event (SoupSession *session,
            const char  *event)
{
  g_autoptr (SoupMessage) msg = soup_message_new ("POST", reporter->dsn.store_url);
  g_autoptr (GBytes) body = g_bytes_new (event, strlen (event));
  g_autoptr (GBytes) reply = NULL;
  g_autofree char *auth = g_strdup_printf ("Sentry sentry_version=7, sentry_client="
                                           "alforis-crm-server/" PACKAGE_VERSION
                                           ", sentry_key=%s",
                                           reporter->dsn.public_key);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Sentry-Auth", auth);
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  /* A report that cannot be delivered is dropped: there is nowhere better to say so. */
  reply = soup_session_send_and_read (session, msg, NULL, NULL);
}

static gpointer
sender_thread (gpointer data)
{
  g_autoptr (GMainContext) context = g_main_context_new ();
  g_autoptr (SoupSession) session = NULL;
  gpointer item;

  g_private_set (&on_sender_thread, GINT_TO_POINTER (TRUE));
  g_main_context_push_thread_default (context);
  session = soup_session_new_with_options ("timeout", SEND_TIMEOUT_S,
                                           "user-agent", "alforis-crm-server/" PACKAGE_VERSION,
                                           NULL);
  while ((item = g_async_queue_pop (reporter->queue)) != STOP)
    {
      gint64 deadline;

      g_mutex_lock (&reporter->lock);
      deadline = reporter->deadline;
      g_mutex_unlock (&reporter->lock);
      if (deadline == 0 || g_get_monotonic_time () < deadline)
        send_event (session, item);
      g_free (item);
    }
  g_clear_object (&session);
  g_main_context_pop_thread_default (context);
  return NULL;
}

/**
 * crm_sentry_start:
 *
 * Call before the server's threads start (it installs a log observer).
 */
gboolean
crm_sentry_start (const char *dsn,
                  GError    **error)
{
  g_auto (CrmSentryDsn) parsed = { 0 };

  g_return_val_if_fail (reporter == NULL, FALSE);
  if (!crm_sentry_dsn_parse (dsn, &parsed, error))
    return FALSE;

  reporter = g_new0 (Reporter, 1);
  reporter->dsn = parsed;
  parsed = (CrmSentryDsn) { 0 };
  reporter->queue = g_async_queue_new ();
  reporter->last_sent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_mutex_init (&reporter->lock);
  /* The classes the sender's SoupSession needs, initialised here, before its thread
   * starts: GLib 2.74 can deadlock when one thread initialises a class (SoupSession,
   * which looks up GInetSocketAddress) while another registers a type it needs (the
   * main loop's first GInetSocketAddress, in crm_server_listen): seen, one start in
   * ten, in test-sentry. */
  g_type_ensure (G_TYPE_INET_SOCKET_ADDRESS);
  g_type_ensure (G_TYPE_INET_ADDRESS);
  g_type_class_unref (g_type_class_ref (SOUP_TYPE_SESSION));
  g_type_class_unref (g_type_class_ref (SOUP_TYPE_MESSAGE));
  reporter->thread = g_thread_new ("crm-sentry", sender_thread, NULL);
  crm_log_set_observer (G_LOG_LEVEL_WARNING, capture);
  return TRUE;
}

/* Sends what is queued for up to @flush_timeout_ms, drops the rest, and stops. */
void
crm_sentry_stop (guint flush_timeout_ms)
{
  gpointer item;

  if (reporter == NULL)
    return;
  /* The server's threads have stopped: nothing logs concurrently with what follows. */
  crm_log_set_observer (0, NULL);
  g_mutex_lock (&reporter->lock);
  reporter->deadline = g_get_monotonic_time () + flush_timeout_ms * (gint64) 1000;
  g_mutex_unlock (&reporter->lock);
  g_async_queue_push (reporter->queue, STOP);
  g_thread_join (reporter->thread);

  while ((item = g_async_queue_try_pop (reporter->queue)) != NULL)
    g_free (item);
  g_async_queue_unref (reporter->queue);
  g_hash_table_unref (reporter->last_sent);
  g_mutex_clear (&reporter->lock);
  crm_sentry_dsn_clear (&reporter->dsn);
  g_clear_pointer (&reporter, g_free);
}

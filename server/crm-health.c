/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-health"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-problem.h"
#include "crm-request.h"
#include "crm-server-private.h"

/* A load balancer wants an answer even when PostgreSQL hangs rather than refuses. */
#define HEALTH_TIMEOUT_MS 3000

typedef struct
{
  CrmDbPool         *pool;
  SoupServerMessage *msg;
  gint64             started;
  guint              timeout_id;
  gboolean           answered;
} HealthCheck;

static void
health_check_free (HealthCheck *check)
{
  g_clear_handle_id (&check->timeout_id, g_source_remove);
  g_object_unref (check->msg);
  g_free (check);
}

static gpointer
ping_database (PGconn       *connection,
               gpointer      job_data,
               GCancellable *cancellable,
               GError      **error)
{
  PGresult *result = PQexec (connection, "SELECT 1");
  gboolean ok = PQresultStatus (result) == PGRES_TUPLES_OK;

  if (!ok)
    g_set_error (error, CRM_DB_POOL_ERROR, CRM_DB_POOL_ERROR_QUERY, "%s",
                 PQresultErrorMessage (result));
  PQclear (result);
  return ok ? GINT_TO_POINTER (TRUE) : NULL;
}

/* The reason stays in our log: /health answers anyone, and needs not describe our network. */
static void
answer_unavailable (HealthCheck *check,
                    const char  *reason)
{
  g_autoptr (JsonObject) checks = json_object_new ();
  g_autoptr (JsonObject) database = json_object_new ();
  JsonObject *extra = json_object_new ();

  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
                    "REQUEST_ID", crm_request_get_id (check->msg),
                    "MESSAGE", "base de données en échec : %s", reason);

  json_object_set_string_member (database, "status", "error");
  json_object_set_object_member (checks, "database", g_steal_pointer (&database));
  json_object_set_object_member (extra, "checks", g_steal_pointer (&checks));
  crm_problem_respond (check->msg, SOUP_STATUS_SERVICE_UNAVAILABLE, CRM_HTTP_PROBLEM_UNAVAILABLE,
                       _("Base de données indisponible"),
                       _("Le serveur répond mais n'atteint pas PostgreSQL ; voyez son journal."),
                       extra);
  check->answered = TRUE;
  soup_server_message_unpause (check->msg);
}

static void
answer_ok (HealthCheck *check)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) body = NULL;
  double milliseconds = (g_get_monotonic_time () - check->started) / 1000.0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "ok");
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_set_member_name (builder, "checks");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "database");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "ok");
  json_builder_set_member_name (builder, "latency_ms");
  json_builder_add_double_value (builder, milliseconds);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  crm_json_respond (check->msg, SOUP_STATUS_OK, body);
  check->answered = TRUE;
  soup_server_message_unpause (check->msg);
}

static gboolean
on_timeout (gpointer user_data)
{
  HealthCheck *check = user_data;

  check->timeout_id = 0;
  answer_unavailable (check, _("pas de réponse dans le délai"));
  return G_SOURCE_REMOVE;
}

/* The database job always reports back, also after the timeout answered: it frees. */
static void
on_pinged (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  HealthCheck *check = user_data;
  g_autoptr (GError) error = NULL;

  crm_db_pool_run_finish (check->pool, result, &error);
  if (!check->answered)
    {
      if (error != NULL)
        answer_unavailable (check, error->message);
      else
        answer_ok (check);
    }
  health_check_free (check);
}

static void
health_handler (SoupServer        *soup,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  CrmServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  HealthCheck *check;

  crm_request_set_route (msg, "/health");
  if (!g_str_equal (path, "/health"))
    {
      crm_problem_respond (msg, SOUP_STATUS_NOT_FOUND, CRM_HTTP_PROBLEM_NOT_FOUND,
                           _("Ressource introuvable"), NULL, NULL);
      return;
    }
  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                    "GET, HEAD");
      crm_problem_respond (msg, SOUP_STATUS_METHOD_NOT_ALLOWED,
                           CRM_HTTP_PROBLEM_METHOD_NOT_ALLOWED, _("Méthode non permise"),
                           _("/health ne répond qu'à GET et HEAD."), NULL);
      return;
    }

  check = g_new0 (HealthCheck, 1);
  check->pool = self->pool;
  check->msg = g_object_ref (msg);
  check->started = g_get_monotonic_time ();
  soup_server_message_pause (msg);
  check->timeout_id = g_timeout_add (HEALTH_TIMEOUT_MS, on_timeout, check);
  crm_db_pool_run (self->pool, ping_database, NULL, NULL, NULL, on_pinged, check);
}

void
crm_health_register (CrmServer *self)
{
  soup_server_add_handler (self->soup, "/health", health_handler, self, NULL);
}

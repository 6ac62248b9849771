/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-api"

#include "config.h"

#include <libpq-fe.h>
#include <stdarg.h>
#include <string.h>

#include "api-test-util.h"
#include "crm-pg-migrate.h"
#include "crm-pg-store.h"

void
reply_clear (Reply *reply)
{
  g_free (reply->content_type);
  g_free (reply->etag);
  g_free (reply->location);
  g_free (reply->retry_after);
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_pointer (&reply->root, json_node_unref);
  reply->json = NULL;
  memset (reply, 0, sizeof *reply);
}

static PGconn *
connect_db (ApiFixture *fixture)
{
  PGconn *conn = PQconnectdb (crm_test_pg_get_conninfo (fixture->pg));

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  return conn;
}

void
api_fixture_start (ApiFixture *fixture,
                   const char *extra_config)
{
  g_autoptr (GError) error = NULL;
  PGconn *conn;

  fixture->pg = crm_test_pg_start (&error);
  g_assert_no_error (error);
  conn = connect_db (fixture);
  crm_pg_migrate (conn, &error);
  g_assert_no_error (error);
  PQfinish (conn);

  fixture->server = crm_test_server_start (crm_test_pg_get_conninfo (fixture->pg),
                                           CRM_TEST_SERVER_DEFAULT, extra_config, &error);
  g_assert_no_error (error);
  fixture->session = crm_test_server_new_session (fixture->server);
}

void
api_fixture_stop (ApiFixture *fixture)
{
  g_clear_object (&fixture->session);
  g_clear_pointer (&fixture->server, crm_test_server_free);
  g_clear_pointer (&fixture->pg, crm_test_pg_stop);
}

gint64
api_fixture_count (ApiFixture *fixture,
                   const char *sql)
{
  PGconn *conn = connect_db (fixture);
  PGresult *result = PQexec (conn, sql);
  gint64 count;

  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  count = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
  PQclear (result);
  PQfinish (conn);
  return count;
}

char *
api_create_user (ApiFixture *fixture,
                 const char *email,
                 const char *role,
                 const char *team_id)
{
  PGconn *conn = connect_db (fixture);
  g_autoptr (GError) error = NULL;
  CrmNewUser user = { 0 };
  char *id;

  user.email = email;
  user.display_name = email;
  user.password = API_PASSWORD;
  g_assert_true (crm_role_from_string (role, &user.role));
  user.team_id = team_id;
  id = crm_store_create_user (conn, NULL, &user, &error);
  g_assert_no_error (error);
  PQfinish (conn);
  return id;
}

char *
api_create_team (ApiFixture *fixture,
                 const char *name)
{
  PGconn *conn = connect_db (fixture);
  g_autoptr (GError) error = NULL;
  char *id = crm_store_create_team (conn, NULL, name, &error);

  g_assert_no_error (error);
  PQfinish (conn);
  return id;
}

void
api_request (ApiFixture *fixture,
             const char *method,
             const char *path,
             const char *token,
             const char *body,
             Reply      *reply,
             ...)
{
  g_autofree char *url = g_strconcat (crm_test_server_get_url (fixture->server), path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_autoptr (GError) error = NULL;
  SoupMessageHeaders *request_headers, *headers;
  const char *name;
  va_list args;

  g_assert_nonnull (msg);
  request_headers = soup_message_get_request_headers (msg);
  if (token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (request_headers, "Authorization", value);
    }
  if (body != NULL)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  va_start (args, reply);
  while ((name = va_arg (args, const char *)) != NULL)
    soup_message_headers_replace (request_headers, name, va_arg (args, const char *));
  va_end (args);

  reply_clear (reply);
  reply->body = soup_session_send_and_read (fixture->session, msg, NULL, &error);
  g_assert_no_error (error);
  headers = soup_message_get_response_headers (msg);
  reply->status = soup_message_get_status (msg);
  reply->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  reply->etag = g_strdup (soup_message_headers_get_one (headers, "ETag"));
  reply->location = g_strdup (soup_message_headers_get_one (headers, "Location"));
  reply->retry_after = g_strdup (soup_message_headers_get_one (headers, "Retry-After"));
  if (g_bytes_get_size (reply->body) > 0 && reply->content_type != NULL
      && strstr (reply->content_type, "json") != NULL)
    {
      gsize length = 0;
      const char *data = g_bytes_get_data (reply->body, &length);

      g_autoptr (JsonParser) parser = json_parser_new ();

      json_parser_load_from_data (parser, data, length, &error);
      g_assert_no_error (error);
      reply->root = json_node_ref (json_parser_get_root (parser));
      if (JSON_NODE_HOLDS_OBJECT (reply->root))
        reply->json = json_node_get_object (reply->root);
    }
}

char *
api_login (ApiFixture *fixture,
           const char *email,
           char      **refresh)
{
  g_autofree char *body = g_strdup_printf ("{\"email\": \"%s\", \"password\": \"%s\"}", email,
                                           API_PASSWORD);
  g_auto (Reply) reply = { 0 };

  api_request (fixture, "POST", "/api/v1/auth/login", NULL, body, &reply, NULL);
  g_assert_cmpuint (reply.status, ==, 200);
  if (refresh != NULL)
    *refresh = g_strdup (reply_string (&reply, "refresh_token"));
  return g_strdup (reply_string (&reply, "access_token"));
}

void
assert_problem (Reply *reply,
                guint  status)
{
  if (reply->status != status)
    g_test_message ("réponse %u : %.*s", reply->status, (int) g_bytes_get_size (reply->body),
                    (const char *) g_bytes_get_data (reply->body, NULL));
  g_assert_cmpuint (reply->status, ==, status);
  g_assert_cmpstr (reply->content_type, ==, "application/problem+json");
  g_assert_nonnull (reply->json);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (reply->json, "type"),
                                   "https://crm.alforis.fr/problems/"));
  g_assert_cmpint (json_object_get_int_member (reply->json, "status"), ==, status);
  g_assert_nonnull (json_object_get_string_member (reply->json, "title"));
}

const char *
reply_string (Reply      *reply,
              const char *member)
{
  g_assert_nonnull (reply->json);
  return json_object_get_string_member_with_default (reply->json, member, NULL);
}

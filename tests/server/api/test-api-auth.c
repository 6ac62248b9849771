/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-api-auth"

#include "config.h"

#include <string.h>

#include "api-test-util.h"
#include "crm-jwt.h"

/* Login, refresh rotation, reuse detection, logout, rate limits, refused tokens. */

static ApiFixture fixture;

static void
login_body (char      **body,
            const char *email,
            const char *password)
{
  *body = g_strdup_printf ("{\"email\": \"%s\", \"password\": \"%s\"}", email, password);
}

static void
test_login_shape (void)
{
  g_autofree char *body = NULL;
  g_auto (Reply) reply = { 0 };
  JsonObject *user;

  login_body (&body, "alice@alforis.fr", API_PASSWORD);
  api_request (&fixture, "POST", "/api/v1/auth/login", NULL, body, &reply, NULL);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_cmpstr (reply_string (&reply, "token_type"), ==, "Bearer");
  g_assert_cmpint (json_object_get_int_member (reply.json, "expires_in"), ==, 900);
  g_assert_cmpuint (strlen (reply_string (&reply, "refresh_token")), ==, 43);
  user = json_object_get_object_member (reply.json, "user");
  g_assert_cmpstr (json_object_get_string_member (user, "email"), ==, "alice@alforis.fr");
  g_assert_false (json_object_has_member (user, "password_hash"));
  g_assert_null (strstr (g_bytes_get_data (reply.body, NULL), "scrypt"));
}

static void
test_login_wrong_password_is_401 (void)
{
  g_autofree char *body = NULL;
  g_auto (Reply) reply = { 0 };
  g_auto (Reply) unknown = { 0 };

  login_body (&body, "bob@alforis.fr", "pas-le-bon-mot-de-passe");
  api_request (&fixture, "POST", "/api/v1/auth/login", NULL, body, &reply, NULL);
  assert_problem (&reply, 401);
  g_free (body);
  /* An unknown account gets the very same answer. */
  login_body (&body, "personne@alforis.fr", "pas-le-bon-mot-de-passe");
  api_request (&fixture, "POST", "/api/v1/auth/login", NULL, body, &unknown, NULL);
  assert_problem (&unknown, 401);
  g_assert_cmpstr (reply_string (&reply, "title"), ==, reply_string (&unknown, "title"));
}

static void
test_login_bad_bodies (void)
{
  const char *bodies[] = {
    "{\"email\": 12, \"password\": \"x\"}", "{\"email\": \"a@b.fr\"}", "[]", "{", "null",
    "{\"email\": \"a@b.fr\", \"password\": [1]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_auto (Reply) reply = { 0 };

      api_request (&fixture, "POST", "/api/v1/auth/login", NULL, bodies[i], &reply, NULL);
      g_assert_cmpuint (reply.status, >=, 400);
      g_assert_cmpuint (reply.status, <, 500);
      assert_problem (&reply, reply.status);
    }
}

static void
test_refresh_rotates (void)
{
  g_autofree char *refresh = NULL;
  g_autofree char *access = api_login (&fixture, "alice@alforis.fr", &refresh);
  g_autofree char *body = g_strdup_printf ("{\"refresh_token\": \"%s\"}", refresh);
  g_autofree char *next_body = NULL;
  g_auto (Reply) first = { 0 };
  g_auto (Reply) second = { 0 };
  g_auto (Reply) me = { 0 };

  api_request (&fixture, "POST", "/api/v1/auth/refresh", NULL, body, &first, NULL);
  g_assert_cmpuint (first.status, ==, 200);
  g_assert_cmpstr (reply_string (&first, "refresh_token"), !=, refresh);
  api_request (&fixture, "GET", "/api/v1/me", reply_string (&first, "access_token"), NULL, &me,
               NULL);
  g_assert_cmpuint (me.status, ==, 200);

  /* The successor works in its turn. */
  next_body = g_strdup_printf ("{\"refresh_token\": \"%s\"}", reply_string (&first,
                                                                             "refresh_token"));
  api_request (&fixture, "POST", "/api/v1/auth/refresh", NULL, next_body, &second, NULL);
  g_assert_cmpuint (second.status, ==, 200);
}

static char *
refresh_body (const char *token)
{
  return g_strdup_printf ("{\"refresh_token\": \"%s\"}", token);
}

/* A used token presented again after its successor was used: two parties hold tokens of
 * the login, so both lose it. */
static void
test_refresh_reuse_revokes_family (void)
{
  g_autofree char *refresh = NULL;
  g_autofree char *access = api_login (&fixture, "alice@alforis.fr", &refresh);
  g_autofree char *body = refresh_body (refresh);
  g_autofree char *successor_body = NULL;
  g_autofree char *third_body = NULL;
  g_auto (Reply) first = { 0 };
  g_auto (Reply) second = { 0 };
  g_auto (Reply) replay = { 0 };
  g_auto (Reply) third = { 0 };

  api_request (&fixture, "POST", "/api/v1/auth/refresh", NULL, body, &first, NULL);
  g_assert_cmpuint (first.status, ==, 200);
  successor_body = refresh_body (reply_string (&first, "refresh_token"));
  api_request (&fixture, "POST", "/api/v1/auth/refresh", NULL, successor_body, &second, NULL);
  g_assert_cmpuint (second.status, ==, 200);
  third_body = refresh_body (reply_string (&second, "refresh_token"));

  api_request (&fixture, "POST", "/api/v1/auth/refresh", NULL, body, &replay, NULL);
  assert_problem (&replay, 401);
  g_assert_nonnull (strstr (reply_string (&replay, "detail"), "déjà servi"));
  api_request (&fixture, "POST", "/api/v1/auth/refresh", NULL, third_body, &third, NULL);
  assert_problem (&third, 401);
}

/* The answer to a refresh is lost (the app was killed, the network cut): the client can
 * only present its old token again. Within the grace period that is a retry, not a theft:
 * it gets a new pair, and the successor it never saw is dead. If that successor did reach
 * someone after all, presenting it is a reuse and ends the login for both holders. */
static void
test_refresh_retry_after_lost_answer (void)
{
  g_autofree char *refresh = NULL;
  g_autofree char *access = api_login (&fixture, "alice@alforis.fr", &refresh);
  g_autofree char *body = refresh_body (refresh);
  g_autofree char *lost_body = NULL;
  g_autofree char *retried_body = NULL;
  g_autofree char *next_body = NULL;
  g_auto (Reply) lost = { 0 };
  g_auto (Reply) retry = { 0 };
  g_auto (Reply) again = { 0 };
  g_auto (Reply) next = { 0 };
  g_auto (Reply) stolen = { 0 };
  g_auto (Reply) after = { 0 };
  g_auto (Reply) me = { 0 };

  api_request (&fixture, "POST", "/api/v1/auth/refresh", NULL, body, &lost, NULL);
  g_assert_cmpuint (lost.status, ==, 200);
  lost_body = refresh_body (reply_string (&lost, "refresh_token"));

  api_request (&fixture, "POST", "/api/v1/auth/refresh", NULL, body, &retry, NULL);
  g_assert_cmpuint (retry.status, ==, 200);
  g_assert_cmpstr (reply_string (&retry, "refresh_token"), !=, reply_string (&lost,
                                                                               "refresh_token"));
  api_request (&fixture, "GET", "/api/v1/me", reply_string (&retry, "access_token"), NULL, &me,
               NULL);
  g_assert_cmpuint (me.status, ==, 200);

  /* A second retry of the same token is still one: its successor is again unseen. */
  api_request (&fixture, "POST", "/api/v1/auth/refresh", NULL, body, &again, NULL);
  g_assert_cmpuint (again.status, ==, 200);
  retried_body = refresh_body (reply_string (&again, "refresh_token"));

  /* The client goes on with what it received. */
  api_request (&fixture, "POST", "/api/v1/auth/refresh", NULL, retried_body, &next, NULL);
  g_assert_cmpuint (next.status, ==, 200);
  next_body = refresh_body (reply_string (&next, "refresh_token"));

  /* The lost successor turns up: a reuse, the login ends. */
  api_request (&fixture, "POST", "/api/v1/auth/refresh", NULL, lost_body, &stolen, NULL);
  assert_problem (&stolen, 401);
  g_assert_nonnull (strstr (reply_string (&stolen, "detail"), "déjà servi"));
  api_request (&fixture, "POST", "/api/v1/auth/refresh", NULL, next_body, &after, NULL);
  assert_problem (&after, 401);
}

/* Past the grace period, presenting a rotated token is a reuse even if its successor
 * was never used. */
static void
test_refresh_retry_too_late (void)
{
  g_autofree char *refresh = NULL;
  g_autofree char *access = api_login (&fixture, "alice@alforis.fr", &refresh);
  g_autofree char *body = refresh_body (refresh);
  g_autofree char *successor_body = NULL;
  g_auto (Reply) first = { 0 };
  g_auto (Reply) late = { 0 };
  g_auto (Reply) successor = { 0 };

  api_request (&fixture, "POST", "/api/v1/auth/refresh", NULL, body, &first, NULL);
  g_assert_cmpuint (first.status, ==, 200);
  successor_body = refresh_body (reply_string (&first, "refresh_token"));
  /* The rotation happened a little more than the grace period ago. */
  g_assert_cmpint (api_fixture_count (&fixture,
                                      "WITH aged AS (UPDATE refresh_tokens"
                                      " SET used_at = used_at - interval '61 seconds'"
                                      " WHERE used_at IS NOT NULL AND revoked_at IS NULL"
                                      " RETURNING 1) SELECT count (*) FROM aged"), >=, 1);

  api_request (&fixture, "POST", "/api/v1/auth/refresh", NULL, body, &late, NULL);
  assert_problem (&late, 401);
  api_request (&fixture, "POST", "/api/v1/auth/refresh", NULL, successor_body, &successor, NULL);
  assert_problem (&successor, 401);
}

static void
test_logout_ends_refresh (void)
{
  g_autofree char *refresh = NULL;
  g_autofree char *access = api_login (&fixture, "alice@alforis.fr", &refresh);
  g_autofree char *body = g_strdup_printf ("{\"refresh_token\": \"%s\"}", refresh);
  g_auto (Reply) logout = { 0 };
  g_auto (Reply) again = { 0 };
  g_auto (Reply) bogus = { 0 };

  api_request (&fixture, "POST", "/api/v1/auth/logout", NULL, body, &logout, NULL);
  g_assert_cmpuint (logout.status, ==, 204);
  api_request (&fixture, "POST", "/api/v1/auth/refresh", NULL, body, &again, NULL);
  assert_problem (&again, 401);
  api_request (&fixture, "POST", "/api/v1/auth/refresh", NULL,
               "{\"refresh_token\": \"pas-un-jeton\"}", &bogus, NULL);
  assert_problem (&bogus, 401);
}

static void
test_rate_limit_per_account (void)
{
  g_autofree char *body = NULL;
  g_autofree char *good = NULL;
  g_auto (Reply) reply = { 0 };

  login_body (&body, "carol@alforis.fr", "mauvais-mot-de-passe");
  for (guint i = 0; i < 5; i++)
    {
      api_request (&fixture, "POST", "/api/v1/auth/login", NULL, body, &reply, NULL);
      assert_problem (&reply, 401);
    }
  api_request (&fixture, "POST", "/api/v1/auth/login", NULL, body, &reply, NULL);
  assert_problem (&reply, 429);
  g_assert_nonnull (reply.retry_after);
  g_assert_cmpint (g_ascii_strtoll (reply.retry_after, NULL, 10), >=, 1);
  g_assert_cmpstr (reply_string (&reply, "title"), ==, "Trop de tentatives");

  /* Even the right password waits: the limit is on the account. */
  login_body (&good, "carol@alforis.fr", API_PASSWORD);
  api_request (&fixture, "POST", "/api/v1/auth/login", NULL, good, &reply, NULL);
  assert_problem (&reply, 429);
  g_assert_cmpint (api_fixture_count (&fixture, "SELECT count (*) FROM login_failures"
                                                " WHERE email_key = 'carol@alforis.fr'"),
                   ==, 5);
}

static char *
forge (const char *secret,
       gint64      issued,
       guint       ttl,
       const char *sub,
       gint64      epoch)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmJwtKey) key = crm_jwt_key_new ((const guint8 *) secret, strlen (secret), &error);
  g_autoptr (CrmJwtClaims) claims = NULL;
  char *token;

  g_assert_no_error (error);
  crm_jwt_key_set_issuer (key, "alforis-crm");
  claims = crm_jwt_claims_new (sub, "admin", NULL, epoch, issued, ttl, &error);
  g_assert_no_error (error);
  token = crm_jwt_sign (key, claims, &error);
  g_assert_no_error (error);
  return token;
}

static void
assert_refused (const char *token)
{
  g_auto (Reply) reply = { 0 };

  api_request (&fixture, "GET", "/api/v1/organisations", token, NULL, &reply, NULL);
  assert_problem (&reply, 401);
}

static void
test_bad_tokens_refused (void)
{
  const char *secret = crm_test_server_get_secret (fixture.server);
  g_autofree char *alice = api_create_user (&fixture, "dora@alforis.fr", "admin", NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *valid = forge (secret, now, 600, alice, 1);
  g_autofree char *expired = forge (secret, now - 3600, 600, alice, 1);
  g_autofree char *stale_epoch = forge (secret, now, 600, alice, 0);
  g_autofree char *other_key = forge ("un-tout-autre-secret-de-trente-deux-octets!", now, 600,
                                      alice, 1);
  g_autofree char *tampered = g_strdup (valid);
  g_auto (GStrv) parts = g_strsplit (valid, ".", 3);
  g_autofree char *alg_none = g_strdup_printf ("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.%s.",
                                               parts[1]);
  g_auto (Reply) ok = { 0 };

  api_request (&fixture, "GET", "/api/v1/organisations", valid, NULL, &ok, NULL);
  g_assert_cmpuint (ok.status, ==, 200);
  /* Twice: the bad ones below are refused with the valid one among the verified tokens. */
  reply_clear (&ok);
  api_request (&fixture, "GET", "/api/v1/organisations", valid, NULL, &ok, NULL);
  g_assert_cmpuint (ok.status, ==, 200);

  tampered[strlen (tampered) - 2] = tampered[strlen (tampered) - 2] == 'A' ? 'B' : 'A';
  assert_refused (expired);
  assert_refused (stale_epoch);
  assert_refused (other_key);
  assert_refused (tampered);
  assert_refused (alg_none);
  assert_refused ("pas.un.jeton");
  assert_refused (NULL);
}

/* A role change bumps the epoch: the access token issued before stops working, at once,
 * although the server has it among its verified tokens (crm-token-cache.c) by then. */
static void
test_role_change_ends_access_token (void)
{
  g_autofree char *admin_token = api_login (&fixture, "root@alforis.fr", NULL);
  g_autofree char *id = api_create_user (&fixture, "eve@alforis.fr", "user", NULL);
  g_autofree char *token = api_login (&fixture, "eve@alforis.fr", NULL);
  g_autofree char *path = g_strconcat ("/api/v1/users/", id, NULL);
  g_auto (Reply) reply = { 0 };

  /* The first request verifies the token and remembers it; the second is served from
   * that memory. */
  api_request (&fixture, "GET", "/api/v1/me", token, NULL, &reply, NULL);
  g_assert_cmpuint (reply.status, ==, 200);
  api_request (&fixture, "GET", "/api/v1/organisations", token, NULL, &reply, NULL);
  g_assert_cmpuint (reply.status, ==, 200);
  api_request (&fixture, "PATCH", path, admin_token, "{\"role\": \"viewer\"}", &reply, NULL);
  g_assert_cmpuint (reply.status, ==, 200);
  api_request (&fixture, "GET", "/api/v1/me", token, NULL, &reply, NULL);
  assert_problem (&reply, 401);
  api_request (&fixture, "GET", "/api/v1/organisations", token, NULL, &reply, NULL);
  assert_problem (&reply, 401);
  g_free (token);
  token = api_login (&fixture, "eve@alforis.fr", NULL);
  api_request (&fixture, "GET", "/api/v1/me", token, NULL, &reply, NULL);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_cmpstr (reply_string (&reply, "role"), ==, "viewer");
}

static void
test_deactivated_cannot_login (void)
{
  g_autofree char *admin_token = api_login (&fixture, "root@alforis.fr", NULL);
  g_autofree char *id = api_create_user (&fixture, "fred@alforis.fr", "user", NULL);
  g_autofree char *refresh = NULL;
  g_autofree char *token = api_login (&fixture, "fred@alforis.fr", &refresh);
  g_autofree char *path = g_strdup_printf ("/api/v1/users/%s/deactivate", id);
  g_autofree char *body = g_strdup_printf ("{\"refresh_token\": \"%s\"}", refresh);
  g_autofree char *login = NULL;
  g_auto (Reply) reply = { 0 };

  /* Listed once before: the server knows the token and the user's permissions. */
  api_request (&fixture, "GET", "/api/v1/organisations", token, NULL, &reply, NULL);
  g_assert_cmpuint (reply.status, ==, 200);
  api_request (&fixture, "POST", path, admin_token, NULL, &reply, NULL);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_false (json_object_get_boolean_member (reply.json, "is_active"));
  api_request (&fixture, "GET", "/api/v1/me", token, NULL, &reply, NULL);
  assert_problem (&reply, 401);
  api_request (&fixture, "GET", "/api/v1/organisations", token, NULL, &reply, NULL);
  assert_problem (&reply, 401);
  api_request (&fixture, "POST", "/api/v1/auth/refresh", NULL, body, &reply, NULL);
  assert_problem (&reply, 401);
  login_body (&login, "fred@alforis.fr", API_PASSWORD);
  api_request (&fixture, "POST", "/api/v1/auth/login", NULL, login, &reply, NULL);
  assert_problem (&reply, 403);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  api_fixture_start (&fixture, NULL);
  g_free (api_create_user (&fixture, "root@alforis.fr", "admin", NULL));
  g_free (api_create_user (&fixture, "alice@alforis.fr", "user", NULL));
  g_free (api_create_user (&fixture, "bob@alforis.fr", "user", NULL));
  g_free (api_create_user (&fixture, "carol@alforis.fr", "user", NULL));

  g_test_add_func ("/api/auth/login/shape", test_login_shape);
  g_test_add_func ("/api/auth/login/wrong-password-401", test_login_wrong_password_is_401);
  g_test_add_func ("/api/auth/login/bad-bodies-4xx", test_login_bad_bodies);
  g_test_add_func ("/api/auth/refresh/rotates", test_refresh_rotates);
  g_test_add_func ("/api/auth/refresh/reuse-revokes-family", test_refresh_reuse_revokes_family);
  g_test_add_func ("/api/auth/refresh/retry-after-lost-answer",
                   test_refresh_retry_after_lost_answer);
  g_test_add_func ("/api/auth/refresh/retry-too-late", test_refresh_retry_too_late);
  g_test_add_func ("/api/auth/logout/ends-refresh", test_logout_ends_refresh);
  g_test_add_func ("/api/auth/login/rate-limit-429", test_rate_limit_per_account);
  g_test_add_func ("/api/auth/token/bad-tokens-401", test_bad_tokens_refused);
  g_test_add_func ("/api/auth/token/role-change-ends-it", test_role_change_ends_access_token);
  g_test_add_func ("/api/auth/login/deactivated", test_deactivated_cannot_login);
  status = g_test_run ();
  api_fixture_stop (&fixture);
  return status;
}

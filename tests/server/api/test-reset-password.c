/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-reset-password"

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "api-test-util.h"

/*
 * `alforis-crm-server reset-password --email E`: the real binary against the database
 * the real server uses, then logins over TLS say whether it took.
 */

#define NEW_PASSWORD "Chaloupe-Vermeil-Cactus-83"

static ApiFixture fixture;

/* The binary with @args, @input on its stdin, the test database from the environment. */
static void
run_server (const char *const *args,
            const char        *input,
            CrmTestCommand    *run)
{
  crm_test_server_run_command (crm_test_pg_get_conninfo (fixture.pg), args, input, run);
}

static guint
login_status (const char *email,
              const char *password)
{
  g_autofree char *body = g_strdup_printf ("{\"email\": \"%s\", \"password\": \"%s\"}", email,
                                           password);
  g_auto (Reply) reply = { 0 };

  api_request (&fixture, "POST", "/api/v1/auth/login", NULL, body, &reply, NULL);
  return reply.status;
}

static void
assert_no_secret (const CrmTestCommand *run)
{
  g_assert_null (strstr (run->out, NEW_PASSWORD));
  g_assert_null (strstr (run->err, NEW_PASSWORD));
}

static void
test_new_password_replaces_old (void)
{
  const char *args[] = { "reset-password", "--email", "Oubli@Alforis.test", NULL };
  g_autofree char *id = api_create_user (&fixture, "oubli@alforis.test", "user", NULL);
  g_autofree char *refresh = NULL;
  g_autofree char *access = api_login (&fixture, "oubli@alforis.test", &refresh);
  g_autofree char *refresh_body = g_strdup_printf ("{\"refresh_token\": \"%s\"}", refresh);
  g_auto (Reply) me = { 0 };
  g_auto (Reply) refreshed = { 0 };
  g_auto (CrmTestCommand) run = { 0 };

  /* The address in another case still names the account. */
  run_server (args, NEW_PASSWORD "\n", &run);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "Mot de passe changé pour Oubli@Alforis.test"));
  g_assert_nonnull (strstr (run.out, id));
  assert_no_secret (&run);

  g_assert_cmpuint (login_status ("oubli@alforis.test", API_PASSWORD), ==, 401);
  g_assert_cmpuint (login_status ("oubli@alforis.test", NEW_PASSWORD), ==, 200);

  /* Sessions opened with the old password end: the access token's epoch is gone,
   * the refresh token was revoked. */
  api_request (&fixture, "GET", "/api/v1/me", access, NULL, &me, NULL);
  assert_problem (&me, 401);
  api_request (&fixture, "POST", "/api/v1/auth/refresh", NULL, refresh_body, &refreshed, NULL);
  assert_problem (&refreshed, 401);
}

static void
test_weak_password_refused (void)
{
  const char *args[] = { "reset-password", "--email", "faible@alforis.test", NULL };
  g_autofree char *id = api_create_user (&fixture, "faible@alforis.test", "user", NULL);
  g_auto (CrmTestCommand) run = { 0 };

  run_server (args, "motdepasse\n", &run);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_true (g_str_has_prefix (run.err, "erreur : "));
  g_assert_null (strstr (run.err, "motdepasse"));
  g_assert_cmpuint (login_status ("faible@alforis.test", API_PASSWORD), ==, 200);
  g_assert_cmpuint (login_status ("faible@alforis.test", "motdepasse"), ==, 401);
}

static void
test_unknown_account (void)
{
  const char *args[] = { "reset-password", "--email", "personne@alforis.test", NULL };
  g_auto (CrmTestCommand) run = { 0 };

  run_server (args, NEW_PASSWORD "\n", &run);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "personne@alforis.test"));
  assert_no_secret (&run);
}

static void
test_no_password_on_stdin (void)
{
  const char *args[] = { "reset-password", "--email", "vide@alforis.test", NULL };
  g_autofree char *id = api_create_user (&fixture, "vide@alforis.test", "user", NULL);
  g_auto (CrmTestCommand) run = { 0 };

  run_server (args, "", &run);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "entrée standard"));
  g_assert_cmpuint (login_status ("vide@alforis.test", API_PASSWORD), ==, 200);
}

static void
test_email_is_required (void)
{
  const char *args[] = { "reset-password", NULL };
  g_auto (CrmTestCommand) run = { 0 };

  run_server (args, NEW_PASSWORD "\n", &run);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--email"));
}

static void
test_create_user_options_refused (void)
{
  const char *args[] = { "reset-password", "--email", "x@alforis.test", "--role", "admin",
                         NULL };
  g_auto (CrmTestCommand) run = { 0 };

  run_server (args, NEW_PASSWORD "\n", &run);
  g_assert_cmpint (run.status, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  int result;

  g_test_init (&argc, &argv, NULL);

  api_fixture_start (&fixture, NULL);

  g_test_add_func ("/server/reset-password/new-password-replaces-old",
                   test_new_password_replaces_old);
  g_test_add_func ("/server/reset-password/weak-password-refused", test_weak_password_refused);
  g_test_add_func ("/server/reset-password/unknown-account", test_unknown_account);
  g_test_add_func ("/server/reset-password/no-password-on-stdin", test_no_password_on_stdin);
  g_test_add_func ("/server/reset-password/email-is-required", test_email_is_required);
  g_test_add_func ("/server/reset-password/create-user-options-refused",
                   test_create_user_options_refused);

  result = g_test_run ();
  api_fixture_stop (&fixture);
  return result;
}

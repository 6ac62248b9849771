/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-create-user"

#include "config.h"

#include <gio/gio.h>
#include <libpq-fe.h>
#include <string.h>

#include "crm-test-pg.h"
#include "crm-test-server.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGconn, PQfinish)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

#define GOOD_PASSWORD "Cheval-Agrafe-Batterie-42"

/* One migrated database for the file; each test uses its own e-mail addresses. */
static CrmTestPg *pg;
static char *database;

/* The binary with @args, @input on its stdin, the test database from the environment. */
static void
run_server (const char *const *args,
            const char        *input,
            CrmTestCommand    *run)
{
  crm_test_server_run_command (database, args, input, run);
}

static char *
query_value (const char *sql,
             const char *parameter)
{
  g_autoptr (PGconn) connection = PQconnectdb (database);
  const char *values[] = { parameter };
  g_autoptr (PGresult) result = PQexecParams (connection, sql, 1, NULL, values, NULL, NULL, 0);

  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s : %s", sql, PQresultErrorMessage (result));
  if (PQntuples (result) == 0)
    return NULL;
  return g_strdup (PQgetvalue (result, 0, 0));
}

static void
test_creates_admin (void)
{
  const char *args[] = { "create-user", "--email", "admin@alforis.test", "--name",
                         "Première Admin", "--role", "admin", NULL };
  g_auto (CrmTestCommand) run = { 0 };
  g_autofree char *role = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *name = NULL;

  run_server (args, GOOD_PASSWORD "\n", &run);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "Compte créé : admin@alforis.test (admin)"));

  role = query_value ("SELECT role FROM users WHERE email = $1", "admin@alforis.test");
  name = query_value ("SELECT display_name FROM users WHERE email = $1", "admin@alforis.test");
  hash = query_value ("SELECT password_hash FROM users WHERE email = $1", "admin@alforis.test");
  g_assert_cmpstr (role, ==, "admin");
  g_assert_cmpstr (name, ==, "Première Admin");
  g_assert_true (g_str_has_prefix (hash, "$scrypt$"));
  g_assert_null (strstr (hash, GOOD_PASSWORD));
  g_assert_null (strstr (run.out, GOOD_PASSWORD));
  g_assert_null (strstr (run.err, GOOD_PASSWORD));
}

static void
test_weak_password_refused (void)
{
  const char *args[] = { "create-user", "--email", "weak@alforis.test", "--name", "Faible",
                         "--role", "user", NULL };
  g_auto (CrmTestCommand) run = { 0 };
  g_autofree char *row = NULL;

  run_server (args, "motdepasse\n", &run);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_true (g_str_has_prefix (run.err, "erreur : "));
  row = query_value ("SELECT id FROM users WHERE email = $1", "weak@alforis.test");
  g_assert_null (row);
}

static void
test_duplicate_email_refused (void)
{
  const char *first[] = { "create-user", "--email", "twice@alforis.test", "--name", "Un",
                          "--role", "viewer", NULL };
  const char *second[] = { "create-user", "--email", "TWICE@alforis.test", "--name", "Deux",
                           "--role", "viewer", NULL };
  g_auto (CrmTestCommand) run1 = { 0 };
  g_auto (CrmTestCommand) run2 = { 0 };

  run_server (first, GOOD_PASSWORD "\n", &run1);
  g_assert_cmpint (run1.status, ==, 0);
  run_server (second, GOOD_PASSWORD "\n", &run2);
  g_assert_cmpint (run2.status, ==, 1);
  g_assert_nonnull (strstr (run2.err, "existe déjà"));
}

static void
test_no_password_on_stdin (void)
{
  const char *args[] = { "create-user", "--email", "nopass@alforis.test", "--name", "Sans",
                         "--role", "user", NULL };
  g_auto (CrmTestCommand) run = { 0 };

  run_server (args, "", &run);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "entrée standard"));
}

static void
test_missing_arguments_are_usage_error (void)
{
  const char *args[] = { "create-user", "--email", "half@alforis.test", NULL };
  g_auto (CrmTestCommand) run = { 0 };

  run_server (args, GOOD_PASSWORD "\n", &run);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--role"));
}

static void
test_unknown_role_is_usage_error (void)
{
  const char *args[] = { "create-user", "--email", "boss@alforis.test", "--name", "Chef",
                         "--role", "superuser", NULL };
  g_auto (CrmTestCommand) run = { 0 };

  run_server (args, GOOD_PASSWORD "\n", &run);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "superuser"));
}

static void
test_user_options_belong_to_create_user (void)
{
  const char *args[] = { "check-config", "--email", "x@alforis.test", NULL };
  g_auto (CrmTestCommand) run = { 0 };

  run_server (args, "", &run);
  g_assert_cmpint (run.status, ==, 2);
}

static void
migrate_database (void)
{
  const char *args[] = { "migrate", NULL };
  g_auto (CrmTestCommand) run = { 0 };

  run_server (args, "", &run);
  g_assert_cmpint (run.status, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  int result;

  g_test_init (&argc, &argv, NULL);

  pg = crm_test_pg_start (&error);
  g_assert_no_error (error);
  crm_test_pg_create_database (pg, "accounts", &database, &error);
  g_assert_no_error (error);
  migrate_database ();

  g_test_add_func ("/server/create-user/creates-admin", test_creates_admin);
  g_test_add_func ("/server/create-user/weak-password-refused", test_weak_password_refused);
  g_test_add_func ("/server/create-user/duplicate-email-refused", test_duplicate_email_refused);
  g_test_add_func ("/server/create-user/no-password-on-stdin", test_no_password_on_stdin);
  g_test_add_func ("/server/create-user/missing-arguments-are-usage-error",
                   test_missing_arguments_are_usage_error);
  g_test_add_func ("/server/create-user/unknown-role-is-usage-error",
                   test_unknown_role_is_usage_error);
  g_test_add_func ("/server/create-user/user-options-belong-to-create-user",
                   test_user_options_belong_to_create_user);

  result = g_test_run ();
  g_free (database);
  crm_test_pg_stop (pg);
  return result;
}

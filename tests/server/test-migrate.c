/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-migrate"

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "crm-test-pg.h"
#include "crm-test-server.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGconn, PQfinish)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

/* One cluster for the file, one fresh database per test. */
static CrmTestPg *pg;
static guint databases;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static char *
new_database (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("migrate_%u", ++databases);
  char *conninfo = NULL;

  crm_test_pg_create_database (pg, name, &conninfo, &error);
  g_assert_no_error (error);
  return conninfo;
}

/* `migrate` with the database given by the environment, as a container would. */
static void
run_migrate (const char *database_url,
             Run        *run)
{
  g_auto (GStrv) envp = g_get_environ ();
  g_autoptr (GError) error = NULL;
  g_autofree char *config = NULL;
  int fd = g_file_open_tmp ("crm-test-migrate-XXXXXX.conf", &config, &error);
  const char *argv[] = { crm_test_server_binary (), "migrate", "--config", config, NULL };

  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (config, "[log]\nformat=text\n", -1, NULL));
  envp = g_environ_unsetenv (envp, "ALFORIS_DATABASE_URL");
  if (database_url != NULL)
    envp = g_environ_setenv (envp, "ALFORIS_DATABASE_URL", database_url, TRUE);

  g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &run->out, &run->err,
                &run->status, &error);
  g_unlink (config);
  g_assert_no_error (error);
  g_test_message ("stdout: %s\nstderr: %s", run->out, run->err);
  g_assert_true (WIFEXITED (run->status));
}

static char *
query_value (const char *conninfo,
             const char *sql)
{
  g_autoptr (PGconn) connection = PQconnectdb (conninfo);
  g_autoptr (PGresult) result = NULL;

  g_assert_cmpint (PQstatus (connection), ==, CONNECTION_OK);
  result = PQexec (connection, sql);
  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s : %s", sql, PQresultErrorMessage (result));
  return g_strdup (PQgetvalue (result, 0, 0));
}

static void
test_fresh_database_is_migrated (void)
{
  g_autofree char *conninfo = new_database ();
  g_auto (Run) run = { 0 };
  g_autofree char *newest = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *organisations = NULL;

  run_migrate (conninfo, &run);
  g_assert_cmpint (WEXITSTATUS (run.status), ==, 0);

  newest = query_value (conninfo, "SELECT max(version) FROM schema_migrations");
  expected = g_strdup_printf ("le schéma est en version %s.\n", newest);
  g_assert_true (g_str_has_suffix (run.out, expected));
  g_assert_nonnull (strstr (run.out, "appliquée"));
  organisations = query_value (conninfo, "SELECT to_regclass('organisations') IS NOT NULL");
  g_assert_cmpstr (organisations, ==, "t");
}

static void
test_second_run_does_nothing (void)
{
  g_autofree char *conninfo = new_database ();
  g_auto (Run) first = { 0 };
  g_auto (Run) second = { 0 };
  g_autofree char *count_before = NULL;
  g_autofree char *count_after = NULL;

  run_migrate (conninfo, &first);
  g_assert_cmpint (WEXITSTATUS (first.status), ==, 0);
  count_before = query_value (conninfo, "SELECT count(*) FROM schema_migrations");
  run_migrate (conninfo, &second);
  g_assert_cmpint (WEXITSTATUS (second.status), ==, 0);
  g_assert_true (g_str_has_prefix (second.out, "Rien à faire"));
  count_after = query_value (conninfo, "SELECT count(*) FROM schema_migrations");
  g_assert_cmpstr (count_before, ==, count_after);
}

static void
test_newer_database_is_refused (void)
{
  g_autofree char *conninfo = new_database ();
  g_autoptr (PGconn) connection = NULL;
  g_autoptr (PGresult) inserted = NULL;
  g_auto (Run) first = { 0 };
  g_auto (Run) second = { 0 };
  const char *values[] = { "999999", "999999_from_the_future.sql" };

  run_migrate (conninfo, &first);
  g_assert_cmpint (WEXITSTATUS (first.status), ==, 0);

  connection = PQconnectdb (conninfo);
  inserted = PQexecParams (connection,
                           "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                           2, NULL, values, NULL, NULL, 0);
  g_assert_cmpint (PQresultStatus (inserted), ==, PGRES_COMMAND_OK);

  run_migrate (conninfo, &second);
  g_assert_cmpint (WEXITSTATUS (second.status), ==, 1);
  g_assert_nonnull (strstr (second.err, "plus récente"));
  g_assert_nonnull (strstr (second.err, "999999"));
}

static void
test_unreachable_database_fails (void)
{
  g_auto (Run) run = { 0 };

  run_migrate ("host=/nonexistent-socket-dir dbname=alforis", &run);
  g_assert_cmpint (WEXITSTATUS (run.status), ==, 1);
  g_assert_nonnull (strstr (run.err, "injoignable"));
}

static void
test_missing_database_url_fails (void)
{
  g_auto (Run) run = { 0 };

  run_migrate (NULL, &run);
  g_assert_cmpint (WEXITSTATUS (run.status), ==, 1);
  g_assert_nonnull (strstr (run.err, "[database] url"));
}

/* Polls the server's log for @text for up to @seconds. */
static gboolean
log_shows (CrmTestServer *server,
           const char    *text,
           guint          seconds)
{
  for (guint i = 0; i < seconds * 10; i++)
    {
      g_autofree char *log = crm_test_server_read_log (server);

      if (strstr (log, text) != NULL)
        return TRUE;
      g_usleep (G_USEC_PER_SEC / 10);
    }
  return FALSE;
}

static void
test_serve_warns_on_unmigrated_database (void)
{
  g_autofree char *conninfo = new_database ();
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmTestServer) server = crm_test_server_start (conninfo, CRM_TEST_SERVER_DEFAULT,
                                                            NULL, &error);

  g_assert_no_error (error);
  g_assert_true (log_shows (server, "lancez « alforis-crm-server migrate »", 10));
}

static void
test_serve_quiet_on_migrated_database (void)
{
  g_autofree char *conninfo = new_database ();
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmTestServer) server = NULL;
  g_autofree char *log = NULL;
  g_auto (Run) run = { 0 };

  run_migrate (conninfo, &run);
  g_assert_cmpint (WEXITSTATUS (run.status), ==, 0);
  server = crm_test_server_start (conninfo, CRM_TEST_SERVER_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (log_shows (server, "Schéma de la base en version", 10));
  log = crm_test_server_read_log (server);
  g_assert_null (strstr (log, "lancez « alforis-crm-server migrate »"));
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

  g_test_add_func ("/server/migrate/fresh-database-is-migrated", test_fresh_database_is_migrated);
  g_test_add_func ("/server/migrate/second-run-does-nothing", test_second_run_does_nothing);
  g_test_add_func ("/server/migrate/newer-database-is-refused", test_newer_database_is_refused);
  g_test_add_func ("/server/migrate/unreachable-database-fails",
                   test_unreachable_database_fails);
  g_test_add_func ("/server/migrate/missing-database-url-fails",
                   test_missing_database_url_fails);
  g_test_add_func ("/server/migrate/serve-warns-on-unmigrated-database",
                   test_serve_warns_on_unmigrated_database);
  g_test_add_func ("/server/migrate/serve-quiet-on-migrated-database",
                   test_serve_quiet_on_migrated_database);

  result = g_test_run ();
  crm_test_pg_stop (pg);
  return result;
}

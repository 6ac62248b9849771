/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-pg-harness"

#include "config.h"

#include <glib.h>
#include <errno.h>
#include <libpq-fe.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "crm-test-cleanup.h"
#include "crm-test-pg.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGconn, PQfinish)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

static CrmTestPg *
start_cluster (void)
{
  g_autoptr (GError) error = NULL;
  CrmTestPg *pg = crm_test_pg_start (&error);

  /* No skipping: a machine that cannot run PostgreSQL cannot pass these tests. */
  g_assert_no_error (error);
  g_assert_nonnull (pg);
  return pg;
}

static PGconn *
connect_to (CrmTestPg *pg)
{
  PGconn *connection = PQconnectdb (crm_test_pg_get_conninfo (pg));

  if (PQstatus (connection) != CONNECTION_OK)
    g_error ("connexion à %s : %s", crm_test_pg_get_conninfo (pg), PQerrorMessage (connection));
  return connection;
}

static void
exec_ok (PGconn     *connection,
         const char *sql)
{
  g_autoptr (PGresult) result = PQexec (connection, sql);

  if (PQresultStatus (result) != PGRES_COMMAND_OK && PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s : %s", sql, PQresultErrorMessage (result));
}

/* The single value of a one-row, one-column query with one text parameter. */
static char *
query_value (PGconn     *connection,
             const char *sql,
             const char *parameter)
{
  const char *values[] = { parameter };
  g_autoptr (PGresult) result = PQexecParams (connection, sql, parameter != NULL ? 1 : 0, NULL,
                                              values, NULL, NULL, 0);

  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s : %s", sql, PQresultErrorMessage (result));
  g_assert_cmpint (PQntuples (result), ==, 1);
  return g_strdup (PQgetvalue (result, 0, 0));
}

/* Alive and not a zombie waiting for a parent to reap it. */
static gboolean
process_is_alive (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *stat = NULL;
  const char *state;

  if (kill (pid, 0) != 0 && errno == ESRCH)
    return FALSE;
  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return FALSE;
  state = strrchr (stat, ')');
  return state == NULL || state[2] != 'Z';
}

static gboolean
gone_within (const char *directory,
             GPid        pid,
             guint       seconds)
{
  for (guint i = 0; i < seconds * 10; i++)
    {
      if (!g_file_test (directory, G_FILE_TEST_EXISTS) && !process_is_alive (pid))
        return TRUE;
      g_usleep (G_USEC_PER_SEC / 10);
    }
  return FALSE;
}

static void
test_sql_round_trip (void)
{
  g_autoptr (CrmTestPg) pg = start_cluster ();
  g_autoptr (PGconn) connection = connect_to (pg);
  const char *values[] = { "Société Générale", "42" };
  g_autoptr (PGresult) inserted = NULL;
  g_autofree char *name = NULL;

  exec_ok (connection, "CREATE TABLE organisations (id int PRIMARY KEY, name text NOT NULL)");
  inserted = PQexecParams (connection, "INSERT INTO organisations (name, id) VALUES ($1, $2)",
                           2, NULL, values, NULL, NULL, 0);
  g_assert_cmpint (PQresultStatus (inserted), ==, PGRES_COMMAND_OK);
  name = query_value (connection, "SELECT name FROM organisations WHERE id = $1", "42");
  g_assert_cmpstr (name, ==, "Société Générale");
}

static void
test_search_extensions_available (void)
{
  g_autoptr (CrmTestPg) pg = start_cluster ();
  g_autoptr (PGconn) connection = connect_to (pg);
  g_autofree char *folded = NULL;
  g_autofree char *similar = NULL;

  exec_ok (connection, "CREATE EXTENSION pg_trgm");
  exec_ok (connection, "CREATE EXTENSION unaccent");
  folded = query_value (connection, "SELECT unaccent($1)", "Élodie Bérégovoy");
  g_assert_cmpstr (folded, ==, "Elodie Beregovoy");
  similar = query_value (connection, "SELECT similarity('alforis', $1) > 0.3", "alforsi");
  g_assert_cmpstr (similar, ==, "t");
}

static void
test_french_text_search (void)
{
  g_autoptr (CrmTestPg) pg = start_cluster ();
  g_autoptr (PGconn) connection = connect_to (pg);
  g_autofree char *config = query_value (connection, "SELECT $1::regconfig::text", "french");
  g_autofree char *default_config = query_value (connection,
                                                 "SELECT current_setting($1)",
                                                 "default_text_search_config");
  g_autofree char *matches = query_value (connection,
                                          "SELECT to_tsvector('french', 'mandats signés') "
                                          "@@ plainto_tsquery('french', $1)",
                                          "mandat signé");

  g_assert_cmpstr (config, ==, "french");
  g_assert_cmpstr (default_config, ==, "pg_catalog.french");
  g_assert_cmpstr (matches, ==, "t");
}

static void
test_create_database (void)
{
  g_autoptr (CrmTestPg) pg = start_cluster ();
  g_autoptr (GError) error = NULL;
  g_autofree char *conninfo = NULL;
  g_autoptr (PGconn) connection = NULL;
  g_autofree char *name = NULL;

  g_assert_true (crm_test_pg_create_database (pg, "crm test \"quoted\"", &conninfo, &error));
  g_assert_no_error (error);
  connection = PQconnectdb (conninfo);
  g_assert_cmpint (PQstatus (connection), ==, CONNECTION_OK);
  name = query_value (connection, "SELECT current_database()", NULL);
  g_assert_cmpstr (name, ==, "crm test \"quoted\"");
}

static void
test_two_clusters_side_by_side (void)
{
  g_autoptr (CrmTestPg) first = start_cluster ();
  g_autoptr (CrmTestPg) second = start_cluster ();
  g_autoptr (PGconn) a = connect_to (first);
  g_autoptr (PGconn) b = connect_to (second);
  g_autofree char *count = NULL;

  g_assert_cmpstr (crm_test_pg_get_directory (first), !=, crm_test_pg_get_directory (second));
  exec_ok (a, "CREATE TABLE only_in_first (x int)");
  count = query_value (b, "SELECT count(*) FROM pg_tables WHERE tablename = $1",
                       "only_in_first");
  g_assert_cmpstr (count, ==, "0");
}

static void
test_stop_removes_everything (void)
{
  CrmTestPg *pg = start_cluster ();
  g_autofree char *directory = g_strdup (crm_test_pg_get_directory (pg));
  GPid pid = crm_test_pg_get_postmaster_pid (pg);

  g_assert_true (g_file_test (directory, G_FILE_TEST_IS_DIR));
  g_assert_true (process_is_alive (pid));
  crm_test_pg_stop (pg);
  /* crm_test_pg_stop waits for both, so there is nothing to wait for here. */
  g_assert_false (g_file_test (directory, G_FILE_TEST_EXISTS));
  g_assert_false (process_is_alive (pid));
}

/* In the child: start a cluster, tell the parent where it is, and die without cleaning up. */
G_GNUC_NORETURN static void
child_start_and_die (int report_fd)
{
  g_autoptr (GError) error = NULL;
  CrmTestPg *pg = crm_test_pg_start (&error);
  g_autofree char *line = NULL;

  if (pg == NULL)
    line = g_strdup_printf ("ERREUR %s\n", error->message);
  else
    line = g_strdup_printf ("%d %s\n", crm_test_pg_get_postmaster_pid (pg),
                            crm_test_pg_get_directory (pg));
  if (write (report_fd, line, strlen (line)) < 0)
    _exit (3);
  close (report_fd);
  raise (SIGKILL);
  _exit (4);
}

static void
test_killed_test_process_cleans_up (void)
{
  int fds[2];
  pid_t child;
  int status = 0;
  char buffer[4096] = { 0 };
  gssize length = 0, got;
  char *directory;
  GPid pid;

  g_assert_cmpint (pipe (fds), ==, 0);
  child = fork ();
  g_assert_cmpint (child, >=, 0);
  if (child == 0)
    {
      close (fds[0]);
      child_start_and_die (fds[1]);
    }
  close (fds[1]);
  while ((got = read (fds[0], buffer + length, sizeof buffer - 1 - length)) > 0)
    length += got;
  close (fds[0]);
  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);

  g_test_message ("l'enfant a dit : %s", buffer);
  g_assert_false (g_str_has_prefix (buffer, "ERREUR"));
  pid = (GPid) g_ascii_strtoll (buffer, &directory, 10);
  g_assert_cmpint (pid, >, 0);
  directory = g_strstrip (directory);
  g_assert_true (g_str_has_prefix (directory, "/"));
  g_assert_true (gone_within (directory, pid, 15));
}

/* The same guarantee for plain directories (test servers, fixtures). */
static void
test_directory_removed_after_kill (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *directory = g_dir_make_tmp ("crm-test-cleanup-XXXXXX", &error);
  int status = 0;
  pid_t child;

  g_assert_no_error (error);
  child = fork ();
  g_assert_cmpint (child, >=, 0);
  if (child == 0)
    {
      if (crm_test_remove_when_gone (directory, NULL) < 0)
        _exit (3);
      raise (SIGKILL);
      _exit (4);
    }
  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
  g_assert_true (WIFSIGNALED (status));
  for (guint i = 0; i < 50 && g_file_test (directory, G_FILE_TEST_EXISTS); i++)
    g_usleep (G_USEC_PER_SEC / 10);
  g_assert_false (g_file_test (directory, G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/pg-harness/sql-round-trip", test_sql_round_trip);
  g_test_add_func ("/server/pg-harness/search-extensions-available",
                   test_search_extensions_available);
  g_test_add_func ("/server/pg-harness/french-text-search", test_french_text_search);
  g_test_add_func ("/server/pg-harness/create-database", test_create_database);
  g_test_add_func ("/server/pg-harness/two-clusters-side-by-side",
                   test_two_clusters_side_by_side);
  g_test_add_func ("/server/pg-harness/stop-removes-everything", test_stop_removes_everything);
  g_test_add_func ("/server/pg-harness/killed-test-process-cleans-up",
                   test_killed_test_process_cleans_up);
  g_test_add_func ("/server/pg-harness/directory-removed-after-kill",
                   test_directory_removed_after_kill);

  return g_test_run ();
}

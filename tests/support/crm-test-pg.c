/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-test-pg"

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "crm-test-net.h"
#include "crm-test-pg.h"

#define POSTGRES_USER "postgres"
#define FALLBACK_BINDIR "/usr/lib/postgresql/15/bin"

struct _CrmTestPg
{
  char    *directory;   /* ours alone; holds the data directory, the socket and the log */
  char    *data_dir;
  char    *bindir;
  char    *runuser;     /* set when we are root: initdb and pg_ctl refuse to run as root */
  char    *conninfo;
  guint    port;
  GPid     postmaster_pid;
  int      watchdog_fd; /* the write end; its EOF tells the watchdog we are gone */
};

/*
 * Runs in the watchdog with the pipe from the test process as stdin. `read` returns at
 * EOF, which happens when the test process closes the pipe or dies in any way (the
 * kernel closes its descriptors even after SIGKILL). $1 directory, $2 bindir, $3 runuser
 * or empty. It waits a little for a postmaster that was still starting.
 */
static const char watchdog_script[] =
  "while read -r _; do :; done\n"
  "for i in 1 2 3 4 5; do\n"
  "  [ -f \"$1/data/postmaster.pid\" ] || [ ! -d \"$1/data\" ] && break\n"
  "  sleep 1\n"
  "done\n"
  "pid=$(head -n 1 \"$1/data/postmaster.pid\" 2>/dev/null)\n"
  /* A cluster the test froze (SIGSTOP) must be woken, or its processes stay stopped. */
  "if [ -n \"$pid\" ]; then\n"
  "  kill -CONT \"$pid\" 2>/dev/null\n"
  "  for s in /proc/[0-9]*/stat; do\n"
  "    read -r child _ _ parent _ < \"$s\" 2>/dev/null || continue\n"
  "    [ \"$parent\" = \"$pid\" ] && kill -CONT \"$child\" 2>/dev/null\n"
  "  done\n"
  "fi\n"
  "if [ -n \"$3\" ]; then as_postgres=\"$3 -u " POSTGRES_USER " --\"; else as_postgres=; fi\n"
  "$as_postgres \"$2/pg_ctl\" -D \"$1/data\" -m immediate -w -s stop >/dev/null 2>&1 \\\n"
  "  || { [ -n \"$pid\" ] && kill -KILL \"$pid\" 2>/dev/null; }\n"
  "rm -rf \"$1\"\n";

static gboolean
is_executable (const char *path)
{
  return g_file_test (path, G_FILE_TEST_IS_EXECUTABLE);
}

static char *
find_bindir (void)
{
  const char *from_env = g_getenv ("CRM_TEST_PG_BINDIR");
  g_autofree char *output = NULL;
  const char *argv[] = { "pg_config", "--bindir", NULL };
  g_autofree char *initdb = NULL;

  if (from_env != NULL)
    return g_strdup (from_env);

  if (g_spawn_sync (NULL, (char **) argv, NULL,
                    G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                    &output, NULL, NULL, NULL))
    {
      g_strstrip (output);
      initdb = g_build_filename (output, "initdb", NULL);
      if (is_executable (initdb))
        return g_steal_pointer (&output);
    }
  return g_strdup (FALLBACK_BINDIR);
}

/* Puts runuser in front of a command when we are root. */
static GPtrArray *
command_new (CrmTestPg  *self,
             const char *program)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);

  if (self->runuser != NULL)
    {
      g_ptr_array_add (argv, g_strdup (self->runuser));
      g_ptr_array_add (argv, g_strdup ("-u"));
      g_ptr_array_add (argv, g_strdup (POSTGRES_USER));
      g_ptr_array_add (argv, g_strdup ("--"));
    }
  g_ptr_array_add (argv, g_build_filename (self->bindir, program, NULL));
  return argv;
}

static void
command_add (GPtrArray  *argv,
             const char *first,
             ...) G_GNUC_NULL_TERMINATED;

static void
command_add (GPtrArray  *argv,
             const char *first,
             ...)
{
  va_list args;

  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
}

/* Runs a command to completion; on failure the error carries what it printed. */
static gboolean
command_run (CrmTestPg  *self,
             GPtrArray  *argv,
             GError    **error)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_ptr_array_add (argv, NULL);
  /* The working directory must be one the postgres user may enter. */
  if (!g_spawn_sync (self->directory, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                     &out, &err, &status, error))
    return FALSE;
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_autofree char *command = g_strjoinv (" ", (char **) argv->pdata);

      g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
                   "%s a échoué (statut %d) : %s%s", command, status, out, err);
      return FALSE;
    }
  return TRUE;
}

static void
child_setsid (gpointer user_data)
{
  /* Out of the test's session and process group: meson's timeout kill of the group, or
   * Ctrl-C in a terminal, must not take the watchdog down with the test. */
  setsid ();
}

static gboolean
spawn_watchdog (CrmTestPg *self,
                GError   **error)
{
  int fds[2];
  const char *argv[] = { "/bin/sh", "-c", watchdog_script, "crm-test-pg-watchdog",
                         self->directory, self->bindir, self->runuser ? self->runuser : "",
                         NULL };
  gboolean ok;

  /* Close-on-exec so that no other child, PostgreSQL above all, holds the write end open. */
  if (pipe2 (fds, O_CLOEXEC) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   "pipe2 : %s", g_strerror (errno));
      return FALSE;
    }

  ok = g_spawn_async_with_pipes_and_fds (NULL, argv, NULL,
                                         G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                         child_setsid, NULL, fds[0], -1, -1, NULL, NULL, 0,
                                         NULL, NULL, NULL, NULL, error);
  close (fds[0]);
  if (!ok)
    {
      close (fds[1]);
      return FALSE;
    }
  self->watchdog_fd = fds[1];
  return TRUE;
}

static gboolean
make_directory (CrmTestPg *self,
                GError   **error)
{
  struct passwd *postgres;

  self->directory = g_dir_make_tmp ("crm-test-pg-XXXXXX", error);
  if (self->directory == NULL)
    return FALSE;
  self->data_dir = g_build_filename (self->directory, "data", NULL);
  if (self->runuser == NULL)
    return TRUE;

  postgres = getpwnam (POSTGRES_USER);
  if (postgres == NULL || chown (self->directory, postgres->pw_uid, postgres->pw_gid) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "impossible de donner %s à l'utilisateur " POSTGRES_USER " : %s",
                   self->directory, postgres == NULL ? "utilisateur absent" : g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

static gboolean
run_initdb (CrmTestPg *self,
            GError   **error)
{
  g_autoptr (GPtrArray) argv = command_new (self, "initdb");

  command_add (argv, "-D", self->data_dir, "-A", "trust", "-U", POSTGRES_USER, "-E", "UTF8",
               "--locale=C.UTF-8", "--text-search-config=french", "--no-sync",
               "--no-instructions", NULL);
  return command_run (self, argv, error);
}

static char *
read_log_tail (CrmTestPg *self)
{
  g_autofree char *path = g_build_filename (self->directory, "server.log", NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return g_strdup ("(pas de journal)");
  return g_strdup (length > 2000 ? contents + length - 2000 : contents);
}

static gboolean
run_pg_ctl_start (CrmTestPg *self,
                  GError   **error)
{
  g_autoptr (GPtrArray) argv = command_new (self, "pg_ctl");
  g_autofree char *log = g_build_filename (self->directory, "server.log", NULL);
  g_autofree char *quoted_dir = g_shell_quote (self->directory);
  g_autofree char *options = NULL;
  g_autoptr (GError) local_error = NULL;

  /* Unix socket only, in our directory; durability is worthless for a throwaway cluster. */
  options = g_strdup_printf ("-k %s -p %u -c listen_addresses='' -c fsync=off "
                             "-c full_page_writes=off -c synchronous_commit=off",
                             quoted_dir, self->port);
  command_add (argv, "-D", self->data_dir, "-l", log, "-w", "-s", "-t", "60", "-o", options,
               "start", NULL);
  if (command_run (self, argv, &local_error))
    return TRUE;

  {
    g_autofree char *tail = read_log_tail (self);

    g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
                 "PostgreSQL n'a pas démarré : %s\n--- journal ---\n%s", local_error->message,
                 tail);
  }
  return FALSE;
}

static gboolean
read_postmaster_pid (CrmTestPg *self,
                     GError   **error)
{
  g_autofree char *path = g_build_filename (self->data_dir, "postmaster.pid", NULL);
  g_autofree char *contents = NULL;
  guint64 pid = 0;

  if (!g_file_get_contents (path, &contents, NULL, error))
    return FALSE;
  contents[strcspn (contents, "\n")] = '\0';
  if (!g_ascii_string_to_unsigned (contents, 10, 1, G_MAXINT, &pid, error))
    return FALSE;
  self->postmaster_pid = (GPid) pid;
  return TRUE;
}

/* Best effort, for a start that failed half-way: the watchdog covers anything left. */
static void
discard (CrmTestPg *self)
{
  if (self->watchdog_fd >= 0)
    close (self->watchdog_fd);
  g_free (self->directory);
  g_free (self->data_dir);
  g_free (self->bindir);
  g_free (self->runuser);
  g_free (self->conninfo);
  g_free (self);
}

/**
 * crm_test_pg_start:
 *
 * Returns: (transfer full): a running cluster, or %NULL with @error saying why (with the
 * end of PostgreSQL's log). Tests must fail, not skip, when this fails.
 */
CrmTestPg *
crm_test_pg_start (GError **error)
{
  CrmTestPg *self = g_new0 (CrmTestPg, 1);

  self->watchdog_fd = -1;
  self->bindir = find_bindir ();
  if (geteuid () == 0)
    {
      self->runuser = g_find_program_in_path ("runuser");
      if (self->runuser == NULL)
        self->runuser = g_strdup ("/usr/sbin/runuser");
    }

  /* Only the socket file's name uses the port, but a free one keeps a listener set up by
   * mistake (listen_addresses) from colliding with anything. */
  if (!make_directory (self, error)
      || (self->port = crm_test_pick_free_port (error)) == 0
      || !spawn_watchdog (self, error)
      || !run_initdb (self, error)
      || !run_pg_ctl_start (self, error)
      || !read_postmaster_pid (self, error))
    {
      /* Closing the pipe has the watchdog stop whatever started and remove the directory. */
      discard (self);
      return NULL;
    }

  self->conninfo = g_strdup_printf ("host=%s port=%u user=" POSTGRES_USER " dbname=postgres",
                                    self->directory, self->port);
  return self;
}

const char *
crm_test_pg_get_conninfo (CrmTestPg *self)
{
  return self->conninfo;
}

const char *
crm_test_pg_get_directory (CrmTestPg *self)
{
  return self->directory;
}

GPid
crm_test_pg_get_postmaster_pid (CrmTestPg *self)
{
  return self->postmaster_pid;
}

/**
 * crm_test_pg_create_database:
 * @conninfo: (out): how to reach the new database
 *
 * A fresh empty database in the same cluster: cheaper than a new cluster for tests that
 * want a clean schema each.
 */
gboolean
crm_test_pg_create_database (CrmTestPg  *self,
                             const char *name,
                             char      **conninfo,
                             GError    **error)
{
  PGconn *connection = PQconnectdb (self->conninfo);
  g_autofree char *statement = NULL;
  PGresult *result;
  char *identifier;
  gboolean ok;

  if (PQstatus (connection) != CONNECTION_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", PQerrorMessage (connection));
      PQfinish (connection);
      return FALSE;
    }
  /* Identifiers cannot be bound parameters; libpq's escaping is the safe way. */
  identifier = PQescapeIdentifier (connection, name, strlen (name));
  statement = g_strdup_printf ("CREATE DATABASE %s", identifier);
  PQfreemem (identifier);
  result = PQexec (connection, statement);
  ok = PQresultStatus (result) == PGRES_COMMAND_OK;
  if (!ok)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", PQresultErrorMessage (result));
  PQclear (result);
  PQfinish (connection);

  if (ok)
    *conninfo = g_strdup_printf ("host=%s port=%u user=" POSTGRES_USER " dbname='%s'",
                                 self->directory, self->port, name);
  return ok;
}

static gboolean
run_pg_ctl_stop (CrmTestPg *self,
                 GError   **error)
{
  g_autoptr (GPtrArray) argv = command_new (self, "pg_ctl");

  command_add (argv, "-D", self->data_dir, "-m", "fast", "-w", "-s", "stop", NULL);
  return command_run (self, argv, error);
}

gboolean
crm_test_pg_take_down (CrmTestPg *self,
                       GError   **error)
{
  if (!run_pg_ctl_stop (self, error))
    return FALSE;
  self->postmaster_pid = 0;
  return TRUE;
}

gboolean
crm_test_pg_bring_up (CrmTestPg *self,
                      GError   **error)
{
  return run_pg_ctl_start (self, error) && read_postmaster_pid (self, error);
}

static GPid
parent_of (const char *pid)
{
  g_autofree char *path = g_build_filename ("/proc", pid, "stat", NULL);
  g_autofree char *stat = NULL;
  const char *after_name;

  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return 0;
  /* "pid (comm) state ppid ...": comm may hold spaces, so start after its ')'. */
  after_name = strrchr (stat, ')');
  if (after_name == NULL || strlen (after_name) < 4)
    return 0;
  return (GPid) g_ascii_strtoll (after_name + 4, NULL, 10);
}

/* Backends call setsid(), so the postmaster's process group does not reach them. */
void
crm_test_pg_freeze (CrmTestPg *self,
                    gboolean   frozen)
{
  int signal_number = frozen ? SIGSTOP : SIGCONT;
  g_autoptr (GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;

  g_return_if_fail (self->postmaster_pid != 0);
  kill (self->postmaster_pid, signal_number);
  while (proc != NULL && (name = g_dir_read_name (proc)) != NULL)
    if (g_ascii_isdigit (name[0]) && parent_of (name) == self->postmaster_pid)
      kill ((pid_t) g_ascii_strtoll (name, NULL, 10), signal_number);
}

static void
remove_directory (CrmTestPg *self)
{
  const char *argv[] = { "rm", "-rf", self->directory, NULL };
  g_autoptr (GError) error = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                     &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    g_warning ("impossible de supprimer %s : %s", self->directory, error->message);
}

/**
 * crm_test_pg_stop:
 *
 * Stops the cluster and removes its directory before returning; the watchdog, woken by
 * the closed pipe, then finds nothing left to do.
 */
void
crm_test_pg_stop (CrmTestPg *self)
{
  g_autoptr (GError) error = NULL;

  if (self == NULL)
    return;

  if (self->postmaster_pid != 0 && !run_pg_ctl_stop (self, &error))
    g_warning ("arrêt de PostgreSQL : %s", error->message);
  remove_directory (self);
  discard (self);
}

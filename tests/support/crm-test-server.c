/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-test-server"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "crm-test-cleanup.h"
#include "crm-test-net.h"
#include "crm-test-server.h"
#include "crm-test-tls.h"

#define STARTUP_TIMEOUT_SECONDS 20

struct _CrmTestServer
{
  char  *directory;
  char  *config_path;
  char  *log_path;
  char  *certificate;
  char  *key;
  char  *secret;
  char  *url;
  guint  port;
  GPid   pid;         /* 0 once reaped */
  int    cleanup_fd;  /* closing it removes the directory, as does our death */
};

const char *
crm_test_server_binary (void)
{
  const char *path = g_getenv ("CRM_SERVER_BINARY");

  if (path == NULL)
    g_error ("CRM_SERVER_BINARY n'est pas défini : lancez les tests par meson test");
  return path;
}

static gboolean
write_secret (CrmTestServer *self,
              GError       **error)
{
  g_autofree char *path = g_build_filename (self->directory, "jwt-secret", NULL);
  g_autofree char *uuid = g_uuid_string_random ();

  self->secret = g_strconcat (uuid, "-test-secret", NULL);
  return g_file_set_contents_full (path, self->secret, -1, G_FILE_SET_CONTENTS_NONE, 0600,
                                   error);
}

static gboolean
write_config (CrmTestServer      *self,
              const char         *database_conninfo,
              CrmTestServerFlags  flags,
              const char         *extra_config,
              GError            **error)
{
  g_autofree char *secret_path = g_build_filename (self->directory, "jwt-secret", NULL);
  g_autofree char *tls = NULL;
  g_autofree char *text = NULL;

  if (flags & CRM_TEST_SERVER_PLAIN_HTTP)
    tls = g_strdup ("development=true\n");
  else
    tls = g_strdup_printf ("tls-certificate=%s\ntls-key=%s\n", self->certificate, self->key);

  text = g_strdup_printf ("[server]\nlisten=127.0.0.1\nport=%u\n%s"
                          "[database]\nurl=%s\npool-size=2\n"
                          "[auth]\njwt-secret-file=%s\n"
                          "[log]\nformat=json\nlevel=debug\n%s",
                          self->port, tls, database_conninfo, secret_path,
                          extra_config != NULL ? extra_config : "");
  self->config_path = g_build_filename (self->directory, "server.conf", NULL);
  return g_file_set_contents (self->config_path, text, -1, error);
}

static void
child_setup (gpointer user_data)
{
  /* Whatever happens to the test, the server it started does not outlive it. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static gboolean
spawn (CrmTestServer *self,
       GError       **error)
{
  g_auto (GStrv) envp = g_get_environ ();
  g_auto (GStrv) names = g_listenv ();
  const char *argv[] = { crm_test_server_binary (), "serve", "--config", self->config_path,
                         NULL };
  int log_fd;
  gboolean ok;

  /* The configuration under test is the file; a stray ALFORIS_* would override it. */
  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_has_prefix (names[i], "ALFORIS_"))
      envp = g_environ_unsetenv (envp, names[i]);

  self->log_path = g_build_filename (self->directory, "server.log", NULL);
  log_fd = open (self->log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (log_fd < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "%s : %s",
                   self->log_path, g_strerror (errno));
      return FALSE;
    }
  ok = g_spawn_async_with_pipes_and_fds (NULL, argv, (const char * const *) envp,
                                         G_SPAWN_DO_NOT_REAP_CHILD, child_setup, NULL,
                                         -1, log_fd, log_fd, NULL, NULL, 0, &self->pid,
                                         NULL, NULL, NULL, error);
  close (log_fd);
  return ok;
}

/* Returns TRUE once the port accepts a connection; FALSE if the server exited first. */
static gboolean
wait_for_port (CrmTestServer *self,
               GError       **error)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  gint64 deadline = g_get_monotonic_time () + STARTUP_TIMEOUT_SECONDS * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr (GSocketConnection) connection = NULL;
      int status = 0;

      if (waitpid (self->pid, &status, WNOHANG) == self->pid)
        {
          g_autofree char *log = crm_test_server_read_log (self);

          self->pid = 0;
          g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
                       "le serveur s'est arrêté au démarrage (statut %d) :\n%s", status, log);
          return FALSE;
        }
      connection = g_socket_client_connect_to_host (client, "127.0.0.1", self->port, NULL,
                                                    NULL);
      if (connection != NULL)
        return TRUE;
      g_usleep (G_USEC_PER_SEC / 50);
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
               "le serveur n'écoute pas sur le port %u après %d s", self->port,
               STARTUP_TIMEOUT_SECONDS);
  return FALSE;
}

/**
 * crm_test_server_start:
 * @extra_config: (nullable): key-file text appended to the generated configuration;
 *   a group named again there adds to or replaces keys of the first
 */
CrmTestServer *
crm_test_server_start (const char         *database_conninfo,
                       CrmTestServerFlags  flags,
                       const char         *extra_config,
                       GError            **error)
{
  g_autoptr (CrmTestServer) self = g_new0 (CrmTestServer, 1);

  self->cleanup_fd = -1;
  self->directory = g_dir_make_tmp ("crm-test-server-XXXXXX", error);
  if (self->directory == NULL
      || (self->cleanup_fd = crm_test_remove_when_gone (self->directory, error)) < 0
      || !crm_test_tls_make_certificate (self->directory, &self->certificate, &self->key, error)
      || !write_secret (self, error)
      || (self->port = crm_test_pick_free_port (error)) == 0
      || !write_config (self, database_conninfo, flags, extra_config, error)
      || !spawn (self, error))
    return NULL;

  self->url = g_strdup_printf ("%s://127.0.0.1:%u",
                               (flags & CRM_TEST_SERVER_PLAIN_HTTP) ? "http" : "https",
                               self->port);
  if (!(flags & CRM_TEST_SERVER_NO_WAIT) && !wait_for_port (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

const char *
crm_test_server_get_url (CrmTestServer *self)
{
  return self->url;
}

guint
crm_test_server_get_port (CrmTestServer *self)
{
  return self->port;
}

GPid
crm_test_server_get_pid (CrmTestServer *self)
{
  return self->pid;
}

const char *
crm_test_server_get_config_path (CrmTestServer *self)
{
  return self->config_path;
}

const char *
crm_test_server_get_secret (CrmTestServer *self)
{
  return self->secret;
}

char *
crm_test_server_read_log (CrmTestServer *self)
{
  char *contents = NULL;

  if (self->log_path == NULL || !g_file_get_contents (self->log_path, &contents, NULL, NULL))
    return g_strdup ("");
  return contents;
}

SoupSession *
crm_test_server_new_session (CrmTestServer *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GTlsDatabase) database = NULL;
  SoupSession *session = soup_session_new_with_options ("timeout", 30, NULL);

  if (self->certificate != NULL)
    {
      database = g_tls_file_database_new (self->certificate, &error);
      g_assert_no_error (error);
      soup_session_set_tls_database (session, database);
    }
  return session;
}

int
crm_test_server_stop (CrmTestServer *self,
                      int            signal_number,
                      guint          timeout_seconds)
{
  gint64 deadline = g_get_monotonic_time () + timeout_seconds * G_USEC_PER_SEC;
  int status = 0;

  if (self->pid == 0)
    return -1;
  kill (self->pid, signal_number);
  while (g_get_monotonic_time () < deadline)
    {
      if (waitpid (self->pid, &status, WNOHANG) == self->pid)
        {
          self->pid = 0;
          return status;
        }
      g_usleep (G_USEC_PER_SEC / 50);
    }
  kill (self->pid, SIGKILL);
  waitpid (self->pid, &status, 0);
  self->pid = 0;
  return -1;
}

void
crm_test_server_free (CrmTestServer *self)
{
  if (self == NULL)
    return;

  if (self->pid != 0)
    crm_test_server_stop (self, SIGKILL, 5);
  if (self->directory != NULL)
    {
      const char *argv[] = { "rm", "-rf", self->directory, NULL };

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                    NULL, NULL);
    }
  if (self->cleanup_fd >= 0)
    close (self->cleanup_fd);
  g_free (self->directory);
  g_free (self->config_path);
  g_free (self->log_path);
  g_free (self->certificate);
  g_free (self->key);
  g_free (self->secret);
  g_free (self->url);
  g_free (self);
}

void
crm_test_command_clear (CrmTestCommand *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
  run->status = 0;
}

void
crm_test_server_run_command (const char        *database_conninfo,
                             const char *const *args,
                             const char        *input,
                             CrmTestCommand    *run)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *empty_config = NULL;
  int fd;

  g_return_if_fail (args != NULL && run != NULL);

  crm_test_command_clear (run);
  fd = g_file_open_tmp ("crm-test-command-XXXXXX.conf", &empty_config, &error);
  g_assert_no_error (error);
  close (fd);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                        | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "ALFORIS_DATABASE_URL", database_conninfo, TRUE);
  g_subprocess_launcher_setenv (launcher, "ALFORIS_LOG_FORMAT", "text", TRUE);
  g_ptr_array_add (argv, (char *) crm_test_server_binary ());
  g_ptr_array_add (argv, (char *) "--config");
  g_ptr_array_add (argv, empty_config);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, &run->out, &run->err, &error);
  g_unlink (empty_config);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
  g_test_message ("stdout: %s\nstderr: %s", run->out, run->err);
}

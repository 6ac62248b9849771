/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sync-harness"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "crm-password.h"
#include "crm-test-cleanup.h"
#include "crm-test-net.h"
#include "crm-test-pg.h"
#include "crm-test-server.h"
#include "crm-test-tls.h"
#include "sync-harness.h"

#define STARTUP_TIMEOUT_SECONDS 20

typedef struct
{
  guint  port;
  char  *url;
  char  *config;
  char  *log;
  GPid   pid;
} Instance;

struct _SyncCluster
{
  CrmTestPg    *pg;
  char         *directory;
  int           cleanup_fd;
  char         *conninfo;
  PGconn       *db;
  char         *certificate;
  char         *key;
  GTlsDatabase *tls;
  Instance     *servers;
  guint         n_servers;
  char         *password_hash;  /* one scrypt for every account: they share the password */
};

static void
child_setup (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static GStrv
server_environment (void)
{
  g_auto (GStrv) names = g_listenv ();
  GStrv envp = g_get_environ ();

  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_has_prefix (names[i], "ALFORIS_"))
      envp = g_environ_unsetenv (envp, names[i]);
  return g_environ_setenv (envp, "ALFORIS_WS_HEARTBEAT", "2", TRUE);
}

static void
run_migrate (SyncCluster *self)
{
  g_auto (GStrv) envp = server_environment ();
  const char *argv[] = { crm_test_server_binary (), "migrate", "--config",
                         self->servers[0].config, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    g_error ("migrate a échoué : %s\n%s", out, err);
}

static gboolean
port_open (guint port)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketConnection) connection =
    g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);

  return connection != NULL;
}

void
sync_cluster_start (SyncCluster *self,
                    guint        server)
{
  Instance *instance = &self->servers[server];
  g_auto (GStrv) envp = server_environment ();
  const char *argv[] = { crm_test_server_binary (), "serve", "--config", instance->config, NULL };
  g_autoptr (GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + STARTUP_TIMEOUT_SECONDS * G_USEC_PER_SEC;
  int log_fd = open (instance->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);

  g_assert_cmpint (log_fd, >=, 0);
  g_assert_cmpint (instance->pid, ==, 0);
  g_spawn_async_with_pipes_and_fds (NULL, argv, (const char * const *) envp,
                                    G_SPAWN_DO_NOT_REAP_CHILD, child_setup, NULL, -1, log_fd,
                                    log_fd, NULL, NULL, 0, &instance->pid, NULL, NULL, NULL,
                                    &error);
  close (log_fd);
  g_assert_no_error (error);
  while (!port_open (instance->port))
    {
      int status = 0;

      if (waitpid (instance->pid, &status, WNOHANG) == instance->pid)
        {
          g_autofree char *log = NULL;

          instance->pid = 0;
          g_file_get_contents (instance->log, &log, NULL, NULL);
          g_error ("le serveur %u s'est arrêté au démarrage :\n%s", server, log);
        }
      if (g_get_monotonic_time () > deadline)
        g_error ("le serveur %u n'écoute pas sur le port %u", server, instance->port);
      g_usleep (G_USEC_PER_SEC / 50);
    }
}

void
sync_cluster_stop (SyncCluster *self,
                   guint        server,
                   int          signal_number)
{
  Instance *instance = &self->servers[server];
  int status = 0;

  if (instance->pid == 0)
    return;
  kill (instance->pid, signal_number);
  if (waitpid (instance->pid, &status, 0) < 0)
    g_warning ("waitpid : %s", g_strerror (errno));
  instance->pid = 0;
}

SyncCluster *
sync_cluster_new (guint n_servers)
{
  SyncCluster *self = g_new0 (SyncCluster, 1);
  g_autoptr (GError) error = NULL;
  g_autofree char *secret_path = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *secret = g_strconcat (uuid, "-sync-test-secret", NULL);
  static guint databases;
  g_autofree char *name = g_strdup_printf ("sync_%u_%u", (guint) getpid (), ++databases);

  self->pg = crm_test_pg_start (&error);
  g_assert_no_error (error);
  self->directory = g_dir_make_tmp ("crm-sync-test-XXXXXX", &error);
  g_assert_no_error (error);
  self->cleanup_fd = crm_test_remove_when_gone (self->directory, &error);
  g_assert_no_error (error);
  g_assert_true (crm_test_pg_create_database (self->pg, name, &self->conninfo, &error));
  g_assert_true (crm_test_tls_make_certificate (self->directory, &self->certificate, &self->key,
                                                &error));
  self->tls = g_tls_file_database_new (self->certificate, &error);
  g_assert_no_error (error);
  secret_path = g_build_filename (self->directory, "jwt-secret", NULL);
  g_assert_true (g_file_set_contents_full (secret_path, secret, -1, G_FILE_SET_CONTENTS_NONE,
                                           0600, &error));

  self->n_servers = n_servers;
  self->servers = g_new0 (Instance, n_servers);
  for (guint i = 0; i < n_servers; i++)
    {
      Instance *instance = &self->servers[i];
      g_autofree char *text = NULL;

      instance->port = crm_test_pick_free_port (&error);
      g_assert_no_error (error);
      instance->url = g_strdup_printf ("https://127.0.0.1:%u", instance->port);
      instance->config = g_strdup_printf ("%s/server-%u.conf", self->directory, i);
      instance->log = g_strdup_printf ("%s/server-%u.log", self->directory, i);
      text = g_strdup_printf ("[server]\nlisten=127.0.0.1\nport=%u\ntls-certificate=%s\n"
                              "tls-key=%s\n[database]\nurl=%s\npool-size=4\n"
                              "[auth]\njwt-secret-file=%s\n[log]\nformat=json\nlevel=info\n",
                              instance->port, self->certificate, self->key, self->conninfo,
                              secret_path);
      g_assert_true (g_file_set_contents (instance->config, text, -1, &error));
    }
  run_migrate (self);
  self->db = PQconnectdb (self->conninfo);
  g_assert_cmpint (PQstatus (self->db), ==, CONNECTION_OK);
  for (guint i = 0; i < n_servers; i++)
    sync_cluster_start (self, i);
  return self;
}

void
sync_cluster_free (SyncCluster *self)
{
  if (self == NULL)
    return;
  for (guint i = 0; i < self->n_servers; i++)
    {
      if (g_test_failed ())
        {
          g_autofree char *log = NULL;

          if (g_file_get_contents (self->servers[i].log, &log, NULL, NULL))
            g_test_message ("journal du serveur %u :\n%s", i, log);
        }
      sync_cluster_stop (self, i, SIGTERM);
      g_free (self->servers[i].url);
      g_free (self->servers[i].config);
      g_free (self->servers[i].log);
    }
  g_free (self->servers);
  g_clear_pointer (&self->db, PQfinish);
  g_clear_object (&self->tls);
  g_clear_pointer (&self->pg, crm_test_pg_stop);
  if (self->cleanup_fd >= 0)
    close (self->cleanup_fd);
  g_free (self->directory);
  g_free (self->conninfo);
  g_free (self->certificate);
  g_free (self->key);
  g_free (self->password_hash);
  g_free (self);
}

const char *
sync_cluster_url (SyncCluster *self,
                  guint        server)
{
  return self->servers[server].url;
}

guint
sync_cluster_port (SyncCluster *self,
                   guint        server)
{
  return self->servers[server].port;
}

GPid
sync_cluster_pid (SyncCluster *self,
                  guint        server)
{
  return self->servers[server].pid;
}

PGconn *
sync_cluster_db (SyncCluster *self)
{
  return self->db;
}

GTlsDatabase *
sync_cluster_tls (SyncCluster *self)
{
  return self->tls;
}

const char *
sync_cluster_directory (SyncCluster *self)
{
  return self->directory;
}

const char *
sync_cluster_certificate (SyncCluster *self)
{
  return self->certificate;
}

char *
sync_cluster_value (SyncCluster *self,
                    const char  *sql,
                    const char  *param)
{
  const char *params[] = { param };
  PGresult *result = PQexecParams (self->db, sql, param != NULL ? 1 : 0, NULL, params, NULL,
                                   NULL, 0);
  char *value = NULL;

  if (PQresultStatus (result) != PGRES_TUPLES_OK && PQresultStatus (result) != PGRES_COMMAND_OK)
    g_error ("%s : %s", sql, PQresultErrorMessage (result));
  if (PQntuples (result) > 0 && !PQgetisnull (result, 0, 0))
    value = g_strdup (PQgetvalue (result, 0, 0));
  PQclear (result);
  return value;
}

char *
sync_cluster_add_team (SyncCluster *self,
                       const char  *name)
{
  return sync_cluster_value (self, "INSERT INTO teams (id, name) VALUES (gen_random_uuid (), $1)"
                                   " RETURNING id::text", name);
}

char *
sync_cluster_add_user (SyncCluster *self,
                       const char  *email,
                       CrmRole      role,
                       const char  *team_id)
{
  const char *params[] = { email, self->password_hash, crm_role_to_string (role), team_id };
  PGresult *result;
  char *id;

  if (self->password_hash == NULL)
    {
      g_autoptr (GError) error = NULL;

      self->password_hash = crm_password_hash (SYNC_TEST_PASSWORD, &error);
      g_assert_no_error (error);
    }
  params[1] = self->password_hash;
  result = PQexecParams (self->db,
                         "INSERT INTO users (id, email, display_name, password_hash, role, team_id)"
                         " VALUES (gen_random_uuid (), $1, $1, $2, $3, $4::uuid) RETURNING id::text",
                         4, NULL, params, NULL, NULL, 0);
  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("création du compte %s : %s", email, PQresultErrorMessage (result));
  id = g_strdup (PQgetvalue (result, 0, 0));
  PQclear (result);
  return id;
}

void
sync_cluster_set_role (SyncCluster *self,
                       const char  *user_id,
                       CrmRole      role)
{
  const char *params[] = { user_id, crm_role_to_string (role) };
  PGresult *result = PQexecParams (self->db,
                                   "UPDATE users SET role = $2, epoch = epoch + 1,"
                                   " updated_at = now () WHERE id = $1::uuid",
                                   2, NULL, params, NULL, NULL, 0);

  g_assert_cmpint (PQresultStatus (result), ==, PGRES_COMMAND_OK);
  PQclear (result);
}

/* ---- clients ---------------------------------------------------------------------- */

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  while (*slot == NULL)
    {
      g_main_context_iteration (NULL, TRUE);
      if (g_get_monotonic_time () > deadline)
        g_error ("pas de réponse en 120 s");
    }
  return *slot;
}

/* The app's engine on the client's replica; its session comes from the token file. */
static void
make_engine (SyncClient *self)
{
  g_autofree char *token_path = g_build_filename (self->directory, "tokens.ini", NULL);
  g_autoptr (CrmTokenStore) tokens = crm_file_token_store_new (token_path);

  self->engine = crm_sync_engine_new (self->replica, self->url, tokens);
  crm_sync_engine_set_tls_database (self->engine, self->cluster->tls);
  crm_sync_engine_set_backoff (self->engine, 50, 400);
  crm_sync_engine_set_poll_interval (self->engine, 0);
}

SyncClient *
sync_client_new (SyncCluster *cluster,
                 const char  *url,
                 const char  *email)
{
  SyncClient *self = g_new0 (SyncClient, 1);
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;

  self->cluster = cluster;
  self->email = g_strdup (email);
  self->directory = g_strdup_printf ("%s/client-%s", cluster->directory, email);
  g_assert_cmpint (g_mkdir_with_parents (self->directory, 0700), ==, 0);
  path = g_build_filename (self->directory, "replica.db", NULL);
  self->replica = crm_replica_open (path, CRM_REPLICA_OPEN_NONE, &error);
  g_assert_no_error (error);
  self->url = g_strdup (url);
  make_engine (self);
  sync_client_login (self);
  return self;
}

void
sync_client_restart (SyncClient *self)
{
  /* Disposed, not just unreferenced: late callbacks may still hold the old engine, but
   * it starts nothing more, as a closed app would not. */
  g_object_run_dispose (G_OBJECT (self->engine));
  g_clear_object (&self->engine);
  sync_spin (10);
  make_engine (self);
}

void
sync_client_login (SyncClient *self)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  crm_sync_engine_login_async (self->engine, self->email, SYNC_TEST_PASSWORD, NULL, on_done,
                               &result);
  crm_sync_engine_login_finish (self->engine, wait_result (&result), &error);
  g_assert_no_error (error);
}

void
sync_client_free (SyncClient *self)
{
  if (self == NULL)
    return;
  crm_sync_engine_stop (self->engine);
  g_clear_object (&self->engine);
  sync_spin (10);
  if (self->replica != NULL)
    crm_replica_close (self->replica, NULL);
  g_clear_object (&self->replica);
  g_free (self->directory);
  g_free (self->email);
  g_free (self->url);
  g_free (self);
}

gboolean
sync_client_sync (SyncClient *self,
                  GError    **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  crm_sync_engine_sync_async (self->engine, NULL, on_done, &result);
  return crm_sync_engine_sync_finish (self->engine, wait_result (&result), error);
}

void
sync_client_settle (SyncClient *self,
                    guint       max_rounds)
{
  for (guint round = 0; round < max_rounds; round++)
    {
      g_autoptr (GError) error = NULL;

      if (sync_client_sync (self, &error)
          && crm_replica_outbox_count (self->replica, NULL) == 0)
        return;
      if (error != NULL)
        g_test_message ("%s : tour %u : %s", self->email, round, error->message);
      /* Let a back-off run out. */
      sync_spin (450);
      crm_sync_engine_sync_now (self->engine);
    }
  g_error ("%s : la synchronisation ne s'est pas terminée en %u tours", self->email, max_rounds);
}

static gboolean
on_spin_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
sync_wait_for (gboolean *flag,
               guint     timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, on_spin_timeout, &timed_out);

  while (!*flag && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return *flag;
}

void
sync_spin (guint ms)
{
  gboolean never = FALSE;

  sync_wait_for (&never, ms);
}

CrmRecord *
sync_fields (CrmEntityKind kind,
             ...)
{
  CrmRecord *record = crm_record_new_for_kind (kind);
  const char *field;
  va_list args;

  va_start (args, kind);
  while ((field = va_arg (args, const char *)) != NULL)
    {
      const char *value = va_arg (args, const char *);

      if (value == NULL)
        crm_record_set_null (record, field);
      else
        g_assert_true (crm_record_set_from_text (record, field, value, NULL));
    }
  va_end (args);
  return record;
}

char *
sync_field (SyncClient   *client,
            CrmEntityKind kind,
            const char   *id,
            const char   *field)
{
  g_autoptr (CrmRecord) row = crm_replica_get (client->replica, kind, id, NULL);

  if (row == NULL || !crm_record_has (row, field) || crm_record_is_null (row, field))
    return NULL;
  return crm_record_dup_text (row, field);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-cli"

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "crm-test-cleanup.h"
#include "crm-test-tls.h"

#define GOOD_SECRET "0123456789abcdef0123456789abcdef-long-enough"

typedef struct
{
  int   cleanup_fd;  /* removes the directory even if a failed assertion skips teardown */
  char *directory;
  char *certificate;
  char *key;
} Fixture;

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

static const char *
server_binary (void)
{
  const char *path = g_getenv ("CRM_SERVER_BINARY");

  if (path == NULL)
    g_error ("CRM_SERVER_BINARY n'est pas défini : lancez les tests par meson test");
  return path;
}

/* The binary with our environment minus any ALFORIS_* variable, plus @extra_env. */
static void
run_server (Run               *run,
            const char *const *args,
            const char *const *extra_env)
{
  g_auto (GStrv) envp = g_get_environ ();
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) names = g_listenv ();

  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_has_prefix (names[i], "ALFORIS_"))
      envp = g_environ_unsetenv (envp, names[i]);
  for (guint i = 0; extra_env != NULL && extra_env[i] != NULL; i++)
    {
      g_auto (GStrv) pair = g_strsplit (extra_env[i], "=", 2);

      envp = g_environ_setenv (envp, pair[0], pair[1], TRUE);
    }

  g_ptr_array_add (argv, (char *) server_binary ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL, &run->out,
                &run->err, &run->status, &error);
  g_assert_no_error (error);
  g_test_message ("stdout: %s\nstderr: %s", run->out, run->err);
}

static int
exit_status (Run *run)
{
  g_assert_true (WIFEXITED (run->status));
  return WEXITSTATUS (run->status);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;

  fixture->directory = g_dir_make_tmp ("crm-test-cli-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->cleanup_fd = crm_test_remove_when_gone (fixture->directory, &error);
  g_assert_no_error (error);
  crm_test_tls_make_certificate (fixture->directory, &fixture->certificate, &fixture->key,
                                 &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *argv[] = { "rm", "-rf", fixture->directory, NULL };

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, NULL, NULL));
  close (fixture->cleanup_fd);
  g_free (fixture->directory);
  g_free (fixture->certificate);
  g_free (fixture->key);
}

static char *
write_config (Fixture    *fixture,
              const char *extra)
{
  g_autofree char *path = g_build_filename (fixture->directory, "server.conf", NULL);
  g_autofree char *text = g_strdup_printf ("[server]\nport=8443\ntls-certificate=%s\n"
                                           "tls-key=%s\n[database]\nurl=dbname=alforis\n"
                                           "[auth]\njwt-secret=" GOOD_SECRET "\n%s",
                                           fixture->certificate, fixture->key,
                                           extra != NULL ? extra : "");

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return g_steal_pointer (&path);
}

static void
test_version (Fixture       *fixture,
              gconstpointer  data)
{
  const char *args[] = { "--version", NULL };
  g_auto (Run) run = { 0 };

  run_server (&run, args, NULL);
  g_assert_cmpint (exit_status (&run), ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "alforis-crm-server " PACKAGE_VERSION "\n"));
}

static void
test_help_lists_commands (Fixture       *fixture,
                          gconstpointer  data)
{
  const char *args[] = { "--help", NULL };
  g_auto (Run) run = { 0 };

  run_server (&run, args, NULL);
  g_assert_cmpint (exit_status (&run), ==, 0);
  g_assert_nonnull (strstr (run.out, "check-config"));
  g_assert_nonnull (strstr (run.out, "--config"));
}

static void
test_no_command_is_usage_error (Fixture       *fixture,
                                gconstpointer  data)
{
  const char *args[] = { NULL };
  g_auto (Run) run = { 0 };

  run_server (&run, args, NULL);
  g_assert_cmpint (exit_status (&run), ==, 2);
  g_assert_nonnull (strstr (run.err, "check-config"));
}

static void
test_unknown_command_is_usage_error (Fixture       *fixture,
                                     gconstpointer  data)
{
  const char *args[] = { "frobnicate", NULL };
  g_auto (Run) run = { 0 };

  run_server (&run, args, NULL);
  g_assert_cmpint (exit_status (&run), ==, 2);
  g_assert_nonnull (strstr (run.err, "frobnicate"));
}

static void
test_unknown_option_is_usage_error (Fixture       *fixture,
                                    gconstpointer  data)
{
  const char *args[] = { "--frobnicate", "check-config", NULL };
  g_auto (Run) run = { 0 };

  run_server (&run, args, NULL);
  g_assert_cmpint (exit_status (&run), ==, 2);
}

static void
test_check_config_good (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *path = write_config (fixture, NULL);
  const char *args[] = { "check-config", "--config", path, NULL };
  g_auto (Run) run = { 0 };

  run_server (&run, args, NULL);
  g_assert_cmpint (exit_status (&run), ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "OK"));
  g_assert_nonnull (strstr (run.out, path));
  g_assert_cmpstr (run.err, ==, "");
}

static void
test_check_config_lists_every_problem (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autofree char *path = write_config (fixture, "access-token-ttl=3600\n"
                                                 "[server]\nbody-limit=huge\n");
  const char *args[] = { "--config", path, "check-config", NULL };
  g_auto (Run) run = { 0 };

  run_server (&run, args, NULL);
  g_assert_cmpint (exit_status (&run), ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, "[auth] access-token-ttl"));
  g_assert_nonnull (strstr (run.err, "[server] body-limit"));
  g_assert_nonnull (strstr (run.err, "2 problèmes"));
}

static void
test_check_config_missing_file (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->directory, "absent.conf", NULL);
  const char *args[] = { "check-config", "--config", path, NULL };
  g_auto (Run) run = { 0 };

  run_server (&run, args, NULL);
  g_assert_cmpint (exit_status (&run), ==, 1);
  g_assert_nonnull (strstr (run.err, path));
}

/* The environment wins over the file, in the real binary too. */
static void
test_check_config_environment_fixes_file (Fixture       *fixture,
                                          gconstpointer  data)
{
  g_autofree char *path = write_config (fixture, "[server]\nport=70000\n");
  const char *args[] = { "check-config", "--config", path, NULL };
  const char *env[] = { "ALFORIS_PORT=9443", NULL };
  g_auto (Run) run = { 0 };

  run_server (&run, args, env);
  g_assert_cmpint (exit_status (&run), ==, 0);
}

static void
test_check_config_warning_keeps_status_zero (Fixture       *fixture,
                                             gconstpointer  data)
{
  g_autofree char *path = write_config (fixture, "[server]\nprot=1\n");
  const char *args[] = { "check-config", "--config", path, NULL };
  g_auto (Run) run = { 0 };

  run_server (&run, args, NULL);
  g_assert_cmpint (exit_status (&run), ==, 0);
  g_assert_nonnull (strstr (run.err, "[server] prot"));
}

static void
test_check_config_never_prints_secret (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autofree char *path = write_config (fixture, NULL);
  const char *args[] = { "check-config", "--config", path, NULL };
  const char *env[] = { "ALFORIS_JWT_SECRET=short-Secret-Value", NULL };
  g_auto (Run) run = { 0 };

  run_server (&run, args, env);
  g_assert_cmpint (exit_status (&run), ==, 1);
  g_assert_nonnull (strstr (run.err, "ALFORIS_JWT_SECRET"));
  g_assert_null (strstr (run.err, "short-Secret-Value"));
  g_assert_null (strstr (run.out, "short-Secret-Value"));
}

static void
add (const char *path,
     void (*test) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, NULL, fixture_set_up, test, fixture_tear_down);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  add ("/server/cli/version", test_version);
  add ("/server/cli/help-lists-commands", test_help_lists_commands);
  add ("/server/cli/no-command-is-usage-error", test_no_command_is_usage_error);
  add ("/server/cli/unknown-command-is-usage-error", test_unknown_command_is_usage_error);
  add ("/server/cli/unknown-option-is-usage-error", test_unknown_option_is_usage_error);
  add ("/server/cli/check-config-good", test_check_config_good);
  add ("/server/cli/check-config-lists-every-problem", test_check_config_lists_every_problem);
  add ("/server/cli/check-config-missing-file", test_check_config_missing_file);
  add ("/server/cli/check-config-environment-fixes-file",
       test_check_config_environment_fixes_file);
  add ("/server/cli/check-config-warning-keeps-status-zero",
       test_check_config_warning_keeps_status_zero);
  add ("/server/cli/check-config-never-prints-secret", test_check_config_never_prints_secret);

  return g_test_run ();
}

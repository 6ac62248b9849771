/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-config"

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "crm-config.h"
#include "crm-test-cleanup.h"
#include "crm-test-tls.h"

#define GOOD_SECRET "0123456789abcdef0123456789abcdef-long-enough"
#define GOOD_DATABASE "host=/tmp dbname=alforis"

typedef struct
{
  int   cleanup_fd;  /* removes the directory even if a failed assertion skips teardown */
  char *directory;
  char *certificate;
  char *key;
  char *secret_file;
} Fixture;

static char *
write_file (Fixture    *fixture,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (fixture->directory, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return g_steal_pointer (&path);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;

  fixture->directory = g_dir_make_tmp ("crm-test-config-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->cleanup_fd = crm_test_remove_when_gone (fixture->directory, &error);
  g_assert_no_error (error);
  crm_test_tls_make_certificate (fixture->directory, &fixture->certificate, &fixture->key,
                                 &error);
  g_assert_no_error (error);
  fixture->secret_file = write_file (fixture, "jwt-secret", GOOD_SECRET "\n");
  g_assert_cmpint (g_chmod (fixture->secret_file, 0600), ==, 0);
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
  g_free (fixture->secret_file);
}

/* A configuration that passes every check; tests change one thing in it. */
static char *
good_config (Fixture    *fixture,
             const char *extra)
{
  return g_strdup_printf ("[server]\nlisten=127.0.0.1\nport=8443\n"
                          "tls-certificate=%s\ntls-key=%s\n"
                          "[database]\nurl=" GOOD_DATABASE "\n"
                          "[auth]\njwt-secret-file=%s\n%s",
                          fixture->certificate, fixture->key, fixture->secret_file,
                          extra != NULL ? extra : "");
}

/* Loads @text as a file (with @envp as the whole environment) and validates it. */
static CrmConfig *
load_and_validate (Fixture    *fixture,
                   const char *text,
                   const char *const *envp)
{
  static const char *const empty_environment[] = { NULL };
  g_autofree char *path = write_file (fixture, "server.conf", text);
  g_autoptr (GError) error = NULL;
  CrmConfig *config;

  config = crm_config_load (path, TRUE, envp != NULL ? envp : empty_environment, &error);
  g_assert_no_error (error);
  g_assert_nonnull (config);
  crm_config_validate (config, CRM_CONFIG_CHECK_ALL);
  return config;
}

static char *
joined (GPtrArray *messages)
{
  g_autoptr (GString) all = g_string_new (NULL);

  for (guint i = 0; i < messages->len; i++)
    g_string_append_printf (all, "%s\n", (const char *) g_ptr_array_index (messages, i));
  return g_strdup (all->str);
}

/* The single problem of @config names @where and says @what. */
static void
assert_one_problem (CrmConfig  *config,
                    const char *where,
                    const char *what)
{
  g_autofree char *all = joined (config->problems);

  if (config->problems->len != 1)
    g_error ("attendu un problème, trouvé %u :\n%s", config->problems->len, all);
  g_assert_nonnull (strstr (all, where));
  g_assert_nonnull (strstr (all, what));
}

static void
assert_problem_for (Fixture    *fixture,
                    const char *extra,
                    const char *where,
                    const char *what)
{
  g_autofree char *text = good_config (fixture, extra);
  g_autoptr (CrmConfig) config = load_and_validate (fixture, text, NULL);

  assert_one_problem (config, where, what);
}

static void
test_good_config_has_no_problem (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autofree char *text = good_config (fixture, NULL);
  g_autoptr (CrmConfig) config = load_and_validate (fixture, text, NULL);
  g_autofree char *all = joined (config->problems);

  g_assert_cmpstr (all, ==, "");
  g_assert_cmpuint (config->warnings->len, ==, 0);
  g_assert_cmpuint (g_bytes_get_size (config->jwt_secret), ==, strlen (GOOD_SECRET));
}

static void
test_defaults (Fixture       *fixture,
               gconstpointer  data)
{
  static const char *const empty[] = { NULL };
  g_autofree char *missing = g_build_filename (fixture->directory, "absent.conf", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmConfig) config = crm_config_load (missing, FALSE, empty, &error);

  g_assert_no_error (error);
  g_assert_null (config->path);
  g_assert_cmpstr (config->listen, ==, "127.0.0.1");
  g_assert_cmpuint (config->port, ==, 8443);
  g_assert_cmpuint (config->body_limit, ==, 2 * 1024 * 1024);
  g_assert_cmpuint (config->access_token_ttl, ==, 900);
  g_assert_cmpuint (config->pool_size, ==, 8);
  g_assert_cmpint (config->log_format, ==, CRM_LOG_FORMAT_AUTO);
  g_assert_cmpint (config->log_level, ==, G_LOG_LEVEL_INFO);
}

static void
test_file_values_are_read (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *text = good_config (fixture, "access-token-ttl=600\n"
                                                "[server]\nbody-limit=512KiB\n"
                                                "[database]\npool-size=3\n"
                                                "[log]\nformat=json\nlevel=debug\n"
                                                "[sentry]\ndsn=https://k@sentry.example/42\n");
  g_autoptr (CrmConfig) config = load_and_validate (fixture, text, NULL);

  g_assert_cmpuint (config->problems->len, ==, 0);
  g_assert_cmpuint (config->access_token_ttl, ==, 600);
  g_assert_cmpuint (config->body_limit, ==, 512 * 1024);
  g_assert_cmpuint (config->pool_size, ==, 3);
  g_assert_cmpint (config->log_format, ==, CRM_LOG_FORMAT_JSON);
  g_assert_cmpint (config->log_level, ==, G_LOG_LEVEL_DEBUG);
  g_assert_cmpstr (config->database_url, ==, GOOD_DATABASE);
  g_assert_cmpstr (config->sentry_dsn, ==, "https://k@sentry.example/42");
}

static void
test_environment_overrides_file (Fixture       *fixture,
                                 gconstpointer  data)
{
  const char *envp[] = { "ALFORIS_PORT=9443", "ALFORIS_DATABASE_URL=dbname=other",
                         "ALFORIS_LOG_FORMAT=text", "ALFORIS_LISTEN=::1", "PATH=/bin", NULL };
  g_autofree char *text = good_config (fixture, "[log]\nformat=json\n");
  g_autoptr (CrmConfig) config = load_and_validate (fixture, text, envp);

  g_assert_cmpuint (config->problems->len, ==, 0);
  g_assert_cmpuint (config->port, ==, 9443);
  g_assert_cmpstr (config->database_url, ==, "dbname=other");
  g_assert_cmpint (config->log_format, ==, CRM_LOG_FORMAT_TEXT);
  g_assert_cmpstr (config->listen, ==, "::1");
}

/* A wrong value from the environment is reported under the variable's name. */
static void
test_environment_problem_names_variable (Fixture       *fixture,
                                         gconstpointer  data)
{
  const char *envp[] = { "ALFORIS_PORT=99999", NULL };
  g_autofree char *text = good_config (fixture, NULL);
  g_autoptr (CrmConfig) config = load_and_validate (fixture, text, envp);

  assert_one_problem (config, "ALFORIS_PORT", "99999");
}

static void
test_environment_replaces_bad_file_value (Fixture       *fixture,
                                          gconstpointer  data)
{
  const char *envp[] = { "ALFORIS_PORT=9443", NULL };
  g_autofree char *text = good_config (fixture, "[server]\nport=70000\n");
  g_autoptr (CrmConfig) config = load_and_validate (fixture, text, envp);
  g_autofree char *warnings = joined (config->warnings);

  g_assert_cmpuint (config->problems->len, ==, 0);
  g_assert_cmpuint (config->port, ==, 9443);
  g_assert_nonnull (strstr (warnings, "[server] port"));
  g_assert_nonnull (strstr (warnings, "ALFORIS_PORT la remplace"));
}

static void
test_environment_secret_overrides_file_secret (Fixture       *fixture,
                                               gconstpointer  data)
{
  const char *envp[] = { "ALFORIS_JWT_SECRET=" GOOD_SECRET "-from-env", NULL };
  g_autofree char *text = good_config (fixture, NULL);
  g_autoptr (CrmConfig) config = load_and_validate (fixture, text, envp);

  g_assert_cmpuint (config->problems->len, ==, 0);
  g_assert_null (config->jwt_secret_file);
  g_assert_cmpuint (g_bytes_get_size (config->jwt_secret), ==,
                    strlen (GOOD_SECRET "-from-env"));
}

static void
test_empty_variable_clears_setting (Fixture       *fixture,
                                    gconstpointer  data)
{
  const char *envp[] = { "ALFORIS_SENTRY_DSN=", NULL };
  g_autofree char *text = good_config (fixture, "[sentry]\ndsn=https://k@sentry.example/1\n");
  g_autoptr (CrmConfig) config = load_and_validate (fixture, text, envp);

  g_assert_null (config->sentry_dsn);
}

static void
test_missing_explicit_file_is_an_error (Fixture       *fixture,
                                        gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (fixture->directory, "absent.conf", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmConfig) config = crm_config_load (missing, TRUE, NULL, &error);

  g_assert_null (config);
  g_assert_error (error, CRM_CONFIG_ERROR, CRM_CONFIG_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, missing));
}

static void
test_syntax_error (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = write_file (fixture, "bad.conf", "[server]\nthis is not a key\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmConfig) config = crm_config_load (path, TRUE, NULL, &error);

  g_assert_null (config);
  g_assert_error (error, CRM_CONFIG_ERROR, CRM_CONFIG_ERROR_SYNTAX);
}

static void
test_port_out_of_range (Fixture *fixture, gconstpointer data)
{
  assert_problem_for (fixture, "[server]\nport=70000\n", "[server] port", "65535");
}

static void
test_port_zero (Fixture *fixture, gconstpointer data)
{
  assert_problem_for (fixture, "[server]\nport=0\n", "[server] port", "hors limites");
}

static void
test_port_not_a_number (Fixture *fixture, gconstpointer data)
{
  assert_problem_for (fixture, "[server]\nport=https\n", "[server] port", "nombre entier");
}

static void
test_listen_not_an_address (Fixture *fixture, gconstpointer data)
{
  assert_problem_for (fixture, "[server]\nlisten=example.org\n", "[server] listen",
                      "adresse IP");
}

static void
test_certificate_unreadable (Fixture *fixture, gconstpointer data)
{
  assert_problem_for (fixture, "[server]\ntls-certificate=/nonexistent/cert.pem\n",
                      "[server] tls-certificate", "/nonexistent/cert.pem");
}

static void
test_key_unreadable (Fixture *fixture, gconstpointer data)
{
  assert_problem_for (fixture, "[server]\ntls-key=/nonexistent/key.pem\n", "[server] tls-key",
                      "impossible de lire");
}

static void
test_certificate_not_pem (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *garbage = write_file (fixture, "garbage.pem", "not a certificate\n");
  g_autofree char *extra = g_strdup_printf ("[server]\ntls-certificate=%s\n", garbage);

  assert_problem_for (fixture, extra, "[server] tls-certificate", "pas utilisable");
}

static void
test_certificate_required_outside_development (Fixture       *fixture,
                                               gconstpointer  data)
{
  g_autofree char *text = g_strdup_printf ("[server]\ntls-key=%s\n[database]\nurl=dbname=x\n"
                                           "[auth]\njwt-secret=" GOOD_SECRET "\n",
                                           fixture->key);
  g_autoptr (CrmConfig) config = load_and_validate (fixture, text, NULL);

  assert_one_problem (config, "[server] tls-certificate", "manquant");
}

static void
test_development_needs_no_certificate (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autoptr (CrmConfig) config = load_and_validate (fixture,
                                                    "[server]\ndevelopment=true\n"
                                                    "[database]\nurl=dbname=x\n"
                                                    "[auth]\njwt-secret=" GOOD_SECRET "\n",
                                                    NULL);

  g_assert_cmpuint (config->problems->len, ==, 0);
  g_assert_true (config->development);
}

static void
test_development_only_on_loopback (Fixture *fixture, gconstpointer data)
{
  assert_problem_for (fixture, "[server]\nlisten=0.0.0.0\ndevelopment=true\n",
                      "[server] development", "0.0.0.0");
}

static void
test_development_not_a_boolean (Fixture *fixture, gconstpointer data)
{
  assert_problem_for (fixture, "[server]\ndevelopment=maybe\n", "[server] development",
                      "booléen");
}

static void
test_secret_file_too_short (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *short_file = write_file (fixture, "short", "only-20-bytes-secret\n");
  g_autofree char *extra = g_strdup_printf ("[auth]\njwt-secret-file=%s\n", short_file);

  assert_problem_for (fixture, extra, "[auth] jwt-secret-file", "trop court (20 octets)");
}

static void
test_inline_secret_too_short (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *text = g_strdup_printf ("[server]\ndevelopment=true\n[database]\nurl=dbname=x"
                                           "\n[auth]\njwt-secret=0123456789012345678901234567890"
                                           "\n");
  g_autoptr (CrmConfig) config = load_and_validate (fixture, text, NULL);

  assert_one_problem (config, "[auth] jwt-secret", "31 octets");
}

static void
test_secret_file_unreadable (Fixture *fixture, gconstpointer data)
{
  assert_problem_for (fixture, "[auth]\njwt-secret-file=/nonexistent/secret\n",
                      "[auth] jwt-secret-file", "impossible de lire le secret");
}

static void
test_secret_missing (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr (CrmConfig) config = load_and_validate (fixture,
                                                    "[server]\ndevelopment=true\n"
                                                    "[database]\nurl=dbname=x\n",
                                                    NULL);

  assert_one_problem (config, "[auth] jwt-secret-file", "manquant");
}

static void
test_two_secrets_in_file (Fixture *fixture, gconstpointer data)
{
  assert_problem_for (fixture, "jwt-secret=" GOOD_SECRET "\n", "[auth] jwt-secret",
                      "deux secrets");
}

static void
test_secret_file_readable_by_others_warns (Fixture       *fixture,
                                           gconstpointer  data)
{
  g_autofree char *text = good_config (fixture, NULL);
  g_autoptr (CrmConfig) config = NULL;
  g_autofree char *warnings = NULL;

  g_assert_cmpint (g_chmod (fixture->secret_file, 0644), ==, 0);
  config = load_and_validate (fixture, text, NULL);
  warnings = joined (config->warnings);
  g_assert_cmpuint (config->problems->len, ==, 0);
  g_assert_nonnull (strstr (warnings, "chmod 600"));
}

static void
test_ttl_above_fifteen_minutes (Fixture *fixture, gconstpointer data)
{
  assert_problem_for (fixture, "access-token-ttl=901\n", "[auth] access-token-ttl", "900");
}

static void
test_ttl_too_short (Fixture *fixture, gconstpointer data)
{
  assert_problem_for (fixture, "access-token-ttl=5\n", "[auth] access-token-ttl",
                      "hors limites");
}

static void
test_body_limit_not_a_size (Fixture *fixture, gconstpointer data)
{
  assert_problem_for (fixture, "[server]\nbody-limit=large\n", "[server] body-limit", "taille");
}

static void
test_body_limit_too_large (Fixture *fixture, gconstpointer data)
{
  assert_problem_for (fixture, "[server]\nbody-limit=2GiB\n", "[server] body-limit",
                      "hors limites");
}

static void
test_pool_size_zero (Fixture *fixture, gconstpointer data)
{
  assert_problem_for (fixture, "[database]\npool-size=0\n", "[database] pool-size",
                      "hors limites");
}

static void
test_database_url_missing (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *text = g_strdup_printf ("[server]\ndevelopment=true\n"
                                           "[auth]\njwt-secret=" GOOD_SECRET "\n");
  g_autoptr (CrmConfig) config = load_and_validate (fixture, text, NULL);

  assert_one_problem (config, "[database] url", "manquant");
}

static void
test_database_url_unparsable (Fixture *fixture, gconstpointer data)
{
  assert_problem_for (fixture, "[database]\nurl=postgresql://host:notaport:x/db?bogus=1\n",
                      "[database] url", "illisible");
}

static void
test_log_format_unknown (Fixture *fixture, gconstpointer data)
{
  assert_problem_for (fixture, "[log]\nformat=xml\n", "[log] format", "journal, json, text");
}

static void
test_log_level_unknown (Fixture *fixture, gconstpointer data)
{
  assert_problem_for (fixture, "[log]\nlevel=loud\n", "[log] level", "loud");
}

static void
test_sentry_dsn_wrong_scheme (Fixture *fixture, gconstpointer data)
{
  assert_problem_for (fixture, "[sentry]\ndsn=ftp://k@sentry.example/1\n", "[sentry] dsn",
                      "https://");
}

static void
test_sentry_dsn_without_key (Fixture *fixture, gconstpointer data)
{
  assert_problem_for (fixture, "[sentry]\ndsn=https://sentry.example/1\n", "[sentry] dsn",
                      "CLÉ@");
}

static void
test_unknown_key_warns_with_suggestion (Fixture       *fixture,
                                        gconstpointer  data)
{
  g_autofree char *text = good_config (fixture, "[server]\nprot=9000\n");
  g_autoptr (CrmConfig) config = load_and_validate (fixture, text, NULL);
  g_autofree char *warnings = joined (config->warnings);

  g_assert_cmpuint (config->problems->len, ==, 0);
  g_assert_cmpuint (config->warnings->len, ==, 1);
  g_assert_nonnull (strstr (warnings, "[server] prot"));
  g_assert_nonnull (strstr (warnings, "« port »"));
}

static void
test_unknown_group_warns (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *text = good_config (fixture, "[redis]\nurl=redis://x\n");
  g_autoptr (CrmConfig) config = load_and_validate (fixture, text, NULL);
  g_autofree char *warnings = joined (config->warnings);

  g_assert_cmpuint (config->problems->len, ==, 0);
  g_assert_nonnull (strstr (warnings, "[redis]"));
}

static void
test_unknown_variable_warns (Fixture       *fixture,
                             gconstpointer  data)
{
  const char *envp[] = { "ALFORIS_PROT=9000", NULL };
  g_autofree char *text = good_config (fixture, NULL);
  g_autoptr (CrmConfig) config = load_and_validate (fixture, text, envp);
  g_autofree char *warnings = joined (config->warnings);

  g_assert_nonnull (strstr (warnings, "ALFORIS_PROT"));
}

static void
test_every_problem_is_reported (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autofree char *text = good_config (fixture, "access-token-ttl=3600\n"
                                                "[server]\nport=0\n[log]\nformat=xml\n");
  g_autoptr (CrmConfig) config = load_and_validate (fixture, text, NULL);

  g_assert_cmpuint (config->problems->len, ==, 3);
}

/* migrate talks to the database only: TLS and tokens are not its business. */
static void
test_database_check_ignores_http (Fixture       *fixture,
                                  gconstpointer  data)
{
  static const char *const empty[] = { NULL };
  g_autofree char *path = write_file (fixture, "db.conf", "[database]\nurl=dbname=x\n");
  g_autoptr (CrmConfig) config = crm_config_load (path, TRUE, empty, NULL);

  g_assert_true (crm_config_validate (config, CRM_CONFIG_CHECK_DATABASE));
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

  add ("/server/config/good-config-has-no-problem", test_good_config_has_no_problem);
  add ("/server/config/defaults", test_defaults);
  add ("/server/config/file-values-are-read", test_file_values_are_read);
  add ("/server/config/environment-overrides-file", test_environment_overrides_file);
  add ("/server/config/environment-problem-names-variable",
       test_environment_problem_names_variable);
  add ("/server/config/environment-replaces-bad-file-value",
       test_environment_replaces_bad_file_value);
  add ("/server/config/environment-secret-overrides-file-secret",
       test_environment_secret_overrides_file_secret);
  add ("/server/config/empty-variable-clears-setting", test_empty_variable_clears_setting);
  add ("/server/config/missing-explicit-file-is-an-error",
       test_missing_explicit_file_is_an_error);
  add ("/server/config/syntax-error", test_syntax_error);
  add ("/server/config/port-out-of-range", test_port_out_of_range);
  add ("/server/config/port-zero", test_port_zero);
  add ("/server/config/port-not-a-number", test_port_not_a_number);
  add ("/server/config/listen-not-an-address", test_listen_not_an_address);
  add ("/server/config/certificate-unreadable", test_certificate_unreadable);
  add ("/server/config/key-unreadable", test_key_unreadable);
  add ("/server/config/certificate-not-pem", test_certificate_not_pem);
  add ("/server/config/certificate-required-outside-development",
       test_certificate_required_outside_development);
  add ("/server/config/development-needs-no-certificate",
       test_development_needs_no_certificate);
  add ("/server/config/development-only-on-loopback", test_development_only_on_loopback);
  add ("/server/config/development-not-a-boolean", test_development_not_a_boolean);
  add ("/server/config/secret-file-too-short", test_secret_file_too_short);
  add ("/server/config/inline-secret-too-short", test_inline_secret_too_short);
  add ("/server/config/secret-file-unreadable", test_secret_file_unreadable);
  add ("/server/config/secret-missing", test_secret_missing);
  add ("/server/config/two-secrets-in-file", test_two_secrets_in_file);
  add ("/server/config/secret-file-readable-by-others-warns",
       test_secret_file_readable_by_others_warns);
  add ("/server/config/ttl-above-fifteen-minutes", test_ttl_above_fifteen_minutes);
  add ("/server/config/ttl-too-short", test_ttl_too_short);
  add ("/server/config/body-limit-not-a-size", test_body_limit_not_a_size);
  add ("/server/config/body-limit-too-large", test_body_limit_too_large);
  add ("/server/config/pool-size-zero", test_pool_size_zero);
  add ("/server/config/database-url-missing", test_database_url_missing);
  add ("/server/config/database-url-unparsable", test_database_url_unparsable);
  add ("/server/config/log-format-unknown", test_log_format_unknown);
  add ("/server/config/log-level-unknown", test_log_level_unknown);
  add ("/server/config/sentry-dsn-wrong-scheme", test_sentry_dsn_wrong_scheme);
  add ("/server/config/sentry-dsn-without-key", test_sentry_dsn_without_key);
  add ("/server/config/unknown-key-warns-with-suggestion",
       test_unknown_key_warns_with_suggestion);
  add ("/server/config/unknown-group-warns", test_unknown_group_warns);
  add ("/server/config/unknown-variable-warns", test_unknown_variable_warns);
  add ("/server/config/every-problem-is-reported", test_every_problem_is_reported);
  add ("/server/config/database-check-ignores-http", test_database_check_ignores_http);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-log"

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

#include "crm-log.h"

#define PASSWORD_VALUE "hunter2-Pa55word"
#define TOKEN_VALUE "eyJhbGciOiJIUzI1NiJ9.payload.signature"
#define SECRET_VALUE "jwt-signing-secret-value"

/* Installs the writer on a fresh file, logs through GLib as the server does, reads it back. */
static char *
capture (CrmLogFormat   format,
         GLogLevelFlags threshold,
         void         (*emit) (void))
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  int fd = g_file_open_tmp ("crm-test-log-XXXXXX", &path, NULL);

  g_assert_cmpint (fd, >=, 0);
  crm_log_init (format, threshold, fd);
  emit ();
  /* Later lines in this process go to stderr again, for the TAP output. */
  crm_log_init (CRM_LOG_FORMAT_TEXT, G_LOG_LEVEL_MESSAGE, STDERR_FILENO);
  close (fd);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_unlink (path);
  return g_steal_pointer (&contents);
}

static void
emit_login_with_secrets (void)
{
  g_log_structured ("crm-auth", G_LOG_LEVEL_INFO,
                    "PASSWORD", PASSWORD_VALUE,
                    "REFRESH_TOKEN", TOKEN_VALUE,
                    "JWT_Secret", SECRET_VALUE,
                    "HTTP_AUTHORIZATION", "Bearer " TOKEN_VALUE,
                    "USER", "alice@alforis.fr",
                    "MESSAGE", "connexion de %s", "alice@alforis.fr");
}

static void
assert_no_secret (const char *output)
{
  g_assert_null (strstr (output, PASSWORD_VALUE));
  g_assert_null (strstr (output, TOKEN_VALUE));
  g_assert_null (strstr (output, SECRET_VALUE));
}

static void
test_json_redacts_secret_fields (void)
{
  g_autofree char *output = capture (CRM_LOG_FORMAT_JSON, G_LOG_LEVEL_INFO,
                                     emit_login_with_secrets);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonObject *object;

  assert_no_secret (output);
  g_assert_true (json_parser_load_from_data (parser, output, -1, &error));
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (object, "password"), ==, CRM_LOG_REDACTED);
  g_assert_cmpstr (json_object_get_string_member (object, "refresh_token"), ==,
                   CRM_LOG_REDACTED);
  g_assert_cmpstr (json_object_get_string_member (object, "jwt_secret"), ==, CRM_LOG_REDACTED);
  g_assert_cmpstr (json_object_get_string_member (object, "http_authorization"), ==,
                   CRM_LOG_REDACTED);
  g_assert_cmpstr (json_object_get_string_member (object, "user"), ==, "alice@alforis.fr");
  g_assert_cmpstr (json_object_get_string_member (object, "message"), ==,
                   "connexion de alice@alforis.fr");
  g_assert_cmpstr (json_object_get_string_member (object, "level"), ==, "info");
  g_assert_cmpstr (json_object_get_string_member (object, "domain"), ==, "crm-auth");
}

static void
test_text_redacts_secret_fields (void)
{
  g_autofree char *output = capture (CRM_LOG_FORMAT_TEXT, G_LOG_LEVEL_INFO,
                                     emit_login_with_secrets);

  assert_no_secret (output);
  g_assert_nonnull (strstr (output, "password=" CRM_LOG_REDACTED));
  g_assert_nonnull (strstr (output, "user=alice@alforis.fr"));
  g_assert_nonnull (strstr (output, "crm-auth: connexion de alice@alforis.fr"));
  g_assert_true (g_str_has_suffix (output, "\n"));
}

static void
emit_message_with_secrets (void)
{
  g_log_structured ("crm-http", G_LOG_LEVEL_WARNING,
                    "MESSAGE", "en-tête Authorization: Bearer %s ; base "
                    "postgresql://alforis:%s@db/alforis ; password=%s",
                    TOKEN_VALUE, PASSWORD_VALUE, SECRET_VALUE);
}

static void
test_message_secrets_scrubbed (void)
{
  g_autofree char *output = capture (CRM_LOG_FORMAT_TEXT, G_LOG_LEVEL_INFO,
                                     emit_message_with_secrets);

  assert_no_secret (output);
  g_assert_nonnull (strstr (output, "Bearer " CRM_LOG_REDACTED));
  g_assert_nonnull (strstr (output, "postgresql://alforis:" CRM_LOG_REDACTED "@db/alforis"));
  g_assert_nonnull (strstr (output, "password=" CRM_LOG_REDACTED));
}

static void
emit_debug_and_warning (void)
{
  g_log_structured ("crm-test", G_LOG_LEVEL_DEBUG, "MESSAGE", "détail de débogage");
  g_log_structured ("crm-test", G_LOG_LEVEL_WARNING, "MESSAGE", "avertissement");
}

static void
test_threshold_drops_less_severe (void)
{
  g_autofree char *output = capture (CRM_LOG_FORMAT_TEXT, G_LOG_LEVEL_INFO,
                                     emit_debug_and_warning);

  g_assert_null (strstr (output, "débogage"));
  g_assert_nonnull (strstr (output, "avertissement"));
}

static void
test_debug_threshold_keeps_all (void)
{
  g_autofree char *output = capture (CRM_LOG_FORMAT_TEXT, G_LOG_LEVEL_DEBUG,
                                     emit_debug_and_warning);

  g_assert_nonnull (strstr (output, "débogage"));
}

static void
emit_awkward_text (void)
{
  g_log_structured ("crm-test", G_LOG_LEVEL_INFO, "ROUTE", "/api/v1/x", "MESSAGE",
                    "ligne 1\nligne \"2\"\t\\ fin");
}

static void
test_json_escapes_control_characters (void)
{
  g_autofree char *output = capture (CRM_LOG_FORMAT_JSON, G_LOG_LEVEL_INFO, emit_awkward_text);
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *object;

  g_assert_cmpint (strchr (output, '\n') - output, ==, strlen (output) - 1);
  g_assert_true (json_parser_load_from_data (parser, output, -1, NULL));
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (object, "message"), ==,
                   "ligne 1\nligne \"2\"\t\\ fin");
  g_assert_cmpstr (json_object_get_string_member (object, "route"), ==, "/api/v1/x");
}

static void
test_secret_names_match_any_case (void)
{
  g_assert_true (crm_log_field_is_secret ("password"));
  g_assert_true (crm_log_field_is_secret ("NEW_PASSWORD"));
  g_assert_true (crm_log_field_is_secret ("Access_Token"));
  g_assert_true (crm_log_field_is_secret ("WEBHOOK_SECRET"));
  g_assert_true (crm_log_field_is_secret ("authorization"));
  g_assert_false (crm_log_field_is_secret ("USER"));
  g_assert_false (crm_log_field_is_secret ("REQUEST_ID"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/log/json-redacts-secret-fields", test_json_redacts_secret_fields);
  g_test_add_func ("/server/log/text-redacts-secret-fields", test_text_redacts_secret_fields);
  g_test_add_func ("/server/log/message-secrets-scrubbed", test_message_secrets_scrubbed);
  g_test_add_func ("/server/log/threshold-drops-less-severe", test_threshold_drops_less_severe);
  g_test_add_func ("/server/log/debug-threshold-keeps-all", test_debug_threshold_keeps_all);
  g_test_add_func ("/server/log/json-escapes-control-characters",
                   test_json_escapes_control_characters);
  g_test_add_func ("/server/log/secret-names-match-any-case", test_secret_names_match_any_case);

  return g_test_run ();
}

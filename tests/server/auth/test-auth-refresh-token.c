/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-auth-test"

#include "config.h"

#include <locale.h>
#include <string.h>

#include "crm-auth-error.h"
#include "crm-refresh-token.h"

#define NOW G_GINT64_CONSTANT (1772357400)

static void
test_new_token (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRefreshToken) a = crm_refresh_token_new (&error);
  g_autoptr(CrmRefreshToken) b = crm_refresh_token_new (&error);
  g_autofree char *rehashed = NULL;
  const char *c;

  g_assert_no_error (error);
  g_assert_cmpuint (strlen (a->token), ==, CRM_REFRESH_TOKEN_LENGTH);
  g_assert_cmpuint (strlen (a->token_hash), ==, CRM_REFRESH_TOKEN_HASH_LENGTH);
  for (c = a->token; *c != '\0'; c++)
    g_assert_true (g_ascii_isalnum (*c) || *c == '-' || *c == '_');
  for (c = a->token_hash; *c != '\0'; c++)
    g_assert_true (g_ascii_isdigit (*c) || (*c >= 'a' && *c <= 'f'));

  g_assert_cmpstr (a->token, !=, b->token);
  g_assert_cmpstr (a->token_hash, !=, b->token_hash);
  /* What is stored is not what the client holds. */
  g_assert_null (strstr (a->token_hash, a->token));

  rehashed = crm_refresh_token_hash (a->token, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rehashed, ==, a->token_hash);
}

static void
test_hash_known_answer (void)
{
  g_autoptr(GError) error = NULL;
  /* printf %s 'A…A' (43) | sha256sum */
  g_autofree char *hash = crm_refresh_token_hash ("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                                                  &error);

  g_assert_no_error (error);
  g_assert_cmpstr (hash, ==, "0f007385b6f9d4b7eeb2748605afe1a984a0a3bfa3f014d09e2a784ce9e5cd1a");
}

static void
test_hash_malformed (void)
{
  const char *bad[] = {
    NULL,
    "",
    "AAAA",
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",    /* 42 */
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",  /* 44 */
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",   /* padding */
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+",   /* standard alphabet */
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB",   /* unused bits set */
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA ",
    "' OR 1=1 --AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *hash = crm_refresh_token_hash (bad[i], &error);

      g_test_message ("case %" G_GSIZE_FORMAT, i);
      g_assert_null (hash);
      g_assert_error (error, CRM_AUTH_ERROR, CRM_AUTH_ERROR_MALFORMED);
    }
}

static void
test_family_id (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = crm_refresh_family_id_new (&error);
  g_autofree char *b = crm_refresh_family_id_new (&error);

  g_assert_no_error (error);
  g_assert_true (g_uuid_string_is_valid (a));
  g_assert_cmpint (a[14], ==, '4');
  g_assert_true (strchr ("89ab", a[19]) != NULL);
  g_assert_cmpstr (a, !=, b);
}

/* A live token: found, unused, not revoked, account active, epochs equal, not expired. */
static CrmRefreshTokenState
live_state (void)
{
  CrmRefreshTokenState state = {
    .found = TRUE,
    .used = FALSE,
    .revoked = FALSE,
    .family_revoked = FALSE,
    .expires_at = NOW + 3600,
    .family_expires_at = NOW + 86400,
    .token_epoch = 4,
    .user_epoch = 4,
    .user_active = TRUE,
  };

  return state;
}

typedef struct
{
  const char         *name;
  gboolean            found, used, revoked, family_revoked, active, epoch_changed;
  gint64              expires_in, family_expires_in; /* relative to NOW; family 0 = none */
  CrmRefreshDecision  decision;
  gint                code;                          /* -1: no error */
} DecisionRow;

static void
test_decision_table (void)
{
  static const DecisionRow rows[] = {
    { "live",                 1, 0, 0, 0, 1, 0,  3600, 86400, CRM_REFRESH_ACCEPT_AND_ROTATE, -1 },
    { "live, no family cap",  1, 0, 0, 0, 1, 0,  3600, 0, CRM_REFRESH_ACCEPT_AND_ROTATE, -1 },
    { "unknown",              0, 0, 0, 0, 1, 0,  3600, 86400, CRM_REFRESH_REJECT,
      CRM_AUTH_ERROR_REFRESH_UNKNOWN },
    { "reused",               1, 1, 0, 0, 1, 0,  3600, 86400, CRM_REFRESH_REJECT_AND_REVOKE_FAMILY,
      CRM_AUTH_ERROR_REFRESH_REUSED },
    { "reused after expiry",  1, 1, 0, 0, 1, 0,  -10, 86400, CRM_REFRESH_REJECT_AND_REVOKE_FAMILY,
      CRM_AUTH_ERROR_REFRESH_REUSED },
    { "reused and revoked",   1, 1, 1, 1, 1, 0,  3600, 86400, CRM_REFRESH_REJECT_AND_REVOKE_FAMILY,
      CRM_AUTH_ERROR_REFRESH_REUSED },
    { "logged out",           1, 0, 1, 0, 1, 0,  3600, 86400, CRM_REFRESH_REJECT,
      CRM_AUTH_ERROR_REFRESH_REVOKED },
    { "family revoked",       1, 0, 0, 1, 1, 0,  3600, 86400, CRM_REFRESH_REJECT,
      CRM_AUTH_ERROR_REFRESH_REVOKED },
    { "account disabled",     1, 0, 0, 0, 0, 0,  3600, 86400, CRM_REFRESH_REJECT_AND_REVOKE_FAMILY,
      CRM_AUTH_ERROR_ACCOUNT_DISABLED },
    { "password changed",     1, 0, 0, 0, 1, 1,  3600, 86400, CRM_REFRESH_REJECT_AND_REVOKE_FAMILY,
      CRM_AUTH_ERROR_REFRESH_REVOKED },
    { "expired",              1, 0, 0, 0, 1, 0,  -1, 86400, CRM_REFRESH_REJECT,
      CRM_AUTH_ERROR_REFRESH_EXPIRED },
    { "expires this second",  1, 0, 0, 0, 1, 0,  0, 86400, CRM_REFRESH_REJECT,
      CRM_AUTH_ERROR_REFRESH_EXPIRED },
    { "login too old",        1, 0, 0, 0, 1, 0,  3600, -1, CRM_REFRESH_REJECT,
      CRM_AUTH_ERROR_REFRESH_EXPIRED },
    { "one second left",      1, 0, 0, 0, 1, 0,  1, 1, CRM_REFRESH_ACCEPT_AND_ROTATE, -1 },
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      const DecisionRow *row = &rows[i];
      g_autoptr(GError) error = NULL;
      CrmRefreshTokenState state = {
        .found = row->found,
        .used = row->used,
        .revoked = row->revoked,
        .family_revoked = row->family_revoked,
        .expires_at = NOW + row->expires_in,
        .family_expires_at = row->family_expires_in != 0 ? NOW + row->family_expires_in : 0,
        .token_epoch = 2,
        .user_epoch = row->epoch_changed ? 3 : 2,
        .user_active = row->active,
      };

      g_test_message ("row: %s", row->name);
      g_assert_cmpint (crm_refresh_token_decide (&state, NOW, &error), ==, row->decision);
      if (row->code < 0)
        g_assert_no_error (error);
      else
        g_assert_error (error, CRM_AUTH_ERROR, row->code);
    }
}

/* Every combination of the inputs: only the live one is accepted, a reuse always revokes
 * the family unless it is a retry in grace, an unknown hash never does, and the error is
 * set exactly on refusal. */
static void
test_decision_exhaustive (void)
{
  guint bits;

  for (bits = 0; bits < (1u << 9); bits++)
    {
      g_autoptr(GError) error = NULL;
      CrmRefreshTokenState state = live_state ();
      CrmRefreshDecision decision;
      gboolean live;

      state.found = (bits & 1) == 0;
      state.used = (bits & 2) != 0;
      state.revoked = (bits & 4) != 0;
      state.family_revoked = (bits & 8) != 0;
      state.user_active = (bits & 16) == 0;
      state.user_epoch = (bits & 32) != 0 ? 5 : 4;
      state.expires_at = (bits & 64) != 0 ? NOW : NOW + 3600;
      state.family_expires_at = (bits & 128) != 0 ? NOW - 1 : NOW + 86400;
      state.retry_in_grace = (bits & 256) != 0;
      /* Accepted when everything else is fine and the token is unused or retried in
       * grace: as a rotation when unused, as a retry when used. */
      live = (bits & ~(2u | 256u)) == 0 && (!state.used || state.retry_in_grace);

      decision = crm_refresh_token_decide (&state, NOW, &error);
      if (live)
        g_assert_cmpint (decision, ==, state.used ? CRM_REFRESH_ACCEPT_RETRY
                                                  : CRM_REFRESH_ACCEPT_AND_ROTATE);
      else
        g_assert_true (decision != CRM_REFRESH_ACCEPT_AND_ROTATE &&
                       decision != CRM_REFRESH_ACCEPT_RETRY);
      g_assert_cmpint (error == NULL, ==, live);
      if (state.found && state.used && !state.retry_in_grace)
        g_assert_cmpint (decision, ==, CRM_REFRESH_REJECT_AND_REVOKE_FAMILY);
      if (!state.found)
        g_assert_cmpint (decision, ==, CRM_REFRESH_REJECT);
    }
}

/* Login, rotate, then a thief replays the first token: the family dies, and the honest
 * client's current token with it. The "database" is three rows in an array. */
static void
test_rotation_scenario (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRefreshToken) t1 = crm_refresh_token_new (&error);
  g_autoptr(CrmRefreshToken) t2 = NULL;
  CrmRefreshTokenState rows[2];
  gboolean family_revoked = FALSE;
  gint64 now = NOW;

  g_assert_no_error (error);
  rows[0] = live_state ();
  rows[0].expires_at = crm_refresh_token_next_expiry (now, 3600, rows[0].family_expires_at);

  /* the client refreshes with t1 */
  now += 600;
  g_assert_cmpint (crm_refresh_token_decide (&rows[0], now, &error), ==,
                   CRM_REFRESH_ACCEPT_AND_ROTATE);
  g_assert_no_error (error);
  rows[0].used = TRUE;
  t2 = crm_refresh_token_new (&error);
  g_assert_no_error (error);
  rows[1] = rows[0];
  rows[1].used = FALSE;
  rows[1].expires_at = crm_refresh_token_next_expiry (now, 3600, rows[0].family_expires_at);
  g_assert_cmpstr (t1->token_hash, !=, t2->token_hash);

  /* a thief replays t1 */
  now += 60;
  g_assert_cmpint (crm_refresh_token_decide (&rows[0], now, &error), ==,
                   CRM_REFRESH_REJECT_AND_REVOKE_FAMILY);
  g_assert_error (error, CRM_AUTH_ERROR, CRM_AUTH_ERROR_REFRESH_REUSED);
  g_clear_error (&error);
  family_revoked = TRUE;
  rows[0].family_revoked = rows[1].family_revoked = family_revoked;

  /* the honest client's t2 is dead too */
  g_assert_cmpint (crm_refresh_token_decide (&rows[1], now, &error), ==, CRM_REFRESH_REJECT);
  g_assert_error (error, CRM_AUTH_ERROR, CRM_AUTH_ERROR_REFRESH_REVOKED);
}

static void
test_next_expiry (void)
{
  g_assert_cmpint (crm_refresh_token_next_expiry (NOW, 3600, 0), ==, NOW + 3600);
  g_assert_cmpint (crm_refresh_token_next_expiry (NOW, 3600, NOW + 7200), ==, NOW + 3600);
  g_assert_cmpint (crm_refresh_token_next_expiry (NOW, 3600, NOW + 60), ==, NOW + 60);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/auth/refresh/new-token-and-hash", test_new_token);
  g_test_add_func ("/auth/refresh/hash-known-answer", test_hash_known_answer);
  g_test_add_func ("/auth/refresh/hash-refuses-malformed", test_hash_malformed);
  g_test_add_func ("/auth/refresh/family-id-is-uuid4", test_family_id);
  g_test_add_func ("/auth/refresh/decision-truth-table", test_decision_table);
  g_test_add_func ("/auth/refresh/decision-exhaustive", test_decision_exhaustive);
  g_test_add_func ("/auth/refresh/reuse-revokes-family", test_rotation_scenario);
  g_test_add_func ("/auth/refresh/next-expiry-capped-by-family", test_next_expiry);

  return g_test_run ();
}

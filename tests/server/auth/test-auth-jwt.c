/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-auth-test"

#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "auth-test-util.h"
#include "crm-auth-error.h"
#include "crm-jwt.h"

#define SECRET       "0123456789abcdef0123456789abcdef-alforis-test"
#define OTHER_SECRET "fedcba9876543210fedcba9876543210-alforis-test"
#define NOW          G_GINT64_CONSTANT (1772357400) /* 2026-03-01T09:30:00Z */
#define USER_ID      "0190f4c2-8d2e-7a31-9b0c-2f6a1e4d5c7b"
#define TEAM_ID      "0190f4c2-8d2e-7a31-9b0c-2f6a1e4d0001"
#define HS256_HEADER "{\"alg\":\"HS256\",\"typ\":\"JWT\"}"

static CrmJwtKey *
make_key (const char *secret)
{
  g_autoptr(GError) error = NULL;
  CrmJwtKey *key = crm_jwt_key_new ((const guint8 *) secret, strlen (secret), &error);

  g_assert_no_error (error);
  g_assert_nonnull (key);
  return key;
}

static char *
make_token (const CrmJwtKey *key,
            gint64           now,
            guint            ttl)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmJwtClaims) claims = crm_jwt_claims_new (USER_ID, "manager", TEAM_ID, 3,
                                                       now, ttl, &error);
  char *token;

  g_assert_no_error (error);
  token = crm_jwt_sign (key, claims, &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);
  return token;
}

/* Verifies and expects a refusal with @code; returns nothing to free. */
static void
assert_refused (const CrmJwtKey *key,
                const char      *token,
                gint64           now,
                CrmAuthError     code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmJwtClaims) claims = crm_jwt_verify (key, token, now, &error);

  g_assert_null (claims);
  g_assert_error (error, CRM_AUTH_ERROR, (gint) code);
  g_assert_nonnull (error->message);
  /* The token must never be echoed into a message that may reach a log. */
  if (token != NULL && strlen (token) > 16)
    g_assert_null (strstr (error->message, token));
}

static void
assert_accepted (const CrmJwtKey *key,
                 const char      *token,
                 gint64           now)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmJwtClaims) claims = crm_jwt_verify (key, token, now, &error);

  g_assert_no_error (error);
  g_assert_nonnull (claims);
}

static char *
payload_json (gint64      iat,
              gint64      exp,
              const char *extra)
{
  return g_strdup_printf ("{\"sub\":\"" USER_ID "\",\"role\":\"user\",\"epoch\":1,"
                          "\"jti\":\"j1\",\"iat\":%" G_GINT64_FORMAT ",\"exp\":%"
                          G_GINT64_FORMAT "%s}", iat, exp, extra);
}

static void
test_valid (void)
{
  g_autoptr(CrmJwtKey) key = make_key (SECRET);
  g_autofree char *token = make_token (key, NOW, 900);
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmJwtClaims) claims = NULL;
  g_auto(GStrv) parts = g_strsplit (token, ".", -1);

  g_assert_cmpuint (g_strv_length (parts), ==, 3);
  g_assert_cmpstr (parts[0], ==, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9");
  g_assert_null (strchr (token, '='));

  claims = crm_jwt_verify (key, token, NOW + 10, &error);
  g_assert_no_error (error);
  g_assert_nonnull (claims);
  g_assert_cmpstr (claims->sub, ==, USER_ID);
  g_assert_cmpstr (claims->role, ==, "manager");
  g_assert_cmpstr (claims->team, ==, TEAM_ID);
  g_assert_cmpint (claims->epoch, ==, 3);
  g_assert_cmpint (claims->iat, ==, NOW);
  g_assert_cmpint (claims->nbf, ==, NOW);
  g_assert_cmpint (claims->exp, ==, NOW + 900);
  g_assert_cmpuint (strlen (claims->jti), ==, 22);
}

static void
test_unique_jti_and_no_team (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmJwtKey) key = make_key (SECRET);
  g_autoptr(CrmJwtClaims) a = crm_jwt_claims_new (USER_ID, "viewer", NULL, 0, NOW, 60, &error);
  g_autoptr(CrmJwtClaims) b = crm_jwt_claims_new (USER_ID, "viewer", NULL, 0, NOW, 60, &error);
  g_autoptr(CrmJwtClaims) copy = NULL;
  g_autoptr(CrmJwtClaims) back = NULL;
  g_autofree char *token = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (a->jti, !=, b->jti);

  token = crm_jwt_sign (key, a, &error);
  g_assert_no_error (error);
  back = crm_jwt_verify (key, token, NOW, &error);
  g_assert_no_error (error);
  g_assert_null (back->team);
  g_assert_cmpstr (back->jti, ==, a->jti);

  copy = crm_jwt_claims_copy (back);
  g_assert_cmpstr (copy->sub, ==, back->sub);
  g_assert_true (copy->sub != back->sub);
}

static void
test_expired (void)
{
  g_autoptr(CrmJwtKey) key = make_key (SECRET);
  g_autofree char *token = make_token (key, NOW, 300);
  guint leeway = crm_jwt_key_get_leeway (key);

  g_assert_cmpuint (leeway, ==, CRM_JWT_DEFAULT_LEEWAY);
  assert_accepted (key, token, NOW + 300 + leeway - 1);
  assert_refused (key, token, NOW + 300 + leeway, CRM_AUTH_ERROR_EXPIRED);
  assert_refused (key, token, NOW + 86400, CRM_AUTH_ERROR_EXPIRED);
}

static void
test_leeway (void)
{
  g_autoptr(CrmJwtKey) key = make_key (SECRET);
  g_autofree char *token = make_token (key, NOW, 300);
  g_autofree char *payload = payload_json (NOW, NOW + 300, ",\"nbf\":1772357420");
  g_autofree char *early = auth_test_sign_raw (SECRET, HS256_HEADER, payload);

  crm_jwt_key_set_leeway (key, 0);
  assert_accepted (key, token, NOW + 299);
  assert_refused (key, token, NOW + 300, CRM_AUTH_ERROR_EXPIRED);
  /* nbf is 20 s ahead: refused without leeway, accepted with 30 s */
  assert_refused (key, early, NOW, CRM_AUTH_ERROR_NOT_YET_VALID);
  /* a token issued by a server whose clock is 10 s ahead */
  assert_refused (key, token, NOW - 10, CRM_AUTH_ERROR_NOT_YET_VALID);

  crm_jwt_key_set_leeway (key, 60);
  assert_accepted (key, token, NOW + 359);
  assert_refused (key, token, NOW + 360, CRM_AUTH_ERROR_EXPIRED);
  assert_accepted (key, early, NOW);
  assert_accepted (key, token, NOW - 10);
}

static void
test_not_yet_valid (void)
{
  g_autoptr(CrmJwtKey) key = make_key (SECRET);
  g_autofree char *nbf_payload = payload_json (NOW, NOW + 900, ",\"nbf\":1772358000");
  g_autofree char *nbf_token = auth_test_sign_raw (SECRET, HS256_HEADER, nbf_payload);
  g_autofree char *iat_payload = payload_json (NOW + 3600, NOW + 3700, "");
  g_autofree char *iat_token = auth_test_sign_raw (SECRET, HS256_HEADER, iat_payload);

  assert_refused (key, nbf_token, NOW, CRM_AUTH_ERROR_NOT_YET_VALID);
  assert_accepted (key, nbf_token, NOW + 600);
  assert_refused (key, iat_token, NOW, CRM_AUTH_ERROR_NOT_YET_VALID);
}

static void
test_tampered_payload (void)
{
  g_autoptr(CrmJwtKey) key = make_key (SECRET);
  g_autofree char *token = make_token (key, NOW, 900);
  g_auto(GStrv) parts = g_strsplit (token, ".", -1);
  g_autofree char *admin = payload_json (NOW, NOW + 900, "");
  g_autofree char *admin_b64 = NULL;
  g_autofree char *forged = NULL;
  char *role;

  /* Same claims with role raised to admin, signature kept. */
  role = strstr (admin, "\"user\"");
  g_assert_nonnull (role);
  memcpy (role, "\"adm\"", 5);
  admin_b64 = auth_test_b64url (admin, strlen (admin));
  forged = g_strjoin (".", parts[0], admin_b64, parts[2], NULL);
  assert_refused (key, forged, NOW, CRM_AUTH_ERROR_BAD_SIGNATURE);

  /* One character of the original payload changed. */
  g_free (forged);
  parts[1][5] = parts[1][5] == 'A' ? 'B' : 'A';
  forged = g_strjoin (".", parts[0], parts[1], parts[2], NULL);
  assert_refused (key, forged, NOW, CRM_AUTH_ERROR_BAD_SIGNATURE);
}

static void
test_tampered_signature (void)
{
  g_autoptr(CrmJwtKey) key = make_key (SECRET);
  g_autofree char *token = make_token (key, NOW, 900);
  g_autofree char *flipped = g_strdup (token);
  g_autofree char *noncanonical = g_strdup (token);
  g_autofree char *truncated = g_strndup (token, strlen (token) - 1);
  g_autofree char *longer = g_strconcat (token, "A", NULL);
  g_autofree char *no_signature = g_strndup (token, (gsize) (strrchr (token, '.') - token + 1));
  char *sig = strrchr (flipped, '.') + 1;
  gsize len = strlen (token);

  sig[0] = sig[0] == 'A' ? 'B' : 'A';
  assert_refused (key, flipped, NOW, CRM_AUTH_ERROR_BAD_SIGNATURE);

  /* 43 characters for 32 bytes: the last one has two unused bits. Setting them would
   * decode to the same signature; that second spelling must not be accepted. */
  g_assert_true (strchr ("AEIMQUYcgkosw048", noncanonical[len - 1]) != NULL);
  noncanonical[len - 1] = (char) (noncanonical[len - 1] + 1);
  assert_refused (key, noncanonical, NOW, CRM_AUTH_ERROR_MALFORMED);

  assert_refused (key, truncated, NOW, CRM_AUTH_ERROR_MALFORMED);
  assert_refused (key, longer, NOW, CRM_AUTH_ERROR_MALFORMED);
  assert_refused (key, no_signature, NOW, CRM_AUTH_ERROR_MALFORMED);
}

static void
test_alg_none (void)
{
  g_autoptr(CrmJwtKey) key = make_key (SECRET);
  g_autofree char *payload = payload_json (NOW, NOW + 900, "");
  g_autofree char *p64 = auth_test_b64url (payload, strlen (payload));
  const char *headers[] = {
    "{\"alg\":\"none\",\"typ\":\"JWT\"}",
    "{\"alg\":\"None\",\"typ\":\"JWT\"}",
    "{\"alg\":\"NONE\"}",
    "{\"alg\":null,\"typ\":\"JWT\"}",
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (headers); i++)
    {
      g_autofree char *h64 = auth_test_b64url (headers[i], strlen (headers[i]));
      g_autofree char *unsigned_token = g_strconcat (h64, ".", p64, ".", NULL);
      g_autofree char *signed_token = auth_test_sign_raw (SECRET, headers[i], payload);

      assert_refused (key, unsigned_token, NOW, CRM_AUTH_ERROR_WRONG_ALGORITHM);
      /* Even with a valid HMAC over it, a header that does not say HS256 is refused. */
      assert_refused (key, signed_token, NOW, CRM_AUTH_ERROR_WRONG_ALGORITHM);
    }
}

static void
test_other_algorithms (void)
{
  g_autoptr(CrmJwtKey) key = make_key (SECRET);
  g_autofree char *payload = payload_json (NOW, NOW + 900, "");
  const char *headers[] = {
    "{\"alg\":\"HS512\",\"typ\":\"JWT\"}",
    "{\"alg\":\"HS384\",\"typ\":\"JWT\"}",
    "{\"alg\":\"RS256\",\"typ\":\"JWT\"}",
    "{\"alg\":\"ES256\",\"typ\":\"JWT\"}",
    "{\"alg\":\"hs256\",\"typ\":\"JWT\"}",
    "{\"alg\":\"HS256 \",\"typ\":\"JWT\"}",
    "{\"typ\":\"JWT\"}",
    "{\"alg\":256,\"typ\":\"JWT\"}",
    "{\"alg\":[\"HS256\"],\"typ\":\"JWT\"}",
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (headers); i++)
    {
      g_autofree char *token = auth_test_sign_raw (SECRET, headers[i], payload);

      g_test_message ("header %s", headers[i]);
      assert_refused (key, token, NOW, CRM_AUTH_ERROR_WRONG_ALGORITHM);
    }
}

static void
test_non_canonical_headers (void)
{
  g_autoptr(CrmJwtKey) key = make_key (SECRET);
  g_autofree char *payload = payload_json (NOW, NOW + 900, "");
  g_autofree char *good = auth_test_sign_raw (SECRET, HS256_HEADER, payload);
  const char *headers[] = {
    "{\"typ\":\"JWT\",\"alg\":\"HS256\"}",
    "{\"alg\": \"HS256\", \"typ\": \"JWT\"}",
    "{\"alg\":\"HS256\"}",
    "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"1\"}",
    "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"crit\":[\"exp\"]}",
    "{\"alg\":\"none\",\"alg\":\"HS256\",\"typ\":\"JWT\"}",
    "{\"alg\":\"HS256\",\"typ\":\"JWS\"}",
    "[\"HS256\"]",
    "not json",
    "",
  };
  gsize i;

  /* The reference: the same payload under our header passes. */
  assert_accepted (key, good, NOW);

  for (i = 0; i < G_N_ELEMENTS (headers); i++)
    {
      g_autofree char *token = auth_test_sign_raw (SECRET, headers[i], payload);

      g_test_message ("header %s", headers[i]);
      assert_refused (key, token, NOW, CRM_AUTH_ERROR_MALFORMED);
    }
}

static void
test_claims_required (void)
{
  g_autoptr(CrmJwtKey) key = make_key (SECRET);
  struct
  {
    const char   *payload;
    CrmAuthError  code;
  } cases[] = {
    { "{\"sub\":\"u\",\"role\":\"user\",\"epoch\":1,\"jti\":\"j\",\"iat\":1772357400}",
      CRM_AUTH_ERROR_MISSING_CLAIM },
    { "{\"role\":\"user\",\"epoch\":1,\"jti\":\"j\",\"iat\":1772357400,\"exp\":1772357500}",
      CRM_AUTH_ERROR_MISSING_CLAIM },
    { "{\"sub\":\"u\",\"epoch\":1,\"jti\":\"j\",\"iat\":1772357400,\"exp\":1772357500}",
      CRM_AUTH_ERROR_MISSING_CLAIM },
    { "{\"sub\":\"u\",\"role\":\"user\",\"jti\":\"j\",\"iat\":1772357400,\"exp\":1772357500}",
      CRM_AUTH_ERROR_MISSING_CLAIM },
    { "{\"sub\":\"u\",\"role\":\"user\",\"epoch\":1,\"iat\":1772357400,\"exp\":1772357500}",
      CRM_AUTH_ERROR_MISSING_CLAIM },
    { "{\"sub\":\"u\",\"role\":\"user\",\"epoch\":1,\"jti\":\"j\",\"exp\":1772357500}",
      CRM_AUTH_ERROR_MISSING_CLAIM },
    { "{\"sub\":\"u\",\"role\":\"user\",\"epoch\":1,\"jti\":\"j\",\"iat\":1772357400,"
      "\"exp\":\"1772357500\"}", CRM_AUTH_ERROR_INVALID_CLAIM },
    { "{\"sub\":\"u\",\"role\":\"user\",\"epoch\":1,\"jti\":\"j\",\"iat\":1772357400,"
      "\"exp\":1772357500.5}", CRM_AUTH_ERROR_INVALID_CLAIM },
    { "{\"sub\":\"u\",\"role\":\"user\",\"epoch\":1,\"jti\":\"j\",\"iat\":1772357400,"
      "\"exp\":9223372036854775807}", CRM_AUTH_ERROR_INVALID_CLAIM },
    { "{\"sub\":\"u\",\"role\":\"user\",\"epoch\":-1,\"jti\":\"j\",\"iat\":1772357400,"
      "\"exp\":1772357500}", CRM_AUTH_ERROR_INVALID_CLAIM },
    { "{\"sub\":7,\"role\":\"user\",\"epoch\":1,\"jti\":\"j\",\"iat\":1772357400,"
      "\"exp\":1772357500}", CRM_AUTH_ERROR_INVALID_CLAIM },
    { "{\"sub\":\"\",\"role\":\"user\",\"epoch\":1,\"jti\":\"j\",\"iat\":1772357400,"
      "\"exp\":1772357500}", CRM_AUTH_ERROR_INVALID_CLAIM },
    { "{\"sub\":\"u\",\"role\":\"user\",\"team\":null,\"epoch\":1,\"jti\":\"j\","
      "\"iat\":1772357400,\"exp\":1772357500}", CRM_AUTH_ERROR_INVALID_CLAIM },
    /* a lifetime of an hour: more than the 15 minutes an access token may live */
    { "{\"sub\":\"u\",\"role\":\"user\",\"epoch\":1,\"jti\":\"j\",\"iat\":1772357400,"
      "\"exp\":1772361000}", CRM_AUTH_ERROR_INVALID_CLAIM },
    { "{\"sub\":\"u\",\"role\":\"user\",\"epoch\":1,\"jti\":\"j\",\"iat\":1772357400,"
      "\"exp\":1772357400}", CRM_AUTH_ERROR_INVALID_CLAIM },
    { "[1,2,3]", CRM_AUTH_ERROR_MALFORMED },
    { "{\"sub\":", CRM_AUTH_ERROR_MALFORMED },
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *token = auth_test_sign_raw (SECRET, HS256_HEADER, cases[i].payload);

      g_test_message ("payload %s", cases[i].payload);
      assert_refused (key, token, NOW, cases[i].code);
    }
}

static void
test_padding (void)
{
  g_autoptr(CrmJwtKey) key = make_key (SECRET);
  g_autofree char *token = make_token (key, NOW, 900);
  g_auto(GStrv) parts = g_strsplit (token, ".", -1);
  g_autofree char *padded_sig = g_strconcat (token, "=", NULL);
  g_autofree char *padded_payload = NULL;
  g_autofree char *padded_header = NULL;
  g_autofree char *std_alphabet = g_strdup (token);
  char *p;

  padded_payload = g_strconcat (parts[0], ".", parts[1], "==.", parts[2], NULL);
  padded_header = g_strconcat (parts[0], "=.", parts[1], ".", parts[2], NULL);

  assert_refused (key, padded_sig, NOW, CRM_AUTH_ERROR_MALFORMED);
  assert_refused (key, padded_payload, NOW, CRM_AUTH_ERROR_MALFORMED);
  assert_refused (key, padded_header, NOW, CRM_AUTH_ERROR_MALFORMED);

  /* The standard alphabet's + and / are not base64url. */
  for (p = std_alphabet; *p != '\0'; p++)
    {
      if (*p == '-')
        *p = '+';
      else if (*p == '_')
        *p = '/';
    }
  if (strcmp (std_alphabet, token) != 0)
    assert_refused (key, std_alphabet, NOW, CRM_AUTH_ERROR_MALFORMED);
  {
    g_autofree char *with_plus = g_strdup (token);

    strrchr (with_plus, '.')[1] = '+';
    assert_refused (key, with_plus, NOW, CRM_AUTH_ERROR_MALFORMED);
  }
}

static void
test_segments (void)
{
  g_autoptr(CrmJwtKey) key = make_key (SECRET);
  g_autofree char *token = make_token (key, NOW, 900);
  g_auto(GStrv) parts = g_strsplit (token, ".", -1);
  g_autofree char *two = g_strjoin (".", parts[0], parts[1], NULL);
  g_autofree char *four = g_strjoin (".", parts[0], parts[1], parts[2], parts[2], NULL);
  g_autofree char *empty_payload = g_strjoin (".", parts[0], "", parts[2], NULL);
  g_autofree char *swapped = g_strjoin (".", parts[1], parts[0], parts[2], NULL);
  g_autofree char *spaced = g_strconcat (" ", token, NULL);
  g_autofree char *trailing_dot = g_strconcat (token, ".", NULL);

  assert_refused (key, NULL, NOW, CRM_AUTH_ERROR_MALFORMED);
  assert_refused (key, "", NOW, CRM_AUTH_ERROR_MALFORMED);
  assert_refused (key, "..", NOW, CRM_AUTH_ERROR_MALFORMED);
  assert_refused (key, parts[0], NOW, CRM_AUTH_ERROR_MALFORMED);
  assert_refused (key, two, NOW, CRM_AUTH_ERROR_MALFORMED);
  assert_refused (key, four, NOW, CRM_AUTH_ERROR_MALFORMED);
  assert_refused (key, trailing_dot, NOW, CRM_AUTH_ERROR_MALFORMED);
  assert_refused (key, empty_payload, NOW, CRM_AUTH_ERROR_MALFORMED);
  /* the payload read as a header: a JSON object without "alg" */
  assert_refused (key, swapped, NOW, CRM_AUTH_ERROR_WRONG_ALGORITHM);
  assert_refused (key, spaced, NOW, CRM_AUTH_ERROR_MALFORMED);
}

static void
test_huge (void)
{
  g_autoptr(CrmJwtKey) key = make_key (SECRET);
  g_autofree char *token = make_token (key, NOW, 900);
  g_autoptr(GString) huge = g_string_new (token);
  g_autofree char *big_sub = g_strnfill (7000, 'u');
  g_autoptr(CrmJwtClaims) claims = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *signed_big = NULL;
  g_autofree char *deep = NULL;
  g_autofree char *deep_token = NULL;
  g_autoptr(GString) nested = g_string_new (NULL);
  guint i;

  /* Still a well-formed shape: only the length is wrong. */
  while (huge->len <= CRM_JWT_MAX_LENGTH)
    g_string_insert (huge, strchr (token, '.') - token + 1, "AAAA");
  assert_refused (key, huge->str, NOW, CRM_AUTH_ERROR_TOO_LARGE);

  claims = crm_jwt_claims_new (big_sub, "user", NULL, 0, NOW, 60, &error);
  g_assert_no_error (error);
  signed_big = crm_jwt_sign (key, claims, &error);
  g_assert_null (signed_big);
  g_assert_error (error, CRM_AUTH_ERROR, CRM_AUTH_ERROR_TOO_LARGE);

  /* A deeply nested header is refused without being parsed. */
  for (i = 0; i < 3000; i++)
    g_string_append_c (nested, '[');
  deep = auth_test_b64url (nested->str, nested->len);
  deep_token = g_strconcat (deep, ".e30.", strrchr (token, '.') + 1, NULL);
  assert_refused (key, deep_token, NOW, CRM_AUTH_ERROR_MALFORMED);
}

static void
test_wrong_secret (void)
{
  g_autoptr(CrmJwtKey) key = make_key (SECRET);
  g_autoptr(CrmJwtKey) other = make_key (OTHER_SECRET);
  g_autofree char *token = make_token (other, NOW, 900);
  g_autofree char *payload = payload_json (NOW, NOW + 900, "");
  g_autofree char *crafted = auth_test_sign_raw (OTHER_SECRET, HS256_HEADER, payload);

  assert_refused (key, token, NOW, CRM_AUTH_ERROR_BAD_SIGNATURE);
  assert_refused (key, crafted, NOW, CRM_AUTH_ERROR_BAD_SIGNATURE);
  assert_accepted (other, token, NOW);
}

static void
test_weak_secret (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmJwtKey) weak = crm_jwt_key_new ((const guint8 *) SECRET, 31, &error);
  g_autoptr(CrmJwtKey) ok = NULL;
  g_autofree char *generated = NULL;

  g_assert_null (weak);
  g_assert_error (error, CRM_AUTH_ERROR, CRM_AUTH_ERROR_WEAK_SECRET);
  g_clear_error (&error);

  ok = crm_jwt_key_new ((const guint8 *) SECRET, 32, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ok);

  generated = crm_jwt_generate_secret (&error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (generated), ==, 43);
}

static void
test_issuer_audience (void)
{
  g_autoptr(CrmJwtKey) plain = make_key (SECRET);
  g_autoptr(CrmJwtKey) strict = make_key (SECRET);
  g_autoptr(CrmJwtKey) other_iss = make_key (SECRET);
  g_autoptr(CrmJwtKey) other_aud = make_key (SECRET);
  g_autofree char *from_plain = NULL;
  g_autofree char *from_strict = NULL;
  g_autofree char *from_other_iss = NULL;
  g_autofree char *from_other_aud = NULL;

  crm_jwt_key_set_issuer (strict, "https://crm.alforis.fr");
  crm_jwt_key_set_audience (strict, "alforis-crm");
  crm_jwt_key_set_issuer (other_iss, "https://evil.example");
  crm_jwt_key_set_audience (other_iss, "alforis-crm");
  crm_jwt_key_set_issuer (other_aud, "https://crm.alforis.fr");
  crm_jwt_key_set_audience (other_aud, "webhooks");

  from_plain = make_token (plain, NOW, 900);
  from_strict = make_token (strict, NOW, 900);
  from_other_iss = make_token (other_iss, NOW, 900);
  from_other_aud = make_token (other_aud, NOW, 900);

  assert_accepted (strict, from_strict, NOW);
  assert_refused (strict, from_plain, NOW, CRM_AUTH_ERROR_MISSING_CLAIM);
  assert_refused (strict, from_other_iss, NOW, CRM_AUTH_ERROR_WRONG_ISSUER);
  assert_refused (strict, from_other_aud, NOW, CRM_AUTH_ERROR_WRONG_AUDIENCE);
  /* Nothing configured: iss and aud are not checked. */
  assert_accepted (plain, from_strict, NOW);
}

static void
test_ttl_limit (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmJwtKey) key = make_key (SECRET);
  g_autoptr(CrmJwtClaims) too_long = crm_jwt_claims_new (USER_ID, "user", NULL, 0, NOW,
                                                         CRM_JWT_MAX_TTL + 1, &error);
  g_autoptr(CrmJwtClaims) claims = NULL;
  g_autofree char *token = NULL;

  g_assert_null (too_long);
  g_assert_error (error, CRM_AUTH_ERROR, CRM_AUTH_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  claims = crm_jwt_claims_new (USER_ID, "user", NULL, 0, NOW, CRM_JWT_MAX_TTL, &error);
  g_assert_no_error (error);

  /* Hand-edited claims cannot get past the signer either. */
  claims->exp = claims->iat + CRM_JWT_MAX_TTL + 1;
  token = crm_jwt_sign (key, claims, &error);
  g_assert_null (token);
  g_assert_error (error, CRM_AUTH_ERROR, CRM_AUTH_ERROR_INVALID_CLAIM);
  g_clear_error (&error);

  claims->exp = claims->iat + 60;
  g_clear_pointer (&claims->role, g_free);
  token = crm_jwt_sign (key, claims, &error);
  g_assert_null (token);
  g_assert_error (error, CRM_AUTH_ERROR, CRM_AUTH_ERROR_INVALID_CLAIM);
}

static const char b64url_chars[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static char
random_char (GRand *rand)
{
  /* Mostly token characters (the interesting mutations), sometimes anything. */
  if (g_rand_int_range (rand, 0, 4) != 0)
    return b64url_chars[g_rand_int_range (rand, 0, 64)];
  if (g_rand_boolean (rand))
    return ".=+/ "[g_rand_int_range (rand, 0, 5)];
  return (char) g_rand_int_range (rand, 1, 256);
}

static char *
mutate (GRand      *rand,
        const char *token)
{
  GString *s = g_string_new (token);
  guint rounds = (guint) g_rand_int_range (rand, 1, 4);
  guint r;

  for (r = 0; r < rounds && s->len > 0; r++)
    {
      gsize pos = (gsize) g_rand_int_range (rand, 0, (gint32) s->len);

      switch (g_rand_int_range (rand, 0, 7))
        {
        case 0: /* replace */
          s->str[pos] = random_char (rand);
          break;
        case 1: /* insert */
          g_string_insert_c (s, (gssize) pos, random_char (rand));
          break;
        case 2: /* delete */
          g_string_erase (s, (gssize) pos, 1);
          break;
        case 3: /* truncate */
          g_string_truncate (s, pos);
          break;
        case 4: /* duplicate a slice */
          {
            gsize len = (gsize) g_rand_int_range (rand, 1, 40);
            g_autofree char *slice = g_strndup (s->str + pos, len);

            g_string_insert (s, (gssize) pos, slice);
          }
          break;
        case 5: /* flip one bit of one character */
          s->str[pos] = (char) (s->str[pos] ^ (1 << g_rand_int_range (rand, 0, 7)));
          if (s->str[pos] == '\0')
            s->str[pos] = 'A';
          break;
        case 6: /* swap two characters */
          {
            gsize other = (gsize) g_rand_int_range (rand, 0, (gint32) s->len);
            char c = s->str[pos];

            s->str[pos] = s->str[other];
            s->str[other] = c;
          }
          break;
        default:
          g_assert_not_reached ();
        }
    }

  return g_string_free (s, FALSE);
}

static guint32
fuzz_seed (void)
{
  const char *env = g_getenv ("CRM_FUZZ_SEED");

  /* Reproduce a failure with CRM_FUZZ_SEED=<printed seed>. */
  if (env != NULL)
    return (guint32) g_ascii_strtoull (env, NULL, 10);
  return (guint32) g_test_rand_int ();
}

static void
test_fuzz (void)
{
  g_autoptr(CrmJwtKey) key = make_key (SECRET);
  g_autofree char *token = make_token (key, NOW, 900);
  guint32 seed = fuzz_seed ();
  GRand *rand = g_rand_new_with_seed (seed);
  guint refused = 0;
  guint i;

  /* On stderr, which the test runner shows when a test fails. */
  g_printerr ("# fuzz seed %u (set CRM_FUZZ_SEED to replay)\n", seed);

  for (i = 0; i < 20000; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CrmJwtClaims) claims = NULL;
      g_autofree char *mutated = mutate (rand, token);

      if (strcmp (mutated, token) == 0)
        continue;

      claims = crm_jwt_verify (key, mutated, NOW, &error);
      if (claims != NULL)
        g_error ("seed %u: mutation %u verified: %s", seed, i, mutated);
      g_assert_nonnull (error);
      g_assert_true (error->domain == CRM_AUTH_ERROR);
      refused++;
    }

  /* Headers mutated, then signed with the real secret: only the exact header passes. */
  for (i = 0; i < 5000; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CrmJwtClaims) claims = NULL;
      g_autofree char *header = mutate (rand, HS256_HEADER);
      g_autofree char *payload = payload_json (NOW, NOW + 900, "");
      g_autofree char *crafted = NULL;

      if (strcmp (header, HS256_HEADER) == 0)
        continue;

      crafted = auth_test_sign_raw (SECRET, header, payload);
      claims = crm_jwt_verify (key, crafted, NOW, &error);
      if (claims != NULL)
        g_error ("seed %u: header %s verified", seed, header);
      g_assert_true (error->domain == CRM_AUTH_ERROR);
      refused++;
    }

  /* Random bytes. */
  for (i = 0; i < 2000; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CrmJwtClaims) claims = NULL;
      gsize len = (gsize) g_rand_int_range (rand, 1, 400);
      g_autofree char *junk = g_malloc0 (len + 1);
      gsize j;

      for (j = 0; j < len; j++)
        junk[j] = random_char (rand);
      claims = crm_jwt_verify (key, junk, NOW, &error);
      g_assert_null (claims);
      g_assert_true (error->domain == CRM_AUTH_ERROR);
      refused++;
    }

  g_test_message ("%u forged tokens refused", refused);
  g_assert_cmpuint (refused, >, 25000);
  g_rand_free (rand);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/auth/jwt/valid-token-accepted", test_valid);
  g_test_add_func ("/auth/jwt/unique-jti-and-no-team", test_unique_jti_and_no_team);
  g_test_add_func ("/auth/jwt/expired-refused", test_expired);
  g_test_add_func ("/auth/jwt/leeway-configurable", test_leeway);
  g_test_add_func ("/auth/jwt/nbf-and-iat-in-future-refused", test_not_yet_valid);
  g_test_add_func ("/auth/jwt/tampered-payload-refused", test_tampered_payload);
  g_test_add_func ("/auth/jwt/tampered-signature-refused", test_tampered_signature);
  g_test_add_func ("/auth/jwt/alg-none-refused", test_alg_none);
  g_test_add_func ("/auth/jwt/other-algorithms-refused", test_other_algorithms);
  g_test_add_func ("/auth/jwt/non-canonical-header-refused", test_non_canonical_headers);
  g_test_add_func ("/auth/jwt/claims-required-and-typed", test_claims_required);
  g_test_add_func ("/auth/jwt/padding-refused", test_padding);
  g_test_add_func ("/auth/jwt/segment-count", test_segments);
  g_test_add_func ("/auth/jwt/huge-token-refused", test_huge);
  g_test_add_func ("/auth/jwt/wrong-secret-refused", test_wrong_secret);
  g_test_add_func ("/auth/jwt/weak-secret-refused", test_weak_secret);
  g_test_add_func ("/auth/jwt/issuer-and-audience", test_issuer_audience);
  g_test_add_func ("/auth/jwt/ttl-limited", test_ttl_limit);
  g_test_add_func ("/auth/jwt/fuzz-never-verifies", test_fuzz);

  return g_test_run ();
}

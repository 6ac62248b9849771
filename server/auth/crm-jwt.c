/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-auth"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "crm-auth-error.h"
#include "crm-auth-private.h"
#include "crm-jwt.h"

/* base64url of {"alg":"HS256","typ":"JWT"}: the only header this server writes or reads.
 * Comparing bytes rather than parsed JSON also rules out duplicate members
 * ({"alg":"none","alg":"HS256"}), which JSON parsers resolve in different ways. */
#define CANONICAL_HEADER   "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
#define SIGNATURE_BYTES    32
#define SIGNATURE_B64_LEN  43
#define JTI_BYTES          16
#define HEADER_PARSE_MAX   512
/* Far beyond any real date (year 36812) yet small enough that adding the leeway or a TTL
 * can never overflow. */
#define MAX_TIME           ((gint64) 1 << 40)

struct _CrmJwtKey
{
  guint8 *secret;
  gsize   secret_len;
  char   *issuer;
  char   *audience;
  guint   leeway;
};

CrmJwtKey *
crm_jwt_key_new (const guint8  *secret,
                 gsize          secret_len,
                 GError       **error)
{
  CrmJwtKey *key;

  g_return_val_if_fail (secret != NULL || secret_len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (secret_len < CRM_JWT_MIN_SECRET_BYTES)
    {
      g_set_error (error, CRM_AUTH_ERROR, CRM_AUTH_ERROR_WEAK_SECRET,
                   _("Le secret de signature des jetons doit faire au moins %d octets ; "
                     "générez-en un avec « openssl rand -base64 48 »."),
                   CRM_JWT_MIN_SECRET_BYTES);
      return NULL;
    }

  key = g_new0 (CrmJwtKey, 1);
  key->secret = g_memdup2 (secret, secret_len);
  key->secret_len = secret_len;
  key->leeway = CRM_JWT_DEFAULT_LEEWAY;

  return key;
}

void
crm_jwt_key_free (CrmJwtKey *key)
{
  if (key == NULL)
    return;

  OPENSSL_cleanse (key->secret, key->secret_len);
  g_free (key->secret);
  g_free (key->issuer);
  g_free (key->audience);
  g_free (key);
}

void
crm_jwt_key_set_issuer (CrmJwtKey  *key,
                        const char *issuer)
{
  g_return_if_fail (key != NULL);
  g_return_if_fail (issuer == NULL || g_utf8_validate (issuer, -1, NULL));

  g_free (key->issuer);
  key->issuer = g_strdup (issuer);
}

void
crm_jwt_key_set_audience (CrmJwtKey  *key,
                          const char *audience)
{
  g_return_if_fail (key != NULL);
  g_return_if_fail (audience == NULL || g_utf8_validate (audience, -1, NULL));

  g_free (key->audience);
  key->audience = g_strdup (audience);
}

void
crm_jwt_key_set_leeway (CrmJwtKey *key,
                        guint      seconds)
{
  g_return_if_fail (key != NULL);
  g_return_if_fail (seconds <= CRM_JWT_MAX_LEEWAY);

  key->leeway = seconds;
}

guint
crm_jwt_key_get_leeway (const CrmJwtKey *key)
{
  g_return_val_if_fail (key != NULL, 0);

  return key->leeway;
}

char *
crm_jwt_generate_secret (GError **error)
{
  guint8 bytes[32];
  char *secret;

  if (!crm_auth_random_bytes (bytes, sizeof bytes, error))
    return NULL;

  secret = crm_auth_b64_encode (CRM_B64_URL, bytes, sizeof bytes);
  OPENSSL_cleanse (bytes, sizeof bytes);
  return secret;
}

/* Claims */

static gboolean
valid_text (const char *text)
{
  return text != NULL && *text != '\0' && g_utf8_validate (text, -1, NULL);
}

CrmJwtClaims *
crm_jwt_claims_new (const char  *sub,
                    const char  *role,
                    const char  *team,
                    gint64       epoch,
                    gint64       now,
                    guint        ttl_seconds,
                    GError     **error)
{
  g_autoptr(CrmJwtClaims) claims = NULL;
  guint8 jti[JTI_BYTES];

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!valid_text (sub) || !valid_text (role) || (team != NULL && !valid_text (team)) ||
      epoch < 0 || now < 0 || now >= MAX_TIME ||
      ttl_seconds == 0 || ttl_seconds > CRM_JWT_MAX_TTL)
    {
      g_set_error (error, CRM_AUTH_ERROR, CRM_AUTH_ERROR_INVALID_ARGUMENT,
                   _("Impossible d’émettre un jeton d’accès : utilisateur, rôle ou durée "
                     "invalide (%d secondes au plus)."),
                   CRM_JWT_MAX_TTL);
      return NULL;
    }

  if (!crm_auth_random_bytes (jti, sizeof jti, error))
    return NULL;

  claims = g_new0 (CrmJwtClaims, 1);
  claims->sub = g_strdup (sub);
  claims->role = g_strdup (role);
  claims->team = g_strdup (team);
  claims->epoch = epoch;
  claims->jti = crm_auth_b64_encode (CRM_B64_URL, jti, sizeof jti);
  claims->iat = now;
  claims->nbf = now;
  claims->exp = now + ttl_seconds;

  return g_steal_pointer (&claims);
}

CrmJwtClaims *
crm_jwt_claims_copy (const CrmJwtClaims *claims)
{
  CrmJwtClaims *copy;

  g_return_val_if_fail (claims != NULL, NULL);

  copy = g_memdup2 (claims, sizeof *claims);
  copy->sub = g_strdup (claims->sub);
  copy->role = g_strdup (claims->role);
  copy->team = g_strdup (claims->team);
  copy->jti = g_strdup (claims->jti);

  return copy;
}

void
crm_jwt_claims_free (CrmJwtClaims *claims)
{
  if (claims == NULL)
    return;

  g_free (claims->sub);
  g_free (claims->role);
  g_free (claims->team);
  g_free (claims->jti);
  g_free (claims);
}

/* Signing */

static EVP_MAC *
hmac_algorithm (void)
{
  static EVP_MAC *mac = NULL;
  static gsize fetched = 0;

  /* Fetched once: every authenticated request verifies a token, and the provider
   * lookup would otherwise take a lock each time. */
  if (g_once_init_enter (&fetched))
    {
      mac = EVP_MAC_fetch (NULL, OSSL_MAC_NAME_HMAC, NULL);
      g_once_init_leave (&fetched, 1);
    }

  return mac;
}

static gboolean
hmac_sha256 (const CrmJwtKey *key,
             const char      *data,
             gsize            data_len,
             guint8           out[SIGNATURE_BYTES])
{
  EVP_MAC *mac = hmac_algorithm ();
  EVP_MAC_CTX *ctx;
  OSSL_PARAM params[2];
  char digest[] = "SHA256";
  gsize out_len = 0;
  gboolean ok;

  if (mac == NULL || (ctx = EVP_MAC_CTX_new (mac)) == NULL)
    return FALSE;

  params[0] = OSSL_PARAM_construct_utf8_string (OSSL_MAC_PARAM_DIGEST, digest, 0);
  params[1] = OSSL_PARAM_construct_end ();

  ok = EVP_MAC_init (ctx, key->secret, key->secret_len, params) == 1 &&
       EVP_MAC_update (ctx, (const guchar *) data, data_len) == 1 &&
       EVP_MAC_final (ctx, out, &out_len, SIGNATURE_BYTES) == 1 &&
       out_len == SIGNATURE_BYTES;

  EVP_MAC_CTX_free (ctx);
  return ok;
}

static void
set_crypto_error (GError **error)
{
  g_set_error_literal (error, CRM_AUTH_ERROR, CRM_AUTH_ERROR_CRYPTO,
                       _("Le calcul de la signature du jeton a échoué."));
}

static gboolean
claims_shape_ok (const CrmJwtClaims *claims)
{
  return valid_text (claims->sub) && valid_text (claims->role) && valid_text (claims->jti) &&
         (claims->team == NULL || valid_text (claims->team)) &&
         claims->epoch >= 0 && claims->epoch < MAX_TIME &&
         claims->iat >= 0 && claims->exp < MAX_TIME &&
         claims->exp > claims->iat && claims->exp - claims->iat <= CRM_JWT_MAX_TTL &&
         claims->nbf >= claims->iat && claims->nbf < claims->exp;
}

char *
crm_jwt_sign (const CrmJwtKey    *key,
              const CrmJwtClaims *claims,
              GError            **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *payload_json = NULL;
  g_autofree char *payload_b64 = NULL;
  g_autofree char *signing_input = NULL;
  g_autofree char *signature_b64 = NULL;
  guint8 signature[SIGNATURE_BYTES];

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (claims != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!claims_shape_ok (claims))
    {
      g_set_error (error, CRM_AUTH_ERROR, CRM_AUTH_ERROR_INVALID_CLAIM,
                   _("Impossible d’émettre ce jeton d’accès : données incomplètes ou durée "
                     "de validité supérieure à %d secondes."),
                   CRM_JWT_MAX_TTL);
      return NULL;
    }

  json_builder_begin_object (builder);
  if (key->issuer != NULL)
    {
      json_builder_set_member_name (builder, "iss");
      json_builder_add_string_value (builder, key->issuer);
    }
  if (key->audience != NULL)
    {
      json_builder_set_member_name (builder, "aud");
      json_builder_add_string_value (builder, key->audience);
    }
  json_builder_set_member_name (builder, "sub");
  json_builder_add_string_value (builder, claims->sub);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, claims->role);
  if (claims->team != NULL)
    {
      json_builder_set_member_name (builder, "team");
      json_builder_add_string_value (builder, claims->team);
    }
  json_builder_set_member_name (builder, "epoch");
  json_builder_add_int_value (builder, claims->epoch);
  json_builder_set_member_name (builder, "jti");
  json_builder_add_string_value (builder, claims->jti);
  json_builder_set_member_name (builder, "iat");
  json_builder_add_int_value (builder, claims->iat);
  json_builder_set_member_name (builder, "nbf");
  json_builder_add_int_value (builder, claims->nbf);
  json_builder_set_member_name (builder, "exp");
  json_builder_add_int_value (builder, claims->exp);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  payload_json = json_generator_to_data (generator, NULL);
  payload_b64 = crm_auth_b64_encode (CRM_B64_URL, (const guint8 *) payload_json,
                                     strlen (payload_json));
  signing_input = g_strconcat (CANONICAL_HEADER ".", payload_b64, NULL);

  if (strlen (signing_input) + 1 + SIGNATURE_B64_LEN > CRM_JWT_MAX_LENGTH)
    {
      g_set_error_literal (error, CRM_AUTH_ERROR, CRM_AUTH_ERROR_TOO_LARGE,
                           _("Le jeton d’accès serait trop long ; raccourcissez les "
                             "identifiants qu’il contient."));
      return NULL;
    }

  if (!hmac_sha256 (key, signing_input, strlen (signing_input), signature))
    {
      set_crypto_error (error);
      return NULL;
    }

  signature_b64 = crm_auth_b64_encode (CRM_B64_URL, signature, sizeof signature);
  return g_strconcat (signing_input, ".", signature_b64, NULL);
}

/* Verification */

static gpointer
verify_fail (GError     **error,
             CrmAuthError code,
             const char  *message)
{
  g_set_error_literal (error, CRM_AUTH_ERROR, code, message);
  return NULL;
}

static gpointer
malformed (GError **error)
{
  return verify_fail (error, CRM_AUTH_ERROR_MALFORMED,
                      _("Le jeton d’accès est mal formé ; reconnectez-vous."));
}

/* The header is not ours; say why, for the logs and the client: a wrong or missing alg
 * is the classic attack and deserves its own code. */
static gpointer
reject_header (const char  *header,
               gsize        header_len,
               GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree guint8 *json = NULL;
  gsize json_len = 0;
  JsonNode *root;
  JsonNode *alg;
  JsonObject *object;

  /* Parsed only to name the problem, before any signature check: a short header is enough
   * for that, and keeps a deeply nested forgery away from the recursive JSON parser. */
  if (header_len > HEADER_PARSE_MAX)
    return malformed (error);

  json = crm_auth_b64_decode (CRM_B64_URL, header, header_len, &json_len);
  if (json == NULL ||
      !json_parser_load_from_data (parser, (const char *) json, (gssize) json_len, NULL))
    return malformed (error);

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return malformed (error);

  object = json_node_get_object (root);
  alg = json_object_get_member (object, "alg");
  if (alg == NULL || json_node_get_value_type (alg) != G_TYPE_STRING ||
      g_strcmp0 (json_node_get_string (alg), "HS256") != 0)
    return verify_fail (error, CRM_AUTH_ERROR_WRONG_ALGORITHM,
                        _("Le jeton d’accès utilise un algorithme de signature refusé ; "
                          "seul HS256 est accepté."));

  return verify_fail (error, CRM_AUTH_ERROR_MALFORMED,
                      _("L’en-tête du jeton d’accès n’est pas celui qu’émet ce serveur."));
}

static gboolean
get_string_claim (JsonObject  *object,
                  const char  *name,
                  gboolean     required,
                  char       **out,
                  GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    {
      if (!required)
        return TRUE;
      g_set_error (error, CRM_AUTH_ERROR, CRM_AUTH_ERROR_MISSING_CLAIM,
                   _("Le jeton d’accès ne contient pas la donnée « %s »."), name);
      return FALSE;
    }

  if (json_node_get_value_type (node) != G_TYPE_STRING ||
      !valid_text (json_node_get_string (node)))
    {
      g_set_error (error, CRM_AUTH_ERROR, CRM_AUTH_ERROR_INVALID_CLAIM,
                   _("La donnée « %s » du jeton d’accès est invalide."), name);
      return FALSE;
    }

  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
get_time_claim (JsonObject  *object,
                const char  *name,
                gboolean     required,
                gint64      *out,
                GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  gint64 value;

  if (node == NULL)
    {
      if (!required)
        return TRUE;
      g_set_error (error, CRM_AUTH_ERROR, CRM_AUTH_ERROR_MISSING_CLAIM,
                   _("Le jeton d’accès ne contient pas la donnée « %s »."), name);
      return FALSE;
    }

  /* Integers only: 1.7e9 or "1700000000" are not what we write. */
  if (json_node_get_value_type (node) != G_TYPE_INT64 ||
      (value = json_node_get_int (node)) < 0 || value >= MAX_TIME)
    {
      g_set_error (error, CRM_AUTH_ERROR, CRM_AUTH_ERROR_INVALID_CLAIM,
                   _("La donnée « %s » du jeton d’accès est invalide."), name);
      return FALSE;
    }

  *out = value;
  return TRUE;
}

static CrmJwtClaims *
claims_from_payload (const CrmJwtKey  *key,
                     JsonObject       *object,
                     gint64            now,
                     GError          **error)
{
  g_autoptr(CrmJwtClaims) claims = g_new0 (CrmJwtClaims, 1);
  g_autofree char *iss = NULL;
  g_autofree char *aud = NULL;
  gint64 leeway = key->leeway;
  gboolean has_nbf;

  if (!get_time_claim (object, "exp", TRUE, &claims->exp, error) ||
      !get_time_claim (object, "iat", TRUE, &claims->iat, error) ||
      !get_time_claim (object, "epoch", TRUE, &claims->epoch, error) ||
      !get_string_claim (object, "sub", TRUE, &claims->sub, error) ||
      !get_string_claim (object, "role", TRUE, &claims->role, error) ||
      !get_string_claim (object, "jti", TRUE, &claims->jti, error) ||
      !get_string_claim (object, "team", FALSE, &claims->team, error) ||
      !get_string_claim (object, "iss", key->issuer != NULL, &iss, error) ||
      !get_string_claim (object, "aud", key->audience != NULL, &aud, error))
    return NULL;

  has_nbf = json_object_has_member (object, "nbf");
  if (!get_time_claim (object, "nbf", FALSE, &claims->nbf, error))
    return NULL;
  if (!has_nbf)
    claims->nbf = claims->iat;

  if (claims->exp <= claims->iat || claims->exp - claims->iat > CRM_JWT_MAX_TTL)
    return verify_fail (error, CRM_AUTH_ERROR_INVALID_CLAIM,
                        _("La durée de validité du jeton d’accès dépasse ce que le serveur "
                          "autorise."));

  if (key->issuer != NULL && strcmp (iss, key->issuer) != 0)
    return verify_fail (error, CRM_AUTH_ERROR_WRONG_ISSUER,
                        _("Le jeton d’accès n’a pas été émis par ce serveur."));
  if (key->audience != NULL && strcmp (aud, key->audience) != 0)
    return verify_fail (error, CRM_AUTH_ERROR_WRONG_AUDIENCE,
                        _("Le jeton d’accès n’est pas destiné à ce service."));

  if (now >= claims->exp + leeway)
    return verify_fail (error, CRM_AUTH_ERROR_EXPIRED,
                        _("Le jeton d’accès a expiré ; renouvelez-le avec le jeton de "
                          "rafraîchissement."));
  if (claims->nbf > now + leeway || claims->iat > now + leeway)
    return verify_fail (error, CRM_AUTH_ERROR_NOT_YET_VALID,
                        _("Le jeton d’accès n’est pas encore valide ; vérifiez l’horloge "
                          "de cet ordinateur."));

  return g_steal_pointer (&claims);
}

CrmJwtClaims *
crm_jwt_verify (const CrmJwtKey  *key,
                const char       *token,
                gint64            now,
                GError          **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree guint8 *signature = NULL;
  g_autofree guint8 *payload = NULL;
  const char *dot1;
  const char *dot2;
  gsize token_len;
  gsize signature_len = 0;
  gsize payload_len = 0;
  guint8 expected[SIGNATURE_BYTES];
  JsonNode *root;
  gsize i;
  guint dots = 0;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (now >= 0 && now < MAX_TIME, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (token == NULL || *token == '\0')
    return malformed (error);

  token_len = strnlen (token, CRM_JWT_MAX_LENGTH + 1);
  if (token_len > CRM_JWT_MAX_LENGTH)
    return verify_fail (error, CRM_AUTH_ERROR_TOO_LARGE,
                        _("Le jeton d’accès est trop long."));

  /* base64url characters and the two dots, nothing else: no padding, no spaces. */
  for (i = 0; i < token_len; i++)
    {
      char c = token[i];

      if (c == '.')
        dots++;
      else if (!g_ascii_isalnum (c) && c != '-' && c != '_')
        return malformed (error);
    }
  if (dots != 2)
    return malformed (error);

  dot1 = strchr (token, '.');
  dot2 = strchr (dot1 + 1, '.');

  if ((gsize) (dot1 - token) != strlen (CANONICAL_HEADER) ||
      memcmp (token, CANONICAL_HEADER, strlen (CANONICAL_HEADER)) != 0)
    return reject_header (token, (gsize) (dot1 - token), error);

  signature = crm_auth_b64_decode (CRM_B64_URL, dot2 + 1, strlen (dot2 + 1), &signature_len);
  if (signature == NULL || signature_len != SIGNATURE_BYTES || dot2 == dot1 + 1)
    return malformed (error);

  if (!hmac_sha256 (key, token, (gsize) (dot2 - token), expected))
    {
      set_crypto_error (error);
      return NULL;
    }
  if (CRYPTO_memcmp (expected, signature, SIGNATURE_BYTES) != 0)
    return verify_fail (error, CRM_AUTH_ERROR_BAD_SIGNATURE,
                        _("La signature du jeton d’accès est invalide ; reconnectez-vous."));

  /* From here on the bytes are ours: we signed them. They are still checked, in case the
   * secret was shared with something that writes different claims. */
  payload = crm_auth_b64_decode (CRM_B64_URL, dot1 + 1, (gsize) (dot2 - dot1 - 1),
                                 &payload_len);
  parser = json_parser_new ();
  if (payload == NULL || payload_len > G_MAXSSIZE ||
      !json_parser_load_from_data (parser, (const char *) payload, (gssize) payload_len, NULL))
    return malformed (error);

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return malformed (error);

  return claims_from_payload (key, json_node_get_object (root), now, error);
}

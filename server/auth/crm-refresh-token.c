/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-auth"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "crm-auth-error.h"
#include "crm-auth-private.h"
#include "crm-refresh-token.h"

static char *
sha256_hex (const char *text,
            gsize       len)
{
  guint8 digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;

  if (EVP_Digest (text, len, digest, &digest_len, EVP_sha256 (), NULL) != 1 ||
      digest_len != 32)
    return NULL;

  return crm_auth_hex_encode (digest, digest_len);
}

static void
set_crypto_error (GError **error)
{
  g_set_error_literal (error, CRM_AUTH_ERROR, CRM_AUTH_ERROR_CRYPTO,
                       _("Le calcul de l’empreinte du jeton de rafraîchissement a échoué."));
}

CrmRefreshToken *
crm_refresh_token_new (GError **error)
{
  g_autoptr(CrmRefreshToken) token = NULL;
  guint8 bytes[CRM_REFRESH_TOKEN_BYTES];

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!crm_auth_random_bytes (bytes, sizeof bytes, error))
    return NULL;

  token = g_new0 (CrmRefreshToken, 1);
  token->token = crm_auth_b64_encode (CRM_B64_URL, bytes, sizeof bytes);
  OPENSSL_cleanse (bytes, sizeof bytes);

  token->token_hash = sha256_hex (token->token, strlen (token->token));
  if (token->token_hash == NULL)
    {
      set_crypto_error (error);
      return NULL;
    }

  return g_steal_pointer (&token);
}

void
crm_refresh_token_free (CrmRefreshToken *token)
{
  if (token == NULL)
    return;

  if (token->token != NULL)
    OPENSSL_cleanse (token->token, strlen (token->token));
  g_free (token->token);
  g_free (token->token_hash);
  g_free (token);
}

char *
crm_refresh_token_hash (const char  *token,
                        GError     **error)
{
  g_autofree guint8 *bytes = NULL;
  gsize len = 0;
  char *hash;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Only the canonical encoding is accepted, so one token has one hash and a client
   * cannot make two strings that map to the same row. */
  if (token == NULL || strnlen (token, CRM_REFRESH_TOKEN_LENGTH + 1) != CRM_REFRESH_TOKEN_LENGTH ||
      (bytes = crm_auth_b64_decode (CRM_B64_URL, token, CRM_REFRESH_TOKEN_LENGTH, &len)) == NULL ||
      len != CRM_REFRESH_TOKEN_BYTES)
    {
      g_set_error_literal (error, CRM_AUTH_ERROR, CRM_AUTH_ERROR_MALFORMED,
                           _("Le jeton de rafraîchissement est mal formé ; reconnectez-vous."));
      return NULL;
    }
  OPENSSL_cleanse (bytes, len);

  /* No constant-time concern in the lookup that follows: the hash of 256 random bits
   * tells an observer nothing about any other token. */
  hash = sha256_hex (token, CRM_REFRESH_TOKEN_LENGTH);
  if (hash == NULL)
    set_crypto_error (error);
  return hash;
}

char *
crm_refresh_family_id_new (GError **error)
{
  guint8 b[16];

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!crm_auth_random_bytes (b, sizeof b, error))
    return NULL;

  b[6] = (guint8) ((b[6] & 0x0f) | 0x40); /* version 4 */
  b[8] = (guint8) ((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */

  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                          "%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                          b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

static CrmRefreshDecision
decide (CrmRefreshDecision   decision,
        CrmAuthError         code,
        const char          *message,
        GError             **error)
{
  g_set_error_literal (error, CRM_AUTH_ERROR, code, message);
  return decision;
}

CrmRefreshDecision
crm_refresh_token_decide (const CrmRefreshTokenState  *state,
                          gint64                       now,
                          GError                     **error)
{
  g_return_val_if_fail (state != NULL, CRM_REFRESH_REJECT);
  g_return_val_if_fail (error == NULL || *error == NULL, CRM_REFRESH_REJECT);

  if (!state->found)
    return decide (CRM_REFRESH_REJECT, CRM_AUTH_ERROR_REFRESH_UNKNOWN,
                   _("Session inconnue ; reconnectez-vous."), error);

  if (state->used && !state->retry_in_grace)
    return decide (CRM_REFRESH_REJECT_AND_REVOKE_FAMILY, CRM_AUTH_ERROR_REFRESH_REUSED,
                   _("Ce jeton de rafraîchissement a déjà servi : par précaution, la session "
                     "est fermée sur tous vos appareils ; reconnectez-vous."), error);

  if (state->revoked || state->family_revoked)
    return decide (CRM_REFRESH_REJECT, CRM_AUTH_ERROR_REFRESH_REVOKED,
                   _("Cette session a été fermée ; reconnectez-vous."), error);

  if (!state->user_active)
    return decide (CRM_REFRESH_REJECT_AND_REVOKE_FAMILY, CRM_AUTH_ERROR_ACCOUNT_DISABLED,
                   _("Ce compte est désactivé ; contactez un administrateur."), error);

  if (state->token_epoch != state->user_epoch)
    return decide (CRM_REFRESH_REJECT_AND_REVOKE_FAMILY, CRM_AUTH_ERROR_REFRESH_REVOKED,
                   _("Votre mot de passe ou vos droits ont changé ; reconnectez-vous."),
                   error);

  if (now >= state->expires_at ||
      (state->family_expires_at != 0 && now >= state->family_expires_at))
    return decide (CRM_REFRESH_REJECT, CRM_AUTH_ERROR_REFRESH_EXPIRED,
                   _("La session a expiré ; reconnectez-vous."), error);

  return state->used ? CRM_REFRESH_ACCEPT_RETRY : CRM_REFRESH_ACCEPT_AND_ROTATE;
}

gint64
crm_refresh_token_next_expiry (gint64 now,
                               gint64 ttl_seconds,
                               gint64 family_expires_at)
{
  gint64 expiry;

  g_return_val_if_fail (ttl_seconds > 0, now);
  g_return_val_if_fail (now <= G_MAXINT64 - ttl_seconds, now);

  expiry = now + ttl_seconds;
  if (family_expires_at != 0 && family_expires_at < expiry)
    expiry = family_expires_at;

  return expiry;
}

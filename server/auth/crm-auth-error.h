/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-auth-error.h — one error domain for every auth primitive (passwords, access
 * tokens, refresh tokens). Each code maps to one HTTP answer in the server, so they
 * stay distinct; the messages are French sentences a person may read, and never
 * contain the password, the token or the secret.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CRM_AUTH_ERROR (crm_auth_error_quark ())

typedef enum
{
  CRM_AUTH_ERROR_MALFORMED,          /* not a token / stored hash we could have produced */
  CRM_AUTH_ERROR_TOO_LARGE,          /* token past CRM_JWT_MAX_LENGTH */
  CRM_AUTH_ERROR_WRONG_ALGORITHM,    /* alg missing, "none", HS512, RS256... */
  CRM_AUTH_ERROR_BAD_SIGNATURE,
  CRM_AUTH_ERROR_EXPIRED,
  CRM_AUTH_ERROR_NOT_YET_VALID,      /* nbf or iat in the future */
  CRM_AUTH_ERROR_MISSING_CLAIM,
  CRM_AUTH_ERROR_INVALID_CLAIM,      /* wrong type, or TTL past the allowed maximum */
  CRM_AUTH_ERROR_WRONG_ISSUER,
  CRM_AUTH_ERROR_WRONG_AUDIENCE,
  CRM_AUTH_ERROR_WEAK_SECRET,        /* signing secret shorter than 32 bytes */
  CRM_AUTH_ERROR_BAD_CREDENTIALS,    /* password does not match */
  CRM_AUTH_ERROR_WEAK_PASSWORD,      /* password policy */
  CRM_AUTH_ERROR_REFRESH_UNKNOWN,    /* no stored refresh token has this hash */
  CRM_AUTH_ERROR_REFRESH_REVOKED,
  CRM_AUTH_ERROR_REFRESH_REUSED,     /* already rotated: its family is being revoked */
  CRM_AUTH_ERROR_REFRESH_EXPIRED,
  CRM_AUTH_ERROR_ACCOUNT_DISABLED,
  CRM_AUTH_ERROR_INVALID_ARGUMENT,   /* programming or configuration mistake */
  CRM_AUTH_ERROR_CRYPTO,             /* OpenSSL itself failed (out of memory, no entropy) */
} CrmAuthError;

GQuark crm_auth_error_quark (void);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-jwt.h — access tokens: JWT signed with HMAC-SHA256, and nothing else.
 *
 * The verifier accepts only what crm_jwt_sign() produces: the header must be exactly
 * {"alg":"HS256","typ":"JWT"}, base64url without padding and in its single canonical
 * form, three segments, at most CRM_JWT_MAX_LENGTH bytes, the signature compared in
 * constant time before the payload is even parsed; then exp (required), iat (required),
 * nbf, the lifetime (≤ CRM_JWT_MAX_TTL) and, when configured, iss and aud.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CRM_JWT_MAX_LENGTH        8192
#define CRM_JWT_MAX_TTL           900   /* seconds: an access token lives 15 minutes at most */
#define CRM_JWT_MIN_SECRET_BYTES  32
#define CRM_JWT_DEFAULT_LEEWAY    30    /* seconds of clock skew tolerated on exp, nbf, iat */
#define CRM_JWT_MAX_LEEWAY        300

/* The signing secret and what is checked besides the signature. Configure it once, then
 * share it read-only between threads: sign and verify do not modify it. */
typedef struct _CrmJwtKey CrmJwtKey;

/* NULL with CRM_AUTH_ERROR_WEAK_SECRET if @secret_len < CRM_JWT_MIN_SECRET_BYTES. The
 * bytes are copied (and wiped on free). */
CrmJwtKey    *crm_jwt_key_new          (const guint8  *secret,
                                        gsize          secret_len,
                                        GError       **error);
void          crm_jwt_key_free         (CrmJwtKey     *key);
/* When set, sign writes it and verify requires it equal. NULL unsets. */
void          crm_jwt_key_set_issuer   (CrmJwtKey     *key,
                                        const char    *issuer);
void          crm_jwt_key_set_audience (CrmJwtKey     *key,
                                        const char    *audience);
/* 0 … CRM_JWT_MAX_LEEWAY seconds; CRM_JWT_DEFAULT_LEEWAY until set. */
void          crm_jwt_key_set_leeway   (CrmJwtKey     *key,
                                        guint          seconds);
guint         crm_jwt_key_get_leeway   (const CrmJwtKey *key);

/* 32 random bytes in base64url (43 characters): a secret for the server's configuration. */
char         *crm_jwt_generate_secret  (GError       **error);

typedef struct
{
  char   *sub;    /* user id (UUID) */
  char   *role;   /* "admin", "manager", "user", "viewer" (crm_role_from_string) */
  char   *team;   /* team id, or NULL when the user has none */
  gint64  epoch;  /* the user's token epoch: raising it in the database (password change,
                   * deactivation, role change) makes every older access token stale */
  char   *jti;    /* unique token id */
  gint64  iat;    /* Unix seconds */
  gint64  nbf;
  gint64  exp;
} CrmJwtClaims;

/* Claims for a new access token issued at @now (Unix seconds): iat = nbf = @now,
 * exp = @now + @ttl_seconds, a random jti. @team may be NULL. NULL with
 * CRM_AUTH_ERROR_INVALID_ARGUMENT if @ttl_seconds is 0 or above CRM_JWT_MAX_TTL, or if a
 * string is empty or not UTF-8. */
CrmJwtClaims *crm_jwt_claims_new       (const char    *sub,
                                        const char    *role,
                                        const char    *team,
                                        gint64         epoch,
                                        gint64         now,
                                        guint          ttl_seconds,
                                        GError       **error);
CrmJwtClaims *crm_jwt_claims_copy      (const CrmJwtClaims *claims);
void          crm_jwt_claims_free      (CrmJwtClaims  *claims);

/* The compact token "header.payload.signature". Refuses (CRM_AUTH_ERROR_INVALID_CLAIM)
 * claims that crm_jwt_verify() would refuse for their shape: empty sub, role or jti,
 * exp ≤ iat, exp − iat > CRM_JWT_MAX_TTL, nbf outside [iat, exp). */
char         *crm_jwt_sign             (const CrmJwtKey    *key,
                                        const CrmJwtClaims *claims,
                                        GError            **error);

/* The claims of @token if it is valid at @now (Unix seconds), else NULL and one of
 * CRM_AUTH_ERROR_TOO_LARGE, _MALFORMED, _WRONG_ALGORITHM, _BAD_SIGNATURE, _EXPIRED,
 * _NOT_YET_VALID, _MISSING_CLAIM, _INVALID_CLAIM, _WRONG_ISSUER, _WRONG_AUDIENCE.
 * The caller still compares claims->epoch with the user's current epoch. */
CrmJwtClaims *crm_jwt_verify           (const CrmJwtKey    *key,
                                        const char         *token,
                                        gint64              now,
                                        GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmJwtKey, crm_jwt_key_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmJwtClaims, crm_jwt_claims_free)

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-refresh-token.h — opaque refresh tokens, rotated on every use.
 *
 * A token is 32 random bytes in base64url. The database keeps only its SHA-256 (hex), so
 * a copy of the database lets nobody refresh. Tokens issued from one login share a family
 * id; every refresh marks the presented token used and issues its successor in the same
 * family. A used token presented again means two parties hold it — the client and a thief
 * — and nobody can tell which is which, so the whole family is revoked (both log in again).
 *
 * The decision is pure logic over what the database says about the presented token; the
 * server's SQL layer reads the row (SELECT … FOR UPDATE, so two concurrent refreshes of one
 * token serialise and the second is seen as a reuse), asks crm_refresh_token_decide(), and
 * applies the answer in the same transaction.
 *
 * One exception to "used means stolen": an answer lost on the way. A client killed or cut
 * off after the server rotated its token, but before the successor reached it, can only
 * present the old token again. When that happens within CRM_REFRESH_RETRY_GRACE_SECONDS
 * of the rotation, and the successor has never been presented, the old token is rotated
 * once more and the unseen successor is superseded (marked used and revoked). Theft stays
 * detected: if the successor did reach someone, its holder presents it later, which is a
 * reuse and revokes the whole family. A token superseded that way never gets the grace.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CRM_REFRESH_TOKEN_BYTES        32
#define CRM_REFRESH_TOKEN_LENGTH       43  /* base64url characters, no padding */
#define CRM_REFRESH_TOKEN_HASH_LENGTH  64  /* lowercase hex SHA-256 */

typedef struct
{
  char *token;       /* for the client, once; never stored, never logged */
  char *token_hash;  /* for the database: crm_refresh_token_hash (token) */
} CrmRefreshToken;

/* NULL with CRM_AUTH_ERROR_CRYPTO if the random generator fails. */
CrmRefreshToken    *crm_refresh_token_new      (GError       **error);
void                crm_refresh_token_free     (CrmRefreshToken *token);

/* The stored hash of a token a client presented. NULL with CRM_AUTH_ERROR_MALFORMED if it
 * is not exactly a token this module makes (43 canonical base64url characters): no need
 * to ask the database about it. */
char               *crm_refresh_token_hash     (const char     *token,
                                                GError        **error);

/* A new family id for a login: a random UUID (version 4) string. */
char               *crm_refresh_family_id_new  (GError        **error);

/* What the database knows about the presented token. */
typedef struct
{
  gboolean found;              /* a row has this hash */
  gboolean used;               /* it was already rotated (a successor exists) */
  gboolean revoked;            /* logout, or its family was revoked */
  gboolean family_revoked;     /* when the family is revoked in a table of its own */
  gint64   expires_at;         /* Unix seconds: this token's own expiry */
  gint64   family_expires_at;  /* Unix seconds: the login's absolute limit, 0 for none */
  gint64   token_epoch;        /* the user's epoch when the family was created */
  gint64   user_epoch;         /* the user's epoch now */
  gboolean user_active;        /* the account is not deactivated */
  gboolean retry_in_grace;     /* used, but rotated less than CRM_REFRESH_RETRY_GRACE_SECONDS
                                * ago, its successor never presented, and not itself
                                * superseded: a client retrying after a lost answer */
} CrmRefreshTokenState;

/* How long after a rotation the rotated token may be presented again, as a retry. */
#define CRM_REFRESH_RETRY_GRACE_SECONDS 60

typedef enum
{
  CRM_REFRESH_ACCEPT_AND_ROTATE,         /* mark it used, issue a successor in the family */
  CRM_REFRESH_REJECT,                    /* 401, change nothing */
  CRM_REFRESH_REJECT_AND_REVOKE_FAMILY,  /* 401, revoke every token of the family */
  CRM_REFRESH_ACCEPT_RETRY,              /* supersede its unseen successor, issue another */
} CrmRefreshDecision;

/* Checked in this order (first match wins):
 *   not found                     → REJECT                (CRM_AUTH_ERROR_REFRESH_UNKNOWN)
 *   used, not retry_in_grace      → REJECT_AND_REVOKE     (CRM_AUTH_ERROR_REFRESH_REUSED)
 *   revoked or family revoked     → REJECT                (CRM_AUTH_ERROR_REFRESH_REVOKED)
 *   account deactivated           → REJECT_AND_REVOKE     (CRM_AUTH_ERROR_ACCOUNT_DISABLED)
 *   token_epoch ≠ user_epoch      → REJECT_AND_REVOKE     (CRM_AUTH_ERROR_REFRESH_REVOKED)
 *   now ≥ expires_at, or now ≥ family_expires_at (when set)
 *                                 → REJECT                (CRM_AUTH_ERROR_REFRESH_EXPIRED)
 *   used and retry_in_grace       → ACCEPT_RETRY          (no error)
 *   otherwise                     → ACCEPT_AND_ROTATE     (no error)
 * A used token stays a reuse even once expired or revoked: it is the signal of a theft.
 * @error is set exactly when the decision is not an ACCEPT_*. */
CrmRefreshDecision  crm_refresh_token_decide   (const CrmRefreshTokenState *state,
                                                gint64                      now,
                                                GError                    **error);

/* Expiry of a successor issued at @now: @now + @ttl_seconds, but never past
 * @family_expires_at when that is set (non-zero). */
gint64              crm_refresh_token_next_expiry (gint64 now,
                                                   gint64 ttl_seconds,
                                                   gint64 family_expires_at);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmRefreshToken, crm_refresh_token_free)

G_END_DECLS

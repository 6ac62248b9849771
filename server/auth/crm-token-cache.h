/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-token-cache.h — access tokens already verified, so a client sending the same
 * Bearer token on every request pays the signature check and the JSON parse once.
 *
 * Keyed by the SHA-256 of the token (the cache never holds a token itself), bounded
 * in size, each entry gone at the token's exp. The cache vouches for the signature and
 * the claims only: the caller still compares the claims' epoch with the user's row on
 * every request, so a role change, a deactivation or a new password ends old tokens at
 * once, cached or not. Safe to share between threads.
 */
#pragma once

#include "crm-jwt.h"

G_BEGIN_DECLS

typedef struct _CrmTokenCache CrmTokenCache;

CrmTokenCache *crm_token_cache_new    (guint               max_entries);
void           crm_token_cache_free   (CrmTokenCache      *cache);
/* A copy of the claims of @token if it was stored and @now (Unix seconds) is before its
 * exp; NULL otherwise (an expired entry is dropped). */
CrmJwtClaims  *crm_token_cache_lookup (CrmTokenCache      *cache,
                                       const char         *token,
                                       gint64              now);
/* Remembers @claims, which crm_jwt_verify () returned for @token, until claims->exp. */
void           crm_token_cache_store  (CrmTokenCache      *cache,
                                       const char         *token,
                                       const CrmJwtClaims *claims,
                                       gint64              now);
guint          crm_token_cache_size   (CrmTokenCache      *cache);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmTokenCache, crm_token_cache_free)

G_END_DECLS

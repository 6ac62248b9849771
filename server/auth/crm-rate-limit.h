/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-rate-limit.h — per-process limiter for failed logins, keyed by string (the account's
 * case-folded e-mail, the client address).
 *
 * Token bucket (as GCRA: one timestamp per key): @limit events at once, then one more
 * every @window_seconds / @limit seconds. Memory is bounded: keys whose bucket has refilled
 * are dropped as they are met, and past @max_keys the least recently touched key is
 * forgotten. Thread-safe. The server also counts failures in PostgreSQL so that several
 * instances agree; this is the cheap first line that never touches the database.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Microseconds on a monotonic clock; g_get_monotonic_time() unless replaced (tests). */
typedef gint64 (*CrmRateLimitClock) (gpointer user_data);

typedef struct _CrmRateLimiter CrmRateLimiter;

CrmRateLimiter *crm_rate_limiter_new       (guint              limit,
                                            guint              window_seconds,
                                            guint              max_keys);
void            crm_rate_limiter_free      (CrmRateLimiter    *limiter);
void            crm_rate_limiter_set_clock (CrmRateLimiter    *limiter,
                                            CrmRateLimitClock  clock,
                                            gpointer           user_data);

/* Would an event for @key be allowed now? Changes nothing. When not, *@retry_after (may be
 * NULL) is the number of seconds to wait, at least 1 — the Retry-After of the 429;
 * 0 when allowed. */
gboolean        crm_rate_limiter_check     (CrmRateLimiter    *limiter,
                                            const char        *key,
                                            guint             *retry_after);

/* Records an event (a failed login) for @key if allowed, and says whether it was; a denied
 * event is not recorded, so hammering does not push the wait further out. */
gboolean        crm_rate_limiter_hit       (CrmRateLimiter    *limiter,
                                            const char        *key,
                                            guint             *retry_after);

/* Forgets @key (after a successful login, for the account key). */
void            crm_rate_limiter_reset     (CrmRateLimiter    *limiter,
                                            const char        *key);

/* Keys currently held. */
guint           crm_rate_limiter_get_size  (CrmRateLimiter    *limiter);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmRateLimiter, crm_rate_limiter_free)

G_END_DECLS

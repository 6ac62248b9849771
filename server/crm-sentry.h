/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Error reports to a Sentry-compatible service (the "store" endpoint, protocol 7): every
 * log record at warning level or worse becomes an event, its fields redacted as in the
 * logs. Events are sent by a thread of their own, so logging never waits on the
 * network; the same message is sent at most once a minute, and a burst is capped.
 */

typedef struct
{
  char *store_url;   /* {scheme}://{host}{prefix}/api/{project}/store/ */
  char *public_key;
} CrmSentryDsn;

gboolean crm_sentry_dsn_parse (const char   *dsn,
                               CrmSentryDsn *parsed,
                               GError      **error);
void     crm_sentry_dsn_clear (CrmSentryDsn *parsed);

gboolean crm_sentry_start (const char *dsn,
                           GError    **error);
void     crm_sentry_stop (guint flush_timeout_ms);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CrmSentryDsn, crm_sentry_dsn_clear)

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A new UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then random bits, with a
 * counter so ids made in the same millisecond by one process still sort in
 * creation order. Lower-case canonical text; free with g_free. */
char     *crm_uuid7_new        (void);
/* Any RFC 9562 UUID in canonical 8-4-4-4-12 hex form (either case). */
gboolean  crm_uuid_is_valid    (const char *text);
/* Milliseconds since the epoch carried by a v7 UUID, or -1. */
gint64    crm_uuid7_timestamp_ms (const char *text);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* RFC 3339 in UTC, second precision unless the value has a fraction:
 * "2026-03-01T09:30:00Z" or "2026-03-01T09:30:00.123456Z". */
char     *crm_time_format       (gint64      unix_usec);
char     *crm_time_now          (void);
/* Accepts any RFC 3339 offset (Z, +01:00...) and converts to UTC microseconds. */
gboolean  crm_time_parse        (const char *text,
                                 gint64     *unix_usec);
/* Normalises any RFC 3339 text to the UTC form above; NULL if invalid. */
char     *crm_time_normalize    (const char *text);
/* Calendar dates "YYYY-MM-DD". */
gboolean  crm_date_parse        (const char *text,
                                 int        *year,
                                 int        *month,
                                 int        *day);
char     *crm_date_today        (void);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-format.h — amounts and dates as people read them.
 *
 * The words and separators come from the catalogue, so the French UI shows
 * « 12,5 M€ » and « 3 mars 2026 » whatever the C library's locale says (the
 * French locale is often not generated on the machine). Values come in their
 * wire form (DESIGN.md §3): dates "YYYY-MM-DD", times RFC 3339 in UTC.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* An amount in euros, rounded to its scale: "850 €", "12,5 k€", "12,5 M€", "3 Md€". */
char     *crm_format_amount_short   (double      eur);

/* A date or a time as its local calendar day: "3 mars 2026"; NULL if @wire does not parse. */
char     *crm_format_date           (const char *wire);

/* A time as its local day and hour: "3 mars 2026 à 14:30"; a plain date as crm_format_date(). */
char     *crm_format_datetime       (const char *wire);

/* Whole local days from @now's day to @wire's day (negative in the past); FALSE if
 * @wire does not parse. */
gboolean  crm_format_days_from      (GDateTime  *now,
                                     const char *wire,
                                     int        *days);

/* "aujourd’hui", "demain", "hier", "dans 3 jours", "il y a 3 jours". */
char     *crm_format_relative_day   (GDateTime  *now,
                                     const char *wire);

/* The RFC 3339 UTC time of local midnight @days days after @now's day: the bound to
 * compare stored times with when grouping by the advisor's calendar. */
char     *crm_format_day_start_utc  (GDateTime  *now,
                                     int         days);

/* An AdwActionRow's title and subtitle on one line each, ellipsized, the whole text in
 * its tooltip: for rows in lists, which are laid out often. */
void   crm_row_set_single_lines (GtkWidget *row);

G_END_DECLS

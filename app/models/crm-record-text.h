/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-record-text.h — how records read to a person: titles, values in French formats,
 * and the formats a person types back (dates as JJ/MM/AAAA, amounts with a comma).
 */
#pragma once

#include "crm-record.h"

G_BEGIN_DECLS

/* The name a record goes by: an organisation's name, "Prénom Nom", a mandat number... */
char *crm_record_dup_title        (const CrmRecord    *record);
/* A field as a list or a record page shows it; NULL when empty. */
char *crm_record_dup_display      (const CrmRecord    *record,
                                   const char         *field);
/* A field as an edit form shows it (dates JJ/MM/AAAA, no thousands separators). */
char *crm_record_dup_editable     (const CrmRecord    *record,
                                   const char         *field);
/* What a person typed, to wire text for @field: "12/03/2026" -> "2026-03-12",
 * "1 250 000,50" -> "1250000.5", "a, b" -> ["a","b"]. Text that does not parse is
 * returned unchanged, so that core/ validation names the problem. */
char *crm_field_text_from_user    (const CrmFieldInfo *field,
                                   const char         *text);
/* 120000 -> "120 000", grouped the French way whatever the process locale. */
char *crm_format_count            (guint64             n);
/* "2026-03-12" or an RFC 3339 time, as a short French date (and local time). */
char *crm_format_wire_date        (const char         *wire,
                                   gboolean            with_time);

G_END_DECLS

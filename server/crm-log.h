/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "crm-config.h"

G_BEGIN_DECLS

/* What a secret field's value is replaced with, in every format. */
#define CRM_LOG_REDACTED "[masqué]"

void      crm_log_init (CrmLogFormat   format,
                        GLogLevelFlags threshold,
                        int            fd);

/* Told about every record written at @level or more severe (error reports). Runs on
 * the thread that logged, after the record was written; must not block. */
typedef void (*CrmLogObserver) (GLogLevelFlags   level,
                                const GLogField *fields,
                                gsize            n_fields);

void      crm_log_set_observer (GLogLevelFlags level,
                                CrmLogObserver observer);

gboolean  crm_log_field_is_secret (const char *key);
char     *crm_log_field_to_text (const GLogField *field);
char     *crm_log_scrub_message (const char *message);
char     *crm_log_format_line (CrmLogFormat    format,
                               GLogLevelFlags  level,
                               const GLogField *fields,
                               gsize           n_fields);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-record-private.h — what the record, the validators and the JSON codec
 * share inside core/ but do not promise to anyone else.
 */
#pragma once

#include "crm-record.h"

G_BEGIN_DECLS

/* How a field's value is held in a CrmRecord (see crm-record.h). */
typedef enum
{
  CRM_VALUE_STRING,
  CRM_VALUE_INT,
  CRM_VALUE_DOUBLE,
  CRM_VALUE_BOOL,
  CRM_VALUE_STRV,
} CrmValueKind;

CrmValueKind crm_field_type_value_kind (CrmFieldType type);

/* Parses the wire text of a TAGS / UUID_LIST value: a JSON array of strings. */
char       **crm_strv_from_json_text   (const char  *text);
/* Wire text of a DECIMAL: the shortest form that parses back to the same double. */
char        *crm_double_to_text        (double       value);
/* Strict parsers of the wire text of INT and DECIMAL values. */
gboolean     crm_int_from_text         (const char  *text,
                                        gint64      *value);
gboolean     crm_double_from_text      (const char  *text,
                                        double      *value);
gboolean     crm_bool_from_text        (const char  *text,
                                        gboolean    *value);
/* The JSON writer's own spelling (crm-json-writer.c): a quoted, escaped string, and a
 * double that reads back as the same double (null when not finite). */
void         crm_json_append_string    (GString     *out,
                                        const char  *text);
void         crm_json_append_double    (GString     *out,
                                        double       value);

G_END_DECLS

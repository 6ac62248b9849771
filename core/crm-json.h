/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-json.h — JSON codecs for every entity (snake_case keys, DESIGN.md §9).
 * Round trips are exact; unknown keys are ignored; a wrong type, a malformed
 * document or an oversized one is a CRM_VALIDATION_ERROR naming the field.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "crm-record.h"

G_BEGIN_DECLS

/* Largest document crm_record_from_json_data() accepts. */
#define CRM_JSON_MAX_DOCUMENT (2 * 1024 * 1024)
/* Deepest nesting accepted anywhere (arrays of tags are depth 2). */
#define CRM_JSON_MAX_DEPTH 32

typedef enum
{
  CRM_JSON_NONE          = 0,
  CRM_JSON_SKIP_READONLY = 1 << 0, /* drop read-only fields (client input) instead of keeping them */
} CrmJsonFlags;

/* Only the keys present in @object become present fields (so a PATCH body
 * yields a partial record); JSON null sets the field to null. */
CrmRecord  *crm_record_from_json      (const CrmEntityInfo *entity,
                                       JsonObject          *object,
                                       CrmJsonFlags         flags,
                                       GError             **error);
CrmRecord  *crm_record_from_json_data (const CrmEntityInfo *entity,
                                       const char          *data,
                                       gssize               length,
                                       CrmJsonFlags         flags,
                                       GError             **error);

/* Every present field; null fields as JSON null. */
JsonObject *crm_record_to_json        (const CrmRecord     *record);
JsonNode   *crm_record_to_json_node   (const CrmRecord     *record);
char       *crm_record_to_json_data   (const CrmRecord     *record,
                                       gsize               *length);

/* Writes any JSON tree compactly, like json_to_string (node, FALSE), except
 * that every double reads back as the same double: json-glib 1.6 writes
 * 1e-300 or 1e20 as "1e-300.0" / "1e+20.0", which no parser accepts. Use it
 * (not JsonGenerator) for documents holding records. Non-finite doubles are
 * written as null. */
char       *crm_json_to_data          (JsonNode            *node,
                                       gsize               *length);

/* Parses a JSON text with the size and depth limits above; returns the root. */
JsonNode   *crm_json_parse_bounded    (const char          *data,
                                       gssize               length,
                                       GError             **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-record.h — one row of any entity, as a set of typed values keyed by the
 * fields of its CrmEntityInfo.
 *
 * A field is either absent (not part of this record: a partial update carries
 * only the fields it changes), null, or holds a value of its field's type.
 * Text-like types (TEXT, LONGTEXT, UUID, DATE, DATETIME, ENUM, EMAIL, URL,
 * PHONE, COUNTRY, LANGUAGE, MANDAT_NUMBER) hold a string; INT a gint64;
 * DECIMAL a double; BOOL a gboolean; TAGS and UUID_LIST a string vector.
 */
#pragma once

#include <glib-object.h>

#include "crm-schema.h"

G_BEGIN_DECLS

#define CRM_TYPE_RECORD (crm_record_get_type ())

typedef struct _CrmRecord CrmRecord;

GType                crm_record_get_type     (void) G_GNUC_CONST;
CrmRecord           *crm_record_new          (const CrmEntityInfo *entity);
CrmRecord           *crm_record_new_for_kind (CrmEntityKind        kind);
CrmRecord           *crm_record_ref          (CrmRecord           *self);
void                 crm_record_unref        (CrmRecord           *self);
CrmRecord           *crm_record_copy         (const CrmRecord     *self);

const CrmEntityInfo *crm_record_get_entity   (const CrmRecord     *self);

/* Presence and null-ness. Unknown field names are a programming error. */
gboolean             crm_record_has          (const CrmRecord     *self,
                                              const char          *field);
gboolean             crm_record_is_null      (const CrmRecord     *self,
                                              const char          *field);
void                 crm_record_unset        (CrmRecord           *self,
                                              const char          *field);
void                 crm_record_set_null     (CrmRecord           *self,
                                              const char          *field);

/* Getters return NULL / 0 / FALSE when the field is absent or null. */
const char          *crm_record_get_string   (const CrmRecord     *self,
                                              const char          *field);
gint64               crm_record_get_int      (const CrmRecord     *self,
                                              const char          *field);
double               crm_record_get_double   (const CrmRecord     *self,
                                              const char          *field);
gboolean             crm_record_get_bool     (const CrmRecord     *self,
                                              const char          *field);
const char * const  *crm_record_get_strv     (const CrmRecord     *self,
                                              const char          *field);

/* Setters copy. Setting a NULL string or strv sets the field to null. */
void                 crm_record_set_string   (CrmRecord           *self,
                                              const char          *field,
                                              const char          *value);
void                 crm_record_set_int      (CrmRecord           *self,
                                              const char          *field,
                                              gint64               value);
void                 crm_record_set_double   (CrmRecord           *self,
                                              const char          *field,
                                              double               value);
void                 crm_record_set_bool     (CrmRecord           *self,
                                              const char          *field,
                                              gboolean             value);
void                 crm_record_set_strv     (CrmRecord           *self,
                                              const char          *field,
                                              const char * const  *value);

/* Sets a field from its wire text form (as stored in SQL text columns and in
 * default_value): "true"/"false" for BOOL, decimal text for INT/DECIMAL, a JSON
 * array of strings for TAGS/UUID_LIST. Returns FALSE with a French GError if
 * the text does not parse. */
gboolean             crm_record_set_from_text(CrmRecord           *self,
                                              const char          *field,
                                              const char          *text,
                                              GError             **error);
/* The wire text form of a field (inverse of the above); NULL when absent or null. */
char                *crm_record_dup_text     (const CrmRecord     *self,
                                              const char          *field);

/* Same value (both absent, both null, or equal values). */
gboolean             crm_record_field_equal  (const CrmRecord     *a,
                                              const CrmRecord     *b,
                                              const char          *field);
gboolean             crm_record_equal        (const CrmRecord     *a,
                                              const CrmRecord     *b);

/* Names of the present fields, in schema order; free with g_ptr_array_unref
 * (the strings are static). */
GPtrArray           *crm_record_list_present (const CrmRecord     *self);

/* Its JSON text (as crm-json.h writes it: every present field, no secrets), appended
 * to @out. */
void                 crm_record_append_json  (const CrmRecord     *self,
                                              GString             *out);

/* Fills absent non-meta fields that have a default_value. */
void                 crm_record_apply_defaults (CrmRecord         *self);

/* Copies every field present in @changes into @self. */
void                 crm_record_merge_from   (CrmRecord           *self,
                                              const CrmRecord     *changes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmRecord, crm_record_unref)

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-validate.h — validation in one place (DESIGN.md §3). The app calls it
 * before it queues a change, the server before it commits one.
 */
#pragma once

#include "crm-error.h"
#include "crm-record.h"

G_BEGIN_DECLS

typedef enum
{
  CRM_VALIDATE_CREATE, /* a whole new row: required fields must be present and non-empty */
  CRM_VALIDATE_UPDATE, /* a partial change: only the present fields are checked, and a
                        * required field may not be set to null or empty */
  CRM_VALIDATE_ROW,    /* a full stored row coming back (pull, load): like CREATE but
                        * read-only fields are allowed */
} CrmValidateMode;

typedef struct
{
  char *field;   /* field name, or NULL for a rule across fields */
  char *message; /* French sentence naming the field */
  int   code;    /* a CrmValidationError */
} CrmFieldError;

void       crm_field_error_free     (CrmFieldError *error);

/* Every problem of @record, in field order; an empty array when it is valid. */
GPtrArray *crm_record_validate_all  (const CrmRecord *record,
                                     CrmValidateMode  mode);
/* The first problem as a GError in CRM_VALIDATION_ERROR. */
gboolean   crm_record_validate      (const CrmRecord *record,
                                     CrmValidateMode  mode,
                                     GError         **error);

/* One value of one field, in its wire text form (NULL = null). */
gboolean   crm_validate_field_text  (const CrmFieldInfo *field,
                                     const char         *text,
                                     GError            **error);

/* The syntax checks, usable on their own (widgets validate as you type). */
gboolean   crm_is_valid_email       (const char *text);
gboolean   crm_is_valid_url         (const char *text);
gboolean   crm_is_valid_phone       (const char *text);
gboolean   crm_is_valid_country     (const char *text);
gboolean   crm_is_valid_language    (const char *text);
gboolean   crm_is_valid_date        (const char *text);
gboolean   crm_is_valid_datetime    (const char *text);
gboolean   crm_is_valid_mandat_number (const char *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmFieldError, crm_field_error_free)

G_END_DECLS

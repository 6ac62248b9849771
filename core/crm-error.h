/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Bad values: every message is a French sentence that names the field. */
#define CRM_VALIDATION_ERROR (crm_validation_error_quark ())

typedef enum
{
  CRM_VALIDATION_ERROR_REQUIRED,
  CRM_VALIDATION_ERROR_TOO_LONG,
  CRM_VALIDATION_ERROR_INVALID_FORMAT,
  CRM_VALIDATION_ERROR_INVALID_ENUM,
  CRM_VALIDATION_ERROR_OUT_OF_RANGE,
  CRM_VALIDATION_ERROR_INVALID_UTF8,
  CRM_VALIDATION_ERROR_WRONG_TYPE,
  CRM_VALIDATION_ERROR_READONLY,
  CRM_VALIDATION_ERROR_INCONSISTENT, /* rules across fields: end before start... */
  CRM_VALIDATION_ERROR_MALFORMED,    /* not JSON, not an object, too large, too deep */
} CrmValidationError;

GQuark crm_validation_error_quark (void);

G_END_DECLS

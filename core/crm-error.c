/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-error"

#include "config.h"

#include "crm-error.h"

G_DEFINE_QUARK (crm-validation-error-quark, crm_validation_error)

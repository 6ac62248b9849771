/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-auth"

#include "config.h"

#include "crm-auth-error.h"

G_DEFINE_QUARK (crm-auth-error-quark, crm_auth_error)

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "crm-config.h"

G_BEGIN_DECLS

/* Shared by the reading (crm-config.c) and the checking (crm-config-check.c) halves. */
void        crm_config_add_problem (CrmConfig  *self,
                                    const char *format,
                                    ...) G_GNUC_PRINTF (2, 3);
void        crm_config_add_warning (CrmConfig  *self,
                                    const char *format,
                                    ...) G_GNUC_PRINTF (2, 3);
const char *crm_config_where (CrmConfig  *self,
                              const char *group,
                              const char *key);

G_END_DECLS

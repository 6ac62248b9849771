/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "crm-config.h"

G_BEGIN_DECLS

/* How long a SIGTERM waits for requests in flight before closing connections anyway. */
#define CRM_SERVER_DRAIN_SECONDS 10
/* Then how long database work may take to finish before the process exits anyway. */
#define CRM_SERVER_POOL_STOP_SECONDS 5
/* And how long the whole shutdown after the drain may take before the process just ends. */
#define CRM_SERVER_TEARDOWN_SECONDS 10

typedef struct _CrmServer CrmServer;

CrmServer *crm_server_new (CrmConfig *config,
                           GError   **error);
gboolean   crm_server_listen (CrmServer *self,
                              GError   **error);
void       crm_server_run (CrmServer *self);
void       crm_server_free (CrmServer *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmServer, crm_server_free)

G_END_DECLS

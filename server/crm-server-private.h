/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "crm-api.h"
#include "crm-db-pool.h"
#include "crm-server.h"

G_BEGIN_DECLS

struct _CrmServer
{
  CrmConfig  *config;        /* borrowed: the caller keeps it alive while we run */
  SoupServer *soup;
  CrmDbPool  *pool;
  CrmApi     *api;           /* /api/v1 and /metrics (crm-api.c) */
  GMainLoop  *loop;
  guint       in_flight;     /* requests whose headers arrived, not yet finished or aborted */
  gboolean    stopping;      /* SIGTERM seen: new requests get 503, we wait for the rest */
  gint64      stop_deadline;
  guint       drain_source;
  guint       signal_sources[2];
};

/* Route handlers, one file per area, registered by crm_server_new. */
void crm_health_register (CrmServer *self);

/* A warning at start-up when the database's schema is not this binary's. */
void crm_server_check_schema (CrmServer *self);

G_END_DECLS

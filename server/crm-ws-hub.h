/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-ws-hub.h — GET /api/v1/ws (DESIGN.md §4 "Live").
 *
 * An authenticated WebSocket per running app (the same Bearer token as the REST API,
 * on the upgrade request). The hub sends {"type":"poke","cursor":N} to each client
 * that may see a change that committed, on this instance or any other: every instance
 * LISTENs on crm_changes (crm-notify-listener.c), whose payloads are sequence numbers
 * only, and reads the visibility of those changes from the change log. Heartbeats go
 * both ways ({"type":"heartbeat"}); a client silent for three heartbeats, or whose
 * access token expired, is closed and reconnects. Incoming messages are small JSON
 * texts (CRM_WS_MAX_MESSAGE bytes at most).
 */
#pragma once

#include "crm-api.h"

G_BEGIN_DECLS

#define CRM_WS_MAX_MESSAGE             4096
#define CRM_WS_HEARTBEAT_SECONDS       20
/* Close codes of our own (RFC 6455 leaves 4000–4999 to applications). */
#define CRM_WS_CLOSE_UNAUTHORIZED      4401
#define CRM_WS_CLOSE_TOKEN_EXPIRED     4402
#define CRM_WS_CLOSE_IDLE              4408

typedef struct _CrmWsHub CrmWsHub;

/* Registers /api/v1/ws on @api's server and starts listening for commits. The
 * heartbeat period may be shortened with ALFORIS_WS_HEARTBEAT (seconds), for tests. */
CrmWsHub *crm_ws_hub_new            (CrmApi   *api);
void      crm_ws_hub_free           (CrmWsHub *self);

guint     crm_ws_hub_get_n_clients  (CrmWsHub *self);

G_END_DECLS

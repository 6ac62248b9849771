/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-sync-routes.h — the sync endpoints of DESIGN.md §4 and §9:
 *
 *   POST /api/v1/sync/push   ordered ops, one transaction, one savepoint per op
 *   GET  /api/v1/sync/pull   cursor pages of what the caller may see
 *   GET  /api/v1/ws          WebSocket: pokes when a visible change commits (crm-ws-hub.c)
 *
 * Every request carries the sync protocol; the current one and the previous one are
 * served, anything older is answered 426 with a French sentence saying to update.
 */
#pragma once

#include "crm-api.h"

G_BEGIN_DECLS

/* The protocol this server speaks (config.h's CRM_SYNC_PROTOCOL) and the oldest it
 * still serves: the current and the previous one, never below the first. */
#define CRM_SYNC_PROTOCOL_CURRENT CRM_SYNC_PROTOCOL
#define CRM_SYNC_PROTOCOL_OLDEST  MAX (1, CRM_SYNC_PROTOCOL - 1)

/* Ops in one push; a client sends its outbox in batches of at most this. */
#define CRM_SYNC_MAX_PUSH_OPS     500

#define CRM_SYNC_PROBLEM_UPGRADE  "upgrade-required"

/* Registers push, pull and the WebSocket hub on @api's server. */
void crm_sync_routes_register (CrmApi *api);

G_END_DECLS

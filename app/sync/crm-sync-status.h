/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-sync-status.h — what the UI shows about sync: offline / syncing (with the
 * progress of an initial sync) / up to date, the operations waiting to be sent, the
 * last successful sync and the last error. Read-only for the UI: every property is
 * set by the engine on the main loop, with notify only when a value really changes.
 */
#pragma once

#include <glib-object.h>

#include "crm-permissions.h"

G_BEGIN_DECLS

typedef enum
{
  CRM_SYNC_STATE_OFFLINE,     /* no server reachable, or not signed in */
  CRM_SYNC_STATE_SYNCING,
  CRM_SYNC_STATE_UP_TO_DATE,
} CrmSyncState;

GType crm_sync_state_get_type (void) G_GNUC_CONST;
#define CRM_TYPE_SYNC_STATE (crm_sync_state_get_type ())

#define CRM_TYPE_SYNC_STATUS (crm_sync_status_get_type ())
G_DECLARE_FINAL_TYPE (CrmSyncStatus, crm_sync_status, CRM, SYNC_STATUS, GObject)

CrmSyncState  crm_sync_status_get_state        (CrmSyncStatus *self);
/* 0 … 1 while an initial sync (or an epoch re-sync) downloads; -1 otherwise. */
double        crm_sync_status_get_progress     (CrmSyncStatus *self);
gint64        crm_sync_status_get_pending      (CrmSyncStatus *self);
gint64        crm_sync_status_get_conflicts    (CrmSyncStatus *self);
gint64        crm_sync_status_get_rejections   (CrmSyncStatus *self);
gint64        crm_sync_status_get_quarantined  (CrmSyncStatus *self);
/* RFC 3339, or NULL before the first successful sync. */
const char   *crm_sync_status_get_last_sync    (CrmSyncStatus *self);
/* A French sentence, or NULL when the last attempt went well. */
const char   *crm_sync_status_get_last_error   (CrmSyncStatus *self);
/* A short French sentence for a status bar ("À jour", "Synchronisation… 40 %"). */
char         *crm_sync_status_describe         (CrmSyncStatus *self);

/*
 * Who is signed in, from the server's GET /api/v1/me (refreshed after each login and
 * each epoch change). A NULL role means no server account (the local one-user CRM, or
 * not known yet): then everything is allowed. "role" is notified whenever the role or
 * any permission changes; the UI re-reads crm_sync_status_allows() then. The server
 * stays the judge: this only hides what it would refuse.
 */
const char   *crm_sync_status_get_role         (CrmSyncStatus *self);
const char   *crm_sync_status_get_user_id      (CrmSyncStatus *self);
gboolean      crm_sync_status_allows           (CrmSyncStatus *self,
                                                CrmResource    resource,
                                                CrmAction      action);

/* ---- For the engine ---------------------------------------------------------------- */

CrmSyncStatus *crm_sync_status_new             (void);
void          crm_sync_status_set_state        (CrmSyncStatus *self,
                                                CrmSyncState   state);
void          crm_sync_status_set_progress     (CrmSyncStatus *self,
                                                double         progress);
void          crm_sync_status_set_counts       (CrmSyncStatus *self,
                                                gint64         pending,
                                                gint64         conflicts,
                                                gint64         rejections,
                                                gint64         quarantined);
void          crm_sync_status_set_last_sync    (CrmSyncStatus *self,
                                                const char    *when);
void          crm_sync_status_set_last_error   (CrmSyncStatus *self,
                                                const char    *message);
/* role NULL: back to "no account" (allowed is ignored). allowed[r] has bit
 * (1 << CrmAction) set for each action the user may take on resource r. */
void          crm_sync_status_set_access       (CrmSyncStatus *self,
                                                const char    *user_id,
                                                const char    *role,
                                                const guint8   allowed[CRM_N_RESOURCES]);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-sync-button.h — the header bar's sync status: a menu button whose label says
 * Local / Hors ligne / Synchronisation… / À jour, and whose popover gives the
 * operations waiting to be sent, the last sync, the last error, what needs the user
 * (conflicts, refusals, quarantined edits) and "Synchroniser maintenant" (app.sync-now).
 */
#pragma once

#include <adwaita.h>

#include "crm-sync-status.h"

G_BEGIN_DECLS

#define CRM_TYPE_SYNC_BUTTON (crm_sync_button_get_type ())
G_DECLARE_FINAL_TYPE (CrmSyncButton, crm_sync_button, CRM, SYNC_BUTTON, AdwBin)

GtkWidget     *crm_sync_button_new        (void);
/* Follows @status; NULL means no server: the data stays on this computer. */
void           crm_sync_button_set_status (CrmSyncButton *self,
                                           CrmSyncStatus *status);
CrmSyncStatus *crm_sync_button_get_status (CrmSyncButton *self);
/* Operations kept locally, for the popover in local mode (no status to ask). */
void           crm_sync_button_set_local_pending (CrmSyncButton *self,
                                           gint64         pending);
/* The label the header bar shows, and the popover's detail lines (for tests). */
const char    *crm_sync_button_get_label  (CrmSyncButton *self);
const char    *crm_sync_button_get_detail (CrmSyncButton *self);

G_END_DECLS

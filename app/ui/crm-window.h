/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "crm-application.h"
#include "crm-replica.h"
#include "crm-sync-engine.h"
#include "crm-sync-status.h"

G_BEGIN_DECLS

typedef enum
{
  CRM_SECTION_DASHBOARD,
  CRM_SECTION_ORGANISATIONS,
  CRM_SECTION_PEOPLE,
  CRM_SECTION_MANDATS,
  CRM_SECTION_INTERACTIONS,
  CRM_SECTION_TASKS,
  CRM_SECTION_PIPELINE,
  CRM_SECTION_ADMIN,    /* only for a role that manages users, signed in to a server */
  CRM_N_SECTIONS
} CrmSection;

#define CRM_TYPE_WINDOW (crm_window_get_type ())

G_DECLARE_FINAL_TYPE (CrmWindow, crm_window, CRM, WINDOW, AdwApplicationWindow)

CrmWindow  *crm_window_new              (CrmApplication *application);
/* Shows the replica's records; the window keeps a reference. */
void        crm_window_set_replica      (CrmWindow      *self,
                                         CrmReplica     *replica);
CrmReplica *crm_window_get_replica      (CrmWindow      *self);
/* The replica could not be opened: say why, in a dialog and in the window. */
void        crm_window_show_open_error  (CrmWindow      *self,
                                         const GError   *error);
void        crm_window_demo_started     (CrmWindow      *self);
void        crm_window_demo_finished    (CrmWindow      *self,
                                         const GError   *error);

gboolean    crm_window_show_section     (CrmWindow      *self,
                                         CrmSection      section);
CrmSection  crm_window_get_section      (CrmWindow      *self);
void        crm_window_open_record      (CrmWindow      *self,
                                         CrmEntityKind   kind,
                                         const char     *id);
/* A record page that creates a record of @kind, @ref_field preset to @ref_id if given. */
void        crm_window_new_record       (CrmWindow      *self,
                                         CrmEntityKind   kind,
                                         const char     *ref_field,
                                         const char     *ref_id);
/* Tombstones the record and offers to undo in a toast. */
void        crm_window_delete_record    (CrmWindow      *self,
                                         CrmEntityKind   kind,
                                         const char     *id);
/* Reads the lists (counts, rows) again after a change. */
void        crm_window_reload           (CrmWindow      *self);

/* Sync (crm-window-sync.c). @status NULL: no server, the data stays here. */
void        crm_window_set_sync_status  (CrmWindow      *self,
                                         CrmSyncStatus  *status);
/* The engine signed in to a server (NULL: local): the Administration section talks to
 * the server through it. */
void        crm_window_set_engine       (CrmWindow      *self,
                                         CrmSyncEngine  *engine);
/* A viewer: creating, editing and deleting are switched off. */
void        crm_window_set_read_only    (CrmWindow      *self,
                                         gboolean        read_only);
gboolean    crm_window_get_read_only    (CrmWindow      *self);
/* What the signed-in role allows (CrmSyncStatus, read-only mode); everything when local. */
gboolean    crm_window_allows           (CrmWindow      *self,
                                         CrmResource     resource,
                                         CrmAction       action);
/* The inbox (conflicts, refused changes, edits set aside) in its own window; returns
 * the CrmInboxPage. */
GtkWidget  *crm_window_show_inbox       (CrmWindow      *self);
/* The conflict dialog of the record shown, or NULL when none is shown. */
GtkWidget  *crm_window_review_conflicts (CrmWindow      *self);

/* Parts, for tests. */
GtkWidget  *crm_window_get_list_page    (CrmWindow      *self,
                                         CrmEntityKind   kind);
GtkWidget  *crm_window_get_record_page  (CrmWindow      *self);
GtkWidget  *crm_window_get_search       (CrmWindow      *self);
/* The CrmSyncButton of the header bar. */
GtkWidget  *crm_window_get_sync_button  (CrmWindow      *self);
/* The last toast shown, while it is shown. */
AdwToast   *crm_window_get_toast        (CrmWindow      *self);

G_END_DECLS

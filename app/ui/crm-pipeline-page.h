/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "crm-replica.h"

G_BEGIN_DECLS

#define CRM_TYPE_PIPELINE_PAGE (crm_pipeline_page_get_type ())

G_DECLARE_FINAL_TYPE (CrmPipelinePage, crm_pipeline_page, CRM, PIPELINE_PAGE, AdwBin)

/* The pipeline board: one column per stage with its count and total assets, a card per
 * investor. Dragging a card to another column, or its "Move To…" menu (the action
 * "pipeline.move" with an (id, stage) pair), changes the organisation's stage through
 * crm_replica_update(). Emits ::open-record (CrmEntityKind, id) when a card is activated. */
GtkWidget *crm_pipeline_page_new    (CrmReplica      *replica);
/* Reads the replica again, after writes made elsewhere. */
void       crm_pipeline_page_reload (CrmPipelinePage *page);
/* FALSE (a role that may not change organisations): cards can be opened, not moved. */
void       crm_pipeline_page_set_can_move (CrmPipelinePage *self,
                                           gboolean         can_move);
gboolean   crm_pipeline_page_get_can_move (CrmPipelinePage *self);

G_END_DECLS

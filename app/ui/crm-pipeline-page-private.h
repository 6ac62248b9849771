/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "crm-pipeline-page.h"

G_BEGIN_DECLS

typedef struct
{
  CrmPipelinePage *page;           /* unowned: the page owns its columns */
  const char      *stage;          /* wire value; static */
  GtkWidget       *widget;
  GtkLabel        *count_label;
  GtkLabel        *total_label;
  GtkLabel        *more_label;
  GtkWidget       *scroller;
  GtkWidget       *empty_label;
  GtkStringList   *ids;            /* ids of the cards shown, in order */
  GHashTable      *cards;          /* id -> CrmRecord */
  gint64           count;
  double           total;
  gboolean         total_known;
  GCancellable    *sum_cancellable;
} CrmPipelineColumn;

CrmPipelineColumn *crm_pipeline_column_new     (CrmPipelinePage   *page,
                                               const char        *stage);
void               crm_pipeline_column_free    (gpointer           column);

/* Moves organisation @id to @stage through crm_replica_update() and refreshes both
 * lanes; with @undoable, a toast offers to move it back. */
gboolean           crm_pipeline_page_move      (CrmPipelinePage   *self,
                                               const char        *id,
                                               const char        *stage,
                                               gboolean           undoable,
                                               GError           **error);
void               crm_pipeline_page_add_toast (CrmPipelinePage   *self,
                                               AdwToast          *toast);
/* Emits ::open-record for the organisation of a card. */
void               crm_pipeline_page_open_card (CrmPipelinePage   *self,
                                               const char        *id);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "crm-record-list-model.h"

G_BEGIN_DECLS

#define CRM_TYPE_LIST_PAGE (crm_list_page_get_type ())

G_DECLARE_FINAL_TYPE (CrmListPage, crm_list_page, CRM, LIST_PAGE, GtkWidget)

/* One entity's rows in a column view over a lazy CrmRecordListModel: sortable columns
 * (sorted by the replica), a filter bar, a live count and an empty state. Emits
 * "open-record" (int kind, string id) when a row is activated. Empty until the first
 * crm_list_page_reload(): the window reads a list when it is shown. */
GtkWidget          *crm_list_page_new            (CrmReplica    *replica,
                                                  CrmEntityKind  kind);
CrmEntityKind       crm_list_page_get_kind       (CrmListPage   *self);
CrmRecordListModel *crm_list_page_get_model      (CrmListPage   *self);
void                crm_list_page_reload         (CrmListPage   *self);
/* Shows the filter bar and focuses it, or hides it. */
void                crm_list_page_toggle_filters (CrmListPage   *self);
gboolean            crm_list_page_get_filters_visible (CrmListPage *self);
/* The record of the selected row, or NULL. */
CrmRecord          *crm_list_page_get_selected   (CrmListPage   *self);
/* FALSE hides the "New" button and the empty state's invitation (a role that reads
 * only); TRUE by default. */
void                crm_list_page_set_can_create (CrmListPage   *self,
                                                  gboolean       can_create);
gboolean            crm_list_page_get_can_create (CrmListPage   *self);
/* The column titles, for tests. */
GtkColumnView      *crm_list_page_get_column_view(CrmListPage   *self);

G_END_DECLS

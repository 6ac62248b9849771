/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "crm-replica.h"

G_BEGIN_DECLS

#define CRM_TYPE_GLOBAL_SEARCH (crm_global_search_get_type ())

G_DECLARE_FINAL_TYPE (CrmGlobalSearch, crm_global_search, CRM, GLOBAL_SEARCH, GtkWidget)

/* The header bar's search: results as you type, grouped by entity, Up/Down to move,
 * Enter to open. Emits "open-record" (int kind, string id). */
GtkWidget   *crm_global_search_new          (void);
void         crm_global_search_set_replica  (CrmGlobalSearch *self,
                                             CrmReplica      *replica);
void         crm_global_search_focus        (CrmGlobalSearch *self);
GtkEditable *crm_global_search_get_entry    (CrmGlobalSearch *self);
GtkListBox  *crm_global_search_get_results  (CrmGlobalSearch *self);
/* TRUE while a search runs in the background; for tests. */
gboolean     crm_global_search_is_busy      (CrmGlobalSearch *self);
/* How many searches were started (one runs at a time; typing meanwhile searches only
 * the latest text after it). For tests. */
guint        crm_global_search_get_n_started (CrmGlobalSearch *self);

G_END_DECLS

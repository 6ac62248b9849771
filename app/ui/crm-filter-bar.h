/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "crm-record-list-model.h"

G_BEGIN_DECLS

#define CRM_TYPE_FILTER_BAR (crm_filter_bar_get_type ())

G_DECLARE_FINAL_TYPE (CrmFilterBar, crm_filter_bar, CRM, FILTER_BAR, GtkWidget)

/* The replica's filters of one entity as widgets: enums as drop-downs, a city, "only
 * mine", date ranges. "changed" fires when the person changes one. */
GtkWidget *crm_filter_bar_new          (CrmEntityKind  kind,
                                        const char    *user_id);
/* Adds the active filters to @model (its old filters are cleared first). */
void       crm_filter_bar_apply        (CrmFilterBar       *self,
                                        CrmRecordListModel *model);
guint      crm_filter_bar_get_n_active (CrmFilterBar  *self);
void       crm_filter_bar_clear        (CrmFilterBar  *self);
void       crm_filter_bar_focus        (CrmFilterBar  *self);

G_END_DECLS

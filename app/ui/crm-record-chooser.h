/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "crm-replica.h"

G_BEGIN_DECLS

#define CRM_TYPE_RECORD_CHOOSER (crm_record_chooser_get_type ())

G_DECLARE_FINAL_TYPE (CrmRecordChooser, crm_record_chooser, CRM, RECORD_CHOOSER, GtkWidget)

/* A button whose popover finds a record of one entity as you type (the replica's
 * search) and emits "chosen" (string id) when one is picked. */
GtkWidget *crm_record_chooser_new        (CrmReplica       *replica,
                                          CrmEntityKind     kind,
                                          const char       *label);
GtkEntry  *crm_record_chooser_add_entry  (CrmRecordChooser *self,
                                          const char       *placeholder);
GtkEditable *crm_record_chooser_get_search_entry (CrmRecordChooser *self);
GtkListBox  *crm_record_chooser_get_results      (CrmRecordChooser *self);
void       crm_record_chooser_popup      (CrmRecordChooser *self);

G_END_DECLS

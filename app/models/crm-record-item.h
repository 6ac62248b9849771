/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "crm-record.h"

G_BEGIN_DECLS

#define CRM_TYPE_RECORD_ITEM (crm_record_item_get_type ())

G_DECLARE_FINAL_TYPE (CrmRecordItem, crm_record_item, CRM, RECORD_ITEM, GObject)

/* An item of a list model: one row, or a placeholder (record NULL) that the model fills
 * in place once its page arrives, so the row widget bound to it updates by itself. */
CrmRecordItem   *crm_record_item_new        (CrmRecord     *record);
CrmRecord       *crm_record_item_get_record (CrmRecordItem *self);
void             crm_record_item_set_record (CrmRecordItem *self,
                                             CrmRecord     *record);
const char      *crm_record_item_get_id     (CrmRecordItem *self);

G_END_DECLS

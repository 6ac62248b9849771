/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "crm-access.h"
#include "crm-replica.h"
#include "crm-record-form.h"

G_BEGIN_DECLS

#define CRM_TYPE_RECORD_PAGE (crm_record_page_get_type ())

G_DECLARE_FINAL_TYPE (CrmRecordPage, crm_record_page, CRM, RECORD_PAGE, GtkWidget)

/*
 * One record: its fields (view, or the edit form), its linked records, its activity
 * timeline and its field history. @id NULL makes a page that creates a record.
 * Signals: "open-record" (int kind, string id), "new-related" (int kind, string
 * field, string id) for a new record pointing at this one, "saved" (int kind,
 * string id, boolean created), "cancelled" (a create given up), "restored".
 */
GtkWidget     *crm_record_page_new          (CrmReplica    *replica,
                                             CrmEntityKind  kind,
                                             const char    *id);
CrmEntityKind  crm_record_page_get_kind     (CrmRecordPage *self);
/* NULL until a new record is saved. */
const char    *crm_record_page_get_id       (CrmRecordPage *self);
CrmRecord     *crm_record_page_get_record   (CrmRecordPage *self);
CrmRecordForm *crm_record_page_get_form     (CrmRecordPage *self);
gboolean       crm_record_page_get_editing  (CrmRecordPage *self);
void           crm_record_page_set_editing  (CrmRecordPage *self,
                                             gboolean       editing);
/* Validates and writes what the form holds; FALSE (the form shows why) if refused. */
gboolean       crm_record_page_save         (CrmRecordPage *self);
void           crm_record_page_cancel       (CrmRecordPage *self);
/* Reads the record and its surroundings again from the replica. */
void           crm_record_page_reload       (CrmRecordPage *self);
/* What the signed-in role allows: edit, delete, restore and the "new linked record"
 * buttons follow it (everything is allowed until this is called). */
void           crm_record_page_set_access   (CrmRecordPage   *self,
                                             const CrmAccess *access);
/* The width the page will get, when known before it is shown: it is laid out in the
 * right number of columns from its first frame. */
void           crm_record_page_set_expected_width (CrmRecordPage *self,
                                                   int            width);
/* The "add a person" chooser of an organisation; for tests. */
GtkWidget     *crm_record_page_get_person_chooser (CrmRecordPage *self);
/* The group listing linked records of @kind, for tests (NULL if none). */
GtkWidget     *crm_record_page_get_links_group    (CrmRecordPage *self,
                                                   CrmEntityKind  kind);

G_END_DECLS

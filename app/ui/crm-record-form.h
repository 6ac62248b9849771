/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "crm-replica.h"

G_BEGIN_DECLS

#define CRM_TYPE_RECORD_FORM (crm_record_form_get_type ())

G_DECLARE_FINAL_TYPE (CrmRecordForm, crm_record_form, CRM, RECORD_FORM, GtkWidget)

/*
 * The fields of one entity, built from its schema table: in view mode rows that read
 * the values, in edit mode entry rows, combo rows with the French labels of enums,
 * switches, text views and record choosers for references. Validation messages show
 * under their field; what was typed stays until the record is set again.
 */
GtkWidget *crm_record_form_new            (CrmReplica      *replica,
                                           CrmEntityKind    kind);
/* Fills both modes from @record (NULL: an empty form for a new record). */
void       crm_record_form_set_record     (CrmRecordForm   *self,
                                           const CrmRecord *record);
void       crm_record_form_set_editing    (CrmRecordForm   *self,
                                           gboolean         editing);
/* Presets a reference field of a new record (the organisation of a new mandat). */
void       crm_record_form_set_reference  (CrmRecordForm   *self,
                                           const char      *field,
                                           const char      *id);
/* What was typed, as a record: every filled field when @base is NULL (a create),
 * otherwise only the fields that differ from @base. Text that cannot be read as its
 * field's type adds a CrmFieldError to @errors. */
CrmRecord *crm_record_form_collect        (CrmRecordForm   *self,
                                           const CrmRecord *base,
                                           GPtrArray       *errors);
/* Shows CrmFieldError messages under their fields (a NULL field: above the form). */
void       crm_record_form_show_errors    (CrmRecordForm   *self,
                                           GPtrArray       *errors);
void       crm_record_form_clear_errors   (CrmRecordForm   *self);
/* The message shown under @field, or NULL; for tests. */
const char *crm_record_form_get_error     (CrmRecordForm   *self,
                                           const char      *field);
/* The edit widget of @field (an AdwEntryRow, AdwComboRow, GtkSwitch...); for tests. */
GtkWidget *crm_record_form_get_editor     (CrmRecordForm   *self,
                                           const char      *field);
void       crm_record_form_focus          (CrmRecordForm   *self);

G_END_DECLS

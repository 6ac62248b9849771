/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-conflict-dialog.h — reviews the conflicts of one record (DESIGN.md §4): for each
 * field, the value this computer sent and the value the server kept, who made that
 * change and when, with "Garder la mienne" (queues the local value again) and
 * "Garder la leur" (closes the conflict). Closes itself once nothing is left.
 */
#pragma once

#include <adwaita.h>

#include "crm-replica.h"

G_BEGIN_DECLS

#define CRM_TYPE_CONFLICT_DIALOG (crm_conflict_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CrmConflictDialog, crm_conflict_dialog, CRM, CONFLICT_DIALOG, AdwWindow)

GtkWidget *crm_conflict_dialog_new             (GtkWindow         *parent,
                                                CrmReplica        *replica,
                                                CrmEntityKind      kind,
                                                const char        *id);
/* Conflicts still shown. */
guint      crm_conflict_dialog_get_n_conflicts (CrmConflictDialog *self);
/* What a click on "Garder la mienne" or "Garder la leur" does (action conflict.keep,
 * parameter (conflict id, keep mine)); FALSE with a message shown if it failed. */
gboolean   crm_conflict_dialog_resolve         (CrmConflictDialog *self,
                                                gint64             cid,
                                                gboolean           keep_mine);

/* A conflict value as a person reads it: enum labels, "(vide)" for nothing. */
char      *crm_conflict_dup_value_text         (const char        *entity,
                                                const char        *field,
                                                const char        *wire);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-inbox-page.h — everything sync left for the user to look at (DESIGN.md §4):
 * records with conflicts (each opens the conflict dialog), changes the server refused
 * (each opens its record, or is dismissed once seen) and edits set aside because their
 * record is no longer shared with the user. Nothing typed disappears unseen.
 */
#pragma once

#include <adwaita.h>

#include "crm-replica.h"

G_BEGIN_DECLS

#define CRM_TYPE_INBOX_PAGE (crm_inbox_page_get_type ())
G_DECLARE_FINAL_TYPE (CrmInboxPage, crm_inbox_page, CRM, INBOX_PAGE, AdwBin)

GtkWidget *crm_inbox_page_new            (CrmReplica   *replica);
/* Reads the replica again. */
void       crm_inbox_page_reload         (CrmInboxPage *self);
guint      crm_inbox_page_get_n_conflicts (CrmInboxPage *self);
guint      crm_inbox_page_get_n_rejections (CrmInboxPage *self);
/* Edits to rows the server no longer shares with the user, one row each: "Apply Again"
 * (once the row is back) or "Give Up". */
guint      crm_inbox_page_get_n_quarantined (CrmInboxPage *self);
gboolean   crm_inbox_page_reapply        (CrmInboxPage *self,
                                          gint64        qid);
gboolean   crm_inbox_page_forget         (CrmInboxPage *self,
                                          gint64        qid);
/* Why the last "Apply Again" could not, or NULL. */
const char *crm_inbox_page_get_quarantine_error (CrmInboxPage *self);
/* What "Ignorer" on a rejection does (action inbox.dismiss, parameter its op id). */
gboolean   crm_inbox_page_dismiss        (CrmInboxPage *self,
                                          const char   *op_id);
/* Opens the conflict dialog of a record (action inbox.review, parameter "entity:id"). */
GtkWidget *crm_inbox_page_review         (CrmInboxPage *self,
                                          CrmEntityKind kind,
                                          const char   *id);

G_END_DECLS

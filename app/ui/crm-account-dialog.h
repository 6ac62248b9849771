/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-account-dialog.h — how the app is used: "Utiliser localement" (the replica
 * alone, no account) or "Se connecter à un serveur" (address, e-mail, password).
 * Signing in goes through the sync engine; a certificate the system does not trust
 * is explained in plain French, and every refusal is shown in the dialog itself.
 */
#pragma once

#include <adwaita.h>

#include "crm-sync-engine.h"

G_BEGIN_DECLS

#define CRM_TYPE_ACCOUNT_DIALOG (crm_account_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CrmAccountDialog, crm_account_dialog, CRM, ACCOUNT_DIALOG, AdwWindow)

/* @first_run: start on the choice; otherwise straight on the sign-in form. Emits
 * "chose-local", or "signed-in" (CrmSyncEngine, signed in) and closes. */
GtkWidget *crm_account_dialog_new              (GtkWindow        *parent,
                                                CrmReplica       *replica,
                                                CrmTokenStore    *tokens,
                                                gboolean          first_run);
/* Trust these certificates instead of the system's (a private CA). */
void       crm_account_dialog_set_tls_database (CrmAccountDialog *self,
                                                GTlsDatabase     *database);
void       crm_account_dialog_set_server_url   (CrmAccountDialog *self,
                                                const char       *url);
/* What the "Se connecter" button does with the form's values. */
void       crm_account_dialog_sign_in          (CrmAccountDialog *self,
                                                const char       *url,
                                                const char       *email,
                                                const char       *password);
/* The message shown under the form, or NULL. */
const char *crm_account_dialog_get_error       (CrmAccountDialog *self);
gboolean   crm_account_dialog_is_busy          (CrmAccountDialog *self);

/* A certificate problem (GTlsCertificateFlags) as a sentence a person understands. */
char      *crm_account_describe_certificate    (GTlsCertificateFlags flags);

G_END_DECLS

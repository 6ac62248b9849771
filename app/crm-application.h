/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "crm-replica.h"
#include "crm-sync-engine.h"
#include "crm-token-store.h"

G_BEGIN_DECLS

/* One schema id for both profiles, as GNOME apps do: the Devel build shares preferences. */
#define CRM_SETTINGS_SCHEMA_ID "fr.alforis.Crm"

#define CRM_TYPE_APPLICATION (crm_application_get_type ())

G_DECLARE_FINAL_TYPE (CrmApplication, crm_application, CRM, APPLICATION, AdwApplication)

CrmApplication *crm_application_new         (void);
/* The replica the application opened at activation, or NULL if it could not. */
CrmReplica     *crm_application_get_replica (CrmApplication *self);

/* The "account-mode" setting. */
typedef enum
{
  CRM_ACCOUNT_UNSET,
  CRM_ACCOUNT_LOCAL,
  CRM_ACCOUNT_SERVER,
} CrmAccountMode;

/* The first-run choice (@first_run) or the sign-in form; returns the CrmAccountDialog. */
GtkWidget      *crm_application_show_account_dialog (CrmApplication *self,
                                                     gboolean        first_run);
/* The engine syncing with the server signed in to, or NULL when local only. */
CrmSyncEngine  *crm_application_get_engine  (CrmApplication *self);
/* Signs out: the session leaves the keyring, the local data and unsent changes stay. */
void            crm_application_logout      (CrmApplication *self);
/* Where sessions are kept (the keyring by default); tests, which have no keyring, give
 * a file store before signing in. */
void            crm_application_set_token_store (CrmApplication *self,
                                                 CrmTokenStore  *tokens);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "crm-replica.h"

G_BEGIN_DECLS

/* One schema id for both profiles, as GNOME apps do: the Devel build shares preferences. */
#define CRM_SETTINGS_SCHEMA_ID "fr.alforis.Crm"

#define CRM_TYPE_APPLICATION (crm_application_get_type ())

G_DECLARE_FINAL_TYPE (CrmApplication, crm_application, CRM, APPLICATION, AdwApplication)

CrmApplication *crm_application_new         (void);
/* The replica the application opened at activation, or NULL if it could not. */
CrmReplica     *crm_application_get_replica (CrmApplication *self);

G_END_DECLS

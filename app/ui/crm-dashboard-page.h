/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "crm-replica.h"

G_BEGIN_DECLS

#define CRM_TYPE_DASHBOARD_PAGE (crm_dashboard_page_get_type ())

G_DECLARE_FINAL_TYPE (CrmDashboardPage, crm_dashboard_page, CRM, DASHBOARD_PAGE, AdwBin)

/* The "Tableau de bord": organisations per pipeline stage, the current user's tasks due
 * today and overdue, mandats ending within 60 days and the latest interactions. Emits
 * ::open-record (CrmEntityKind, id) when the user activates one of them. */
GtkWidget *crm_dashboard_page_new    (CrmReplica       *replica);
/* The same, reading the replica only once its first frame is drawn: a window opening on
 * the dashboard shows up without waiting for its figures. */
GtkWidget *crm_dashboard_page_new_lazy (CrmReplica     *replica);
/* Reads the replica again, after writes made elsewhere. */
void       crm_dashboard_page_reload (CrmDashboardPage *page);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "crm-replica.h"

G_BEGIN_DECLS

#define CRM_TYPE_TASKS_PAGE (crm_tasks_page_get_type ())

G_DECLARE_FINAL_TYPE (CrmTasksPage, crm_tasks_page, CRM, TASKS_PAGE, AdwBin)

/* The current user's open tasks grouped by due date (overdue, today, tomorrow, this
 * week, later, no due date). A check button marks a task done through
 * crm_replica_update(); an undo toast follows when the page sits in an AdwToastOverlay,
 * otherwise ::task-done (id, previous status) lets the window offer one.
 * Emits ::open-record (CrmEntityKind, id) when a task is activated. */
GtkWidget *crm_tasks_page_new    (CrmReplica   *replica);
/* Reads the replica again, after writes made elsewhere. */
void       crm_tasks_page_reload (CrmTasksPage *page);
/* FALSE (a role that may not change tasks): the tasks are listed without check buttons. */
void       crm_tasks_page_set_can_complete (CrmTasksPage *self,
                                            gboolean      can_complete);
gboolean   crm_tasks_page_get_can_complete (CrmTasksPage *self);

G_END_DECLS

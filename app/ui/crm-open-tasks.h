/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-open-tasks.h — the current user's open tasks (to do or in progress) due within a
 * range, for the dashboard and the tasks page.
 *
 * The replica's filters are ANDed and have no IN: "open" is read as two queries, one per
 * status, each served by the (assignee, status, due date) index in a few milliseconds
 * at a million rows, where "not done and not cancelled" scans every task of the user.
 */
#pragma once

#include "crm-replica.h"

G_BEGIN_DECLS

typedef enum
{
  CRM_OPEN_TASKS_DUE,       /* due in [since, until); a NULL bound is open */
  CRM_OPEN_TASKS_NO_DATE,   /* without a due date (since and until ignored) */
} CrmOpenTasksRange;

/* Tasks of the replica's user (all tasks on a replica with no user: the single-user
 * local CRM), -1 on error. */
gint64     crm_open_tasks_count (CrmReplica        *replica,
                                 CrmOpenTasksRange  range,
                                 const char        *since,
                                 const char        *until,
                                 GError           **error);
/* The first @limit of them (CrmRecord*), by due date (latest first when @descending),
 * or newest first without a due date. */
GPtrArray *crm_open_tasks_list  (CrmReplica        *replica,
                                 CrmOpenTasksRange  range,
                                 const char        *since,
                                 const char        *until,
                                 gboolean           descending,
                                 guint              limit,
                                 GError           **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-open-tasks"

#include "config.h"

#include <string.h>

#include "crm-open-tasks.h"

static const char *const open_statuses[] = { "todo", "in_progress" };

static CrmReplicaQuery *
query_new (CrmReplica        *replica,
           const char        *status,
           CrmOpenTasksRange  range,
           const char        *since,
           const char        *until)
{
  CrmReplicaQuery *query = crm_replica_query_new (CRM_ENTITY_TASK);
  const char *user = crm_replica_get_user_id (replica);

  if (user != NULL)
    crm_replica_query_filter (query, "assignee_id", CRM_REPLICA_EQ, user);
  crm_replica_query_filter (query, "status", CRM_REPLICA_EQ, status);

  if (range == CRM_OPEN_TASKS_NO_DATE)
    {
      crm_replica_query_filter (query, "due_at", CRM_REPLICA_IS_NULL, NULL);
      crm_replica_query_sort (query, "created_at", TRUE);
      return query;
    }

  crm_replica_query_filter (query, "due_at", CRM_REPLICA_NOT_NULL, NULL);
  if (since != NULL)
    crm_replica_query_filter (query, "due_at", CRM_REPLICA_GE, since);
  if (until != NULL)
    crm_replica_query_filter (query, "due_at", CRM_REPLICA_LT, until);

  return query;
}

gint64
crm_open_tasks_count (CrmReplica        *replica,
                      CrmOpenTasksRange  range,
                      const char        *since,
                      const char        *until,
                      GError           **error)
{
  gint64 total = 0;

  for (guint i = 0; i < G_N_ELEMENTS (open_statuses); i++)
    {
      g_autoptr(CrmReplicaQuery) query = query_new (replica, open_statuses[i], range, since, until);
      gint64 n = crm_replica_count (replica, query, error);

      if (n < 0)
        return -1;
      total += n;
    }

  return total;
}

static const char *
sort_key (CrmRecord         *task,
          CrmOpenTasksRange  range)
{
  const char *key = crm_record_get_string (task, range == CRM_OPEN_TASKS_NO_DATE ? "created_at"
                                                                                : "due_at");

  return key != NULL ? key : "";
}

GPtrArray *
crm_open_tasks_list (CrmReplica        *replica,
                     CrmOpenTasksRange  range,
                     const char        *since,
                     const char        *until,
                     gboolean           descending,
                     guint              limit,
                     GError           **error)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) merged = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_record_unref);
  guint next[G_N_ELEMENTS (open_statuses)] = { 0, };

  if (range == CRM_OPEN_TASKS_NO_DATE)
    descending = TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (open_statuses); i++)
    {
      g_autoptr(CrmReplicaQuery) query = query_new (replica, open_statuses[i], range, since, until);
      GPtrArray *part;

      if (range != CRM_OPEN_TASKS_NO_DATE)
        crm_replica_query_sort (query, "due_at", descending);
      crm_replica_query_set_limit (query, limit);
      part = crm_replica_list (replica, query, NULL, error);
      if (part == NULL)
        return NULL;
      g_ptr_array_add (parts, part);
    }

  /* Each part is sorted: merge them, keeping the first @limit. Ties go to "todo". */
  while (merged->len < limit)
    {
      GPtrArray *best_part = NULL;
      int best = -1;

      for (guint i = 0; i < parts->len; i++)
        {
          GPtrArray *part = g_ptr_array_index (parts, i);
          int cmp;

          if (next[i] >= part->len)
            continue;
          if (best < 0)
            {
              best = (int) i;
              best_part = part;
              continue;
            }
          cmp = strcmp (sort_key (g_ptr_array_index (part, next[i]), range),
                        sort_key (g_ptr_array_index (best_part, next[best]), range));
          if (descending ? cmp > 0 : cmp < 0)
            {
              best = (int) i;
              best_part = part;
            }
        }
      if (best < 0)
        break;
      g_ptr_array_add (merged, crm_record_ref (g_ptr_array_index (best_part, next[best]++)));
    }

  return g_steal_pointer (&merged);
}

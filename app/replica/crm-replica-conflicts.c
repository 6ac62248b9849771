/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-replica"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-replica-private.h"
#include "crm-replica-sync.h"

/*
 * Conflicts and the server's records of them (issue 5): each local conflict keeps the
 * id of its server record, so the author's choice can close that record and a record
 * delivered again is recognised.
 */

gboolean
crm_replica_add_server_conflict (CrmReplica               *self,
                                 const CrmReplicaConflict *conflict,
                                 const char               *op_id,
                                 const char               *server_id,
                                 GError                  **error)
{
  CRM_REPLICA_LOCKED (self);
  sqlite3_stmt *stmt;
  gboolean known, own;
  int rc;

  g_return_val_if_fail (CRM_IS_REPLICA (self), FALSE);
  g_return_val_if_fail (server_id != NULL, FALSE);

  if (!crm_replica_check_open (self, error))
    return FALSE;
  /* Resolved here or not: a record comes once (a push reply and the next page both
   * carry it, an epoch re-sync brings every open one again). */
  stmt = crm_replica_prepare (self, "SELECT 1 FROM conflicts WHERE server_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, server_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  known = rc == SQLITE_ROW;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      crm_replica_set_sqlite_error (self, rc, error);
      return FALSE;
    }
  if (known)
    return TRUE;

  /* The record and its id together; inside an initial load, in the load's transaction
   * (all or nothing with it). */
  own = !self->loading;
  if (own && !crm_replica_begin (self, error))
    return FALSE;
  if (!crm_replica_add_conflict (self, conflict, op_id, error))
    goto failed;
  stmt = crm_replica_prepare (self, "UPDATE conflicts SET server_id = ? WHERE cid = "
                                    "last_insert_rowid ()", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, server_id, -1, SQLITE_TRANSIENT);
  if (!crm_replica_step_done (self, stmt, error))
    goto failed;
  return !own || crm_replica_commit (self, error);

failed:
  if (own)
    crm_replica_rollback (self);
  return FALSE;
}

GPtrArray *
crm_replica_list_unreported_resolutions (CrmReplica *self,
                                         GError    **error)
{
  CRM_REPLICA_LOCKED (self);
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CRM_IS_REPLICA (self), NULL);

  if (!crm_replica_check_open (self, error))
    return NULL;
  stmt = crm_replica_prepare (self, "SELECT server_id FROM conflicts WHERE resolved = 1 AND "
                                    "reported = 0 AND server_id IS NOT NULL ORDER BY cid", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_replica_set_sqlite_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&ids);
}

gboolean
crm_replica_mark_resolution_reported (CrmReplica *self,
                                      const char *server_id,
                                      GError    **error)
{
  CRM_REPLICA_LOCKED (self);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CRM_IS_REPLICA (self), FALSE);

  if (!crm_replica_check_open (self, error))
    return FALSE;
  stmt = crm_replica_prepare (self, "UPDATE conflicts SET reported = 1 WHERE server_id = ?",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, server_id, -1, SQLITE_TRANSIENT);
  return crm_replica_step_done (self, stmt, error);
}

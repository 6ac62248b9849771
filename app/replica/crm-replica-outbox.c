/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-replica"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-replica-private.h"
#include "crm-time.h"

/*
 * The sync engine's side of the outbox (DESIGN.md §4): read the queue in order,
 * mark what was sent, and settle each op with the server's answer. Each settle is
 * one transaction, so a kill between two answers loses neither.
 */

void
crm_outbox_op_free (CrmOutboxOp *op)
{
  if (op == NULL)
    return;
  g_free (op->op_id);
  g_free (op->row_id);
  g_free (op->kind);
  g_free (op->fields);
  g_free (op);
}

GPtrArray *
crm_replica_outbox_peek (CrmReplica *self,
                         guint       limit,
                         GError    **error)
{
  CRM_REPLICA_LOCKED (self);
  g_autoptr(GPtrArray) ops = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CRM_IS_REPLICA (self), NULL);

  stmt = crm_replica_prepare (self, "SELECT seq, op_id, entity, row_id, kind, base_version, "
                                    "fields, in_flight, attempts FROM outbox ORDER BY seq LIMIT ?",
                              error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit == 0 ? G_MAXINT64 : (gint64) limit);

  ops = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_outbox_op_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CrmOutboxOp *op = g_new0 (CrmOutboxOp, 1);
      const CrmEntityInfo *entity = crm_entity_lookup ((const char *)sqlite3_column_text (stmt, 2));

      op->seq = sqlite3_column_int64 (stmt, 0);
      op->op_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      op->entity = entity != NULL ? entity->name : "unknown";
      op->row_id = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      op->kind = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      op->base_version = sqlite3_column_int64 (stmt, 5);
      op->fields = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
      op->in_flight = sqlite3_column_int (stmt, 7) != 0;
      op->attempts = sqlite3_column_int (stmt, 8);
      g_ptr_array_add (ops, op);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_replica_set_sqlite_error (self, rc, error);
      return NULL;
    }

  return g_steal_pointer (&ops);
}

static gint64
count_of (CrmReplica *self,
          const char *sql,
          GError    **error)
{
  sqlite3_stmt *stmt = crm_replica_prepare (self, sql, error);
  gint64 n = -1;
  int rc;

  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  else
    crm_replica_set_sqlite_error (self, rc, error);
  sqlite3_reset (stmt);

  return n;
}

gint64
crm_replica_outbox_count (CrmReplica *self,
                          GError    **error)
{
  CRM_REPLICA_LOCKED (self);

  g_return_val_if_fail (CRM_IS_REPLICA (self), -1);
  return count_of (self, "SELECT count (*) FROM outbox", error);
}

gint64
crm_replica_rejection_count (CrmReplica *self,
                             GError    **error)
{
  CRM_REPLICA_LOCKED (self);

  g_return_val_if_fail (CRM_IS_REPLICA (self), -1);
  return count_of (self, "SELECT count (*) FROM rejections WHERE dismissed = 0", error);
}

/* Runs @sql with @op_id as ?1 (and @text as ?2 when given); NOT_FOUND if it
 * touched nothing. */
static gboolean
settle (CrmReplica *self,
        const char *sql,
        const char *op_id,
        const char *text,
        GError    **error)
{
  sqlite3_stmt *stmt = crm_replica_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, op_id, -1, SQLITE_TRANSIENT);
  if (text != NULL)
    sqlite3_bind_text (stmt, 2, text, -1, SQLITE_TRANSIENT);
  if (!crm_replica_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_NOT_FOUND,
                   _("Cette opération n’est plus dans la file d’envoi."));
      return FALSE;
    }
  return TRUE;
}

gboolean
crm_replica_outbox_mark_sent (CrmReplica *self,
                              const char *op_id,
                              GError    **error)
{
  CRM_REPLICA_LOCKED (self);

  g_return_val_if_fail (CRM_IS_REPLICA (self), FALSE);
  return settle (self, "UPDATE outbox SET in_flight = 1, attempts = attempts + 1 WHERE op_id = ?",
                 op_id, NULL, error);
}

gboolean
crm_replica_outbox_retry_later (CrmReplica *self,
                                const char *op_id,
                                const char *reason,
                                GError    **error)
{
  CRM_REPLICA_LOCKED (self);

  g_return_val_if_fail (CRM_IS_REPLICA (self), FALSE);
  /* attempts stays > 0: a sent op is never coalesced again (see outbox_append). */
  return settle (self, "UPDATE outbox SET in_flight = 0, attempts = max (attempts, 1), "
                       "last_error = ?2 WHERE op_id = ?1",
                 op_id, reason != NULL ? reason : "", error);
}

gboolean
crm_replica_outbox_applied_in_transaction (CrmReplica *self,
                                           const char *op_id,
                                           gint64      version,
                                           GError    **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *entity_name = NULL;
  g_autofree char *row_id = NULL;
  const CrmEntityInfo *entity;
  int rc;

  stmt = crm_replica_prepare (self, "SELECT entity, row_id FROM outbox WHERE op_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, op_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      entity_name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      row_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_NOT_FOUND,
                     _("Cette opération n’est plus dans la file d’envoi."));
      else
        crm_replica_set_sqlite_error (self, rc, error);
      return FALSE;
    }

  entity = crm_entity_lookup (entity_name);
  if (entity != NULL && (guint) entity->kind < CRM_REPLICA_N_KINDS)
    {
      /* The SQL text comes from the static schema table, never from the network. */
      g_autofree char *sql = g_strdup_printf ("UPDATE %s SET version = max (version, ?) "
                                              "WHERE id = ?", entity->collection);

      stmt = crm_replica_prepare (self, sql, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, version);
      sqlite3_bind_text (stmt, 2, row_id, -1, SQLITE_TRANSIENT);
      if (!crm_replica_step_done (self, stmt, error))
        return FALSE;
    }

  return settle (self, "DELETE FROM outbox WHERE op_id = ?", op_id, NULL, error);
}

gboolean
crm_replica_outbox_applied (CrmReplica *self,
                            const char *op_id,
                            gint64      version,
                            GError    **error)
{
  CRM_REPLICA_LOCKED (self);

  g_return_val_if_fail (CRM_IS_REPLICA (self), FALSE);

  if (!crm_replica_begin (self, error))
    return FALSE;
  if (!crm_replica_outbox_applied_in_transaction (self, op_id, version, error))
    {
      crm_replica_rollback (self);
      return FALSE;
    }
  return crm_replica_commit (self, error);
}

gboolean
crm_replica_outbox_reject (CrmReplica *self,
                           const char *op_id,
                           const char *problem_json,
                           GError    **error)
{
  CRM_REPLICA_LOCKED (self);
  g_autofree char *now = crm_time_now ();
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CRM_IS_REPLICA (self), FALSE);

  if (!crm_replica_begin (self, error))
    return FALSE;

  stmt = crm_replica_prepare (self,
                              "INSERT OR REPLACE INTO rejections (op_id, entity, row_id, kind, "
                              "base_version, fields, problem, rejected_at) "
                              "SELECT op_id, entity, row_id, kind, base_version, fields, ?2, ?3 "
                              "FROM outbox WHERE op_id = ?1", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, op_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, problem_json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);
  if (!crm_replica_step_done (self, stmt, error))
    goto failed;

  if (!settle (self, "DELETE FROM outbox WHERE op_id = ?", op_id, NULL, error))
    goto failed;

  return crm_replica_commit (self, error);

failed:
  crm_replica_rollback (self);
  return FALSE;
}

void
crm_replica_rejection_free (CrmReplicaRejection *rejection)
{
  if (rejection == NULL)
    return;
  g_free (rejection->op.op_id);
  g_free (rejection->op.row_id);
  g_free (rejection->op.kind);
  g_free (rejection->op.fields);
  g_free (rejection->problem);
  g_free (rejection->rejected_at);
  g_free (rejection);
}

GPtrArray *
crm_replica_list_rejections (CrmReplica *self,
                             GError    **error)
{
  CRM_REPLICA_LOCKED (self);
  g_autoptr(GPtrArray) rejections = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CRM_IS_REPLICA (self), NULL);

  stmt = crm_replica_prepare (self, "SELECT jid, op_id, entity, row_id, kind, base_version, "
                                    "fields, problem, rejected_at FROM rejections "
                                    "WHERE dismissed = 0 ORDER BY jid", error);
  if (stmt == NULL)
    return NULL;

  rejections = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_replica_rejection_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CrmReplicaRejection *r = g_new0 (CrmReplicaRejection, 1);
      const CrmEntityInfo *entity = crm_entity_lookup ((const char *) sqlite3_column_text (stmt, 2));

      r->op.seq = sqlite3_column_int64 (stmt, 0);
      r->op.op_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      r->op.entity = entity != NULL ? entity->name : "unknown";
      r->op.row_id = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      r->op.kind = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      r->op.base_version = sqlite3_column_int64 (stmt, 5);
      r->op.fields = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
      r->problem = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
      r->rejected_at = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
      g_ptr_array_add (rejections, r);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_replica_set_sqlite_error (self, rc, error);
      return NULL;
    }

  return g_steal_pointer (&rejections);
}

gboolean
crm_replica_dismiss_rejection (CrmReplica *self,
                               const char *op_id,
                               GError    **error)
{
  CRM_REPLICA_LOCKED (self);

  g_return_val_if_fail (CRM_IS_REPLICA (self), FALSE);
  return settle (self, "UPDATE rejections SET dismissed = 1 WHERE op_id = ? AND dismissed = 0",
                 op_id, NULL, error);
}

gboolean
crm_replica_get_sync_position (CrmReplica *self,
                               gint64     *cursor,
                               gint64     *epoch,
                               GError    **error)
{
  CRM_REPLICA_LOCKED (self);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CRM_IS_REPLICA (self), FALSE);

  stmt = crm_replica_prepare (self, "SELECT cursor, epoch FROM sync_state WHERE singleton = 1",
                              error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      if (cursor != NULL)
        *cursor = sqlite3_column_int64 (stmt, 0);
      if (epoch != NULL)
        *epoch = sqlite3_column_int64 (stmt, 1);
    }
  else
    crm_replica_set_sqlite_error (self, rc, error);
  sqlite3_reset (stmt);

  return rc == SQLITE_ROW;
}

gboolean
crm_replica_set_sync_position (CrmReplica *self,
                               gint64      cursor,
                               gint64      epoch,
                               GError    **error)
{
  CRM_REPLICA_LOCKED (self);
  g_autofree char *now = crm_time_now ();
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CRM_IS_REPLICA (self), FALSE);

  stmt = crm_replica_prepare (self, "UPDATE sync_state SET cursor = ?, epoch = ?, "
                                    "last_pull_at = ? WHERE singleton = 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, cursor);
  sqlite3_bind_int64 (stmt, 2, epoch);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);

  return crm_replica_step_done (self, stmt, error);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-sync"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-json.h"
#include "crm-replica-private.h"
#include "crm-sync-engine-private.h"

/*
 * What the engine needs of the replica beyond its public API, on the replica thread:
 * ops taken for a push, conflicts recorded once, a settled op whose row must come again,
 * and the sweep at the end of an epoch re-sync.
 */

/* A conflict value (JSON) in the replica's wire text, or NULL for null. */
static char *
value_text (const CrmEntityInfo *entity,
            const char          *field,
            JsonNode            *value)
{
  g_autoptr (JsonObject) object = json_object_new ();
  g_autoptr (CrmRecord) record = NULL;

  if (value == NULL || JSON_NODE_HOLDS_NULL (value) || field == NULL)
    return NULL;
  json_object_set_member (object, field, json_node_copy (value));
  record = crm_record_from_json (entity, object, CRM_JSON_NONE, NULL);
  return record != NULL ? crm_record_dup_text (record, field) : NULL;
}

gboolean
crm_sync_apply_conflict (CrmReplica  *replica,
                         JsonObject  *conflict,
                         const char  *op_id,
                         GError     **error)
{
  const CrmEntityInfo *entity =
    crm_entity_lookup (json_object_get_string_member_with_default (conflict, "entity", ""));
  const char *id = json_object_get_string_member_with_default (conflict, "id", NULL);
  const char *field = json_object_get_string_member_with_default (conflict, "field", NULL);
  g_autoptr (GPtrArray) existing = NULL;
  g_autofree char *mine = NULL;
  g_autofree char *theirs = NULL;
  CrmReplicaConflict record = { 0 };
  g_autoptr (GError) local_error = NULL;
  const char *server_id;

  if (entity == NULL || id == NULL || (guint) entity->kind >= CRM_REPLICA_N_KINDS)
    return TRUE;
  if (field != NULL && crm_entity_field (entity, field) == NULL)
    return TRUE;
  mine = value_text (entity, field, json_object_get_member (conflict, "mine"));
  theirs = value_text (entity, field, json_object_get_member (conflict, "theirs"));

  record.entity = entity->name;
  record.row_id = (char *) id;
  record.field = (char *) field;
  record.kind = (char *) json_object_get_string_member_with_default (conflict, "kind", "field");
  record.mine = mine;
  record.theirs = theirs;
  record.by = (char *) json_object_get_string_member_with_default (conflict, "theirs_by", NULL);
  record.at = (char *) json_object_get_string_member_with_default (conflict, "at", NULL);

  /* With the server's id: recognised by it, resolved here or not. */
  server_id = json_object_get_string_member_with_default (conflict, "conflict_id", NULL);
  if (server_id != NULL)
    {
      if (!crm_replica_add_server_conflict (replica, &record, op_id, server_id, &local_error))
        {
          if (g_error_matches (local_error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_INVALID))
            return TRUE;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      return TRUE;
    }

  /* The push reply and the next pull both carry it (and a re-sync from 0 again). */
  existing = crm_replica_list_conflicts (replica, entity->kind, id, error);
  if (existing == NULL)
    return FALSE;
  for (guint i = 0; i < existing->len; i++)
    {
      CrmReplicaConflict *other = g_ptr_array_index (existing, i);

      if (g_strcmp0 (other->field, field) == 0 && g_strcmp0 (other->mine, mine) == 0
          && g_strcmp0 (other->theirs, theirs) == 0)
        return TRUE;
    }

  if (!crm_replica_add_conflict (replica, &record, op_id, &local_error))
    {
      /* A conflict on a row this replica no longer holds, or a field it does not know:
       * nothing to show it on. */
      if (g_error_matches (local_error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_INVALID))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
crm_sync_take_ops (CrmReplica  *replica,
                   guint        limit,
                   GError     **error)
{
  CRM_REPLICA_LOCKED (replica);
  g_autoptr (GPtrArray) ops = NULL;

  if (!crm_replica_check_open (replica, error) || !crm_replica_begin (replica, error))
    return NULL;
  ops = crm_replica_outbox_peek (replica, limit, error);
  if (ops == NULL)
    goto failed;
  for (guint i = 0; i < ops->len; i++)
    {
      CrmOutboxOp *op = g_ptr_array_index (ops, i);

      if (!crm_replica_outbox_mark_sent (replica, op->op_id, error))
        goto failed;
    }
  if (!crm_replica_commit (replica, error))
    return NULL;
  return g_steal_pointer (&ops);

failed:
  crm_replica_rollback (replica);
  return NULL;
}

/* crm_sync_settle_refetch () inside the caller's transaction. */
static gboolean
refetch_in_tx (CrmReplica          *replica,
               const char          *op_id,
               const CrmEntityInfo *entity,
               const char          *id,
               gint64               version,
               GError             **error)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;

  stmt = crm_replica_prepare (replica, "DELETE FROM outbox WHERE op_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, op_id, -1, SQLITE_TRANSIENT);
  if (!crm_replica_step_done (replica, stmt, error))
    return FALSE;
  if (version <= 0)
    return TRUE;

  /* The SQL text comes from the static schema table, never from the network. */
  sql = g_strdup_printf ("UPDATE %s SET version = min (version, ?) WHERE id = ?",
                         entity->collection);
  stmt = crm_replica_prepare (replica, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, version - 1);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_TRANSIENT);
  if (!crm_replica_step_done (replica, stmt, error))
    return FALSE;

  stmt = crm_replica_prepare (replica, "UPDATE sync_state SET cursor = min (cursor, ?) "
                                       "WHERE singleton = 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, version - 1);
  return crm_replica_step_done (replica, stmt, error);
}

gboolean
crm_sync_settle_refetch (CrmReplica    *replica,
                         const char    *op_id,
                         CrmEntityKind  kind,
                         const char    *id,
                         gint64         version,
                         GError       **error)
{
  CRM_REPLICA_LOCKED (replica);
  const CrmEntityInfo *entity = crm_replica_entity (kind, error);

  if (entity == NULL || !crm_replica_check_open (replica, error)
      || !crm_replica_begin (replica, error))
    return FALSE;
  if (!refetch_in_tx (replica, op_id, entity, id, version, error))
    {
      crm_replica_rollback (replica);
      return FALSE;
    }
  return crm_replica_commit (replica, error);
}

/* ---- a batch's results in one transaction ------------------------------------------ */

/*
 * A push batch of 100 ops settled op by op was 100 SQLite transactions, each with its
 * fsync (synchronous=FULL): most of the app's share of a push. Its applied and merged
 * results now settle in one transaction, in their order; the rarer ones that write
 * through the replica's own API (a rejection, conflict records) close it first.
 */
gboolean
crm_sync_settle_batch_begin (CrmReplica  *replica,
                             GError     **error)
{
  /* Held until the batch ends: another thread's write must not land inside it. */
  g_rec_mutex_lock (&replica->lock);
  if (crm_replica_check_open (replica, error) && crm_replica_begin (replica, error))
    return TRUE;
  g_rec_mutex_unlock (&replica->lock);
  return FALSE;
}

gboolean
crm_sync_settle_batch_end (CrmReplica  *replica,
                           gboolean     commit,
                           GError     **error)
{
  gboolean ok = TRUE;

  if (commit)
    ok = crm_replica_commit (replica, error);
  else
    crm_replica_rollback (replica);
  g_rec_mutex_unlock (&replica->lock);
  return ok;
}

gboolean
crm_sync_settle_in_batch (CrmReplica          *replica,
                          const char          *op_id,
                          gboolean             applied,
                          const CrmEntityInfo *entity,
                          const char          *id,
                          gint64               version,
                          GError             **error)
{
  if (entity == NULL || id == NULL || (guint) entity->kind >= CRM_REPLICA_N_KINDS)
    return crm_replica_outbox_applied_in_transaction (replica, op_id, 0, error);

  if (applied)
    {
      /* Our row is the server's at @version, unless a page brought a newer version while
       * the op held its fields: then those fields must come again (below). */
      g_autofree char *sql = g_strdup_printf ("SELECT version FROM %s WHERE id = ?",
                                              entity->collection);
      sqlite3_stmt *stmt = crm_replica_prepare (replica, sql, error);
      gboolean newer = FALSE;
      int rc;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        newer = sqlite3_column_int64 (stmt, 0) >= version;
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          crm_replica_set_sqlite_error (replica, rc, error);
          return FALSE;
        }
      if (!newer)
        return crm_replica_outbox_applied_in_transaction (replica, op_id, version, error);
    }
  return refetch_in_tx (replica, op_id, entity, id, version, error);
}

gint64
crm_sync_count_conflicts (CrmReplica *replica)
{
  gint64 n = 0;

  for (guint k = 0; k < CRM_REPLICA_N_KINDS; k++)
    {
      g_autoptr (GPtrArray) conflicts = crm_replica_list_conflicts (replica, k, NULL, NULL);

      if (conflicts != NULL)
        n += conflicts->len;
    }
  return n;
}

gboolean
crm_sync_load_revoke (CrmReplica             *replica,
                      const CrmReplicaRevoke *revokes,
                      guint                   n_revokes,
                      GError                **error)
{
  CRM_REPLICA_LOCKED (replica);

  /* Inside the load's transaction (no BEGIN: it is open), where the entity tables have
   * no triggers: what is deleted here never reaches the indexes built at its commit.
   * The outbox is empty during a load, so there is nothing to quarantine. */
  if (!crm_replica_is_loading (replica))
    {
      g_set_error_literal (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_REPLICA,
                           _("Le chargement initial a été interrompu : recommencez-le."));
      return FALSE;
    }
  for (guint i = 0; i < n_revokes; i++)
    {
      const CrmEntityInfo *entity = crm_replica_entity (revokes[i].kind, error);
      g_autofree char *sql = NULL;
      sqlite3_stmt *stmt;

      if (entity == NULL)
        return FALSE;
      /* The SQL text comes from the static schema table, never from the network. */
      sql = g_strdup_printf ("DELETE FROM %s WHERE id = ?", entity->collection);
      stmt = crm_replica_prepare (replica, sql, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, revokes[i].id, -1, SQLITE_TRANSIENT);
      if (!crm_replica_step_done (replica, stmt, error))
        return FALSE;
      stmt = crm_replica_prepare (replica, "DELETE FROM conflicts WHERE entity = ? AND row_id = ?",
                                  error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, entity->name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, revokes[i].id, -1, SQLITE_TRANSIENT);
      if (!crm_replica_step_done (replica, stmt, error))
        return FALSE;
    }
  return TRUE;
}

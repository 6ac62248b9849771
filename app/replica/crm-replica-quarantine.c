/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-replica"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "crm-json.h"
#include "crm-replica-private.h"
#include "crm-replica-sync.h"

/*
 * Quarantined edits (DESIGN.md §4): local ops on rows the server took out of this
 * user's view while they waited. They are never dropped; the inbox lists them, and
 * the user gives one up or applies it again once the row is back.
 */

void
crm_replica_quarantined_free (CrmReplicaQuarantined *item)
{
  if (item == NULL)
    return;
  g_free (item->op_id);
  g_free (item->row_id);
  g_free (item->kind);
  g_free (item->fields);
  g_free (item->row_data);
  g_free (item->reason);
  g_free (item->why);
  g_free (item->quarantined_at);
  g_free (item);
}

static char *
describe_reason (const char *reason)
{
  if (g_strcmp0 (reason, "revoked") == 0)
    return g_strdup (_("Cette fiche ne vous est plus visible (réattribuée ou sortie de votre "
                       "équipe) : votre modification n’a pas pu être envoyée."));
  return g_strdup (_("Votre modification n’a pas pu être envoyée."));
}

static char *
dup_column (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static CrmReplicaQuarantined *
read_item (sqlite3_stmt *stmt)
{
  CrmReplicaQuarantined *item = g_new0 (CrmReplicaQuarantined, 1);
  const CrmEntityInfo *entity = crm_entity_lookup ((const char *) sqlite3_column_text (stmt, 2));

  item->qid = sqlite3_column_int64 (stmt, 0);
  item->op_id = dup_column (stmt, 1);
  item->entity = entity != NULL ? entity->name : NULL;
  item->row_id = dup_column (stmt, 3);
  item->kind = dup_column (stmt, 4);
  item->fields = dup_column (stmt, 5);
  item->row_data = dup_column (stmt, 6);
  item->reason = dup_column (stmt, 7);
  item->why = describe_reason (item->reason);
  item->quarantined_at = dup_column (stmt, 8);
  return item;
}

#define QUARANTINE_COLUMNS \
  "qid, op_id, entity, row_id, kind, fields, row_data, reason, quarantined_at"

GPtrArray *
crm_replica_list_quarantined (CrmReplica *self,
                              GError    **error)
{
  CRM_REPLICA_LOCKED (self);
  g_autoptr (GPtrArray) items = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CRM_IS_REPLICA (self), NULL);

  if (!crm_replica_check_open (self, error))
    return NULL;
  stmt = crm_replica_prepare (self, "SELECT " QUARANTINE_COLUMNS " FROM quarantine ORDER BY qid",
                              error);
  if (stmt == NULL)
    return NULL;
  items = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_replica_quarantined_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CrmReplicaQuarantined *item = read_item (stmt);

      /* An entity this version does not know (a newer app wrote it): not shown. */
      if (item->entity == NULL)
        crm_replica_quarantined_free (item);
      else
        g_ptr_array_add (items, item);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_replica_set_sqlite_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&items);
}

static CrmReplicaQuarantined *
get_item (CrmReplica *self,
          gint64      qid,
          GError    **error)
{
  sqlite3_stmt *stmt = crm_replica_prepare (self, "SELECT " QUARANTINE_COLUMNS " FROM quarantine"
                                                  " WHERE qid = ?", error);
  CrmReplicaQuarantined *item = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, qid);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    item = read_item (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    g_set_error_literal (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_NOT_FOUND,
                         _("Cette modification mise à l’écart n’existe plus."));
  else if (rc != SQLITE_ROW)
    crm_replica_set_sqlite_error (self, rc, error);
  return item;
}

static gboolean
delete_item (CrmReplica *self,
             gint64      qid,
             GError    **error)
{
  sqlite3_stmt *stmt = crm_replica_prepare (self, "DELETE FROM quarantine WHERE qid = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, qid);
  return crm_replica_step_done (self, stmt, error);
}

gboolean
crm_replica_dismiss_quarantined (CrmReplica *self,
                                 gint64      qid,
                                 GError    **error)
{
  CRM_REPLICA_LOCKED (self);
  g_autoptr (CrmReplicaQuarantined) item = NULL;

  g_return_val_if_fail (CRM_IS_REPLICA (self), FALSE);

  if (!crm_replica_check_open (self, error))
    return FALSE;
  item = get_item (self, qid, error);
  return item != NULL && delete_item (self, qid, error);
}

gboolean
crm_replica_reapply_quarantined (CrmReplica *self,
                                 gint64      qid,
                                 GError    **error)
{
  CRM_REPLICA_LOCKED (self);
  g_autoptr (CrmReplicaQuarantined) item = NULL;
  g_autoptr (CrmRecord) current = NULL;
  g_autoptr (JsonNode) fields = NULL;
  g_autoptr (GError) local_error = NULL;
  const CrmEntityInfo *entity;
  gboolean ok = FALSE;

  g_return_val_if_fail (CRM_IS_REPLICA (self), FALSE);

  if (!crm_replica_check_open (self, error))
    return FALSE;
  item = get_item (self, qid, error);
  if (item == NULL)
    return FALSE;
  entity = crm_entity_lookup (item->entity);

  current = crm_replica_get (self, entity->kind, item->row_id, &local_error);
  if (current == NULL)
    {
      if (g_error_matches (local_error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_NOT_FOUND))
        g_set_error_literal (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_NOT_FOUND,
                             _("Cette fiche ne vous est toujours pas visible : la modification "
                               "reste de côté. Demandez à son responsable de vous la "
                               "réattribuer, puis réessayez."));
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  /* The edit is queued first, then leaves the quarantine (each write is its own
   * transaction): a crash between shows it twice, never loses it. */
  if (g_strcmp0 (item->kind, "delete") == 0)
    ok = crm_replica_delete (self, entity->kind, item->row_id, error);
  else if (g_strcmp0 (item->kind, "restore") == 0)
    ok = crm_replica_restore (self, entity->kind, item->row_id, error);
  else
    {
      g_autoptr (CrmRecord) change = NULL;
      g_autoptr (CrmRecord) row = NULL;

      fields = item->fields != NULL ? json_from_string (item->fields, NULL) : NULL;
      if (fields == NULL || !JSON_NODE_HOLDS_OBJECT (fields))
        {
          g_set_error_literal (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_INVALID,
                               _("Cette modification mise à l’écart est illisible."));
          return FALSE;
        }
      /* What the user typed, validated again as any edit; the row's id stays. */
      json_object_remove_member (json_node_get_object (fields), "id");
      change = crm_record_from_json (entity, json_node_get_object (fields), CRM_JSON_NONE, error);
      row = change != NULL ? crm_replica_update (self, entity->kind, item->row_id, change, error)
                           : NULL;
      ok = row != NULL;
    }
  return ok && delete_item (self, qid, error);
}

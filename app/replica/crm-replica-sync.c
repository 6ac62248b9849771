/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-replica"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "crm-json.h"
#include "crm-replica-private.h"
#include "crm-replica-sync.h"
#include "crm-time.h"

/*
 * The store's side of a pull (DESIGN.md §4): changes applied under pending
 * local edits, revokes with quarantine, the cursor, all in one transaction; and
 * the conflict records the app shows on a row.
 */

typedef struct
{
  GHashTable *fields;   /* field names some queued op sets */
  gboolean    deletion; /* a queued delete or restore: "deleted" stays local */
  gboolean    any;
} Pending;

static void
pending_clear (Pending *pending)
{
  g_clear_pointer (&pending->fields, g_hash_table_unref);
}

static gboolean
load_pending (CrmReplica          *self,
              const CrmEntityInfo *entity,
              const char          *id,
              Pending             *pending,
              GError             **error)
{
  sqlite3_stmt *stmt;
  int rc;

  pending->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  pending->deletion = FALSE;
  pending->any = FALSE;

  stmt = crm_replica_prepare (
      self, "SELECT kind, fields FROM outbox WHERE entity = ? AND row_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, entity->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *kind = (const char *) sqlite3_column_text (stmt, 0);
      g_autoptr(JsonParser) parser = json_parser_new ();

      pending->any = TRUE;
      if (g_strcmp0 (kind, "delete") == 0 || g_strcmp0 (kind, "restore") == 0)
        pending->deletion = TRUE;
      if (json_parser_load_from_data (parser, (const char *) sqlite3_column_text (stmt, 1), -1,
                                      NULL) &&
          JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          g_autoptr(GList) members =
            json_object_get_members (json_node_get_object (json_parser_get_root (parser)));

          for (GList *l = members; l != NULL; l = l->next)
            g_hash_table_add (pending->fields, g_strdup (l->data));
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_replica_set_sqlite_error (self, rc, error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
insert_remote (CrmReplica             *self,
               const CrmEntityInfo    *entity,
               const CrmReplicaChange *change,
               GError                **error)
{
  g_autoptr(CrmRecord) row = change->data != NULL ? crm_record_copy (change->data)
                                                  : crm_record_new (entity);

  crm_record_set_string (row, "id", change->id);
  crm_record_set_int (row, "version", change->version);
  crm_record_set_bool (row, "deleted", change->deleted);
  /* A creation is its own history entry: the row's created_at and created_by. */
  return crm_replica_row_insert (self, row, error);
}

static gboolean
update_remote (CrmReplica             *self,
               const CrmEntityInfo    *entity,
               const CrmReplicaChange *change,
               const CrmRecord        *current,
               const Pending          *pending,
               GError                **error)
{
  g_autoptr(CrmRecord) changed = change->data != NULL ? crm_record_copy (change->data)
                                                      : crm_record_new (entity);
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autofree char *now = NULL;
  const char *at, *by;
  sqlite3_stmt *stmt;
  int n = 1;

  /* Only what really changes, and nothing a queued local op is about to set. */
  for (guint i = 0; i < entity->n_fields; i++)
    {
      const char *name = entity->fields[i].name;

      if (!crm_record_has (changed, name))
        continue;
      if (strcmp (name, "id") == 0 || strcmp (name, "version") == 0 ||
          strcmp (name, "deleted") == 0 || g_hash_table_contains (pending->fields, name) ||
          crm_record_field_equal (current, changed, name))
        crm_record_unset (changed, name);
    }
  if (!pending->deletion && crm_record_get_bool (current, "deleted") != change->deleted)
    crm_record_set_bool (changed, "deleted", change->deleted);

  names = crm_record_list_present (changed);
  g_string_append_printf (sql, "UPDATE %s SET version = ?", entity->collection);
  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (sql, ", %s = ?", (const char *) g_ptr_array_index (names, i));
  g_string_append (sql, " WHERE id = ?");

  stmt = crm_replica_prepare (self, sql->str, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, n++, change->version);
  for (guint i = 0; i < names->len; i++)
    crm_replica_row_bind (stmt, n++, changed,
                          crm_entity_field (entity, g_ptr_array_index (names, i)));
  sqlite3_bind_text (stmt, n, change->id, -1, SQLITE_TRANSIENT);
  if (!crm_replica_step_done (self, stmt, error))
    return FALSE;

  /* The history says who changed what on the server, and when. */
  now = crm_time_now ();
  at = change->data != NULL && crm_record_get_string (change->data, "updated_at") != NULL
         ? crm_record_get_string (change->data, "updated_at") : now;
  by = change->data != NULL && crm_record_get_string (change->data, "updated_by") != NULL
         ? crm_record_get_string (change->data, "updated_by") : "";
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      const CrmFieldInfo *field = crm_entity_field (entity, name);
      g_autofree char *old_value = NULL;
      g_autofree char *new_value = NULL;

      if ((field->flags & CRM_FIELD_META) != 0 && strcmp (name, "deleted") != 0 &&
          strcmp (name, "owner_id") != 0 && strcmp (name, "team_id") != 0)
        continue;
      old_value = crm_record_dup_text (current, name);
      new_value = crm_record_dup_text (changed, name);
      if (!crm_replica_history_append (self, entity->name, change->id, field->name, old_value,
                                       new_value, at, "remote", by, change->version, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
apply_change_full (CrmReplica             *self,
                   const CrmReplicaChange *change,
                   gboolean                same_version,
                   GError                **error)
{
  const CrmEntityInfo *entity = crm_replica_entity (change->kind, error);
  g_autoptr(CrmRecord) current = NULL;
  g_autoptr(GError) local_error = NULL;
  Pending pending = { NULL, FALSE, FALSE };
  gboolean ok;

  if (entity == NULL)
    return FALSE;
  if (change->data != NULL && crm_record_get_entity (change->data) != entity)
    {
      g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_INVALID,
                   _("Un changement reçu du serveur ne correspond pas à son type d’élément."));
      return FALSE;
    }

  current = crm_replica_row_get (self, entity, change->id, &local_error);
  if (current == NULL
      && !g_error_matches (local_error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (current == NULL)
    return insert_remote (self, entity, change, error);

  /* Pages are delivered at least once: what is not newer is already here. A refresh
   * (the row as the server has it, after a refused op) also takes the same version. */
  if (change->version < crm_record_get_int (current, "version")
      || (!same_version && change->version == crm_record_get_int (current, "version")))
    return TRUE;

  if (!load_pending (self, entity, change->id, &pending, error))
    {
      pending_clear (&pending);
      return FALSE;
    }
  ok = update_remote (self, entity, change, current, &pending, error);
  pending_clear (&pending);

  return ok;
}

static gboolean
apply_change (CrmReplica             *self,
              const CrmReplicaChange *change,
              GError                **error)
{
  return apply_change_full (self, change, FALSE, error);
}

static gboolean
revoke_row (CrmReplica             *self,
            const CrmReplicaRevoke *revoke,
            const char             *now,
            GError                **error)
{
  const CrmEntityInfo *entity = crm_replica_entity (revoke->kind, error);
  g_autoptr(CrmRecord) current = NULL;
  g_autofree char *row_json = NULL;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;

  if (entity == NULL)
    return FALSE;

  current = crm_replica_row_get (self, entity, revoke->id, NULL);
  if (current != NULL)
    row_json = crm_record_to_json_data (current, NULL);

  /* Local edits the user can no longer push: kept aside, with the row as it was. */
  stmt = crm_replica_prepare (self,
                              "INSERT INTO quarantine (op_id, entity, row_id, kind, base_version, "
                              "fields, row_data, reason, quarantined_at) "
                              "SELECT op_id, entity, row_id, kind, base_version, fields, ?3, "
                              "'revoked', ?4 FROM outbox WHERE entity = ?1 AND row_id = ?2 "
                              "ORDER BY seq", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, entity->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, revoke->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, row_json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, now, -1, SQLITE_TRANSIENT);
  if (!crm_replica_step_done (self, stmt, error))
    return FALSE;

  sql = g_strdup_printf ("DELETE FROM %s WHERE id = ?2", entity->collection);
  {
    const char *deletes[] = {
      "DELETE FROM outbox WHERE entity = ?1 AND row_id = ?2",
      "DELETE FROM field_history WHERE entity = ?1 AND row_id = ?2",
      "DELETE FROM conflicts WHERE entity = ?1 AND row_id = ?2",
      sql,
    };

    for (guint i = 0; i < G_N_ELEMENTS (deletes); i++)
      {
        stmt = crm_replica_prepare (self, deletes[i], error);
        if (stmt == NULL)
          return FALSE;
        if (i < 3)
          sqlite3_bind_text (stmt, 1, entity->name, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 2, revoke->id, -1, SQLITE_TRANSIENT);
        if (!crm_replica_step_done (self, stmt, error))
          return FALSE;
      }
  }

  return TRUE;
}

/* During an epoch re-sync: the page's rows are in the new view (crm-replica-sync.h). */
static gboolean
note_seen (CrmReplica             *self,
           const CrmReplicaChange *changes,
           guint                   n_changes,
           GError                **error)
{
  for (guint i = 0; i < n_changes; i++)
    {
      const CrmEntityInfo *entity = crm_replica_entity (changes[i].kind, error);
      sqlite3_stmt *stmt;

      if (entity == NULL)
        return FALSE;
      stmt = crm_replica_prepare (self, "INSERT OR IGNORE INTO resync_seen (entity, row_id) "
                                        "VALUES (?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, entity->name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, changes[i].id, -1, SQLITE_TRANSIENT);
      if (!crm_replica_step_done (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
apply_pull_full (CrmReplica             *self,
                 const CrmReplicaChange *changes,
                 guint                   n_changes,
                 const CrmReplicaRevoke *revokes,
                 guint                   n_revokes,
                 gint64                  cursor,
                 gint64                  epoch,
                 gboolean                seen,
                 GError                **error)
{
  CRM_REPLICA_LOCKED (self);
  g_autofree char *now = crm_time_now ();
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CRM_IS_REPLICA (self), FALSE);
  g_return_val_if_fail (n_changes == 0 || changes != NULL, FALSE);
  g_return_val_if_fail (n_revokes == 0 || revokes != NULL, FALSE);

  if (!crm_replica_check_open (self, error) || !crm_replica_begin (self, error))
    return FALSE;
  /* A page of an initial sync is thousands of inserts: index them in one pass. */
  if (!crm_replica_bulk_begin (self, error))
    goto failed;

  for (guint i = 0; i < n_changes; i++)
    if (!apply_change (self, &changes[i], error))
      goto failed;
  for (guint i = 0; i < n_revokes; i++)
    if (!revoke_row (self, &revokes[i], now, error))
      goto failed;
  if (seen && !note_seen (self, changes, n_changes, error))
    goto failed;

  stmt = crm_replica_prepare (self, "UPDATE sync_state SET cursor = ?, epoch = ?, last_pull_at = ? "
                                    "WHERE singleton = 1", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, cursor);
  sqlite3_bind_int64 (stmt, 2, epoch);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);
  if (!crm_replica_step_done (self, stmt, error) || !crm_replica_bulk_end (self, error))
    goto failed;

  return crm_replica_commit (self, error);

failed:
  crm_replica_rollback (self);
  self->bulk = FALSE;
  return FALSE;
}

gboolean
crm_replica_apply_pull (CrmReplica             *self,
                        const CrmReplicaChange *changes,
                        guint                   n_changes,
                        const CrmReplicaRevoke *revokes,
                        guint                   n_revokes,
                        gint64                  cursor,
                        gint64                  epoch,
                        GError                **error)
{
  return apply_pull_full (self, changes, n_changes, revokes, n_revokes, cursor, epoch, FALSE,
                          error);
}

gboolean
crm_replica_apply_resync_page (CrmReplica             *self,
                               const CrmReplicaChange *changes,
                               guint                   n_changes,
                               const CrmReplicaRevoke *revokes,
                               guint                   n_revokes,
                               gint64                  cursor,
                               gint64                  epoch,
                               GError                **error)
{
  return apply_pull_full (self, changes, n_changes, revokes, n_revokes, cursor, epoch, TRUE,
                          error);
}

/* Inside the caller's transaction: the sync position, and the re-sync's seen-list
 * emptied (a re-sync starts with none, and one that ends needs it no more). */
static gboolean
set_sync_state (CrmReplica *self,
                gint64      cursor,
                gint64      epoch,
                gboolean    resync,
                GError    **error)
{
  sqlite3_stmt *stmt;

  if (!crm_replica_exec (self, "DELETE FROM resync_seen", error))
    return FALSE;
  stmt = crm_replica_prepare (self, "UPDATE sync_state SET cursor = ?, epoch = ?, resync = ? "
                                    "WHERE singleton = 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, cursor);
  sqlite3_bind_int64 (stmt, 2, epoch);
  sqlite3_bind_int (stmt, 3, resync ? 1 : 0);
  return crm_replica_step_done (self, stmt, error);
}

gboolean
crm_replica_resync_begin (CrmReplica *self,
                          gint64      epoch,
                          GError    **error)
{
  CRM_REPLICA_LOCKED (self);

  g_return_val_if_fail (CRM_IS_REPLICA (self), FALSE);

  if (!crm_replica_check_open (self, error) || !crm_replica_begin (self, error))
    return FALSE;
  if (!set_sync_state (self, 0, epoch, TRUE, error))
    goto failed;
  return crm_replica_commit (self, error);

failed:
  crm_replica_rollback (self);
  return FALSE;
}

gboolean
crm_replica_resync_running (CrmReplica *self,
                            gboolean   *running,
                            GError    **error)
{
  CRM_REPLICA_LOCKED (self);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CRM_IS_REPLICA (self), FALSE);

  stmt = crm_replica_prepare (self, "SELECT resync FROM sync_state WHERE singleton = 1", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  *running = rc == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      crm_replica_set_sqlite_error (self, rc, error);
      return FALSE;
    }
  return TRUE;
}

gboolean
crm_replica_resync_finish (CrmReplica *self,
                           gint64      cursor,
                           gint64      epoch,
                           GError    **error)
{
  CRM_REPLICA_LOCKED (self);
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) revokes = g_array_new (FALSE, TRUE, sizeof (CrmReplicaRevoke));
  g_autofree char *now = crm_time_now ();
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CRM_IS_REPLICA (self), FALSE);

  if (!crm_replica_check_open (self, error) || !crm_replica_begin (self, error))
    return FALSE;

  /* The rows the new view did not bring, but for those a queued op is about (their
   * create may not even be on the server yet). */
  for (guint k = 0; k < CRM_REPLICA_N_KINDS; k++)
    {
      const CrmEntityInfo *entity = crm_entity_get (k);
      g_autofree char *sql = NULL;
      int rc;

      /* Table names come from the static schema table. */
      sql = g_strdup_printf ("SELECT t.id FROM %s t WHERE NOT EXISTS (SELECT 1 FROM resync_seen s "
                             "WHERE s.entity = ?1 AND s.row_id = t.id) AND NOT EXISTS (SELECT 1 "
                             "FROM outbox o WHERE o.entity = ?1 AND o.row_id = t.id)",
                             entity->collection);
      stmt = crm_replica_prepare (self, sql, error);
      if (stmt == NULL)
        goto failed;
      sqlite3_bind_text (stmt, 1, entity->name, -1, SQLITE_STATIC);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          CrmReplicaRevoke revoke = { k, NULL };

          g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
          revoke.id = g_ptr_array_index (ids, ids->len - 1);
          g_array_append_val (revokes, revoke);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          crm_replica_set_sqlite_error (self, rc, error);
          goto failed;
        }
    }
  for (guint i = 0; i < revokes->len; i++)
    if (!revoke_row (self, &g_array_index (revokes, CrmReplicaRevoke, i), now, error))
      goto failed;
  if (revokes->len > 0)
    g_message ("nouvelle époque : %u lignes hors de la nouvelle vue retirées", revokes->len);

  if (!set_sync_state (self, cursor, epoch, FALSE, error))
    goto failed;
  return crm_replica_commit (self, error);

failed:
  crm_replica_rollback (self);
  return FALSE;
}

gint64
crm_replica_quarantine_count (CrmReplica *self,
                              GError    **error)
{
  CRM_REPLICA_LOCKED (self);
  sqlite3_stmt *stmt;
  gint64 n = -1;
  int rc;

  g_return_val_if_fail (CRM_IS_REPLICA (self), -1);

  stmt = crm_replica_prepare (self, "SELECT count (*) FROM quarantine", error);
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

void
crm_replica_conflict_free (CrmReplicaConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_free (conflict->row_id);
  g_free (conflict->field);
  g_free (conflict->kind);
  g_free (conflict->mine);
  g_free (conflict->theirs);
  g_free (conflict->by);
  g_free (conflict->at);
  g_free (conflict);
}

gboolean
crm_replica_add_conflict (CrmReplica               *self,
                          const CrmReplicaConflict *conflict,
                          const char               *op_id,
                          GError                  **error)
{
  CRM_REPLICA_LOCKED (self);
  const CrmEntityInfo *entity;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CRM_IS_REPLICA (self), FALSE);
  g_return_val_if_fail (conflict != NULL && conflict->row_id != NULL, FALSE);

  entity = crm_entity_lookup (conflict->entity);
  if (entity == NULL || (guint) entity->kind >= CRM_REPLICA_N_KINDS ||
      (conflict->field != NULL && crm_entity_field (entity, conflict->field) == NULL))
    {
      g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_INVALID,
                   _("Le conflit reçu du serveur ne désigne pas un champ connu."));
      return FALSE;
    }

  stmt = crm_replica_prepare (self,
                              "INSERT INTO conflicts (entity, row_id, field, kind, mine, theirs, "
                              "by_user, at, op_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, entity->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, conflict->row_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, conflict->field, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, conflict->kind != NULL ? conflict->kind : "field", -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, conflict->mine, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, conflict->theirs, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, conflict->by, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, conflict->at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, op_id, -1, SQLITE_TRANSIENT);

  return crm_replica_step_done (self, stmt, error);
}

GPtrArray *
crm_replica_list_conflicts (CrmReplica   *self,
                            CrmEntityKind kind,
                            const char   *id,
                            GError      **error)
{
  CRM_REPLICA_LOCKED (self);
  const CrmEntityInfo *entity;
  g_autoptr(GPtrArray) conflicts = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CRM_IS_REPLICA (self), NULL);

  entity = crm_replica_entity (kind, error);
  if (entity == NULL)
    return NULL;

  stmt = crm_replica_prepare (self, "SELECT cid, row_id, field, kind, mine, theirs, by_user, at "
                                    "FROM conflicts WHERE resolved = 0 AND entity = ?1 "
                                    "AND (?2 IS NULL OR row_id = ?2) ORDER BY cid", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, entity->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_TRANSIENT);

  conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_replica_conflict_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CrmReplicaConflict *c = g_new0 (CrmReplicaConflict, 1);

      c->cid = sqlite3_column_int64 (stmt, 0);
      c->entity = entity->name;
      c->row_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      c->field = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      c->kind = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      c->mine = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      c->theirs = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      c->by = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
      c->at = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
      g_ptr_array_add (conflicts, c);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_replica_set_sqlite_error (self, rc, error);
      return NULL;
    }

  return g_steal_pointer (&conflicts);
}

gboolean
crm_replica_resolve_conflict (CrmReplica *self,
                              gint64      cid,
                              gboolean    keep_mine,
                              GError    **error)
{
  CRM_REPLICA_LOCKED (self);
  g_autofree char *entity_name = NULL;
  g_autofree char *row_id = NULL;
  g_autofree char *field = NULL;
  g_autofree char *mine = NULL;
  const CrmEntityInfo *entity;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CRM_IS_REPLICA (self), FALSE);

  stmt = crm_replica_prepare (self, "SELECT entity, row_id, field, mine FROM conflicts "
                                    "WHERE cid = ? AND resolved = 0", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, cid);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      entity_name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      row_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      field = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      mine = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_NOT_FOUND,
                     _("Ce conflit a déjà été réglé."));
      else
        crm_replica_set_sqlite_error (self, rc, error);
      return FALSE;
    }
  entity = crm_entity_lookup (entity_name);

  /* Keeping mine is an ordinary edit: validated, history, outbox. */
  if (keep_mine && field != NULL && entity != NULL)
    {
      g_autoptr(CrmRecord) change = crm_record_new (entity);
      g_autoptr(CrmRecord) row = NULL;

      if (mine == NULL)
        crm_record_set_null (change, field);
      else if (!crm_record_set_from_text (change, field, mine, error))
        return FALSE;
      row = crm_replica_update (self, entity->kind, row_id, change, error);
      if (row == NULL)
        return FALSE;
    }

  stmt = crm_replica_prepare (self, "UPDATE conflicts SET resolved = 1 WHERE cid = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, cid);

  return crm_replica_step_done (self, stmt, error);
}

gboolean
crm_replica_refresh_row (CrmReplica             *self,
                         const CrmReplicaChange *change,
                         GError                **error)
{
  CRM_REPLICA_LOCKED (self);

  g_return_val_if_fail (CRM_IS_REPLICA (self), FALSE);
  g_return_val_if_fail (change != NULL && change->id != NULL, FALSE);

  if (!crm_replica_check_open (self, error) || !crm_replica_begin (self, error))
    return FALSE;
  if (!apply_change_full (self, change, TRUE, error))
    {
      crm_replica_rollback (self);
      return FALSE;
    }
  return crm_replica_commit (self, error);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-replica"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-json.h"
#include "crm-replica-private.h"
#include "crm-time.h"
#include "crm-uuid.h"
#include "crm-validate.h"

/*
 * Every write is one transaction: the row, its field history and its outbox
 * operation commit together or not at all, so a kill at any instant leaves an
 * outbox that matches the rows exactly.
 */

static gboolean
is_client_field (const CrmFieldInfo *field)
{
  /* What an op may carry: the data fields and the two meta fields a client may
   * set (reassigning a row). id travels beside the fields; the rest is the store's. */
  if ((field->flags & CRM_FIELD_READONLY) != 0)
    return FALSE;
  return strcmp (field->name, "id") != 0;
}

gboolean
crm_replica_history_append (CrmReplica *self,
                            const char *entity,
                            const char *row_id,
                            const char *field,
                            const char *old_value,
                            const char *new_value,
                            const char *at,
                            const char *op_kind,
                            const char *remote_by,
                            gint64      version,
                            GError    **error)
{
  sqlite3_stmt *stmt;

  stmt = crm_replica_prepare (self,
                              "INSERT INTO field_history (entity, row_id, field, old_value, "
                              "new_value, changed_by, changed_at, op_kind, source, version) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, row_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, field, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, old_value, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, new_value, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, remote_by != NULL ? remote_by : self->user_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, op_kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, remote_by != NULL ? "remote" : "local", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 10, version);

  return crm_replica_step_done (self, stmt, error);
}

/* History rows for every field of @changes, old values from @before (or null). */
static gboolean
append_history (CrmReplica      *self,
                const CrmRecord *before,
                const CrmRecord *changes,
                const char      *row_id,
                const char      *at,
                const char      *op_kind,
                GError         **error)
{
  const CrmEntityInfo *entity = crm_record_get_entity (changes);
  g_autoptr(GPtrArray) present = crm_record_list_present (changes);

  for (guint i = 0; i < present->len; i++)
    {
      const char *name = g_ptr_array_index (present, i);
      const CrmFieldInfo *field = crm_entity_field (entity, name);
      g_autofree char *old_value = NULL;
      g_autofree char *new_value = NULL;

      if ((field->flags & CRM_FIELD_META) != 0 && strcmp (name, "deleted") != 0 &&
          strcmp (name, "owner_id") != 0 && strcmp (name, "team_id") != 0)
        continue;

      old_value = before != NULL ? crm_record_dup_text (before, name) : NULL;
      new_value = crm_record_dup_text (changes, name);
      if (before == NULL && new_value == NULL)
        continue;
      if (!crm_replica_history_append (self, entity->name, row_id, field->name, old_value,
                                       new_value, at, op_kind, NULL,
                                       before != NULL ? crm_record_get_int (before, "version") : 0,
                                       error))
        return FALSE;
    }

  return TRUE;
}

/*
 * Queues an op. An update of a row whose latest queued op is a create or an
 * update that has never been sent is folded into it (same op_id, its older base
 * version kept). Once an op has been sent, even if the reply was lost, the
 * server may have applied it under its op_id, so it is never changed again.
 */
static gboolean
outbox_append (CrmReplica      *self,
               const char      *row_id,
               const char      *kind,
               gint64           base_version,
               const CrmRecord *fields,
               const char      *at,
               GError         **error)
{
  const CrmEntityInfo *entity = crm_record_get_entity (fields);
  g_autofree char *json = NULL;
  g_autofree char *op_id = NULL;
  sqlite3_stmt *stmt;

  if (strcmp (kind, "update") == 0)
    {
      gint64 seq = -1;
      g_autofree char *queued = NULL;
      int rc;

      stmt = crm_replica_prepare (self,
                                  "SELECT seq, fields FROM outbox WHERE entity = ? AND row_id = ? "
                                  "AND seq = (SELECT max (seq) FROM outbox "
                                  "           WHERE entity = ?1 AND row_id = ?2) "
                                  "AND kind IN ('create', 'update') AND in_flight = 0 "
                                  "AND attempts = 0", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, entity->name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, row_id, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          seq = sqlite3_column_int64 (stmt, 0);
          queued = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          crm_replica_set_sqlite_error (self, rc, error);
          return FALSE;
        }

      if (seq >= 0)
        {
          g_autoptr(CrmRecord) merged = NULL;

          merged = crm_record_from_json_data (entity, queued, -1, CRM_JSON_NONE, error);
          if (merged == NULL)
            return FALSE;
          crm_record_merge_from (merged, fields);
          json = crm_record_to_json_data (merged, NULL);

          stmt = crm_replica_prepare (self, "UPDATE outbox SET fields = ?, updated_at = ? "
                                            "WHERE seq = ?", error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_text (stmt, 1, json, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 2, at, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (stmt, 3, seq);
          return crm_replica_step_done (self, stmt, error);
        }
    }

  json = crm_record_to_json_data (fields, NULL);
  op_id = crm_uuid7_new ();
  stmt = crm_replica_prepare (self,
                              "INSERT INTO outbox (op_id, entity, row_id, kind, base_version, "
                              "fields, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?7)",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, op_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, entity->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, row_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, kind, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, base_version);
  sqlite3_bind_text (stmt, 6, json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, at, -1, SQLITE_TRANSIENT);

  return crm_replica_step_done (self, stmt, error);
}

static const char *
referenced_table (const char *field)
{
  if (strcmp (field, "organisation_id") == 0)
    return "organisations";
  if (strcmp (field, "person_id") == 0 || strcmp (field, "participant_ids") == 0)
    return "people";
  if (strcmp (field, "mandat_id") == 0)
    return "mandats";
  return NULL;
}

static gboolean
row_exists (CrmReplica *self,
            const char *table,
            const char *id,
            gboolean   *exists,
            GError    **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT 1 FROM %s WHERE id = ? AND deleted = 0", table);
  sqlite3_stmt *stmt = crm_replica_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      crm_replica_set_sqlite_error (self, rc, error);
      return FALSE;
    }
  *exists = rc == SQLITE_ROW;
  return TRUE;
}

/* The rows a write points at must be here (and not in the bin); a mandat number
 * must be free. Only the fields being written are checked: a row pulled with a
 * reference to something this user cannot see stays editable. */
static gboolean
check_references (CrmReplica      *self,
                  const CrmRecord *changes,
                  const char      *row_id,
                  GError         **error)
{
  const CrmEntityInfo *entity = crm_record_get_entity (changes);
  g_autoptr(GPtrArray) present = crm_record_list_present (changes);

  for (guint i = 0; i < present->len; i++)
    {
      const char *name = g_ptr_array_index (present, i);
      const CrmFieldInfo *field = crm_entity_field (entity, name);
      const char *table = referenced_table (name);
      gboolean exists = TRUE;

      if (crm_record_is_null (changes, name))
        continue;

      if (table != NULL && field->type == CRM_FIELD_UUID)
        {
          if (!row_exists (self, table, crm_record_get_string (changes, name), &exists, error))
            return FALSE;
        }
      else if (table != NULL && field->type == CRM_FIELD_UUID_LIST)
        {
          const char * const *ids = crm_record_get_strv (changes, name);

          for (guint j = 0; ids != NULL && ids[j] != NULL && exists; j++)
            if (!row_exists (self, table, ids[j], &exists, error))
              return FALSE;
        }
      else if (field->type == CRM_FIELD_MANDAT_NUMBER)
        {
          sqlite3_stmt *stmt = crm_replica_prepare (self,
                                                    "SELECT 1 FROM mandats WHERE number = ? "
                                                    "AND id <> ? AND deleted = 0", error);
          int rc;

          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_text (stmt, 1, crm_record_get_string (changes, name), -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 2, row_id, -1, SQLITE_TRANSIENT);
          rc = sqlite3_step (stmt);
          sqlite3_reset (stmt);
          if (rc == SQLITE_ROW)
            {
              g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_DUPLICATE,
                           _("Le numéro de mandat %s existe déjà."),
                           crm_record_get_string (changes, name));
              return FALSE;
            }
          if (rc != SQLITE_DONE)
            {
              crm_replica_set_sqlite_error (self, rc, error);
              return FALSE;
            }
        }

      if (!exists)
        {
          g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_REFERENCE,
                       _("%s : l’élément choisi n’existe pas sur ce poste ou a été supprimé. "
                         "Choisissez-en un autre."), field->label);
          return FALSE;
        }
    }

  return TRUE;
}

CrmRecord *
crm_replica_create (CrmReplica      *self,
                    const CrmRecord *record,
                    GError         **error)
{
  CRM_REPLICA_LOCKED (self);
  const CrmEntityInfo *entity;
  g_autoptr(CrmRecord) row = NULL;
  g_autoptr(CrmRecord) op_fields = NULL;
  g_autofree char *now = NULL;
  const char *id;

  g_return_val_if_fail (CRM_IS_REPLICA (self), NULL);
  g_return_val_if_fail (record != NULL, NULL);

  entity = crm_replica_entity (crm_record_get_entity (record)->kind, error);
  if (entity == NULL || !crm_replica_check_open (self, error))
    return NULL;

  row = crm_record_copy (record);
  if (!crm_record_has (row, "id") || crm_record_is_null (row, "id"))
    {
      g_autofree char *new_id = crm_uuid7_new ();

      crm_record_set_string (row, "id", new_id);
    }
  crm_record_apply_defaults (row);
  if (!crm_record_validate (row, CRM_VALIDATE_CREATE, error))
    return NULL;

  id = crm_record_get_string (row, "id");
  if (!check_references (self, row, id, error))
    return NULL;

  /* What the op carries: the fields as the user gave them (with defaults), not
   * the id (it travels beside them) nor what the store stamps. */
  op_fields = crm_record_copy (row);
  for (guint i = 0; i < entity->n_fields; i++)
    if (!is_client_field (&entity->fields[i]))
      crm_record_unset (op_fields, entity->fields[i].name);

  now = crm_time_now ();
  crm_record_set_int (row, "version", 0);
  crm_record_set_string (row, "created_at", now);
  crm_record_set_string (row, "updated_at", now);
  crm_record_set_string (row, "created_by", self->user_id);
  crm_record_set_string (row, "updated_by", self->user_id);
  if (!crm_record_has (row, "owner_id"))
    crm_record_set_string (row, "owner_id", self->user_id);
  if (!crm_record_has (row, "team_id"))
    crm_record_set_string (row, "team_id", self->team_id);
  crm_record_set_bool (row, "deleted", FALSE);

  if (!crm_replica_begin (self, error))
    return NULL;
  if (!crm_replica_row_insert (self, row, error) ||
      !append_history (self, NULL, op_fields, id, now, "create", error) ||
      !outbox_append (self, id, "create", 0, op_fields, now, error) ||
      !crm_replica_commit (self, error))
    {
      crm_replica_rollback (self);
      if (error != NULL && *error != NULL && (*error)->domain == CRM_REPLICA_ERROR &&
          (*error)->code == CRM_REPLICA_ERROR_FAILED &&
          sqlite3_extended_errcode (self->db) == SQLITE_CONSTRAINT_UNIQUE)
        {
          g_clear_error (error);
          g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_DUPLICATE,
                       _("Un élément avec cet identifiant existe déjà sur ce poste."));
        }
      return NULL;
    }

  return crm_replica_row_get (self, entity, id, error);
}

CrmRecord *
crm_replica_update (CrmReplica      *self,
                    CrmEntityKind    kind,
                    const char      *id,
                    const CrmRecord *changes,
                    GError         **error)
{
  CRM_REPLICA_LOCKED (self);
  const CrmEntityInfo *entity;
  g_autoptr(CrmRecord) current = NULL;
  g_autoptr(CrmRecord) changed = NULL;
  g_autoptr(CrmRecord) merged = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GString) sql = NULL;
  g_autofree char *now = NULL;
  sqlite3_stmt *stmt;
  int n;

  g_return_val_if_fail (CRM_IS_REPLICA (self), NULL);
  g_return_val_if_fail (id != NULL && changes != NULL, NULL);

  entity = crm_replica_entity (kind, error);
  if (entity == NULL || !crm_replica_check_open (self, error))
    return NULL;
  g_return_val_if_fail (crm_record_get_entity (changes) == entity, NULL);

  if (crm_record_has (changes, "id") &&
      g_strcmp0 (crm_record_get_string (changes, "id"), id) != 0)
    {
      g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_INVALID,
                   _("L’identifiant d’un élément ne peut pas être modifié."));
      return NULL;
    }

  current = crm_replica_row_get (self, entity, id, error);
  if (current == NULL)
    return NULL;
  if (crm_record_get_bool (current, "deleted"))
    {
      g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_DELETED,
                   _("Cet élément (%s) est dans la corbeille : restaurez-le avant de le modifier."),
                   entity->label);
      return NULL;
    }

  changed = crm_record_copy (changes);
  crm_record_unset (changed, "id");
  if (!crm_record_validate (changed, CRM_VALIDATE_UPDATE, error))
    return NULL;

  /* Only what really changes is written, logged and queued. */
  names = crm_record_list_present (changed);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      if (crm_record_field_equal (current, changed, name))
        crm_record_unset (changed, name);
    }
  g_clear_pointer (&names, g_ptr_array_unref);
  names = crm_record_list_present (changed);
  if (names->len == 0)
    return g_steal_pointer (&current);

  /* Rules across fields (an end before a start) need the whole row. */
  merged = crm_record_copy (current);
  crm_record_merge_from (merged, changed);
  if (!crm_record_validate (merged, CRM_VALIDATE_ROW, error) ||
      !check_references (self, changed, id, error))
    return NULL;

  now = crm_time_now ();
  sql = g_string_new (NULL);
  g_string_append_printf (sql, "UPDATE %s SET updated_at = ?, updated_by = ?", entity->collection);
  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (sql, ", %s = ?", (const char *) g_ptr_array_index (names, i));
  g_string_append (sql, " WHERE id = ?");

  if (!crm_replica_begin (self, error))
    return NULL;

  stmt = crm_replica_prepare (self, sql->str, error);
  if (stmt == NULL)
    {
      crm_replica_rollback (self);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, self->user_id, -1, SQLITE_TRANSIENT);
  n = 3;
  for (guint i = 0; i < names->len; i++)
    crm_replica_row_bind (stmt, n++, changed,
                          crm_entity_field (entity, g_ptr_array_index (names, i)));
  sqlite3_bind_text (stmt, n, id, -1, SQLITE_TRANSIENT);

  if (!crm_replica_step_done (self, stmt, error) ||
      !append_history (self, current, changed, id, now, "update", error) ||
      !outbox_append (self, id, "update", crm_record_get_int (current, "version"), changed, now,
                      error) ||
      !crm_replica_commit (self, error))
    {
      crm_replica_rollback (self);
      return NULL;
    }

  return crm_replica_row_get (self, entity, id, error);
}

static gboolean
set_deleted (CrmReplica   *self,
             CrmEntityKind kind,
             const char   *id,
             gboolean      deleted,
             GError      **error)
{
  const CrmEntityInfo *entity;
  g_autoptr(CrmRecord) current = NULL;
  g_autoptr(CrmRecord) change = NULL;
  g_autoptr(CrmRecord) no_fields = NULL;
  g_autofree char *now = NULL;
  g_autofree char *sql = NULL;
  const char *kind_name = deleted ? "delete" : "restore";
  sqlite3_stmt *stmt;

  entity = crm_replica_entity (kind, error);
  if (entity == NULL || !crm_replica_check_open (self, error))
    return FALSE;

  current = crm_replica_row_get (self, entity, id, error);
  if (current == NULL)
    return FALSE;
  if (crm_record_get_bool (current, "deleted") == deleted)
    return TRUE;

  now = crm_time_now ();
  change = crm_record_new (entity);
  crm_record_set_bool (change, "deleted", deleted);
  no_fields = crm_record_new (entity);

  sql = g_strdup_printf ("UPDATE %s SET deleted = ?, updated_at = ?, updated_by = ? WHERE id = ?",
                         entity->collection);

  if (!crm_replica_begin (self, error))
    return FALSE;
  stmt = crm_replica_prepare (self, sql, error);
  if (stmt == NULL)
    {
      crm_replica_rollback (self);
      return FALSE;
    }
  sqlite3_bind_int (stmt, 1, deleted ? 1 : 0);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, self->user_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, id, -1, SQLITE_TRANSIENT);

  if (!crm_replica_step_done (self, stmt, error) ||
      !append_history (self, current, change, id, now, kind_name, error) ||
      !outbox_append (self, id, kind_name, crm_record_get_int (current, "version"), no_fields, now,
                      error) ||
      !crm_replica_commit (self, error))
    {
      crm_replica_rollback (self);
      return FALSE;
    }

  return TRUE;
}

gboolean
crm_replica_delete (CrmReplica   *self,
                    CrmEntityKind kind,
                    const char   *id,
                    GError      **error)
{
  CRM_REPLICA_LOCKED (self);

  g_return_val_if_fail (CRM_IS_REPLICA (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  return set_deleted (self, kind, id, TRUE, error);
}

gboolean
crm_replica_restore (CrmReplica   *self,
                     CrmEntityKind kind,
                     const char   *id,
                     GError      **error)
{
  CRM_REPLICA_LOCKED (self);

  g_return_val_if_fail (CRM_IS_REPLICA (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  return set_deleted (self, kind, id, FALSE, error);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-replica"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-replica-private.h"
#include "crm-validate.h"

/*
 * Rows <-> records. Storage per field type (see migrations/replica/0001_init.sql):
 * INT as INTEGER, DECIMAL as REAL, BOOL as 0/1, TAGS and UUID_LIST as the JSON
 * array text of crm_record_dup_text(), everything else as TEXT.
 */

char *
crm_replica_row_columns (const CrmEntityInfo *entity,
                         const char          *alias)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < entity->n_fields; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      g_string_append_printf (out, "%s.%s", alias, entity->fields[i].name);
    }

  return g_string_free (out, FALSE);
}

CrmRecord *
crm_replica_row_read (const CrmEntityInfo *entity,
                      sqlite3_stmt        *stmt,
                      int                  first)
{
  CrmRecord *record = crm_record_new (entity);

  for (guint i = 0; i < entity->n_fields; i++)
    {
      const CrmFieldInfo *field = &entity->fields[i];
      int col = first + (int) i;

      if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
        {
          crm_record_set_null (record, field->name);
          continue;
        }

      switch (field->type)
        {
        case CRM_FIELD_INT:
          crm_record_set_int (record, field->name, sqlite3_column_int64 (stmt, col));
          break;
        case CRM_FIELD_DECIMAL:
          crm_record_set_double (record, field->name, sqlite3_column_double (stmt, col));
          break;
        case CRM_FIELD_BOOL:
          crm_record_set_bool (record, field->name, sqlite3_column_int (stmt, col) != 0);
          break;
        case CRM_FIELD_TAGS:
        case CRM_FIELD_UUID_LIST:
          /* Written by this store from a valid record; a row that somehow is not
           * an array reads as null rather than failing the whole list. */
          if (!crm_record_set_from_text (record, field->name,
                                         (const char *) sqlite3_column_text (stmt, col), NULL))
            crm_record_set_null (record, field->name);
          break;
        case CRM_FIELD_TEXT:
        case CRM_FIELD_LONGTEXT:
        case CRM_FIELD_UUID:
        case CRM_FIELD_DATE:
        case CRM_FIELD_DATETIME:
        case CRM_FIELD_ENUM:
        case CRM_FIELD_EMAIL:
        case CRM_FIELD_URL:
        case CRM_FIELD_PHONE:
        case CRM_FIELD_COUNTRY:
        case CRM_FIELD_LANGUAGE:
        case CRM_FIELD_MANDAT_NUMBER:
        default:
          crm_record_set_string (record, field->name,
                                 (const char *)sqlite3_column_text (stmt, col));
          break;
        }
    }

  return record;
}

void
crm_replica_row_bind (sqlite3_stmt       *stmt,
                      int                 index,
                      const CrmRecord    *record,
                      const CrmFieldInfo *field)
{
  const char *text;

  /* Each record access looks the field up by name: the text types, most of a
   * row, need only the one lookup that also tells absent and null apart. */
  switch (field->type)
    {
    case CRM_FIELD_INT:
    case CRM_FIELD_DECIMAL:
    case CRM_FIELD_BOOL:
      if (!crm_record_has (record, field->name) || crm_record_is_null (record, field->name))
        sqlite3_bind_null (stmt, index);
      else if (field->type == CRM_FIELD_INT)
        sqlite3_bind_int64 (stmt, index, crm_record_get_int (record, field->name));
      else if (field->type == CRM_FIELD_DECIMAL)
        sqlite3_bind_double (stmt, index, crm_record_get_double (record, field->name));
      else
        sqlite3_bind_int (stmt, index, crm_record_get_bool (record, field->name) ? 1 : 0);
      break;
    case CRM_FIELD_TAGS:
    case CRM_FIELD_UUID_LIST:
      if (crm_record_get_strv (record, field->name) == NULL)
        sqlite3_bind_null (stmt, index);
      else
        sqlite3_bind_text (stmt, index, crm_record_dup_text (record, field->name), -1, g_free);
      break;
    case CRM_FIELD_TEXT:
    case CRM_FIELD_LONGTEXT:
    case CRM_FIELD_UUID:
    case CRM_FIELD_DATE:
    case CRM_FIELD_DATETIME:
    case CRM_FIELD_ENUM:
    case CRM_FIELD_EMAIL:
    case CRM_FIELD_URL:
    case CRM_FIELD_PHONE:
    case CRM_FIELD_COUNTRY:
    case CRM_FIELD_LANGUAGE:
    case CRM_FIELD_MANDAT_NUMBER:
    default:
      /* Static: every caller steps the statement while @record is alive, and the
       * next use of a cached statement clears its bindings first. */
      text = crm_record_get_string (record, field->name);
      if (text == NULL)
        sqlite3_bind_null (stmt, index);
      else
        sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
      break;
    }
}

gboolean
crm_replica_bind_text_value (sqlite3_stmt       *stmt,
                             int                 index,
                             const CrmFieldInfo *field,
                             const char         *text,
                             GError            **error)
{
  if (text == NULL)
    {
      sqlite3_bind_null (stmt, index);
      return TRUE;
    }

  switch (field->type)
    {
    case CRM_FIELD_INT:
    case CRM_FIELD_DECIMAL:
    case CRM_FIELD_BOOL:
      {
        g_autoptr(CrmRecord) scratch = NULL;
        const CrmEntityInfo *entity = NULL;

        /* Parse through a record so filters accept exactly the wire forms. */
        for (guint k = 0; k < CRM_REPLICA_N_KINDS && entity == NULL; k++)
          if (crm_entity_field (crm_entity_get (k), field->name) == field)
            entity = crm_entity_get (k);
        if (entity == NULL)
          break;
        scratch = crm_record_new (entity);
        if (!crm_record_set_from_text (scratch, field->name, text, error))
          return FALSE;
        crm_replica_row_bind (stmt, index, scratch, field);
        return TRUE;
      }
    case CRM_FIELD_TEXT:
    case CRM_FIELD_LONGTEXT:
    case CRM_FIELD_UUID:
    case CRM_FIELD_DATE:
    case CRM_FIELD_DATETIME:
    case CRM_FIELD_ENUM:
    case CRM_FIELD_EMAIL:
    case CRM_FIELD_URL:
    case CRM_FIELD_PHONE:
    case CRM_FIELD_COUNTRY:
    case CRM_FIELD_LANGUAGE:
    case CRM_FIELD_MANDAT_NUMBER:
    case CRM_FIELD_TAGS:
    case CRM_FIELD_UUID_LIST:
    default:
      break;
    }

  sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  return TRUE;
}

CrmRecord *
crm_replica_row_get (CrmReplica          *self,
                     const CrmEntityInfo *entity,
                     const char          *id,
                     GError             **error)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  CrmRecord *record = NULL;
  int rc;

  sql = g_strdup_printf ("SELECT %s FROM %s AS t WHERE t.id = ?",
                         self->select_columns[entity->kind], entity->collection);
  stmt = crm_replica_prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    record = crm_replica_row_read (entity, stmt, 0);
  else if (rc == SQLITE_DONE)
    g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_NOT_FOUND,
                 _("Cet élément (%s) n’existe pas ou plus sur ce poste."), entity->label);
  else
    crm_replica_set_sqlite_error (self, rc, error);
  sqlite3_reset (stmt);

  return record;
}

char *
crm_replica_row_insert_sql (const CrmEntityInfo *entity)
{
  GString *sql = g_string_new (NULL);

  g_string_append_printf (sql, "INSERT INTO %s (", entity->collection);
  for (guint i = 0; i < entity->n_fields; i++)
    g_string_append_printf (sql, "%s%s", i > 0 ? ", " : "", entity->fields[i].name);
  g_string_append (sql, ") VALUES (");
  for (guint i = 0; i < entity->n_fields; i++)
    g_string_append (sql, i > 0 ? ", ?" : "?");
  g_string_append (sql, ")");

  return g_string_free (sql, FALSE);
}

gboolean
crm_replica_row_insert (CrmReplica      *self,
                        const CrmRecord *row,
                        GError         **error)
{
  const CrmEntityInfo *entity = crm_record_get_entity (row);
  sqlite3_stmt *stmt;

  stmt = crm_replica_prepare (self, self->insert_sql[entity->kind], error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < entity->n_fields; i++)
    crm_replica_row_bind (stmt, (int) i + 1, row, &entity->fields[i]);

  return crm_replica_step_done (self, stmt, error);
}

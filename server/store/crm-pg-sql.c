/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "crm-pg-private.h"

/*
 * Identifiers in SQL text come from here only: table names are entity->collection,
 * column names field->name, both static strings of core/crm-schema.c. Values are
 * always parameters. The migrations give every field the type below (a test walks
 * information_schema to hold them to it).
 */

const char *
crm_pg_sql_type (const CrmFieldInfo *field)
{
  switch (field->type)
    {
    case CRM_FIELD_UUID:
      return "uuid";
    case CRM_FIELD_INT:
      return "bigint";
    case CRM_FIELD_DECIMAL:
      return "numeric";
    case CRM_FIELD_BOOL:
      return "boolean";
    case CRM_FIELD_DATE:
      return "date";
    case CRM_FIELD_DATETIME:
      return "timestamptz";
    case CRM_FIELD_TAGS:
      return "text[]";
    case CRM_FIELD_UUID_LIST:
      return "uuid[]";
    case CRM_FIELD_TEXT:
    case CRM_FIELD_LONGTEXT:
    case CRM_FIELD_ENUM:
    case CRM_FIELD_EMAIL:
    case CRM_FIELD_URL:
    case CRM_FIELD_PHONE:
    case CRM_FIELD_COUNTRY:
    case CRM_FIELD_LANGUAGE:
    case CRM_FIELD_MANDAT_NUMBER:
    default:
      return "text";
    }
}

void
crm_pg_append_column (GString            *sql,
                      const CrmFieldInfo *field,
                      const char         *alias)
{
  const char *name = field->name;

  /* Exactly the wire text form crm_record_set_from_text() reads back. */
  switch (field->type)
    {
    case CRM_FIELD_DATETIME:
      /* Not crm_rfc3339 (): PostgreSQL cannot inline that function (its body is not
       * provably strict), so it ran through the SQL-function executor for every value,
       * a good part of the database's time for a page of rows. One to_char with the fraction;
       * crm_pg_column_text () drops a zero one, as crm_rfc3339 () does. */
      g_string_append_printf (sql, "to_char (%s.%s AT TIME ZONE 'UTC', "
                                   "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')",
                              alias, name);
      break;
    case CRM_FIELD_DATE:
      g_string_append_printf (sql, "to_char (%s.%s, 'YYYY-MM-DD')", alias, name);
      break;
    case CRM_FIELD_TAGS:
    case CRM_FIELD_UUID_LIST:
      g_string_append_printf (sql, "array_to_json (%s.%s)::text", alias, name);
      break;
    case CRM_FIELD_UUID:
    case CRM_FIELD_INT:
    case CRM_FIELD_DECIMAL:
    case CRM_FIELD_BOOL:
      /* boolean::text is "true"/"false", not the "t"/"f" of the output function. */
      g_string_append_printf (sql, "%s.%s::text", alias, name);
      break;
    case CRM_FIELD_TEXT:
    case CRM_FIELD_LONGTEXT:
    case CRM_FIELD_ENUM:
    case CRM_FIELD_EMAIL:
    case CRM_FIELD_URL:
    case CRM_FIELD_PHONE:
    case CRM_FIELD_COUNTRY:
    case CRM_FIELD_LANGUAGE:
    case CRM_FIELD_MANDAT_NUMBER:
    default:
      g_string_append_printf (sql, "%s.%s", alias, name);
      break;
    }
}

void
crm_pg_append_columns (GString             *sql,
                       const CrmEntityInfo *entity,
                       const char          *alias)
{
  for (guint i = 0; i < entity->n_fields; i++)
    {
      if (i > 0)
        g_string_append (sql, ", ");
      crm_pg_append_column (sql, &entity->fields[i], alias);
    }
}

void
crm_pg_append_value (GString            *sql,
                     const CrmFieldInfo *field,
                     guint               param)
{
  if (field->type == CRM_FIELD_TAGS || field->type == CRM_FIELD_UUID_LIST)
    g_string_append_printf (sql, "crm_text_array ($%u)::%s", param, crm_pg_sql_type (field));
  else
    g_string_append_printf (sql, "$%u::%s", param, crm_pg_sql_type (field));
}

const char *
crm_pg_column_text (const CrmFieldInfo *field,
                    const char         *text,
                    char               *buffer,
                    gsize               size)
{
  static const char zero[] = ".000000Z";
  gsize length;

  if (text == NULL || field->type != CRM_FIELD_DATETIME)
    return text;
  length = strlen (text);
  if (length < sizeof zero || length >= size ||
      strcmp (text + length - (sizeof zero - 1), zero) != 0)
    return text;
  memcpy (buffer, text, length - (sizeof zero - 1));
  strcpy (buffer + length - (sizeof zero - 1), "Z");
  return buffer;
}

CrmRecord *
crm_pg_record_from_row (const CrmEntityInfo *entity,
                        const PGresult      *result,
                        int                  row,
                        int                  first_col,
                        GError             **error)
{
  g_autoptr(CrmRecord) record = crm_record_new (entity);

  for (guint i = 0; i < entity->n_fields; i++)
    {
      char buffer[CRM_PG_COLUMN_TEXT_MAX];
      const char *text = crm_pg_column_text (&entity->fields[i],
                                             crm_pg_value (result, row, first_col + (int) i),
                                             buffer, sizeof buffer);
      g_autoptr(GError) local_error = NULL;

      if (!crm_record_set_from_text (record, entity->fields[i].name, text, &local_error))
        {
          /* Our own database handed back something core/ cannot read: a bug or a
           * schema drift, never the client's fault. */
          g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_DATABASE, "%s.%s : %s",
                       entity->collection, entity->fields[i].name, local_error->message);
          return NULL;
        }
    }
  return g_steal_pointer (&record);
}

gboolean
crm_pg_entity_has_assignee (const CrmEntityInfo *entity)
{
  return entity->kind == CRM_ENTITY_TASK;
}

const char *
crm_pg_assignee_column (const CrmEntityInfo *entity)
{
  switch (entity->kind)
    {
    case CRM_ENTITY_TASK:
      return "assignee_id";
    case CRM_ENTITY_NOTIFICATION:
      return "user_id";
    case CRM_ENTITY_ORGANISATION:
    case CRM_ENTITY_PERSON:
    case CRM_ENTITY_LINK:
    case CRM_ENTITY_MANDAT:
    case CRM_ENTITY_INTERACTION:
    case CRM_ENTITY_USER:
    case CRM_ENTITY_TEAM:
    case CRM_N_ENTITIES:
    default:
      return NULL;
    }
}

gboolean
crm_pg_actor_can (const CrmActor      *actor,
                  const CrmEntityInfo *entity,
                  CrmAction            action)
{
  CrmResource resource;

  if (entity->kind == CRM_ENTITY_NOTIFICATION)
    return action != CRM_ACTION_CREATE || actor->role == CRM_ROLE_ADMIN;

  if (entity->resource == NULL || !crm_resource_from_string (entity->resource, &resource))
    return FALSE;
  return crm_permission_allows (&actor->matrix, actor->role, resource, action);
}

static gboolean
same_id (const char *a,
         const char *b)
{
  return a != NULL && b != NULL && strcmp (a, b) == 0;
}

gboolean
crm_pg_actor_sees (const CrmActor      *actor,
                   const CrmEntityInfo *entity,
                   const char          *owner_id,
                   const char          *team_id,
                   const char          *assignee_id)
{
  CrmViewer viewer = { actor->user_id, actor->team_id, actor->scope };

  /* Someone's notifications are theirs alone, whatever the reader's scope. */
  if (entity->kind == CRM_ENTITY_NOTIFICATION)
    return same_id (actor->user_id, assignee_id);

  return crm_row_visible (&viewer, owner_id, team_id,
                          crm_pg_entity_has_assignee (entity) ? assignee_id : NULL);
}

void
crm_pg_append_visibility (GString             *sql,
                          GPtrArray           *params,
                          const CrmActor      *actor,
                          const CrmEntityInfo *entity,
                          const char          *alias)
{
  const char *assignee = crm_pg_assignee_column (entity);
  guint me;

  if (entity->kind == CRM_ENTITY_NOTIFICATION)
    {
      me = crm_pg_param (params, actor->user_id);
      g_string_append_printf (sql, " AND %s.user_id = $%u::uuid", alias, me);
      return;
    }

  if (actor->scope == CRM_SCOPE_ALL)
    return;

  /* NULL ids never match (crm_row_visible): an actor without a user id sees nothing. */
  me = crm_pg_param (params, actor->user_id);
  g_string_append_printf (sql, " AND (%s.owner_id = $%u::uuid", alias, me);
  if (assignee != NULL)
    g_string_append_printf (sql, " OR %s.%s = $%u::uuid", alias, assignee, me);
  if (actor->scope == CRM_SCOPE_TEAM && actor->team_id != NULL)
    g_string_append_printf (sql, " OR %s.team_id = $%u::uuid", alias,
                            crm_pg_param (params, actor->team_id));
  g_string_append_c (sql, ')');
}

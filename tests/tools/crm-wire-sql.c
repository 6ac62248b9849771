/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "crm-wire-sql.h"

/* The fields a row is spelt with: every field but the secret ones, in schema order. */
static gboolean
spelt (const CrmFieldInfo *field)
{
  return (field->flags & CRM_FIELD_SECRET) == 0;
}

/* The column's SQL type, and the helper of 0015 that spells it. */
static void
sql_of (const CrmFieldInfo  *field,
        const char         **type,
        const char         **helper)
{
  switch (field->type)
    {
    case CRM_FIELD_UUID:
      *type = "uuid", *helper = "crm_wire_uuid";
      return;
    case CRM_FIELD_INT:
      *type = "bigint", *helper = "crm_wire_int";
      return;
    case CRM_FIELD_DECIMAL:
      *type = "numeric", *helper = "crm_wire_numeric";
      return;
    case CRM_FIELD_BOOL:
      *type = "boolean", *helper = "crm_wire_bool";
      return;
    case CRM_FIELD_DATE:
      *type = "date", *helper = "crm_wire_date";
      return;
    case CRM_FIELD_DATETIME:
      *type = "timestamptz", *helper = "crm_wire_time";
      return;
    case CRM_FIELD_TAGS:
      *type = "text[]", *helper = "crm_wire_array";
      return;
    case CRM_FIELD_UUID_LIST:
      *type = "uuid[]", *helper = "crm_wire_array";
      return;
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
      *type = "text", *helper = "crm_wire_text";
      return;
    }
}

char *
crm_wire_sql_function (const CrmEntityInfo *entity)
{
  GString *sql = g_string_new (NULL);
  guint n = 0;

  g_string_append_printf (sql, "CREATE FUNCTION crm_wire_%s (\n", entity->name);
  for (guint i = 0; i < entity->n_fields; i++)
    {
      const char *type, *helper;

      if (!spelt (&entity->fields[i]))
        continue;
      sql_of (&entity->fields[i], &type, &helper);
      g_string_append_printf (sql, "%s  %s %s", n++ > 0 ? ",\n" : "", entity->fields[i].name,
                              type);
    }
  g_string_append (sql, "\n) RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$\n"
                        "BEGIN\n  RETURN '{'\n");
  n = 0;
  for (guint i = 0; i < entity->n_fields; i++)
    {
      const char *type, *helper;

      if (!spelt (&entity->fields[i]))
        continue;
      sql_of (&entity->fields[i], &type, &helper);
      n++;
      g_string_append_printf (sql, "    || '%s\"%s\":' || %s ($%u)\n", n > 1 ? "," : "",
                              entity->fields[i].name, helper, n);
    }
  g_string_append (sql, "    || '}';\nEND\n$$;\n");
  return g_string_free (sql, FALSE);
}

char *
crm_wire_sql_column (const CrmEntityInfo *entity)
{
  GString *sql = g_string_new (NULL);
  guint n = 0;

  g_string_append_printf (sql, "ALTER TABLE %s ADD COLUMN wire text GENERATED ALWAYS AS "
                               "(crm_wire_%s (", entity->collection, entity->name);
  for (guint i = 0; i < entity->n_fields; i++)
    {
      if (!spelt (&entity->fields[i]))
        continue;
      /* Six to a line, as 0015 lays them out. */
      g_string_append (sql, n == 0 ? "\n    " : n % 6 == 0 ? ",\n    " : ", ");
      g_string_append (sql, entity->fields[i].name);
      n++;
    }
  g_string_append (sql, ")) STORED;\n");
  return g_string_free (sql, FALSE);
}

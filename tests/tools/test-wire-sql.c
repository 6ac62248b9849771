/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-wire-sql"

#include "config.h"

#include <string.h>

#include "crm-wire-sql.h"

/*
 * The server's migrations keep, for each synced entity, the row function and the
 * generated column that crm-wire-sql writes from core/crm-schema.c: a field added to core
 * without a migration that redefines them fails here, before any database is started.
 * (test-store-json then checks, in PostgreSQL, that the column spells rows as the API.)
 */

static char *migrations;  /* every server migration, in order, as one text */

static void
load_migrations (void)
{
  const char *dir_path = g_getenv ("CRM_SERVER_MIGRATIONS_DIR");
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GString *all = g_string_new (NULL);
  const char *name;

  g_assert_nonnull (dir_path);
  dir = g_dir_open (dir_path, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".sql"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  g_assert_cmpuint (names->len, >, 0);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir_path, g_ptr_array_index (names, i), NULL);
      g_autofree char *text = NULL;

      g_file_get_contents (path, &text, NULL, &error);
      g_assert_no_error (error);
      g_string_append (all, text);
    }
  migrations = g_string_free (all, FALSE);
}

/* The text from the last occurrence of @start to the end of the first @end after it. */
static char *
last_definition (const char *start,
                 const char *end)
{
  const char *at = NULL;
  const char *stop;

  for (const char *p = strstr (migrations, start); p != NULL; p = strstr (p + 1, start))
    at = p;
  if (at == NULL)
    return NULL;
  stop = strstr (at, end);
  g_assert_nonnull (stop);
  return g_strndup (at, (gsize) (stop - at) + strlen (end));
}

static void
test_functions_and_columns (void)
{
  guint checked = 0;

  for (guint k = 0; k < CRM_N_ENTITIES; k++)
    {
      const CrmEntityInfo *entity = crm_entity_get (k);
      g_autofree char *function = NULL;
      g_autofree char *column = NULL;
      g_autofree char *start = NULL;
      g_autofree char *found = NULL;

      if (!entity->synced)
        continue;
      function = crm_wire_sql_function (entity);
      column = crm_wire_sql_column (entity);

      /* CREATE or CREATE OR REPLACE: from "FUNCTION" on. */
      start = g_strdup_printf ("FUNCTION crm_wire_%s (", entity->name);
      found = last_definition (start, "\n$$;\n");
      g_assert_nonnull (found);
      g_assert_cmpstr (found, ==, strstr (function, "FUNCTION"));
      g_clear_pointer (&start, g_free);
      g_clear_pointer (&found, g_free);

      start = g_strdup_printf ("ALTER TABLE %s ADD COLUMN wire ", entity->collection);
      found = last_definition (start, " STORED;\n");
      g_assert_nonnull (found);
      g_assert_cmpstr (found, ==, column);
      checked++;
    }
  g_assert_cmpuint (checked, ==, 7);
}

/* The generator follows the schema: a field added to an entity shows in both texts. */
static void
test_follows_the_schema (void)
{
  const CrmEntityInfo *organisation = crm_entity_get (CRM_ENTITY_ORGANISATION);
  CrmEntityInfo grown = *organisation;
  g_autofree CrmFieldInfo *fields = g_new0 (CrmFieldInfo, organisation->n_fields + 1);
  g_autofree char *function = NULL;
  g_autofree char *column = NULL;
  g_autofree char *expected = NULL;

  memcpy (fields, organisation->fields, organisation->n_fields * sizeof *fields);
  fields[organisation->n_fields].name = "rating";
  fields[organisation->n_fields].type = CRM_FIELD_INT;
  grown.fields = fields;
  grown.n_fields = organisation->n_fields + 1;

  function = crm_wire_sql_function (&grown);
  column = crm_wire_sql_column (&grown);
  g_assert_nonnull (strstr (function, "\n  rating bigint\n) RETURNS text"));
  expected = g_strdup_printf ("|| ',\"rating\":' || crm_wire_int ($%u)\n", grown.n_fields);
  g_assert_nonnull (strstr (function, expected));
  g_assert_true (g_str_has_suffix (column, ", rating)) STORED;\n"));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  load_migrations ();
  g_test_add_func ("/tools/wire-sql/migrations-hold-the-generated-sql",
                   test_functions_and_columns);
  g_test_add_func ("/tools/wire-sql/follows-the-schema", test_follows_the_schema);
  status = g_test_run ();
  g_free (migrations);
  return status;
}

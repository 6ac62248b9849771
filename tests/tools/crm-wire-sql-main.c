/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-wire-sql [ENTITY…] — prints the row function and the generated column of the
 * "wire" JSON of each synced entity named (by its wire name: organisation, person, …),
 * or of all of them, as a new server migration needs them after a field was added.
 */
#include "config.h"

#include <stdio.h>

#include "crm-wire-sql.h"

int
main (int   argc,
      char *argv[])
{
  int status = 0;

  for (guint k = 0; k < CRM_N_ENTITIES; k++)
    {
      const CrmEntityInfo *entity = crm_entity_get (k);
      g_autofree char *function = NULL;
      g_autofree char *column = NULL;
      gboolean wanted = argc < 2;

      for (int i = 1; i < argc; i++)
        wanted |= g_str_equal (argv[i], entity->name);
      if (!entity->synced || !wanted)
        continue;
      function = crm_wire_sql_function (entity);
      column = crm_wire_sql_column (entity);
      printf ("-- %s: the fields of core/crm-schema.c in their order.\n%s\n%s\n",
              entity->collection, function, column);
    }
  for (int i = 1; i < argc; i++)
    {
      const CrmEntityInfo *entity = crm_entity_lookup (argv[i]);

      if (entity == NULL || !entity->synced)
        {
          fprintf (stderr, "crm-wire-sql: « %s » n’est pas une entité synchronisée\n", argv[i]);
          status = 2;
        }
    }
  return status;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-access"

#include "config.h"

#include <string.h>

#include "crm-access.h"

#define ALL_ACTIONS   ((guint8) ((1u << CRM_N_ACTIONS) - 1))
#define READ_ACTIONS  ((guint8) ((1u << CRM_ACTION_READ) | (1u << CRM_ACTION_EXPORT)))

void
crm_access_init_all (CrmAccess *access)
{
  g_return_if_fail (access != NULL);

  memset (access->allowed, ALL_ACTIONS, sizeof access->allowed);
}

void
crm_access_init_from (CrmAccess     *access,
                      CrmSyncStatus *status,
                      gboolean       read_only)
{
  g_return_if_fail (access != NULL);
  g_return_if_fail (status == NULL || CRM_IS_SYNC_STATUS (status));

  for (guint r = 0; r < CRM_N_RESOURCES; r++)
    {
      guint8 bits = 0;

      for (guint a = 0; a < CRM_N_ACTIONS; a++)
        if (status == NULL || crm_sync_status_allows (status, r, a))
          bits |= (guint8) (1u << a);
      access->allowed[r] = read_only ? (bits & READ_ACTIONS) : bits;
    }
}

gboolean
crm_access_equal (const CrmAccess *a,
                  const CrmAccess *b)
{
  return memcmp (a->allowed, b->allowed, sizeof a->allowed) == 0;
}

gboolean
crm_access_allows (const CrmAccess *access,
                   CrmResource      resource,
                   CrmAction        action)
{
  g_return_val_if_fail (access != NULL, FALSE);

  if ((guint) resource >= CRM_N_RESOURCES || (guint) action >= CRM_N_ACTIONS)
    return FALSE;
  return (access->allowed[resource] & (1u << action)) != 0;
}

gboolean
crm_access_allows_kind (const CrmAccess *access,
                        CrmEntityKind    kind,
                        CrmAction        action)
{
  const CrmEntityInfo *entity = crm_entity_get (kind);
  CrmResource resource;

  if (entity == NULL || entity->resource == NULL ||
      !crm_resource_from_string (entity->resource, &resource))
    return FALSE;
  return crm_access_allows (access, resource, action);
}

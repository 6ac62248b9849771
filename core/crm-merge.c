/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-merge"

#include "config.h"

#include <string.h>

#include "crm-merge.h"

/*
 * The one merge rule of DESIGN.md §4, used by sync push and by REST PATCH on
 * the server (and by the app's tests of both). It only decides; the store
 * writes the applied fields, bumps stamps and records the conflicts.
 */

static void
conflict_free (gpointer data)
{
  CrmMergeConflict *conflict = data;

  g_free (conflict->theirs_client_id);
  g_free (conflict);
}

static CrmMergeResult *
merge_result_new (const CrmEntityInfo *entity)
{
  CrmMergeResult *result = g_new0 (CrmMergeResult, 1);

  result->status = CRM_MERGE_APPLIED;
  result->applied = crm_record_new (entity);
  result->conflicts = g_ptr_array_new_with_free_func (conflict_free);
  return result;
}

static void
add_conflict (CrmMergeResult      *result,
              CrmConflictKind      kind,
              const char          *field,
              const CrmFieldStamp *stamp)
{
  CrmMergeConflict *conflict = g_new0 (CrmMergeConflict, 1);

  conflict->kind = kind;
  conflict->field = field;
  conflict->theirs_version = stamp->version;
  conflict->theirs_client_id = g_strdup (stamp->client_id);
  g_ptr_array_add (result->conflicts, conflict);
}

/* A field without a stamp has not changed since the row was created. */
static CrmFieldStamp
stamp_for (GHashTable *stamps,
           const char *field,
           gint64      row_created_version)
{
  const CrmFieldStamp *stamp = stamps != NULL ? g_hash_table_lookup (stamps, field) : NULL;
  CrmFieldStamp fallback = { row_created_version, NULL };

  return stamp != NULL ? *stamp : fallback;
}

/* Store-managed columns never come from a client. owner_id and team_id are
 * meta columns too but are how a row is reassigned (an admin may set them;
 * whether this caller may is the permission layer's decision, not ours). */
static gboolean
is_client_writable (const CrmFieldInfo *info)
{
  if ((info->flags & (CRM_FIELD_READONLY | CRM_FIELD_META)) == 0)
    return TRUE;

  return strcmp (info->name, "owner_id") == 0 || strcmp (info->name, "team_id") == 0;
}

static gboolean
same_client (const char *a,
             const char *b)
{
  return a != NULL && b != NULL && strcmp (a, b) == 0;
}

CrmMergeResult *
crm_merge_fields (const CrmRecord *current,
                  GHashTable      *stamps,
                  gint64           row_created_version,
                  gboolean         row_deleted,
                  gint64           base_version,
                  const char      *client_id,
                  const CrmRecord *incoming)
{
  const CrmEntityInfo *entity;
  g_autoptr(GPtrArray) incoming_fields = NULL;
  g_autoptr(GPtrArray) current_fields = NULL;
  CrmMergeResult *result;

  g_return_val_if_fail (current != NULL, NULL);
  g_return_val_if_fail (incoming != NULL, NULL);
  g_return_val_if_fail (crm_record_get_entity (current) == crm_record_get_entity (incoming),
                        NULL);

  entity = crm_record_get_entity (current);
  result = merge_result_new (entity);

  if (row_deleted)
    {
      /* The whole edit waits for a person: restore the row, or drop the
       * edit. "theirs" is the deletion, stamped like any other field. */
      CrmFieldStamp stamp = stamp_for (stamps, "deleted", row_created_version);

      add_conflict (result, CRM_CONFLICT_DELETED, NULL, &stamp);
      result->status = CRM_MERGE_CONFLICT;
      return result;
    }

  /* Start from the whole op and take out what does not apply: the record
   * API has no field-by-field copy, and this keeps each value bit-exact. */
  crm_record_unref (result->applied);
  result->applied = crm_record_copy (incoming);

  incoming_fields = crm_record_list_present (incoming);
  for (guint i = 0; i < incoming_fields->len; i++)
    {
      const char *name = g_ptr_array_index (incoming_fields, i);
      const CrmFieldInfo *info = crm_entity_field (entity, name);
      CrmFieldStamp stamp;

      if (info == NULL || !is_client_writable (info))
        {
          crm_record_unset (result->applied, name);
          continue;
        }

      stamp = stamp_for (stamps, name, row_created_version);

      /* Three ways a field is not a conflict: nobody touched it since the
       * client last saw the row; the client's own queued op did (its result
       * had not come back when this op was made); or both sides already
       * agree, so there is nothing to choose between. */
      if (stamp.version <= base_version ||
          same_client (stamp.client_id, client_id) ||
          crm_record_field_equal (current, incoming, name))
        continue;

      crm_record_unset (result->applied, name);
      add_conflict (result, CRM_CONFLICT_FIELD, info->name, &stamp);
    }

  if (result->conflicts->len > 0)
    {
      result->status = CRM_MERGE_CONFLICT;
      return result;
    }

  /* Everything applied; tell the client whether the row it will get back has
   * more in it than its own edit, so it knows to take the whole row. */
  current_fields = crm_record_list_present (current);
  for (guint i = 0; i < current_fields->len; i++)
    {
      const char *name = g_ptr_array_index (current_fields, i);

      if (stamp_for (stamps, name, row_created_version).version > base_version)
        {
          result->status = CRM_MERGE_MERGED;
          break;
        }
    }

  return result;
}

void
crm_merge_result_free (CrmMergeResult *result)
{
  if (result == NULL)
    return;

  g_clear_pointer (&result->applied, crm_record_unref);
  g_clear_pointer (&result->conflicts, g_ptr_array_unref);
  g_free (result);
}

const char *
crm_merge_status_to_string (CrmMergeStatus status)
{
  /* The push reply's wire values (DESIGN.md §9). */
  switch (status)
    {
    case CRM_MERGE_APPLIED:
      return "applied";
    case CRM_MERGE_MERGED:
      return "merged";
    case CRM_MERGE_CONFLICT:
      return "conflict";
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
crm_conflict_kind_to_string (CrmConflictKind kind)
{
  switch (kind)
    {
    case CRM_CONFLICT_FIELD:
      return "field";
    case CRM_CONFLICT_DELETED:
      return "deleted";
    default:
      g_return_val_if_reached (NULL);
    }
}

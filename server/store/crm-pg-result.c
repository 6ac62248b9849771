/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-store"

#include "config.h"

#include <string.h>

#include "crm-json.h"
#include "crm-pg-private.h"

/* The wire values of DESIGN.md §4 and §9. */
static const char * const kind_names[] = {
  [CRM_MUTATION_CREATE] = "create",
  [CRM_MUTATION_UPDATE] = "update",
  [CRM_MUTATION_DELETE] = "delete",
  [CRM_MUTATION_RESTORE] = "restore",
};

static const char * const status_names[] = {
  [CRM_MUTATION_APPLIED] = "applied",
  [CRM_MUTATION_MERGED] = "merged",
  [CRM_MUTATION_CONFLICT] = "conflict",
  [CRM_MUTATION_REJECTED] = "rejected",
};

const char *
crm_mutation_kind_to_string (CrmMutationKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_names), NULL);
  return kind_names[kind];
}

gboolean
crm_mutation_kind_from_string (const char      *text,
                               CrmMutationKind *kind)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (kind_names); i++)
    if (strcmp (kind_names[i], text) == 0)
      {
        *kind = (CrmMutationKind) i;
        return TRUE;
      }
  return FALSE;
}

const char *
crm_mutation_status_to_string (CrmMutationStatus status)
{
  g_return_val_if_fail ((guint) status < G_N_ELEMENTS (status_names), NULL);
  return status_names[status];
}

static gboolean
status_from_string (const char        *text,
                    CrmMutationStatus *status)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (status_names); i++)
    if (strcmp (status_names[i], text) == 0)
      {
        *status = (CrmMutationStatus) i;
        return TRUE;
      }
  return FALSE;
}

void
crm_store_conflict_free (CrmStoreConflict *conflict)
{
  if (conflict == NULL)
    return;

  g_free (conflict->conflict_id);
  g_free (conflict->entity);
  g_free (conflict->entity_id);
  g_free (conflict->kind);
  g_free (conflict->field);
  g_clear_pointer (&conflict->mine, json_node_unref);
  g_clear_pointer (&conflict->theirs, json_node_unref);
  g_free (conflict->theirs_user_id);
  g_free (conflict->by);
  g_free (conflict->by_client);
  g_free (conflict->at);
  g_free (conflict);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

JsonNode *
crm_store_conflict_to_json (const CrmStoreConflict *conflict)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_string (builder, "conflict_id", conflict->conflict_id);
  add_string (builder, "entity", conflict->entity);
  add_string (builder, "id", conflict->entity_id);
  add_string (builder, "kind", conflict->kind);
  add_string (builder, "field", conflict->field);
  json_builder_set_member_name (builder, "mine");
  json_builder_add_value (builder, conflict->mine != NULL ? json_node_copy (conflict->mine)
                                                          : json_node_new (JSON_NODE_NULL));
  json_builder_set_member_name (builder, "theirs");
  json_builder_add_value (builder, conflict->theirs != NULL ? json_node_copy (conflict->theirs)
                                                            : json_node_new (JSON_NODE_NULL));
  json_builder_set_member_name (builder, "theirs_version");
  json_builder_add_int_value (builder, conflict->theirs_version);
  add_string (builder, "theirs_by", conflict->theirs_user_id);
  add_string (builder, "by", conflict->by);
  add_string (builder, "at", conflict->at);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static JsonNode *
parse_json_or_null (const char *text)
{
  JsonNode *node = text != NULL ? json_from_string (text, NULL) : NULL;

  return node != NULL ? node : json_node_new (JSON_NODE_NULL);
}

CrmStoreConflict *
crm_pg_conflict_from_row (const PGresult *result,
                          int             row)
{
  CrmStoreConflict *conflict = g_new0 (CrmStoreConflict, 1);

  conflict->conflict_id = g_strdup (crm_pg_value (result, row, 0));
  conflict->seq = crm_pg_int (result, row, 1);
  conflict->entity = g_strdup (crm_pg_value (result, row, 2));
  conflict->entity_id = g_strdup (crm_pg_value (result, row, 3));
  conflict->kind = g_strdup (crm_pg_value (result, row, 4));
  conflict->field = g_strdup (crm_pg_value (result, row, 5));
  conflict->mine = parse_json_or_null (crm_pg_value (result, row, 6));
  conflict->theirs = parse_json_or_null (crm_pg_value (result, row, 7));
  conflict->theirs_version = crm_pg_int (result, row, 8);
  conflict->theirs_user_id = g_strdup (crm_pg_value (result, row, 9));
  conflict->by = g_strdup (crm_pg_value (result, row, 10));
  conflict->by_client = g_strdup (crm_pg_value (result, row, 11));
  conflict->at = g_strdup (crm_pg_value (result, row, 12));
  return conflict;
}

static CrmStoreConflict *
conflict_from_json (JsonObject *object)
{
  CrmStoreConflict *conflict = g_new0 (CrmStoreConflict, 1);
  JsonNode *mine = json_object_get_member (object, "mine");
  JsonNode *theirs = json_object_get_member (object, "theirs");

  conflict->conflict_id = g_strdup (json_object_get_string_member_with_default (object, "conflict_id", NULL));
  conflict->entity = g_strdup (json_object_get_string_member_with_default (object, "entity", NULL));
  conflict->entity_id = g_strdup (json_object_get_string_member_with_default (object, "id", NULL));
  conflict->kind = g_strdup (json_object_get_string_member_with_default (object, "kind", NULL));
  conflict->field = g_strdup (json_object_get_string_member_with_default (object, "field", NULL));
  conflict->mine = mine != NULL ? json_node_copy (mine) : json_node_new (JSON_NODE_NULL);
  conflict->theirs = theirs != NULL ? json_node_copy (theirs) : json_node_new (JSON_NODE_NULL);
  conflict->theirs_version = json_object_get_int_member_with_default (object, "theirs_version", 0);
  conflict->theirs_user_id = g_strdup (json_object_get_string_member_with_default (object, "theirs_by", NULL));
  conflict->by = g_strdup (json_object_get_string_member_with_default (object, "by", NULL));
  conflict->at = g_strdup (json_object_get_string_member_with_default (object, "at", NULL));
  return conflict;
}

void
crm_mutation_result_free (CrmMutationResult *result)
{
  if (result == NULL)
    return;

  g_free (result->op_id);
  g_free (result->entity);
  g_free (result->id);
  g_clear_pointer (&result->row, crm_record_unref);
  g_clear_pointer (&result->conflicts, g_ptr_array_unref);
  g_clear_pointer (&result->problem, crm_store_problem_free);
  g_free (result);
}

JsonNode *
crm_mutation_result_to_json (const CrmMutationResult *result)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_string (builder, "op_id", result->op_id);
  add_string (builder, "status", crm_mutation_status_to_string (result->status));
  add_string (builder, "entity", result->entity);
  add_string (builder, "id", result->id);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, result->version);
  if (result->conflicts != NULL && result->conflicts->len > 0)
    {
      json_builder_set_member_name (builder, "conflicts");
      json_builder_begin_array (builder);
      for (guint i = 0; i < result->conflicts->len; i++)
        json_builder_add_value (builder,
                                crm_store_conflict_to_json (g_ptr_array_index (result->conflicts, i)));
      json_builder_end_array (builder);
    }
  if (result->problem != NULL)
    {
      json_builder_set_member_name (builder, "problem");
      json_builder_add_value (builder, crm_store_problem_to_json (result->problem));
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

CrmMutationResult *
crm_mutation_result_new_from_json (JsonNode *node)
{
  g_autoptr(CrmMutationResult) result = g_new0 (CrmMutationResult, 1);
  JsonObject *object;
  JsonArray *conflicts;

  result->conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_store_conflict_free);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  object = json_node_get_object (node);
  if (!status_from_string (json_object_get_string_member_with_default (object, "status", NULL),
                           &result->status))
    return NULL;

  result->op_id = g_strdup (json_object_get_string_member_with_default (object, "op_id", NULL));
  result->entity = g_strdup (json_object_get_string_member_with_default (object, "entity", NULL));
  result->id = g_strdup (json_object_get_string_member_with_default (object, "id", NULL));
  result->version = json_object_get_int_member_with_default (object, "version", 0);
  conflicts = json_object_has_member (object, "conflicts")
                ? json_object_get_array_member (object, "conflicts") : NULL;
  for (guint i = 0; conflicts != NULL && i < json_array_get_length (conflicts); i++)
    {
      JsonObject *entry = json_array_get_object_element (conflicts, i);

      if (entry != NULL)
        g_ptr_array_add (result->conflicts, conflict_from_json (entry));
    }
  if (json_object_has_member (object, "problem"))
    result->problem = crm_store_problem_new_from_json (json_object_get_member (object, "problem"));
  return g_steal_pointer (&result);
}

void
crm_pull_page_free (CrmPullPage *page)
{
  if (page == NULL)
    return;

  g_clear_pointer (&page->changes, g_ptr_array_unref);
  g_clear_pointer (&page->revoked, g_ptr_array_unref);
  g_clear_pointer (&page->conflicts, g_ptr_array_unref);
  g_free (page);
}

JsonNode *
crm_pull_page_to_json (const CrmPullPage *page)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "changes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < page->changes->len; i++)
    {
      const CrmPullChange *change = g_ptr_array_index (page->changes, i);

      json_builder_begin_object (builder);
      add_string (builder, "entity", change->entity);
      add_string (builder, "id", change->id);
      json_builder_set_member_name (builder, "version");
      json_builder_add_int_value (builder, change->version);
      json_builder_set_member_name (builder, "deleted");
      json_builder_add_boolean_value (builder, change->deleted);
      json_builder_set_member_name (builder, "data");
      json_builder_add_value (builder, crm_record_to_json_node (change->data));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "revoked");
  json_builder_begin_array (builder);
  for (guint i = 0; i < page->revoked->len; i++)
    {
      const CrmPullRevoke *revoke = g_ptr_array_index (page->revoked, i);

      json_builder_begin_object (builder);
      add_string (builder, "entity", revoke->entity);
      add_string (builder, "id", revoke->id);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "conflicts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < page->conflicts->len; i++)
    json_builder_add_value (builder, crm_store_conflict_to_json (g_ptr_array_index (page->conflicts, i)));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "cursor");
  json_builder_add_int_value (builder, page->cursor);
  json_builder_set_member_name (builder, "head");
  json_builder_add_int_value (builder, page->head);
  json_builder_set_member_name (builder, "has_more");
  json_builder_add_boolean_value (builder, page->has_more);
  json_builder_set_member_name (builder, "epoch");
  json_builder_add_int_value (builder, page->epoch);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

void
crm_search_hit_free (CrmSearchHit *hit)
{
  if (hit == NULL)
    return;

  g_free (hit->id);
  g_free (hit->title);
  g_clear_pointer (&hit->row, crm_record_unref);
  g_free (hit);
}

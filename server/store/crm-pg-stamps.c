/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-store"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-pg-private.h"

/*
 * Per-row field stamps and the push idempotency record: the two memories the one
 * write path keeps besides the rows themselves.
 */

static void
stamp_free (gpointer data)
{
  CrmPgStamp *stamp = data;

  g_free ((char *) stamp->stamp.client_id);
  g_free (stamp->user_id);
  g_free (stamp);
}

GHashTable *
crm_pg_stamps_parse (const CrmEntityInfo *entity,
                     const char          *text)
{
  GHashTable *stamps = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, stamp_free);
  g_autoptr(JsonNode) root = text != NULL ? json_from_string (text, NULL) : NULL;
  g_autoptr(GList) names = NULL;
  JsonObject *object;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return stamps;

  object = json_node_get_object (root);
  names = json_object_get_members (object);
  for (GList *l = names; l != NULL; l = l->next)
    {
      int idx = crm_entity_field_index (entity, l->data);
      JsonNode *node = json_object_get_member (object, l->data);
      JsonObject *entry;
      CrmPgStamp *stamp;

      if (idx < 0 || !JSON_NODE_HOLDS_OBJECT (node))
        continue;

      entry = json_node_get_object (node);
      stamp = g_new0 (CrmPgStamp, 1);
      stamp->stamp.version = json_object_get_int_member_with_default (entry, "v", 0);
      stamp->stamp.client_id = g_strdup (json_object_get_string_member_with_default (entry, "c", NULL));
      stamp->user_id = g_strdup (json_object_get_string_member_with_default (entry, "u", NULL));
      /* Keyed by the schema's static name, as crm_merge_fields() looks fields up. */
      g_hash_table_replace (stamps, (gpointer) entity->fields[idx].name, stamp);
    }
  return stamps;
}

char *
crm_pg_stamps_json (const CrmActor *actor,
                    GPtrArray      *fields,
                    gint64          seq)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  for (guint i = 0; i < fields->len; i++)
    {
      json_builder_set_member_name (builder, g_ptr_array_index (fields, i));
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "v");
      json_builder_add_int_value (builder, seq);
      json_builder_set_member_name (builder, "c");
      if (actor->client_id != NULL)
        json_builder_add_string_value (builder, actor->client_id);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "u");
      if (actor->user_id != NULL)
        json_builder_add_string_value (builder, actor->user_id);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return crm_pg_json_to_string (root);
}

CrmMutationResult *
crm_pg_applied_lookup (PGconn      *conn,
                       const char  *client_id,
                       const char  *op_id,
                       GError     **error)
{
  g_autoptr(GPtrArray) params = crm_pg_params_new ();
  g_autoptr(PGresult) locked = NULL;
  g_autoptr(PGresult) result = NULL;
  g_autoptr(JsonNode) node = NULL;
  CrmMutationResult *stored;

  /* The advisory lock makes a duplicate arriving concurrently (a retry racing its
   * original) wait for the first to commit, then find its result. */
  crm_pg_param (params, client_id);
  crm_pg_param (params, op_id);
  locked = crm_pg_exec (conn, "SELECT pg_advisory_xact_lock (hashtextextended ($1 || ' ' || $2, 0))",
                        params, error);
  if (locked == NULL)
    return NULL;
  result = crm_pg_exec (conn,
                        "SELECT result::text FROM applied_ops WHERE client_id = $1 AND op_id = $2",
                        params, error);
  if (result == NULL || PQntuples (result) == 0)
    return NULL;

  node = json_from_string (crm_pg_value (result, 0, 0), NULL);
  stored = crm_mutation_result_new_from_json (node);
  if (stored == NULL)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_DATABASE,
                   "applied_ops (%s, %s) : résultat illisible", client_id, op_id);
      return NULL;
    }
  stored->replayed = TRUE;
  return stored;
}

gboolean
crm_pg_applied_store (PGconn                  *conn,
                      const CrmActor          *actor,
                      const char              *op_id,
                      const char              *entity,
                      const char              *entity_id,
                      const CrmMutationResult *result,
                      GError                 **error)
{
  g_autoptr(GPtrArray) params = crm_pg_params_new ();
  g_autoptr(JsonNode) node = crm_mutation_result_to_json (result);
  g_autoptr(PGresult) inserted = NULL;

  crm_pg_param (params, actor->client_id);
  crm_pg_param (params, op_id);
  crm_pg_param (params, actor->user_id);
  crm_pg_param (params, entity);
  crm_pg_param (params, entity_id);
  crm_pg_param_take (params, crm_pg_json_to_string (node));
  inserted = crm_pg_exec (conn,
                          "INSERT INTO applied_ops (client_id, op_id, user_id, entity, entity_id,"
                          " result) VALUES ($1, $2, $3::uuid, $4, $5::uuid, $6::jsonb)",
                          params, error);
  return inserted != NULL;
}

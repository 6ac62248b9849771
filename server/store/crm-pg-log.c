/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "crm-json.h"
#include "crm-uuid.h"
#include "crm-pg-private.h"

gint64
crm_pg_next_seq (PGconn  *conn,
                 GError **error)
{
  g_autoptr(PGresult) result = NULL;

  /* The row lock this takes is held until our transaction ends, so the next writer
   * gets seq + 1 only after we have committed (or rolled back, which gives the number
   * back): sequences commit in order and a pull never skips one (DESIGN.md §4). */
  result = crm_pg_exec (conn, "UPDATE sync_counter SET seq = seq + 1 WHERE id = 1 RETURNING seq",
                        NULL, error);
  if (result == NULL)
    return -1;
  if (PQntuples (result) != 1)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_DATABASE,
                           _("Le compteur de synchronisation est absent ; lancez « migrate »."));
      return -1;
    }
  return crm_pg_int (result, 0, 0);
}

char *
crm_pg_json_to_string (JsonNode *node)
{
  return json_to_string (node, FALSE);
}

JsonNode *
crm_pg_field_json (const CrmRecord *record,
                   const char      *field)
{
  g_autoptr(JsonObject) object = NULL;
  JsonNode *member;

  if (record == NULL || !crm_record_has (record, field))
    return json_node_new (JSON_NODE_NULL);

  object = crm_record_to_json (record);
  member = json_object_get_member (object, field);
  return member != NULL ? json_node_copy (member) : json_node_new (JSON_NODE_NULL);
}

static const char *
visibility_value (const CrmEntityInfo *entity,
                  const CrmRecord     *row,
                  const char          *which)
{
  if (row == NULL)
    return NULL;
  if (strcmp (which, "assignee") == 0)
    {
      const char *column = crm_pg_assignee_column (entity);

      return column != NULL ? crm_record_get_string (row, column) : NULL;
    }
  return crm_record_get_string (row, which);
}

gboolean
crm_pg_write_change_log (PGconn            *conn,
                         const CrmPgChange *change,
                         GError           **error)
{
  g_autoptr(GPtrArray) params = crm_pg_params_new ();
  g_autoptr(PGresult) result = NULL;
  const CrmEntityInfo *entity = change->entity;

  crm_pg_param_int (params, change->seq);
  crm_pg_param (params, entity->name);
  crm_pg_param (params, change->id);
  crm_pg_param (params, crm_mutation_kind_to_string (change->kind));
  crm_pg_param (params, crm_record_get_bool (change->after, "deleted") ? "true" : "false");
  crm_pg_param (params, visibility_value (entity, change->before, "owner_id"));
  crm_pg_param (params, visibility_value (entity, change->before, "team_id"));
  crm_pg_param (params, visibility_value (entity, change->before, "assignee"));
  crm_pg_param (params, visibility_value (entity, change->after, "owner_id"));
  crm_pg_param (params, visibility_value (entity, change->after, "team_id"));
  crm_pg_param (params, visibility_value (entity, change->after, "assignee"));
  crm_pg_param (params, change->actor->user_id);
  crm_pg_param (params, change->actor->client_id);

  /* The NOTIFY is delivered at commit only, with the number alone: listeners (the
   * WebSocket hub of every instance) pull what they may see. */
  result = crm_pg_exec (conn,
                        "WITH logged AS ("
                        " INSERT INTO change_log (seq, entity, entity_id, kind, version, deleted,"
                        "  owner_before, team_before, assignee_before,"
                        "  owner_after, team_after, assignee_after, user_id, client_id)"
                        " VALUES ($1, $2, $3::uuid, $4, $1, $5::boolean, $6::uuid, $7::uuid,"
                        "  $8::uuid, $9::uuid, $10::uuid, $11::uuid, $12::uuid, $13)"
                        " RETURNING seq)"
                        " SELECT pg_notify ('crm_changes', seq::text) FROM logged",
                        params, error);
  return result != NULL;
}

static void
add_string_member (JsonBuilder *builder,
                   const char  *name,
                   const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static gboolean
write_event (PGconn            *conn,
             const CrmPgChange *change,
             const char        *suffix,
             const char        *from_field,
             GError           **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) payload = NULL;
  g_autoptr(GPtrArray) params = crm_pg_params_new ();
  g_autoptr(PGresult) result = NULL;
  const CrmEntityInfo *entity = change->entity;
  const char *assignee = crm_pg_assignee_column (entity);

  /* Enough for a listener to pick recipients and a webhook to describe the change
   * without reading the row again; the full row is one GET away. */
  json_builder_begin_object (builder);
  add_string_member (builder, "entity", entity->name);
  add_string_member (builder, "id", change->id);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, change->seq);
  add_string_member (builder, "user_id", change->actor->user_id);
  add_string_member (builder, "owner_id", crm_record_get_string (change->after, "owner_id"));
  add_string_member (builder, "team_id", crm_record_get_string (change->after, "team_id"));
  if (assignee != NULL)
    add_string_member (builder, assignee, crm_record_get_string (change->after, assignee));
  json_builder_set_member_name (builder, "changed");
  json_builder_begin_array (builder);
  for (guint i = 0; change->changed != NULL && i < change->changed->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (change->changed, i));
  json_builder_end_array (builder);
  if (from_field != NULL)
    {
      json_builder_set_member_name (builder, "from");
      json_builder_add_value (builder, crm_pg_field_json (change->before, from_field));
      json_builder_set_member_name (builder, "to");
      json_builder_add_value (builder, crm_pg_field_json (change->after, from_field));
    }
  json_builder_end_object (builder);
  payload = json_builder_get_root (builder);

  crm_pg_param_take (params, g_strdup_printf ("%s.%s", entity->name, suffix));
  crm_pg_param (params, entity->name);
  crm_pg_param (params, change->id);
  crm_pg_param_int (params, change->seq);
  crm_pg_param (params, change->actor->user_id);
  crm_pg_param_take (params, crm_pg_json_to_string (payload));
  result = crm_pg_exec (conn,
                        "INSERT INTO events (type, entity, entity_id, seq, user_id, payload)"
                        " VALUES ($1, $2, $3::uuid, $4, $5::uuid, $6::jsonb)",
                        params, error);
  return result != NULL;
}

static gboolean
changed (const CrmPgChange *change,
         const char        *field)
{
  for (guint i = 0; change->changed != NULL && i < change->changed->len; i++)
    if (strcmp (g_ptr_array_index (change->changed, i), field) == 0)
      return TRUE;
  return FALSE;
}

/* A field that now holds @value and did not before (a create counts). */
static gboolean
became (const CrmPgChange *change,
        const char        *field,
        const char        *value)
{
  const char *now = crm_record_get_string (change->after, field);

  return changed (change, field) && now != NULL && (value == NULL || strcmp (now, value) == 0);
}

gboolean
crm_pg_write_events (PGconn            *conn,
                     const CrmPgChange *change,
                     GError           **error)
{
  static const char * const kind_suffix[] = {
    [CRM_MUTATION_CREATE] = "created",
    [CRM_MUTATION_UPDATE] = "updated",
    [CRM_MUTATION_DELETE] = "deleted",
    [CRM_MUTATION_RESTORE] = "restored",
  };
  const CrmEntityInfo *entity = change->entity;

  if (!write_event (conn, change, kind_suffix[change->kind], NULL, error))
    return FALSE;

  /* The events DESIGN.md §7 names beyond the plain ones; a create that already sets
   * the value counts, so a task created for someone still tells them. */
  switch (entity->kind)
    {
    case CRM_ENTITY_ORGANISATION:
      if (change->kind == CRM_MUTATION_UPDATE && changed (change, "pipeline_stage") &&
          !write_event (conn, change, "pipeline_changed", "pipeline_stage", error))
        return FALSE;
      if (change->kind == CRM_MUTATION_UPDATE && became (change, "owner_id", NULL) &&
          !write_event (conn, change, "assigned", "owner_id", error))
        return FALSE;
      break;
    case CRM_ENTITY_MANDAT:
      if (became (change, "status", "signed") &&
          !write_event (conn, change, "signed", "status", error))
        return FALSE;
      break;
    case CRM_ENTITY_TASK:
      if (became (change, "assignee_id", NULL) &&
          !write_event (conn, change, "assigned", "assignee_id", error))
        return FALSE;
      if (became (change, "status", "done") &&
          !write_event (conn, change, "completed", "status", error))
        return FALSE;
      break;
    case CRM_ENTITY_PERSON:
    case CRM_ENTITY_LINK:
    case CRM_ENTITY_INTERACTION:
    case CRM_ENTITY_NOTIFICATION:
    case CRM_ENTITY_USER:
    case CRM_ENTITY_TEAM:
    case CRM_N_ENTITIES:
    default:
      break;
    }
  return TRUE;
}

gboolean
crm_pg_write_audit (PGconn         *conn,
                    const CrmActor *actor,
                    const char     *action,
                    const char     *entity,
                    const char     *entity_id,
                    JsonNode       *details,
                    GError        **error)
{
  g_autoptr(GPtrArray) params = crm_pg_params_new ();
  g_autoptr(PGresult) result = NULL;

  crm_pg_param (params, actor != NULL ? actor->user_id : NULL);
  crm_pg_param (params, actor != NULL ? actor->client_id : NULL);
  crm_pg_param (params, action);
  crm_pg_param (params, entity);
  crm_pg_param (params, entity_id);
  crm_pg_param_take (params, details != NULL ? crm_pg_json_to_string (details) : g_strdup ("{}"));
  result = crm_pg_exec (conn,
                        "INSERT INTO audit (user_id, client_id, action, entity, entity_id, details)"
                        " VALUES ($1::uuid, $2, $3, $4, $5, $6::jsonb)",
                        params, error);
  return result != NULL;
}

gboolean
crm_pg_write_conflict (PGconn           *conn,
                       CrmStoreConflict *conflict,
                       const char       *op_id,
                       GError          **error)
{
  g_autoptr(GPtrArray) params = crm_pg_params_new ();
  g_autoptr(PGresult) result = NULL;

  g_free (conflict->conflict_id);
  conflict->conflict_id = crm_uuid7_new ();

  crm_pg_param (params, conflict->conflict_id);
  crm_pg_param_int (params, conflict->seq);
  crm_pg_param (params, conflict->entity);
  crm_pg_param (params, conflict->entity_id);
  crm_pg_param (params, conflict->kind);
  crm_pg_param (params, conflict->field);
  crm_pg_param_take (params, crm_pg_json_to_string (conflict->mine));
  crm_pg_param_take (params, crm_pg_json_to_string (conflict->theirs));
  crm_pg_param_int (params, conflict->theirs_version);
  crm_pg_param (params, conflict->theirs_user_id);
  crm_pg_param (params, conflict->by);
  crm_pg_param (params, conflict->by_client);
  crm_pg_param (params, op_id);
  result = crm_pg_exec (conn,
                        "INSERT INTO conflicts (id, seq, entity, entity_id, kind, field, mine,"
                        " theirs, theirs_version, theirs_user, by_user, by_client, op_id)"
                        " VALUES ($1::uuid, $2, $3, $4::uuid, $5, $6, $7::jsonb, $8::jsonb, $9,"
                        " $10::uuid, $11::uuid, $12, $13)"
                        " RETURNING crm_rfc3339 (at)",
                        params, error);
  if (result == NULL)
    return FALSE;

  g_free (conflict->at);
  conflict->at = g_strdup (crm_pg_value (result, 0, 0));
  return TRUE;
}

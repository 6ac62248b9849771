/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "crm-json.h"
#include "crm-pg-private.h"
#include "crm-uuid.h"
#include "crm-validate.h"

/* ---- Get ---------------------------------------------------------------------- */

CrmRecord *
crm_pg_load_row (PGconn              *conn,
                 const CrmEntityInfo *entity,
                 const char          *id,
                 gboolean             lock,
                 GError             **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT ");
  g_autoptr(GPtrArray) params = crm_pg_params_new ();
  g_autoptr(PGresult) result = NULL;

  crm_pg_append_columns (sql, entity, "t");
  g_string_append_printf (sql, " FROM %s t WHERE t.id = $%u::uuid%s", entity->collection,
                          crm_pg_param (params, id), lock ? " FOR UPDATE" : "");
  result = crm_pg_exec (conn, sql->str, params, error);
  if (result == NULL || PQntuples (result) == 0)
    return NULL;
  return crm_pg_record_from_row (entity, result, 0, 0, error);
}

static gboolean
check_readable (const CrmActor      *actor,
                const CrmEntityInfo *entity,
                GError             **error)
{
  if (crm_pg_actor_can (actor, entity, CRM_ACTION_READ))
    return TRUE;

  g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_FORBIDDEN,
               _("Votre rôle ne permet pas de consulter « %s »."), entity->label_plural);
  return FALSE;
}

CrmRecord *
crm_store_get (PGconn         *conn,
               const CrmActor *actor,
               CrmEntityKind   kind,
               const char     *id,
               GError        **error)
{
  const CrmEntityInfo *entity;
  g_autofree char *lower = NULL;
  g_autoptr(CrmRecord) row = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *assignee;

  g_return_val_if_fail (conn != NULL && actor != NULL, NULL);
  /* Not an actor made from a token alone: this query does not check the user row. */
  g_return_val_if_fail (!actor->unchecked, NULL);
  g_return_val_if_fail ((guint) kind < CRM_N_ENTITIES && crm_entity_get (kind)->synced, NULL);

  entity = crm_entity_get (kind);
  if (!check_readable (actor, entity, error))
    return NULL;
  if (id == NULL || !crm_uuid_is_valid (id))
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("L’identifiant « %s » n’est pas un UUID valide."), id != NULL ? id : "");
      return NULL;
    }

  lower = g_ascii_strdown (id, -1);
  row = crm_pg_load_row (conn, entity, lower, FALSE, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  assignee = crm_pg_assignee_column (entity);
  if (row == NULL ||
      !crm_pg_actor_sees (actor, entity, crm_record_get_string (row, "owner_id"),
                          crm_record_get_string (row, "team_id"),
                          assignee != NULL ? crm_record_get_string (row, assignee) : NULL))
    {
      /* Absent and hidden look the same from outside (DESIGN.md §9). */
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                   _("Aucun élément « %s » ne porte l’identifiant %s, ou il ne vous est pas "
                     "accessible."), entity->label, lower);
      return NULL;
    }
  return g_steal_pointer (&row);
}

/**
 * crm_store_get_json:
 * @out: where the row's JSON goes (appended)
 * @version: (out): the row's version, for its ETag
 *
 * crm_store_get () written as the JSON crm_record_append_json () gives for its row,
 * read from the row's "wire" column (migration 0015): one value from PostgreSQL, no
 * record in between. A row PostgreSQL keeps no JSON for goes through the record.
 */
gboolean
crm_store_get_json (PGconn         *conn,
                    const CrmActor *actor,
                    CrmEntityKind   kind,
                    const char     *id,
                    GString        *out,
                    gint64         *version,
                    GError        **error)
{
  static char *statements[CRM_N_ENTITIES];
  static gsize once = 0;
  const CrmEntityInfo *entity;
  g_autofree char *lower = NULL;
  g_autoptr(GPtrArray) params = crm_pg_params_new ();
  g_autoptr(PGresult) result = NULL;
  g_autoptr(CrmRecord) row = NULL;

  g_return_val_if_fail (conn != NULL && actor != NULL && out != NULL, FALSE);
  g_return_val_if_fail (!actor->unchecked, FALSE);
  g_return_val_if_fail ((guint) kind < CRM_N_ENTITIES && crm_entity_get (kind)->synced, FALSE);

  entity = crm_entity_get (kind);
  if (!check_readable (actor, entity, error))
    return FALSE;
  if (id == NULL || !crm_uuid_is_valid (id))
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("L’identifiant « %s » n’est pas un UUID valide."), id != NULL ? id : "");
      return FALSE;
    }

  /* wire, version, then what crm_pg_actor_sees () needs, as text. */
  if (g_once_init_enter (&once))
    {
      for (guint i = 0; i < CRM_N_ENTITIES; i++)
        {
          const CrmEntityInfo *info = crm_entity_get ((CrmEntityKind) i);
          g_autofree char *assignee = NULL;

          if (info == NULL || !info->synced)
            continue;
          assignee = crm_pg_assignee_column (info) != NULL
                       ? g_strdup_printf ("t.%s::text", crm_pg_assignee_column (info))
                       : g_strdup ("NULL");
          statements[i] = g_strdup_printf ("SELECT t.wire, t.version::text, t.owner_id::text,"
                                           " t.team_id::text, %s FROM %s t"
                                           " WHERE t.id = $1::uuid",
                                           assignee, info->collection);
        }
      g_once_init_leave (&once, 1);
    }

  lower = g_ascii_strdown (id, -1);
  crm_pg_param (params, lower);
  result = crm_pg_exec (conn, statements[kind], params, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 1
      && !crm_pg_actor_sees (actor, entity, crm_pg_value (result, 0, 2),
                             crm_pg_value (result, 0, 3), crm_pg_value (result, 0, 4)))
    g_clear_pointer (&result, PQclear);
  if (result == NULL || PQntuples (result) == 0)
    {
      /* Absent and hidden look the same from outside (DESIGN.md §9). */
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                   _("Aucun élément « %s » ne porte l’identifiant %s, ou il ne vous est pas "
                     "accessible."), entity->label, lower);
      return FALSE;
    }
  if (!PQgetisnull (result, 0, 0))
    {
      *version = g_ascii_strtoll (PQgetvalue (result, 0, 1), NULL, 10);
      g_string_append_len (out, PQgetvalue (result, 0, 0), PQgetlength (result, 0, 0));
      return TRUE;
    }

  /* No JSON kept for this row: the record path, visibility checked again. */
  row = crm_store_get (conn, actor, kind, lower, error);
  if (row == NULL)
    return FALSE;
  *version = crm_record_get_int (row, "version");
  crm_record_append_json (row, out);
  return TRUE;
}

/* ---- Queries ------------------------------------------------------------------ */

static void
filter_clear (gpointer data)
{
  CrmPgFilter *filter = data;

  g_free (filter->value);
}

CrmStoreQuery *
crm_store_query_new (CrmEntityKind kind)
{
  CrmStoreQuery *query;

  g_return_val_if_fail ((guint) kind < CRM_N_ENTITIES && crm_entity_get (kind)->synced, NULL);

  query = g_new0 (CrmStoreQuery, 1);
  query->entity = crm_entity_get (kind);
  query->filters = g_array_new (FALSE, TRUE, sizeof (CrmPgFilter));
  g_array_set_clear_func (query->filters, filter_clear);
  query->sort = crm_entity_field (query->entity, "id");
  return query;
}

void
crm_store_query_free (CrmStoreQuery *query)
{
  if (query == NULL)
    return;

  g_array_unref (query->filters);
  g_free (query->after);
  g_free (query->problem);
  g_free (query);
}

static void
query_fail (CrmStoreQuery *query,
            char          *message)
{
  if (query->problem == NULL)
    query->problem = message;
  else
    g_free (message);
}

void
crm_store_query_filter (CrmStoreQuery *query,
                        const char    *field,
                        CrmStoreCmp    cmp,
                        const char    *value)
{
  CrmPgFilter filter = { NULL, NULL, cmp, NULL };
  gboolean unary = cmp == CRM_STORE_IS_NULL || cmp == CRM_STORE_NOT_NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (query != NULL);

  filter.field = crm_entity_field (query->entity, field);
  if (filter.field == NULL && field != NULL &&
      ((query->entity->kind == CRM_ENTITY_PERSON && strcmp (field, "organisation_id") == 0) ||
       (query->entity->kind == CRM_ENTITY_INTERACTION && strcmp (field, "person_id") == 0)))
    filter.pseudo = query->entity->kind == CRM_ENTITY_PERSON ? "organisation_id" : "person_id";

  if (filter.field == NULL && filter.pseudo == NULL)
    return query_fail (query, g_strdup_printf (_("« %s » ne peut pas filtrer « %s »."),
                                               field != NULL ? field : "",
                                               query->entity->label_plural));
  if (!unary && value == NULL)
    return query_fail (query, g_strdup_printf (_("Le filtre sur « %s » n’a pas de valeur."),
                                               field));
  if (filter.pseudo != NULL && cmp != CRM_STORE_EQ)
    return query_fail (query, g_strdup_printf (_("Le filtre sur « %s » n’accepte que "
                                                 "l’égalité."), field));

  if (filter.field != NULL && !unary)
    {
      gboolean list = filter.field->type == CRM_FIELD_TAGS ||
                      filter.field->type == CRM_FIELD_UUID_LIST;

      if (list && cmp != CRM_STORE_EQ)
        return query_fail (query, g_strdup_printf (_("Le filtre sur « %s » n’accepte que "
                                                     "« contient »."), filter.field->label));
      /* A list filter names one element: validate it as a one-element list. */
      if (list)
        {
          g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
          g_autoptr(JsonArray) array = json_array_new ();
          g_autofree char *text = NULL;

          json_array_add_string_element (array, value);
          json_node_set_array (node, array);
          text = json_to_string (node, FALSE);
          if (!crm_validate_field_text (filter.field, text, &error))
            return query_fail (query, g_strdup (error->message));
        }
      else if (!crm_validate_field_text (filter.field, value, &error))
        return query_fail (query, g_strdup (error->message));
    }
  if (filter.pseudo != NULL && !crm_uuid_is_valid (value))
    return query_fail (query, g_strdup_printf (_("Le filtre sur « %s » attend un identifiant "
                                                 "UUID."), field));

  filter.value = g_strdup (value);
  g_array_append_val (query->filters, filter);
}

static gboolean
is_sortable (const CrmFieldInfo *field)
{
  return field->type != CRM_FIELD_TAGS && field->type != CRM_FIELD_UUID_LIST;
}

void
crm_store_query_sort (CrmStoreQuery *query,
                      const char    *field,
                      gboolean       descending)
{
  const CrmFieldInfo *info;

  g_return_if_fail (query != NULL);

  info = crm_entity_field (query->entity, field);
  if (info == NULL || !is_sortable (info))
    return query_fail (query, g_strdup_printf (_("Impossible de trier « %s » par « %s »."),
                                               query->entity->label_plural,
                                               field != NULL ? field : ""));
  query->sort = info;
  query->descending = descending;
}

void
crm_store_query_set_limit (CrmStoreQuery *query,
                           guint          limit)
{
  g_return_if_fail (query != NULL);

  if (limit > CRM_STORE_MAX_LIMIT)
    return query_fail (query, g_strdup_printf (_("Une page compte au plus %d éléments."),
                                               CRM_STORE_MAX_LIMIT));
  query->limit = limit;
}

void
crm_store_query_set_after (CrmStoreQuery *query,
                           const char    *cursor)
{
  g_return_if_fail (query != NULL);

  g_free (query->after);
  query->after = g_strdup (cursor);
}

void
crm_store_query_set_include_deleted (CrmStoreQuery *query,
                                     gboolean       include_deleted)
{
  g_return_if_fail (query != NULL);
  query->include_deleted = include_deleted;
}

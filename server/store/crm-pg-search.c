/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "crm-pg-private.h"

/*
 * Search runs in two passes per entity:
 * 1. French full text over the generated `search` column: the typed text is folded
 *    (crm_fold: lower case, no accents), split on anything that is not a letter or
 *    a digit, and every word becomes a prefix term, so any text is a valid query and
 *    "societe gen" finds "Société Générale".
 * 2. When that finds fewer rows than asked, trigram word similarity on the folded
 *    name (`search_name`) fills in: "genarale" still finds "Générale".
 * Both passes see only live rows the actor may read and see.
 */

#define MAX_SEARCH_TEXT 200
#define SEARCH_DEFAULT_LIMIT 20
#define SEARCH_MAX_LIMIT 100

/* Folded words as prefix terms; NULL (matches nothing) when there are none. */
#define QUERY_CTE \
  "WITH q AS (SELECT to_tsquery ('french', string_agg (quote_literal (w) || ':*', ' & ')) AS q" \
  " FROM regexp_split_to_table (crm_fold ($1), '[^[:alnum:]]+') AS w WHERE w <> '')"

static const CrmEntityKind searchable[] = {
  CRM_ENTITY_ORGANISATION,
  CRM_ENTITY_PERSON,
  CRM_ENTITY_MANDAT,
  CRM_ENTITY_INTERACTION,
  CRM_ENTITY_TASK,
};

static gboolean
wanted (const CrmEntityKind *entities,
        CrmEntityKind        kind)
{
  if (entities == NULL)
    return TRUE;
  for (guint i = 0; entities[i] != CRM_N_ENTITIES; i++)
    if (entities[i] == kind)
      return TRUE;
  return FALSE;
}

static char *
title_of (const CrmRecord *row)
{
  const CrmEntityInfo *entity = crm_record_get_entity (row);

  switch (entity->kind)
    {
    case CRM_ENTITY_PERSON:
      return g_strstrip (g_strdup_printf ("%s %s",
                                          crm_record_get_string (row, "first_name") ?: "",
                                          crm_record_get_string (row, "last_name") ?: ""));
    case CRM_ENTITY_MANDAT:
      return g_strdup (crm_record_get_string (row, "number"));
    case CRM_ENTITY_INTERACTION:
      return g_strdup (crm_record_get_string (row, "subject"));
    case CRM_ENTITY_TASK:
      return g_strdup (crm_record_get_string (row, "title"));
    case CRM_ENTITY_ORGANISATION:
    case CRM_ENTITY_LINK:
    case CRM_ENTITY_NOTIFICATION:
    case CRM_ENTITY_USER:
    case CRM_ENTITY_TEAM:
    case CRM_N_ENTITIES:
    default:
      return g_strdup (crm_record_get_string (row, "name"));
    }
}

static gboolean
add_hits (const CrmEntityInfo *entity,
          const PGresult      *result,
          gboolean             fuzzy,
          GPtrArray           *hits,
          GHashTable          *seen,
          GError             **error)
{
  for (int i = 0; i < PQntuples (result); i++)
    {
      g_autoptr(CrmRecord) row = crm_pg_record_from_row (entity, result, i, 0, error);
      CrmSearchHit *hit;

      if (row == NULL)
        return FALSE;
      if (!g_hash_table_add (seen, g_strdup (crm_record_get_string (row, "id"))))
        continue;

      hit = g_new0 (CrmSearchHit, 1);
      hit->entity = entity->name;
      hit->id = g_strdup (crm_record_get_string (row, "id"));
      hit->title = title_of (row);
      hit->rank = g_ascii_strtod (crm_pg_value (result, i, (int) entity->n_fields), NULL);
      hit->fuzzy = fuzzy;
      hit->row = g_steal_pointer (&row);
      g_ptr_array_add (hits, hit);
    }
  return TRUE;
}

static gboolean
search_entity (PGconn              *conn,
               const CrmActor      *actor,
               const CrmEntityInfo *entity,
               const char          *text,
               guint                limit,
               GPtrArray           *hits,
               GError             **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) sql = g_string_new (QUERY_CTE " SELECT ");
  g_autoptr(GPtrArray) params = crm_pg_params_new ();
  g_autoptr(PGresult) words = NULL;
  g_autoptr(PGresult) fuzzy = NULL;
  g_autoptr(GString) ids = g_string_new ("{");
  guint before = hits->len;

  crm_pg_param (params, text);
  crm_pg_append_columns (sql, entity, "t");
  /* Names (weight A) count for more than e-mails (B) and notes (C). */
  g_string_append_printf (sql, ", ts_rank ('{0.1, 0.2, 0.4, 1.0}', t.search, q.q) AS rank"
                               " FROM %s t, q WHERE NOT t.deleted AND t.search @@ q.q",
                          entity->collection);
  crm_pg_append_visibility (sql, params, actor, entity, "t");
  g_string_append_printf (sql, " ORDER BY rank DESC, t.id LIMIT %u", limit);
  words = crm_pg_exec (conn, sql->str, params, error);
  if (words == NULL || !add_hits (entity, words, FALSE, hits, seen, error))
    return FALSE;

  if ((guint) PQntuples (words) >= limit)
    return TRUE;

  for (guint i = before; i < hits->len; i++)
    {
      const CrmSearchHit *hit = g_ptr_array_index (hits, i);

      if (ids->len > 1)
        g_string_append_c (ids, ',');
      g_string_append (ids, hit->id);
    }
  g_string_append_c (ids, '}');

  g_string_assign (sql, "SELECT ");
  g_ptr_array_set_size (params, 0);
  crm_pg_param (params, text);
  crm_pg_append_columns (sql, entity, "t");
  g_string_append_printf (sql, ", word_similarity (crm_fold ($1), t.search_name) AS rank"
                               " FROM %s t WHERE NOT t.deleted"
                               " AND crm_fold ($1) <%% t.search_name"
                               " AND NOT (t.id = ANY ($%u::uuid[]))",
                          entity->collection, crm_pg_param (params, ids->str));
  crm_pg_append_visibility (sql, params, actor, entity, "t");
  g_string_append_printf (sql, " ORDER BY rank DESC, t.id LIMIT %u",
                          limit - (guint) PQntuples (words));
  fuzzy = crm_pg_exec (conn, sql->str, params, error);
  return fuzzy != NULL && add_hits (entity, fuzzy, TRUE, hits, seen, error);
}

GPtrArray *
crm_store_search (PGconn              *conn,
                  const CrmActor      *actor,
                  const char          *text,
                  const CrmEntityKind *entities,
                  guint                limit,
                  GError             **error)
{
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_search_hit_free);
  g_auto(CrmPgTx) tx = { 0 };

  g_return_val_if_fail (conn != NULL && actor != NULL, NULL);
  /* Not an actor made from a token alone: this query does not check the user row. */
  g_return_val_if_fail (!actor->unchecked, NULL);

  if (text == NULL || !g_utf8_validate (text, -1, NULL) ||
      g_utf8_strlen (text, -1) > MAX_SEARCH_TEXT)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("La recherche doit être un texte d’au plus %d caractères."), MAX_SEARCH_TEXT);
      return NULL;
    }
  limit = limit == 0 ? SEARCH_DEFAULT_LIMIT : MIN (limit, SEARCH_MAX_LIMIT);

  if (!crm_pg_tx_begin (&tx, conn, "BEGIN READ ONLY", error))
    return NULL;
  /* Stop words ("de", "la") make to_tsquery chatter NOTICEs; the typo pass wants a
   * lower bar than pg_trgm's 0.6 default to forgive one wrong letter in a short word. */
  if (!crm_pg_command (conn, "SET LOCAL client_min_messages = warning", error) ||
      !crm_pg_command (conn, "SET LOCAL pg_trgm.word_similarity_threshold = 0.4", error))
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (searchable); i++)
    {
      const CrmEntityInfo *entity = crm_entity_get (searchable[i]);

      if (!wanted (entities, searchable[i]) ||
          !crm_pg_actor_can (actor, entity, CRM_ACTION_READ))
        continue;
      if (!search_entity (conn, actor, entity, text, limit, hits, error))
        return NULL;
    }

  if (!crm_pg_tx_commit (&tx, error))
    return NULL;
  return g_steal_pointer (&hits);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-api"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-api-private.h"
#include "crm-json.h"

/*
 * GET /api/v1/search?q=…&limit=…&entities=organisation,person
 *   → {"query", "groups": {"organisations": [{"id", "title", "rank", "fuzzy", "item"}]…}}
 * GET /api/v1/search/autocomplete?q=…&limit=…
 *   → {"query", "items": [{"entity", "id", "title"}]}: the best titles across entities.
 * Both see only what the caller may read (crm_store_search filters by visibility).
 */

#define SEARCH_MAX_LIMIT        100
#define AUTOCOMPLETE_LIMIT      10

static void
respond_bad_request (CrmApiCall *call,
                     const char *detail)
{
  crm_api_call_respond_problem (call, SOUP_STATUS_BAD_REQUEST, CRM_API_PROBLEM_BAD_REQUEST,
                                _("Requête invalide"), detail, NULL);
}

static gboolean
parse_limit (CrmApiCall *call,
             guint       fallback,
             guint      *limit)
{
  const char *text = crm_api_call_get_query (call, "limit");
  char *end = NULL;
  gint64 value;

  *limit = fallback;
  if (text == NULL)
    return TRUE;
  value = g_ascii_isdigit (text[0]) ? g_ascii_strtoll (text, &end, 10) : -1;
  if (end == NULL || *end != '\0' || value < 1 || value > SEARCH_MAX_LIMIT)
    {
      g_autofree char *detail = g_strdup_printf (_("« limit » doit être un entier entre 1 et "
                                                   "%d."),
                                                 SEARCH_MAX_LIMIT);

      respond_bad_request (call, detail);
      return FALSE;
    }
  *limit = (guint) value;
  return TRUE;
}

/* "organisation,person" (or collections) → a list ending with CRM_N_ENTITIES. */
static gboolean
parse_entities (CrmApiCall    *call,
                CrmEntityKind *kinds)
{
  const char *text = crm_api_call_get_query (call, "entities");
  g_auto (GStrv) names = NULL;
  guint n = 0;

  kinds[0] = CRM_N_ENTITIES;
  if (text == NULL)
    return TRUE;
  names = g_strsplit (text, ",", -1);
  for (guint i = 0; names[i] != NULL && n < CRM_N_ENTITIES; i++)
    {
      const CrmEntityInfo *entity = crm_entity_lookup (names[i]);

      if (entity == NULL)
        entity = crm_entity_lookup_collection (names[i]);
      if (entity == NULL || !entity->synced)
        {
          g_autofree char *detail = g_strdup_printf (_("Entité inconnue : « %s »."), names[i]);

          respond_bad_request (call, detail);
          return FALSE;
        }
      kinds[n++] = entity->kind;
    }
  kinds[n] = CRM_N_ENTITIES;
  return TRUE;
}

static GPtrArray *
run_search (CrmApiCall *call,
            PGconn     *conn,
            guint       fallback_limit)
{
  const char *text = crm_api_call_get_query (call, "q");
  CrmEntityKind kinds[CRM_N_ENTITIES + 1];
  g_autoptr (GError) error = NULL;
  GPtrArray *hits;
  guint limit;

  if (text == NULL)
    {
      respond_bad_request (call, _("Indiquez le texte cherché : « ?q=… »."));
      return NULL;
    }
  if (!parse_limit (call, fallback_limit, &limit) || !parse_entities (call, kinds))
    return NULL;
  hits = crm_store_search (conn, crm_api_call_get_actor (call), text,
                           kinds[0] == CRM_N_ENTITIES ? NULL : kinds, limit, &error);
  if (hits == NULL)
    crm_api_call_respond_error (call, error);
  return hits;
}

static JsonObject *
hit_to_json (const CrmSearchHit *hit,
             gboolean            with_row)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "entity", hit->entity);
  json_object_set_string_member (object, "id", hit->id);
  json_object_set_string_member (object, "title", hit->title != NULL ? hit->title : "");
  if (with_row)
    {
      json_object_set_double_member (object, "rank", hit->rank);
      json_object_set_boolean_member (object, "fuzzy", hit->fuzzy);
      if (hit->row != NULL)
        json_object_set_member (object, "item", crm_record_to_json_node (hit->row));
    }
  return object;
}

static void
handle_search (CrmApiCall *call,
               PGconn     *conn,
               gpointer    user_data)
{
  g_autoptr (GPtrArray) hits = run_search (call, conn, 0);
  JsonObject *groups, *object;
  JsonNode *node;

  if (hits == NULL)
    return;
  groups = json_object_new ();
  for (guint i = 0; i < hits->len; i++)
    {
      const CrmSearchHit *hit = g_ptr_array_index (hits, i);
      const char *collection = crm_entity_lookup (hit->entity)->collection;

      if (!json_object_has_member (groups, collection))
        json_object_set_array_member (groups, collection, json_array_new ());
      json_array_add_object_element (json_object_get_array_member (groups, collection),
                                     hit_to_json (hit, TRUE));
    }
  object = json_object_new ();
  json_object_set_string_member (object, "query", crm_api_call_get_query (call, "q"));
  json_object_set_int_member (object, "total", hits->len);
  json_object_set_object_member (object, "groups", groups);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  crm_api_call_respond (call, SOUP_STATUS_OK, node);
}

static int
by_rank (gconstpointer a,
         gconstpointer b)
{
  const CrmSearchHit *x = *(const CrmSearchHit **) a;
  const CrmSearchHit *y = *(const CrmSearchHit **) b;

  if (x->fuzzy != y->fuzzy)
    return x->fuzzy ? 1 : -1;
  return x->rank < y->rank ? 1 : x->rank > y->rank ? -1 : 0;
}

static void
handle_autocomplete (CrmApiCall *call,
                     PGconn     *conn,
                     gpointer    user_data)
{
  g_autoptr (GPtrArray) hits = run_search (call, conn, AUTOCOMPLETE_LIMIT);
  const char *limit_text = crm_api_call_get_query (call, "limit");
  guint limit = limit_text != NULL ? (guint) g_ascii_strtoull (limit_text, NULL, 10)
                                   : AUTOCOMPLETE_LIMIT;
  JsonArray *items;
  JsonObject *object;
  JsonNode *node;

  if (hits == NULL)
    return;
  /* Exact matches before typo matches, then by rank, across entities. */
  g_ptr_array_sort (hits, by_rank);
  items = json_array_new ();
  for (guint i = 0; i < hits->len && i < limit; i++)
    json_array_add_object_element (items, hit_to_json (g_ptr_array_index (hits, i), FALSE));
  object = json_object_new ();
  json_object_set_string_member (object, "query", crm_api_call_get_query (call, "q"));
  json_object_set_array_member (object, "items", items);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  crm_api_call_respond (call, SOUP_STATUS_OK, node);
}

void
crm_api_search_register (CrmApi *api)
{
  crm_api_add_route (api, "GET", "/api/v1/search", 0, handle_search, NULL);
  crm_api_add_route (api, "GET", "/api/v1/search/autocomplete", 0, handle_autocomplete, NULL);
}

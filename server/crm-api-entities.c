/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-api"

#include "config.h"

#include <glib/gi18n.h>
#include <openssl/evp.h>
#include <string.h>

#include "crm-api-private.h"
#include "crm-json.h"
#include "crm-problem.h"

/*
 * The synced entities over REST (DESIGN.md §9): list, get, create, update, delete,
 * restore. Every write is one crm_store_mutate() op, as a sync push would send it:
 * a PATCH's If-Match is the op's base version, so a stale one gets the field merge.
 */

static const CrmEntityKind rest_entities[] = {
  CRM_ENTITY_ORGANISATION, CRM_ENTITY_PERSON, CRM_ENTITY_LINK, CRM_ENTITY_MANDAT,
  CRM_ENTITY_INTERACTION, CRM_ENTITY_TASK, CRM_ENTITY_NOTIFICATION,
};

/* Query parameters that are not filters. */
static const char *const list_options[] = { "limit", "after", "sort", "include_deleted", NULL };

static const struct
{
  const char *suffix;
  CrmStoreCmp cmp;
} filter_ops[] = {
  { "ne", CRM_STORE_NE }, { "lt", CRM_STORE_LT }, { "lte", CRM_STORE_LE },
  { "gt", CRM_STORE_GT }, { "gte", CRM_STORE_GE },
};

static void
respond_bad_request (CrmApiCall *call,
                     const char *detail)
{
  crm_api_call_respond_problem (call, SOUP_STATUS_BAD_REQUEST, CRM_API_PROBLEM_BAD_REQUEST,
                                _("Requête invalide"), detail, NULL);
}

static char *
etag_for_version (gint64 version)
{
  return g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", version);
}

/* If-None-Match lists ETags (or "*"); a weak one compares equal too (RFC 9110 §13.1.2). */
static gboolean
none_match_hits (CrmApiCall *call,
                 const char *etag)
{
  const char *header = crm_api_call_get_header (call, "If-None-Match");
  g_auto (GStrv) tags = NULL;

  if (header == NULL)
    return FALSE;
  tags = g_strsplit (header, ",", -1);
  for (guint i = 0; tags[i] != NULL; i++)
    {
      const char *tag = g_strstrip (tags[i]);

      if (g_str_has_prefix (tag, "W/"))
        tag += 2;
      if (strcmp (tag, "*") == 0 || strcmp (tag, etag) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
respond_row (CrmApiCall      *call,
             guint            status,
             const CrmRecord *row)
{
  g_autofree char *etag = etag_for_version (crm_record_get_int (row, "version"));
  gsize length = 0;
  char *text = crm_record_to_json_data (row, &length);
  g_autoptr (GBytes) body = g_bytes_new_take (text, length);

  crm_api_call_set_header (call, "ETag", etag);
  crm_api_call_respond_bytes (call, status, "application/json", body);
}

/* ---- reading a body into a record ----------------------------------------------------- */

static void
add_field_error (JsonArray  *errors,
                 const char *field,
                 const char *message)
{
  JsonObject *entry = json_object_new ();

  json_object_set_string_member (entry, "field", field);
  json_object_set_string_member (entry, "message", message);
  json_array_add_object_element (errors, entry);
}

/*
 * The fields a body sets, or NULL after answering 422 with one entry per bad member:
 * unknown names, wrong JSON types, values core refuses to decode. Read-only columns
 * (version, timestamps) are dropped, so a row fetched, edited and sent back is fine.
 */
static CrmRecord *
record_from_body (CrmApiCall          *call,
                  const CrmEntityInfo *entity,
                  JsonObject          *object)
{
  g_autoptr (JsonArray) errors = json_array_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmRecord) record = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &value))
    {
      g_autoptr (JsonObject) single = NULL;
      g_autoptr (CrmRecord) probe = NULL;
      g_autoptr (GError) field_error = NULL;

      if (crm_entity_field (entity, name) == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("Champ inconnu : « %s »."), name);

          add_field_error (errors, name, message);
          continue;
        }
      single = json_object_new ();
      json_object_set_member (single, name, json_node_copy (value));
      probe = crm_record_from_json (entity, single, CRM_JSON_SKIP_READONLY, &field_error);
      if (probe == NULL)
        add_field_error (errors, name, field_error->message);
    }

  if (json_array_get_length (errors) == 0)
    record = crm_record_from_json (entity, object, CRM_JSON_SKIP_READONLY, &error);
  if (record == NULL)
    {
      JsonObject *extra = json_object_new ();

      if (error != NULL)
        add_field_error (errors, NULL, error->message);
      json_object_set_array_member (extra, "errors", g_steal_pointer (&errors));
      crm_api_call_respond_problem (call, 422, CRM_API_PROBLEM_VALIDATION, _("Données invalides"),
                                    _("Certains champs sont invalides ; voyez « errors »."),
                                    extra);
      return NULL;
    }
  return g_steal_pointer (&record);
}

/* ---- the write path -------------------------------------------------------------------- */

static void
respond_conflict (CrmApiCall              *call,
                  const CrmMutationResult *result)
{
  JsonObject *extra = json_object_new ();
  JsonArray *conflicts = json_array_new ();
  g_autoptr (GString) detail = g_string_new (NULL);

  for (guint i = 0; i < result->conflicts->len; i++)
    {
      const CrmStoreConflict *conflict = g_ptr_array_index (result->conflicts, i);
      g_autofree char *mine = conflict->mine ? json_to_string (conflict->mine, FALSE) : NULL;
      g_autofree char *theirs = conflict->theirs ? json_to_string (conflict->theirs, FALSE)
                                                 : NULL;

      json_array_add_element (conflicts, crm_store_conflict_to_json (conflict));
      if (conflict->field == NULL)
        g_string_append (detail, _("La fiche a été supprimée entre-temps. "));
      else
        g_string_append_printf (detail,
                                _("« %s » a été modifié entre-temps : valeur enregistrée %s, "
                                  "la vôtre %s. "),
                                conflict->field, theirs, mine);
    }
  g_string_append (detail, _("Rechargez la fiche et choisissez la valeur à garder."));
  json_object_set_array_member (extra, "conflicts", conflicts);
  json_object_set_int_member (extra, "version", result->version);
  crm_api_call_respond_problem (call, SOUP_STATUS_CONFLICT, CRM_API_PROBLEM_EDIT_CONFLICT,
                                _("Conflit de modification"), detail->str, extra);
}

static void
mutate (CrmApiCall          *call,
        PGconn              *conn,
        const CrmEntityInfo *entity,
        CrmMutation         *op,
        guint                success_status)
{
  g_autoptr (CrmMutationResult) result = NULL;
  g_autoptr (GError) error = NULL;

  op->entity = entity->kind;
  if (!crm_store_mutate (conn, crm_api_call_get_actor (call), op, &result, &error))
    {
      crm_api_call_respond_error (call, error);
      return;
    }

  switch (result->status)
    {
    case CRM_MUTATION_REJECTED:
      crm_api_call_respond_store_problem (call, result->problem);
      return;
    case CRM_MUTATION_CONFLICT:
      respond_conflict (call, result);
      return;
    case CRM_MUTATION_APPLIED:
    case CRM_MUTATION_MERGED:
    default:
      break;
    }

  if (success_status == SOUP_STATUS_NO_CONTENT || result->row == NULL)
    {
      crm_api_call_respond (call, SOUP_STATUS_NO_CONTENT, NULL);
      return;
    }
  if (success_status == SOUP_STATUS_CREATED)
    {
      g_autofree char *location = g_strdup_printf ("/api/v1/%s/%s", entity->collection,
                                                   result->id);

      crm_api_call_set_header (call, "Location", location);
    }
  respond_row (call, success_status, result->row);
}

static void
handle_create (CrmApiCall *call,
               PGconn     *conn,
               gpointer    user_data)
{
  const CrmEntityInfo *entity = user_data;
  JsonObject *body = crm_api_call_require_object (call);
  g_autoptr (CrmRecord) fields = NULL;
  CrmMutation op = { 0 };

  if (body == NULL || (fields = record_from_body (call, entity, body)) == NULL)
    return;
  op.kind = CRM_MUTATION_CREATE;
  op.id = crm_record_get_string (fields, "id");
  op.fields = fields;
  mutate (call, conn, entity, &op, SOUP_STATUS_CREATED);
}

/* The version an If-Match names: "12" or W/"12"; 0 after answering when unusable. */
static gint64
required_version (CrmApiCall *call)
{
  const char *header = crm_api_call_get_header (call, "If-Match");
  g_autofree char *text = NULL;
  gint64 version = 0;
  char *end = NULL;

  if (header == NULL)
    {
      crm_api_call_respond_problem (call, 428, CRM_API_PROBLEM_PRECONDITION,
                                    _("Version requise"),
                                    _("Envoyez « If-Match » avec l'ETag de la fiche lue (sa "
                                      "version), pour que les modifications d'autrui ne soient "
                                      "pas écrasées."),
                                    NULL);
      return 0;
    }
  text = g_strstrip (g_strdup (g_str_has_prefix (header, "W/") ? header + 2 : header));
  if (strlen (text) >= 3 && text[0] == '"' && text[strlen (text) - 1] == '"')
    {
      text[strlen (text) - 1] = '\0';
      memmove (text, text + 1, strlen (text));
    }
  if (g_ascii_isdigit (text[0]))
    version = g_ascii_strtoll (text, &end, 10);
  if (end == NULL || *end != '\0' || version <= 0)
    {
      crm_api_call_respond_problem (call, SOUP_STATUS_PRECONDITION_FAILED,
                                    CRM_API_PROBLEM_PRECONDITION_FAILED, _("Version inconnue"),
                                    _("« If-Match » doit être l'ETag d'une fiche, par exemple "
                                      "\"42\"."),
                                    NULL);
      return 0;
    }
  return version;
}

static void
handle_update (CrmApiCall *call,
               PGconn     *conn,
               gpointer    user_data)
{
  const CrmEntityInfo *entity = user_data;
  JsonObject *body;
  g_autoptr (CrmRecord) fields = NULL;
  CrmMutation op = { 0 };

  if (!crm_api_param_is_uuid (call, "id"))
    return;
  op.base_version = required_version (call);
  if (op.base_version == 0)
    return;
  body = crm_api_call_require_object (call);
  if (body == NULL || (fields = record_from_body (call, entity, body)) == NULL)
    return;
  op.kind = CRM_MUTATION_UPDATE;
  op.id = crm_api_call_get_param (call, "id");
  op.fields = fields;
  mutate (call, conn, entity, &op, SOUP_STATUS_OK);
}

static void
handle_delete (CrmApiCall *call,
               PGconn     *conn,
               gpointer    user_data)
{
  CrmMutation op = { 0 };

  if (!crm_api_param_is_uuid (call, "id"))
    return;
  op.kind = CRM_MUTATION_DELETE;
  op.id = crm_api_call_get_param (call, "id");
  mutate (call, conn, user_data, &op, SOUP_STATUS_NO_CONTENT);
}

static void
handle_restore (CrmApiCall *call,
                PGconn     *conn,
                gpointer    user_data)
{
  CrmMutation op = { 0 };

  if (!crm_api_param_is_uuid (call, "id"))
    return;
  op.kind = CRM_MUTATION_RESTORE;
  op.id = crm_api_call_get_param (call, "id");
  mutate (call, conn, user_data, &op, SOUP_STATUS_OK);
}

/* ---- reads ----------------------------------------------------------------------------- */

static void
handle_get (CrmApiCall *call,
            PGconn     *conn,
            gpointer    user_data)
{
  const CrmEntityInfo *entity = user_data;
  g_autoptr (GString) text = g_string_sized_new (1024);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autofree char *etag = NULL;
  gint64 version = 0;
  gsize length;

  if (!crm_api_param_is_uuid (call, "id"))
    return;
  /* The row's JSON as PostgreSQL keeps it (migration 0015): no record in between. */
  if (!crm_store_get_json (conn, crm_api_call_get_actor (call), entity->kind,
                           crm_api_call_get_param (call, "id"), text, &version, &error))
    {
      crm_api_call_respond_error (call, error);
      return;
    }
  etag = etag_for_version (version);
  crm_api_call_set_header (call, "ETag", etag);
  if (none_match_hits (call, etag))
    {
      crm_api_call_respond (call, SOUP_STATUS_NOT_MODIFIED, NULL);
      return;
    }
  length = text->len;
  body = g_bytes_new_take (g_string_free (g_steal_pointer (&text), FALSE), length);
  crm_api_call_respond_bytes (call, SOUP_STATUS_OK, "application/json", body);
}

static gboolean
parse_limit (CrmApiCall *call,
             guint      *limit)
{
  const char *text = crm_api_call_get_query (call, "limit");
  char *end = NULL;
  gint64 value;

  *limit = 0;
  if (text == NULL)
    return TRUE;
  value = g_ascii_isdigit (text[0]) ? g_ascii_strtoll (text, &end, 10) : -1;
  if (end == NULL || *end != '\0' || value < 1 || value > CRM_STORE_MAX_LIMIT)
    {
      g_autofree char *detail = g_strdup_printf (_("« limit » doit être un entier entre 1 et "
                                                   "%d."),
                                                 CRM_STORE_MAX_LIMIT);

      respond_bad_request (call, detail);
      return FALSE;
    }
  *limit = (guint) value;
  return TRUE;
}

/* name=value, name.gte=value, name.null=true… into @query; FALSE after answering 400. */
static gboolean
add_filters (CrmApiCall    *call,
             CrmStoreQuery *query)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, crm_api_call_get_query_table (call));
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *name = key;
      const char *dot = strrchr (name, '.');
      g_autofree char *field = NULL;
      CrmStoreCmp cmp = CRM_STORE_EQ;
      gboolean known = dot == NULL;

      if (g_strv_contains (list_options, name))
        continue;
      if (dot == NULL)
        {
          crm_store_query_filter (query, name, CRM_STORE_EQ, value);
          continue;
        }
      field = g_strndup (name, dot - name);
      if (strcmp (dot + 1, "null") == 0 && (g_str_equal (value, "true")
                                             || g_str_equal (value, "false")))
        {
          cmp = g_str_equal (value, "true") ? CRM_STORE_IS_NULL : CRM_STORE_NOT_NULL;
          known = TRUE;
        }
      for (guint i = 0; !known && i < G_N_ELEMENTS (filter_ops); i++)
        if (strcmp (dot + 1, filter_ops[i].suffix) == 0)
          {
            cmp = filter_ops[i].cmp;
            known = TRUE;
          }
      if (!known)
        {
          g_autofree char *detail = g_strdup_printf (_("Filtre inconnu : « %s »."), name);

          respond_bad_request (call, detail);
          return FALSE;
        }
      crm_store_query_filter (query, field, cmp, value);
    }
  return TRUE;
}

/* W/"<the first 128 bits of a SHA-256, in hex>" of what the page is made of: the id and
 * version of each row (a row's content changes only with its version), the next cursor,
 * and a salt drawn when the process starts, so a server started on a newer schema (a
 * column added, a backfill) never answers 304 for a page an older one wrote. Hashing
 * the whole page cost as much as writing it. */
static char *
page_etag (GString    *fingerprint,
           const char *next)
{
  static gsize once = 0;
  static EVP_MD *sha256 = NULL;
  static char salt[33];
  static const char digits[] = "0123456789abcdef";
  guchar digest[EVP_MAX_MD_SIZE];
  char hex[33];

  if (g_once_init_enter (&once))
    {
      /* Fetched once: EVP_sha256 () makes OpenSSL 3 look it up on every digest. */
      sha256 = EVP_MD_fetch (NULL, "SHA256", NULL);
      g_snprintf (salt, sizeof salt, "%08x%08x%08x%08x", g_random_int (), g_random_int (),
                  g_random_int (), g_random_int ());
      g_once_init_leave (&once, 1);
    }
  g_string_append_printf (fingerprint, "next %s\nsalt %s\n", next != NULL ? next : "-", salt);
  if (!EVP_Digest (fingerprint->str, fingerprint->len, digest, NULL,
                   sha256 != NULL ? sha256 : EVP_sha256 (), NULL))
    {
      g_autofree char *slow = g_compute_checksum_for_string (G_CHECKSUM_SHA256, fingerprint->str,
                                                             (gssize) fingerprint->len);

      return g_strdup_printf ("W/\"%.32s\"", slow);
    }
  for (guint i = 0; i < 16; i++)
    {
      hex[2 * i] = digits[digest[i] >> 4];
      hex[2 * i + 1] = digits[digest[i] & 0xf];
    }
  hex[32] = '\0';
  return g_strdup_printf ("W/\"%s\"", hex);
}

static void
handle_list (CrmApiCall *call,
             PGconn     *conn,
             gpointer    user_data)
{
  const CrmEntityInfo *entity = user_data;
  g_autoptr (CrmStoreQuery) query = crm_store_query_new (entity->kind);
  g_autoptr (GString) text = g_string_new ("{\"items\":[");
  g_autoptr (GString) fingerprint = g_string_sized_new (64 * 51);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) page = NULL;
  g_autofree char *next = NULL;
  g_autofree char *etag = NULL;
  const char *sort = crm_api_call_get_query (call, "sort");
  const char *deleted = crm_api_call_get_query (call, "include_deleted");
  guint limit;

  if (!parse_limit (call, &limit) || !add_filters (call, query))
    return;
  crm_store_query_set_limit (query, limit);
  crm_store_query_set_after (query, crm_api_call_get_query (call, "after"));
  if (sort != NULL)
    crm_store_query_sort (query, sort[0] == '-' ? sort + 1 : sort, sort[0] == '-');
  if (deleted != NULL)
    crm_store_query_set_include_deleted (query, g_str_equal (deleted, "true"));

  /* {"items": [...], "next": "<cursor>" | null}, the rows written straight from the
   * database's result. The actor may come from the token alone (the statement checks
   * the user row): an empty page or a refusal is then only trusted once the actor has
   * been read from the users table. */
  for (;;)
    {
      gsize before = text->len;
      gboolean ok = crm_store_list_json (conn, crm_api_call_get_actor (call), query, text,
                                         fingerprint, &next, &error);

      if ((ok && text->len > before) || !crm_api_call_get_actor (call)->unchecked)
        {
          if (!ok)
            {
              crm_api_call_respond_error (call, error);
              return;
            }
          break;
        }
      g_clear_error (&error);
      g_clear_pointer (&next, g_free);
      g_string_truncate (fingerprint, 0);
      if (!crm_api_call_check_actor (call, conn, &error))
        {
          if (error != NULL)
            crm_api_call_respond_error (call, error);
          return;
        }
    }
  /* A cursor is base64url: nothing in it needs escaping. */
  if (next != NULL)
    {
      g_string_append (text, "],\"next\":\"");
      g_string_append (text, next);
      g_string_append (text, "\"}");
    }
  else
    g_string_append (text, "],\"next\":null}");
  page = g_string_free_to_bytes (g_steal_pointer (&text));

  /* A client polling an unchanged list gets a bodiless 304. */
  etag = page_etag (fingerprint, next);
  crm_api_call_set_header (call, "ETag", etag);
  if (none_match_hits (call, etag + 2))
    {
      crm_api_call_respond (call, SOUP_STATUS_NOT_MODIFIED, NULL);
      return;
    }
  crm_api_call_respond_bytes (call, SOUP_STATUS_OK, "application/json", page);
}

void
crm_api_entities_register (CrmApi *api)
{
  for (guint i = 0; i < G_N_ELEMENTS (rest_entities); i++)
    {
      const CrmEntityInfo *entity = crm_entity_get (rest_entities[i]);
      g_autofree char *collection = g_strconcat ("/api/v1/", entity->collection, NULL);
      g_autofree char *item = g_strconcat (collection, "/{id}", NULL);
      g_autofree char *restore = g_strconcat (item, "/restore", NULL);
      gpointer data = (gpointer) entity;

      crm_api_add_route (api, "GET", collection, CRM_API_ROUTE_ACTOR_IN_QUERY, handle_list,
                         data);
      crm_api_add_route (api, "POST", collection, CRM_API_ROUTE_DEFAULT, handle_create, data);
      crm_api_add_route (api, "GET", item, CRM_API_ROUTE_DEFAULT, handle_get, data);
      crm_api_add_route (api, "PATCH", item, CRM_API_ROUTE_DEFAULT, handle_update, data);
      crm_api_add_route (api, "DELETE", item, CRM_API_ROUTE_DEFAULT, handle_delete, data);
      crm_api_add_route (api, "POST", restore, CRM_API_ROUTE_DEFAULT, handle_restore, data);
    }
}

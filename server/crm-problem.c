/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-http"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-problem.h"
#include "crm-request.h"

static void
respond_with_body (SoupServerMessage *msg,
                   guint              status,
                   const char        *content_type,
                   JsonNode          *body)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  gsize length = 0;
  char *text;

  json_generator_set_root (generator, body);
  text = json_generator_to_data (generator, &length);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE, text, length);
}

/**
 * crm_json_respond:
 * @body: (transfer none): the response document
 */
void
crm_json_respond (SoupServerMessage *msg,
                  guint              status,
                  JsonNode          *body)
{
  respond_with_body (msg, status, "application/json", body);
}

/**
 * crm_problem_respond:
 * @slug: one of the CRM_HTTP_PROBLEM_* names
 * @title: a short French title, the same for every occurrence of @slug
 * @detail: (nullable): a French sentence about this occurrence, saying what to do
 * @extra: (transfer full) (nullable): more members, such as "errors"; they cannot
 *   replace the standard ones
 *
 * RFC 9457. The request id goes in as "request_id" so a person who reports an error
 * hands over the key to its log line.
 */
void
crm_problem_respond (SoupServerMessage *msg,
                     guint              status,
                     const char        *slug,
                     const char        *title,
                     const char        *detail,
                     JsonObject        *extra)
{
  g_autoptr (JsonObject) members = extra;
  g_autoptr (JsonObject) object = json_object_new ();
  g_autoptr (JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *type = g_strconcat (CRM_HTTP_PROBLEM_BASE, slug, NULL);
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  /* The standard members first: people read these bodies in logs and terminals. */
  json_object_set_string_member (object, "type", type);
  json_object_set_string_member (object, "title", title);
  json_object_set_int_member (object, "status", status);
  if (detail != NULL)
    json_object_set_string_member (object, "detail", detail);
  json_object_set_string_member (object, "request_id", crm_request_get_id (msg));
  if (members != NULL)
    {
      json_object_iter_init (&iter, members);
      while (json_object_iter_next (&iter, &name, &value))
        if (!json_object_has_member (object, name))
          json_object_set_member (object, name, json_node_copy (value));
    }
  json_node_set_object (root, object);

  respond_with_body (msg, status, "application/problem+json", root);
}

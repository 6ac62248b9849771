/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-json"

#include "config.h"

#include <math.h>
#include <string.h>

#include "crm-json.h"
#include "crm-record-private.h"

/*
 * A JSON writer of our own because json-glib 1.6's generator writes a double
 * whose shortest form has an exponent and no point (1e-300, 1e+20) as
 * "1e-300.0", which no parser, json-glib's included, accepts. The output is
 * compact, keys in the object's order, like json_to_string (node, FALSE).
 */

static void write_node (GString  *out,
                        JsonNode *node);

static gboolean
needs_escape (guchar c)
{
  return c < 0x20 || c == '"' || c == '\\' || c == 0x7f;
}

static void
write_string_escaped (GString    *out,
                      const char *text)
{
  g_autofree char *valid = NULL;
  const char *run;

  /* Invalid UTF-8 never validates; U+FFFD keeps the document parseable. */
  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);

  g_string_append_c (out, '"');
  /* Runs of plain bytes in one append: record text is mostly nothing but. */
  run = text;
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (!needs_escape (c))
        continue;
      g_string_append_len (out, run, p - run);
      run = p + 1;
      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          g_string_append_printf (out, "\\u%04x", c);
          break;
        }
    }
  g_string_append (out, run);
  g_string_append_c (out, '"');
}

static void
write_string (GString    *out,
              const char *text)
{
  const char *end = text;

  /* Printable ASCII with no quote or backslash, most of what a record holds: one copy,
   * nothing to validate or escape. */
  while ((guchar) *end >= 0x20 && (guchar) *end < 0x7f && *end != '"' && *end != '\\')
    end++;
  if (*end != '\0')
    {
      write_string_escaped (out, text);
      return;
    }
  g_string_append_c (out, '"');
  g_string_append_len (out, text, end - text);
  g_string_append_c (out, '"');
}

static void
write_double (GString *out,
              double   value)
{
  g_autofree char *text = NULL;

  /* No JSON form exists for these. */
  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }

  text = crm_double_to_text (value);
  g_string_append (out, text);
  /* "3" would read back as an integer; "-0" would lose its sign. */
  if (strpbrk (text, ".eE") == NULL)
    g_string_append (out, ".0");
}

static void
write_value (GString  *out,
             JsonNode *node)
{
  GType type = json_node_get_value_type (node);

  if (type == G_TYPE_INT64)
    g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
  else if (type == G_TYPE_DOUBLE)
    write_double (out, json_node_get_double (node));
  else if (type == G_TYPE_BOOLEAN)
    g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
  else if (type == G_TYPE_STRING)
    write_string (out, json_node_get_string (node));
  else
    g_string_append (out, "null");
}

static void
write_object (GString    *out,
              JsonObject *object)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *member;
  gboolean first = TRUE;

  g_string_append_c (out, '{');
  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &key, &member))
    {
      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      write_string (out, key);
      g_string_append_c (out, ':');
      write_node (out, member);
    }
  g_string_append_c (out, '}');
}

static void
write_array (GString   *out,
             JsonArray *array)
{
  g_string_append_c (out, '[');
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      write_node (out, json_array_get_element (array, i));
    }
  g_string_append_c (out, ']');
}

/* Recursive: the trees written here are built by us or parsed within
 * CRM_JSON_MAX_DEPTH. */
static void
write_node (GString  *out,
            JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      write_object (out, json_node_get_object (node));
      break;
    case JSON_NODE_ARRAY:
      write_array (out, json_node_get_array (node));
      break;
    case JSON_NODE_VALUE:
      write_value (out, node);
      break;
    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
      break;
    }
}

char *
crm_json_to_data (JsonNode *node,
                  gsize    *length)
{
  GString *out;

  g_return_val_if_fail (node != NULL, NULL);

  out = g_string_new (NULL);
  write_node (out, node);
  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}

void
crm_json_append_string (GString    *out,
                        const char *text)
{
  write_string (out, text);
}

void
crm_json_append_double (GString *out,
                        double   value)
{
  write_double (out, value);
}

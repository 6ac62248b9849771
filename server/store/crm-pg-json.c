/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-store"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "crm-json.h"
#include "crm-pg-private.h"

/*
 * Rows of a PGresult written as JSON without a CrmRecord in between. A list page is
 * 50 rows of 25 columns: decoding each value into a record (strdup, strtod, a tag
 * array) and encoding it again cost the server more than the rest of the request.
 *
 * The bytes are the ones crm_record_append_json() writes for the same row (the same
 * keys in field order, the same escapes, the same spelling of a decimal): a client
 * cannot tell which path wrote a page, and a test holds the two to each other.
 */

/* 0: copied as is; 1: escaped; 2: the first byte of a multi-byte UTF-8 sequence (or
 * garbage), copied once the whole text is known to be valid UTF-8. */
static const guint8 byte_class[256] = {
  /* 0x00 - 0x1f: control characters */
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  /* 0x20 - 0x7f: '"' (0x22), '\\' (0x5c) and DEL (0x7f) */
  0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
  /* 0x80 - 0xff */
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
};

static void
append_escaped (GString     *out,
                const guchar *text,
                gsize         length)
{
  static const char hex[] = "0123456789abcdef";
  const guchar *run = text;
  const guchar *end = text + length;

  for (const guchar *p = text; p < end; p++)
    {
      guchar c = *p;

      if (byte_class[c] != 1)
        continue;
      g_string_append_len (out, (const char *) run, p - run);
      run = p + 1;
      switch (c)
        {
        case '"':
          g_string_append_len (out, "\\\"", 2);
          break;
        case '\\':
          g_string_append_len (out, "\\\\", 2);
          break;
        case '\n':
          g_string_append_len (out, "\\n", 2);
          break;
        case '\r':
          g_string_append_len (out, "\\r", 2);
          break;
        case '\t':
          g_string_append_len (out, "\\t", 2);
          break;
        default:
          {
            char unicode[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xf] };

            g_string_append_len (out, unicode, sizeof unicode);
          }
          break;
        }
    }
  g_string_append_len (out, (const char *) run, end - run);
}

/**
 * crm_pg_json_append_string:
 * @length: of @text in bytes, or -1 when it ends with a NUL
 *
 * @text as a JSON string, as core's writer spells it: '"', '\\', \n, \r and \t by
 * name, the other control characters and DEL as \u00XX, everything else as is.
 * Invalid UTF-8 becomes U+FFFD (the document stays parseable); PostgreSQL never
 * hands any back, but a JSON writer should not trust that. A NUL inside @length
 * is escaped too.
 */
void
crm_pg_json_append_string (GString    *out,
                           const char *text,
                           gssize      length)
{
  const guchar *bytes = (const guchar *) text;
  gsize size = length < 0 ? strlen (text) : (gsize) length;
  gboolean escape = FALSE;
  gboolean wide = FALSE;

  for (gsize i = 0; i < size; i++)
    {
      guint8 class = byte_class[bytes[i]];

      escape |= class == 1;
      wide |= class == 2;
    }

  g_string_append_c (out, '"');
  if (wide && !g_utf8_validate_len (text, size, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (text, (gssize) size);

      append_escaped (out, (const guchar *) valid, strlen (valid));
    }
  else if (escape)
    append_escaped (out, bytes, size);
  else
    g_string_append_len (out, text, (gssize) size);
  g_string_append_c (out, '"');
}

/* core's crm_double_to_text () followed by its ".0" for a number without a point: the
 * shortest of %.15g and %.16g that reads back as the same double. */
static gboolean
append_decimal (GString    *out,
                const char *text)
{
  static const char *const formats[] = { "%.15g", "%.16g" };
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  const char *written = NULL;
  char *end = NULL;
  double value;

  if (*text == '\0' || strspn (text, "0123456789+-.eE") != strlen (text))
    return FALSE;
  value = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (value))
    return FALSE;

  if (value != 0 && fabs (value) < 1e15 && value == (double) (gint64) value)
    {
      g_string_append_printf (out, "%" G_GINT64_FORMAT ".0", (gint64) value);
      return TRUE;
    }
  for (guint i = 0; written == NULL && i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buffer, sizeof buffer, formats[i], value);
      if (g_ascii_strtod (buffer, NULL) == value)
        written = buffer;
    }
  if (written == NULL)
    written = g_ascii_dtostr (buffer, sizeof buffer, value);
  g_string_append (out, written);
  if (strpbrk (written, ".eE") == NULL)
    g_string_append_len (out, ".0", 2);
  return TRUE;
}

/* array_to_json () of a text[] or uuid[]. Its spelling is ours when nothing in it needs
 * an escape (no backslash, no DEL): copied as is. Otherwise each string again, through
 * our escapes. */
static gboolean
append_string_array (GString    *out,
                     const char *text,
                     gsize       length)
{
  g_autoptr (JsonNode) root = NULL;
  JsonArray *array;

  if (length >= 2 && text[0] == '[' && text[length - 1] == ']'
      && memchr (text, '\\', length) == NULL && memchr (text, 0x7f, length) == NULL
      && strstr (text, "null") == NULL)
    {
      g_string_append_len (out, text, (gssize) length);
      return TRUE;
    }

  root = crm_json_parse_bounded (text, (gssize) length, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return FALSE;
  array = json_node_get_array (root);
  g_string_append_c (out, '[');
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (json_node_get_value_type (element) != G_TYPE_STRING)
        return FALSE;
      if (i > 0)
        g_string_append_c (out, ',');
      crm_pg_json_append_string (out, json_node_get_string (element), -1);
    }
  g_string_append_c (out, ']');
  return TRUE;
}

/**
 * crm_pg_json_append_row:
 * @first_col: where the columns of crm_pg_append_columns () start
 *
 * Row @row as the JSON object crm_record_append_json () writes for
 * crm_pg_record_from_row () of the same row.
 */
gboolean
crm_pg_json_append_row (GString             *out,
                        const CrmEntityInfo *entity,
                        const PGresult      *result,
                        int                  row,
                        int                  first_col,
                        GError             **error)
{
  gboolean first = TRUE;

  g_string_append_c (out, '{');
  for (guint i = 0; i < entity->n_fields; i++)
    {
      const CrmFieldInfo *field = &entity->fields[i];
      int col = first_col + (int) i;
      const char *text;
      gsize length;
      gboolean ok = TRUE;

      if ((field->flags & CRM_FIELD_SECRET) != 0)
        continue;
      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      /* Field names are identifiers of core/crm-schema.c: nothing to escape. */
      g_string_append_c (out, '"');
      g_string_append (out, field->name);
      g_string_append_len (out, "\":", 2);

      if (PQgetisnull (result, row, col))
        {
          g_string_append_len (out, "null", 4);
          continue;
        }
      text = PQgetvalue (result, row, col);
      length = (gsize) PQgetlength (result, row, col);

      switch (field->type)
        {
        case CRM_FIELD_INT:
          /* int8out's text is canonical: what printing the parsed integer gives. */
          ok = length > 0 && strspn (text, "-0123456789") == length;
          if (ok)
            g_string_append_len (out, text, (gssize) length);
          break;
        case CRM_FIELD_BOOL:
          ok = strcmp (text, "true") == 0 || strcmp (text, "false") == 0;
          if (ok)
            g_string_append_len (out, text, (gssize) length);
          break;
        case CRM_FIELD_DECIMAL:
          ok = append_decimal (out, text);
          break;
        case CRM_FIELD_TAGS:
        case CRM_FIELD_UUID_LIST:
          ok = append_string_array (out, text, length);
          break;
        case CRM_FIELD_DATETIME:
          {
            char buffer[CRM_PG_COLUMN_TEXT_MAX];

            crm_pg_json_append_string (out, crm_pg_column_text (field, text, buffer,
                                                                sizeof buffer), -1);
          }
          break;
        case CRM_FIELD_UUID:
        case CRM_FIELD_DATE:
        case CRM_FIELD_TEXT:
        case CRM_FIELD_LONGTEXT:
        case CRM_FIELD_ENUM:
        case CRM_FIELD_EMAIL:
        case CRM_FIELD_URL:
        case CRM_FIELD_PHONE:
        case CRM_FIELD_COUNTRY:
        case CRM_FIELD_LANGUAGE:
        case CRM_FIELD_MANDAT_NUMBER:
        default:
          crm_pg_json_append_string (out, text, (gssize) length);
          break;
        }

      if (!ok)
        {
          /* Our own database handed back something core/ cannot read: a bug or a
           * schema drift, never the client's fault (as crm_pg_record_from_row). */
          g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_DATABASE,
                       "%s.%s : valeur illisible", entity->collection, field->name);
          return FALSE;
        }
    }
  g_string_append_c (out, '}');
  return TRUE;
}

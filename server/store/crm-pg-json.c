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

/* g_string_append_len () without its checks for overlapping input: most of a page is
 * short appends into room made beforehand (crm_store_list_json ()). */
static inline void
put (GString    *out,
     const char *bytes,
     gsize       length)
{
  if (G_LIKELY (out->len + length < out->allocated_len))
    {
      memcpy (out->str + out->len, bytes, length);
      out->len += length;
      out->str[out->len] = '\0';
    }
  else
    g_string_append_len (out, bytes, (gssize) length);
}

static inline void
put_c (GString *out,
       char     c)
{
  put (out, &c, 1);
}

/*
 * The columns are selected in PostgreSQL's own output form wherever that is already
 * the wire text (uuid, bigint, numeric, text), so the database does no cast or to_char
 * per value: a page is 1,300 values. A boolean comes as "t"/"f", a timestamptz as the
 * ISO text of its UTC time (the pool's connections pin DateStyle to ISO), both turned
 * into the wire text here.
 */
void
crm_pg_json_append_columns (GString             *sql,
                            const CrmEntityInfo *entity,
                            const char          *alias)
{
  for (guint i = 0; i < entity->n_fields; i++)
    {
      const CrmFieldInfo *field = &entity->fields[i];

      if (i > 0)
        g_string_append (sql, ", ");
      switch (field->type)
        {
        case CRM_FIELD_DATETIME:
          g_string_append_printf (sql, "%s.%s AT TIME ZONE 'UTC'", alias, field->name);
          break;
        case CRM_FIELD_DATE:
        case CRM_FIELD_TAGS:
        case CRM_FIELD_UUID_LIST:
          crm_pg_append_column (sql, field, alias);
          break;
        case CRM_FIELD_UUID:
        case CRM_FIELD_INT:
        case CRM_FIELD_DECIMAL:
        case CRM_FIELD_BOOL:
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
          g_string_append_printf (sql, "%s.%s", alias, field->name);
          break;
        }
    }
}

/* "2026-03-01 10:00:00[.5]" (timestamp_out, DateStyle ISO) as the wire text
 * "2026-03-01T10:00:00.500000Z", or "…:00Z" without a fraction, which is what
 * to_char + crm_pg_column_text () give. FALSE for any other shape. */
static gboolean
append_iso_timestamp (GString    *out,
                      const char *text,
                      gsize       length)
{
  static const char shape[] = "dddd-dd-dd dd:dd:dd";
  char wire[32];
  gsize fraction;

  if (length < sizeof shape - 1 || length > sizeof shape - 1 + 7)
    return FALSE;
  for (gsize i = 0; i < sizeof shape - 1; i++)
    if (shape[i] == 'd' ? !g_ascii_isdigit (text[i]) : text[i] != shape[i])
      return FALSE;
  fraction = length - (sizeof shape - 1);
  if (fraction == 1 || (fraction > 0 && text[sizeof shape - 1] != '.'))
    return FALSE;
  for (gsize i = sizeof shape; i < length; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;

  memcpy (wire, text, length);
  wire[10] = 'T';
  if (fraction > 0)
    {
      memset (wire + length, '0', 7 - fraction);
      length = sizeof shape - 1 + 7;
    }
  wire[length] = 'Z';
  wire[length + 1] = '"';
  put_c (out, '"');
  put (out, wire, length + 2);
  return TRUE;
}

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
      put (out, (const char *) run, p - run);
      run = p + 1;
      switch (c)
        {
        case '"':
          put (out, "\\\"", 2);
          break;
        case '\\':
          put (out, "\\\\", 2);
          break;
        case '\n':
          put (out, "\\n", 2);
          break;
        case '\r':
          put (out, "\\r", 2);
          break;
        case '\t':
          put (out, "\\t", 2);
          break;
        default:
          {
            char unicode[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xf] };

            put (out, unicode, sizeof unicode);
          }
          break;
        }
    }
  put (out, (const char *) run, end - run);
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

  put_c (out, '"');
  if (wide && !g_utf8_validate_len (text, size, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (text, (gssize) size);

      append_escaped (out, (const guchar *) valid, strlen (valid));
    }
  else if (escape)
    append_escaped (out, bytes, size);
  else
    put (out, text, size);
  put_c (out, '"');
}

/* numeric_out's "-123.4500" when %.15g would print the same digits: at most 15
 * significant digits (a double holds those exactly), and a decimal exponent from -4 to
 * 14 (no "e" notation). Written then without the fraction's trailing zeros, with ".0" if
 * nothing is left after the point: what the slow path below prints, without strtod and
 * printf. FALSE when the text is not of that kind. */
static gboolean
append_plain_decimal (GString    *out,
                      const char *text,
                      gsize       length)
{
  const char *end = text + length;
  const char *whole = text;
  const char *point;
  const char *first;  /* the first non-zero digit */
  gsize significant;

  if (whole < end && *whole == '-')
    whole++;
  point = whole;
  while (point < end && g_ascii_isdigit (*point))
    point++;
  if (point == whole || point - whole > 15 || (whole[0] == '0' && point - whole > 1))
    return FALSE;
  if (point < end)
    {
      if (*point != '.' || point + 1 == end)
        return FALSE;
      for (const char *q = point + 1; q < end; q++)
        if (!g_ascii_isdigit (*q))
          return FALSE;
      /* The fraction's trailing zeros are not printed. */
      while (end[-1] == '0')
        end--;
    }

  first = whole;
  while (first < end && (*first == '0' || *first == '.'))
    first++;
  if (first == end)
    return FALSE;  /* zero: the slow path has its sign rules */
  /* 0.0000x is printed 1e-05 and so on. */
  if (first > point && first - point > 4)
    return FALSE;
  significant = (gsize) (end - first) - (first < point && end > point ? 1 : 0);
  if (significant > 15)
    return FALSE;

  if (end == point + 1)
    end = point;  /* nothing left after the point */
  put (out, text, end - text);
  if (end == point || point == text + length)
    put (out, ".0", 2);
  return TRUE;
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
    put (out, ".0", 2);
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
      put (out, text, length);
      return TRUE;
    }

  root = crm_json_parse_bounded (text, (gssize) length, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return FALSE;
  array = json_node_get_array (root);
  put_c (out, '[');
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (json_node_get_value_type (element) != G_TYPE_STRING)
        return FALSE;
      if (i > 0)
        put_c (out, ',');
      crm_pg_json_append_string (out, json_node_get_string (element), -1);
    }
  put_c (out, ']');
  return TRUE;
}

/**
 * crm_pg_json_append_row:
 * @first_col: where the columns of crm_pg_json_append_columns () start
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

  put_c (out, '{');
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
        put_c (out, ',');
      first = FALSE;
      /* Field names are identifiers of core/crm-schema.c: nothing to escape. */
      put_c (out, '"');
      put (out, field->name, strlen (field->name));
      put (out, "\":", 2);

      if (PQgetisnull (result, row, col))
        {
          put (out, "null", 4);
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
            put (out, text, length);
          break;
        case CRM_FIELD_BOOL:
          ok = length == 1 && (text[0] == 't' || text[0] == 'f');
          if (ok)
            put (out, text[0] == 't' ? "true" : "false", text[0] == 't' ? 4 : 5);
          break;
        case CRM_FIELD_DECIMAL:
          ok = append_plain_decimal (out, text, length) || append_decimal (out, text);
          break;
        case CRM_FIELD_TAGS:
        case CRM_FIELD_UUID_LIST:
          ok = append_string_array (out, text, length);
          break;
        case CRM_FIELD_DATETIME:
          ok = append_iso_timestamp (out, text, length);
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
  put_c (out, '}');
  return TRUE;
}

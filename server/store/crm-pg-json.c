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
 * The columns as they are stored, read in binary (result format 1): the database runs
 * no cast, to_char or output function per value (a page is 1,300 values), and uuids,
 * timestamps and numbers travel smaller. Text arrives as it is; dates and tag lists
 * keep the text spelling of crm_pg_append_column (). The wire text is written here,
 * whatever the session's DateStyle or time zone.
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
        case CRM_FIELD_DATE:
        case CRM_FIELD_TAGS:
        case CRM_FIELD_UUID_LIST:
          crm_pg_append_column (sql, field, alias);
          break;
        case CRM_FIELD_DATETIME:
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

/* ---- PostgreSQL's binary forms (the list asks for them: no output function runs in
 * the database, and the values travel smaller) ----------------------------------- */

static guint64
read_be64 (const char *bytes)
{
  guint64 value;

  memcpy (&value, bytes, sizeof value);
  return GUINT64_FROM_BE (value);
}

static guint16
read_be16 (const char *bytes)
{
  guint16 value;

  memcpy (&value, bytes, sizeof value);
  return GUINT16_FROM_BE (value);
}

/* uuid_send: 16 bytes. Writes the 36 characters and a NUL into @text. */
static gboolean
uuid_text (const char *bytes,
           gsize       length,
           char        text[37])
{
  static const char hex[] = "0123456789abcdef";
  char *p = text;

  if (length != 16)
    return FALSE;
  for (guint i = 0; i < 16; i++)
    {
      guchar c = (guchar) bytes[i];

      if (i == 4 || i == 6 || i == 8 || i == 10)
        *p++ = '-';
      *p++ = hex[c >> 4];
      *p++ = hex[c & 0xf];
    }
  *p = '\0';
  return TRUE;
}

/* int8send: big-endian. The decimal text and a NUL into @text. */
static gboolean
int8_text (const char *bytes,
           gsize       length,
           char        text[24])
{
  gint64 value;
  guint64 magnitude;
  char digits[21];
  gsize n = 0;
  char *p = text;

  if (length != 8)
    return FALSE;
  value = (gint64) read_be64 (bytes);
  /* Not printf: a page has a version per row, and printf is most of its cost. */
  magnitude = value < 0 ? (guint64) 0 - (guint64) value : (guint64) value;
  do
    {
      digits[n++] = (char) ('0' + magnitude % 10);
      magnitude /= 10;
    }
  while (magnitude != 0);
  if (value < 0)
    *p++ = '-';
  while (n > 0)
    *p++ = digits[--n];
  *p = '\0';
  return TRUE;
}

/* Days since 1970-01-01 to a civil date (proleptic Gregorian; H. Hinnant's algorithm). */
static void
civil_from_days (gint64  days,
                 gint64 *year,
                 guint  *month,
                 guint  *day)
{
  gint64 z = days + 719468;
  gint64 era = (z >= 0 ? z : z - 146096) / 146097;
  guint64 doe = (guint64) (z - era * 146097);
  guint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  guint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  guint64 mp = (5 * doy + 2) / 153;

  *day = (guint) (doy - (153 * mp + 2) / 5 + 1);
  *month = (guint) (mp < 10 ? mp + 3 : mp - 9);
  *year = (gint64) yoe + era * 400 + (*month <= 2);
}

/* @value in exactly @width digits (zero-padded) at @buffer[@n]; returns the new end. */
static gsize
put_digits (char  *buffer,
            gsize  n,
            guint  value,
            guint  width)
{
  for (guint i = width; i > 0; i--)
    {
      buffer[n + i - 1] = (char) ('0' + value % 10);
      value /= 10;
    }
  return n + width;
}

/* timestamptz_send: microseconds since 2000-01-01 00:00 UTC. Written as the wire text
 * "2026-03-01T10:00:00.500000Z", or "…:00Z" without a fraction: what to_char and
 * crm_pg_column_text () give for the text form. FALSE for infinities and years outside
 * 1-9999 (no four-digit form). */
static gboolean
append_timestamp (GString    *out,
                  const char *bytes,
                  gsize       length)
{
  const gint64 usec_per_day = G_GINT64_CONSTANT (86400000000);
  char wire[40];
  gint64 usec;
  gint64 days;
  gint64 rem;
  gint64 year;
  guint month, day;
  gsize n;

  if (length != 8)
    return FALSE;
  usec = (gint64) read_be64 (bytes);
  if (usec == G_MAXINT64 || usec == G_MININT64)
    return FALSE;
  days = usec / usec_per_day;
  rem = usec % usec_per_day;
  if (rem < 0)
    {
      rem += usec_per_day;
      days--;
    }
  /* 2000-01-01 is day 10957 after 1970-01-01. */
  civil_from_days (days + 10957, &year, &month, &day);
  if (year < 1 || year > 9999)
    return FALSE;

  /* "YYYY-MM-DDTHH:MM:SS[.ffffff]Z", digit by digit: printf cost more than the rest. */
  n = 0;
  wire[n++] = '"';
  n = put_digits (wire, n, (guint) year, 4);
  wire[n++] = '-';
  n = put_digits (wire, n, month, 2);
  wire[n++] = '-';
  n = put_digits (wire, n, day, 2);
  wire[n++] = 'T';
  n = put_digits (wire, n, (guint) (rem / G_GINT64_CONSTANT (3600000000)), 2);
  wire[n++] = ':';
  n = put_digits (wire, n, (guint) (rem / 60000000 % 60), 2);
  wire[n++] = ':';
  n = put_digits (wire, n, (guint) (rem / 1000000 % 60), 2);
  if (rem % 1000000 != 0)
    {
      wire[n++] = '.';
      n = put_digits (wire, n, (guint) (rem % 1000000), 6);
    }
  wire[n++] = 'Z';
  wire[n++] = '"';
  put (out, wire, (gsize) n);
  return TRUE;
}

/* numeric_send: ndigits, weight, sign, dscale, then base-10000 digits. Spelled into
 * @out as numeric_out would (get_str_from_var); FALSE when it is not a number (NaN,
 * infinities: core refuses them too) or not well formed. */
static gboolean
numeric_text (const char *bytes,
              gsize       length,
              GString    *out)
{
  guint16 ndigits, sign, dscale;
  gint16 weight;
  gsize written = 0;

  if (length < 8)
    return FALSE;
  ndigits = read_be16 (bytes);
  weight = (gint16) read_be16 (bytes + 2);
  sign = read_be16 (bytes + 4);
  dscale = read_be16 (bytes + 6);
  if (length != 8 + 2 * (gsize) ndigits || (sign != 0x0000 && sign != 0x4000))
    return FALSE;

  if (sign == 0x4000)
    g_string_append_c (out, '-');
  if (weight < 0)
    g_string_append_c (out, '0');
  for (gint d = 0; d <= weight; d++)
    {
      guint digit = d < ndigits ? read_be16 (bytes + 8 + 2 * d) : 0;

      if (digit > 9999)
        return FALSE;
      if (d == 0)
        {
          char first[5];
          gsize n = put_digits (first, 0, digit, 4);
          gsize skip = 0;

          /* The leading digit group without its zeros ("7", not "0007"). */
          while (skip < 3 && first[skip] == '0')
            skip++;
          g_string_append_len (out, first + skip, (gssize) (n - skip));
        }
      else
        {
          char group[4];

          put_digits (group, 0, digit, 4);
          g_string_append_len (out, group, 4);
        }
    }
  if (dscale > 0)
    {
      g_string_append_c (out, '.');
      for (gint d = weight + 1; written < dscale; d++, written += 4)
        {
          guint digit = d >= 0 && d < ndigits ? read_be16 (bytes + 8 + 2 * d) : 0;
          char group[4];

          if (digit > 9999)
            return FALSE;
          put_digits (group, 0, digit, 4);
          g_string_append_len (out, group, 4);
        }
      /* Exactly dscale digits after the point. */
      g_string_truncate (out, out->len - (written - dscale));
    }
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

#define ONES  G_GUINT64_CONSTANT (0x0101010101010101)
#define HIGHS G_GUINT64_CONSTANT (0x8080808080808080)

/* Whether some byte of @word is zero (the classic bit trick, exact). */
static inline guint64
has_zero_byte (guint64 word)
{
  return (word - ONES) & ~word & HIGHS;
}

/* No byte of @word is a control character, '"', '\\', DEL or above 0x7f. */
static inline gboolean
word_is_plain (guint64 word)
{
  guint64 special = word & HIGHS;                                 /* >= 0x80 */

  special |= (word - 0x20 * ONES) & ~word & HIGHS;                /* < 0x20 */
  special |= has_zero_byte (word ^ ('"' * ONES));
  special |= has_zero_byte (word ^ ('\\' * ONES));
  special |= has_zero_byte (word ^ (0x7f * ONES));
  return special == 0;
}

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
  gsize i = 0;

  /* Eight bytes at a time while none of them is special: most text is plain ASCII. */
  for (; i + 8 <= size; i += 8)
    {
      guint64 word;

      memcpy (&word, bytes + i, sizeof word);
      if (!word_is_plain (word))
        for (gsize j = i; j < i + 8; j++)
          {
            guint8 class = byte_class[bytes[j]];

            escape |= class == 1;
            wide |= class == 2;
          }
    }
  for (; i < size; i++)
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

/* strlen () of each field name of each entity, once: a page asks 1,300 times. */
static gsize
name_length (const CrmEntityInfo *entity,
             guint                field)
{
  static gsize once = 0;
  static guint8 *lengths[CRM_N_ENTITIES];

  if (g_once_init_enter (&once))
    {
      for (guint kind = 0; kind < CRM_N_ENTITIES; kind++)
        {
          const CrmEntityInfo *info = crm_entity_get ((CrmEntityKind) kind);

          lengths[kind] = g_new0 (guint8, info != NULL ? info->n_fields : 0);
          for (guint i = 0; info != NULL && i < info->n_fields; i++)
            lengths[kind][i] = (guint8) MIN (strlen (info->fields[i].name), G_MAXUINT8);
        }
      g_once_init_leave (&once, 1);
    }
  if ((guint) entity->kind < CRM_N_ENTITIES && crm_entity_get (entity->kind) == entity
      && lengths[entity->kind][field] < G_MAXUINT8)
    return lengths[entity->kind][field];
  return strlen (entity->fields[field].name);
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
      put (out, field->name, name_length (entity, i));
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
          {
            char digits[24];

            ok = int8_text (text, length, digits);
            if (ok)
              put (out, digits, strlen (digits));
          }
          break;
        case CRM_FIELD_BOOL:
          ok = length == 1 && (text[0] == 0 || text[0] == 1);
          if (ok)
            put (out, text[0] ? "true" : "false", text[0] ? 4 : 5);
          break;
        case CRM_FIELD_DECIMAL:
          {
            g_autoptr (GString) number = g_string_sized_new (32);

            ok = numeric_text (text, length, number)
                 && (append_plain_decimal (out, number->str, number->len)
                     || append_decimal (out, number->str));
          }
          break;
        case CRM_FIELD_TAGS:
        case CRM_FIELD_UUID_LIST:
          ok = append_string_array (out, text, length);
          break;
        case CRM_FIELD_DATETIME:
          ok = append_timestamp (out, text, length);
          break;
        case CRM_FIELD_UUID:
          {
            char uuid[37];

            ok = uuid_text (text, length, uuid);
            if (ok)
              {
                put_c (out, '"');
                put (out, uuid, 36);
                put_c (out, '"');
              }
          }
          break;
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

/**
 * crm_pg_json_column_text:
 *
 * The text of a uuid or bigint column read in binary by crm_pg_json_append_columns ()
 * (the page's cursor and fingerprint need the id and the version as text), into
 * @buffer; any other column as it came. NULL for SQL NULL or a malformed value.
 */
const char *
crm_pg_json_column_text (const CrmFieldInfo *field,
                         const PGresult     *result,
                         int                 row,
                         int                 col,
                         char                buffer[CRM_PG_JSON_TEXT_MAX])
{
  const char *bytes;
  gsize length;

  if (PQgetisnull (result, row, col))
    return NULL;
  bytes = PQgetvalue (result, row, col);
  length = (gsize) PQgetlength (result, row, col);
  if (field->type == CRM_FIELD_UUID)
    return uuid_text (bytes, length, buffer) ? buffer : NULL;
  if (field->type == CRM_FIELD_INT)
    return int8_text (bytes, length, buffer) ? buffer : NULL;
  return bytes;
}


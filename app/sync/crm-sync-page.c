/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-sync"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "crm-json.h"
#include "crm-sync-engine.h"
#include "crm-sync-page.h"
#include "crm-uuid.h"

/*
 * A pull page read in one pass over its bytes, straight into CrmRecords (see the
 * header). The values are read as crm_record_from_json () reads json-glib's nodes (an
 * integer field takes "3" or "3.0", a decimal one any finite number, a list only
 * strings, null everywhere), so both readers make the same records of the same page:
 * tests/sync/test-sync-page.c holds them to it.
 *
 * The grammar is JSON's (RFC 8259) with core's limits (crm-json.c): UTF-8 only, no NUL,
 * no control character inside a string, no lone surrogate, integers within 64 bits,
 * 32 levels at most, nothing after the root. Nothing is applied until the whole page
 * has been read, so a bad page changes nothing.
 */

#define MAX_EXACT_DOUBLE_INT 9007199254740992.0

typedef struct
{
  const char *start;
  const char *p;
  const char *end;
  GString    *text;     /* a string with escapes, decoded; a value to copy, NUL-ended */
  guint       depth;
  GError     *error;
} Reader;

typedef enum
{
  VALUE_STRING,
  VALUE_INT,
  VALUE_DOUBLE,
  VALUE_TRUE,
  VALUE_FALSE,
  VALUE_NULL,
  VALUE_OBJECT,
  VALUE_ARRAY,
} ValueType;

static gboolean
fail (Reader     *r,
      const char *what)
{
  if (r->error == NULL)
    r->error = g_error_new (CRM_SYNC_ERROR, CRM_SYNC_ERROR_PROTOCOL,
                            _("Le serveur a envoyé une page de synchronisation illisible "
                              "(octet %" G_GSIZE_FORMAT ") : %s. Rien n’en a été appliqué ; "
                              "la synchronisation réessaiera."),
                            (gsize) (r->p - r->start), what);
  return FALSE;
}

static inline void
skip_blank (Reader *r)
{
  while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t'))
    r->p++;
}

/* The next byte after blanks, or NUL at the end (the page has no NUL: UTF-8 checked). */
static inline char
peek (Reader *r)
{
  skip_blank (r);
  return r->p < r->end ? *r->p : '\0';
}

static ValueType
value_type (char c)
{
  switch (c)
    {
    case '"':
      return VALUE_STRING;
    case '{':
      return VALUE_OBJECT;
    case '[':
      return VALUE_ARRAY;
    case 't':
      return VALUE_TRUE;
    case 'f':
      return VALUE_FALSE;
    case 'n':
      return VALUE_NULL;
    default:
      /* A number or not JSON: read_number () tells. */
      return VALUE_INT;
    }
}

static int
hex4 (const char *p)
{
  int value = 0;

  for (guint i = 0; i < 4; i++)
    {
      if (!g_ascii_isxdigit (p[i]))
        return -1;
      value = value * 16 + g_ascii_xdigit_value (p[i]);
    }
  return value;
}

/* After the backslash at r->p - 1: one escape, decoded onto r->text. */
static gboolean
read_escape (Reader *r)
{
  int unit, low;

  if (r->p >= r->end)
    return fail (r, _("un texte n’est pas refermé"));
  switch (*r->p++)
    {
    case '"':
      g_string_append_c (r->text, '"');
      return TRUE;
    case '\\':
      g_string_append_c (r->text, '\\');
      return TRUE;
    case '/':
      g_string_append_c (r->text, '/');
      return TRUE;
    case 'b':
      g_string_append_c (r->text, '\b');
      return TRUE;
    case 'f':
      g_string_append_c (r->text, '\f');
      return TRUE;
    case 'n':
      g_string_append_c (r->text, '\n');
      return TRUE;
    case 'r':
      g_string_append_c (r->text, '\r');
      return TRUE;
    case 't':
      g_string_append_c (r->text, '\t');
      return TRUE;
    case 'u':
      break;
    default:
      r->p--;
      return fail (r, _("une séquence d’échappement est invalide"));
    }

  if (r->end - r->p < 4 || (unit = hex4 (r->p)) < 0)
    return fail (r, _("un \\u n’a pas ses quatre chiffres hexadécimaux"));
  r->p += 4;
  if (unit == 0)
    return fail (r, _("un texte contient le caractère nul (\\u0000)"));
  if (unit >= 0xDC00 && unit <= 0xDFFF)
    return fail (r, _("un texte contient une moitié de paire de substitution seule"));
  if (unit >= 0xD800 && unit <= 0xDBFF)
    {
      if (r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u'
          || (low = hex4 (r->p + 2)) < 0xDC00 || low > 0xDFFF)
        return fail (r, _("un texte contient une moitié de paire de substitution seule"));
      r->p += 6;
      unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
    }
  g_string_append_unichar (r->text, (gunichar) unit);
  return TRUE;
}

/*
 * The string at r->p (its opening quote): *@text and *@length are its characters, in
 * the page itself when it has no escape (not NUL-ended), else in r->text.
 */
static gboolean
read_string (Reader      *r,
             const char **text,
             gsize       *length)
{
  const char *begin = ++r->p;

  while (r->p < r->end)
    {
      guchar c = (guchar) *r->p;

      if (c == '"')
        {
          *text = begin;
          *length = (gsize) (r->p - begin);
          r->p++;
          return TRUE;
        }
      if (c == '\\')
        break;
      if (c < 0x20)
        return fail (r, _("un texte contient un caractère de contrôle non échappé"));
      r->p++;
    }
  if (r->p >= r->end)
    return fail (r, _("un texte n’est pas refermé (page tronquée ?)"));

  /* With escapes: decoded into r->text. */
  g_string_truncate (r->text, 0);
  g_string_append_len (r->text, begin, r->p - begin);
  while (r->p < r->end)
    {
      guchar c = (guchar) *r->p;

      if (c == '"')
        {
          r->p++;
          *text = r->text->str;
          *length = r->text->len;
          return TRUE;
        }
      if (c < 0x20)
        return fail (r, _("un texte contient un caractère de contrôle non échappé"));
      if (c == '\\')
        {
          r->p++;
          if (!read_escape (r))
            return FALSE;
          continue;
        }
      g_string_append_c (r->text, (char) c);
      r->p++;
    }
  return fail (r, _("un texte n’est pas refermé (page tronquée ?)"));
}

/* A string value, NUL-ended in r->text. */
static gboolean
read_string_copy (Reader *r)
{
  const char *text;
  gsize length;

  if (!read_string (r, &text, &length))
    return FALSE;
  if (text != r->text->str)
    {
      g_string_truncate (r->text, 0);
      g_string_append_len (r->text, text, (gssize) length);
    }
  return TRUE;
}

/* A number as JSON writes one; an integer must fit in 64 bits (as core's reader wants). */
static gboolean
read_number (Reader    *r,
             ValueType *type,
             gint64    *integer,
             double    *number)
{
  const char *begin = r->p, *q = r->p;
  gboolean negative = FALSE, overflow = FALSE, is_integer = TRUE;
  guint64 magnitude = 0;

  if (q < r->end && *q == '-')
    {
      negative = TRUE;
      q++;
    }
  if (q >= r->end || !g_ascii_isdigit (*q))
    return fail (r, _("une valeur n’est pas du JSON (ni texte, ni nombre, ni true, false, "
                      "null, objet ou liste)"));
  if (*q == '0')
    {
      q++;
      if (q < r->end && g_ascii_isdigit (*q))
        {
          r->p = q;
          return fail (r, _("un nombre commence par un zéro inutile"));
        }
    }
  else
    for (; q < r->end && g_ascii_isdigit (*q); q++)
      {
        guint digit = (guint) (*q - '0');

        if (magnitude > (G_MAXUINT64 - digit) / 10)
          overflow = TRUE;
        else
          magnitude = magnitude * 10 + digit;
      }
  if (q < r->end && *q == '.')
    {
      is_integer = FALSE;
      q++;
      if (q >= r->end || !g_ascii_isdigit (*q))
        {
          r->p = q;
          return fail (r, _("un nombre a un point sans chiffre après"));
        }
      while (q < r->end && g_ascii_isdigit (*q))
        q++;
    }
  if (q < r->end && (*q == 'e' || *q == 'E'))
    {
      is_integer = FALSE;
      q++;
      if (q < r->end && (*q == '+' || *q == '-'))
        q++;
      if (q >= r->end || !g_ascii_isdigit (*q))
        {
          r->p = q;
          return fail (r, _("un nombre a un exposant sans chiffre"));
        }
      while (q < r->end && g_ascii_isdigit (*q))
        q++;
    }
  r->p = q;

  if (is_integer)
    {
      if (overflow || magnitude > (negative ? (guint64) G_MAXINT64 + 1 : (guint64) G_MAXINT64))
        {
          r->p = begin;
          return fail (r, _("un nombre entier dépasse 64 bits"));
        }
      *type = VALUE_INT;
      *integer = negative ? (gint64) (0 - magnitude) : (gint64) magnitude;
      return TRUE;
    }

  {
    gsize length = (gsize) (q - begin);
    char buffer[64];
    g_autofree char *long_text = NULL;
    const char *text = buffer;

    if (length < sizeof buffer)
      {
        memcpy (buffer, begin, length);
        buffer[length] = '\0';
      }
    else
      text = long_text = g_strndup (begin, length);
    *type = VALUE_DOUBLE;
    *number = g_ascii_strtod (text, NULL);
  }
  return TRUE;
}

static gboolean
read_literal (Reader     *r,
              const char *word,
              gsize       length)
{
  if ((gsize) (r->end - r->p) < length || memcmp (r->p, word, length) != 0)
    return fail (r, _("une valeur n’est pas du JSON (ni texte, ni nombre, ni true, false, "
                      "null, objet ou liste)"));
  r->p += length;
  return TRUE;
}

static gboolean
enter (Reader *r,
       char    open)
{
  if (peek (r) != open)
    return fail (r, open == '{' ? _("un objet était attendu") : _("une liste était attendue"));
  if (++r->depth > CRM_JSON_MAX_DEPTH)
    return fail (r, _("le document est imbriqué trop profondément (32 niveaux au plus)"));
  r->p++;
  return TRUE;
}

/*
 * The next member of the object entered at r->p: 1 with its key (not NUL-ended; valid
 * until the next string is read) and r->p at its value, 0 at the closing brace (read),
 * -1 on an error. *@first is TRUE before the first member.
 */
static int
next_member (Reader      *r,
             gboolean    *first,
             const char **key,
             gsize       *key_length)
{
  char c = peek (r);

  if (c == '}')
    {
      r->p++;
      r->depth--;
      return 0;
    }
  if (!*first)
    {
      if (c != ',')
        {
          fail (r, _("une virgule ou une accolade fermante était attendue"));
          return -1;
        }
      r->p++;
      c = peek (r);
    }
  *first = FALSE;
  if (c != '"')
    {
      fail (r, _("un nom de membre entre guillemets était attendu"));
      return -1;
    }
  if (!read_string (r, key, key_length))
    return -1;
  if (peek (r) != ':')
    {
      fail (r, _("deux-points étaient attendus après un nom de membre"));
      return -1;
    }
  r->p++;
  skip_blank (r);
  return 1;
}

/* Likewise for the elements of a list: 1 with r->p at the next element. */
static int
next_element (Reader   *r,
              gboolean *first)
{
  char c = peek (r);

  if (c == ']')
    {
      r->p++;
      r->depth--;
      return 0;
    }
  if (!*first)
    {
      if (c != ',')
        {
          fail (r, _("une virgule ou un crochet fermant était attendu"));
          return -1;
        }
      r->p++;
      skip_blank (r);
      if (r->p < r->end && *r->p == ']')
        {
          fail (r, _("une liste finit par une virgule"));
          return -1;
        }
    }
  *first = FALSE;
  return 1;
}

static gboolean
key_is (const char *key,
        gsize       length,
        const char *name)
{
  return strncmp (key, name, length) == 0 && name[length] == '\0';
}

/* Any value, checked and passed over. */
static gboolean
skip_value (Reader *r)
{
  const char *key;
  gsize length;
  gboolean first = TRUE;
  ValueType type;
  gint64 integer;
  double number;
  int more;

  switch (value_type (peek (r)))
    {
    case VALUE_STRING:
      return read_string (r, &key, &length);
    case VALUE_OBJECT:
      if (!enter (r, '{'))
        return FALSE;
      while ((more = next_member (r, &first, &key, &length)) > 0)
        if (!skip_value (r))
          return FALSE;
      return more == 0;
    case VALUE_ARRAY:
      if (!enter (r, '['))
        return FALSE;
      while ((more = next_element (r, &first)) > 0)
        if (!skip_value (r))
          return FALSE;
      return more == 0;
    case VALUE_TRUE:
      return read_literal (r, "true", 4);
    case VALUE_FALSE:
      return read_literal (r, "false", 5);
    case VALUE_NULL:
      return read_literal (r, "null", 4);
    case VALUE_INT:
    case VALUE_DOUBLE:
    default:
      return read_number (r, &type, &integer, &number);
    }
}

static gboolean
read_int (Reader     *r,
          const char *name,
          gint64     *value)
{
  ValueType type;
  double number;

  if (value_type (peek (r)) != VALUE_INT || !read_number (r, &type, value, &number)
      || type != VALUE_INT || *value < 0)
    {
      g_autofree char *what = g_strdup_printf (_("« %s » doit être un entier positif ou nul"),
                                               name);

      g_clear_error (&r->error);
      return fail (r, what);
    }
  return TRUE;
}

static gboolean
read_bool (Reader     *r,
           const char *name,
           gboolean   *value)
{
  char c = peek (r);

  if (c == 't' || c == 'f')
    {
      *value = c == 't';
      return c == 't' ? read_literal (r, "true", 4) : read_literal (r, "false", 5);
    }
  {
    g_autofree char *what = g_strdup_printf (_("« %s » doit valoir true ou false"), name);

    return fail (r, what);
  }
}

/* ---- a row ------------------------------------------------------------------------ */

static const CrmFieldInfo *
find_field (const CrmEntityInfo *entity,
            const char          *key,
            gsize                length,
            guint               *hint)
{
  /* The server writes the fields in schema order: the next one is almost always it. */
  if (*hint < entity->n_fields && key_is (key, length, entity->fields[*hint].name))
    return &entity->fields[(*hint)++];
  for (guint i = 0; i < entity->n_fields; i++)
    if (key_is (key, length, entity->fields[i].name))
      {
        *hint = i + 1;
        return &entity->fields[i];
      }
  return NULL;
}

static gboolean
wrong_type (Reader             *r,
            const CrmFieldInfo *field)
{
  g_autofree char *what = g_strdup_printf (_("le champ « %s » n’a pas le type attendu"),
                                           field->name);

  return fail (r, what);
}

static gboolean
read_list (Reader             *r,
           CrmRecord          *record,
           const CrmFieldInfo *field)
{
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  gboolean first = TRUE;
  int more;

  if (!enter (r, '['))
    return FALSE;
  while ((more = next_element (r, &first)) > 0)
    {
      if (peek (r) != '"')
        return wrong_type (r, field);
      if (!read_string_copy (r))
        return FALSE;
      g_ptr_array_add (items, g_strndup (r->text->str, r->text->len));
    }
  if (more < 0)
    return FALSE;
  g_ptr_array_add (items, NULL);
  crm_record_set_strv (record, field->name, (const char * const *) items->pdata);
  return TRUE;
}

/* One field's value into @record, as crm_record_from_json () takes it from a node. */
static gboolean
read_field (Reader             *r,
            CrmRecord          *record,
            const CrmFieldInfo *field)
{
  ValueType type = value_type (peek (r));
  gint64 integer = 0;
  double number = 0;

  if (type == VALUE_NULL)
    {
      if (!read_literal (r, "null", 4))
        return FALSE;
      crm_record_set_null (record, field->name);
      return TRUE;
    }

  switch (field->type)
    {
    case CRM_FIELD_INT:
      if (type != VALUE_INT || !read_number (r, &type, &integer, &number))
        return r->error != NULL ? FALSE : wrong_type (r, field);
      if (type == VALUE_DOUBLE)
        {
          /* "3.0" is an integer written with a decimal point; "3.5" is not one. */
          if (!isfinite (number) || number != floor (number)
              || fabs (number) > MAX_EXACT_DOUBLE_INT)
            return wrong_type (r, field);
          integer = (gint64) number;
        }
      crm_record_set_int (record, field->name, integer);
      return TRUE;
    case CRM_FIELD_DECIMAL:
      if (type != VALUE_INT || !read_number (r, &type, &integer, &number))
        return r->error != NULL ? FALSE : wrong_type (r, field);
      if (type == VALUE_INT)
        number = (double) integer;
      if (!isfinite (number))
        return wrong_type (r, field);
      crm_record_set_double (record, field->name, number);
      return TRUE;
    case CRM_FIELD_BOOL:
      if (type != VALUE_TRUE && type != VALUE_FALSE)
        return wrong_type (r, field);
      if (!read_literal (r, type == VALUE_TRUE ? "true" : "false", type == VALUE_TRUE ? 4 : 5))
        return FALSE;
      crm_record_set_bool (record, field->name, type == VALUE_TRUE);
      return TRUE;
    case CRM_FIELD_TAGS:
    case CRM_FIELD_UUID_LIST:
      if (type != VALUE_ARRAY)
        return wrong_type (r, field);
      return read_list (r, record, field);
    case CRM_FIELD_TEXT:
    case CRM_FIELD_LONGTEXT:
    case CRM_FIELD_UUID:
    case CRM_FIELD_DATE:
    case CRM_FIELD_DATETIME:
    case CRM_FIELD_ENUM:
    case CRM_FIELD_EMAIL:
    case CRM_FIELD_URL:
    case CRM_FIELD_PHONE:
    case CRM_FIELD_COUNTRY:
    case CRM_FIELD_LANGUAGE:
    case CRM_FIELD_MANDAT_NUMBER:
    default:
      if (type != VALUE_STRING)
        return wrong_type (r, field);
      if (!read_string_copy (r))
        return FALSE;
      crm_record_set_string (record, field->name, r->text->str);
      return TRUE;
    }
}

static CrmRecord *
read_record (Reader              *r,
             const CrmEntityInfo *entity)
{
  g_autoptr (CrmRecord) record = crm_record_new (entity);
  gboolean first = TRUE;
  const char *key;
  gsize length;
  guint hint = 0;
  int more;

  if (!enter (r, '{'))
    return NULL;
  while ((more = next_member (r, &first, &key, &length)) > 0)
    {
      const CrmFieldInfo *field = find_field (entity, key, length, &hint);

      /* Unknown keys are skipped (a newer server), secrets never kept (core's rule). */
      if (field == NULL || (field->flags & CRM_FIELD_SECRET) != 0)
        {
          if (!skip_value (r))
            return NULL;
          continue;
        }
      if (!read_field (r, record, field))
        return NULL;
    }
  return more == 0 ? g_steal_pointer (&record) : NULL;
}

/* ---- the page's members ------------------------------------------------------------ */

/* An entity's wire name: NULL (with an error) unless it is a synced entity. */
static const CrmEntityInfo *
read_entity (Reader   *r,
             gboolean  unknown_is_error,
             gboolean *unknown)
{
  const CrmEntityInfo *entity;

  *unknown = FALSE;
  if (peek (r) != '"')
    {
      fail (r, _("« entity » doit être un texte"));
      return NULL;
    }
  if (!read_string_copy (r))
    return NULL;
  entity = crm_entity_lookup (r->text->str);
  if (entity != NULL && entity->synced)
    return entity;
  *unknown = TRUE;
  if (unknown_is_error)
    fail (r, _("un changement porte sur un type d’élément inconnu"));
  return NULL;
}

static const char *
read_id (Reader      *r,
         CrmSyncPage *page)
{
  if (peek (r) != '"')
    {
      fail (r, _("« id » doit être un texte"));
      return NULL;
    }
  if (!read_string_copy (r))
    return NULL;
  if (!crm_uuid_is_valid (r->text->str))
    {
      fail (r, _("« id » n’est pas un UUID"));
      return NULL;
    }
  return g_string_chunk_insert_len (page->strings, r->text->str, (gssize) r->text->len);
}

static gboolean
duplicate (Reader     *r,
           gboolean   *seen,
           const char *name)
{
  g_autofree char *what = NULL;

  if (!*seen)
    {
      *seen = TRUE;
      return FALSE;
    }
  what = g_strdup_printf (_("le membre « %s » est répété"), name);
  fail (r, what);
  return TRUE;
}

static gboolean
read_change (Reader      *r,
             CrmSyncPage *page)
{
  CrmReplicaChange change = { 0 };
  const CrmEntityInfo *entity = NULL;
  CrmRecord *record = NULL;
  gboolean first = TRUE, unknown;
  gboolean seen_entity = FALSE, seen_id = FALSE, seen_version = FALSE, seen_deleted = FALSE;
  gboolean seen_data = FALSE;
  const char *data_at = NULL;   /* "data" before "entity": read once the entity is known */
  guint data_depth = 0;
  const char *key;
  gsize length;
  int more;

  if (!enter (r, '{'))
    return FALSE;
  while ((more = next_member (r, &first, &key, &length)) > 0)
    {
      if (key_is (key, length, "entity"))
        {
          if (duplicate (r, &seen_entity, "entity")
              || (entity = read_entity (r, TRUE, &unknown)) == NULL)
            return FALSE;
        }
      else if (key_is (key, length, "id"))
        {
          if (duplicate (r, &seen_id, "id") || (change.id = read_id (r, page)) == NULL)
            return FALSE;
        }
      else if (key_is (key, length, "version"))
        {
          if (duplicate (r, &seen_version, "version")
              || !read_int (r, "version", &change.version))
            return FALSE;
        }
      else if (key_is (key, length, "deleted"))
        {
          if (duplicate (r, &seen_deleted, "deleted")
              || !read_bool (r, "deleted", &change.deleted))
            return FALSE;
        }
      else if (key_is (key, length, "data"))
        {
          char c = peek (r);

          if (duplicate (r, &seen_data, "data"))
            return FALSE;
          if (c == 'n')
            {
              if (!read_literal (r, "null", 4))
                return FALSE;
            }
          else if (c != '{')
            return fail (r, _("« data » doit être un objet ou null"));
          else if (entity != NULL)
            {
              if ((record = read_record (r, entity)) == NULL)
                return FALSE;
              g_ptr_array_add (page->records, record);
            }
          else
            {
              data_at = r->p;
              data_depth = r->depth;
              if (!skip_value (r))
                return FALSE;
            }
        }
      else if (!skip_value (r))
        return FALSE;
    }
  if (more < 0)
    return FALSE;
  if (entity == NULL || change.id == NULL || !seen_version)
    return fail (r, _("un changement n’a pas ses membres « entity », « id » et « version »"));

  if (data_at != NULL)
    {
      Reader again = *r;

      again.p = data_at;
      again.depth = data_depth;
      again.error = NULL;
      record = read_record (&again, entity);
      if (record == NULL)
        {
          r->error = again.error;
          return FALSE;
        }
      g_ptr_array_add (page->records, record);
    }
  change.kind = entity->kind;
  change.data = record;
  g_array_append_val (page->changes, change);
  return TRUE;
}

static gboolean
read_revoke (Reader      *r,
             CrmSyncPage *page)
{
  CrmReplicaRevoke revoke = { 0 };
  const CrmEntityInfo *entity = NULL;
  gboolean first = TRUE, unknown = FALSE, seen_entity = FALSE, seen_id = FALSE;
  const char *key;
  gsize length;
  int more;

  if (!enter (r, '{'))
    return FALSE;
  while ((more = next_member (r, &first, &key, &length)) > 0)
    {
      if (key_is (key, length, "entity"))
        {
          if (duplicate (r, &seen_entity, "entity"))
            return FALSE;
          entity = read_entity (r, FALSE, &unknown);
          if (entity == NULL && !unknown)
            return FALSE;
        }
      else if (key_is (key, length, "id"))
        {
          if (duplicate (r, &seen_id, "id") || (revoke.id = read_id (r, page)) == NULL)
            return FALSE;
        }
      else if (!skip_value (r))
        return FALSE;
    }
  if (more < 0)
    return FALSE;
  if (!seen_entity || revoke.id == NULL)
    return fail (r, _("un retrait n’a pas ses membres « entity » et « id »"));
  /* A kind of row this app does not know (a newer server): nothing of it is here. */
  if (entity == NULL)
    return TRUE;
  revoke.kind = entity->kind;
  g_array_append_val (page->revokes, revoke);
  return TRUE;
}

/* A conflict is rare and small: its object is checked here, then read by json-glib for
 * crm_sync_apply_conflict (). */
static gboolean
read_conflict (Reader      *r,
               CrmSyncPage *page)
{
  const char *begin;
  g_autoptr (JsonNode) node = NULL;

  if (peek (r) != '{')
    return fail (r, _("un conflit doit être un objet"));
  begin = r->p;
  if (!skip_value (r))
    return FALSE;
  node = crm_json_parse_bounded (begin, r->p - begin, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return fail (r, _("un conflit est illisible"));
  g_ptr_array_add (page->conflicts, json_object_ref (json_node_get_object (node)));
  return TRUE;
}

static gboolean
read_list_of (Reader      *r,
              CrmSyncPage *page,
              gboolean   (*read_one) (Reader *r, CrmSyncPage *page))
{
  gboolean first = TRUE;
  int more;

  if (!enter (r, '['))
    return FALSE;
  while ((more = next_element (r, &first)) > 0)
    if (!read_one (r, page))
      return FALSE;
  return more == 0;
}

CrmSyncPage *
crm_sync_page_new (void)
{
  CrmSyncPage *page = g_new0 (CrmSyncPage, 1);

  page->changes = g_array_new (FALSE, TRUE, sizeof (CrmReplicaChange));
  page->revokes = g_array_new (FALSE, TRUE, sizeof (CrmReplicaRevoke));
  page->conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  page->records = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_record_unref);
  page->strings = g_string_chunk_new (4096);
  return page;
}

void
crm_sync_page_free (CrmSyncPage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->changes, g_array_unref);
  g_clear_pointer (&page->revokes, g_array_unref);
  g_clear_pointer (&page->conflicts, g_ptr_array_unref);
  g_clear_pointer (&page->records, g_ptr_array_unref);
  g_clear_pointer (&page->strings, g_string_chunk_free);
  g_free (page);
}

static gboolean
read_page (Reader      *r,
           CrmSyncPage *page)
{
  gboolean first = TRUE, seen_head = FALSE;
  gboolean seen_changes = FALSE, seen_revoked = FALSE, seen_conflicts = FALSE;
  gboolean seen_cursor = FALSE, seen_more = FALSE, seen_epoch = FALSE;
  const char *key;
  gsize length;
  int more;

  if (peek (r) != '{')
    return fail (r, _("la page n’est pas un objet JSON"));
  if (!enter (r, '{'))
    return FALSE;
  while ((more = next_member (r, &first, &key, &length)) > 0)
    {
      gboolean ok;

      if (key_is (key, length, "changes"))
        ok = !duplicate (r, &seen_changes, "changes") && read_list_of (r, page, read_change);
      else if (key_is (key, length, "revoked"))
        ok = !duplicate (r, &seen_revoked, "revoked") && read_list_of (r, page, read_revoke);
      else if (key_is (key, length, "conflicts"))
        ok = !duplicate (r, &seen_conflicts, "conflicts")
             && read_list_of (r, page, read_conflict);
      else if (key_is (key, length, "cursor"))
        ok = !duplicate (r, &seen_cursor, "cursor") && read_int (r, "cursor", &page->cursor);
      else if (key_is (key, length, "head"))
        ok = !duplicate (r, &seen_head, "head") && read_int (r, "head", &page->head);
      else if (key_is (key, length, "has_more"))
        ok = !duplicate (r, &seen_more, "has_more") && read_bool (r, "has_more", &page->has_more);
      else if (key_is (key, length, "epoch"))
        ok = !duplicate (r, &seen_epoch, "epoch") && read_int (r, "epoch", &page->epoch);
      else
        ok = skip_value (r);
      if (!ok)
        return FALSE;
    }
  if (more < 0)
    return FALSE;
  if (peek (r) != '\0')
    return fail (r, _("du texte suit la fin de la page"));
  if (!seen_cursor)
    return fail (r, _("la page ne dit pas son curseur (« cursor »)"));
  if (!seen_head)
    page->head = page->cursor;
  return TRUE;
}

CrmSyncPage *
crm_sync_page_parse (const char  *data,
                     gsize        length,
                     GError     **error)
{
  g_autoptr (CrmSyncPage) page = crm_sync_page_new ();
  g_autoptr (GString) text = g_string_sized_new (256);
  Reader r = { data, data, data, text, 0, NULL };

  if (data != NULL)
    r.end = data + length;
  if (data == NULL || length == 0)
    fail (&r, _("la page est vide"));
  else if (length > CRM_SYNC_PAGE_MAX_BYTES)
    fail (&r, _("la page dépasse 64 Mio"));
  /* With an explicit length, NUL bytes are refused too. */
  else if (!g_utf8_validate (data, (gssize) length, NULL))
    fail (&r, _("la page n’est pas un texte UTF-8 valide"));
  else
    read_page (&r, page);
  if (r.error != NULL)
    {
      g_propagate_error (error, r.error);
      return NULL;
    }
  return g_steal_pointer (&page);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-json"

#include "config.h"

#include <math.h>
#include <string.h>

#include "crm-error.h"
#include "crm-json.h"
#include "crm-record-private.h"

/*
 * json-glib 1.6 is lenient and trusting: its parser recurses once per nesting
 * level, wraps integers beyond 64 bits silently, accepts comments, single
 * quotes, hexadecimal, "01", unknown escapes and text after the root, and
 * turns a lone surrogate escape into invalid UTF-8. Documents come from the
 * network, so a cheap linear pre-scan checks what json-glib cannot be trusted
 * with before it sees a byte: the nesting depth, the characters outside
 * strings, the escapes inside them, and the shape and range of every number.
 */

/* Doubles can hold every integer up to 2^53 exactly: a number written "3.0"
 * is still accepted for an integer field within that range. */
#define MAX_EXACT_DOUBLE_INT 9007199254740992.0

typedef struct
{
  const char *data;
  gsize       length;
  gsize       pos;
  guint       depth;
  const char *last_string;     /* the last string literal, with its quotes */
  gsize       last_string_len;
  const char *key;             /* the key of the member being read */
  gsize       key_len;
  guint       key_depth;
  gboolean    root_done;       /* the root container is closed: only blanks may follow */
  GPtrArray  *overflow_keys;   /* keys of the root object whose integer overflows */
  gboolean    overflow_deeper; /* an overflowing integer somewhere else */
} Scan;

static gboolean
scan_fail (GError    **error,
           const char *message)
{
  g_set_error_literal (error, CRM_VALIDATION_ERROR, CRM_VALIDATION_ERROR_MALFORMED, message);
  return FALSE;
}

static int
hex4 (const char *p,
      gsize       left)
{
  int value = 0;

  if (left < 4)
    return -1;
  for (guint i = 0; i < 4; i++)
    {
      if (!g_ascii_isxdigit (p[i]))
        return -1;
      value = value * 16 + g_ascii_xdigit_value (p[i]);
    }
  return value;
}

/* Length of the escape at @p (just after its backslash), or 0 when JSON
 * refuses it. json-glib passes unknown escapes such as "\q" through and turns
 * a lone surrogate into invalid UTF-8, eating the characters after it. */
static gsize
escape_length (const char *p,
               gsize       left)
{
  int unit;
  int low;

  if (left == 0 || *p == '\0' || strchr ("\"\\/bfnrtu", *p) == NULL)
    return 0;
  if (*p != 'u')
    return 1;

  unit = hex4 (p + 1, left - 1);
  if (unit < 0 || (unit >= 0xDC00 && unit <= 0xDFFF))
    return 0;
  if (unit < 0xD800 || unit > 0xDBFF)
    return 5;

  /* A high surrogate needs its low half right after it. */
  if (left < 11 || p[5] != '\\' || p[6] != 'u')
    return 0;
  low = hex4 (p + 7, left - 7);
  return low >= 0xDC00 && low <= 0xDFFF ? 11 : 0;
}

static gboolean
scan_string (Scan    *scan,
             GError **error)
{
  gsize start = scan->pos;
  gsize i = start + 1;
  gsize escape;

  while (i < scan->length && scan->data[i] != '"')
    {
      /* JSON wants control characters escaped inside strings. */
      if ((guchar) scan->data[i] < 0x20)
        return scan_fail (error, "Le document JSON contient un caractère de contrôle non "
                                 "échappé dans un texte ; écrivez par exemple \\n.");
      if (scan->data[i] != '\\')
        {
          i++;
          continue;
        }
      /* A NUL inside a string would be cut there by every C consumer. */
      if (scan->length - i >= 6 && strncmp (scan->data + i, "\\u0000", 6) == 0)
        return scan_fail (error, "Le document JSON contient un caractère nul (\\u0000), "
                                 "qui n’est accepté dans aucun champ.");
      escape = escape_length (scan->data + i + 1, scan->length - i - 1);
      if (escape == 0)
        return scan_fail (error, "Le document JSON contient une séquence d’échappement "
                                 "invalide (barre oblique inverse mal utilisée ou \\u "
                                 "incomplet).");
      i += 1 + escape;
    }

  if (i >= scan->length)
    return scan_fail (error, "Le document JSON est incomplet : un texte entre guillemets "
                             "n’est pas refermé.");

  scan->last_string = scan->data + start;
  scan->last_string_len = i + 1 - start;
  scan->pos = i + 1;
  return TRUE;
}

static gsize
skip_digits (const char *data,
             gsize       length,
             gsize       i)
{
  while (i < length && g_ascii_isdigit (data[i]))
    i++;
  return i;
}

/* Checks one number against the JSON grammar; TRUE in *is_integer when it has
 * neither a fraction nor an exponent. Returns the position after it, or 0. */
static gsize
scan_number_shape (const char *data,
                   gsize       length,
                   gsize       i,
                   gboolean   *is_integer)
{
  gsize start;

  *is_integer = TRUE;
  if (i < length && data[i] == '-')
    i++;
  if (i >= length || !g_ascii_isdigit (data[i]))
    return 0;
  start = i;
  i = skip_digits (data, length, i);
  if (data[start] == '0' && i - start > 1)
    return 0;
  if (i < length && data[i] == '.')
    {
      *is_integer = FALSE;
      start = ++i;
      i = skip_digits (data, length, i);
      if (i == start)
        return 0;
    }
  if (i < length && (data[i] == 'e' || data[i] == 'E'))
    {
      *is_integer = FALSE;
      i++;
      if (i < length && (data[i] == '+' || data[i] == '-'))
        i++;
      start = i;
      i = skip_digits (data, length, i);
      if (i == start)
        return 0;
    }
  return i;
}

static gboolean
integer_fits (const char *text,
              gsize       len)
{
  char buf[32];

  /* 20 characters is "-9223372036854775808": anything longer cannot fit. */
  if (len > 20)
    return FALSE;
  memcpy (buf, text, len);
  buf[len] = '\0';
  return g_ascii_string_to_signed (buf, 10, G_MININT64, G_MAXINT64, NULL, NULL);
}

static gboolean
scan_number (Scan    *scan,
             GError **error)
{
  gboolean is_integer;
  gsize end = scan_number_shape (scan->data, scan->length, scan->pos, &is_integer);

  if (end == 0)
    return scan_fail (error, "Le document JSON contient un nombre mal écrit ; écrivez par "
                             "exemple 42, -3.5 ou 1.2e6.");

  if (is_integer && !integer_fits (scan->data + scan->pos, end - scan->pos))
    {
      /* json-glib would wrap this value around: remember where it was. */
      if (scan->depth == 1 && scan->key != NULL && scan->key_depth == 1)
        g_ptr_array_add (scan->overflow_keys, g_strndup (scan->key, scan->key_len));
      else
        scan->overflow_deeper = TRUE;
    }

  scan->pos = end;
  return TRUE;
}

static gboolean
scan_structural (Scan    *scan,
                 char     c,
                 GError **error)
{
  switch (c)
    {
    case '{':
    case '[':
      if (++scan->depth > CRM_JSON_MAX_DEPTH)
        return scan_fail (error, "Le document JSON est imbriqué trop profondément "
                                 "(32 niveaux au plus).");
      break;
    case '}':
    case ']':
      if (scan->depth > 0 && --scan->depth == 0)
        scan->root_done = TRUE;
      break;
    case ':':
      scan->key = scan->last_string;
      scan->key_len = scan->last_string_len;
      scan->key_depth = scan->depth;
      break;
    default:
      break;
    }
  scan->pos++;
  return TRUE;
}

static gboolean
prescan (Scan    *scan,
         GError **error)
{
  while (scan->pos < scan->length)
    {
      char c = scan->data[scan->pos];

      /* json-glib stops after the first value and ignores the rest: "{}{}"
       * would pass for one object. */
      if (scan->root_done && strchr (" \t\r\n", c) == NULL)
        return scan_fail (error, "Le document JSON contient du texte après sa fin ; "
                                 "envoyez un seul objet.");

      if (c == '"')
        {
          if (!scan_string (scan, error))
            return FALSE;
        }
      else if (c == '-' || g_ascii_isdigit (c))
        {
          if (!scan_number (scan, error))
            return FALSE;
        }
      else if (strchr ("{}[]:,", c) != NULL)
        {
          if (!scan_structural (scan, c, error))
            return FALSE;
        }
      /* Whitespace and the letters of true, false and null: anything else
       * (comments, single quotes, hexadecimal) is not JSON. */
      else if (strchr (" \t\r\n", c) != NULL || strchr ("truefalsn", c) != NULL)
        scan->pos++;
      else
        return scan_fail (error, "Le document n’est pas du JSON valide : il contient un "
                                 "caractère inattendu en dehors des textes.");
    }
  return TRUE;
}

/* The key of a member as json-glib will see it: escapes decoded. */
static char *
decode_key (const char *quoted)
{
  g_autoptr(JsonNode) node = NULL;

  if (strchr (quoted, '\\') == NULL)
    return g_strndup (quoted + 1, strlen (quoted) - 2);

  node = json_from_string (quoted, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (node));
}

/* Size and encoding, checked before anything looks inside. */
static gboolean
check_envelope (const char  *data,
                gssize       length,
                gsize       *out_length,
                GError     **error)
{
  gsize len;

  if (data == NULL)
    return scan_fail (error, "Le document JSON est vide.");

  len = length < 0 ? strnlen (data, CRM_JSON_MAX_DOCUMENT + 1) : (gsize) length;
  if (len > CRM_JSON_MAX_DOCUMENT)
    return scan_fail (error, "Le document JSON dépasse la taille maximale acceptée (2 Mio) ; "
                             "envoyez-le en plusieurs fois.");

  /* An explicit length also makes g_utf8_validate refuse embedded NUL bytes. */
  if (!g_utf8_validate (data, (gssize) len, NULL))
    return scan_fail (error, "Le document JSON n’est pas un texte UTF-8 valide.");

  *out_length = len;
  return TRUE;
}

/* Parses within the limits; the keys of the root object whose integers do not
 * fit in 64 bits go to @overflow_keys (json-glib has already wrapped them). */
static JsonNode *
parse_bounded_full (const char  *data,
                    gssize       length,
                    GPtrArray   *overflow_keys,
                    gboolean    *overflow_deeper,
                    GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) parse_error = NULL;
  Scan scan = { 0 };
  JsonNode *root;

  if (!check_envelope (data, length, &scan.length, error))
    return NULL;

  scan.data = data;
  scan.overflow_keys = overflow_keys;
  if (!prescan (&scan, error))
    return NULL;
  *overflow_deeper = scan.overflow_deeper;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, (gssize) scan.length, &parse_error))
    {
      /* json-glib's message is English and may quote half of a multi-byte
       * character: only its position is passed on. */
      g_set_error (error, CRM_VALIDATION_ERROR, CRM_VALIDATION_ERROR_MALFORMED,
                   "Le document n’est pas du JSON valide (erreur ligne %u, colonne %u).",
                   json_parser_get_current_line (parser), json_parser_get_current_pos (parser));
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      scan_fail (error, "Le document JSON est vide.");
      return NULL;
    }

  return json_node_copy (root);
}

JsonNode *
crm_json_parse_bounded (const char  *data,
                        gssize       length,
                        GError     **error)
{
  g_autoptr(GPtrArray) overflow_keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonNode) root = NULL;
  gboolean overflow_deeper = FALSE;

  root = parse_bounded_full (data, length, overflow_keys, &overflow_deeper, error);
  if (root == NULL)
    return NULL;

  if (overflow_keys->len > 0)
    {
      g_autofree char *key = decode_key (g_ptr_array_index (overflow_keys, 0));

      g_set_error (error, CRM_VALIDATION_ERROR, CRM_VALIDATION_ERROR_WRONG_TYPE,
                   "La valeur de « %s » est un nombre entier trop grand (au-delà de 64 bits).",
                   key != NULL ? key : "?");
      return NULL;
    }
  if (overflow_deeper)
    {
      g_set_error_literal (error, CRM_VALIDATION_ERROR, CRM_VALIDATION_ERROR_WRONG_TYPE,
                           "Le document JSON contient un nombre entier trop grand "
                           "(au-delà de 64 bits).");
      return NULL;
    }

  return g_steal_pointer (&root);
}

static gboolean
wrong_type (const CrmFieldInfo  *info,
            GError             **error)
{
  const char *expected;

  switch (crm_field_type_value_kind (info->type))
    {
    case CRM_VALUE_INT:
      expected = "un nombre entier, sans décimales";
      break;
    case CRM_VALUE_DOUBLE:
      expected = "un nombre, par exemple 1250000.50";
      break;
    case CRM_VALUE_BOOL:
      expected = "true ou false, sans guillemets";
      break;
    case CRM_VALUE_STRV:
      expected = "une liste de textes, par exemple [\"client\", \"prioritaire\"]";
      break;
    case CRM_VALUE_STRING:
    default:
      expected = "un texte entre guillemets";
      break;
    }

  g_set_error (error, CRM_VALIDATION_ERROR, CRM_VALIDATION_ERROR_WRONG_TYPE,
               "Le champ « %s » doit être %s, ou null.", info->label, expected);
  return FALSE;
}

static gboolean
node_is (JsonNode *node,
         GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

static gboolean
node_to_int (JsonNode *node,
             gint64   *value)
{
  double d;

  if (node_is (node, G_TYPE_INT64))
    {
      *value = json_node_get_int (node);
      return TRUE;
    }
  if (!node_is (node, G_TYPE_DOUBLE))
    return FALSE;

  /* "3.0" is an integer written with a decimal point; "3.5" is not one. */
  d = json_node_get_double (node);
  if (!isfinite (d) || d != floor (d) || fabs (d) > MAX_EXACT_DOUBLE_INT)
    return FALSE;
  *value = (gint64) d;
  return TRUE;
}

static gboolean
node_to_double (JsonNode *node,
                double   *value)
{
  if (node_is (node, G_TYPE_INT64))
    *value = (double) json_node_get_int (node);
  else if (node_is (node, G_TYPE_DOUBLE))
    *value = json_node_get_double (node);
  else
    return FALSE;

  /* json-glib reads 1e400 as infinity, which has no JSON form to go back to. */
  return isfinite (*value);
}

static gboolean
is_bad_text (JsonNode *node)
{
  return node_is (node, G_TYPE_STRING) && !g_utf8_validate (json_node_get_string (node), -1, NULL);
}

/* Strings from a parsed document are valid UTF-8; a JsonObject built by a
 * caller may hold anything. */
static gboolean
check_utf8 (const CrmFieldInfo  *info,
            JsonNode            *node,
            GError             **error)
{
  gboolean bad = is_bad_text (node);

  if (JSON_NODE_HOLDS_ARRAY (node))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (node)) && !bad; i++)
      bad = is_bad_text (json_array_get_element (json_node_get_array (node), i));

  if (!bad)
    return TRUE;
  g_set_error (error, CRM_VALIDATION_ERROR, CRM_VALIDATION_ERROR_MALFORMED,
               "Le champ « %s » contient un texte qui n’est pas de l’UTF-8 valide.", info->label);
  return FALSE;
}

static char **
node_to_strv (JsonNode *node)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  builder = g_strv_builder_new ();
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);

      if (!node_is (item, G_TYPE_STRING))
        return NULL;
      g_strv_builder_add (builder, json_node_get_string (item));
    }

  return g_strv_builder_end (builder);
}

/* Stores one member's value in @record, or says why its JSON type is wrong. */
static gboolean
set_from_node (CrmRecord          *record,
               const CrmFieldInfo *info,
               JsonNode           *node,
               GError            **error)
{
  g_auto(GStrv) strv = NULL;
  gint64 i;
  double d;

  if (JSON_NODE_HOLDS_NULL (node))
    {
      crm_record_set_null (record, info->name);
      return TRUE;
    }
  if (!check_utf8 (info, node, error))
    return FALSE;

  switch (crm_field_type_value_kind (info->type))
    {
    case CRM_VALUE_INT:
      if (!node_to_int (node, &i))
        return wrong_type (info, error);
      crm_record_set_int (record, info->name, i);
      return TRUE;
    case CRM_VALUE_DOUBLE:
      if (!node_to_double (node, &d))
        return wrong_type (info, error);
      crm_record_set_double (record, info->name, d);
      return TRUE;
    case CRM_VALUE_BOOL:
      if (!node_is (node, G_TYPE_BOOLEAN))
        return wrong_type (info, error);
      crm_record_set_bool (record, info->name, json_node_get_boolean (node));
      return TRUE;
    case CRM_VALUE_STRV:
      if ((strv = node_to_strv (node)) == NULL)
        return wrong_type (info, error);
      crm_record_set_strv (record, info->name, (const char * const *) strv);
      return TRUE;
    case CRM_VALUE_STRING:
    default:
      if (!node_is (node, G_TYPE_STRING))
        return wrong_type (info, error);
      crm_record_set_string (record, info->name, json_node_get_string (node));
      return TRUE;
    }
}

/* The field a member fills, or NULL when the member is to be ignored. */
static const CrmFieldInfo *
member_field (const CrmEntityInfo *entity,
              const char          *key,
              CrmJsonFlags         flags)
{
  const CrmFieldInfo *info = crm_entity_field (entity, key);

  /* Unknown keys are ignored so that a newer peer can talk to an older one. */
  if (info == NULL || (info->flags & CRM_FIELD_SECRET) != 0)
    return NULL;
  if ((flags & CRM_JSON_SKIP_READONLY) != 0 && (info->flags & CRM_FIELD_READONLY) != 0)
    return NULL;
  return info;
}

CrmRecord *
crm_record_from_json (const CrmEntityInfo *entity,
                      JsonObject          *object,
                      CrmJsonFlags         flags,
                      GError             **error)
{
  g_autoptr(CrmRecord) record = NULL;
  JsonObjectIter iter;
  const char *key;
  JsonNode *node;

  g_return_val_if_fail (entity != NULL, NULL);
  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  record = crm_record_new (entity);
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &key, &node))
    {
      const CrmFieldInfo *info = member_field (entity, key, flags);

      if (info != NULL && !set_from_node (record, info, node, error))
        return NULL;
    }

  return g_steal_pointer (&record);
}

static gboolean
check_overflows (const CrmEntityInfo  *entity,
                 GPtrArray            *overflow_keys,
                 CrmJsonFlags          flags,
                 GError              **error)
{
  for (guint i = 0; i < overflow_keys->len; i++)
    {
      g_autofree char *key = decode_key (g_ptr_array_index (overflow_keys, i));
      const CrmFieldInfo *info = key != NULL ? member_field (entity, key, flags) : NULL;

      if (info == NULL)
        continue;
      /* A number too big for 64 bits is out of every field's reach, DECIMAL's included. */
      g_set_error (error, CRM_VALIDATION_ERROR, CRM_VALIDATION_ERROR_WRONG_TYPE,
                   "Le champ « %s » contient un nombre trop grand (au-delà de 64 bits).",
                   info->label);
      return FALSE;
    }
  return TRUE;
}

CrmRecord *
crm_record_from_json_data (const CrmEntityInfo *entity,
                           const char          *data,
                           gssize               length,
                           CrmJsonFlags         flags,
                           GError             **error)
{
  g_autoptr(GPtrArray) overflow_keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonNode) root = NULL;
  gboolean overflow_deeper = FALSE;

  g_return_val_if_fail (entity != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Overflows deeper than the root object can only sit in ignored keys or in
   * lists, which refuse numbers anyway. */
  root = parse_bounded_full (data, length, overflow_keys, &overflow_deeper, error);
  if (root == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, CRM_VALIDATION_ERROR, CRM_VALIDATION_ERROR_MALFORMED,
                   "Le document JSON doit être un objet entre accolades, par exemple "
                   "{\"name\": \"…\"}, pour décrire un élément de type « %s ».",
                   entity->label);
      return NULL;
    }

  if (!check_overflows (entity, overflow_keys, flags, error))
    return NULL;

  return crm_record_from_json (entity, json_node_get_object (root), flags, error);
}

static JsonNode *
strv_to_node (const char * const *strv)
{
  JsonArray *array = json_array_sized_new (g_strv_length ((char **) strv));

  for (guint i = 0; strv[i] != NULL; i++)
    json_array_add_string_element (array, strv[i]);
  return json_node_init_array (json_node_alloc (), array);
}

static JsonNode *
field_to_node (const CrmRecord    *record,
               const CrmFieldInfo *info)
{
  JsonNode *node = json_node_alloc ();
  double d;

  if (crm_record_is_null (record, info->name))
    return json_node_init_null (node);

  switch (crm_field_type_value_kind (info->type))
    {
    case CRM_VALUE_INT:
      return json_node_init_int (node, crm_record_get_int (record, info->name));
    case CRM_VALUE_DOUBLE:
      /* NaN and infinities have no JSON form; such a value never validates, and
       * null keeps the document parseable instead of emitting "inf.0". */
      d = crm_record_get_double (record, info->name);
      return isfinite (d) ? json_node_init_double (node, d) : json_node_init_null (node);
    case CRM_VALUE_BOOL:
      return json_node_init_boolean (node, crm_record_get_bool (record, info->name));
    case CRM_VALUE_STRV:
      json_node_free (node);
      return strv_to_node (crm_record_get_strv (record, info->name));
    case CRM_VALUE_STRING:
    default:
      return json_node_init_string (node, crm_record_get_string (record, info->name));
    }
}

JsonObject *
crm_record_to_json (const CrmRecord *record)
{
  const CrmEntityInfo *entity;
  JsonObject *object;

  g_return_val_if_fail (record != NULL, NULL);

  entity = crm_record_get_entity (record);
  object = json_object_new ();
  for (guint i = 0; i < entity->n_fields; i++)
    {
      const CrmFieldInfo *info = &entity->fields[i];

      if ((info->flags & CRM_FIELD_SECRET) != 0 || !crm_record_has (record, info->name))
        continue;
      json_object_set_member (object, info->name, field_to_node (record, info));
    }

  return object;
}

JsonNode *
crm_record_to_json_node (const CrmRecord *record)
{
  g_autoptr(JsonObject) object = NULL;

  g_return_val_if_fail (record != NULL, NULL);

  object = crm_record_to_json (record);
  return json_node_init_object (json_node_alloc (), object);
}

char *
crm_record_to_json_data (const CrmRecord *record,
                         gsize           *length)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (record != NULL, NULL);

  crm_record_append_json (record, out);
  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-record"

#include "config.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "crm-error.h"
#include "crm-json.h"
#include "crm-record-private.h"

typedef enum
{
  VALUE_ABSENT = 0, /* zero so that a fresh, zeroed record has every field absent */
  VALUE_NULL,
  VALUE_SET,
} ValueState;

typedef struct
{
  ValueState state;
  union
  {
    char     *s;
    gint64    i;
    double    d;
    gboolean  b;
    char    **v;
  } u;
} CrmValue;

struct _CrmRecord
{
  gatomicrefcount      ref_count;
  const CrmEntityInfo *entity;
  CrmValue             values[]; /* one per entity->fields[], same order */
};

G_DEFINE_BOXED_TYPE (CrmRecord, crm_record, crm_record_ref, crm_record_unref)

CrmValueKind
crm_field_type_value_kind (CrmFieldType type)
{
  switch (type)
    {
    case CRM_FIELD_INT:
      return CRM_VALUE_INT;
    case CRM_FIELD_DECIMAL:
      return CRM_VALUE_DOUBLE;
    case CRM_FIELD_BOOL:
      return CRM_VALUE_BOOL;
    case CRM_FIELD_TAGS:
    case CRM_FIELD_UUID_LIST:
      return CRM_VALUE_STRV;
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
      return CRM_VALUE_STRING;
    }
}

static CrmValueKind
kind_at (const CrmRecord *self,
         int              idx)
{
  return crm_field_type_value_kind (self->entity->fields[idx].type);
}

static void
value_clear (CrmValue     *value,
             CrmValueKind  kind)
{
  if (value->state == VALUE_SET)
    {
      if (kind == CRM_VALUE_STRING)
        g_free (value->u.s);
      else if (kind == CRM_VALUE_STRV)
        g_strfreev (value->u.v);
    }
  memset (value, 0, sizeof *value);
}

static void
value_copy (CrmValue       *dest,
            const CrmValue *src,
            CrmValueKind    kind)
{
  *dest = *src;
  if (src->state != VALUE_SET)
    return;
  if (kind == CRM_VALUE_STRING)
    dest->u.s = g_strdup (src->u.s);
  else if (kind == CRM_VALUE_STRV)
    dest->u.v = g_strdupv (src->u.v);
}

CrmRecord *
crm_record_new (const CrmEntityInfo *entity)
{
  CrmRecord *self;

  g_return_val_if_fail (entity != NULL, NULL);

  self = g_malloc0 (sizeof (CrmRecord) + entity->n_fields * sizeof (CrmValue));
  g_atomic_ref_count_init (&self->ref_count);
  self->entity = entity;

  return self;
}

CrmRecord *
crm_record_new_for_kind (CrmEntityKind kind)
{
  const CrmEntityInfo *entity = crm_entity_get (kind);

  g_return_val_if_fail (entity != NULL, NULL);

  return crm_record_new (entity);
}

CrmRecord *
crm_record_ref (CrmRecord *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
crm_record_unref (CrmRecord *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  for (guint i = 0; i < self->entity->n_fields; i++)
    value_clear (&self->values[i], kind_at (self, (int) i));
  g_free (self);
}

CrmRecord *
crm_record_copy (const CrmRecord *self)
{
  CrmRecord *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = crm_record_new (self->entity);
  for (guint i = 0; i < self->entity->n_fields; i++)
    value_copy (&copy->values[i], &self->values[i], kind_at (self, (int) i));

  return copy;
}

const CrmEntityInfo *
crm_record_get_entity (const CrmRecord *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->entity;
}

/* Every accessor below resolves @field first: an unknown name is a bug in the
 * caller (a typo in a literal), never data, so it is a g_critical. */
static int
field_index (const CrmRecord *self,
             const char      *field)
{
  return self == NULL ? -1 : crm_entity_field_index (self->entity, field);
}

gboolean
crm_record_has (const CrmRecord *self,
                const char      *field)
{
  int idx = field_index (self, field);

  g_return_val_if_fail (idx >= 0, FALSE);

  return self->values[idx].state != VALUE_ABSENT;
}

gboolean
crm_record_is_null (const CrmRecord *self,
                    const char      *field)
{
  int idx = field_index (self, field);

  g_return_val_if_fail (idx >= 0, FALSE);

  return self->values[idx].state == VALUE_NULL;
}

void
crm_record_unset (CrmRecord  *self,
                  const char *field)
{
  int idx = field_index (self, field);

  g_return_if_fail (idx >= 0);

  value_clear (&self->values[idx], kind_at (self, idx));
}

void
crm_record_set_null (CrmRecord  *self,
                     const char *field)
{
  int idx = field_index (self, field);

  g_return_if_fail (idx >= 0);

  value_clear (&self->values[idx], kind_at (self, idx));
  self->values[idx].state = VALUE_NULL;
}

/* The value of @field when it is set and of @kind; NULL when absent or null.
 * A getter of the wrong kind is a programming error too. */
static const CrmValue *
get_value (const CrmRecord *self,
           int              idx,
           CrmValueKind     kind)
{
  if (kind_at (self, idx) != kind)
    {
      /* g_log, not g_critical: under G_LOG_USE_STRUCTURED only g_log reaches
       * g_test_expect_message, and tests check this message. */
      g_log (G_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "Field “%s” of %s is not read with this getter",
             self->entity->fields[idx].name, self->entity->name);
      return NULL;
    }

  return self->values[idx].state == VALUE_SET ? &self->values[idx] : NULL;
}

const char *
crm_record_get_string (const CrmRecord *self,
                       const char      *field)
{
  int idx = field_index (self, field);
  const CrmValue *value;

  g_return_val_if_fail (idx >= 0, NULL);

  value = get_value (self, idx, CRM_VALUE_STRING);
  return value != NULL ? value->u.s : NULL;
}

gint64
crm_record_get_int (const CrmRecord *self,
                    const char      *field)
{
  int idx = field_index (self, field);
  const CrmValue *value;

  g_return_val_if_fail (idx >= 0, 0);

  value = get_value (self, idx, CRM_VALUE_INT);
  return value != NULL ? value->u.i : 0;
}

double
crm_record_get_double (const CrmRecord *self,
                       const char      *field)
{
  int idx = field_index (self, field);
  const CrmValue *value;

  g_return_val_if_fail (idx >= 0, 0.0);

  value = get_value (self, idx, CRM_VALUE_DOUBLE);
  return value != NULL ? value->u.d : 0.0;
}

gboolean
crm_record_get_bool (const CrmRecord *self,
                     const char      *field)
{
  int idx = field_index (self, field);
  const CrmValue *value;

  g_return_val_if_fail (idx >= 0, FALSE);

  value = get_value (self, idx, CRM_VALUE_BOOL);
  return value != NULL ? value->u.b : FALSE;
}

const char * const *
crm_record_get_strv (const CrmRecord *self,
                     const char      *field)
{
  int idx = field_index (self, field);
  const CrmValue *value;

  g_return_val_if_fail (idx >= 0, NULL);

  value = get_value (self, idx, CRM_VALUE_STRV);
  return value != NULL ? (const char * const *) value->u.v : NULL;
}

/* Clears @field and returns its slot for a new value of @kind, or NULL (with a
 * g_critical) when the field does not hold that kind. */
static CrmValue *
prepare_set (CrmRecord    *self,
             int           idx,
             CrmValueKind  kind)
{
  CrmValue *value = &self->values[idx];

  if (kind_at (self, idx) != kind)
    {
      g_log (G_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "Field “%s” of %s is not written with this setter",
             self->entity->fields[idx].name, self->entity->name);
      return NULL;
    }

  value_clear (value, kind);
  value->state = VALUE_SET;
  return value;
}

void
crm_record_set_string (CrmRecord  *self,
                       const char *field,
                       const char *value)
{
  int idx = field_index (self, field);
  CrmValue *slot;

  g_return_if_fail (idx >= 0);

  slot = prepare_set (self, idx, CRM_VALUE_STRING);
  if (slot == NULL)
    return;
  if (value == NULL)
    slot->state = VALUE_NULL;
  else
    slot->u.s = g_strdup (value);
}

void
crm_record_set_int (CrmRecord  *self,
                    const char *field,
                    gint64      value)
{
  int idx = field_index (self, field);
  CrmValue *slot;

  g_return_if_fail (idx >= 0);

  slot = prepare_set (self, idx, CRM_VALUE_INT);
  if (slot != NULL)
    slot->u.i = value;
}

void
crm_record_set_double (CrmRecord  *self,
                       const char *field,
                       double      value)
{
  int idx = field_index (self, field);
  CrmValue *slot;

  g_return_if_fail (idx >= 0);

  slot = prepare_set (self, idx, CRM_VALUE_DOUBLE);
  if (slot != NULL)
    slot->u.d = value;
}

void
crm_record_set_bool (CrmRecord  *self,
                     const char *field,
                     gboolean    value)
{
  int idx = field_index (self, field);
  CrmValue *slot;

  g_return_if_fail (idx >= 0);

  slot = prepare_set (self, idx, CRM_VALUE_BOOL);
  if (slot != NULL)
    slot->u.b = value ? TRUE : FALSE; /* so that equal means equal */
}

void
crm_record_set_strv (CrmRecord          *self,
                     const char         *field,
                     const char * const *value)
{
  int idx = field_index (self, field);
  CrmValue *slot;

  g_return_if_fail (idx >= 0);

  slot = prepare_set (self, idx, CRM_VALUE_STRV);
  if (slot == NULL)
    return;
  if (value == NULL)
    slot->state = VALUE_NULL;
  else
    slot->u.v = g_strdupv ((char **) value);
}

gboolean
crm_int_from_text (const char *text,
                   gint64     *value)
{
  /* g_ascii_string_to_signed refuses blanks, trailing junk and overflow. */
  return text != NULL
         && g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, value, NULL);
}

gboolean
crm_double_from_text (const char *text,
                      double     *value)
{
  char *end = NULL;
  double d;

  /* Only plain decimal notation: g_ascii_strtod would also take "nan", "inf",
   * hexadecimal floats and leading blanks, none of which are wire text. */
  if (text == NULL || *text == '\0' || strspn (text, "0123456789+-.eE") != strlen (text))
    return FALSE;

  d = g_ascii_strtod (text, &end);
  /* ERANGE alone is not refused: an underflow to a subnormal is still the right double. */
  if (end == text || *end != '\0' || !isfinite (d))
    return FALSE;

  *value = d;
  return TRUE;
}

char *
crm_double_to_text (double value)
{
  static const char *const formats[] = { "%.15g", "%.16g" };
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  /* A whole number of fewer than 16 digits (most amounts): what "%.15g" prints, without
   * the formatting and parsing back. Zero goes the long way, for the sign of -0. */
  if (value != 0 && fabs (value) < 1e15 && value == (double) (gint64) value)
    return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) value);

  /* Fifteen digits print 0.1 as "0.1"; more are only needed for the values
   * that would not parse back to the same double. */
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, sizeof buf, formats[i], value);
      if (g_ascii_strtod (buf, NULL) == value)
        return g_strdup (buf);
    }

  return g_strdup (g_ascii_dtostr (buf, sizeof buf, value));
}

/* The common case, as PostgreSQL's array_to_json () and our writer spell it:
 * ["a","b"], no spaces, no escapes, no control characters. NULL for anything else,
 * which the parser then decides on: same strings either way, without a tree. */
static char **
strv_from_plain_json (const char *text)
{
  g_autoptr(GPtrArray) items = NULL;
  const char *p = text;

  if (*p++ != '[' || strlen (text) > CRM_JSON_MAX_DOCUMENT)
    return NULL;
  items = g_ptr_array_new_with_free_func (g_free);
  if (*p != ']')
    for (;;)
      {
        const char *start;

        if (*p++ != '"')
          return NULL;
        for (start = p; *p != '"'; p++)
          if (*p == '\0' || *p == '\\' || (guchar) *p < 0x20)
            return NULL;
        if (!g_utf8_validate (start, p - start, NULL))
          return NULL;
        g_ptr_array_add (items, g_strndup (start, p - start));
        if (*++p == ']')
          break;
        if (*p++ != ',')
          return NULL;
      }
  if (p[1] != '\0')
    return NULL;
  g_ptr_array_set_free_func (items, NULL);
  g_ptr_array_add (items, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&items), FALSE);
}

char **
crm_strv_from_json_text (const char *text)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *array;
  char **plain = text != NULL ? strv_from_plain_json (text) : NULL;

  if (plain != NULL)
    return plain;

  /* Bounded: this text may come from a person or a peer, not only from our store. */
  root = text != NULL ? crm_json_parse_bounded (text, -1, NULL) : NULL;
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return NULL;

  builder = g_strv_builder_new ();
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
        return NULL;
      g_strv_builder_add (builder, json_node_get_string (item));
    }

  return g_strv_builder_end (builder);
}

static char *
strv_to_json_text (const char * const *strv)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; strv[i] != NULL; i++)
    json_builder_add_string_value (builder, strv[i]);
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

gboolean
crm_bool_from_text (const char *text,
                    gboolean   *value)
{
  /* "1"/"0" too: that is how SQLite hands back a boolean column. */
  if (g_str_equal (text, "true") || g_str_equal (text, "1"))
    *value = TRUE;
  else if (g_str_equal (text, "false") || g_str_equal (text, "0"))
    *value = FALSE;
  else
    return FALSE;
  return TRUE;
}

static gboolean
set_scalar_from_text (CrmRecord          *self,
                      const CrmFieldInfo *info,
                      const char         *text,
                      GError            **error)
{
  gint64 i;
  double d;
  gboolean b;

  switch (crm_field_type_value_kind (info->type))
    {
    case CRM_VALUE_INT:
      if (!crm_int_from_text (text, &i))
        break;
      crm_record_set_int (self, info->name, i);
      return TRUE;
    case CRM_VALUE_DOUBLE:
      if (!crm_double_from_text (text, &d))
        break;
      crm_record_set_double (self, info->name, d);
      return TRUE;
    case CRM_VALUE_BOOL:
      if (!crm_bool_from_text (text, &b))
        break;
      crm_record_set_bool (self, info->name, b);
      return TRUE;
    case CRM_VALUE_STRING:
    case CRM_VALUE_STRV:
    default:
      g_assert_not_reached ();
    }

  g_set_error (error, CRM_VALIDATION_ERROR, CRM_VALIDATION_ERROR_INVALID_FORMAT,
               "Le champ « %s » contient une valeur illisible (%s) ; indiquez %s.",
               info->label, text,
               info->type == CRM_FIELD_BOOL ? "true ou false"
               : info->type == CRM_FIELD_INT ? "un nombre entier"
                                             : "un nombre, par exemple 1250000.50");
  return FALSE;
}

gboolean
crm_record_set_from_text (CrmRecord   *self,
                          const char  *field,
                          const char  *text,
                          GError     **error)
{
  int idx = field_index (self, field);
  const CrmFieldInfo *info;
  g_auto(GStrv) strv = NULL;

  g_return_val_if_fail (idx >= 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  info = &self->entity->fields[idx];
  /* By index from here on: the store decodes every column of every row through this. */
  if (text == NULL)
    {
      value_clear (&self->values[idx], kind_at (self, idx));
      self->values[idx].state = VALUE_NULL;
      return TRUE;
    }

  switch (crm_field_type_value_kind (info->type))
    {
    case CRM_VALUE_STRING:
      prepare_set (self, idx, CRM_VALUE_STRING)->u.s = g_strdup (text);
      return TRUE;
    case CRM_VALUE_STRV:
      strv = crm_strv_from_json_text (text);
      if (strv == NULL)
        {
          g_set_error (error, CRM_VALIDATION_ERROR, CRM_VALIDATION_ERROR_WRONG_TYPE,
                       "Le champ « %s » doit être une liste de textes au format JSON, "
                       "par exemple [\"client\", \"prioritaire\"].", info->label);
          return FALSE;
        }
      crm_record_set_strv (self, field, (const char * const *) strv);
      return TRUE;
    case CRM_VALUE_INT:
    case CRM_VALUE_DOUBLE:
    case CRM_VALUE_BOOL:
    default:
      return set_scalar_from_text (self, info, text, error);
    }
}

/**
 * crm_record_append_json:
 *
 * Appends what crm_json_to_data (crm_record_to_json_node (@self)) writes, without
 * building the tree: a REST page of 50 rows is 1,400 values, and a JsonNode for each
 * cost more than writing it. Same fields in the same order, secrets left out.
 */
void
crm_record_append_json (const CrmRecord *self,
                        GString         *out)
{
  gboolean first = TRUE;

  g_return_if_fail (self != NULL && out != NULL);

  g_string_append_c (out, '{');
  for (guint i = 0; i < self->entity->n_fields; i++)
    {
      const CrmFieldInfo *info = &self->entity->fields[i];
      const CrmValue *value = &self->values[i];

      if ((info->flags & CRM_FIELD_SECRET) != 0 || value->state == VALUE_ABSENT)
        continue;
      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      crm_json_append_string (out, info->name);
      g_string_append_c (out, ':');

      if (value->state == VALUE_NULL)
        {
          g_string_append (out, "null");
          continue;
        }
      switch (kind_at (self, (int) i))
        {
        case CRM_VALUE_INT:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, value->u.i);
          break;
        case CRM_VALUE_DOUBLE:
          crm_json_append_double (out, value->u.d);
          break;
        case CRM_VALUE_BOOL:
          g_string_append (out, value->u.b ? "true" : "false");
          break;
        case CRM_VALUE_STRV:
          g_string_append_c (out, '[');
          for (guint j = 0; value->u.v[j] != NULL; j++)
            {
              if (j > 0)
                g_string_append_c (out, ',');
              crm_json_append_string (out, value->u.v[j]);
            }
          g_string_append_c (out, ']');
          break;
        case CRM_VALUE_STRING:
        default:
          crm_json_append_string (out, value->u.s);
          break;
        }
    }
  g_string_append_c (out, '}');
}

char *
crm_record_dup_text (const CrmRecord *self,
                     const char      *field)
{
  int idx = field_index (self, field);
  const CrmValue *value;

  g_return_val_if_fail (idx >= 0, NULL);

  value = &self->values[idx];
  if (value->state != VALUE_SET)
    return NULL;

  switch (kind_at (self, idx))
    {
    case CRM_VALUE_INT:
      return g_strdup_printf ("%" G_GINT64_FORMAT, value->u.i);
    case CRM_VALUE_DOUBLE:
      return crm_double_to_text (value->u.d);
    case CRM_VALUE_BOOL:
      return g_strdup (value->u.b ? "true" : "false");
    case CRM_VALUE_STRV:
      return strv_to_json_text ((const char * const *) value->u.v);
    case CRM_VALUE_STRING:
    default:
      return g_strdup (value->u.s);
    }
}

static gboolean
value_equal (const CrmValue *a,
             const CrmValue *b,
             CrmValueKind    kind)
{
  if (a->state != b->state)
    return FALSE;
  if (a->state != VALUE_SET)
    return TRUE;

  switch (kind)
    {
    case CRM_VALUE_INT:
      return a->u.i == b->u.i;
    case CRM_VALUE_DOUBLE:
      /* NaN is not a valid value, but a record holding one still equals its copy. */
      return a->u.d == b->u.d || (isnan (a->u.d) && isnan (b->u.d));
    case CRM_VALUE_BOOL:
      return a->u.b == b->u.b;
    case CRM_VALUE_STRV:
      return g_strv_equal ((const char * const *) a->u.v, (const char * const *) b->u.v);
    case CRM_VALUE_STRING:
    default:
      return g_strcmp0 (a->u.s, b->u.s) == 0;
    }
}

gboolean
crm_record_field_equal (const CrmRecord *a,
                        const CrmRecord *b,
                        const char      *field)
{
  int idx = field_index (a, field);

  g_return_val_if_fail (idx >= 0, FALSE);
  g_return_val_if_fail (b != NULL && a->entity == b->entity, FALSE);

  return value_equal (&a->values[idx], &b->values[idx], kind_at (a, idx));
}

gboolean
crm_record_equal (const CrmRecord *a,
                  const CrmRecord *b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  if (a == b)
    return TRUE;
  if (a->entity != b->entity)
    return FALSE;

  for (guint i = 0; i < a->entity->n_fields; i++)
    if (!value_equal (&a->values[i], &b->values[i], kind_at (a, (int) i)))
      return FALSE;

  return TRUE;
}

GPtrArray *
crm_record_list_present (const CrmRecord *self)
{
  GPtrArray *names;

  g_return_val_if_fail (self != NULL, NULL);

  names = g_ptr_array_new ();
  for (guint i = 0; i < self->entity->n_fields; i++)
    if (self->values[i].state != VALUE_ABSENT)
      g_ptr_array_add (names, (gpointer) self->entity->fields[i].name);

  return names;
}

void
crm_record_apply_defaults (CrmRecord *self)
{
  g_return_if_fail (self != NULL);

  for (guint i = 0; i < self->entity->n_fields; i++)
    {
      const CrmFieldInfo *info = &self->entity->fields[i];
      g_autoptr(GError) error = NULL;

      if (info->default_value == NULL || (info->flags & CRM_FIELD_META) != 0
          || self->values[i].state != VALUE_ABSENT)
        continue;

      /* The defaults are literals in crm-schema.c: one that does not parse is a bug there. */
      if (!crm_record_set_from_text (self, info->name, info->default_value, &error))
        g_critical ("Bad default for %s.%s: %s", self->entity->name, info->name, error->message);
    }
}

void
crm_record_merge_from (CrmRecord       *self,
                       const CrmRecord *changes)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (changes != NULL);
  g_return_if_fail (self->entity == changes->entity);

  if (self == changes)
    return;

  for (guint i = 0; i < self->entity->n_fields; i++)
    {
      CrmValueKind kind = kind_at (self, (int) i);

      if (changes->values[i].state == VALUE_ABSENT)
        continue;
      value_clear (&self->values[i], kind);
      value_copy (&self->values[i], &changes->values[i], kind);
    }
}

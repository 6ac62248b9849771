/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-validate"

#include "config.h"

#include <math.h>
#include <string.h>

#include "crm-record-private.h"
#include "crm-uuid.h"
#include "crm-validate.h"

/*
 * Every message names the field by its French label and says what to write
 * instead; they are French literals, not gettext msgids, for the reason given
 * at the top of crm-schema.c.
 */

/* Used when a field's max_length is 0. */
#define DEFAULT_MAX_TEXT     500
#define DEFAULT_MAX_LONGTEXT 100000
#define DEFAULT_MAX_ITEMS    100
#define MAX_TAG_LENGTH       50

#define UUID_EXAMPLE "0190a5c4-7b1e-7c3d-9f00-1a2b3c4d5e6f"

void
crm_field_error_free (CrmFieldError *error)
{
  if (error == NULL)
    return;
  g_free (error->field);
  g_free (error->message);
  g_free (error);
}

static gboolean
fail (GError             **error,
      int                  code,
      const char          *format,
      ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError     **error,
      int          code,
      const char  *format,
      ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (CRM_VALIDATION_ERROR, code, format, args));
  va_end (args);
  return FALSE;
}

static gboolean
fail_required (const CrmFieldInfo  *info,
               GError             **error)
{
  return fail (error, CRM_VALIDATION_ERROR_REQUIRED, "Le champ « %s » est obligatoire.",
               info->label);
}

/* Blank means missing for a required field: "   " is not a name. */
static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

static gboolean
has_forbidden_control (const char *text,
                       gboolean    multiline)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (multiline && (c == '\n' || c == '\t'))
        continue;
      /* C0, DEL and the C1 block: invisible, and some of them end up as
       * line breaks or terminal escapes in exports. */
      if (g_unichar_iscntrl (c))
        return TRUE;
    }
  return FALSE;
}

static guint
max_chars (const CrmFieldInfo *info)
{
  if (info->max_length > 0)
    return info->max_length;
  if (info->type == CRM_FIELD_TEXT)
    return DEFAULT_MAX_TEXT;
  if (info->type == CRM_FIELD_LONGTEXT)
    return DEFAULT_MAX_LONGTEXT;
  return 0;
}

static char *
enum_choices (const CrmEnumValue *values)
{
  GString *choices = g_string_new (NULL);

  for (guint i = 0; values != NULL && values[i].wire != NULL; i++)
    g_string_append_printf (choices, "%s%s (%s)", i > 0 ? ", " : "", values[i].wire,
                            values[i].label);
  return g_string_free (choices, FALSE);
}

static gboolean
is_lower_uuid (const char *text)
{
  /* Ids are compared as text in both databases: one spelling per id. */
  return crm_uuid_is_valid (text) && strpbrk (text, "ABCDEF") == NULL;
}

static gboolean
fail_mandat_number (const CrmFieldInfo  *info,
                    const char          *text,
                    GError             **error)
{
  g_autofree char *probe = g_strdup (text);

  /* Put a plausible year in: if that fixes it, the year was the only fault. */
  if (strlen (probe) > 6)
    memcpy (probe + 2, "2000", 4);
  if (crm_is_valid_mandat_number (probe))
    return fail (error, CRM_VALIDATION_ERROR_INVALID_FORMAT,
                 "Le champ « %s » doit porter une année comprise entre 1990 et 2100, "
                 "par exemple M-2025-001.", info->label);

  return fail (error, CRM_VALIDATION_ERROR_INVALID_FORMAT,
               "Le champ « %s » doit suivre le format M-AAAA-NNN, par exemple M-2025-001.",
               info->label);
}

static gboolean
fail_country (const CrmFieldInfo  *info,
              const char          *text,
              GError             **error)
{
  g_autofree char *upper = g_ascii_strup (text, -1);

  if (crm_is_valid_country (upper))
    return fail (error, CRM_VALIDATION_ERROR_INVALID_FORMAT,
                 "Le champ « %s » doit être écrit en majuscules : %s.", info->label, upper);

  return fail (error, CRM_VALIDATION_ERROR_INVALID_FORMAT,
               "Le champ « %s » doit être un code pays ISO 3166 de deux lettres majuscules, "
               "par exemple FR pour la France ou GB pour le Royaume-Uni.", info->label);
}

static gboolean
fail_language (const CrmFieldInfo  *info,
               const char          *text,
               GError             **error)
{
  g_autofree char *lower = g_ascii_strdown (text, -1);

  if (crm_is_valid_language (lower))
    return fail (error, CRM_VALIDATION_ERROR_INVALID_FORMAT,
                 "Le champ « %s » doit être écrit en minuscules : %s.", info->label, lower);

  return fail (error, CRM_VALIDATION_ERROR_INVALID_FORMAT,
               "Le champ « %s » doit être un code de langue ISO 639-1 de deux lettres "
               "minuscules, par exemple fr ou en.", info->label);
}

static gboolean
fail_enum (const CrmFieldInfo  *info,
           GError             **error)
{
  g_autofree char *choices = enum_choices (info->enum_values);

  return fail (error, CRM_VALIDATION_ERROR_INVALID_ENUM,
               "Le champ « %s » doit valoir l’une des valeurs suivantes : %s.", info->label,
               choices);
}

/* The format rule of each text-like type, on valid UTF-8. */
static gboolean
check_format (const CrmFieldInfo  *info,
              const char          *text,
              GError             **error)
{
  int code = CRM_VALIDATION_ERROR_INVALID_FORMAT;

  switch (info->type)
    {
    case CRM_FIELD_UUID:
      if (is_lower_uuid (text))
        return TRUE;
      return fail (error, code, "Le champ « %s » doit être un identifiant UUID en minuscules, "
                   "par exemple " UUID_EXAMPLE ".", info->label);
    case CRM_FIELD_DATE:
      if (crm_is_valid_date (text))
        return TRUE;
      return fail (error, code, "Le champ « %s » doit être une date qui existe, au format "
                   "AAAA-MM-JJ, par exemple 2025-03-31.", info->label);
    case CRM_FIELD_DATETIME:
      if (crm_is_valid_datetime (text))
        return TRUE;
      return fail (error, code, "Le champ « %s » doit être une date et une heure au format "
                   "RFC 3339, par exemple 2026-03-01T09:30:00Z.", info->label);
    case CRM_FIELD_ENUM:
      return crm_enum_contains (info->enum_values, text) || fail_enum (info, error);
    case CRM_FIELD_EMAIL:
      if (crm_is_valid_email (text))
        return TRUE;
      return fail (error, code, "Le champ « %s » doit être une adresse e-mail valide, "
                   "par exemple nom@exemple.fr.", info->label);
    case CRM_FIELD_URL:
      if (crm_is_valid_url (text))
        return TRUE;
      return fail (error, code, "Le champ « %s » doit être une adresse web commençant par "
                   "http:// ou https://, par exemple https://www.exemple.fr.", info->label);
    case CRM_FIELD_PHONE:
      if (crm_is_valid_phone (text))
        return TRUE;
      return fail (error, code, "Le champ « %s » doit être un numéro de téléphone de 6 à 20 "
                   "chiffres (espaces, points, tirets, parenthèses et + initial permis), "
                   "par exemple +33 1 23 45 67 89.", info->label);
    case CRM_FIELD_COUNTRY:
      return crm_is_valid_country (text) || fail_country (info, text, error);
    case CRM_FIELD_LANGUAGE:
      return crm_is_valid_language (text) || fail_language (info, text, error);
    case CRM_FIELD_MANDAT_NUMBER:
      return crm_is_valid_mandat_number (text) || fail_mandat_number (info, text, error);
    case CRM_FIELD_TEXT:
    case CRM_FIELD_LONGTEXT:
    case CRM_FIELD_INT:
    case CRM_FIELD_DECIMAL:
    case CRM_FIELD_BOOL:
    case CRM_FIELD_TAGS:
    case CRM_FIELD_UUID_LIST:
    default:
      return TRUE;
    }
}

/* A present, non-null text value: encoding, invisible characters, format, length. */
static gboolean
check_string (const CrmFieldInfo  *info,
              const char          *text,
              GError             **error)
{
  gboolean multiline = info->type == CRM_FIELD_LONGTEXT;
  guint max = max_chars (info);
  glong len;

  if (!g_utf8_validate (text, -1, NULL))
    return fail (error, CRM_VALIDATION_ERROR_INVALID_UTF8,
                 "Le champ « %s » contient des caractères illisibles (texte qui n’est pas en "
                 "UTF-8) ; saisissez-le à nouveau.", info->label);

  if ((info->flags & CRM_FIELD_REQUIRED) != 0 && is_blank (text))
    return fail_required (info, error);

  if (has_forbidden_control (text, multiline))
    return fail (error, CRM_VALIDATION_ERROR_INVALID_FORMAT,
                 multiline ? "Le champ « %s » contient un caractère de contrôle invisible ; "
                             "retirez-le (seuls les retours à la ligne et les tabulations "
                             "sont permis)."
                           : "Le champ « %s » contient un caractère de contrôle invisible "
                             "(retour à la ligne, tabulation…) ; écrivez-le sur une seule ligne.",
                 info->label);

  if (!check_format (info, text, error))
    return FALSE;

  len = g_utf8_strlen (text, -1);
  if (max > 0 && len > (glong) max)
    return fail (error, CRM_VALIDATION_ERROR_TOO_LONG,
                 "Le champ « %s » est trop long : %ld caractères pour %u au plus ; "
                 "raccourcissez-le.", info->label, len, max);

  return TRUE;
}

static char *
format_bound (double value)
{
  /* "1000000000000000", not "1e+15": these numbers are read by people. */
  if (value == floor (value) && fabs (value) < 1e18)
    return g_strdup_printf ("%.0f", value);
  return crm_double_to_text (value);
}

static gboolean
check_number (const CrmFieldInfo  *info,
              double               value,
              GError             **error)
{
  g_autofree char *min = NULL;
  g_autofree char *max = NULL;

  if (!isfinite (value))
    return fail (error, CRM_VALIDATION_ERROR_INVALID_FORMAT,
                 "Le champ « %s » doit être un nombre, par exemple 1250000.50.", info->label);

  if (!(info->min < info->max) || (value >= info->min && value <= info->max))
    return TRUE;

  min = format_bound (info->min);
  max = format_bound (info->max);
  return fail (error, CRM_VALIDATION_ERROR_OUT_OF_RANGE,
               "Le champ « %s » doit être compris entre %s et %s.", info->label, min, max);
}

/* Tags compare without regard to case or Unicode form: "VIP" and "vip" are one tag. */
static char *
tag_key (const char *tag)
{
  g_autofree char *normal = g_utf8_normalize (tag, -1, G_NORMALIZE_ALL);

  return g_utf8_casefold (normal, -1);
}

static gboolean
check_tag (const CrmFieldInfo  *info,
           const char          *tag,
           GError             **error)
{
  if (!g_utf8_validate (tag, -1, NULL))
    return fail (error, CRM_VALIDATION_ERROR_INVALID_UTF8,
                 "Le champ « %s » contient une étiquette illisible (texte qui n’est pas en "
                 "UTF-8) ; saisissez-la à nouveau.", info->label);
  if (is_blank (tag))
    return fail (error, CRM_VALIDATION_ERROR_INVALID_FORMAT,
                 "Le champ « %s » contient une étiquette vide ; retirez-la.", info->label);
  if (has_forbidden_control (tag, FALSE))
    return fail (error, CRM_VALIDATION_ERROR_INVALID_FORMAT,
                 "Le champ « %s » contient une étiquette avec un caractère de contrôle "
                 "invisible ; retirez-le.", info->label);
  if (g_utf8_strlen (tag, -1) > MAX_TAG_LENGTH)
    return fail (error, CRM_VALIDATION_ERROR_TOO_LONG,
                 "Le champ « %s » contient une étiquette de plus de %d caractères ; "
                 "raccourcissez-la.", info->label, MAX_TAG_LENGTH);
  return TRUE;
}

static gboolean
check_list_item (const CrmFieldInfo  *info,
                 const char          *item,
                 GHashTable          *seen,
                 GError             **error)
{
  char *key;

  if (info->type == CRM_FIELD_TAGS)
    {
      if (!check_tag (info, item, error))
        return FALSE;
      key = tag_key (item);
    }
  else
    {
      if (!g_utf8_validate (item, -1, NULL) || !is_lower_uuid (item))
        return fail (error, CRM_VALIDATION_ERROR_INVALID_FORMAT,
                     "Le champ « %s » contient un élément qui n’est pas un identifiant UUID "
                     "en minuscules ; chaque élément doit ressembler à " UUID_EXAMPLE ".",
                     info->label);
      key = g_strdup (item);
    }

  if (!g_hash_table_add (seen, key))
    return fail (error, CRM_VALIDATION_ERROR_INVALID_FORMAT,
                 "Le champ « %s » contient deux fois « %s » ; retirez le doublon.",
                 info->label, item);
  return TRUE;
}

static gboolean
check_strv (const CrmFieldInfo  *info,
            const char * const  *items,
            GError             **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint max = info->max_length > 0 ? info->max_length : DEFAULT_MAX_ITEMS;
  guint n = g_strv_length ((char **) items);

  if (n == 0 && (info->flags & CRM_FIELD_REQUIRED) != 0)
    return fail_required (info, error);
  if (n > max)
    return fail (error, CRM_VALIDATION_ERROR_TOO_LONG,
                 "Le champ « %s » compte %u éléments pour %u au plus ; retirez-en.",
                 info->label, n, max);

  for (guint i = 0; i < n; i++)
    if (!check_list_item (info, items[i], seen, error))
      return FALSE;
  return TRUE;
}

/* A present, non-null value of @record. */
static gboolean
check_value (const CrmRecord     *record,
             const CrmFieldInfo  *info,
             GError             **error)
{
  switch (crm_field_type_value_kind (info->type))
    {
    case CRM_VALUE_INT:
      return check_number (info, (double) crm_record_get_int (record, info->name), error);
    case CRM_VALUE_DOUBLE:
      return check_number (info, crm_record_get_double (record, info->name), error);
    case CRM_VALUE_BOOL:
      return TRUE;
    case CRM_VALUE_STRV:
      return check_strv (info, crm_record_get_strv (record, info->name), error);
    case CRM_VALUE_STRING:
    default:
      return check_string (info, crm_record_get_string (record, info->name), error);
    }
}

static gboolean
check_record_field (const CrmRecord     *record,
                    const CrmFieldInfo  *info,
                    CrmValidateMode      mode,
                    GError             **error)
{
  gboolean required = (info->flags & CRM_FIELD_REQUIRED) != 0;

  /* A partial update leaves absent fields as they are. */
  if (!crm_record_has (record, info->name))
    return mode == CRM_VALIDATE_UPDATE || !required || fail_required (info, error);

  if ((info->flags & CRM_FIELD_READONLY) != 0 && mode != CRM_VALIDATE_ROW)
    return fail (error, CRM_VALIDATION_ERROR_READONLY,
                 "Le champ « %s » est géré automatiquement et ne peut pas être modifié ; "
                 "retirez-le de la demande.", info->label);

  if (crm_record_is_null (record, info->name))
    return !required || fail_required (info, error);

  return check_value (record, info, error);
}

static CrmFieldError *
field_error_new (const char *field,
                 GError     *error)
{
  CrmFieldError *field_error = g_new0 (CrmFieldError, 1);

  field_error->field = g_strdup (field);
  field_error->message = g_strdup (error->message);
  field_error->code = error->code;
  return field_error;
}

static void
add_rule_error (GPtrArray  *errors,
                int         code,
                const char *message)
{
  g_autoptr(GError) error = g_error_new_literal (CRM_VALIDATION_ERROR, code, message);

  g_ptr_array_add (errors, field_error_new (NULL, error));
}

/* NULL when the field is absent or null. */
static const char *
get_text_or_null (const CrmRecord *record,
                  const char      *field)
{
  if (!crm_record_has (record, field) || crm_record_is_null (record, field))
    return NULL;
  return crm_record_get_string (record, field);
}

static gboolean
text_missing (const char *text)
{
  return text == NULL || (g_utf8_validate (text, -1, NULL) && is_blank (text));
}

static void
check_person_name (const CrmRecord *record,
                   CrmValidateMode  mode,
                   GPtrArray       *errors)
{
  const char *first = get_text_or_null (record, "first_name");
  const char *last = get_text_or_null (record, "last_name");

  /* An update that touches only one of the two cannot be judged without the
   * stored row: the caller validates the merged row for that. */
  if (mode == CRM_VALIDATE_UPDATE
      && (!crm_record_has (record, "first_name") || !crm_record_has (record, "last_name")))
    return;

  if (text_missing (first) && text_missing (last))
    add_rule_error (errors, CRM_VALIDATION_ERROR_REQUIRED,
                    "Indiquez au moins le prénom ou le nom de la personne.");
}

static void
check_date_order (const CrmRecord *record,
                  GPtrArray       *errors)
{
  const char *start = get_text_or_null (record, "start_date");
  const char *end = get_text_or_null (record, "end_date");
  g_autofree char *message = NULL;

  /* Invalid dates already have their own message. YYYY-MM-DD sorts as text. */
  if (!crm_is_valid_date (start) || !crm_is_valid_date (end) || strcmp (end, start) >= 0)
    return;

  message = g_strdup_printf ("La date de fin (%s) ne peut pas précéder la date de début (%s) ; "
                             "corrigez l’une des deux.", end, start);
  add_rule_error (errors, CRM_VALIDATION_ERROR_INCONSISTENT, message);
}

static gboolean
has_field_of_type (const CrmEntityInfo *entity,
                   const char          *name,
                   CrmFieldType         type)
{
  const CrmFieldInfo *info = crm_entity_field (entity, name);

  return info != NULL && info->type == type;
}

/* Rules across fields (DESIGN.md §3), after the per-field checks. */
static void
check_rules (const CrmRecord *record,
             CrmValidateMode  mode,
             GPtrArray       *errors)
{
  const CrmEntityInfo *entity = crm_record_get_entity (record);

  if (entity->kind == CRM_ENTITY_PERSON)
    check_person_name (record, mode, errors);

  /* Links and mandats today; any entity with a dated period tomorrow. */
  if (has_field_of_type (entity, "start_date", CRM_FIELD_DATE)
      && has_field_of_type (entity, "end_date", CRM_FIELD_DATE))
    check_date_order (record, errors);
}

GPtrArray *
crm_record_validate_all (const CrmRecord *record,
                         CrmValidateMode  mode)
{
  const CrmEntityInfo *entity;
  GPtrArray *errors;

  g_return_val_if_fail (record != NULL, NULL);

  entity = crm_record_get_entity (record);
  errors = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_field_error_free);
  for (guint i = 0; i < entity->n_fields; i++)
    {
      const CrmFieldInfo *info = &entity->fields[i];
      g_autoptr(GError) error = NULL;

      if (!check_record_field (record, info, mode, &error))
        g_ptr_array_add (errors, field_error_new (info->name, error));
    }

  check_rules (record, mode, errors);
  return errors;
}

gboolean
crm_record_validate (const CrmRecord  *record,
                     CrmValidateMode   mode,
                     GError          **error)
{
  g_autoptr(GPtrArray) errors = NULL;
  CrmFieldError *first;

  g_return_val_if_fail (record != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  errors = crm_record_validate_all (record, mode);
  if (errors->len == 0)
    return TRUE;

  first = g_ptr_array_index (errors, 0);
  g_set_error_literal (error, CRM_VALIDATION_ERROR, first->code, first->message);
  return FALSE;
}

static gboolean
check_text_scalar (const CrmFieldInfo  *info,
                   const char          *text,
                   GError             **error)
{
  gint64 i;
  double d;
  gboolean b;

  switch (crm_field_type_value_kind (info->type))
    {
    case CRM_VALUE_INT:
      if (crm_int_from_text (text, &i))
        return check_number (info, (double) i, error);
      return fail (error, CRM_VALIDATION_ERROR_INVALID_FORMAT,
                   "Le champ « %s » doit être un nombre entier, par exemple 42.", info->label);
    case CRM_VALUE_DOUBLE:
      if (crm_double_from_text (text, &d))
        return check_number (info, d, error);
      return fail (error, CRM_VALIDATION_ERROR_INVALID_FORMAT,
                   "Le champ « %s » doit être un nombre écrit avec un point décimal, "
                   "par exemple 1250000.50.", info->label);
    case CRM_VALUE_BOOL:
      if (crm_bool_from_text (text, &b))
        return TRUE;
      return fail (error, CRM_VALIDATION_ERROR_INVALID_FORMAT,
                   "Le champ « %s » doit valoir true ou false.", info->label);
    case CRM_VALUE_STRING:
    case CRM_VALUE_STRV:
    default:
      g_assert_not_reached ();
    }
}

gboolean
crm_validate_field_text (const CrmFieldInfo  *field,
                         const char          *text,
                         GError             **error)
{
  g_auto(GStrv) items = NULL;

  g_return_val_if_fail (field != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (text == NULL)
    return (field->flags & CRM_FIELD_REQUIRED) == 0 || fail_required (field, error);

  switch (crm_field_type_value_kind (field->type))
    {
    case CRM_VALUE_STRING:
      return check_string (field, text, error);
    case CRM_VALUE_STRV:
      items = crm_strv_from_json_text (text);
      if (items == NULL)
        return fail (error, CRM_VALIDATION_ERROR_WRONG_TYPE,
                     "Le champ « %s » doit être une liste de textes au format JSON, "
                     "par exemple [\"client\", \"prioritaire\"].", field->label);
      return check_strv (field, (const char * const *) items, error);
    case CRM_VALUE_INT:
    case CRM_VALUE_DOUBLE:
    case CRM_VALUE_BOOL:
    default:
      return check_text_scalar (field, text, error);
    }
}

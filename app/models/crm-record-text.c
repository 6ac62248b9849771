/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-record-text"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "crm-record-text.h"
#include "crm-time.h"

char *
crm_record_dup_title (const CrmRecord *record)
{
  const CrmEntityInfo *entity = crm_record_get_entity (record);
  const char *title = NULL;

  switch ((int) entity->kind)
    {
    case CRM_ENTITY_ORGANISATION:
      title = crm_record_get_string (record, "name");
      break;
    case CRM_ENTITY_PERSON:
      {
        const char *first = crm_record_get_string (record, "first_name");
        const char *last = crm_record_get_string (record, "last_name");

        if (first != NULL && *first != '\0' && last != NULL && *last != '\0')
          return g_strdup_printf ("%s %s", first, last);
        title = (last != NULL && *last != '\0') ? last : first;
      }
      break;
    case CRM_ENTITY_LINK:
      title = crm_record_get_string (record, "role");
      break;
    case CRM_ENTITY_MANDAT:
      title = crm_record_get_string (record, "number");
      break;
    case CRM_ENTITY_INTERACTION:
      title = crm_record_get_string (record, "subject");
      break;
    case CRM_ENTITY_TASK:
      title = crm_record_get_string (record, "title");
      break;
    default:
      break;
    }

  if (title == NULL || *title == '\0')
    return g_strdup (_("(untitled)"));
  return g_strdup (title);
}

char *
crm_format_wire_date (const char *wire,
                      gboolean    with_time)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  int year, month, day;

  if (wire == NULL)
    return NULL;

  if (strlen (wire) == 10 && crm_date_parse (wire, &year, &month, &day))
    return g_strdup_printf ("%02d/%02d/%04d", day, month, year);

  utc = g_date_time_new_from_iso8601 (wire, NULL);
  if (utc == NULL)
    return g_strdup (wire);
  local = g_date_time_to_local (utc);
  return g_date_time_format (local, with_time ? "%d/%m/%Y %H:%M" : "%d/%m/%Y");
}

/* Digits grouped by thousands with a narrow no-break space, as French typography
 * writes them ("12 500 000"), whatever the process locale. */
static void
append_grouped (GString    *text,
                const char *digits)
{
  size_t len = strlen (digits);

  for (size_t i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append (text, "\u202f");
      g_string_append_c (text, digits[i]);
    }
}

char *
crm_format_count (guint64 n)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, n);
  GString *text = g_string_new (NULL);

  append_grouped (text, digits);
  return g_string_free (text, FALSE);
}

/* Amounts in whole euros: "12 500 000 €". */
static char *
format_amount (double value)
{
  g_autofree char *digits = g_strdup_printf ("%.0f", value < 0 ? -value : value);
  GString *text = g_string_new (value < 0 ? "-" : NULL);

  append_grouped (text, digits);
  g_string_append (text, "\u00a0€");
  return g_string_free (text, FALSE);
}

/* The countries and languages the firm deals with most, by name; any other code shows
 * as it is stored (the form takes codes). */
static const struct { const char *code; const char *name; } country_names[] = {
  { "FR", N_("France") }, { "BE", N_("Belgium") }, { "CH", N_("Switzerland") },
  { "LU", N_("Luxembourg") }, { "MC", N_("Monaco") }, { "DE", N_("Germany") },
  { "GB", N_("United Kingdom") }, { "IE", N_("Ireland") }, { "ES", N_("Spain") },
  { "IT", N_("Italy") }, { "NL", N_("Netherlands") }, { "US", N_("United States") },
};
static const struct { const char *code; const char *name; } language_names[] = {
  { "fr", N_("French") }, { "en", N_("English") }, { "de", N_("German") },
  { "it", N_("Italian") }, { "es", N_("Spanish") }, { "nl", N_("Dutch") },
};

static const char *
code_name (const char *code,
           gboolean    country)
{
  guint n = country ? G_N_ELEMENTS (country_names) : G_N_ELEMENTS (language_names);

  for (guint i = 0; code != NULL && i < n; i++)
    {
      const char *known = country ? country_names[i].code : language_names[i].code;

      if (g_ascii_strcasecmp (known, code) == 0)
        return _(country ? country_names[i].name : language_names[i].name);
    }
  return code;
}

static char *
dup_value (const CrmRecord *record,
           const char      *field,
           gboolean         for_editing)
{
  const CrmFieldInfo *info = crm_entity_field (crm_record_get_entity (record), field);

  g_return_val_if_fail (info != NULL, NULL);

  if (!crm_record_has (record, field) || crm_record_is_null (record, field))
    return NULL;

  switch (info->type)
    {
    case CRM_FIELD_ENUM:
      if (for_editing)
        return g_strdup (crm_record_get_string (record, field));
      return g_strdup (crm_enum_label (info->enum_values, crm_record_get_string (record, field)));
    case CRM_FIELD_BOOL:
      return g_strdup (crm_record_get_bool (record, field) ? _("Yes") : _("No"));
    case CRM_FIELD_DECIMAL:
      if (for_editing)
        return g_strdup_printf ("%.15g", crm_record_get_double (record, field));
      return format_amount (crm_record_get_double (record, field));
    case CRM_FIELD_INT:
      return g_strdup_printf ("%" G_GINT64_FORMAT, crm_record_get_int (record, field));
    case CRM_FIELD_DATE:
      return crm_format_wire_date (crm_record_get_string (record, field), FALSE);
    case CRM_FIELD_DATETIME:
      return crm_format_wire_date (crm_record_get_string (record, field), TRUE);
    case CRM_FIELD_TAGS:
    case CRM_FIELD_UUID_LIST:
      {
        const char * const *strv = crm_record_get_strv (record, field);

        if (strv == NULL || strv[0] == NULL)
          return NULL;
        return g_strjoinv (", ", (char **) strv);
      }
    case CRM_FIELD_TEXT:
    case CRM_FIELD_LONGTEXT:
    case CRM_FIELD_UUID:
    case CRM_FIELD_EMAIL:
    case CRM_FIELD_URL:
    case CRM_FIELD_COUNTRY:
    case CRM_FIELD_LANGUAGE:
      {
        const char *text = crm_record_get_string (record, field);

        if (text == NULL || *text == '\0')
          return NULL;
        return g_strdup (for_editing ? text : code_name (text, info->type == CRM_FIELD_COUNTRY));
      }
    case CRM_FIELD_PHONE:
    case CRM_FIELD_MANDAT_NUMBER:
    default:
      {
        const char *text = crm_record_get_string (record, field);

        return (text != NULL && *text != '\0') ? g_strdup (text) : NULL;
      }
    }
}

char *
crm_record_dup_display (const CrmRecord *record,
                        const char      *field)
{
  return dup_value (record, field, FALSE);
}

char *
crm_record_dup_editable (const CrmRecord *record,
                         const char      *field)
{
  return dup_value (record, field, TRUE);
}

/* "12/03/2026" (or 12.03.2026, 12-03-2026) -> day, month, year. */
static gboolean
parse_french_date (const char *text,
                   int        *year,
                   int        *month,
                   int        *day,
                   int        *hour,
                   int        *minute)
{
  char sep1, sep2;
  int consumed = 0;

  *hour = *minute = 0;
  if (sscanf (text, "%2d%c%2d%c%4d%n", day, &sep1, month, &sep2, year, &consumed) != 5 ||
      sep1 != sep2 || strchr ("/.-", sep1) == NULL)
    return FALSE;

  text += consumed;
  while (*text == ' ')
    text++;
  if (*text != '\0')
    {
      int n = 0;

      if (sscanf (text, "%2d%*[:hH]%2d%n", hour, minute, &n) != 2 || text[n] != '\0')
        return FALSE;
    }

  return g_date_valid_dmy (*day, *month, *year) && *hour < 24 && *minute < 60;
}

char *
crm_field_text_from_user (const CrmFieldInfo *field,
                          const char         *text)
{
  int year, month, day, hour, minute;

  if (text == NULL)
    return NULL;

  switch (field->type)
    {
    case CRM_FIELD_DATE:
      if (parse_french_date (text, &year, &month, &day, &hour, &minute))
        return g_strdup_printf ("%04d-%02d-%02d", year, month, day);
      return g_strdup (text);
    case CRM_FIELD_DATETIME:
      {
        g_autoptr(GDateTime) local = NULL;
        g_autoptr(GDateTime) utc = NULL;
        g_autoptr(GTimeZone) tz = NULL;

        if (!parse_french_date (text, &year, &month, &day, &hour, &minute))
          {
            char *normal = crm_time_normalize (text);

            return normal != NULL ? normal : g_strdup (text);
          }
        tz = g_time_zone_new_local ();
        local = g_date_time_new (tz, year, month, day, hour, minute, 0);
        if (local == NULL)
          return g_strdup (text);
        utc = g_date_time_to_utc (local);
        return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
      }
    case CRM_FIELD_DECIMAL:
    case CRM_FIELD_INT:
      {
        GString *number = g_string_new (NULL);

        /* Spaces (also the narrow no-break ones French uses) group thousands; a comma
         * is the decimal mark. */
        for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
          {
            gunichar c = g_utf8_get_char (p);

            if (g_unichar_isspace (c) || c == 0x202F || c == 0x00A0 || c == 0x20AC)
              continue;
            g_string_append_unichar (number, c == ',' ? '.' : c);
          }
        return g_string_free (number, FALSE);
      }
    case CRM_FIELD_TAGS:
    case CRM_FIELD_UUID_LIST:
      {
        g_auto(GStrv) parts = g_strsplit (text, ",", -1);
        g_autoptr(GString) json = g_string_new ("[");
        gboolean first = TRUE;

        for (guint i = 0; parts[i] != NULL; i++)
          {
            char *part = g_strstrip (parts[i]);

            if (*part == '\0')
              continue;
            if (!first)
              g_string_append_c (json, ',');
            first = FALSE;
            g_string_append_c (json, '"');
            for (const char *p = part; *p != '\0'; p++)
              {
                if (*p == '"' || *p == '\\')
                  g_string_append_c (json, '\\');
                g_string_append_c (json, *p);
              }
            g_string_append_c (json, '"');
          }
        g_string_append_c (json, ']');
        return g_string_free (g_steal_pointer (&json), FALSE);
      }
    case CRM_FIELD_TEXT:
    case CRM_FIELD_LONGTEXT:
    case CRM_FIELD_UUID:
    case CRM_FIELD_BOOL:
    case CRM_FIELD_ENUM:
    case CRM_FIELD_EMAIL:
    case CRM_FIELD_URL:
    case CRM_FIELD_PHONE:
    case CRM_FIELD_COUNTRY:
    case CRM_FIELD_LANGUAGE:
    case CRM_FIELD_MANDAT_NUMBER:
    default:
      return g_strstrip (g_strdup (text));
    }
}

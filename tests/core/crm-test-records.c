/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-records"

#include "config.h"

#include "crm-test-records.h"

/* Distinct ids so that a codec mixing fields up cannot go unnoticed. */
static char *
uuid_for (guint n)
{
  return g_strdup_printf ("0190a5c4-7b1e-7c3d-9f00-%012x", n);
}

static void
set_text_like (CrmRecord          *record,
               const CrmFieldInfo *info,
               guint               n)
{
  g_autofree char *uuid = uuid_for (n);
  const char *value = NULL;

  switch (info->type)
    {
    case CRM_FIELD_TEXT:
      value = "Lyon « é » œ — 東";
      break;
    case CRM_FIELD_LONGTEXT:
      value = "Première ligne\n\tdeuxième ligne, « guillemets » et \\ barre";
      break;
    case CRM_FIELD_UUID:
      value = uuid;
      break;
    case CRM_FIELD_DATE:
      /* Start before end, for the rule across fields. */
      value = g_str_equal (info->name, "end_date") ? "2025-06-30" : "2024-02-29";
      break;
    case CRM_FIELD_DATETIME:
      value = "2026-03-01T09:30:00Z";
      break;
    case CRM_FIELD_ENUM:
      value = info->enum_values[1].wire;
      break;
    case CRM_FIELD_EMAIL:
      value = "jeanne.durand@exemple.fr";
      break;
    case CRM_FIELD_URL:
      value = "https://www.exemple.fr/fonds?isin=FR0010315770";
      break;
    case CRM_FIELD_PHONE:
      value = "+33 (0)1 23 45 67 89";
      break;
    case CRM_FIELD_COUNTRY:
      value = "FR";
      break;
    case CRM_FIELD_LANGUAGE:
      value = "fr";
      break;
    case CRM_FIELD_MANDAT_NUMBER:
      value = "M-2025-001";
      break;
    case CRM_FIELD_INT:
    case CRM_FIELD_DECIMAL:
    case CRM_FIELD_BOOL:
    case CRM_FIELD_TAGS:
    case CRM_FIELD_UUID_LIST:
    default:
      g_assert_not_reached ();
    }

  crm_record_set_string (record, info->name, value);
}

static void
set_field (CrmRecord          *record,
           const CrmFieldInfo *info,
           guint               n)
{
  const char *tags[] = { "vip", "Île-de-France", "prioritaire", NULL };
  g_autofree char *a = uuid_for (1000 + n);
  g_autofree char *b = uuid_for (2000 + n);
  const char *ids[] = { a, b, NULL };

  switch (info->type)
    {
    case CRM_FIELD_INT:
      crm_record_set_int (record, info->name, G_GINT64_CONSTANT (9007199254740993));
      break;
    case CRM_FIELD_DECIMAL:
      crm_record_set_double (record, info->name, 1234567.1);
      break;
    case CRM_FIELD_BOOL:
      crm_record_set_bool (record, info->name, TRUE);
      break;
    case CRM_FIELD_TAGS:
      crm_record_set_strv (record, info->name, tags);
      break;
    case CRM_FIELD_UUID_LIST:
      crm_record_set_strv (record, info->name, ids);
      break;
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
      set_text_like (record, info, n);
      break;
    }
}

CrmRecord *
crm_test_full_record (CrmEntityKind kind)
{
  CrmRecord *record = crm_record_new_for_kind (kind);
  const CrmEntityInfo *entity = crm_record_get_entity (record);

  for (guint i = 0; i < entity->n_fields; i++)
    set_field (record, &entity->fields[i], i);

  return record;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-validate"

#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#include "crm-record-private.h"
#include "crm-test-records.h"
#include "crm-test-validate-cases.h"
#include "crm-validate.h"

#define ORG   CRM_ENTITY_ORGANISATION
#define PER   CRM_ENTITY_PERSON
#define LNK   CRM_ENTITY_LINK
#define MAN   CRM_ENTITY_MANDAT
#define INT   CRM_ENTITY_INTERACTION
#define TSK   CRM_ENTITY_TASK

#define E_REQ    CRM_VALIDATION_ERROR_REQUIRED
#define E_LONG   CRM_VALIDATION_ERROR_TOO_LONG
#define E_FMT    CRM_VALIDATION_ERROR_INVALID_FORMAT
#define E_RANGE  CRM_VALIDATION_ERROR_OUT_OF_RANGE

static char *
case_text (const FieldCase *c)
{
  GString *text;

  if (c->repeat == 0)
    return g_strdup (c->text);

  text = g_string_new (NULL);
  for (guint i = 0; i < c->repeat; i++)
    g_string_append (text, c->text);
  return g_string_free (text, FALSE);
}

static void
assert_actionable_message (const char *message,
                           const char *label)
{
  g_autofree char *named = g_strdup_printf ("« %s »", label);

  /* A French sentence that names the field by its label. */
  g_assert_true (g_utf8_validate (message, -1, NULL));
  g_assert_nonnull (strstr (message, named));
  g_assert_true (g_str_has_suffix (message, "."));
}

/* The record path must reach the same verdict as the text path. */
static void
assert_same_verdict_on_record (const FieldCase    *c,
                               const CrmFieldInfo *info,
                               const char         *text)
{
  g_autoptr(CrmRecord) record = crm_record_new_for_kind (c->kind);
  g_autoptr(GPtrArray) errors = NULL;
  int code = VALID;

  if (text == NULL)
    crm_record_set_null (record, c->field);
  else if (crm_field_type_value_kind (info->type) == CRM_VALUE_STRING)
    crm_record_set_string (record, c->field, text);
  else if (!crm_record_set_from_text (record, c->field, text, NULL))
    return; /* unparsable: only the text path can judge it */

  errors = crm_record_validate_all (record, CRM_VALIDATE_ROW);
  for (guint i = 0; i < errors->len; i++)
    {
      CrmFieldError *e = g_ptr_array_index (errors, i);

      if (g_strcmp0 (e->field, c->field) == 0)
        code = e->code;
    }
  g_assert_cmpint (code, ==, c->code);
}

static void
test_field_case (gconstpointer data)
{
  const FieldCase *c = data;
  const CrmFieldInfo *info = crm_entity_field (crm_entity_get (c->kind), c->field);
  g_autofree char *text = case_text (c);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_assert_nonnull (info);
  ok = crm_validate_field_text (info, text, &error);
  if (c->code == VALID)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  else
    {
      g_assert_false (ok);
      g_assert_error (error, CRM_VALIDATION_ERROR, c->code);
      g_test_message ("%s", error->message);
      assert_actionable_message (error->message, info->label);
    }

  assert_same_verdict_on_record (c, info, text);
}

static void
test_syntax_null_is_invalid (void)
{
  g_assert_false (crm_is_valid_email (NULL));
  g_assert_false (crm_is_valid_url (NULL));
  g_assert_false (crm_is_valid_phone (NULL));
  g_assert_false (crm_is_valid_country (NULL));
  g_assert_false (crm_is_valid_language (NULL));
  g_assert_false (crm_is_valid_date (NULL));
  g_assert_false (crm_is_valid_datetime (NULL));
  g_assert_false (crm_is_valid_mandat_number (NULL));
}

static void
test_country_table_complete (void)
{
  /* ISO 3166-1 assigns 249 alpha-2 codes: count them by brute force. */
  guint n = 0;

  for (char a = 'A'; a <= 'Z'; a++)
    for (char b = 'A'; b <= 'Z'; b++)
      {
        char code[3] = { a, b, '\0' };

        n += crm_is_valid_country (code) ? 1 : 0;
      }
  g_assert_cmpuint (n, ==, 249);
}

static void
test_language_table_complete (void)
{
  guint n = 0;

  for (char a = 'a'; a <= 'z'; a++)
    for (char b = 'a'; b <= 'z'; b++)
      {
        char code[3] = { a, b, '\0' };

        n += crm_is_valid_language (code) ? 1 : 0;
      }
  /* The 183 current ISO 639-1 codes, plus "bh" still listed by iso-codes. */
  g_assert_cmpuint (n, ==, 184);
}

/* Fields with max_length 0 and ranges, to test the defaults the schema does not use. */
static const CrmFieldInfo bare_text = { "t", "Libellé", CRM_FIELD_TEXT, 0, 0, NULL, 0, 0, NULL };
static const CrmFieldInfo bare_longtext = { "l", "Commentaire", CRM_FIELD_LONGTEXT, 0, 0, NULL,
                                            0, 0, NULL };
static const CrmFieldInfo ranged_int = { "n", "Quantité", CRM_FIELD_INT, 0, 0, NULL, 1, 10, NULL };
static const CrmFieldInfo bare_tags = { "g", "Mots-clés", CRM_FIELD_TAGS, 0, 0, NULL, 0, 0, NULL };
static const CrmFieldInfo required_tags = { "g", "Mots-clés", CRM_FIELD_TAGS, CRM_FIELD_REQUIRED,
                                            0, NULL, 0, 0, NULL };

static gboolean
validate_repeated (const CrmFieldInfo *info,
                   const char         *unit,
                   guint               count,
                   int                *code)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  for (guint i = 0; i < count; i++)
    g_string_append (text, unit);
  ok = crm_validate_field_text (info, text->str, &error);
  *code = error != NULL ? error->code : VALID;
  return ok;
}

static void
test_text_default_max (void)
{
  int code;

  g_assert_true (validate_repeated (&bare_text, "é", 500, &code));
  g_assert_false (validate_repeated (&bare_text, "é", 501, &code));
  g_assert_cmpint (code, ==, E_LONG);
}

static void
test_longtext_default_max (void)
{
  int code;

  g_assert_true (validate_repeated (&bare_longtext, "a", 100000, &code));
  g_assert_false (validate_repeated (&bare_longtext, "a", 100001, &code));
  g_assert_cmpint (code, ==, E_LONG);
}

static void
test_int_range (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (crm_validate_field_text (&ranged_int, "1", NULL));
  g_assert_true (crm_validate_field_text (&ranged_int, "10", NULL));
  g_assert_false (crm_validate_field_text (&ranged_int, "0", NULL));
  g_assert_false (crm_validate_field_text (&ranged_int, "11", &error));
  g_assert_error (error, CRM_VALIDATION_ERROR, E_RANGE);
  g_assert_cmpstr (error->message, ==, "Le champ « Quantité » doit être compris entre 1 et 10.");
}

static char *
tag_list_json (guint n)
{
  g_autoptr(GString) json = g_string_new ("[");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (json, "%s\"tag%u\"", i > 0 ? "," : "", i);
  g_string_append (json, "]");
  return g_strdup (json->str);
}

static void
test_tags_item_count (void)
{
  const CrmFieldInfo *org_tags = crm_entity_field (crm_entity_get (ORG), "tags");
  g_autofree char *fifty = tag_list_json (50);
  g_autofree char *fifty_one = tag_list_json (51);
  g_autofree char *hundred_one = tag_list_json (101);
  g_autoptr(GError) error = NULL;

  g_assert_true (crm_validate_field_text (org_tags, fifty, NULL));
  g_assert_false (crm_validate_field_text (org_tags, fifty_one, &error));
  g_assert_error (error, CRM_VALIDATION_ERROR, E_LONG);
  /* max_length 0: the default of 100 items. */
  g_assert_true (crm_validate_field_text (&bare_tags, fifty_one, NULL));
  g_assert_false (crm_validate_field_text (&bare_tags, hundred_one, NULL));
}

static void
test_tags_required_empty (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (crm_validate_field_text (&required_tags, "[]", &error));
  g_assert_error (error, CRM_VALIDATION_ERROR, E_REQ);
  g_assert_true (crm_validate_field_text (&required_tags, "[\"a\"]", NULL));
}

static void
test_uuid_list_item_count (void)
{
  const CrmFieldInfo *ids = crm_entity_field (crm_entity_get (INT), "participant_ids");
  g_autoptr(GString) json = g_string_new ("[");
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 101; i++)
    g_string_append_printf (json, "%s\"0190a5c4-7b1e-7c3d-9f00-%012u\"", i > 0 ? "," : "", i);
  g_string_append (json, "]");
  g_assert_false (crm_validate_field_text (ids, json->str, &error));
  g_assert_error (error, CRM_VALIDATION_ERROR, E_LONG);
}

static void
test_decimal_non_finite_in_record (void)
{
  const double bad[] = { NAN, INFINITY, -INFINITY };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(CrmRecord) record = crm_record_new_for_kind (ORG);
      g_autoptr(GError) error = NULL;

      crm_record_set_double (record, "aum_eur", bad[i]);
      g_assert_false (crm_record_validate (record, CRM_VALIDATE_UPDATE, &error));
      g_assert_error (error, CRM_VALIDATION_ERROR, E_FMT);
    }
}

static void
test_messages_exact (void)
{
  const CrmEntityInfo *org = crm_entity_get (ORG);
  const CrmEntityInfo *man = crm_entity_get (MAN);
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;
  g_autoptr(GError) e3 = NULL;
  g_autoptr(GError) e4 = NULL;
  g_autoptr(GError) e5 = NULL;

  crm_validate_field_text (crm_entity_field (org, "email"), "nom.exemple.fr", &e1);
  g_assert_cmpstr (e1->message, ==, "Le champ « E-mail » doit être une adresse e-mail valide, "
                                    "par exemple nom@exemple.fr.");
  crm_validate_field_text (crm_entity_field (org, "name"), " ", &e2);
  g_assert_cmpstr (e2->message, ==, "Le champ « Nom » est obligatoire.");
  crm_validate_field_text (crm_entity_field (man, "number"), "M2025-1", &e3);
  g_assert_cmpstr (e3->message, ==, "Le champ « Numéro de mandat » doit suivre le format "
                                    "M-AAAA-NNN, par exemple M-2025-001.");
  /* The message says what is wrong when only the year is. */
  crm_validate_field_text (crm_entity_field (man, "number"), "M-1850-001", &e4);
  g_assert_nonnull (strstr (e4->message, "entre 1990 et 2100"));
  /* A lower-case country gets its fix spelled out. */
  crm_validate_field_text (crm_entity_field (org, "country"), "fr", &e5);
  g_assert_cmpstr (e5->message, ==, "Le champ « Pays » doit être écrit en majuscules : FR.");
}

static void
test_enum_message_lists_choices (void)
{
  g_autoptr(GError) error = NULL;

  crm_validate_field_text (crm_entity_field (crm_entity_get (TSK), "priority"), "asap", &error);
  g_assert_cmpstr (error->message, ==, "Le champ « Priorité » doit valoir l’une des valeurs "
                                       "suivantes : low (Basse), normal (Normale), high (Haute), "
                                       "urgent (Urgente).");
}

static void
test_full_records_valid (void)
{
  for (guint k = 0; k < CRM_N_ENTITIES; k++)
    {
      g_autoptr(CrmRecord) record = crm_test_full_record (k);
      g_autoptr(GPtrArray) errors = crm_record_validate_all (record, CRM_VALIDATE_ROW);

      for (guint i = 0; i < errors->len; i++)
        g_test_message ("%s: %s", crm_entity_get (k)->name,
                        ((CrmFieldError *) g_ptr_array_index (errors, i))->message);
      g_assert_cmpuint (errors->len, ==, 0);
    }
}

static CrmRecord *
new_valid_org (void)
{
  CrmRecord *record = crm_record_new_for_kind (ORG);

  crm_record_set_string (record, "name", "Alforis Gestion");
  return record;
}

static CrmFieldError *
find_error (GPtrArray  *errors,
            const char *field)
{
  for (guint i = 0; i < errors->len; i++)
    {
      CrmFieldError *e = g_ptr_array_index (errors, i);

      if (g_strcmp0 (e->field, field) == 0)
        return e;
    }
  return NULL;
}

static void
test_create_requires_required (void)
{
  g_autoptr(CrmRecord) record = crm_record_new_for_kind (ORG);
  g_autoptr(GPtrArray) errors = crm_record_validate_all (record, CRM_VALIDATE_CREATE);

  g_assert_cmpuint (errors->len, ==, 1);
  g_assert_cmpstr (((CrmFieldError *) errors->pdata[0])->field, ==, "name");
  g_assert_cmpint (((CrmFieldError *) errors->pdata[0])->code, ==, E_REQ);
}

static void
test_create_minimal_valid (void)
{
  g_autoptr(CrmRecord) record = new_valid_org ();
  g_autoptr(GError) error = NULL;

  crm_record_apply_defaults (record);
  g_assert_true (crm_record_validate (record, CRM_VALIDATE_CREATE, &error));
  g_assert_no_error (error);
}

static void
test_optional_null_valid (void)
{
  g_autoptr(CrmRecord) record = new_valid_org ();

  crm_record_set_null (record, "email");
  crm_record_set_null (record, "aum_eur");
  crm_record_set_null (record, "tags");
  g_assert_true (crm_record_validate (record, CRM_VALIDATE_CREATE, NULL));
}

static void
test_update_absent_required_ok (void)
{
  g_autoptr(CrmRecord) record = crm_record_new_for_kind (ORG);

  crm_record_set_string (record, "city", "Lyon");
  g_assert_true (crm_record_validate (record, CRM_VALIDATE_UPDATE, NULL));
}

static void
test_update_null_required_rejected (void)
{
  g_autoptr(CrmRecord) record = crm_record_new_for_kind (ORG);
  g_autoptr(GError) error = NULL;

  crm_record_set_null (record, "name");
  g_assert_false (crm_record_validate (record, CRM_VALIDATE_UPDATE, &error));
  g_assert_error (error, CRM_VALIDATION_ERROR, E_REQ);
}

static void
test_update_blank_required_rejected (void)
{
  g_autoptr(CrmRecord) record = crm_record_new_for_kind (ORG);
  g_autoptr(GError) error = NULL;

  crm_record_set_string (record, "name", " \t ");
  g_assert_false (crm_record_validate (record, CRM_VALIDATE_UPDATE, &error));
  g_assert_error (error, CRM_VALIDATION_ERROR, E_REQ);
}

static void
test_readonly_by_mode (void)
{
  const CrmValidateMode modes[] = { CRM_VALIDATE_CREATE, CRM_VALIDATE_UPDATE, CRM_VALIDATE_ROW };
  const gboolean accepted[] = { FALSE, FALSE, TRUE };

  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      g_autoptr(CrmRecord) record = new_valid_org ();
      g_autoptr(GPtrArray) errors = NULL;
      CrmFieldError *e;

      crm_record_set_int (record, "version", 41);
      crm_record_set_string (record, "updated_at", "2026-03-01T09:30:00Z");
      errors = crm_record_validate_all (record, modes[m]);
      g_assert_cmpuint (errors->len, ==, accepted[m] ? 0 : 2);
      if (accepted[m])
        continue;
      e = find_error (errors, "version");
      g_assert_cmpint (e->code, ==, CRM_VALIDATION_ERROR_READONLY);
      g_assert_nonnull (strstr (e->message, "« Version »"));
      g_assert_nonnull (find_error (errors, "updated_at"));
    }
}

static void
test_readonly_null_rejected (void)
{
  g_autoptr(CrmRecord) record = crm_record_new_for_kind (ORG);
  g_autoptr(GError) error = NULL;

  /* Even null: a client may not clear what the store manages. */
  crm_record_set_null (record, "deleted");
  g_assert_false (crm_record_validate (record, CRM_VALIDATE_UPDATE, &error));
  g_assert_error (error, CRM_VALIDATION_ERROR, CRM_VALIDATION_ERROR_READONLY);
}

static void
test_errors_in_field_order (void)
{
  g_autoptr(CrmRecord) record = crm_record_new_for_kind (ORG);
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GError) error = NULL;

  crm_record_set_string (record, "country", "France");
  crm_record_set_string (record, "email", "pas-un-email");
  errors = crm_record_validate_all (record, CRM_VALIDATE_CREATE);
  g_assert_cmpuint (errors->len, ==, 3);
  g_assert_cmpstr (((CrmFieldError *) errors->pdata[0])->field, ==, "name");
  g_assert_cmpstr (((CrmFieldError *) errors->pdata[1])->field, ==, "email");
  g_assert_cmpstr (((CrmFieldError *) errors->pdata[2])->field, ==, "country");

  /* crm_record_validate reports the first. */
  g_assert_false (crm_record_validate (record, CRM_VALIDATE_CREATE, &error));
  g_assert_cmpstr (error->message, ==, "Le champ « Nom » est obligatoire.");
}

static void
person_case (const char *first,
             const char *last,
             gboolean    set_first,
             gboolean    set_last,
             CrmValidateMode mode,
             gboolean    expect_valid)
{
  g_autoptr(CrmRecord) record = crm_record_new_for_kind (PER);
  g_autoptr(GPtrArray) errors = NULL;

  if (set_first)
    crm_record_set_string (record, "first_name", first);
  if (set_last)
    crm_record_set_string (record, "last_name", last);
  errors = crm_record_validate_all (record, mode);
  if (expect_valid)
    {
      g_assert_cmpuint (errors->len, ==, 0);
      return;
    }
  g_assert_cmpuint (errors->len, ==, 1);
  g_assert_null (((CrmFieldError *) errors->pdata[0])->field);
  g_assert_cmpint (((CrmFieldError *) errors->pdata[0])->code, ==, E_REQ);
  g_assert_cmpstr (((CrmFieldError *) errors->pdata[0])->message, ==,
                   "Indiquez au moins le prénom ou le nom de la personne.");
}

static void
test_person_needs_a_name (void)
{
  person_case (NULL, NULL, FALSE, FALSE, CRM_VALIDATE_CREATE, FALSE);
}

static void
test_person_blank_names_rejected (void)
{
  person_case ("  ", NULL, TRUE, TRUE, CRM_VALIDATE_CREATE, FALSE);
}

static void
test_person_first_name_only (void)
{
  person_case ("Jeanne", NULL, TRUE, FALSE, CRM_VALIDATE_CREATE, TRUE);
}

static void
test_person_last_name_only (void)
{
  person_case (NULL, "Durand", FALSE, TRUE, CRM_VALIDATE_ROW, TRUE);
}

static void
test_person_update_clearing_both (void)
{
  person_case (NULL, "", TRUE, TRUE, CRM_VALIDATE_UPDATE, FALSE);
}

static void
test_person_update_one_side (void)
{
  /* Clearing one name cannot be judged without the stored row. */
  person_case (NULL, NULL, TRUE, FALSE, CRM_VALIDATE_UPDATE, TRUE);
}

static GPtrArray *
validate_period (CrmEntityKind kind,
                 const char   *start,
                 const char   *end)
{
  g_autoptr(CrmRecord) record = crm_record_new_for_kind (kind);

  crm_record_set_string (record, "start_date", start);
  crm_record_set_string (record, "end_date", end);
  return crm_record_validate_all (record, CRM_VALIDATE_UPDATE);
}

static void
test_link_end_before_start (void)
{
  g_autoptr(GPtrArray) errors = validate_period (LNK, "2025-01-01", "2024-12-31");
  CrmFieldError *e;

  g_assert_cmpuint (errors->len, ==, 1);
  e = g_ptr_array_index (errors, 0);
  g_assert_null (e->field);
  g_assert_cmpint (e->code, ==, CRM_VALIDATION_ERROR_INCONSISTENT);
  g_assert_cmpstr (e->message, ==, "La date de fin (2024-12-31) ne peut pas précéder la date de "
                                   "début (2025-01-01) ; corrigez l’une des deux.");
}

static void
test_mandat_end_before_start (void)
{
  g_autoptr(GPtrArray) errors = validate_period (MAN, "2025-06-01", "2025-05-31");

  g_assert_cmpuint (errors->len, ==, 1);
  g_assert_cmpint (((CrmFieldError *) errors->pdata[0])->code, ==,
                   CRM_VALIDATION_ERROR_INCONSISTENT);
}

static void
test_period_same_day_ok (void)
{
  g_autoptr(GPtrArray) errors = validate_period (MAN, "2025-06-01", "2025-06-01");

  g_assert_cmpuint (errors->len, ==, 0);
}

static void
test_period_open_ended_ok (void)
{
  g_autoptr(GPtrArray) errors = validate_period (LNK, "2025-06-01", NULL);

  g_assert_cmpuint (errors->len, ==, 0);
}

static void
test_period_invalid_date_reported_once (void)
{
  /* The bad date has its own message; no second one about the order. */
  g_autoptr(GPtrArray) errors = validate_period (LNK, "2025-06-01", "2025-02-30");

  g_assert_cmpuint (errors->len, ==, 1);
  g_assert_cmpstr (((CrmFieldError *) errors->pdata[0])->field, ==, "end_date");
}

static void
test_field_error_free_null (void)
{
  crm_field_error_free (NULL);
  g_assert_true (CRM_VALIDATION_ERROR == g_quark_from_static_string ("crm-validation-error-quark"));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < crm_test_n_field_cases; i++)
    {
      g_autofree char *path = g_strconcat ("/core/validate/", crm_test_field_cases[i].path, NULL);

      g_test_add_data_func (path, &crm_test_field_cases[i], test_field_case);
    }

  g_test_add_func ("/core/validate/syntax/null-is-invalid", test_syntax_null_is_invalid);
  g_test_add_func ("/core/validate/country/table-has-249-codes", test_country_table_complete);
  g_test_add_func ("/core/validate/language/table-has-184-codes", test_language_table_complete);
  g_test_add_func ("/core/validate/text/default-max-500", test_text_default_max);
  g_test_add_func ("/core/validate/longtext/default-max-100000", test_longtext_default_max);
  g_test_add_func ("/core/validate/int/range-inclusive", test_int_range);
  g_test_add_func ("/core/validate/tags/item-count", test_tags_item_count);
  g_test_add_func ("/core/validate/tags/required-empty-list", test_tags_required_empty);
  g_test_add_func ("/core/validate/uuid-list/item-count", test_uuid_list_item_count);
  g_test_add_func ("/core/validate/decimal/rejects-non-finite", test_decimal_non_finite_in_record);
  g_test_add_func ("/core/validate/messages/exact-sentences", test_messages_exact);
  g_test_add_func ("/core/validate/messages/enum-lists-choices", test_enum_message_lists_choices);
  g_test_add_func ("/core/validate/record/full-records-valid", test_full_records_valid);
  g_test_add_func ("/core/validate/record/create-requires-name", test_create_requires_required);
  g_test_add_func ("/core/validate/record/create-minimal-valid", test_create_minimal_valid);
  g_test_add_func ("/core/validate/record/optional-null-valid", test_optional_null_valid);
  g_test_add_func ("/core/validate/record/update-absent-required-ok",
                   test_update_absent_required_ok);
  g_test_add_func ("/core/validate/record/update-null-required-rejected",
                   test_update_null_required_rejected);
  g_test_add_func ("/core/validate/record/update-blank-required-rejected",
                   test_update_blank_required_rejected);
  g_test_add_func ("/core/validate/readonly/rejected-unless-row", test_readonly_by_mode);
  g_test_add_func ("/core/validate/readonly/null-rejected", test_readonly_null_rejected);
  g_test_add_func ("/core/validate/record/errors-in-field-order", test_errors_in_field_order);
  g_test_add_func ("/core/validate/person/needs-a-name", test_person_needs_a_name);
  g_test_add_func ("/core/validate/person/blank-names-rejected", test_person_blank_names_rejected);
  g_test_add_func ("/core/validate/person/first-name-only-ok", test_person_first_name_only);
  g_test_add_func ("/core/validate/person/last-name-only-ok", test_person_last_name_only);
  g_test_add_func ("/core/validate/person/update-clearing-both-rejected",
                   test_person_update_clearing_both);
  g_test_add_func ("/core/validate/person/update-one-side-not-judged",
                   test_person_update_one_side);
  g_test_add_func ("/core/validate/period/link-end-before-start", test_link_end_before_start);
  g_test_add_func ("/core/validate/period/mandat-end-before-start", test_mandat_end_before_start);
  g_test_add_func ("/core/validate/period/same-day-ok", test_period_same_day_ok);
  g_test_add_func ("/core/validate/period/open-ended-ok", test_period_open_ended_ok);
  g_test_add_func ("/core/validate/period/invalid-date-reported-once",
                   test_period_invalid_date_reported_once);
  g_test_add_func ("/core/validate/error/quark-and-free", test_field_error_free_null);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-record"

#include "config.h"

#include <locale.h>
#include <string.h>

#include "crm-error.h"
#include "crm-record.h"

static CrmRecord *
new_org (void)
{
  return crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);
}

static void
test_new_all_absent (void)
{
  for (guint k = 0; k < CRM_N_ENTITIES; k++)
    {
      g_autoptr(CrmRecord) record = crm_record_new_for_kind (k);
      const CrmEntityInfo *entity = crm_record_get_entity (record);
      g_autoptr(GPtrArray) present = crm_record_list_present (record);

      g_assert_true (entity == crm_entity_get (k));
      g_assert_cmpuint (present->len, ==, 0);
      for (guint i = 0; i < entity->n_fields; i++)
        {
          g_assert_false (crm_record_has (record, entity->fields[i].name));
          g_assert_false (crm_record_is_null (record, entity->fields[i].name));
        }
    }
}

static void
test_boxed_type (void)
{
  g_autoptr(CrmRecord) record = new_org ();
  CrmRecord *copy;

  g_assert_true (G_TYPE_IS_BOXED (CRM_TYPE_RECORD));
  g_assert_cmpstr (g_type_name (CRM_TYPE_RECORD), ==, "CrmRecord");

  /* The boxed copy is a new reference to the same record. */
  copy = g_boxed_copy (CRM_TYPE_RECORD, record);
  g_assert_true (copy == record);
  g_boxed_free (CRM_TYPE_RECORD, copy);
}

static void
test_ref_unref (void)
{
  CrmRecord *record = new_org ();
  CrmRecord *ref = crm_record_ref (record);

  crm_record_set_string (record, "name", "Alforis");
  crm_record_unref (record);
  /* Still alive through the second reference. */
  g_assert_cmpstr (crm_record_get_string (ref, "name"), ==, "Alforis");
  crm_record_unref (ref);
}

static void
test_copy_is_deep (void)
{
  g_autoptr(CrmRecord) record = new_org ();
  g_autoptr(CrmRecord) copy = NULL;
  const char *tags[] = { "a", "b", NULL };
  const char *other[] = { "c", NULL };

  crm_record_set_string (record, "name", "Alforis");
  crm_record_set_strv (record, "tags", tags);
  crm_record_set_null (record, "city");
  crm_record_set_double (record, "aum_eur", 12.5);

  copy = crm_record_copy (record);
  g_assert_true (copy != record);
  g_assert_true (crm_record_equal (record, copy));

  crm_record_set_string (copy, "name", "Autre");
  crm_record_set_strv (copy, "tags", other);
  g_assert_cmpstr (crm_record_get_string (record, "name"), ==, "Alforis");
  g_assert_cmpstrv (crm_record_get_strv (record, "tags"), tags);
  g_assert_false (crm_record_equal (record, copy));
}

static void
test_string_set_get (void)
{
  g_autoptr(CrmRecord) record = new_org ();
  g_autofree char *value = g_strdup ("Lyon");

  crm_record_set_string (record, "city", value);
  value[0] = 'X'; /* the setter copied */
  g_assert_true (crm_record_has (record, "city"));
  g_assert_false (crm_record_is_null (record, "city"));
  g_assert_cmpstr (crm_record_get_string (record, "city"), ==, "Lyon");

  crm_record_set_string (record, "city", "Paris");
  g_assert_cmpstr (crm_record_get_string (record, "city"), ==, "Paris");
}

static void
test_string_null_sets_null (void)
{
  g_autoptr(CrmRecord) record = new_org ();

  crm_record_set_string (record, "city", "Lyon");
  crm_record_set_string (record, "city", NULL);
  g_assert_true (crm_record_has (record, "city"));
  g_assert_true (crm_record_is_null (record, "city"));
  g_assert_null (crm_record_get_string (record, "city"));
}

static void
test_int_set_get (void)
{
  g_autoptr(CrmRecord) record = new_org ();

  crm_record_set_int (record, "version", G_MAXINT64);
  g_assert_cmpint (crm_record_get_int (record, "version"), ==, G_MAXINT64);
  crm_record_set_int (record, "version", G_MININT64);
  g_assert_cmpint (crm_record_get_int (record, "version"), ==, G_MININT64);
  crm_record_set_int (record, "version", 0);
  g_assert_true (crm_record_has (record, "version"));
  g_assert_false (crm_record_is_null (record, "version"));
}

static void
test_double_set_get (void)
{
  g_autoptr(CrmRecord) record = new_org ();

  crm_record_set_double (record, "aum_eur", 1250000.5);
  g_assert_cmpfloat (crm_record_get_double (record, "aum_eur"), ==, 1250000.5);
}

static void
test_bool_set_get (void)
{
  g_autoptr(CrmRecord) a = new_org ();
  g_autoptr(CrmRecord) b = new_org ();

  crm_record_set_bool (a, "is_active", TRUE);
  g_assert_true (crm_record_get_bool (a, "is_active"));
  /* Any non-zero gboolean is TRUE, and equal to TRUE. */
  crm_record_set_bool (b, "is_active", 42);
  g_assert_true (crm_record_field_equal (a, b, "is_active"));
  crm_record_set_bool (a, "is_active", FALSE);
  g_assert_false (crm_record_get_bool (a, "is_active"));
  g_assert_true (crm_record_has (a, "is_active"));
}

static void
test_strv_set_get (void)
{
  g_autoptr(CrmRecord) record = new_org ();
  const char *empty[] = { NULL };
  const char *tags[] = { "vip", "Île-de-France", NULL };

  crm_record_set_strv (record, "tags", tags);
  g_assert_cmpstrv (crm_record_get_strv (record, "tags"), tags);
  g_assert_true (crm_record_get_strv (record, "tags") != tags);

  /* An empty list is a value, not null. */
  crm_record_set_strv (record, "tags", empty);
  g_assert_false (crm_record_is_null (record, "tags"));
  g_assert_nonnull (crm_record_get_strv (record, "tags"));
  g_assert_cmpuint (g_strv_length ((char **) crm_record_get_strv (record, "tags")), ==, 0);

  crm_record_set_strv (record, "tags", NULL);
  g_assert_true (crm_record_is_null (record, "tags"));
  g_assert_null (crm_record_get_strv (record, "tags"));
}

static void
test_null_and_unset (void)
{
  g_autoptr(CrmRecord) record = new_org ();

  crm_record_set_null (record, "aum_eur");
  g_assert_true (crm_record_has (record, "aum_eur"));
  g_assert_true (crm_record_is_null (record, "aum_eur"));
  g_assert_cmpfloat (crm_record_get_double (record, "aum_eur"), ==, 0.0);

  crm_record_unset (record, "aum_eur");
  g_assert_false (crm_record_has (record, "aum_eur"));
  g_assert_false (crm_record_is_null (record, "aum_eur"));
}

static void
test_getters_absent_defaults (void)
{
  g_autoptr(CrmRecord) record = new_org ();

  g_assert_null (crm_record_get_string (record, "name"));
  g_assert_cmpint (crm_record_get_int (record, "version"), ==, 0);
  g_assert_cmpfloat (crm_record_get_double (record, "aum_eur"), ==, 0.0);
  g_assert_false (crm_record_get_bool (record, "is_active"));
  g_assert_null (crm_record_get_strv (record, "tags"));
  g_assert_null (crm_record_dup_text (record, "name"));
}

static void
test_unknown_field_is_critical (void)
{
  g_autoptr(CrmRecord) record = new_org ();
  g_autoptr(GPtrArray) present = NULL;

  g_test_expect_message ("crm-record", G_LOG_LEVEL_CRITICAL, "*idx >= 0*");
  g_assert_false (crm_record_has (record, "nmae"));
  g_test_assert_expected_messages ();

  g_test_expect_message ("crm-record", G_LOG_LEVEL_CRITICAL, "*idx >= 0*");
  crm_record_set_string (record, "first_name", "Jean"); /* a person field */
  g_test_assert_expected_messages ();
  present = crm_record_list_present (record);
  g_assert_cmpuint (present->len, ==, 0);
}

static void
test_wrong_kind_is_critical (void)
{
  g_autoptr(CrmRecord) record = new_org ();

  g_test_expect_message ("crm-record", G_LOG_LEVEL_CRITICAL, "*aum_eur*setter*");
  crm_record_set_string (record, "aum_eur", "12");
  g_test_assert_expected_messages ();
  g_assert_false (crm_record_has (record, "aum_eur"));

  g_test_expect_message ("crm-record", G_LOG_LEVEL_CRITICAL, "*name*getter*");
  g_assert_cmpint (crm_record_get_int (record, "name"), ==, 0);
  g_test_assert_expected_messages ();
}

/* field, text in, text out (NULL = same) */
static const struct
{
  const char *field;
  const char *text;
  const char *expected;
} text_round_trips[] = {
  { "name", "Société Générale « SG »", NULL },
  { "version", "0", NULL },
  { "version", "9223372036854775807", NULL },
  { "version", "-9223372036854775808", NULL },
  { "aum_eur", "0.1", NULL },
  { "aum_eur", "1250000.5", NULL },
  { "aum_eur", "1000000000000000", "1e+15" },
  { "aum_eur", "0.30000000000000004", NULL },
  { "aum_eur", "-2.5", NULL },
  { "aum_eur", "1.7976931348623157e+308", NULL },
  { "is_active", "true", NULL },
  { "is_active", "false", NULL },
  { "is_active", "1", "true" },
  { "is_active", "0", "false" },
  { "tags", "[]", NULL },
  { "tags", "[\"vip\",\"Île \\\"dorée\\\"\"]", NULL },
  { "tags", "[ \"a\" , \"b\" ]", "[\"a\",\"b\"]" },
};

static void
test_text_round_trip (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (text_round_trips); i++)
    {
      g_autoptr(CrmRecord) record = new_org ();
      g_autoptr(CrmRecord) again = new_org ();
      g_autoptr(GError) error = NULL;
      g_autofree char *out = NULL;
      const char *field = text_round_trips[i].field;
      const char *expected = text_round_trips[i].expected;

      g_assert_true (crm_record_set_from_text (record, field, text_round_trips[i].text, &error));
      g_assert_no_error (error);
      out = crm_record_dup_text (record, field);
      g_assert_cmpstr (out, ==, expected != NULL ? expected : text_round_trips[i].text);

      /* And the output reads back to the very same value. */
      g_assert_true (crm_record_set_from_text (again, field, out, &error));
      g_assert_true (crm_record_field_equal (record, again, field));
    }
}

static const struct
{
  const char *field;
  const char *text;
} bad_texts[] = {
  { "version", "" },
  { "version", "12a" },
  { "version", " 12" },
  { "version", "1.5" },
  { "version", "9223372036854775808" },
  { "aum_eur", "" },
  { "aum_eur", "nan" },
  { "aum_eur", "inf" },
  { "aum_eur", "1e400" },
  { "aum_eur", "1,5" },
  { "aum_eur", "0x10" },
  { "aum_eur", "12 " },
  { "is_active", "yes" },
  { "is_active", "TRUE" },
  { "is_active", "" },
  { "tags", "vip" },
  { "tags", "[1, 2]" },
  { "tags", "{\"a\": \"b\"}" },
  { "tags", "[\"a\"" },
  { "tags", "[null]" },
};

static void
test_text_rejects_bad (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_texts); i++)
    {
      g_autoptr(CrmRecord) record = new_org ();
      g_autoptr(GError) error = NULL;
      const CrmFieldInfo *info = crm_entity_field (crm_record_get_entity (record),
                                                   bad_texts[i].field);

      g_test_message ("%s = “%s”", bad_texts[i].field, bad_texts[i].text);
      g_assert_false (crm_record_set_from_text (record, bad_texts[i].field, bad_texts[i].text,
                                                &error));
      g_assert_true (error != NULL && error->domain == CRM_VALIDATION_ERROR);
      /* The message names the field by its French label. */
      g_assert_nonnull (strstr (error->message, info->label));
      g_assert_false (crm_record_has (record, bad_texts[i].field));
    }
}

static void
test_text_null_sets_null (void)
{
  g_autoptr(CrmRecord) record = new_org ();

  g_assert_true (crm_record_set_from_text (record, "aum_eur", NULL, NULL));
  g_assert_true (crm_record_is_null (record, "aum_eur"));
  g_assert_null (crm_record_dup_text (record, "aum_eur"));
}

static void
test_field_equal (void)
{
  g_autoptr(CrmRecord) a = new_org ();
  g_autoptr(CrmRecord) b = new_org ();

  /* absent == absent, null != absent, null == null, value vs value */
  g_assert_true (crm_record_field_equal (a, b, "city"));
  crm_record_set_null (a, "city");
  g_assert_false (crm_record_field_equal (a, b, "city"));
  crm_record_set_null (b, "city");
  g_assert_true (crm_record_field_equal (a, b, "city"));
  crm_record_set_string (a, "city", "Lyon");
  g_assert_false (crm_record_field_equal (a, b, "city"));
  crm_record_set_string (b, "city", "Lyon");
  g_assert_true (crm_record_field_equal (a, b, "city"));
  crm_record_set_string (b, "city", "lyon");
  g_assert_false (crm_record_field_equal (a, b, "city"));
}

static void
test_equal_strv_order_matters (void)
{
  g_autoptr(CrmRecord) a = new_org ();
  g_autoptr(CrmRecord) b = new_org ();
  const char *ab[] = { "a", "b", NULL };
  const char *ba[] = { "b", "a", NULL };

  crm_record_set_strv (a, "tags", ab);
  crm_record_set_strv (b, "tags", ba);
  g_assert_false (crm_record_equal (a, b));
  crm_record_set_strv (b, "tags", ab);
  g_assert_true (crm_record_equal (a, b));
}

static void
test_equal_different_entities (void)
{
  g_autoptr(CrmRecord) a = new_org ();
  g_autoptr(CrmRecord) b = crm_record_new_for_kind (CRM_ENTITY_PERSON);

  g_assert_false (crm_record_equal (a, b));
  g_assert_true (crm_record_equal (a, a));
}

static void
test_list_present_schema_order (void)
{
  g_autoptr(CrmRecord) record = new_org ();
  g_autoptr(GPtrArray) present = NULL;

  crm_record_set_bool (record, "is_active", TRUE);
  crm_record_set_null (record, "city");
  crm_record_set_string (record, "id", "x");
  present = crm_record_list_present (record);
  g_assert_cmpuint (present->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (present, 0), ==, "id");
  g_assert_cmpstr (g_ptr_array_index (present, 1), ==, "city");
  g_assert_cmpstr (g_ptr_array_index (present, 2), ==, "is_active");
}

static void
test_defaults_fill_absent_only (void)
{
  g_autoptr(CrmRecord) record = new_org ();

  crm_record_set_string (record, "pipeline_stage", "won");
  crm_record_set_null (record, "type");
  crm_record_apply_defaults (record);

  g_assert_cmpstr (crm_record_get_string (record, "pipeline_stage"), ==, "won");
  g_assert_true (crm_record_is_null (record, "type")); /* null was asked for */
  g_assert_true (crm_record_get_bool (record, "is_active"));
  g_assert_false (crm_record_has (record, "category")); /* no default */
  g_assert_false (crm_record_has (record, "deleted")); /* a meta field */
}

static void
test_defaults_every_entity (void)
{
  /* Every default literal of the schema parses (a bad one would be critical). */
  for (guint k = 0; k < CRM_N_ENTITIES; k++)
    {
      g_autoptr(CrmRecord) record = crm_record_new_for_kind (k);
      const CrmEntityInfo *entity = crm_record_get_entity (record);

      crm_record_apply_defaults (record);
      for (guint i = 0; i < entity->n_fields; i++)
        {
          const CrmFieldInfo *info = &entity->fields[i];
          gboolean expect = info->default_value != NULL && !(info->flags & CRM_FIELD_META);
          g_autofree char *text = crm_record_dup_text (record, info->name);

          g_assert_cmpint (crm_record_has (record, info->name), ==, expect);
          if (expect)
            g_assert_cmpstr (text, ==, info->default_value);
        }
    }
}

static void
test_merge_copies_present (void)
{
  g_autoptr(CrmRecord) row = new_org ();
  g_autoptr(CrmRecord) changes = new_org ();

  crm_record_set_string (row, "name", "Alforis");
  crm_record_set_string (row, "city", "Lyon");
  crm_record_set_string (row, "country", "FR");
  crm_record_set_string (changes, "city", "Paris");
  crm_record_set_null (changes, "country");
  crm_record_set_double (changes, "aum_eur", 3.0);

  crm_record_merge_from (row, changes);
  g_assert_cmpstr (crm_record_get_string (row, "name"), ==, "Alforis");
  g_assert_cmpstr (crm_record_get_string (row, "city"), ==, "Paris");
  g_assert_true (crm_record_is_null (row, "country"));
  g_assert_cmpfloat (crm_record_get_double (row, "aum_eur"), ==, 3.0);
  /* The changes are copied, not shared. */
  crm_record_set_string (changes, "city", "Nice");
  g_assert_cmpstr (crm_record_get_string (row, "city"), ==, "Paris");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/record/new/all-absent", test_new_all_absent);
  g_test_add_func ("/core/record/boxed/copy-is-ref", test_boxed_type);
  g_test_add_func ("/core/record/ref/keeps-alive", test_ref_unref);
  g_test_add_func ("/core/record/copy/is-deep", test_copy_is_deep);
  g_test_add_func ("/core/record/string/set-get-copies", test_string_set_get);
  g_test_add_func ("/core/record/string/null-sets-null", test_string_null_sets_null);
  g_test_add_func ("/core/record/int/full-range", test_int_set_get);
  g_test_add_func ("/core/record/double/set-get", test_double_set_get);
  g_test_add_func ("/core/record/bool/normalised", test_bool_set_get);
  g_test_add_func ("/core/record/strv/empty-is-not-null", test_strv_set_get);
  g_test_add_func ("/core/record/null/unset-makes-absent", test_null_and_unset);
  g_test_add_func ("/core/record/get/absent-gives-zero", test_getters_absent_defaults);
  g_test_add_func ("/core/record/programming-error/unknown-field", test_unknown_field_is_critical);
  g_test_add_func ("/core/record/programming-error/wrong-kind", test_wrong_kind_is_critical);
  g_test_add_func ("/core/record/text/round-trip", test_text_round_trip);
  g_test_add_func ("/core/record/text/rejects-unparsable", test_text_rejects_bad);
  g_test_add_func ("/core/record/text/null-sets-null", test_text_null_sets_null);
  g_test_add_func ("/core/record/equal/field-states", test_field_equal);
  g_test_add_func ("/core/record/equal/strv-order-matters", test_equal_strv_order_matters);
  g_test_add_func ("/core/record/equal/different-entities", test_equal_different_entities);
  g_test_add_func ("/core/record/list-present/schema-order", test_list_present_schema_order);
  g_test_add_func ("/core/record/defaults/fill-absent-only", test_defaults_fill_absent_only);
  g_test_add_func ("/core/record/defaults/every-entity", test_defaults_every_entity);
  g_test_add_func ("/core/record/merge/copies-present", test_merge_copies_present);

  return g_test_run ();
}

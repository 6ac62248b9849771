/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-json"

#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#include "crm-error.h"
#include "crm-json.h"
#include "crm-test-records.h"
#include "crm-validate.h"

#define ORG_INFO (crm_entity_get (CRM_ENTITY_ORGANISATION))

static CrmRecord *
parse_org (const char  *json,
           GError     **error)
{
  return crm_record_from_json_data (ORG_INFO, json, -1, CRM_JSON_NONE, error);
}

/* Text, then back: the same record. Also through a JsonObject. */
static void
assert_round_trip (const CrmRecord *record)
{
  const CrmEntityInfo *entity = crm_record_get_entity (record);
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRecord) back = NULL;
  g_autoptr(CrmRecord) back_object = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *json = NULL;
  gsize length = 0;

  json = crm_record_to_json_data (record, &length);
  g_assert_cmpuint (length, ==, strlen (json));
  back = crm_record_from_json_data (entity, json, (gssize) length, CRM_JSON_NONE, &error);
  g_assert_no_error (error);
  if (!crm_record_equal (record, back))
    g_test_message ("%s", json);
  g_assert_true (crm_record_equal (record, back));

  object = crm_record_to_json (record);
  back_object = crm_record_from_json (entity, object, CRM_JSON_NONE, &error);
  g_assert_no_error (error);
  g_assert_true (crm_record_equal (record, back_object));
}

static void
test_round_trip_entity (gconstpointer data)
{
  CrmEntityKind kind = GPOINTER_TO_UINT (data);
  g_autoptr(CrmRecord) record = crm_test_full_record (kind);
  const CrmEntityInfo *entity = crm_record_get_entity (record);
  g_autoptr(GPtrArray) present = crm_record_list_present (record);
  g_autoptr(JsonObject) object = crm_record_to_json (record);

  /* Every field is set, and every one is in the JSON. */
  g_assert_cmpuint (present->len, ==, entity->n_fields);
  g_assert_cmpuint (json_object_get_size (object), ==, entity->n_fields);
  assert_round_trip (record);
}

static void
test_round_trip_all_null (void)
{
  for (guint k = 0; k < CRM_N_ENTITIES; k++)
    {
      g_autoptr(CrmRecord) record = crm_record_new_for_kind (k);
      const CrmEntityInfo *entity = crm_record_get_entity (record);

      for (guint i = 0; i < entity->n_fields; i++)
        crm_record_set_null (record, entity->fields[i].name);
      assert_round_trip (record);
    }
}

static void
test_round_trip_extremes (void)
{
  const double doubles[] = { 0.1, 1e-300, 5e-324, 1.7976931348623157e308, -0.0, 123456789.125,
                             1e15, 0.30000000000000004, -2.5e-7 };
  const gint64 ints[] = { G_MININT64, G_MAXINT64, 0, -1, G_GINT64_CONSTANT (9007199254740993) };
  const char *strings[] = { "", "\"guillemets\" et \\barre\\", "ligne\nsuivante\ttab\r\x01",
                            "émoji 🚀 — 東京 — ﬁ", "</script>", "\xc2\xa0", NULL };
  const char *empty[] = { NULL };

  for (guint i = 0; i < G_N_ELEMENTS (doubles); i++)
    {
      g_autoptr(CrmRecord) record = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);

      crm_record_set_double (record, "aum_eur", doubles[i]);
      assert_round_trip (record);
    }
  for (guint i = 0; i < G_N_ELEMENTS (ints); i++)
    {
      g_autoptr(CrmRecord) record = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);

      crm_record_set_int (record, "version", ints[i]);
      assert_round_trip (record);
    }
  for (guint i = 0; strings[i] != NULL; i++)
    {
      g_autoptr(CrmRecord) record = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);

      crm_record_set_string (record, "notes", strings[i]);
      crm_record_set_strv (record, "tags", strings);
      assert_round_trip (record);
    }
  {
    g_autoptr(CrmRecord) record = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);

    crm_record_set_strv (record, "tags", empty);
    crm_record_set_bool (record, "is_active", FALSE);
    assert_round_trip (record);
  }
}

static void
test_to_json_types (void)
{
  g_autoptr(CrmRecord) record = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);
  g_autoptr(JsonObject) object = NULL;
  const char *tags[] = { "vip", NULL };

  crm_record_set_int (record, "version", 41);
  crm_record_set_double (record, "aum_eur", 2.0);
  crm_record_set_bool (record, "is_active", TRUE);
  crm_record_set_strv (record, "tags", tags);
  crm_record_set_null (record, "city");
  crm_record_set_string (record, "name", "Alforis");
  object = crm_record_to_json (record);

  g_assert_cmpuint (json_object_get_size (object), ==, 6);
  g_assert_true (json_node_get_value_type (json_object_get_member (object, "version"))
                 == G_TYPE_INT64);
  g_assert_true (json_node_get_value_type (json_object_get_member (object, "aum_eur"))
                 == G_TYPE_DOUBLE);
  g_assert_true (json_object_get_boolean_member (object, "is_active"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "tags")), ==, 1);
  g_assert_true (json_object_get_null_member (object, "city"));
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "Alforis");
  g_assert_false (json_object_has_member (object, "email")); /* absent stays absent */
}

static void
test_to_json_data_integer_text (void)
{
  g_autoptr(CrmRecord) record = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);
  g_autofree char *json = NULL;

  crm_record_set_int (record, "version", G_MAXINT64);
  json = crm_record_to_json_data (record, NULL);
  g_assert_cmpstr (json, ==, "{\"version\":9223372036854775807}");
}

static void
test_to_json_non_finite_is_null (void)
{
  g_autoptr(CrmRecord) record = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) node = NULL;

  crm_record_set_double (record, "aum_eur", INFINITY);
  json = crm_record_to_json_data (record, NULL);
  g_assert_cmpstr (json, ==, "{\"aum_eur\":null}");
  node = crm_json_parse_bounded (json, -1, NULL);
  g_assert_nonnull (node);
}

static void
test_from_json_partial (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRecord) record = parse_org ("{\"city\": \"Lyon\", \"country\": null}", &error);
  g_autoptr(GPtrArray) present = NULL;

  g_assert_no_error (error);
  present = crm_record_list_present (record);
  g_assert_cmpuint (present->len, ==, 2);
  g_assert_cmpstr (crm_record_get_string (record, "city"), ==, "Lyon");
  g_assert_true (crm_record_is_null (record, "country"));
}

static void
test_from_json_unknown_keys_ignored (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRecord) record =
    parse_org ("{\"name\": \"A\", \"futur\": {\"x\": [1, 2]}, \"first_name\": 3, "
               "\"big\": 123456789012345678901234567890}", &error);
  g_autoptr(GPtrArray) present = NULL;

  g_assert_no_error (error);
  present = crm_record_list_present (record);
  g_assert_cmpuint (present->len, ==, 1);
}

static void
test_from_json_numbers (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRecord) record =
    parse_org ("{\"version\": 3.0, \"aum_eur\": 12}", &error);

  g_assert_no_error (error);
  g_assert_cmpint (crm_record_get_int (record, "version"), ==, 3);
  g_assert_cmpfloat (crm_record_get_double (record, "aum_eur"), ==, 12.0);
}

static void
test_from_json_int64_extremes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRecord) max = parse_org ("{\"version\": 9223372036854775807}", &error);
  g_autoptr(CrmRecord) min = parse_org ("{\"version\": -9223372036854775808}", &error);

  g_assert_no_error (error);
  g_assert_cmpint (crm_record_get_int (max, "version"), ==, G_MAXINT64);
  g_assert_cmpint (crm_record_get_int (min, "version"), ==, G_MININT64);
}

static const struct
{
  const char *name;
  const char *json;
  const char *label;
} wrong_types[] = {
  { "text-given-number", "{\"name\": 12}", "Nom" },
  { "text-given-bool", "{\"name\": true}", "Nom" },
  { "text-given-array", "{\"city\": [\"Lyon\"]}", "Ville" },
  { "text-given-object", "{\"city\": {\"nom\": \"Lyon\"}}", "Ville" },
  { "uuid-given-number", "{\"owner_id\": 42}", "Propriétaire" },
  { "country-given-number", "{\"country\": 33}", "Pays" },
  { "int-given-string", "{\"version\": \"12\"}", "Version" },
  { "int-given-fraction", "{\"version\": 1.5}", "Version" },
  { "int-given-huge-double", "{\"version\": 1e300}", "Version" },
  { "int-given-bool", "{\"version\": false}", "Version" },
  { "int-beyond-int64", "{\"version\": 9223372036854775808}", "Version" },
  { "int-below-int64", "{\"version\": -9223372036854775809}", "Version" },
  { "int-far-beyond-int64", "{\"version\": 99999999999999999999999999999}", "Version" },
  { "decimal-given-string", "{\"aum_eur\": \"12.5\"}", "Encours (EUR)" },
  { "decimal-given-bool", "{\"aum_eur\": true}", "Encours (EUR)" },
  { "decimal-overflowing-to-infinity", "{\"aum_eur\": 1e400}", "Encours (EUR)" },
  { "decimal-integer-beyond-int64", "{\"aum_eur\": 100000000000000000000}", "Encours (EUR)" },
  { "bool-given-string", "{\"is_active\": \"true\"}", "Active" },
  { "bool-given-number", "{\"is_active\": 1}", "Active" },
  { "tags-given-string", "{\"tags\": \"vip\"}", "Étiquettes" },
  { "tags-given-numbers", "{\"tags\": [1]}", "Étiquettes" },
  { "tags-given-null-item", "{\"tags\": [\"a\", null]}", "Étiquettes" },
  { "tags-given-nested-array", "{\"tags\": [[\"a\"]]}", "Étiquettes" },
  { "tags-given-object", "{\"tags\": {}}", "Étiquettes" },
  { "escaped-key-beyond-int64", "{\"versio\\u006e\": 9223372036854775808}", "Version" },
};

static void
test_wrong_type (gconstpointer data)
{
  guint i = GPOINTER_TO_UINT (data);
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRecord) record = parse_org (wrong_types[i].json, &error);
  g_autofree char *named = g_strdup_printf ("Le champ « %s »", wrong_types[i].label);

  g_assert_null (record);
  g_assert_error (error, CRM_VALIDATION_ERROR, CRM_VALIDATION_ERROR_WRONG_TYPE);
  g_assert_true (g_str_has_prefix (error->message, named));
}

static void
test_wrong_type_message (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRecord) record = parse_org ("{\"name\": 12}", &error);

  g_assert_cmpstr (error->message, ==, "Le champ « Nom » doit être un texte entre guillemets, "
                                       "ou null.");
}

static void
test_object_invalid_utf8 (void)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonArray) tags = json_array_new ();
  g_autoptr(JsonObject) with_tags = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) tags_error = NULL;
  g_autoptr(CrmRecord) record = NULL;
  g_autoptr(CrmRecord) tagged = NULL;

  /* A JsonObject built in code, not parsed, can hold any bytes. */
  json_object_set_string_member (object, "name", "Soci\xe9t\xe9");
  record = crm_record_from_json (ORG_INFO, object, CRM_JSON_NONE, &error);
  g_assert_null (record);
  g_assert_error (error, CRM_VALIDATION_ERROR, CRM_VALIDATION_ERROR_MALFORMED);
  g_assert_true (g_str_has_prefix (error->message, "Le champ « Nom »"));

  json_array_add_string_element (tags, "ok");
  json_array_add_string_element (tags, "\xff");
  json_object_set_array_member (with_tags, "tags", json_array_ref (tags));
  tagged = crm_record_from_json (ORG_INFO, with_tags, CRM_JSON_NONE, &tags_error);
  g_assert_error (tags_error, CRM_VALIDATION_ERROR, CRM_VALIDATION_ERROR_MALFORMED);
}

static void
test_writer_doubles (void)
{
  /* json-glib 1.6 would write these as "1e-300.0" and "1e+20.0". */
  const double values[] = { 1e-300, 1e20, 3.0, -0.0, 0.1, 5e-324 };
  const char *expected[] = { "[1e-300,1e+20,3.0,-0.0,0.1,4.94065645841247e-324]" };
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) back = NULL;
  g_autofree char *text = NULL;
  gsize length;

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    json_array_add_double_element (array, values[i]);
  node = json_node_init_array (json_node_alloc (), array);
  text = crm_json_to_data (node, &length);
  g_assert_cmpstr (text, ==, expected[0]);
  g_assert_cmpuint (length, ==, strlen (text));

  back = crm_json_parse_bounded (text, -1, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    g_assert_cmpfloat (json_array_get_double_element (json_node_get_array (back), i), ==,
                       values[i]);
}

static void
test_writer_escapes (void)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  json_object_set_string_member (object, "k\"", "a\"b\\c\n\t\r\x01\x7f é");
  json_object_set_int_member (object, "i", -42);
  json_object_set_boolean_member (object, "b", FALSE);
  json_object_set_null_member (object, "n");
  node = json_node_init_object (json_node_alloc (), object);
  text = crm_json_to_data (node, NULL);
  g_assert_cmpstr (text, ==, "{\"k\\\"\":\"a\\\"b\\\\c\\n\\t\\r\\u0001\\u007f é\","
                             "\"i\":-42,\"b\":false,\"n\":null}");
}

/* The record writer (no tree) and the tree writer spell every record the same. */
static void
assert_same_text (const CrmRecord *record)
{
  g_autoptr(JsonNode) tree = crm_record_to_json_node (record);
  g_autofree char *from_tree = crm_json_to_data (tree, NULL);
  g_autofree char *direct = crm_record_to_json_data (record, NULL);
  g_autoptr(GString) appended = g_string_new ("[");

  g_assert_cmpstr (direct, ==, from_tree);
  crm_record_append_json (record, appended);
  g_assert_cmpstr (appended->str + 1, ==, from_tree);
}

static void
test_writer_record_equals_tree (void)
{
  const char *const tags[] = { "é\"\\", "\x01\t", "plain", NULL };
  g_autoptr(CrmRecord) odd = crm_test_full_record (CRM_ENTITY_ORGANISATION);
  g_autoptr(CrmRecord) partial = crm_record_new (ORG_INFO);

  for (guint k = 0; k < CRM_N_ENTITIES; k++)
    {
      g_autoptr(CrmRecord) full = crm_test_full_record (k);
      g_autoptr(CrmRecord) nulls = crm_record_new (crm_entity_get (k));

      assert_same_text (full);
      for (guint i = 0; i < crm_entity_get (k)->n_fields; i++)
        crm_record_set_null (nulls, crm_entity_get (k)->fields[i].name);
      assert_same_text (nulls);
    }

  crm_record_set_string (odd, "name", "Caf\xc3\xa9 \"Z\" \\ \n\x7f");
  crm_record_set_string (odd, "notes", "bad \xff utf-8");
  crm_record_set_strv (odd, "tags", tags);
  crm_record_set_double (odd, "aum_eur", 1e20);
  assert_same_text (odd);

  crm_record_set_string (partial, "name", "Seul");
  assert_same_text (partial);
}

/* Lists as the store reads them: the plain form without a parser, anything else with
 * one, the same strings either way. */
static void
test_strv_from_text (void)
{
  const struct
  {
    const char *text;
    const char *joined;  /* NULL: refused */
  } cases[] = {
    { "[\"a\",\"b\"]", "a|b" },
    { "[]", "" },
    { "[\"\"]", "" },
    { "[\"\xc3\xa9t\xc3\xa9\"]", "\xc3\xa9t\xc3\xa9" },
    { "[ \"a\" , \"b\" ]", "a|b" },
    { "[\"a\\\"b\"]", "a\"b" },
    { "[\"\\u00e9\"]", "\xc3\xa9" },
    { "[\"a\",1]", NULL },
    { "[\"a\"]x", NULL },
    { "[\"a\"", NULL },
    { "[\"a\",]", NULL },
    { "[\"\xff\"]", NULL },
    { "{}", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CrmRecord) record = crm_record_new (ORG_INFO);
      g_autoptr(GError) error = NULL;
      gboolean ok = crm_record_set_from_text (record, "tags", cases[i].text, &error);

      g_test_message ("%s", cases[i].text);
      if (cases[i].joined == NULL)
        {
          g_assert_false (ok);
          g_assert_nonnull (error);
        }
      else
        {
          g_autofree char *joined = NULL;

          g_assert_no_error (error);
          joined = g_strjoinv ("|", (char **) crm_record_get_strv (record, "tags"));
          g_assert_cmpstr (joined, ==, cases[i].joined);
        }
    }
}

static void
test_skip_readonly (void)
{
  const char *json = "{\"name\": \"A\", \"version\": 4, \"deleted\": true, "
                     "\"created_at\": \"2026-03-01T09:30:00Z\", \"owner_id\": null}";
  g_autoptr(CrmRecord) kept = NULL;
  g_autoptr(CrmRecord) skipped = NULL;
  g_autoptr(GPtrArray) present = NULL;

  kept = crm_record_from_json_data (ORG_INFO, json, -1, CRM_JSON_NONE, NULL);
  g_assert_true (crm_record_has (kept, "version"));
  g_assert_true (crm_record_has (kept, "deleted"));

  skipped = crm_record_from_json_data (ORG_INFO, json, -1, CRM_JSON_SKIP_READONLY, NULL);
  present = crm_record_list_present (skipped);
  g_assert_cmpuint (present->len, ==, 2); /* name, and owner_id, which is not read-only */
  g_assert_false (crm_record_has (skipped, "created_at"));
  g_assert_true (crm_record_validate (skipped, CRM_VALIDATE_CREATE, NULL));
}

static void
test_skip_readonly_ignores_bad_types (void)
{
  /* A dropped key is not looked at: its type does not matter. */
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRecord) record =
    crm_record_from_json_data (ORG_INFO, "{\"version\": \"x\", \"deleted\": 99999999999999999999}",
                               -1, CRM_JSON_SKIP_READONLY, &error);

  g_assert_no_error (error);
  g_assert_nonnull (record);
}

static const struct
{
  const char *name;
  const char *data;
  gssize      length;
} malformed[] = {
  { "empty", "", -1 },
  { "whitespace-only", " \n\t ", -1 },
  { "array-root", "[]", -1 },
  { "string-root", "\"Alforis\"", -1 },
  { "number-root", "1", -1 },
  { "null-root", "null", -1 },
  { "truncated", "{\"name\": \"A\"", -1 },
  { "unterminated-string", "{\"name\": \"A}", -1 },
  { "trailing-garbage", "{} x", -1 },
  { "two-documents", "{\"name\": \"A\"}{}", -1 },
  { "trailing-comma", "{\"name\": \"A\",}", -1 },
  { "block-comment", "/* c */ {\"name\": \"A\"}", -1 },
  { "comment-hiding-brackets", "{\"tags\": [\"a\" /* \" */ ]}", -1 },
  { "hash-comment", "# c\n{\"name\": \"A\"}", -1 },
  { "single-quotes", "{'name': 'A'}", -1 },
  { "hexadecimal", "{\"version\": 0x10}", -1 },
  { "leading-zero", "{\"version\": 010}", -1 },
  { "leading-dot", "{\"aum_eur\": .5}", -1 },
  { "lone-minus", "{\"version\": -}", -1 },
  { "exponent-without-digits", "{\"aum_eur\": 1e}", -1 },
  { "nan-literal", "{\"aum_eur\": NaN}", -1 },
  { "infinity-literal", "{\"aum_eur\": Infinity}", -1 },
  { "bare-word", "{\"name\": Alforis}", -1 },
  { "unquoted-key", "{name: \"A\"}", -1 },
  { "invalid-utf8", "{\"name\": \"\xff\"}", -1 },
  { "overlong-utf8", "{\"name\": \"\xc0\xaf\"}", -1 },
  { "invalid-utf8-outside-string", "{\"name\": \"A\"}\xe9", -1 },
  { "embedded-nul-byte", "{\"name\": \"A\0B\"}", 15 },
  { "escaped-nul", "{\"name\": \"A\\u0000B\"}", -1 },
  { "lone-surrogate-escape", "{\"name\": \"\\ud800\"}", -1 },
  { "lone-surrogate-before-text", "{\"name\": \"\\ud800-abc\"}", -1 },
  { "lone-low-surrogate", "{\"name\": \"\\udc00\"}", -1 },
  { "bad-escape", "{\"name\": \"\\q\"}", -1 },
  { "short-unicode-escape", "{\"name\": \"\\u12\"}", -1 },
  { "raw-newline-in-string", "{\"name\": \"a\nb\"}", -1 },
};

static void
test_malformed (gconstpointer data)
{
  guint i = GPOINTER_TO_UINT (data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(CrmRecord) record = NULL;
  g_autoptr(JsonNode) node = NULL;

  record = crm_record_from_json_data (ORG_INFO, malformed[i].data, malformed[i].length,
                                      CRM_JSON_NONE, &error);
  g_assert_null (record);
  g_assert_error (error, CRM_VALIDATION_ERROR, CRM_VALIDATION_ERROR_MALFORMED);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_test_message ("%s", error->message);

  /* Non-object roots are fine for the generic parser; the rest is not. */
  node = crm_json_parse_bounded (malformed[i].data, malformed[i].length, &parse_error);
  if (node == NULL)
    g_assert_error (parse_error, CRM_VALIDATION_ERROR, CRM_VALIDATION_ERROR_MALFORMED);
  else
    g_assert_false (JSON_NODE_HOLDS_OBJECT (node));
}

static void
test_null_data (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (crm_record_from_json_data (ORG_INFO, NULL, -1, CRM_JSON_NONE, &error));
  g_assert_error (error, CRM_VALIDATION_ERROR, CRM_VALIDATION_ERROR_MALFORMED);
}

/* {"notes":"aaa…"} of exactly @size bytes. */
static char *
document_of_size (gsize size)
{
  const char *head = "{\"notes\":\"";
  GString *doc = g_string_new (head);

  while (doc->len < size - 2)
    g_string_append_c (doc, 'a');
  g_string_append (doc, "\"}");
  g_assert_cmpuint (doc->len, ==, size);
  return g_string_free (doc, FALSE);
}

static void
test_size_limit (void)
{
  g_autofree char *at_limit = document_of_size (CRM_JSON_MAX_DOCUMENT);
  g_autofree char *over = document_of_size (CRM_JSON_MAX_DOCUMENT + 1);
  g_autoptr(CrmRecord) ok = NULL;
  g_autoptr(CrmRecord) too_big = NULL;
  g_autoptr(CrmRecord) too_big_sized = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) sized_error = NULL;

  ok = crm_record_from_json_data (ORG_INFO, at_limit, -1, CRM_JSON_NONE, NULL);
  g_assert_nonnull (ok);
  too_big = crm_record_from_json_data (ORG_INFO, over, -1, CRM_JSON_NONE, &error);
  g_assert_null (too_big);
  g_assert_error (error, CRM_VALIDATION_ERROR, CRM_VALIDATION_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "2 Mio"));
  too_big_sized = crm_record_from_json_data (ORG_INFO, over, (gssize) strlen (over),
                                             CRM_JSON_NONE, &sized_error);
  g_assert_error (sized_error, CRM_VALIDATION_ERROR, CRM_VALIDATION_ERROR_MALFORMED);
}

/* {"a":{"a":…{"name":"x"}…}} with @depth objects in all. */
static char *
nested_document (guint depth)
{
  GString *doc = g_string_new (NULL);

  for (guint i = 1; i < depth; i++)
    g_string_append (doc, "{\"a\":");
  g_string_append (doc, "{\"name\":\"x\"}");
  for (guint i = 1; i < depth; i++)
    g_string_append_c (doc, '}');
  return g_string_free (doc, FALSE);
}

static void
test_depth_limit (void)
{
  g_autofree char *at_limit = nested_document (CRM_JSON_MAX_DEPTH);
  g_autofree char *over = nested_document (CRM_JSON_MAX_DEPTH + 1);
  g_autoptr(JsonNode) ok = NULL;
  g_autoptr(JsonNode) too_deep = NULL;
  g_autoptr(GError) error = NULL;

  ok = crm_json_parse_bounded (at_limit, -1, NULL);
  g_assert_nonnull (ok);
  too_deep = crm_json_parse_bounded (over, -1, &error);
  g_assert_null (too_deep);
  g_assert_error (error, CRM_VALIDATION_ERROR, CRM_VALIDATION_ERROR_MALFORMED);
}

static void
test_depth_huge_no_crash (void)
{
  /* A million brackets would overflow json-glib's recursive parser. */
  gsize n = 1000000;
  g_autofree char *doc = g_malloc (2 * n + 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRecord) record = NULL;

  memset (doc, '[', n);
  memset (doc + n, ']', n);
  doc[2 * n] = '\0';
  record = crm_record_from_json_data (ORG_INFO, doc, -1, CRM_JSON_NONE, &error);
  g_assert_null (record);
  g_assert_error (error, CRM_VALIDATION_ERROR, CRM_VALIDATION_ERROR_MALFORMED);
}

static void
test_depth_brackets_in_strings_ignored (void)
{
  g_autoptr(GString) tag = g_string_new (NULL);
  g_autofree char *doc = NULL;
  g_autoptr(CrmRecord) record = NULL;

  for (guint i = 0; i < 100; i++)
    g_string_append (tag, "[{\\\"");
  doc = g_strdup_printf ("{\"notes\": \"%s\"}", tag->str);
  record = crm_record_from_json_data (ORG_INFO, doc, -1, CRM_JSON_NONE, NULL);
  g_assert_nonnull (record);
}

static void
test_parse_bounded_overflow_anywhere (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) deep_error = NULL;
  g_autoptr(JsonNode) top = crm_json_parse_bounded ("{\"version\": 18446744073709551616}", -1,
                                                    &error);
  g_autoptr(JsonNode) deep =
    crm_json_parse_bounded ("{\"ops\": [{\"fields\": {\"version\": 9223372036854775808}}]}", -1,
                            &deep_error);

  /* The caller could not tell a wrapped-around number from a real one. */
  g_assert_null (top);
  g_assert_error (error, CRM_VALIDATION_ERROR, CRM_VALIDATION_ERROR_WRONG_TYPE);
  g_assert_nonnull (strstr (error->message, "« version »"));
  g_assert_null (deep);
  g_assert_error (deep_error, CRM_VALIDATION_ERROR, CRM_VALIDATION_ERROR_WRONG_TYPE);
}

static void
test_parse_bounded_valid (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node =
    crm_json_parse_bounded ("  {\"a\": [1, -2.5e3, true, null, \"\\u00e9\", \"\\ud83d\\ude80\"]} ",
                            -1, &error);
  JsonArray *array;

  g_assert_no_error (error);
  array = json_object_get_array_member (json_node_get_object (node), "a");
  g_assert_cmpuint (json_array_get_length (array), ==, 6);
  g_assert_cmpstr (json_array_get_string_element (array, 4), ==, "é");
  g_assert_cmpstr (json_array_get_string_element (array, 5), ==, "🚀");
}

#define FUZZ_ITERATIONS 6000

static const char *const fuzz_fragments[] = {
  "{", "}", "[", "]", "\"", ":", ",", "\\", "\\u0000", "\\ud800", "null", "true", "1e400",
  "-0", "9223372036854775808", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "\xff", "\xc3", "é",
  "\"version\":", "\"tags\":[", "\"name\":", "/*", "'", "0x1", "{\"a\":", "\n", " ",
};

/* One hostile document made from @base: truncated, flipped, spliced or random.
 * A GString holds it because it may contain any byte, NUL included. */
static GString *
mutate (GRand      *rand,
        const char *base)
{
  GString *doc = g_string_new (base);
  gsize len = doc->len;
  gsize pos;

  switch (g_rand_int_range (rand, 0, 6))
    {
    case 0: /* truncated */
      g_string_truncate (doc, g_rand_int_range (rand, 0, (gint32) len + 1));
      break;
    case 1: /* bytes flipped */
      for (guint n = g_rand_int_range (rand, 1, 8); n > 0 && doc->len > 0; n--)
        doc->str[g_rand_int_range (rand, 0, (gint32) doc->len)] = (char) g_rand_int (rand);
      break;
    case 2: /* fragments inserted */
      for (guint n = g_rand_int_range (rand, 1, 6); n > 0; n--)
        {
          const char *frag = fuzz_fragments[g_rand_int_range (rand, 0,
                                                              G_N_ELEMENTS (fuzz_fragments))];

          pos = g_rand_int_range (rand, 0, (gint32) doc->len + 1);
          g_string_insert_len (doc, (gssize) pos, frag, -1);
        }
      break;
    case 3: /* a span removed */
      pos = g_rand_int_range (rand, 0, (gint32) len + 1);
      g_string_erase (doc, (gssize) pos, g_rand_int_range (rand, 0, (gint32) (len - pos) + 1));
      break;
    case 4: /* random bytes */
      g_string_set_size (doc, g_rand_int_range (rand, 0, 64));
      for (gsize i = 0; i < doc->len; i++)
        doc->str[i] = (char) g_rand_int (rand);
      break;
    default: /* deep nesting around the document */
      for (guint n = g_rand_int_range (rand, 0, 80); n > 0; n--)
        {
          g_string_prepend_c (doc, '[');
          if (g_rand_boolean (rand))
            g_string_append_c (doc, ']');
        }
      break;
    }

  return doc;
}

/* Whatever is accepted must survive validation and an exact round trip. */
static gboolean
check_hostile (const CrmEntityInfo *entity,
               const GString       *doc,
               CrmJsonFlags         flags)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRecord) record = NULL;
  g_autoptr(CrmRecord) again = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autofree char *json = NULL;
  g_autofree char *text = g_strndup (doc->str, doc->len);
  const CrmFieldInfo *tags = crm_entity_field (crm_entity_get (CRM_ENTITY_ORGANISATION), "tags");

  /* The tag list text path parses JSON too. */
  crm_validate_field_text (tags, text, NULL);

  record = crm_record_from_json_data (entity, doc->str, (gssize) doc->len, flags, &error);
  if (record == NULL)
    {
      g_assert_true (error != NULL && error->domain == CRM_VALIDATION_ERROR);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return FALSE;
    }

  errors = crm_record_validate_all (record, CRM_VALIDATE_UPDATE);
  for (guint i = 0; i < errors->len; i++)
    g_assert_true (g_utf8_validate (((CrmFieldError *) errors->pdata[i])->message, -1, NULL));

  json = crm_record_to_json_data (record, NULL);
  again = crm_record_from_json_data (entity, json, -1, CRM_JSON_NONE, NULL);
  g_assert_nonnull (again);
  if (!crm_record_equal (record, again))
    g_test_message ("accepted: %s\nwritten: %s", text, json);
  g_assert_true (crm_record_equal (record, again));
  return TRUE;
}

static void
test_hostile_documents (void)
{
  const char *env = g_getenv ("CRM_FUZZ_SEED");
  guint32 seed = env != NULL ? (guint32) g_ascii_strtoull (env, NULL, 10) : 20260301;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GPtrArray) bases = g_ptr_array_new_with_free_func (g_free);
  guint accepted = 0;

  g_test_message ("hostile JSON seed %u (set CRM_FUZZ_SEED to change it)", seed);
  for (guint k = 0; k < CRM_N_ENTITIES; k++)
    {
      g_autoptr(CrmRecord) record = crm_test_full_record (k);

      g_ptr_array_add (bases, crm_record_to_json_data (record, NULL));
    }

  for (guint i = 0; i < FUZZ_ITERATIONS; i++)
    {
      guint k = g_rand_int_range (rand, 0, CRM_N_ENTITIES);
      g_autoptr(GString) doc = mutate (rand, g_ptr_array_index (bases, k));
      CrmJsonFlags flags = g_rand_boolean (rand) ? CRM_JSON_SKIP_READONLY : CRM_JSON_NONE;

      accepted += check_hostile (crm_entity_get (k), doc, flags) ? 1 : 0;
    }

  /* Some mutations are harmless (a flipped letter inside a string): the
   * loop must have exercised both outcomes. */
  g_test_message ("%u of %u hostile documents accepted", accepted, FUZZ_ITERATIONS);
  g_assert_cmpuint (accepted, >, 0);
  g_assert_cmpuint (accepted, <, FUZZ_ITERATIONS);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  for (guint k = 0; k < CRM_N_ENTITIES; k++)
    {
      g_autofree char *path = g_strdup_printf ("/core/json/round-trip/%s",
                                               crm_entity_get (k)->name);

      g_test_add_data_func (path, GUINT_TO_POINTER (k), test_round_trip_entity);
    }
  g_test_add_func ("/core/json/round-trip/all-null", test_round_trip_all_null);
  g_test_add_func ("/core/json/round-trip/extreme-values", test_round_trip_extremes);
  g_test_add_func ("/core/json/to-json/native-types", test_to_json_types);
  g_test_add_func ("/core/json/to-json/int64-as-integer-text", test_to_json_data_integer_text);
  g_test_add_func ("/core/json/to-json/non-finite-is-null", test_to_json_non_finite_is_null);
  g_test_add_func ("/core/json/from-json/partial", test_from_json_partial);
  g_test_add_func ("/core/json/from-json/unknown-keys-ignored",
                   test_from_json_unknown_keys_ignored);
  g_test_add_func ("/core/json/from-json/integral-numbers", test_from_json_numbers);
  g_test_add_func ("/core/json/from-json/int64-extremes", test_from_json_int64_extremes);
  for (guint i = 0; i < G_N_ELEMENTS (wrong_types); i++)
    {
      g_autofree char *path = g_strdup_printf ("/core/json/wrong-type/%s", wrong_types[i].name);

      g_test_add_data_func (path, GUINT_TO_POINTER (i), test_wrong_type);
    }
  g_test_add_func ("/core/json/wrong-type/message", test_wrong_type_message);
  g_test_add_func ("/core/json/from-json/object-invalid-utf8", test_object_invalid_utf8);
  g_test_add_func ("/core/json/writer/doubles-parse-back", test_writer_doubles);
  g_test_add_func ("/core/json/writer/escapes", test_writer_escapes);
  g_test_add_func ("/core/json/writer/record-equals-tree", test_writer_record_equals_tree);
  g_test_add_func ("/core/json/strv/from-text", test_strv_from_text);
  g_test_add_func ("/core/json/skip-readonly/drops-readonly-keys", test_skip_readonly);
  g_test_add_func ("/core/json/skip-readonly/ignores-their-types",
                   test_skip_readonly_ignores_bad_types);
  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_autofree char *path = g_strdup_printf ("/core/json/malformed/%s", malformed[i].name);

      g_test_add_data_func (path, GUINT_TO_POINTER (i), test_malformed);
    }
  g_test_add_func ("/core/json/malformed/null-data", test_null_data);
  g_test_add_func ("/core/json/limits/size", test_size_limit);
  g_test_add_func ("/core/json/limits/depth", test_depth_limit);
  g_test_add_func ("/core/json/limits/million-brackets", test_depth_huge_no_crash);
  g_test_add_func ("/core/json/limits/brackets-in-strings-ignored",
                   test_depth_brackets_in_strings_ignored);
  g_test_add_func ("/core/json/parse-bounded/overflow-anywhere",
                   test_parse_bounded_overflow_anywhere);
  g_test_add_func ("/core/json/parse-bounded/valid", test_parse_bounded_valid);
  g_test_add_func ("/core/json/hostile/never-crash", test_hostile_documents);

  return g_test_run ();
}

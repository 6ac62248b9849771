/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-store-json"

#include "config.h"

#include <string.h>

#include "crm-json.h"
#include "crm-pg-private.h"
#include "store-test.h"

/*
 * The list pages written straight from PostgreSQL's result (crm-pg-json.c): the
 * string escaper against json-glib's parser and core's writer over hostile strings,
 * and whole pages against what the records write for the same rows.
 */

#define ADD(path, func) \
  g_test_add (path, StoreFixture, NULL, store_fixture_setup, func, store_fixture_teardown)

/* Hostile strings, with their lengths (some hold a NUL or invalid UTF-8). */
static const struct
{
  const char *text;
  gssize      length;
} hostile[] = {
  { "", -1 },
  { "plain ASCII", -1 },
  { "\"", -1 },
  { "\\", -1 },
  { "\\\"\\\"", -1 },
  { "a\"b\\c/d", -1 },
  { "\n\r\t\b\f", -1 },
  { "\x01\x02\x1f\x7f", -1 },
  { "fin \x7f", -1 },
  { "Société Générale — œuvre « citée »", -1 },
  { "emoji 😀 and \xf0\x9f\x8f\xb3\xef\xb8\x8f", -1 },
  { "\xe2\x80\xa8\xe2\x80\xa9 separators", -1 },
  { "</script><script>alert(1)</script>", -1 },
  { "'; DROP TABLE organisations; --", -1 },
  { "\\u0000 not an escape", -1 },
  { "nul\0inside", 10 },
  { "bad \xff\xfe utf-8", -1 },
  { "cut \xc3", -1 },
  { "overlong \xc0\xaf", -1 },
  { "surrogate \xed\xa0\x80", -1 },
  /* Longer than a machine word, the special byte at each place of a word. */
  { "0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz", -1 },
  { "0123456\"89abcdef", -1 },
  { "01234567\\9abcdef", -1 },
  { "012345678\x01" "abcdefgh", -1 },
  { "abcdefg\x7f", -1 },
  { "abcdefgh\x1f" "", -1 },
  { "\x7f" "abcdefghijklmnop", -1 },
  { "eight ok, then: Société Générale, then plain again for a while", -1 },
  { "sixteen bytes ok\xff" " then invalid", -1 },
  { "0123456789abcdef\n0123456789abcdef\t0123456789abcdef\r", -1 },
  { "space \x20 and tilde ~ and bang ! and hash # are plain, all of them", -1 },
};

static char *
escape (const char *text,
        gssize      length)
{
  GString *out = g_string_new (NULL);

  crm_pg_json_append_string (out, text, length);
  return g_string_free (out, FALSE);
}

/* Every hostile string is one JSON string json-glib reads back as the same text (the
 * valid UTF-8 version of it), with no raw control character left in it. */
static void
test_escape_parses_back (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      gsize size = hostile[i].length < 0 ? strlen (hostile[i].text) : (gsize) hostile[i].length;
      g_autofree char *json = escape (hostile[i].text, hostile[i].length);
      g_autofree char *document = g_strconcat ("[", json, "]", NULL);
      g_autofree char *expected = g_utf8_make_valid (hostile[i].text, (gssize) size);
      g_autoptr (JsonParser) parser = json_parser_new ();
      g_autoptr (GError) error = NULL;
      JsonArray *array;

      g_test_message ("%u: %s", i, json);
      for (const char *p = json; *p != '\0'; p++)
        g_assert_true ((guchar) *p >= 0x20 && (guchar) *p != 0x7f);
      g_assert_true (g_utf8_validate (json, -1, NULL));
      g_assert_true (json_parser_load_from_data (parser, document, -1, &error));
      g_assert_no_error (error);
      array = json_node_get_array (json_parser_get_root (parser));
      g_assert_cmpuint (json_array_get_length (array), ==, 1);
      if (memchr (hostile[i].text, '\0', size) == NULL)
        g_assert_cmpstr (json_array_get_string_element (array, 0), ==, expected);
      else
        g_assert_cmpstr (json_array_get_string_element (array, 0), ==, "nul");
    }
}

/* The same bytes as core's writer (crm_json_to_data), which wrote these pages before. */
static void
test_escape_matches_core (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autoptr (JsonNode) node = json_node_new (JSON_NODE_VALUE);
      g_autofree char *ours = NULL;
      g_autofree char *core = NULL;

      if (hostile[i].length >= 0)
        continue;  /* a NUL: core's strings end there */
      json_node_set_string (node, hostile[i].text);
      ours = escape (hostile[i].text, -1);
      core = crm_json_to_data (node, NULL);
      g_assert_cmpstr (ours, ==, core);
    }
}

/* The page of crm_store_list () as the handler used to write it. */
static char *
page_from_records (GPtrArray *rows)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      if (i > 0)
        g_string_append_c (text, ',');
      crm_record_append_json (g_ptr_array_index (rows, i), text);
    }
  return g_string_free (text, FALSE);
}

/* Organisation rows holding what validation would never let in (written by SQL behind
 * the store's back), every kind of column, NULLs. */
static const char *const assignments[] = {
  "name = E'quote \" backslash \\\\ tab \\t nl \\n cr \\r bell \\x07 del \\x7f'",
  "notes = E'Société — œuvre 😀 \\u2028', tags = ARRAY['a \"b\"', 'c\\\\d', 'é', 'null', "
  "E'x\\x7fy', E'\\x01', 'with space']",
  "aum_eur = 0.1, tags = ARRAY[]::text[]",
  "aum_eur = 1234567.891, tags = NULL, city = NULL",
  "aum_eur = 1000000000000000, is_active = NULL",
  "aum_eur = 12.50, is_active = false",
  "aum_eur = 0, created_at = '2026-03-01T10:00:00Z', updated_at = '2026-03-01T10:00:00.5Z'",
  "aum_eur = -3, website = E'https://exemple.fr/?a=1&b=\"2\"'",
  "aum_eur = 0.000001234, email = NULL",
  "aum_eur = 123456789012345678, tags = ARRAY['premium','esg']",
  "aum_eur = 0.0001234",
  "aum_eur = 0.00001234",
  "aum_eur = 99999999999999.9",
  "aum_eur = 999999999999999.9",
  "aum_eur = -0.50",
  "aum_eur = 100000.00",
  "aum_eur = 120.000",
  "aum_eur = 0.1000000000000001",
  "aum_eur = 10203.04050607",
  "aum_eur = 100000000000000",
  "aum_eur = 1000000000000000.00",
  "aum_eur = 0.30",
  "aum_eur = -0.0001, created_at = '0999-01-02 03:04:05.000007+00'",
  "aum_eur = 12345678901234567890.123456789, updated_at = '1999-12-31 23:59:59.999999+00'",
  "aum_eur = 0.000000000000000000001, created_at = '1970-01-01 00:00:00+00'",
  "aum_eur = 10000, updated_at = '2000-02-29 12:00:00.1+05'",
  "aum_eur = 99990000.0000, created_at = '9999-12-31 23:59:59+00'",
  "aum_eur = 1.5e3, created_at = '1600-03-01 00:00:00+00'",
};

static void
set_column (StoreFixture *f,
            const char   *id,
            const char   *assignment)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE organisations SET %s WHERE id = '%s'",
                                          assignment, id);

  store_test_exec (f->conn, sql);
}

/* Rows holding what validation would never let in (written by SQL behind the store's
 * back), every kind of column, NULLs: the JSON page and the records' page are the same
 * bytes, page after page, and so are the cursors. */
static void
test_page_matches_records (StoreFixture  *f,
                           gconstpointer  data)
{
  g_autoptr (CrmStoreQuery) query = crm_store_query_new (CRM_ENTITY_ORGANISATION);
  g_autofree char *cursor = NULL;
  guint pages = 0;
  guint rows_seen = 0;

  for (guint i = 0; i < G_N_ELEMENTS (assignments); i++)
    {
      g_autofree char *name = g_strdup_printf ("Org %02u", i);
      g_autofree char *id = store_test_create (f->conn, f->user,
                                               store_test_fields (CRM_ENTITY_ORGANISATION,
                                                                  "name", name, NULL));

      set_column (f, id, assignments[i]);
    }

  crm_store_query_sort (query, "name", FALSE);
  crm_store_query_set_limit (query, 3);
  do
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) rows = NULL;
      g_autoptr (GString) items = g_string_new ("[");
      g_autofree char *expected = NULL;
      g_autofree char *records = NULL;
      g_autofree char *next_records = NULL;
      g_autofree char *next_json = NULL;
      g_autoptr (JsonParser) parser = json_parser_new ();

      crm_store_query_set_after (query, cursor);
      rows = crm_store_list (f->conn, f->admin, query, &next_records, &error);
      g_assert_no_error (error);
      g_assert_true (crm_store_list_json (f->conn, f->admin, query, items, NULL, &next_json, &error));
      g_assert_no_error (error);

      records = page_from_records (rows);
      expected = g_strconcat ("[", records, NULL);
      g_assert_cmpstr (items->str, ==, expected);
      g_assert_cmpstr (next_json, ==, next_records);
      g_string_append_c (items, ']');
      g_assert_true (json_parser_load_from_data (parser, items->str, -1, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (json_array_get_length (json_node_get_array (
                          json_parser_get_root (parser))), ==, rows->len);

      rows_seen += rows->len;
      pages++;
      g_free (cursor);
      cursor = g_steal_pointer (&next_json);
    }
  while (cursor != NULL);
  g_assert_cmpuint (rows_seen, ==, G_N_ELEMENTS (assignments));
  g_assert_cmpuint (pages, ==, (G_N_ELEMENTS (assignments) + 2) / 3);
}

/* What the JSON path refuses, it refuses as the record path does (an error, no page):
 * here a user who may not read, and a bad cursor. */
static void
test_page_errors (StoreFixture  *f,
                  gconstpointer  data)
{
  g_autoptr (CrmStoreQuery) query = crm_store_query_new (CRM_ENTITY_ORGANISATION);
  g_autoptr (GString) items = g_string_new ("before");
  g_autoptr (GError) error = NULL;
  char *next = NULL;

  crm_store_query_set_after (query, "bm90IGEgY3Vyc29y");
  g_assert_false (crm_store_list_json (f->conn, f->user, query, items, NULL, &next, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_assert_null (next);
  g_assert_cmpstr (items->str, ==, "before");
}

/* Timestamps travel in binary: a session with another DateStyle or time zone gets the
 * same page, to the byte. */
static void
test_page_whatever_datestyle (StoreFixture  *f,
                              gconstpointer  data)
{
  g_autoptr (CrmStoreQuery) query = crm_store_query_new (CRM_ENTITY_ORGANISATION);
  g_autoptr (GString) iso = g_string_new (NULL);
  g_autoptr (GString) other = g_string_new (NULL);
  g_autoptr (GError) error = NULL;

  g_free (store_test_create (f->conn, f->user,
                             store_test_fields (CRM_ENTITY_ORGANISATION, "name", "Datée",
                                                NULL)));
  store_test_exec (f->conn, "UPDATE organisations SET created_at = '2026-03-01 10:00:00.25+00'");
  g_assert_true (crm_store_list_json (f->conn, f->admin, query, iso, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (iso->str, "\"created_at\":\"2026-03-01T10:00:00.250000Z\""));

  store_test_exec (f->conn, "SET DateStyle = 'SQL, DMY'");
  store_test_exec (f->conn, "SET TimeZone = 'Pacific/Kiritimati'");
  g_assert_true (crm_store_list_json (f->conn, f->admin, query, other, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (other->str, ==, iso->str);
}

static guint
count_items (StoreFixture   *f,
             const CrmActor *actor)
{
  g_autoptr (CrmStoreQuery) query = crm_store_query_new (CRM_ENTITY_ORGANISATION);
  g_autoptr (GString) items = g_string_new ("[");
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();

  g_assert_true (crm_store_list_json (f->conn, actor, query, items, NULL, NULL, &error));
  g_assert_no_error (error);
  g_string_append_c (items, ']');
  g_assert_true (json_parser_load_from_data (parser, items->str, -1, NULL));
  return json_array_get_length (json_node_get_array (json_parser_get_root (parser)));
}

/* An actor made from a token's claims (no query) lists what the loaded actor lists
 * while the user row agrees with the claims, and nothing once it does not: another
 * epoch, role or team, or a deactivated account. */
static void
test_unchecked_actor_checks_user_row (StoreFixture  *f,
                                      gconstpointer  data)
{
  const CrmActor *user = f->user;
  g_autofree char *epoch_sql = NULL;
  g_autoptr (CrmActor) claimed = NULL;
  g_autoptr (CrmActor) old_epoch = NULL;
  g_autoptr (CrmActor) other_role = NULL;
  g_autoptr (CrmActor) other_team = NULL;
  g_autoptr (CrmActor) fresh = NULL;

  for (guint i = 0; i < 3; i++)
    g_free (store_test_create (f->conn, f->user,
                               store_test_fields (CRM_ENTITY_ORGANISATION, "name", "À moi",
                                                  NULL)));
  g_free (store_test_create (f->conn, f->other,
                             store_test_fields (CRM_ENTITY_ORGANISATION, "name", "Pas à moi",
                                                NULL)));

  /* Nothing cached for a role the user never had: the caller must load the actor. */
  g_assert_null (crm_store_actor_from_claims (user->user_id, "admin", user->team_id,
                                              user->epoch));
  claimed = crm_store_actor_from_claims (user->user_id, "user", user->team_id, user->epoch);
  g_assert_nonnull (claimed);
  g_assert_true (claimed->unchecked);
  g_assert_false (user->unchecked);
  g_assert_cmpuint (count_items (f, user), ==, 3);
  g_assert_cmpuint (count_items (f, claimed), ==, 3);

  /* The team in the token is not the row's: nothing. */
  other_team = crm_store_actor_from_claims (user->user_id, "user", f->team_b, user->epoch);
  g_assert_cmpuint (count_items (f, other_team), ==, 0);

  /* A role change: the row's role and epoch move on; the old claims list nothing. */
  epoch_sql = g_strdup_printf ("UPDATE users SET role = 'manager', epoch = epoch + 1"
                               " WHERE id = '%s'", user->user_id);
  store_test_exec (f->conn, epoch_sql);
  g_assert_cmpuint (count_items (f, claimed), ==, 0);
  fresh = crm_store_load_actor (f->conn, user->user_id, NULL, NULL);
  g_assert_nonnull (fresh);
  other_role = crm_store_actor_from_claims (user->user_id, "user", user->team_id,
                                            fresh->epoch);
  g_assert_null (other_role);  /* (user, new epoch) was never cached with role "user" */
  g_clear_pointer (&fresh, crm_actor_free);

  /* Back as it was (and cached so again), then deactivated with the same epoch:
   * nothing either. */
  g_free (epoch_sql);
  epoch_sql = g_strdup_printf ("UPDATE users SET role = 'user', epoch = %" G_GINT64_FORMAT
                               " WHERE id = '%s'", user->epoch, user->user_id);
  store_test_exec (f->conn, epoch_sql);
  fresh = crm_store_load_actor (f->conn, user->user_id, NULL, NULL);
  g_assert_nonnull (fresh);
  old_epoch = crm_store_actor_from_claims (user->user_id, "user", user->team_id, user->epoch);
  g_assert_nonnull (old_epoch);
  g_assert_cmpuint (count_items (f, old_epoch), ==, 3);
  g_free (epoch_sql);
  epoch_sql = g_strdup_printf ("UPDATE users SET is_active = false WHERE id = '%s'",
                               user->user_id);
  store_test_exec (f->conn, epoch_sql);
  g_assert_cmpuint (count_items (f, old_epoch), ==, 0);
}

/* Only the list checks the user row inside its statement: the other entry points
 * refuse an actor made from a token alone (a programming error, not an answer). */
static void
test_unchecked_actor_refused_elsewhere (StoreFixture  *f,
                                        gconstpointer  data)
{
  const CrmEntityKind everything[] = { CRM_ENTITY_ORGANISATION, CRM_N_ENTITIES };
  g_autofree char *id = store_test_create (f->conn, f->user,
                                           store_test_fields (CRM_ENTITY_ORGANISATION, "name",
                                                              "Gardée", NULL));
  g_autoptr (CrmActor) claimed = crm_store_actor_from_claims (f->user->user_id, "user",
                                                              f->user->team_id, f->user->epoch);
  g_autoptr (CrmRecord) fields = store_test_fields (CRM_ENTITY_ORGANISATION, "city", "Lyon",
                                                    NULL);
  CrmMutation op = { 0 };
  CrmMutationResult *result = NULL;

  g_assert_nonnull (claimed);
  op.kind = CRM_MUTATION_UPDATE;
  op.entity = CRM_ENTITY_ORGANISATION;
  op.id = id;
  op.base_version = 1;
  op.fields = fields;

  g_test_expect_message ("crm-store", G_LOG_LEVEL_CRITICAL, "*unchecked*");
  g_assert_null (crm_store_get (f->conn, claimed, CRM_ENTITY_ORGANISATION, id, NULL));
  g_test_assert_expected_messages ();
  g_test_expect_message ("crm-store", G_LOG_LEVEL_CRITICAL, "*unchecked*");
  g_assert_null (crm_store_search (f->conn, claimed, "Gardée", everything, 10, NULL));
  g_test_assert_expected_messages ();
  g_test_expect_message ("crm-store", G_LOG_LEVEL_CRITICAL, "*unchecked*");
  g_assert_false (crm_store_mutate (f->conn, claimed, &op, &result, NULL));
  g_test_assert_expected_messages ();
  g_assert_null (result);
  g_assert_cmpint (store_test_count (f->conn, "SELECT count(*) FROM organisations"
                                              " WHERE city = 'Lyon'", NULL), ==, 0);
}

/* ---- the row's JSON kept by PostgreSQL (migration 0015) ----------------------------- */

/* Every row of @entity's table: its "wire" column against what crm_pg_json_append_row ()
 * writes from the same row's columns. Returns how many rows had no "wire" (the list
 * writes those from their columns); the others must be the same bytes. */
static guint
check_wire_column (StoreFixture        *f,
                   const CrmEntityInfo *entity,
                   guint               *n_rows)
{
  g_autoptr (GString) sql = g_string_new ("SELECT t.wire, ");
  PGresult *result;
  guint missing = 0;

  crm_pg_json_append_columns (sql, entity, "t");
  g_string_append_printf (sql, " FROM %s t ORDER BY t.id", entity->collection);
  result = PQexecParams (f->conn, sql->str, 0, NULL, NULL, NULL, NULL, 1);
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  *n_rows = (guint) PQntuples (result);
  for (int row = 0; row < PQntuples (result); row++)
    {
      g_autoptr (GString) columns = g_string_new (NULL);
      g_autoptr (GError) error = NULL;
      g_autofree char *wire = NULL;

      g_assert_true (crm_pg_json_append_row (columns, entity, result, row, 1, &error));
      g_assert_no_error (error);
      if (PQgetisnull (result, row, 0))
        {
          g_test_message ("%s: no wire for %s", entity->collection, columns->str);
          missing++;
          continue;
        }
      wire = g_strndup (PQgetvalue (result, row, 0), PQgetlength (result, row, 0));
      g_assert_cmpstr (wire, ==, columns->str);
    }
  PQclear (result);
  return missing;
}

/* Each row of @rows got by id as JSON: the bytes its record writes, and its version. */
static void
check_get_json (StoreFixture   *f,
                const CrmActor *actor,
                CrmEntityKind   kind,
                GPtrArray      *rows)
{
  for (guint i = 0; i < rows->len; i++)
    {
      CrmRecord *row = g_ptr_array_index (rows, i);
      g_autoptr (GString) expected = g_string_new ("[");
      g_autoptr (GString) got = g_string_new ("[");
      g_autoptr (GError) error = NULL;
      gint64 version = -1;

      crm_record_append_json (row, expected);
      g_assert_true (crm_store_get_json (f->conn, actor, kind, crm_record_get_string (row, "id"),
                                         got, &version, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (got->str, ==, expected->str);
      g_assert_cmpint (version, ==, crm_record_get_int (row, "version"));
    }
}

/* The list page (its "wire" path) against the records' page, for @actor. */
static void
check_wire_page (StoreFixture   *f,
                 const CrmActor *actor,
                 CrmEntityKind   kind,
                 guint           expected_rows)
{
  g_autoptr (CrmStoreQuery) query = crm_store_query_new (kind);
  g_autoptr (GString) items = g_string_new (NULL);
  g_autoptr (GString) fingerprint = g_string_new (NULL);
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *records = NULL;

  rows = crm_store_list (f->conn, actor, query, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, expected_rows);
  g_assert_true (crm_store_list_json (f->conn, actor, query, items, fingerprint, NULL, &error));
  g_assert_no_error (error);
  records = page_from_records (rows);
  g_assert_cmpstr (items->str, ==, records);
  check_get_json (f, actor, kind, rows);
  /* The next page's cursor (sorted by id, the default: taken from the binary id). */
  {
    g_autoptr (CrmStoreQuery) first = crm_store_query_new (kind);
    g_autoptr (GPtrArray) one = NULL;
    g_autoptr (GString) one_json = g_string_new (NULL);
    g_autofree char *next_records = NULL;
    g_autofree char *next_json = NULL;

    crm_store_query_set_limit (first, 1);
    one = crm_store_list (f->conn, actor, first, &next_records, &error);
    g_assert_no_error (error);
    g_assert_true (crm_store_list_json (f->conn, actor, first, one_json, NULL, &next_json,
                                        &error));
    g_assert_no_error (error);
    g_assert_nonnull (next_records);
    g_assert_cmpstr (next_json, ==, next_records);
  }
  /* One "id version" line per row, for the ETag. */
  {
    guint lines = 0;

    for (const char *p = fingerprint->str; *p != '\0'; p++)
      lines += *p == '\n';
    g_assert_cmpuint (lines, ==, expected_rows);
  }
}

static gint64
version_of (StoreFixture *f,
            const char   *table,
            const char   *id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT version FROM %s WHERE id = $1::uuid", table);

  return store_test_count (f->conn, sql, id);
}

/* Rows of every synced entity, each field set and each left empty, created and then
 * changed through the store: PostgreSQL's JSON of each row is the one the API wrote
 * before, to the byte, after the create and after the update, and the list pages are
 * written from it. */
static void
test_wire_every_entity (StoreFixture  *f,
                        gconstpointer  data)
{
  const CrmEntityKind kinds[] = { CRM_ENTITY_ORGANISATION, CRM_ENTITY_PERSON, CRM_ENTITY_LINK,
                                  CRM_ENTITY_MANDAT, CRM_ENTITY_INTERACTION, CRM_ENTITY_TASK,
                                  CRM_ENTITY_NOTIFICATION };
  g_autofree char *org = store_test_create (
    f->conn, f->user,
    store_test_fields (CRM_ENTITY_ORGANISATION, "name", "Société « Générale » \"SG\"",
                       "type", "fournisseur", "category", "family_office", "pipeline_stage",
                       "won", "email", "contact@sg.fr", "phone", "+33 1 42 14 20 00",
                       "website", "https://www.sg.fr/a?b=1&c=2", "address",
                       "29 bd Haussmann\nBâtiment B\tporte 3", "postal_code", "75009",
                       "city", "Paris", "country", "FR", "language", "fr", "aum_eur",
                       "1234567.891", "notes", "Œuvre — 😀 \\ back", "is_active", "false",
                       "tags", "[\"premium\",\"esg\",\"dette privée\"]", NULL));
  g_autofree char *bare_org = store_test_create (
    f->conn, f->user, store_test_fields (CRM_ENTITY_ORGANISATION, "name", "Nue", NULL));
  g_autofree char *person = store_test_create (
    f->conn, f->user,
    store_test_fields (CRM_ENTITY_PERSON, "first_name", "Élodie", "last_name", "Marchand",
                       "personal_email", "elodie@exemple.fr", "personal_phone", "+33 6 00 00 00 00",
                       "mobile", "+33 7 00 00 00 00", "job_title", "Directrice \"ESG\"",
                       "linkedin_url", "https://www.linkedin.com/in/elodie", "language", "fr",
                       "notes", "ligne 1\nligne 2", "is_active", "true", "tags", "[]", NULL));
  g_autofree char *bare_person = store_test_create (
    f->conn, f->user, store_test_fields (CRM_ENTITY_PERSON, "last_name", "Seul", NULL));
  g_autofree char *mandat = store_test_create (
    f->conn, f->user,
    store_test_fields (CRM_ENTITY_MANDAT, "organisation_id", org, "number", "M-2026-042",
                       "type", "distribution", "status", "signed", "signed_at", "2026-01-15",
                       "start_date", "2026-02-01", "end_date", "2028-01-31", "products",
                       "Fonds obligataires", "fee_terms", "0,40 % \"rétro\"", "notes", "—", NULL));
  g_autofree char *mandat2 = store_test_create (
    f->conn, f->user,
    store_test_fields (CRM_ENTITY_MANDAT, "organisation_id", bare_org, "number", "M-2026-043",
                       NULL));
  g_autofree char *link = store_test_create (
    f->conn, f->user,
    store_test_fields (CRM_ENTITY_LINK, "person_id", person, "organisation_id", org, "role",
                       "Associée", "work_email", "e.marchand@sg.fr", "work_phone", "+33 1 00 00 00 01",
                       "is_primary", "true", "start_date", "2020-09-01", "end_date",
                       "2030-12-31", NULL));
  g_autofree char *bare_link = store_test_create (
    f->conn, f->user,
    store_test_fields (CRM_ENTITY_LINK, "person_id", bare_person, "organisation_id", bare_org,
                       NULL));
  g_autofree char *participants = g_strdup_printf ("[\"%s\",\"%s\"]", person, bare_person);
  g_autofree char *interaction = store_test_create (
    f->conn, f->user,
    store_test_fields (CRM_ENTITY_INTERACTION, "type", "meeting", "occurred_at",
                       "2026-03-01T09:30:00.123456Z", "organisation_id", org,
                       "participant_ids", participants, "subject", "Revue \"annuelle\"",
                       "body", "Compte rendu\n\tpoints", "outcome", "Rappeler en mai", NULL));
  g_autofree char *bare_interaction = store_test_create (
    f->conn, f->user,
    store_test_fields (CRM_ENTITY_INTERACTION, "type", "note", "occurred_at",
                       "2026-03-01T09:30:00Z", "subject", "Note", NULL));
  g_autofree char *task = store_test_create (
    f->conn, f->user,
    store_test_fields (CRM_ENTITY_TASK, "title", "Envoyer la plaquette", "description",
                       "Avec l'annexe", "due_at", "2026-03-02T17:00:00Z", "priority", "urgent",
                       "status", "in_progress", "assignee_id", f->user->user_id,
                       "organisation_id", org, "person_id", person, "mandat_id", mandat, NULL));
  g_autofree char *bare_task = store_test_create (
    f->conn, f->user, store_test_fields (CRM_ENTITY_TASK, "title", "Rappeler", NULL));
  g_autoptr (CrmMutationResult) notification = store_test_mutate (
    f->conn, f->admin, CRM_MUTATION_CREATE, CRM_ENTITY_NOTIFICATION, NULL, 0,
    store_test_fields (CRM_ENTITY_NOTIFICATION, "user_id", f->user->user_id, "type",
                       "mandat_signed", "priority", "high", "title", "Mandat signé",
                       "message", "Le mandat « M-2026-042 » est signé.", "link_entity",
                       "mandat", "link_id", mandat, "is_read", "false", "is_archived", "false",
                       "expires_at", "2026-06-01T00:00:00Z", NULL));
  g_autoptr (CrmMutationResult) bare_notification = store_test_mutate (
    f->conn, f->admin, CRM_MUTATION_CREATE, CRM_ENTITY_NOTIFICATION, NULL, 0,
    store_test_fields (CRM_ENTITY_NOTIFICATION, "user_id", f->user->user_id, "type", "mention",
                       "title", "Mention", NULL));

  g_assert_cmpint (notification->status, ==, CRM_MUTATION_APPLIED);
  g_assert_cmpint (bare_notification->status, ==, CRM_MUTATION_APPLIED);
  for (guint pass = 0; pass < 2; pass++)
    {
      for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
        {
          const CrmEntityInfo *entity = crm_entity_get (kinds[i]);
          guint n_rows = 0;

          g_assert_cmpuint (check_wire_column (f, entity, &n_rows), ==, 0);
          g_assert_cmpuint (n_rows, ==, 2);
          check_wire_page (f, kinds[i] == CRM_ENTITY_NOTIFICATION ? f->user : f->admin,
                           kinds[i], 2);
        }
      if (pass > 0)
        break;

      /* Writes keep it: an update of each kind of column, and a tombstone. */
      {
        g_autoptr (CrmMutationResult) a = store_test_mutate (
          f->conn, f->user, CRM_MUTATION_UPDATE, CRM_ENTITY_ORGANISATION, org,
          version_of (f, "organisations", org),
          store_test_fields (CRM_ENTITY_ORGANISATION, "city", "Lyon", "aum_eur", "250000.50",
                             "tags", "[\"a\"]", "is_active", "true", NULL));
        g_autoptr (CrmMutationResult) b = store_test_mutate (
          f->conn, f->user, CRM_MUTATION_UPDATE, CRM_ENTITY_TASK, task,
          version_of (f, "tasks", task),
          store_test_fields (CRM_ENTITY_TASK, "due_at", "2027-01-01T00:00:00.5Z",
                             "status", "done", NULL));
        g_autoptr (CrmMutationResult) c = store_test_mutate (
          f->conn, f->user, CRM_MUTATION_UPDATE, CRM_ENTITY_MANDAT, mandat2,
          version_of (f, "mandats", mandat2),
          store_test_fields (CRM_ENTITY_MANDAT, "end_date", "2030-01-01", NULL));

        g_assert_cmpint (a->status, ==, CRM_MUTATION_APPLIED);
        g_assert_cmpint (b->status, ==, CRM_MUTATION_APPLIED);
        g_assert_cmpint (c->status, ==, CRM_MUTATION_APPLIED);
      }
      g_assert_cmpint (store_test_count (f->conn, "SELECT count (*) FROM organisations WHERE"
                                                  " wire LIKE '%\"city\":\"Lyon\"%'"
                                                  " AND wire LIKE '%\"aum_eur\":250000.5,%'",
                                         NULL), ==, 1);
    }
}

/* Rows holding what validation would never let in: where PostgreSQL keeps a JSON it is
 * the columns' JSON to the byte; where it cannot spell a value as core does (numbers
 * printf would round, years past 9999, tags needing an escape) it keeps none, and the
 * list writes those rows from their columns (test_page_matches_records ()). */
static void
test_wire_hostile_rows (StoreFixture  *f,
                        gconstpointer  data)
{
  guint n_rows = 0;
  guint missing;

  for (guint i = 0; i < G_N_ELEMENTS (assignments); i++)
    {
      g_autofree char *name = g_strdup_printf ("Org %02u", i);
      g_autofree char *id = store_test_create (f->conn, f->user,
                                               store_test_fields (CRM_ENTITY_ORGANISATION,
                                                                  "name", name, NULL));

      set_column (f, id, assignments[i]);
    }
  missing = check_wire_column (f, crm_entity_get (CRM_ENTITY_ORGANISATION), &n_rows);
  g_assert_cmpuint (n_rows, ==, G_N_ELEMENTS (assignments));
  /* The fallbacks: the escaped tags, 0, 1e15, 0.000001234, 18 digits, 0.00001234,
   * 999999999999999.9, 0.1000000000000001, 1e15 again, 20 digits, 1e-21. */
  g_assert_cmpuint (missing, ==, 11);

  /* Got by id, with and without a kept JSON: what the record writes. */
  {
    g_autoptr (CrmStoreQuery) query = crm_store_query_new (CRM_ENTITY_ORGANISATION);
    g_autoptr (GPtrArray) rows = NULL;
    g_autoptr (GString) hidden = g_string_new (NULL);
    g_autoptr (GError) error = NULL;
    gint64 version = -1;

    crm_store_query_set_limit (query, 100);
    rows = crm_store_list (f->conn, f->admin, query, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (rows->len, ==, G_N_ELEMENTS (assignments));
    check_get_json (f, f->admin, CRM_ENTITY_ORGANISATION, rows);

    /* Another team's user: not found, as if it did not exist, and nothing written. */
    g_assert_false (crm_store_get_json (f->conn, f->other, CRM_ENTITY_ORGANISATION,
                                        crm_record_get_string (g_ptr_array_index (rows, 0), "id"),
                                        hidden, &version, &error));
    g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
    g_assert_cmpstr (hidden->str, ==, "");
  }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/json/escape-parses-back", test_escape_parses_back);
  g_test_add_func ("/store/json/escape-matches-core-writer", test_escape_matches_core);
  ADD ("/store/json/page-matches-records", test_page_matches_records);
  ADD ("/store/json/page-errors-like-records", test_page_errors);
  ADD ("/store/json/page-whatever-datestyle", test_page_whatever_datestyle);
  ADD ("/store/json/wire-every-entity", test_wire_every_entity);
  ADD ("/store/json/wire-hostile-rows", test_wire_hostile_rows);
  ADD ("/store/list/unchecked-actor-checks-user-row", test_unchecked_actor_checks_user_row);
  ADD ("/store/list/unchecked-actor-refused-elsewhere", test_unchecked_actor_refused_elsewhere);

  status = g_test_run ();
  store_test_shutdown ();
  return status;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sync-page"

#include "config.h"

#include <locale.h>
#include <string.h>

#include "crm-json.h"
#include "crm-sync-engine.h"
#include "crm-sync-page.h"

/*
 * The pull page reader (app/sync/crm-sync-page.c), which reads a page's bytes straight
 * into records: it makes the same records as json-glib's tree read by core's codec on
 * the same pages, and refuses hostile or truncated pages with a clear error and
 * nothing of them handed on.
 */

static const char *ids[] = {
  "01936b2e-7c4a-7d2e-8f00-000000000001",
  "01936b2e-7c4a-7d2e-8f00-000000000002",
  "01936b2e-7c4a-7d2e-8f00-000000000003",
};

/* A value of each field's type, with what a page may hold at its edges. */
static void
fill_record (CrmRecord *record,
             guint      variant)
{
  const CrmEntityInfo *entity = crm_record_get_entity (record);
  static const char *texts[] = {
    "Société « Générale » \"Alpha\" \\ / \n\t\r œuvre 😀 \x7f",
    "",
    "Ünïcödé ß 中文 \u2028",
  };
  static const double decimals[] = { 1250000.5, 0.1, 1e-300, 1e20, -0.0, 123456789012.25 };
  static const gint64 ints[] = { 42, 0, G_MAXINT64, G_MININT64, -7 };

  for (guint i = 0; i < entity->n_fields; i++)
    {
      const CrmFieldInfo *field = &entity->fields[i];

      if ((field->flags & CRM_FIELD_SECRET) != 0)
        continue;
      if ((i + variant) % 7 == 3)
        {
          crm_record_set_null (record, field->name);
          continue;
        }
      if (field->type == CRM_FIELD_INT)
        crm_record_set_int (record, field->name, ints[(i + variant) % G_N_ELEMENTS (ints)]);
      else if (field->type == CRM_FIELD_DECIMAL)
        crm_record_set_double (record, field->name,
                               decimals[(i + variant) % G_N_ELEMENTS (decimals)]);
      else if (field->type == CRM_FIELD_BOOL)
        crm_record_set_bool (record, field->name, (i + variant) % 2);
      else if (field->type == CRM_FIELD_TAGS || field->type == CRM_FIELD_UUID_LIST)
        {
          const char *list[] = { "client", "prio\"ritaire", "é", NULL };

          crm_record_set_strv (record, field->name, variant % 2 ? list : list + 3);
        }
      else if (field->type == CRM_FIELD_UUID)
        crm_record_set_string (record, field->name, ids[(i + variant) % G_N_ELEMENTS (ids)]);
      else
        crm_record_set_string (record, field->name, texts[(i + variant) % G_N_ELEMENTS (texts)]);
    }
}

/* A page as the server writes it: every synced entity, a row each of three variants,
 * a tombstone without data, a revoke, a conflict. */
static char *
make_page (void)
{
  g_autoptr (GString) page = g_string_new ("{\"changes\":[");
  guint n = 0;

  for (guint k = 0; k < CRM_N_ENTITIES; k++)
    {
      const CrmEntityInfo *entity = crm_entity_get (k);

      if (!entity->synced)
        continue;
      for (guint variant = 0; variant < 3; variant++)
        {
          g_autoptr (CrmRecord) record = crm_record_new (entity);

          fill_record (record, variant);
          if (n++ > 0)
            g_string_append_c (page, ',');
          g_string_append_printf (page, "{\"entity\":\"%s\",\"id\":\"%s\",\"version\":%u,"
                                        "\"deleted\":%s,\"data\":",
                                  entity->name, ids[variant], 10 + n,
                                  variant == 2 ? "true" : "false");
          crm_record_append_json (record, page);
          g_string_append_c (page, '}');
        }
    }
  g_string_append_printf (page, ",{\"entity\":\"organisation\",\"id\":\"%s\",\"version\":99,"
                                "\"deleted\":true,\"data\":null}", ids[0]);
  g_string_append_printf (page, "],\"revoked\":[{\"entity\":\"person\",\"id\":\"%s\"}],"
                                "\"conflicts\":[{\"entity\":\"organisation\",\"id\":\"%s\","
                                "\"field\":\"city\",\"mine\":\"Lyon\",\"theirs\":\"Paris\","
                                "\"by\":\"u\",\"at\":\"2026-03-01T09:30:00Z\"}],"
                                "\"cursor\":1234,\"head\":5000,\"has_more\":true,\"epoch\":3}",
                          ids[1], ids[2]);
  return g_string_free (g_steal_pointer (&page), FALSE);
}

static void
assert_same_pages (const CrmSyncPage *a,
                   const CrmSyncPage *b)
{
  g_assert_cmpint (a->cursor, ==, b->cursor);
  g_assert_cmpint (a->head, ==, b->head);
  g_assert_cmpint (a->has_more, ==, b->has_more);
  g_assert_cmpint (a->epoch, ==, b->epoch);
  g_assert_cmpuint (a->changes->len, ==, b->changes->len);
  for (guint i = 0; i < a->changes->len; i++)
    {
      const CrmReplicaChange *x = &g_array_index (a->changes, CrmReplicaChange, i);
      const CrmReplicaChange *y = &g_array_index (b->changes, CrmReplicaChange, i);

      g_assert_cmpint (x->kind, ==, y->kind);
      g_assert_cmpstr (x->id, ==, y->id);
      g_assert_cmpint (x->version, ==, y->version);
      g_assert_cmpint (x->deleted, ==, y->deleted);
      g_assert_true ((x->data == NULL) == (y->data == NULL));
      if (x->data != NULL)
        {
          const CrmEntityInfo *entity = crm_record_get_entity (x->data);

          for (guint f = 0; f < entity->n_fields; f++)
            if (!crm_record_field_equal (x->data, y->data, entity->fields[f].name))
              {
                g_autofree char *mine = crm_record_dup_text (x->data, entity->fields[f].name);
                g_autofree char *tree = crm_record_dup_text (y->data, entity->fields[f].name);

                g_error ("%s.%s : lecteur « %s », json-glib « %s »", entity->name,
                         entity->fields[f].name, mine, tree);
              }
          g_assert_true (crm_record_equal (x->data, y->data));
        }
    }
  g_assert_cmpuint (a->revokes->len, ==, b->revokes->len);
  for (guint i = 0; i < a->revokes->len; i++)
    {
      g_assert_cmpint (g_array_index (a->revokes, CrmReplicaRevoke, i).kind, ==,
                       g_array_index (b->revokes, CrmReplicaRevoke, i).kind);
      g_assert_cmpstr (g_array_index (a->revokes, CrmReplicaRevoke, i).id, ==,
                       g_array_index (b->revokes, CrmReplicaRevoke, i).id);
    }
  g_assert_cmpuint (a->conflicts->len, ==, b->conflicts->len);
  for (guint i = 0; i < a->conflicts->len; i++)
    {
      g_autoptr (JsonNode) x = json_node_init_object (json_node_alloc (),
                                                      g_ptr_array_index (a->conflicts, i));
      g_autoptr (JsonNode) y = json_node_init_object (json_node_alloc (),
                                                      g_ptr_array_index (b->conflicts, i));

      g_assert_true (json_node_equal (x, y));
    }
}

static void
assert_like_tree (const char *text,
                  gsize       length)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmSyncPage) streamed = crm_sync_page_parse (text, length, &error);
  g_autoptr (CrmSyncPage) tree = NULL;

  g_assert_no_error (error);
  tree = crm_sync_page_parse_tree (text, length, &error);
  g_assert_no_error (error);
  assert_same_pages (streamed, tree);
}

static void
test_same_records (void)
{
  g_autofree char *page = make_page ();
  g_autoptr (CrmSyncPage) read = NULL;
  guint n_synced = 0;

  for (guint k = 0; k < CRM_N_ENTITIES; k++)
    n_synced += crm_entity_get (k)->synced;
  assert_like_tree (page, strlen (page));
  read = crm_sync_page_parse (page, strlen (page), NULL);
  g_assert_cmpuint (read->changes->len, ==, n_synced * 3 + 1);
  g_assert_null (g_array_index (read->changes, CrmReplicaChange, n_synced * 3).data);
  g_assert_cmpuint (read->revokes->len, ==, 1);
  g_assert_cmpint (read->cursor, ==, 1234);
  g_assert_true (read->has_more);
}

/* What the server does not write but JSON allows: blanks, escapes (in keys too), an
 * integer written "3.0", members in another order (data before entity), unknown
 * members of any shape. */
static void
test_same_records_other_spellings (void)
{
  const char *pages[] = {
    " {\n \"cursor\" : 7 , \"changes\" : [ { \"data\" : { \"name\" : \"A\\u00e9\\ud83d\\ude00\","
    " \"version\" : 3.0, \"aum_eur\" : 12, \"tags\" : [ ] , \"futur\" : {\"x\":[1,2,{}]} },"
    " \"version\" : 4, \"id\" : \"01936b2e-7c4a-7d2e-8f00-000000000001\", \"deleted\" : false,"
    " \"entity\" : \"organisation\" } ] , \"autre\" : [null, true, -1.5e-3] } \n",
    "{\"\\u0063ursor\":1,\"changes\":[],\"revoked\":[],\"conflicts\":[],\"has_more\":false}",
    "{\"cursor\":0,\"changes\":[{\"entity\":\"person\",\"id\":\"01936b2e-7c4a-7d2e-8f00-00000000"
    "0003\",\"version\":1,\"deleted\":false,\"data\":{\"first_name\":\"L\\u00e9a\","
    "\"first_name\":\"Zo\\\"\\/\\b\\f\\n\\r\\t\"}}]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    assert_like_tree (pages[i], strlen (pages[i]));
}

static void
assert_refused (const char *text,
                gssize      length)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmSyncPage) page = crm_sync_page_parse (text, length < 0 ? strlen (text)
                                                                       : (gsize) length,
                                                      &error);

  if (page != NULL)
    g_error ("page acceptée : %.*s", (int) MIN (strlen (text), 200), text);
  g_assert_error (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "illisible"));
}

static void
test_refuses_hostile (void)
{
  const char *id = "\"01936b2e-7c4a-7d2e-8f00-000000000001\"";
  g_autofree char *open = g_strnfill (40, '[');
  g_autofree char *close = g_strnfill (40, ']');
  g_autofree char *deep = NULL;
  const char *pages[] = {
    "", " ", "null", "[]", "\"page\"", "{", "}", "{}x", "{} {}", "{\"cursor\":1,}",
    "{\"cursor\":1}x", "{cursor:1}", "{'cursor':1}", "{\"cursor\":1 /* */}",
    "{\"cursor\":\"1\"}", "{\"cursor\":-1}", "{\"cursor\":1.5}", "{\"cursor\":01}",
    "{\"cursor\":0x10}", "{\"cursor\":1,\"cursor\":2}", "{\"changes\":[]}",
    "{\"cursor\":99999999999999999999}", "{\"cursor\":1,\"has_more\":\"true\"}",
    "{\"cursor\":1,\"has_more\":1}", "{\"cursor\":1,\"epoch\":null}",
    "{\"cursor\":1,\"changes\":{}}", "{\"cursor\":1,\"changes\":[1]}",
    "{\"cursor\":1,\"changes\":[{}]}", "{\"cursor\":1,\"changes\":[[]]}",
    "{\"cursor\":1,\"changes\":[,]}", "{\"cursor\":1,\"changes\":[{\"entity\":\"organisation\"},]}",
    "{\"cursor\":1,\"revoked\":[{\"entity\":\"person\"}]}",
    "{\"cursor\":1,\"revoked\":[{\"entity\":\"person\",\"id\":\"x\"}]}",
    "{\"cursor\":1,\"conflicts\":[1]}", "{\"cursor\":1,\"conflicts\":{}}",
    "{\"cursor\":1,\"x\":\"\\u0000\"}", "{\"cursor\":1,\"x\":\"\\ud800\"}",
    "{\"cursor\":1,\"x\":\"\\udc00\\ud800\"}", "{\"cursor\":1,\"x\":\"\\q\"}",
    "{\"cursor\":1,\"x\":\"\\u12\"}", "{\"cursor\":1,\"x\":\"a\tb\"}",
    "{\"cursor\":1,\"x\":\"\xc3\x28\"}", "{\"cursor\":1,\"x\":\"\xed\xa0\x80\"}",
    "{\"cursor\":1,\"x\":tru}", "{\"cursor\":1,\"x\":nul}", "{\"cursor\":1,\"x\":-}",
    "{\"cursor\":1,\"x\":1.}", "{\"cursor\":1,\"x\":1e}", "{\"cursor\":1,\"x\":.5}",
    "{\"cursor\":1,\"x\":+1}", "{\"cursor\":1,\"x\":NaN}", "{\"cursor\":1,\"x\":[1 2]}",
    "{\"cursor\":1,\"x\":{\"a\" 1}}", "{\"cursor\":1,\"x\":{1:2}}",
    "{\"cursor\":1,\"x\":-99999999999999999999}",
  };
  /* Each change is whole but for one thing: its entity, id, version, deleted or data,
   * or a field of the wrong type for core's codec. */
  const char *changes[] = {
    "{\"entity\":\"planète\",\"id\":%s,\"version\":1,\"data\":null}",
    "{\"entity\":\"user\",\"id\":%s,\"version\":1,\"data\":null}",
    "{\"entity\":1,\"id\":%s,\"version\":1,\"data\":null}",
    "{\"entity\":\"organisation\",\"id\":\"pas-un-uuid\",\"version\":1}%s",
    "{\"entity\":\"organisation\",\"id\":1,\"version\":1}%s",
    "{\"entity\":\"organisation\",\"id\":%s}",
    "{\"entity\":\"organisation\",\"id\":%s,\"version\":\"1\"}",
    "{\"entity\":\"organisation\",\"id\":%s,\"version\":-1}",
    "{\"entity\":\"organisation\",\"id\":%s,\"version\":1,\"deleted\":0}",
    "{\"entity\":\"organisation\",\"id\":%s,\"version\":1,\"data\":\"{}\"}",
    "{\"entity\":\"organisation\",\"id\":%s,\"version\":1,\"data\":[]}",
    "{\"entity\":\"organisation\",\"id\":%s,\"id\":%s,\"version\":1}",
    "{\"entity\":\"organisation\",\"id\":%s,\"version\":1,\"data\":{\"name\":1}}",
    "{\"entity\":\"organisation\",\"id\":%s,\"version\":1,\"data\":{\"version\":3.5}}",
    "{\"entity\":\"organisation\",\"id\":%s,\"version\":1,\"data\":{\"version\":\"3\"}}",
    "{\"entity\":\"organisation\",\"id\":%s,\"version\":1,\"data\":{\"version\":1e300}}",
    "{\"entity\":\"organisation\",\"id\":%s,\"version\":1,\"data\":{\"aum_eur\":1e400}}",
    "{\"entity\":\"organisation\",\"id\":%s,\"version\":1,\"data\":{\"aum_eur\":\"1\"}}",
    "{\"entity\":\"organisation\",\"id\":%s,\"version\":1,\"data\":{\"is_active\":1}}",
    "{\"entity\":\"organisation\",\"id\":%s,\"version\":1,\"data\":{\"tags\":[1]}}",
    "{\"entity\":\"organisation\",\"id\":%s,\"version\":1,\"data\":{\"tags\":[null]}}",
    "{\"entity\":\"organisation\",\"id\":%s,\"version\":1,\"data\":{\"tags\":\"a\"}}",
    "{\"data\":{\"name\":true},\"entity\":\"organisation\",\"id\":%s,\"version\":1}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    assert_refused (pages[i], -1);
  for (guint i = 0; i < G_N_ELEMENTS (changes); i++)
    {
      g_auto (GStrv) parts = g_strsplit (changes[i], "%s", -1);
      g_autofree char *change = g_strjoinv (id, parts);
      g_autofree char *page = g_strconcat ("{\"changes\":[", change, "],\"cursor\":5}", NULL);

      assert_refused (page, -1);
    }

  /* A NUL byte inside, and nesting deeper than core allows (in a member skipped). */
  assert_refused ("{\"cursor\":1,\"x\":\"a\0b\"}", 22);
  deep = g_strconcat ("{\"cursor\":1,\"x\":", open, "1", close, "}", NULL);
  assert_refused (deep, -1);
}

/* Every prefix of a good page is refused: a page cut by the network applies nothing. */
static void
test_refuses_truncated (void)
{
  g_autofree char *page = make_page ();
  gsize length = strlen (page);

  for (gsize cut = 0; cut < length; cut++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (CrmSyncPage) read = crm_sync_page_parse (page, cut, &error);

      if (read != NULL)
        g_error ("page coupée à %" G_GSIZE_FORMAT " octets acceptée", cut);
      g_assert_error (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_PROTOCOL);
    }
}

/* Random damage (bytes flipped, dropped, doubled): never a crash, and whatever the
 * reader still accepts, json-glib's tree reads as the same records. */
static void
test_damaged_pages (void)
{
  g_autofree char *page = make_page ();
  gsize length = strlen (page);
  g_autoptr (GRand) rand = g_rand_new_with_seed (20261125);
  guint accepted = 0;

  for (guint trial = 0; trial < 3000; trial++)
    {
      g_autoptr (GString) damaged = g_string_new_len (page, (gssize) length);
      g_autoptr (CrmSyncPage) read = NULL;
      g_autoptr (GError) error = NULL;
      guint n = 1 + g_rand_int_range (rand, 0, 3);

      for (guint i = 0; i < n; i++)
        {
          gsize at = (gsize) g_rand_int_range (rand, 0, (gint32) damaged->len);

          switch (g_rand_int_range (rand, 0, 3))
            {
            case 0:
              damaged->str[at] = (char) g_rand_int_range (rand, 1, 128);
              break;
            case 1:
              g_string_erase (damaged, (gssize) at, 1);
              break;
            default:
              g_string_insert_c (damaged, (gssize) at, damaged->str[at]);
              break;
            }
        }
      read = crm_sync_page_parse (damaged->str, damaged->len, &error);
      if (read == NULL)
        {
          g_assert_error (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_PROTOCOL);
          continue;
        }
      accepted++;
      {
        g_autoptr (CrmSyncPage) tree = crm_sync_page_parse_tree (damaged->str, damaged->len,
                                                                 NULL);

        if (tree == NULL)
          g_error ("acceptée ici, refusée par json-glib : %s", damaged->str);
        assert_same_pages (read, tree);
      }
    }
  g_test_message ("%u pages abîmées sur 3000 encore lisibles (et identiques pour json-glib)",
                  accepted);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/page/same-records-as-json-glib", test_same_records);
  g_test_add_func ("/sync/page/same-records-other-spellings", test_same_records_other_spellings);
  g_test_add_func ("/sync/page/refuses-hostile", test_refuses_hostile);
  g_test_add_func ("/sync/page/refuses-truncated", test_refuses_truncated);
  g_test_add_func ("/sync/page/damaged-never-crash", test_damaged_pages);
  return g_test_run ();
}

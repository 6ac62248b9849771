/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-replica-read"

#include "config.h"

#include <locale.h>
#include <string.h>

#include <sqlite3.h>

#include "crm-replica-private.h"
#include "replica-test-util.h"

static CrmRecord *
make (Fixture      *f,
      CrmEntityKind kind,
      ...)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRecord) r = crm_record_new_for_kind (kind);
  const char *field;
  va_list args;
  CrmRecord *row;

  va_start (args, kind);
  while ((field = va_arg (args, const char *)) != NULL)
    g_assert_true (crm_record_set_from_text (r, field, va_arg (args, const char *), NULL));
  va_end (args);

  row = crm_replica_create (f->replica, r, &error);
  g_assert_no_error (error);
  return row;
}

static const char *
id_of (const CrmRecord *r)
{
  return crm_record_get_string (r, "id");
}

static gint64
count (Fixture         *f,
       CrmReplicaQuery *q)
{
  g_autoptr(GError) error = NULL;
  gint64 n = crm_replica_count (f->replica, q, &error);

  g_assert_no_error (error);
  return n;
}

static gint64
count1 (Fixture      *f,
        CrmEntityKind kind,
        const char   *field,
        CrmReplicaCmp cmp,
        const char   *value)
{
  g_autoptr(CrmReplicaQuery) q = crm_replica_query_new (kind);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  gint64 n;

  crm_replica_query_filter (q, field, cmp, value);
  n = count (f, q);
  /* The list agrees with the count. */
  crm_replica_query_set_limit (q, 1000);
  rows = crm_replica_list (f->replica, q, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rows->len, ==, n);
  return n;
}

/* ---- filters --------------------------------------------------------------- */

static void
test_filters (Fixture *f, gconstpointer data)
{
  g_autoptr(CrmRecord) o1 = make (f, CRM_ENTITY_ORGANISATION, "name", "Banque du Rhône", "type",
                                  "investor", "category", "institutional", "pipeline_stage",
                                  "negotiation", "city", "Lyon", "country", "FR", "is_active",
                                  "true", NULL);
  g_autoptr(CrmRecord) o2 = make (f, CRM_ENTITY_ORGANISATION, "name", "Fonds Alpin", "type",
                                  "fournisseur", "category", "wholesale", "pipeline_stage", "won",
                                  "city", "Grenoble", "country", "FR", "is_active", "false", NULL);
  g_autoptr(CrmRecord) o3 = make (f, CRM_ENTITY_ORGANISATION, "name", "Swiss Capital", "type",
                                  "investor", "category", "cgpi", "pipeline_stage", "negotiation",
                                  "city", "lyon", "country", "CH", "owner_id",
                                  "01900000-0000-7000-8000-0000000000cc", NULL);
  g_autoptr(CrmRecord) p1 = make (f, CRM_ENTITY_PERSON, "first_name", "Zoé", "last_name", "Martin",
                                  "language", "fr", NULL);
  g_autoptr(CrmRecord) p2 = make (f, CRM_ENTITY_PERSON, "first_name", "John", "last_name", "Smith",
                                  "language", "en", NULL);
  g_autoptr(CrmRecord) l1 = make (f, CRM_ENTITY_LINK, "person_id", id_of (p1), "organisation_id",
                                  id_of (o1), NULL);
  g_autoptr(CrmRecord) m1 = make (f, CRM_ENTITY_MANDAT, "organisation_id", id_of (o2), "number",
                                  "M-2025-001", "status", "active", "end_date", "2026-06-30", NULL);
  g_autoptr(CrmRecord) m2 = make (f, CRM_ENTITY_MANDAT, "organisation_id", id_of (o2), "number",
                                  "M-2025-002", "status", "draft", "end_date", "2027-01-31", NULL);
  g_autoptr(CrmRecord) t1 = make (f, CRM_ENTITY_TASK, "title", "Relancer", "assignee_id",
                                  TEST_USER, "status", "todo", "due_at", "2026-03-01T10:00:00Z",
                                  NULL);
  g_autoptr(CrmRecord) t2 = make (f, CRM_ENTITY_TASK, "title", "Signer", "status", "done",
                                  "due_at", "2026-05-01T10:00:00Z", NULL);
  g_autofree char *participants = g_strdup_printf ("[\"%s\"]", id_of (p2));
  g_autoptr(CrmRecord) i1 = make (f, CRM_ENTITY_INTERACTION, "type", "call", "occurred_at",
                                  "2026-01-10T09:00:00Z", "subject", "Appel", "organisation_id",
                                  id_of (o1), "participant_ids", participants, NULL);
  g_autoptr(CrmRecord) i2 = make (f, CRM_ENTITY_INTERACTION, "type", "meeting", "occurred_at",
                                  "2026-02-10T09:00:00Z", "subject", "Réunion", NULL);
  g_autoptr(CrmReplicaQuery) range = crm_replica_query_new (CRM_ENTITY_INTERACTION);

  g_assert_cmpint (count1 (f, CRM_ENTITY_ORGANISATION, "type", CRM_REPLICA_EQ, "investor"), ==, 2);
  g_assert_cmpint (count1 (f, CRM_ENTITY_ORGANISATION, "category", CRM_REPLICA_EQ, "cgpi"), ==, 1);
  g_assert_cmpint (count1 (f, CRM_ENTITY_ORGANISATION, "pipeline_stage", CRM_REPLICA_EQ,
                           "negotiation"), ==, 2);
  /* Cities compare without case, as a person types them. */
  g_assert_cmpint (count1 (f, CRM_ENTITY_ORGANISATION, "city", CRM_REPLICA_EQ, "LYON"), ==, 2);
  g_assert_cmpint (count1 (f, CRM_ENTITY_ORGANISATION, "country", CRM_REPLICA_EQ, "CH"), ==, 1);
  g_assert_cmpint (count1 (f, CRM_ENTITY_ORGANISATION, "owner_id", CRM_REPLICA_EQ, TEST_USER), ==,
                   2);
  g_assert_cmpint (count1 (f, CRM_ENTITY_ORGANISATION, "is_active", CRM_REPLICA_EQ, "false"), ==,
                   1);
  g_assert_cmpint (count1 (f, CRM_ENTITY_PERSON, "organisation_id", CRM_REPLICA_EQ, id_of (o1)), ==,
                   1);
  g_assert_cmpint (count1 (f, CRM_ENTITY_PERSON, "language", CRM_REPLICA_EQ, "en"), ==, 1);
  g_assert_cmpint (count1 (f, CRM_ENTITY_MANDAT, "status", CRM_REPLICA_EQ, "active"), ==, 1);
  g_assert_cmpint (count1 (f, CRM_ENTITY_MANDAT, "organisation_id", CRM_REPLICA_EQ, id_of (o2)), ==,
                   2);
  g_assert_cmpint (count1 (f, CRM_ENTITY_MANDAT, "end_date", CRM_REPLICA_LT, "2026-12-31"), ==, 1);
  g_assert_cmpint (count1 (f, CRM_ENTITY_TASK, "assignee_id", CRM_REPLICA_EQ, TEST_USER), ==, 1);
  g_assert_cmpint (count1 (f, CRM_ENTITY_TASK, "status", CRM_REPLICA_EQ, "done"), ==, 1);
  g_assert_cmpint (count1 (f, CRM_ENTITY_TASK, "due_at", CRM_REPLICA_LT, "2026-04-01"), ==, 1);
  g_assert_cmpint (count1 (f, CRM_ENTITY_TASK, "due_at", CRM_REPLICA_GE, "2026-04-01"), ==, 1);
  g_assert_cmpint (
      count1 (f, CRM_ENTITY_INTERACTION, "organisation_id", CRM_REPLICA_EQ, id_of (o1)), ==, 1);
  g_assert_cmpint (count1 (f, CRM_ENTITY_INTERACTION, "person_id", CRM_REPLICA_EQ, id_of (p2)), ==,
                   1);
  g_assert_cmpint (count1 (f, CRM_ENTITY_INTERACTION, "type", CRM_REPLICA_EQ, "meeting"), ==, 1);

  crm_replica_query_filter (range, "occurred_at", CRM_REPLICA_GE, "2026-02-01T00:00:00Z");
  crm_replica_query_filter (range, "occurred_at", CRM_REPLICA_LT, "2026-03-01T00:00:00Z");
  g_assert_cmpint (count (f, range), ==, 1);
  (void) o3; (void) l1; (void) m1; (void) m2; (void) t1; (void) t2; (void) i1; (void) i2;
}

static void
test_bad_filter_and_cursor (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmReplicaQuery) q = crm_replica_query_new (CRM_ENTITY_ORGANISATION);
  g_autoptr(CrmReplicaQuery) c = crm_replica_query_new (CRM_ENTITY_ORGANISATION);
  g_autoptr(GPtrArray) rows = NULL;

  crm_replica_query_filter (q, "name; DROP TABLE organisations", CRM_REPLICA_EQ, "x");
  rows = crm_replica_list (f->replica, q, NULL, &error);
  g_assert_null (rows);
  g_assert_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_INVALID);
  g_clear_error (&error);

  crm_replica_query_set_after (c, "not a cursor");
  rows = crm_replica_list (f->replica, c, NULL, &error);
  g_assert_null (rows);
  g_assert_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_INVALID);
}

/* ---- keyset paging ----------------------------------------------------------- */

static void
check_paging (Fixture    *f,
              const char *sort,
              gboolean    descending,
              const char *filter_field,
              const char *filter_value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(CrmRecord) previous = NULL;
  g_autofree char *cursor = NULL;
  gint64 expected;
  guint total = 0, pages = 0;

  {
    g_autoptr(CrmReplicaQuery) q = crm_replica_query_new (CRM_ENTITY_ORGANISATION);

    if (filter_field != NULL)
      crm_replica_query_filter (q, filter_field, CRM_REPLICA_EQ, filter_value);
    expected = count (f, q);
  }

  do
    {
      g_autoptr(CrmReplicaQuery) q = crm_replica_query_new (CRM_ENTITY_ORGANISATION);
      g_autoptr(GPtrArray) rows = NULL;
      g_autofree char *next = NULL;

      crm_replica_query_sort (q, sort, descending);
      crm_replica_query_set_limit (q, 37);
      crm_replica_query_set_after (q, cursor);
      if (filter_field != NULL)
        crm_replica_query_filter (q, filter_field, CRM_REPLICA_EQ, filter_value);
      rows = crm_replica_list (f->replica, q, &next, &error);
      g_assert_no_error (error);

      for (guint i = 0; i < rows->len; i++)
        {
          CrmRecord *row = rows->pdata[i];
          const char *a, *b;

          g_assert_true (g_hash_table_add (seen, g_strdup (id_of (row))));
          /* Order: NULLs first ascending, last descending; values by NOCASE. */
          if (previous != NULL)
            {
              a = crm_record_get_string (previous, sort);
              b = crm_record_get_string (row, sort);
              if (a != NULL && b != NULL)
                g_assert_cmpint (
                    descending ? -g_ascii_strcasecmp (a, b) : g_ascii_strcasecmp (a, b), <=, 0);
              else if (descending)
                g_assert_true (b == NULL || a != NULL);
              else
                g_assert_true (a == NULL || b != NULL);
            }
          g_clear_pointer (&previous, crm_record_unref);
          previous = crm_record_ref (row);
        }
      total += rows->len;
      pages++;
      g_free (cursor);
      cursor = g_steal_pointer (&next);
      if (cursor != NULL)
        g_assert_cmpuint (rows->len, ==, 37);
    }
  while (cursor != NULL);

  g_assert_cmpint (total, ==, expected);
  g_assert_cmpuint (pages, ==, MAX (1, (expected + 36) / 37));
}

static void
test_keyset_paging (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (crm_replica_fill_demo (f->replica, 3000, 42, &error));
  g_assert_no_error (error);
  /* Some rows without a city: the NULL phase of the walk. */
  for (guint i = 0; i < 45; i++)
    {
      g_autofree char *name = g_strdup_printf ("Sans ville %02u", i);
      g_autoptr(CrmRecord) r = make (f, CRM_ENTITY_ORGANISATION, "name", name, NULL);
    }

  check_paging (f, "name", FALSE, NULL, NULL);
  check_paging (f, "name", TRUE, NULL, NULL);
  check_paging (f, "city", FALSE, NULL, NULL);
  check_paging (f, "city", TRUE, NULL, NULL);
  check_paging (f, "name", FALSE, "pipeline_stage", "negotiation");
  check_paging (f, "updated_at", TRUE, "type", "investor");
}

/* Every id of the list, walked by keyset pages: what the pages at a position
 * must agree with. */
static GPtrArray *
walk_ids (Fixture    *f,
          const char *sort,
          gboolean    descending,
          const char *filter_field,
          const char *filter_value)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *cursor = NULL;

  do
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CrmReplicaQuery) q = crm_replica_query_new (CRM_ENTITY_ORGANISATION);
      g_autoptr(GPtrArray) rows = NULL;
      g_autofree char *next = NULL;

      crm_replica_query_sort (q, sort, descending);
      crm_replica_query_set_limit (q, 100);
      crm_replica_query_set_after (q, cursor);
      if (filter_field != NULL)
        crm_replica_query_filter (q, filter_field, CRM_REPLICA_EQ, filter_value);
      rows = crm_replica_list (f->replica, q, &next, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < rows->len; i++)
        g_ptr_array_add (ids, g_strdup (id_of (rows->pdata[i])));
      g_free (cursor);
      cursor = g_steal_pointer (&next);
    }
  while (cursor != NULL);

  return ids;
}

/* A page at each position holds the rows the keyset walk has there, and its
 * cursor goes on with the rows after it. */
static void
check_offsets (Fixture    *f,
               const char *sort,
               gboolean    descending,
               const char *filter_field,
               const char *filter_value)
{
  g_autoptr(GPtrArray) all = walk_ids (f, sort, descending, filter_field, filter_value);
  const gint64 positions[] = { 1, 7, 44, 45, 46, 199, (gint64) all->len - 3,
                               (gint64) all->len - 1, (gint64) all->len, (gint64) all->len + 10 };

  g_assert_cmpuint (all->len, >, 250);
  for (guint p = 0; p < G_N_ELEMENTS (positions); p++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CrmReplicaQuery) q = crm_replica_query_new (CRM_ENTITY_ORGANISATION);
      g_autoptr(CrmReplicaQuery) then = crm_replica_query_new (CRM_ENTITY_ORGANISATION);
      g_autoptr(GPtrArray) rows = NULL;
      g_autoptr(GPtrArray) more = NULL;
      g_autofree char *next = NULL;
      gint64 at = positions[p];
      guint expected = (guint) CLAMP ((gint64) all->len - at, 0, 20);

      crm_replica_query_sort (q, sort, descending);
      crm_replica_query_set_limit (q, 20);
      crm_replica_query_set_offset (q, at);
      if (filter_field != NULL)
        crm_replica_query_filter (q, filter_field, CRM_REPLICA_EQ, filter_value);
      rows = crm_replica_list (f->replica, q, &next, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (rows->len, ==, expected);
      for (guint i = 0; i < rows->len; i++)
        g_assert_cmpstr (id_of (rows->pdata[i]), ==, all->pdata[at + i]);
      if (at + 20 >= (gint64) all->len)
        {
          g_assert_null (next);
          continue;
        }

      /* Scrolling on from there goes by keyset. */
      g_assert_nonnull (next);
      crm_replica_query_sort (then, sort, descending);
      crm_replica_query_set_limit (then, 30);
      crm_replica_query_set_after (then, next);
      if (filter_field != NULL)
        crm_replica_query_filter (then, filter_field, CRM_REPLICA_EQ, filter_value);
      more = crm_replica_list (f->replica, then, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (more->len, ==, (guint) MIN ((gint64) all->len - at - 20, 30));
      for (guint i = 0; i < more->len; i++)
        g_assert_cmpstr (id_of (more->pdata[i]), ==, all->pdata[at + 20 + i]);
    }
}

static void
test_offset_paging (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (crm_replica_fill_demo (f->replica, 3000, 42, &error));
  g_assert_no_error (error);
  /* Rows without a city: NULLs first ascending, last descending, at offset 45. */
  for (guint i = 0; i < 45; i++)
    {
      g_autofree char *name = g_strdup_printf ("Sans ville %02u", i);
      g_autoptr(CrmRecord) r = make (f, CRM_ENTITY_ORGANISATION, "name", name, NULL);
    }

  check_offsets (f, "name", FALSE, NULL, NULL);
  check_offsets (f, "name", TRUE, NULL, NULL);
  check_offsets (f, "city", FALSE, NULL, NULL);
  check_offsets (f, "city", TRUE, NULL, NULL);
  check_offsets (f, "updated_at", TRUE, "is_active", "true");
}

/* A position and a cursor together are refused; with a search, the position
 * is counted in the ranked matches. */
static void
test_offset_with_cursor_or_search (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmReplicaQuery) both = crm_replica_query_new (CRM_ENTITY_ORGANISATION);
  g_autoptr(CrmReplicaQuery) ranked = crm_replica_query_new (CRM_ENTITY_ORGANISATION);
  g_autoptr(CrmReplicaQuery) later = crm_replica_query_new (CRM_ENTITY_ORGANISATION);
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *next = NULL;

  g_assert_true (crm_replica_fill_demo (f->replica, 3000, 42, &error));
  g_assert_no_error (error);

  crm_replica_query_set_limit (both, 5);
  first = crm_replica_list (f->replica, both, &next, &error);
  g_assert_no_error (error);
  g_assert_nonnull (next);
  g_clear_pointer (&first, g_ptr_array_unref);
  crm_replica_query_set_after (both, next);
  crm_replica_query_set_offset (both, 10);
  rows = crm_replica_list (f->replica, both, NULL, &error);
  g_assert_null (rows);
  g_assert_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_INVALID);
  g_clear_error (&error);

  crm_replica_query_set_search (ranked, "gestion");
  crm_replica_query_set_limit (ranked, 12);
  first = crm_replica_list (f->replica, ranked, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first->len, ==, 12);
  crm_replica_query_set_search (later, "gestion");
  crm_replica_query_set_limit (later, 4);
  crm_replica_query_set_offset (later, 8);
  rows = crm_replica_list (f->replica, later, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 4);
  for (guint i = 0; i < rows->len; i++)
    g_assert_cmpstr (id_of (rows->pdata[i]), ==, id_of (first->pdata[8 + i]));
}

/* crm_fold(), which feeds the full-text indexes, passes text without œ, æ, ß or a
 * ligature through untouched: whatever shares their lead bytes (é, è, ç, ḁ, a
 * byte-order mark, broken UTF-8) must still come out exactly as core folds it. */
static void
test_search_fold_as_core (Fixture *f, gconstpointer data)
{
  static const char *const texts[] = {
    "Société Générale", "Crédit Agricole d'Île-de-France", "Œuvre du cœur", "ŒUVRE",
    "Læticia Æsop", "Straße", "GROẞE", "ﬁnance ﬂux ﬀ ﬃ ﬄ ﬅ ﬆ", "ḁ ẞ", "\xEF\xBB\xBF" "BOM",
    "Ã©tÃ© mal décodé", "coupé \xC3", "\xC5", "\xE1\xBA", "\xEF\xAC", "", "plain ascii",
  };
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (f->replica->db, "SELECT crm_fold (?)", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *expected = crm_search_fold (texts[i]);

      sqlite3_bind_text (stmt, 1, texts[i], -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, expected);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
}

/* ---- search ------------------------------------------------------------------ */

static GPtrArray *
search (Fixture               *f,
        const char            *text,
        const CrmReplicaQuery *filters)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *groups = crm_replica_search (f->replica, text, filters, 20, &error);

  g_assert_no_error (error);
  g_assert_nonnull (groups);
  return groups;
}

static CrmSearchGroup *
group_of (GPtrArray    *groups,
          CrmEntityKind kind)
{
  for (guint i = 0; i < groups->len; i++)
    if (((CrmSearchGroup *) groups->pdata[i])->kind == kind)
      return groups->pdata[i];
  return NULL;
}

static gboolean
finds (Fixture    *f,
       const char *text,
       const char *name)
{
  g_autoptr(GPtrArray) groups = search (f, text, NULL);
  CrmSearchGroup *g = group_of (groups, CRM_ENTITY_ORGANISATION);

  for (guint i = 0; g != NULL && i < g->hits->len; i++)
    if (g_strcmp0 (crm_record_get_string (((CrmSearchHit *) g->hits->pdata[i])->record, "name"),
                   name) == 0)
      return TRUE;
  return FALSE;
}

static void
seed_search (Fixture *f)
{
  g_autoptr(CrmRecord) a = make (f, CRM_ENTITY_ORGANISATION, "name", "Société Générale",
                                 "city", "Paris", NULL);
  g_autoptr(CrmRecord) b = make (f, CRM_ENTITY_ORGANISATION, "name", "École de Commerce",
                                 "city", "Lyon", NULL);
  g_autoptr(CrmRecord) c = make (f, CRM_ENTITY_ORGANISATION, "name", "Cœur Défense",
                                 "city", "Puteaux", NULL);
  g_autoptr(CrmRecord) d = make (f, CRM_ENTITY_ORGANISATION, "name", "Dupont Finance",
                                 "city", "Nantes", NULL);
  g_autoptr(CrmRecord) e = make (f, CRM_ENTITY_ORGANISATION, "name", "Banque Ouest",
                                 "notes", "Racheté par la famille Dupont en 2019", "city", "Brest",
                                 NULL);
}

static void
test_search_diacritics (Fixture *f, gconstpointer data)
{
  seed_search (f);
  g_assert_true (finds (f, "societe generale", "Société Générale"));
  g_assert_true (finds (f, "ecole", "École de Commerce"));
  g_assert_true (finds (f, "ÉCOLE", "École de Commerce"));
  g_assert_true (finds (f, "coeur", "Cœur Défense"));
  g_assert_true (finds (f, "cœur", "Cœur Défense"));
  g_assert_false (finds (f, "ecole", "Société Générale"));
}

static void
test_search_prefix (Fixture *f, gconstpointer data)
{
  seed_search (f);
  g_assert_true (finds (f, "soc", "Société Générale"));
  g_assert_true (finds (f, "societe gen", "Société Générale"));
  g_assert_true (finds (f, "Lyo", "École de Commerce"));
  /* Four letters and more: expanded to the known words they begin. */
  g_assert_true (finds (f, "Géné", "Société Générale"));
  g_assert_true (finds (f, "ecole commer", "École de Commerce"));
  g_assert_true (finds (f, "rachet", "Banque Ouest"));
  g_assert_false (finds (f, "commerz", "École de Commerce"));
}

/* A last word of two letters: every word it begins is found, whatever its third
 * letter (a to z, a digit, a Latin letter FTS5 keeps as it is), a word of two
 * letters itself, and two letters of another script. */
static void
test_search_two_letters (Fixture *f, gconstpointer data)
{
  g_autoptr(CrmRecord) a = make (f, CRM_ENTITY_ORGANISATION, "name", "Kołodziej Conseil",
                                 "city", "Varsovie", NULL);
  g_autoptr(CrmRecord) b = make (f, CRM_ENTITY_ORGANISATION, "name", "Bjørn Capital", NULL);
  g_autoptr(CrmRecord) c = make (f, CRM_ENTITY_ORGANISATION, "name", "Дубай Капитал", NULL);
  g_autoptr(CrmRecord) d = make (f, CRM_ENTITY_ORGANISATION, "name", "Caisse du Rhône", NULL);
  g_autoptr(CrmRecord) e = make (f, CRM_ENTITY_ORGANISATION, "name", "Fonds 2024 Horizon", NULL);

  g_assert_true (finds (f, "ko", "Kołodziej Conseil"));
  g_assert_true (finds (f, "KO", "Kołodziej Conseil"));
  g_assert_true (finds (f, "bj", "Bjørn Capital"));
  g_assert_true (finds (f, "Ду", "Дубай Капитал"));
  g_assert_true (finds (f, "du", "Caisse du Rhône"));
  g_assert_true (finds (f, "caisse rh", "Caisse du Rhône"));
  g_assert_true (finds (f, "caisse rhô", "Caisse du Rhône"));
  g_assert_true (finds (f, "20", "Fonds 2024 Horizon"));
  g_assert_true (finds (f, "ho", "Fonds 2024 Horizon"));
  g_assert_false (finds (f, "kz", "Kołodziej Conseil"));
  g_assert_false (finds (f, "ca", "Kołodziej Conseil"));
}

static void
test_search_ranking (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) groups = NULL;
  CrmSearchGroup *g;
  CrmSearchHit *first;

  seed_search (f);
  groups = search (f, "dupont", NULL);
  g = group_of (groups, CRM_ENTITY_ORGANISATION);
  g_assert_nonnull (g);
  g_assert_cmpuint (g->hits->len, ==, 2);
  first = g->hits->pdata[0];
  /* A name match ranks above a match in the notes. */
  g_assert_cmpstr (crm_record_get_string (first->record, "name"), ==, "Dupont Finance");
  g_assert_cmpfloat (first->rank, <, ((CrmSearchHit *) g->hits->pdata[1])->rank);
  g_assert_nonnull (strstr (first->snippet, "[Dupont]"));
  g_assert_nonnull (strstr (((CrmSearchHit *) g->hits->pdata[1])->snippet, "[Dupont]"));
}

static void
test_search_typo_fallback (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) groups = NULL;
  CrmSearchHit *hit;

  seed_search (f);
  g_assert_true (finds (f, "genarale", "Société Générale"));
  g_assert_true (finds (f, "nérale", "Société Générale"));
  g_assert_true (finds (f, "societe genreale", "Société Générale"));
  groups = search (f, "genarale", NULL);
  hit = group_of (groups, CRM_ENTITY_ORGANISATION)->hits->pdata[0];
  g_assert_true (hit->fuzzy);
  g_assert_false (finds (f, "zzzzzz", "Société Générale"));
}

static void
test_search_hostile_input (Fixture *f, gconstpointer data)
{
  static const char *const inputs[] = {
    "\"", "\"\"", "(", ")", "*", "-", ":", "^", "AND", "OR", "NOT", "NEAR(a b)",
    "a AND", "OR b", "\"unbalanced", "name:x", "-x", "x*y", "((", "))", "{a b}", "a + b",
    "'; DROP TABLE organisations; --", "\xff\xfe", "é\xcc\x81", "😀", "", "   ", "NEAR/3",
    "\"AND\" OR \"NOT\"", "*AND*", "a:b:c", "rank:1", "\\", "%", "_",
  };

  seed_search (f);
  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) groups = crm_replica_search (f->replica, inputs[i], NULL, 10, &error);
      g_autoptr(CrmReplicaQuery) q = crm_replica_query_new (CRM_ENTITY_ORGANISATION);
      g_autoptr(GPtrArray) rows = NULL;

      g_assert_no_error (error);
      g_assert_nonnull (groups);
      crm_replica_query_set_search (q, inputs[i]);
      rows = crm_replica_list (f->replica, q, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (crm_replica_count (f->replica, q, &error), >=, 0);
      g_assert_no_error (error);
    }
  g_assert_true (finds (f, "\"Dupont\" (finance", "Dupont Finance"));
}

static void
test_search_tombstones_hidden (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRecord) o = make (f, CRM_ENTITY_ORGANISATION, "name", "Banque Provençale", NULL);
  g_autoptr(CrmRecord) renamed = NULL;
  g_autoptr(CrmRecord) change = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);

  g_assert_true (finds (f, "provencale", "Banque Provençale"));
  g_assert_true (crm_replica_delete (f->replica, CRM_ENTITY_ORGANISATION, id_of (o), &error));
  g_assert_false (finds (f, "provencale", "Banque Provençale"));
  g_assert_true (crm_replica_restore (f->replica, CRM_ENTITY_ORGANISATION, id_of (o), &error));
  g_assert_true (finds (f, "provencale", "Banque Provençale"));

  /* A rename keeps the words both names share. */
  crm_record_set_string (change, "name", "Banque Alpine");
  renamed = crm_replica_update (f->replica, CRM_ENTITY_ORGANISATION, id_of (o), change, &error);
  g_assert_no_error (error);
  g_assert_true (finds (f, "banque", "Banque Alpine"));
  g_assert_true (finds (f, "alpine", "Banque Alpine"));
  g_assert_false (finds (f, "provencale", "Banque Alpine"));
}

static void
test_search_with_filters (Fixture *f, gconstpointer data)
{
  g_autoptr(CrmRecord) a = make (f, CRM_ENTITY_ORGANISATION, "name", "Lyon Invest", "type",
                                 "investor", "pipeline_stage", "negotiation", NULL);
  g_autoptr(CrmRecord) b = make (f, CRM_ENTITY_ORGANISATION, "name", "Lyon Fonds", "type",
                                 "fournisseur", "pipeline_stage", "negotiation", NULL);
  g_autoptr(CrmRecord) c = make (f, CRM_ENTITY_ORGANISATION, "name", "Crédit de Lyon", "type",
                                 "investor", "pipeline_stage", "won", NULL);
  g_autoptr(CrmReplicaQuery) q = crm_replica_query_new (CRM_ENTITY_ORGANISATION);
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  CrmSearchGroup *g;

  crm_replica_query_filter (q, "type", CRM_REPLICA_EQ, "investor");
  crm_replica_query_filter (q, "pipeline_stage", CRM_REPLICA_EQ, "negotiation");
  groups = search (f, "lyon", q);
  g_assert_cmpuint (groups->len, ==, 1);
  g = groups->pdata[0];
  g_assert_cmpuint (g->hits->len, ==, 1);
  g_assert_cmpstr (id_of (((CrmSearchHit *) g->hits->pdata[0])->record), ==, id_of (a));

  crm_replica_query_set_search (q, "lyon");
  g_assert_cmpint (count (f, q), ==, 1);
  rows = crm_replica_list (f->replica, q, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  (void) b; (void) c;
}

static void
test_search_grouped (Fixture *f, gconstpointer data)
{
  g_autoptr(CrmRecord) o = make (f, CRM_ENTITY_ORGANISATION, "name", "Patrimoine Azur", NULL);
  g_autoptr(CrmRecord) p = make (f, CRM_ENTITY_PERSON, "first_name", "Hélène", "last_name", "Azur",
                                 NULL);
  g_autoptr (CrmRecord) i = make (f, CRM_ENTITY_INTERACTION, "type", "note", "occurred_at",
                                  "2026-01-01T10:00:00Z", "subject", "Compte rendu", "body",
                                  "Longue discussion avec la famille Azur sur les fonds.", NULL);
  g_autoptr(CrmRecord) t = make (f, CRM_ENTITY_TASK, "title", "Rappeler Azur", NULL);
  g_autoptr(GPtrArray) groups = search (f, "azur", NULL);

  g_assert_cmpuint (groups->len, ==, 4);
  g_assert_nonnull (group_of (groups, CRM_ENTITY_ORGANISATION));
  g_assert_nonnull (group_of (groups, CRM_ENTITY_PERSON));
  g_assert_nonnull (group_of (groups, CRM_ENTITY_INTERACTION));
  g_assert_nonnull (group_of (groups, CRM_ENTITY_TASK));
  g_assert_nonnull (
      strstr (((CrmSearchHit *)group_of (groups, CRM_ENTITY_INTERACTION)->hits->pdata[0])->snippet,
              "[Azur]"));
  (void) o; (void) p; (void) i; (void) t;
}

/* ---- relations, timeline, dashboard ------------------------------------------------ */

static void
test_relations_and_timeline (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRecord) o = make (f, CRM_ENTITY_ORGANISATION, "name", "Gestion Étoile", NULL);
  g_autoptr(CrmRecord) p = make (f, CRM_ENTITY_PERSON, "first_name", "Loïc", "last_name", "Hébert",
                                 NULL);
  g_autoptr(CrmRecord) l = make (f, CRM_ENTITY_LINK, "person_id", id_of (p), "organisation_id",
                                 id_of (o), "role", "Directeur financier", "start_date",
                                 "2024-01-15", NULL);
  g_autoptr(CrmRecord) m = make (f, CRM_ENTITY_MANDAT, "organisation_id", id_of (o), "number",
                                 "M-2024-007", "signed_at", "2024-02-01", NULL);
  g_autofree char *participants = g_strdup_printf ("[\"%s\"]", id_of (p));
  g_autoptr (CrmRecord) i
      = make (f, CRM_ENTITY_INTERACTION, "type", "meeting", "occurred_at", "2025-06-01T10:00:00Z",
              "subject", "Revue annuelle", "organisation_id", id_of (o), "participant_ids",
              participants, NULL);
  g_autoptr(CrmRecord) t = make (f, CRM_ENTITY_TASK, "title", "Préparer le reporting",
                                 "organisation_id", id_of (o), "person_id", id_of (p), "due_at",
                                 "2025-07-01T10:00:00Z", NULL);
  g_autoptr(CrmRecord) change = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);
  g_autoptr(CrmRecord) updated = NULL;
  g_autoptr(GPtrArray) people = NULL;
  g_autoptr(GPtrArray) orgs = NULL;
  g_autoptr(GPtrArray) timeline = NULL;
  g_autoptr(GPtrArray) person_timeline = NULL;
  CrmReplicaMember *member;

  crm_record_set_string (change, "pipeline_stage", "won");
  updated = crm_replica_update (f->replica, CRM_ENTITY_ORGANISATION, id_of (o), change, &error);
  g_assert_no_error (error);

  people = crm_replica_organisation_people (f->replica, id_of (o), &error);
  g_assert_cmpuint (people->len, ==, 1);
  member = people->pdata[0];
  g_assert_cmpstr (crm_record_get_string (member->link, "role"), ==, "Directeur financier");
  g_assert_cmpstr (crm_record_get_string (member->other, "last_name"), ==, "Hébert");
  orgs = crm_replica_person_organisations (f->replica, id_of (p), &error);
  g_assert_cmpuint (orgs->len, ==, 1);
  g_assert_cmpstr (crm_record_get_string (((CrmReplicaMember *) orgs->pdata[0])->other, "name"), ==,
                   "Gestion Étoile");

  timeline
      = crm_replica_timeline (f->replica, CRM_ENTITY_ORGANISATION, id_of (o), NULL, 50, &error);
  g_assert_no_error (error);
  /* field change (now), task, interaction, mandat signed, person joined: newest first. */
  g_assert_cmpuint (timeline->len, ==, 5);
  g_assert_cmpint (((CrmTimelineItem *) timeline->pdata[0])->kind, ==, CRM_TIMELINE_FIELD_CHANGE);
  g_assert_cmpstr (((CrmTimelineItem *) timeline->pdata[0])->detail, ==, "prospect → won");
  g_assert_cmpint (((CrmTimelineItem *) timeline->pdata[1])->kind, ==, CRM_TIMELINE_TASK);
  g_assert_cmpint (((CrmTimelineItem *) timeline->pdata[2])->kind, ==, CRM_TIMELINE_INTERACTION);
  g_assert_cmpint (((CrmTimelineItem *) timeline->pdata[3])->kind, ==, CRM_TIMELINE_MANDAT);
  g_assert_cmpstr (((CrmTimelineItem *) timeline->pdata[3])->title, ==, "Mandat M-2024-007 signé");
  g_assert_cmpint (((CrmTimelineItem *) timeline->pdata[4])->kind, ==, CRM_TIMELINE_LINK);
  for (guint k = 1; k < timeline->len; k++)
    g_assert_cmpstr (((CrmTimelineItem *) timeline->pdata[k - 1])->at, >=,
                     ((CrmTimelineItem *) timeline->pdata[k])->at);

  person_timeline = crm_replica_timeline (f->replica, CRM_ENTITY_PERSON, id_of (p),
                                          "2025-12-31", 50, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (person_timeline->len, ==, 3);
  (void) l; (void) m; (void) i; (void) t;
}

/* A busy organisation's timeline, read in pages back in time, holds every item
 * once and in order, however each source was cut to the page size. */
static void
test_timeline_pages (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRecord) o = make (f, CRM_ENTITY_ORGANISATION, "name", "Très Occupée", NULL);
  g_autoptr(CrmRecord) p = make (f, CRM_ENTITY_PERSON, "last_name", "Durand", NULL);
  g_autoptr(CrmRecord) l = make (f, CRM_ENTITY_LINK, "person_id", id_of (p), "organisation_id",
                                 id_of (o), "start_date", "2022-06-01", NULL);
  g_autoptr(GPtrArray) all = NULL;
  g_autofree char *before = NULL;
  guint n = 0;

  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *at = g_strdup_printf ("2025-01-%02uT10:%02u:00Z", 1 + i % 28, i);
      g_autoptr(CrmRecord) r = make (f, CRM_ENTITY_INTERACTION, "type", "call", "occurred_at",
                                     at, "organisation_id", id_of (o), "subject", "Appel", NULL);
    }
  for (guint i = 1; i <= 12; i++)
    {
      g_autofree char *due = g_strdup_printf ("2024-%02u-15T09:00:00Z", i);
      g_autoptr(CrmRecord) r = make (f, CRM_ENTITY_TASK, "title", "Relance", "due_at", due,
                                     "organisation_id", id_of (o), NULL);
    }
  for (guint i = 1; i <= 5; i++)
    {
      g_autofree char *number = g_strdup_printf ("M-2023-%03u", i);
      g_autofree char *signed_at = g_strdup_printf ("2023-%02u-01", i);
      g_autofree char *start = g_strdup_printf ("2023-%02u-02", i);
      g_autofree char *end = g_strdup_printf ("2027-%02u-03", i);
      g_autoptr(CrmRecord) r = make (f, CRM_ENTITY_MANDAT, "organisation_id", id_of (o),
                                     "number", number, "signed_at", signed_at, "start_date",
                                     start, "end_date", end, NULL);
    }

  all = crm_replica_timeline (f->replica, CRM_ENTITY_ORGANISATION, id_of (o), NULL, 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 40 + 12 + 5 * 3 + 1);
  for (guint k = 1; k < all->len; k++)
    g_assert_cmpstr (((CrmTimelineItem *) all->pdata[k - 1])->at, >,
                     ((CrmTimelineItem *) all->pdata[k])->at);

  for (;;)
    {
      g_autoptr(GPtrArray) page = crm_replica_timeline (f->replica, CRM_ENTITY_ORGANISATION,
                                                        id_of (o), before, 7, &error);

      g_assert_no_error (error);
      for (guint k = 0; k < page->len; k++, n++)
        {
          CrmTimelineItem *got = page->pdata[k];
          CrmTimelineItem *want = all->pdata[n];

          g_assert_cmpint (got->kind, ==, want->kind);
          g_assert_cmpstr (got->id, ==, want->id);
          g_assert_cmpstr (got->at, ==, want->at);
        }
      if (page->len < 7)
        break;
      g_free (before);
      before = g_strdup (((CrmTimelineItem *) page->pdata[page->len - 1])->at);
    }
  g_assert_cmpuint (n, ==, all->len);
  (void) l;
}

static void
test_dashboard (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRecord) o = make (f, CRM_ENTITY_ORGANISATION, "name", "A", "pipeline_stage",
                                 "proposal", NULL);
  g_autoptr(CrmRecord) o2 = make (f, CRM_ENTITY_ORGANISATION, "name", "B", "pipeline_stage",
                                  "proposal", NULL);
  g_autoptr(CrmRecord) t1 = make (f, CRM_ENTITY_TASK, "title", "Aujourd’hui", "assignee_id",
                                  TEST_USER, "due_at", "2026-03-10T15:00:00Z", NULL);
  g_autoptr(CrmRecord) t2 = make (f, CRM_ENTITY_TASK, "title", "En retard", "assignee_id",
                                  TEST_USER, "due_at", "2026-03-01T15:00:00Z", NULL);
  g_autoptr(CrmRecord) t3 = make (f, CRM_ENTITY_TASK, "title", "Fait", "assignee_id", TEST_USER,
                                  "status", "done", "due_at", "2026-03-01T15:00:00Z", NULL);
  g_autoptr(CrmRecord) m = make (f, CRM_ENTITY_MANDAT, "organisation_id", id_of (o), "number",
                                 "M-2026-001", "status", "active", "end_date", "2026-03-25", NULL);
  g_autoptr(CrmRecord) m2 = make (f, CRM_ENTITY_MANDAT, "organisation_id", id_of (o), "number",
                                  "M-2026-002", "status", "active", "end_date", "2026-09-25", NULL);
  g_autoptr(CrmRecord) i = make (f, CRM_ENTITY_INTERACTION, "type", "call", "occurred_at",
                                 "2026-03-09T10:00:00Z", "subject", "Appel", NULL);
  g_autoptr(CrmReplicaDashboard) dash = crm_replica_dashboard (f->replica, TEST_USER, "2026-03-10",
                                                               30, 5, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (dash->n_stages, ==, 7);
  g_assert_cmpstr (dash->stages[2].stage, ==, "proposal");
  g_assert_cmpint (dash->stages[2].count, ==, 2);
  g_assert_cmpint (dash->stages[0].count, ==, 0);
  g_assert_cmpint (dash->tasks_due_today, ==, 1);
  g_assert_cmpint (dash->tasks_overdue, ==, 1);
  g_assert_cmpint (dash->mandats_expiring, ==, 1);
  g_assert_cmpuint (dash->expiring_mandats->len, ==, 1);
  g_assert_cmpuint (dash->recent_interactions->len, ==, 1);
  (void) o2; (void) t1; (void) t2; (void) t3; (void) m; (void) m2; (void) i;
}

static gint64
index_count (CrmReplica *replica)
{
  g_autofree char *path = g_strdup (crm_replica_get_path (replica));
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count (*) FROM sqlite_schema "
                                           "WHERE type = 'index' AND sql IS NOT NULL",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static void
test_demo_deterministic (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmReplica) other = crm_replica_open (":memory:", CRM_REPLICA_OPEN_NONE, &error);
  g_autoptr(CrmReplicaQuery) q = crm_replica_query_new (CRM_ENTITY_PERSON);
  g_autoptr(GPtrArray) a = NULL;
  g_autoptr(GPtrArray) b = NULL;
  gint64 n_indexes = index_count (f->replica);

  /* Into an empty replica the list indexes are rebuilt after the load: all back. */
  g_assert_true (crm_replica_fill_demo (f->replica, 1000, 7, &error));
  g_assert_cmpint (index_count (f->replica), ==, n_indexes);
  g_assert_cmpint (n_indexes, >, 30);
  g_assert_true (crm_replica_fill_demo (other, 1000, 7, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f, q), ==, 400);
  crm_replica_query_sort (q, "personal_email", FALSE);
  crm_replica_query_set_limit (q, 20);
  a = crm_replica_list (f->replica, q, NULL, &error);
  b = crm_replica_list (other, q, NULL, &error);
  for (guint i = 0; i < a->len; i++)
    g_assert_cmpstr (crm_record_get_string (a->pdata[i], "personal_email"), ==,
                     crm_record_get_string (b->pdata[i], "personal_email"));
  g_assert_cmpint (crm_replica_outbox_count (f->replica, &error), ==, 0);

  /* Bulk-indexed at the end of the load: every demo row can be found. */
  {
    g_autoptr (GPtrArray) groups = crm_replica_search (
        f->replica, crm_record_get_string (a->pdata[0], "personal_email"), NULL, 10, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (groups->len, ==, 1);
    g_assert_cmpuint (((CrmSearchGroup *) groups->pdata[0])->hits->len, ==, 1);
  }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

#define ADD(name, fn) g_test_add (name, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/replica/list/every-filter", test_filters);
  ADD ("/replica/list/bad-filter-and-cursor", test_bad_filter_and_cursor);
  ADD ("/replica/list/keyset-paging", test_keyset_paging);
  ADD ("/replica/list/offset-paging", test_offset_paging);
  ADD ("/replica/list/offset-with-cursor-or-search", test_offset_with_cursor_or_search);
  ADD ("/replica/search/diacritics-insensitive", test_search_diacritics);
  ADD ("/replica/search/fold-as-core", test_search_fold_as_core);
  ADD ("/replica/search/prefix-last-word", test_search_prefix);
  ADD ("/replica/search/two-letter-last-word", test_search_two_letters);
  ADD ("/replica/search/ranking-names-first", test_search_ranking);
  ADD ("/replica/search/typo-fallback", test_search_typo_fallback);
  ADD ("/replica/search/hostile-input", test_search_hostile_input);
  ADD ("/replica/search/with-filters", test_search_with_filters);
  ADD ("/replica/search/tombstones-hidden-renames-reindexed", test_search_tombstones_hidden);
  ADD ("/replica/search/grouped-with-snippets", test_search_grouped);
  ADD ("/replica/relations/timeline", test_relations_and_timeline);
  ADD ("/replica/relations/timeline-pages", test_timeline_pages);
  ADD ("/replica/dashboard/figures", test_dashboard);
  ADD ("/replica/demo/deterministic", test_demo_deterministic);

  return g_test_run ();
}

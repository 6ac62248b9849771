/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-merge"

#include "config.h"

#include <string.h>

#include "crm-merge.h"

/*
 * The stored row in every test: an organisation created at version 10, last
 * seen by the pushing client at BASE. Stamps are added per test.
 */
#define CREATED 10
#define BASE    41
#define ME      "client-me"
#define OTHER   "client-other"

typedef struct
{
  CrmRecord  *current;
  CrmRecord  *incoming;
  GHashTable *stamps; /* field -> CrmFieldStamp*, owned */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const CrmEntityInfo *entity = crm_entity_get (CRM_ENTITY_ORGANISATION);
  const char *tags[] = { "vip", "lyon", NULL };

  f->current = crm_record_new (entity);
  /* "all fields present": start from null everywhere, then fill a few. */
  for (guint i = 0; i < entity->n_fields; i++)
    crm_record_set_null (f->current, entity->fields[i].name);

  crm_record_set_string (f->current, "id", "0195a1b2-0000-7000-8000-000000000001");
  crm_record_set_int (f->current, "version", 60);
  crm_record_set_string (f->current, "created_at", "2026-01-05T08:00:00Z");
  crm_record_set_string (f->current, "updated_at", "2026-03-01T09:30:00Z");
  crm_record_set_string (f->current, "created_by", "0195a1b2-0000-7000-8000-0000000000c1");
  crm_record_set_string (f->current, "updated_by", "0195a1b2-0000-7000-8000-0000000000c2");
  crm_record_set_string (f->current, "owner_id", "0195a1b2-0000-7000-8000-0000000000c1");
  crm_record_set_string (f->current, "team_id", "0195a1b2-0000-7000-8000-0000000000aa");
  crm_record_set_bool (f->current, "deleted", FALSE);
  crm_record_set_string (f->current, "name", "Alpha Gestion");
  crm_record_set_string (f->current, "type", "investor");
  crm_record_set_string (f->current, "pipeline_stage", "prospect");
  crm_record_set_string (f->current, "city", "Paris");
  crm_record_set_string (f->current, "phone", "+33 1 23 45 67 89");
  crm_record_set_string (f->current, "country", "FR");
  crm_record_set_double (f->current, "aum_eur", 1250000.5);
  crm_record_set_bool (f->current, "is_active", TRUE);
  crm_record_set_strv (f->current, "tags", tags);

  f->incoming = crm_record_new (entity);
  f->stamps = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->current, crm_record_unref);
  g_clear_pointer (&f->incoming, crm_record_unref);
  g_clear_pointer (&f->stamps, g_hash_table_unref);
}

static void
stamp (Fixture    *f,
       const char *field,
       gint64      version,
       const char *client_id)
{
  CrmFieldStamp *s = g_new0 (CrmFieldStamp, 1);

  s->version = version;
  s->client_id = client_id; /* string literals: static */
  g_hash_table_replace (f->stamps, (gpointer) field, s);
}

static CrmMergeResult *
merge (Fixture    *f,
       gint64      base_version,
       const char *client_id)
{
  return crm_merge_fields (f->current, f->stamps, CREATED, FALSE, base_version, client_id,
                           f->incoming);
}

/* "city,name" — the fields present in @record, in schema order. */
static char *
present_names (const CrmRecord *record)
{
  g_autoptr(GPtrArray) names = crm_record_list_present (record);

  g_ptr_array_add (names, NULL);
  return g_strjoinv (",", (char **) names->pdata);
}

/* "city@50/client-other,phone@12/-" — the conflicts, in order. */
static char *
describe_conflicts (const CrmMergeResult *result)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < result->conflicts->len; i++)
    {
      const CrmMergeConflict *c = g_ptr_array_index (result->conflicts, i);

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_printf (out, "%s@%" G_GINT64_FORMAT "/%s",
                              c->kind == CRM_CONFLICT_DELETED ? "DELETED" : c->field,
                              c->theirs_version,
                              c->theirs_client_id != NULL ? c->theirs_client_id : "-");
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
assert_result (const CrmMergeResult *result,
               CrmMergeStatus        status,
               const char           *applied,
               const char           *conflicts)
{
  g_autofree char *applied_text = NULL;
  g_autofree char *conflicts_text = NULL;

  g_assert_nonnull (result);
  g_assert_nonnull (result->applied);
  g_assert_nonnull (result->conflicts);
  applied_text = present_names (result->applied);
  conflicts_text = describe_conflicts (result);

  g_assert_cmpstr (crm_merge_status_to_string (result->status), ==,
                   crm_merge_status_to_string (status));
  g_assert_cmpstr (applied_text, ==, applied);
  g_assert_cmpstr (conflicts_text, ==, conflicts);
}

/* Only the pushing client changed the row since it last saw it. */
static void
test_one_side_changed (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(CrmMergeResult) result = NULL;

  stamp (f, "city", 30, OTHER);
  stamp (f, "phone", BASE, OTHER);
  crm_record_set_string (f->incoming, "city", "Lyon");

  result = merge (f, BASE, ME);
  assert_result (result, CRM_MERGE_APPLIED, "city", "");
  g_assert_cmpstr (crm_record_get_string (result->applied, "city"), ==, "Lyon");
  g_assert_true (crm_record_get_entity (result->applied) == crm_record_get_entity (f->current));
}

/* Someone else changed phone, we change city: both survive. */
static void
test_both_sides_different_fields (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(CrmMergeResult) result = NULL;

  stamp (f, "phone", 50, OTHER);
  crm_record_set_string (f->incoming, "city", "Lyon");

  result = merge (f, BASE, ME);
  assert_result (result, CRM_MERGE_MERGED, "city", "");
  g_assert_cmpstr (crm_record_get_string (result->applied, "city"), ==, "Lyon");
}

/* Someone else changed city after our base: theirs stays, ours is a conflict. */
static void
test_both_sides_same_field (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(CrmMergeResult) result = NULL;

  stamp (f, "city", 50, OTHER);
  crm_record_set_string (f->incoming, "city", "Lyon");

  result = merge (f, BASE, ME);
  assert_result (result, CRM_MERGE_CONFLICT, "", "city@50/client-other");

  {
    const CrmMergeConflict *c = g_ptr_array_index (result->conflicts, 0);

    g_assert_cmpint (c->kind, ==, CRM_CONFLICT_FIELD);
    /* The field name must outlive the records (it is documented static). */
    g_assert_true (c->field == crm_entity_field (crm_entity_get (CRM_ENTITY_ORGANISATION),
                                                 "city")->name);
  }
  /* The stored row is untouched by the merge itself. */
  g_assert_cmpstr (crm_record_get_string (f->current, "city"), ==, "Paris");
}

/* Both sides wrote the same value: nothing to choose, no conflict. */
static void
test_same_value_both_sides (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(CrmMergeResult) result = NULL;

  crm_record_set_string (f->current, "city", "Lyon");
  stamp (f, "city", 50, OTHER);
  crm_record_set_string (f->incoming, "city", "Lyon");

  result = merge (f, BASE, ME);
  assert_result (result, CRM_MERGE_MERGED, "city", "");
}

/* Equality is by value for every kind of field, null included. */
static void
test_same_value_all_types (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(CrmMergeResult) result = NULL;
  const char *same_tags[] = { "vip", "lyon", NULL };

  stamp (f, "aum_eur", 50, OTHER);
  stamp (f, "is_active", 50, OTHER);
  stamp (f, "tags", 50, OTHER);
  stamp (f, "website", 50, OTHER);  /* null on both sides */
  stamp (f, "country", 50, OTHER);
  crm_record_set_double (f->incoming, "aum_eur", 1250000.5);
  crm_record_set_bool (f->incoming, "is_active", TRUE);
  crm_record_set_strv (f->incoming, "tags", same_tags);
  crm_record_set_null (f->incoming, "website");
  crm_record_set_string (f->incoming, "country", "FR");

  result = merge (f, BASE, ME);
  assert_result (result, CRM_MERGE_MERGED, "website,country,aum_eur,is_active,tags", "");
}

static void
test_different_value_all_types (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(CrmMergeResult) result = NULL;
  const char *other_tags[] = { "lyon", "vip", NULL }; /* order matters */

  stamp (f, "aum_eur", 50, OTHER);
  stamp (f, "is_active", 51, OTHER);
  stamp (f, "tags", 52, OTHER);
  stamp (f, "website", 53, NULL);
  stamp (f, "city", 54, OTHER);
  crm_record_set_double (f->incoming, "aum_eur", 1250000.25);
  crm_record_set_bool (f->incoming, "is_active", FALSE);
  crm_record_set_strv (f->incoming, "tags", other_tags);
  crm_record_set_string (f->incoming, "website", "https://alpha.example");
  crm_record_set_null (f->incoming, "city"); /* clearing a changed field is a change too */

  result = merge (f, BASE, ME);
  assert_result (result, CRM_MERGE_CONFLICT, "",
                 "website@53/-,city@54/client-other,aum_eur@50/client-other,"
                 "is_active@51/client-other,tags@52/client-other");
}

/* The field was last changed by this client's own earlier op, whose result
 * had not come back when this op was queued (so its base is older). */
static void
test_own_client_earlier_op (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(CrmMergeResult) result = NULL;

  stamp (f, "city", 50, ME);
  crm_record_set_string (f->incoming, "city", "Lyon");

  result = merge (f, BASE, ME);
  assert_result (result, CRM_MERGE_MERGED, "city", "");
  g_assert_cmpstr (crm_record_get_string (result->applied, "city"), ==, "Lyon");
}

/* The same stamp seen by another client is a conflict for that client. */
static void
test_other_client_same_stamp (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(CrmMergeResult) result = NULL;

  stamp (f, "city", 50, ME);
  crm_record_set_string (f->incoming, "city", "Lyon");

  result = merge (f, BASE, "client-third");
  assert_result (result, CRM_MERGE_CONFLICT, "", "city@50/client-me");
}

/* Client ids compare by text: equal strings at different addresses match. */
static void
test_client_id_by_value (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(CrmMergeResult) result = NULL;
  g_autofree char *me_copy = g_strdup (ME);

  stamp (f, "city", 50, ME);
  crm_record_set_string (f->incoming, "city", "Lyon");

  result = merge (f, BASE, me_copy);
  assert_result (result, CRM_MERGE_MERGED, "city", "");
}

/* REST and server changes have no client id; NULL never matches NULL. */
static void
test_null_client_id (Fixture       *f,
                     gconstpointer  data)
{
  {
    g_autoptr(CrmMergeResult) result = NULL;

    stamp (f, "city", 50, NULL);
    crm_record_set_string (f->incoming, "city", "Lyon");
    result = merge (f, BASE, NULL);
    assert_result (result, CRM_MERGE_CONFLICT, "", "city@50/-");
  }
  {
    g_autoptr(CrmMergeResult) result = NULL;

    stamp (f, "city", 50, ME);
    result = merge (f, BASE, NULL);
    assert_result (result, CRM_MERGE_CONFLICT, "", "city@50/client-me");
  }
  {
    g_autoptr(CrmMergeResult) result = NULL;

    stamp (f, "city", 50, NULL);
    result = merge (f, BASE, ME);
    assert_result (result, CRM_MERGE_CONFLICT, "", "city@50/-");
  }
  {
    /* Without a conflict, a NULL client id is fine. */
    g_autoptr(CrmMergeResult) result = NULL;

    stamp (f, "city", 20, NULL);
    result = merge (f, BASE, NULL);
    assert_result (result, CRM_MERGE_APPLIED, "city", "");
  }
}

/* The boundary: a change at exactly base_version was seen by the client. */
static void
test_base_version_boundary (Fixture       *f,
                            gconstpointer  data)
{
  crm_record_set_string (f->incoming, "city", "Lyon");

  {
    g_autoptr(CrmMergeResult) result = NULL;

    stamp (f, "city", BASE, OTHER);
    result = merge (f, BASE, ME);
    assert_result (result, CRM_MERGE_APPLIED, "city", "");
  }
  {
    g_autoptr(CrmMergeResult) result = NULL;

    stamp (f, "city", BASE + 1, OTHER);
    result = merge (f, BASE, ME);
    assert_result (result, CRM_MERGE_CONFLICT, "", "city@42/client-other");
  }
}

/* A create (base 0) meets a row that already exists: every field made by the
 * other creation is newer than 0, so only equal values go through. */
static void
test_create_race (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(CrmMergeResult) result = NULL;

  crm_record_set_string (f->incoming, "name", "Alpha Gestion");
  crm_record_set_string (f->incoming, "city", "Lyon");
  crm_record_set_string (f->incoming, "type", "investor");
  crm_record_set_string (f->incoming, "pipeline_stage", "qualified");

  result = merge (f, 0, ME);
  assert_result (result, CRM_MERGE_CONFLICT, "name,type",
                 "pipeline_stage@10/-,city@10/-");
}

static void
test_create_race_all_equal (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(CrmMergeResult) result = NULL;

  crm_record_set_string (f->incoming, "name", "Alpha Gestion");
  crm_record_set_string (f->incoming, "city", "Paris");

  result = merge (f, 0, ME);
  /* Applied, but the row has more in it than the op: merged. */
  assert_result (result, CRM_MERGE_MERGED, "name,city", "");
}

/* Editing a deleted row: one conflict of kind deleted, nothing applied. */
static void
test_deleted_row (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(CrmMergeResult) result = NULL;
  const CrmMergeConflict *c;

  stamp (f, "deleted", 55, OTHER);
  crm_record_set_bool (f->current, "deleted", TRUE);
  /* Even a field nobody else touched does not apply. */
  crm_record_set_string (f->incoming, "city", "Lyon");
  crm_record_set_string (f->incoming, "notes", "RDV pris");

  result = crm_merge_fields (f->current, f->stamps, CREATED, TRUE, BASE, ME, f->incoming);
  assert_result (result, CRM_MERGE_CONFLICT, "", "DELETED@55/client-other");

  c = g_ptr_array_index (result->conflicts, 0);
  g_assert_cmpint (c->kind, ==, CRM_CONFLICT_DELETED);
  g_assert_null (c->field);
}

static void
test_deleted_row_without_stamp (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(CrmMergeResult) result = NULL;

  crm_record_set_string (f->incoming, "city", "Paris"); /* even an equal value */
  result = crm_merge_fields (f->current, NULL, CREATED, TRUE, BASE, ME, f->incoming);
  assert_result (result, CRM_MERGE_CONFLICT, "", "DELETED@10/-");
}

static void
test_deleted_row_empty_incoming (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(CrmMergeResult) result = NULL;

  result = crm_merge_fields (f->current, f->stamps, CREATED, TRUE, BASE, ME, f->incoming);
  assert_result (result, CRM_MERGE_CONFLICT, "", "DELETED@10/-");
}

static void
test_empty_incoming (Fixture       *f,
                     gconstpointer  data)
{
  {
    g_autoptr(CrmMergeResult) result = NULL;

    stamp (f, "city", 30, OTHER);
    result = merge (f, BASE, ME);
    assert_result (result, CRM_MERGE_APPLIED, "", "");
  }
  {
    g_autoptr(CrmMergeResult) result = NULL;

    stamp (f, "phone", 50, OTHER);
    result = merge (f, BASE, ME);
    assert_result (result, CRM_MERGE_MERGED, "", "");
  }
}

/* No stamp: the field dates from the row's creation. */
static void
test_fields_without_stamps (Fixture       *f,
                            gconstpointer  data)
{
  crm_record_set_string (f->incoming, "city", "Lyon");
  crm_record_set_string (f->incoming, "notes", "Client depuis 2019");

  {
    /* created at 10, base 41: applies; the table may even be NULL */
    g_autoptr(CrmMergeResult) result = NULL;

    result = crm_merge_fields (f->current, NULL, CREATED, FALSE, BASE, ME, f->incoming);
    assert_result (result, CRM_MERGE_APPLIED, "city,notes", "");
  }
  {
    g_autoptr(CrmMergeResult) result = NULL;

    result = crm_merge_fields (f->current, f->stamps, CREATED, FALSE, BASE, ME, f->incoming);
    assert_result (result, CRM_MERGE_APPLIED, "city,notes", "");
  }
  {
    /* created after the client's base (a stale base): a conflict at the
     * creation version, with no known author */
    g_autoptr(CrmMergeResult) result = NULL;

    result = crm_merge_fields (f->current, f->stamps, 45, FALSE, BASE, ME, f->incoming);
    assert_result (result, CRM_MERGE_CONFLICT, "", "city@45/-,notes@45/-");
  }
}

/* Store-managed columns are never taken from a client, even when stamped
 * newer; owner_id and team_id go through the merge like data. */
static void
test_readonly_meta_ignored (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(CrmMergeResult) result = NULL;

  stamp (f, "version", 60, OTHER);
  stamp (f, "updated_at", 60, OTHER);
  stamp (f, "updated_by", 60, OTHER);
  stamp (f, "deleted", 60, OTHER);
  stamp (f, "team_id", 50, OTHER);
  crm_record_set_string (f->incoming, "id", "0195a1b2-0000-7000-8000-0000000000ff");
  crm_record_set_int (f->incoming, "version", 999);
  crm_record_set_string (f->incoming, "created_at", "2020-01-01T00:00:00Z");
  crm_record_set_string (f->incoming, "updated_at", "2020-01-01T00:00:00Z");
  crm_record_set_string (f->incoming, "created_by", "0195a1b2-0000-7000-8000-0000000000ee");
  crm_record_set_string (f->incoming, "updated_by", "0195a1b2-0000-7000-8000-0000000000ee");
  crm_record_set_bool (f->incoming, "deleted", TRUE);
  crm_record_set_string (f->incoming, "owner_id", "0195a1b2-0000-7000-8000-0000000000c9");
  crm_record_set_string (f->incoming, "team_id", "0195a1b2-0000-7000-8000-0000000000bb");
  crm_record_set_string (f->incoming, "city", "Lyon");

  result = merge (f, BASE, ME);
  assert_result (result, CRM_MERGE_CONFLICT, "owner_id,city", "team_id@50/client-other");
  g_assert_cmpstr (crm_record_get_string (result->applied, "owner_id"), ==,
                   "0195a1b2-0000-7000-8000-0000000000c9");
}

static void
test_readonly_only (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(CrmMergeResult) result = NULL;

  crm_record_set_int (f->incoming, "version", 1);
  crm_record_set_bool (f->incoming, "deleted", TRUE);

  result = merge (f, BASE, ME);
  assert_result (result, CRM_MERGE_APPLIED, "", "");
}

/* A realistic mix: some fields apply for each of the three reasons, some
 * conflict, the rest of the row moved on. Conflicts come in schema order. */
static void
test_many_fields_mixed (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(CrmMergeResult) result = NULL;
  const char *tags[] = { "vip", NULL };

  stamp (f, "name", 12, OTHER);           /* old: applies */
  stamp (f, "pipeline_stage", 48, OTHER); /* newer, different: conflict */
  stamp (f, "phone", 49, ME);             /* newer but ours: applies */
  stamp (f, "city", 50, OTHER);           /* newer, same value: applies */
  stamp (f, "country", 51, NULL);         /* newer, by REST: conflict */
  stamp (f, "aum_eur", BASE, OTHER);      /* exactly at base: applies */
  stamp (f, "tags", 57, "client-third");  /* newer, different: conflict */
  stamp (f, "language", 58, OTHER);       /* not in the op: only moves status */
  stamp (f, "version", 60, OTHER);

  crm_record_set_string (f->incoming, "name", "Alpha Gestion SA");
  crm_record_set_string (f->incoming, "pipeline_stage", "won");
  crm_record_set_string (f->incoming, "phone", "+33 4 00 00 00 00");
  crm_record_set_string (f->incoming, "city", "Paris");
  crm_record_set_string (f->incoming, "country", "BE");
  crm_record_set_double (f->incoming, "aum_eur", 2e6);
  crm_record_set_strv (f->incoming, "tags", tags);
  crm_record_set_string (f->incoming, "notes", "Relancer en mai"); /* unstamped: applies */
  crm_record_set_int (f->incoming, "version", 41);                 /* ignored */

  result = merge (f, BASE, ME);
  assert_result (result, CRM_MERGE_CONFLICT, "name,phone,city,aum_eur,notes",
                 "pipeline_stage@48/client-other,country@51/-,tags@57/client-third");

  g_assert_cmpstr (crm_record_get_string (result->applied, "name"), ==, "Alpha Gestion SA");
  g_assert_cmpstr (crm_record_get_string (result->applied, "phone"), ==, "+33 4 00 00 00 00");
  g_assert_cmpfloat (crm_record_get_double (result->applied, "aum_eur"), ==, 2e6);
  g_assert_cmpstr (crm_record_get_string (result->applied, "notes"), ==, "Relancer en mai");
}

/* Same as above minus the conflicting fields: merged, everything applies. */
static void
test_many_fields_no_conflict (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(CrmMergeResult) result = NULL;

  stamp (f, "name", 12, OTHER);
  stamp (f, "phone", 49, ME);
  stamp (f, "city", 50, OTHER);
  stamp (f, "language", 58, OTHER);

  crm_record_set_string (f->incoming, "name", "Alpha Gestion SA");
  crm_record_set_string (f->incoming, "phone", "+33 4 00 00 00 00");
  crm_record_set_string (f->incoming, "city", "Paris");
  crm_record_set_null (f->incoming, "notes");

  result = merge (f, BASE, ME);
  assert_result (result, CRM_MERGE_MERGED, "name,phone,city,notes", "");
  g_assert_true (crm_record_is_null (result->applied, "notes"));
}

/* The result owns its data: the inputs can go away right after. */
static void
test_result_independent (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(CrmMergeResult) result = NULL;
  g_autofree char *other = g_strdup ("client-volatile");
  CrmFieldStamp *s = g_new0 (CrmFieldStamp, 1);

  s->version = 50;
  s->client_id = other;
  g_hash_table_replace (f->stamps, (gpointer) "city", s);
  crm_record_set_string (f->incoming, "city", "Lyon");
  crm_record_set_string (f->incoming, "notes", "À rappeler");

  result = merge (f, BASE, ME);
  g_clear_pointer (&f->incoming, crm_record_unref);
  g_clear_pointer (&f->stamps, g_hash_table_unref);
  g_clear_pointer (&other, g_free);

  assert_result (result, CRM_MERGE_CONFLICT, "notes", "city@50/client-volatile");
  g_assert_cmpstr (crm_record_get_string (result->applied, "notes"), ==, "À rappeler");
}

/* Other entities work the same way (tasks, with assignee_id as data). */
static void
test_other_entity (void)
{
  g_autoptr(CrmRecord) current = crm_record_new_for_kind (CRM_ENTITY_TASK);
  g_autoptr(CrmRecord) incoming = crm_record_new_for_kind (CRM_ENTITY_TASK);
  g_autoptr(GHashTable) stamps = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(CrmMergeResult) result = NULL;
  const CrmEntityInfo *entity = crm_record_get_entity (current);
  CrmFieldStamp status_stamp = { 70, OTHER };
  g_autofree char *applied = NULL;

  for (guint i = 0; i < entity->n_fields; i++)
    crm_record_set_null (current, entity->fields[i].name);
  crm_record_set_string (current, "title", "Envoyer le DICI");
  crm_record_set_string (current, "status", "done");
  g_hash_table_insert (stamps, (gpointer) "status", &status_stamp);

  crm_record_set_string (incoming, "status", "in_progress");
  crm_record_set_string (incoming, "assignee_id", "0195a1b2-0000-7000-8000-0000000000c3");

  result = crm_merge_fields (current, stamps, 5, FALSE, 60, ME, incoming);
  applied = present_names (result->applied);
  g_assert_cmpint (result->status, ==, CRM_MERGE_CONFLICT);
  g_assert_cmpstr (applied, ==, "assignee_id");
  g_assert_cmpuint (result->conflicts->len, ==, 1);
}

static void
test_strings (void)
{
  g_assert_cmpstr (crm_merge_status_to_string (CRM_MERGE_APPLIED), ==, "applied");
  g_assert_cmpstr (crm_merge_status_to_string (CRM_MERGE_MERGED), ==, "merged");
  g_assert_cmpstr (crm_merge_status_to_string (CRM_MERGE_CONFLICT), ==, "conflict");
  g_assert_cmpstr (crm_conflict_kind_to_string (CRM_CONFLICT_FIELD), ==, "field");
  g_assert_cmpstr (crm_conflict_kind_to_string (CRM_CONFLICT_DELETED), ==, "deleted");
}

static void
test_free_null (void)
{
  crm_merge_result_free (NULL);
}

#define ADD(path, func) \
  g_test_add ("/core/merge/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ADD ("one-side-changed", test_one_side_changed);
  ADD ("both-sides/different-fields", test_both_sides_different_fields);
  ADD ("both-sides/same-field", test_both_sides_same_field);
  ADD ("both-sides/same-value", test_same_value_both_sides);
  ADD ("both-sides/same-value-all-types", test_same_value_all_types);
  ADD ("both-sides/different-value-all-types", test_different_value_all_types);
  ADD ("own-client/earlier-op", test_own_client_earlier_op);
  ADD ("own-client/other-client-same-stamp", test_other_client_same_stamp);
  ADD ("own-client/compared-by-value", test_client_id_by_value);
  ADD ("null-client-id", test_null_client_id);
  ADD ("base-version/boundary", test_base_version_boundary);
  ADD ("base-version/zero-create-race", test_create_race);
  ADD ("base-version/zero-create-race-equal", test_create_race_all_equal);
  ADD ("deleted/stamped", test_deleted_row);
  ADD ("deleted/unstamped", test_deleted_row_without_stamp);
  ADD ("deleted/empty-incoming", test_deleted_row_empty_incoming);
  ADD ("empty-incoming", test_empty_incoming);
  ADD ("fields-without-stamps", test_fields_without_stamps);
  ADD ("readonly-meta/ignored", test_readonly_meta_ignored);
  ADD ("readonly-meta/only", test_readonly_only);
  ADD ("mixed/with-conflicts", test_many_fields_mixed);
  ADD ("mixed/without-conflicts", test_many_fields_no_conflict);
  ADD ("result-owns-its-data", test_result_independent);
  g_test_add_func ("/core/merge/other-entity", test_other_entity);
  g_test_add_func ("/core/merge/strings", test_strings);
  g_test_add_func ("/core/merge/free-null", test_free_null);

  return g_test_run ();
}

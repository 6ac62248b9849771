/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-record-list-model"

#include "config.h"

#include <locale.h>

#include "crm-record-list-model.h"

/* 20,000 demo rows: 2,000 organisations and 8,000 people, 80 pages of them. */
#define DEMO_ROWS 20000

static CrmReplica *demo_replica;

static void
wait_for_seeks (CrmRecordListModel *model)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (crm_record_list_model_is_seeking (model))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* Every id of the list in order, read straight from the replica. */
static GPtrArray *
reference_ids (CrmEntityKind kind,
               const char   *sort,
               gboolean      descending)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *cursor = NULL;

  do
    {
      g_autoptr(CrmReplicaQuery) query = crm_replica_query_new (kind);
      g_autoptr(GPtrArray) rows = NULL;
      g_autoptr(GError) error = NULL;
      char *next = NULL;

      crm_replica_query_sort (query, sort, descending);
      crm_replica_query_set_limit (query, 1000);
      crm_replica_query_set_after (query, cursor);
      rows = crm_replica_list (demo_replica, query, &next, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < rows->len; i++)
        g_ptr_array_add (ids, g_strdup (crm_record_get_string (rows->pdata[i], "id")));
      g_free (cursor);
      cursor = next;
    }
  while (cursor != NULL);

  return ids;
}

static CrmRecord *
record_at (CrmRecordListModel *model,
           guint               position)
{
  g_autoptr(CrmRecordItem) item = g_list_model_get_item (G_LIST_MODEL (model), position);

  if (crm_record_item_get_record (item) == NULL)
    wait_for_seeks (model);
  g_assert_nonnull (crm_record_item_get_record (item));
  return crm_record_item_get_record (item);
}

static void
test_n_items_equals_count (void)
{
  g_autoptr(CrmRecordListModel) people = crm_record_list_model_new (demo_replica, CRM_ENTITY_PERSON);
  g_autoptr(CrmRecordListModel) providers = crm_record_list_model_new (demo_replica,
                                                                       CRM_ENTITY_ORGANISATION);
  g_autoptr(CrmReplicaQuery) all_people = crm_replica_query_new (CRM_ENTITY_PERSON);
  g_autoptr(CrmReplicaQuery) only_providers = crm_replica_query_new (CRM_ENTITY_ORGANISATION);
  g_autoptr(GError) error = NULL;
  gint64 n_people, n_providers;

  n_people = crm_replica_count (demo_replica, all_people, &error);
  g_assert_no_error (error);
  crm_replica_query_filter (only_providers, "type", CRM_REPLICA_EQ, "fournisseur");
  n_providers = crm_replica_count (demo_replica, only_providers, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n_people, >, 5000);
  g_assert_cmpint (n_providers, >, 0);

  g_assert_true (crm_record_list_model_reload (people, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (people)), ==, n_people);

  crm_record_list_model_add_filter (providers, "type", CRM_REPLICA_EQ, "fournisseur");
  g_assert_true (crm_record_list_model_reload (providers, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (providers)), ==, n_providers);
  for (guint i = 0; i < MIN (n_providers, 250); i++)
    g_assert_cmpstr (crm_record_get_string (record_at (providers, i), "type"), ==, "fournisseur");
}

static void
test_reads_only_the_pages_asked_for (void)
{
  g_autoptr(CrmRecordListModel) model = crm_record_list_model_new (demo_replica, CRM_ENTITY_PERSON);
  g_autoptr(GPtrArray) ids = reference_ids (CRM_ENTITY_PERSON, "last_name", FALSE);
  g_autoptr(GObject) first = NULL;

  g_assert_true (crm_record_list_model_reload (model, NULL));
  g_assert_cmpuint (crm_record_list_model_get_n_cached_rows (model), ==, 0);

  first = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_true (crm_record_list_model_is_loaded (model, 0));
  g_assert_false (crm_record_list_model_is_loaded (model, CRM_RECORD_LIST_PAGE_SIZE));
  g_assert_cmpuint (crm_record_list_model_get_n_cached_rows (model), ==, CRM_RECORD_LIST_PAGE_SIZE);
  g_assert_cmpstr (crm_record_item_get_id (CRM_RECORD_ITEM (first)), ==, ids->pdata[0]);

  /* The next page follows from the cursor of the first: read at once, no seek. */
  g_assert_cmpstr (crm_record_get_string (record_at (model, 150), "id"), ==, ids->pdata[150]);
  g_assert_false (crm_record_list_model_is_seeking (model));
  g_assert_cmpuint (crm_record_list_model_get_n_cached_rows (model), ==, 2 * CRM_RECORD_LIST_PAGE_SIZE);
}

static void
test_far_pages_are_sought_in_the_background (void)
{
  g_autoptr(CrmRecordListModel) model = crm_record_list_model_new (demo_replica, CRM_ENTITY_PERSON);
  g_autoptr(GPtrArray) ids = reference_ids (CRM_ENTITY_PERSON, "last_name", FALSE);
  g_autoptr(CrmRecordItem) last = NULL;
  g_autoptr(CrmRecordItem) middle = NULL;
  guint n;
  const guint probes[] = { 4321, 4399, 4400, 2999, 7000, 123 };

  g_assert_true (crm_record_list_model_reload (model, NULL));
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  g_assert_cmpuint (n, ==, ids->len);

  /* A jump to the end reads the last page at once, backwards through the reversed sort. */
  last = g_list_model_get_item (G_LIST_MODEL (model), n - 1);
  g_assert_false (crm_record_list_model_is_seeking (model));
  g_assert_cmpstr (crm_record_item_get_id (last), ==, ids->pdata[n - 1]);

  /* A jump to the middle: a placeholder now, filled in place when its page arrives. */
  middle = g_list_model_get_item (G_LIST_MODEL (model), n / 2);
  g_assert_null (crm_record_item_get_record (middle));
  g_assert_true (crm_record_list_model_is_seeking (model));
  wait_for_seeks (model);
  g_assert_cmpstr (crm_record_item_get_id (middle), ==, ids->pdata[n / 2]);
  g_assert_cmpuint (crm_record_list_model_get_n_cached_rows (model), <=,
                    2 * CRM_RECORD_LIST_PAGE_SIZE);

  for (guint i = 0; i < G_N_ELEMENTS (probes); i++)
    g_assert_cmpstr (crm_record_get_string (record_at (model, probes[i]), "id"),
                     ==, ids->pdata[probes[i]]);

  /* Only the pages of the probes are held, not the rows walked over to reach them. */
  g_assert_cmpuint (crm_record_list_model_get_n_cached_rows (model), <=,
                    8 * CRM_RECORD_LIST_PAGE_SIZE);
  g_assert_false (crm_record_list_model_is_loaded (model, 5500));
  g_assert_false (crm_record_list_model_is_loaded (model, 1000));
}

static void
test_sorts_through_the_replica (void)
{
  g_autoptr(CrmRecordListModel) model = crm_record_list_model_new (demo_replica,
                                                                   CRM_ENTITY_ORGANISATION);
  g_autoptr(GPtrArray) ids = reference_ids (CRM_ENTITY_ORGANISATION, "city", TRUE);
  guint n;

  crm_record_list_model_set_sort (model, "city", TRUE);
  g_assert_true (crm_record_list_model_reload (model, NULL));
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  g_assert_cmpuint (n, ==, ids->len);

  for (guint i = 0; i < n; i += 97)
    g_assert_cmpstr (crm_record_get_string (record_at (model, i), "id"), ==, ids->pdata[i]);
  g_assert_cmpstr (crm_record_get_string (record_at (model, n - 1), "id"), ==, ids->pdata[n - 1]);
}

static void
test_cache_is_bounded (void)
{
  g_autoptr(CrmRecordListModel) model = crm_record_list_model_new (demo_replica, CRM_ENTITY_PERSON);
  guint n;

  g_assert_true (crm_record_list_model_reload (model, NULL));
  n = g_list_model_get_n_items (G_LIST_MODEL (model));

  /* Scrolling the whole list from top to bottom. */
  for (guint i = 0; i < n; i += CRM_RECORD_LIST_PAGE_SIZE / 2)
    record_at (model, i);

  g_assert_cmpuint (crm_record_list_model_get_n_cached_rows (model), <=, 40 * CRM_RECORD_LIST_PAGE_SIZE);
  g_assert_true (crm_record_list_model_is_loaded (model, n - 1));
  g_assert_false (crm_record_list_model_is_loaded (model, 0));
}

static void
test_reload_follows_writes (void)
{
  g_autoptr(CrmRecordListModel) model = crm_record_list_model_new (demo_replica,
                                                                   CRM_ENTITY_ORGANISATION);
  g_autoptr(CrmRecord) org = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);
  g_autoptr(CrmRecord) stored = NULL;
  g_autoptr(GError) error = NULL;
  guint n;

  crm_record_list_model_add_filter (model, "city", CRM_REPLICA_EQ, "Zanzibar");
  g_assert_true (crm_record_list_model_reload (model, NULL));
  n = g_list_model_get_n_items (G_LIST_MODEL (model));

  crm_record_set_string (org, "name", "Aaa Test Gestion");
  crm_record_set_string (org, "city", "Zanzibar");
  stored = crm_replica_create (demo_replica, org, &error);
  g_assert_no_error (error);

  g_assert_true (crm_record_list_model_reload (model, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n + 1);

  g_assert_true (crm_replica_delete (demo_replica, CRM_ENTITY_ORGANISATION,
                                     crm_record_get_string (stored, "id"), &error));
  g_assert_true (crm_record_list_model_reload (model, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  demo_replica = crm_replica_open (":memory:", CRM_REPLICA_OPEN_NONE, &error);
  g_assert_no_error (error);
  g_assert_true (crm_replica_fill_demo (demo_replica, DEMO_ROWS, 42, &error));
  g_assert_no_error (error);

  g_test_add_func ("/app/record-list-model/n-items-equals-count", test_n_items_equals_count);
  g_test_add_func ("/app/record-list-model/reads-only-the-pages-asked-for",
                   test_reads_only_the_pages_asked_for);
  g_test_add_func ("/app/record-list-model/far-pages-are-sought-in-the-background",
                   test_far_pages_are_sought_in_the_background);
  g_test_add_func ("/app/record-list-model/sorts-through-the-replica", test_sorts_through_the_replica);
  g_test_add_func ("/app/record-list-model/cache-is-bounded", test_cache_is_bounded);
  g_test_add_func ("/app/record-list-model/reload-follows-writes", test_reload_follows_writes);

  status = g_test_run ();
  g_assert_finalize_object (demo_replica);
  return status;
}

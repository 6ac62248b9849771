/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-uuid"

#include "config.h"

#include <string.h>

#include "crm-uuid.h"

#define N_IDS     100000
#define N_THREADS 4

static void
test_format (void)
{
  for (guint n = 0; n < 1000; n++)
    {
      g_autofree char *id = crm_uuid7_new ();

      g_assert_nonnull (id);
      g_assert_cmpuint (strlen (id), ==, 36);
      for (guint i = 0; i < 36; i++)
        {
          if (i == 8 || i == 13 || i == 18 || i == 23)
            g_assert_cmpint (id[i], ==, '-');
          else
            g_assert_true ((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f'));
        }
      g_assert_true (crm_uuid_is_valid (id));
    }
}

static void
test_version_variant (void)
{
  for (guint n = 0; n < 1000; n++)
    {
      g_autofree char *id = crm_uuid7_new ();

      /* version nibble: first digit of the third group */
      g_assert_cmpint (id[14], ==, '7');
      /* variant 10xx: first digit of the fourth group is 8, 9, a or b */
      g_assert_nonnull (strchr ("89ab", id[19]));
    }
}

static void
test_timestamp_now (void)
{
  gint64 before = g_get_real_time () / 1000;
  g_autofree char *id = crm_uuid7_new ();
  gint64 after = g_get_real_time () / 1000;
  gint64 ts = crm_uuid7_timestamp_ms (id);

  /* Earlier tests may have borrowed a few milliseconds from the future, so
   * allow that much slack on the upper side only. */
  g_assert_cmpint (ts, >=, before);
  g_assert_cmpint (ts, <=, after + 5);
}

static void
test_timestamp_known (void)
{
  /* RFC 9562 appendix A.6 test vector: 0x017F22E279B0 ms. */
  g_assert_cmpint (crm_uuid7_timestamp_ms ("017f22e2-79b0-7cc3-98c4-dc0c0c07398f"), ==,
                   G_GINT64_CONSTANT (0x017F22E279B0));
  g_assert_cmpint (crm_uuid7_timestamp_ms ("017F22E2-79B0-7CC3-98C4-DC0C0C07398F"), ==,
                   G_GINT64_CONSTANT (1645557742000));
  g_assert_cmpint (crm_uuid7_timestamp_ms ("00000000-0000-7000-8000-000000000000"), ==, 0);
  g_assert_cmpint (crm_uuid7_timestamp_ms ("ffffffff-ffff-7fff-bfff-ffffffffffff"), ==,
                   G_GINT64_CONSTANT (0xFFFFFFFFFFFF));
}

static void
test_timestamp_not_v7 (void)
{
  /* v4, v1, Nil, Max, garbage and NULL carry no v7 timestamp. */
  g_assert_cmpint (crm_uuid7_timestamp_ms ("919108f7-52d1-4320-9bac-f847db4148a8"), ==, -1);
  g_assert_cmpint (crm_uuid7_timestamp_ms ("c232ab00-9414-11ec-b3c8-9f6bdeced846"), ==, -1);
  g_assert_cmpint (crm_uuid7_timestamp_ms ("00000000-0000-0000-0000-000000000000"), ==, -1);
  g_assert_cmpint (crm_uuid7_timestamp_ms ("ffffffff-ffff-ffff-ffff-ffffffffffff"), ==, -1);
  /* v7 nibble but wrong variant */
  g_assert_cmpint (crm_uuid7_timestamp_ms ("017f22e2-79b0-7cc3-c8c4-dc0c0c07398f"), ==, -1);
  g_assert_cmpint (crm_uuid7_timestamp_ms ("017f22e2-79b0-7cc3-98c4-dc0c0c07398"), ==, -1);
  g_assert_cmpint (crm_uuid7_timestamp_ms ("not a uuid"), ==, -1);
  g_assert_cmpint (crm_uuid7_timestamp_ms (""), ==, -1);
  g_assert_cmpint (crm_uuid7_timestamp_ms (NULL), ==, -1);
}

static void
test_unique_increasing (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *prev = NULL;
  gint64 ts_last;

  for (guint n = 0; n < N_IDS; n++)
    {
      char *id = crm_uuid7_new ();

      if (prev != NULL && strcmp (prev, id) >= 0)
        g_error ("id %u not after its predecessor: %s then %s", n, prev, id);
      g_assert_true (g_hash_table_add (seen, id));
      g_free (prev);
      prev = g_strdup (id);
    }

  g_assert_cmpuint (g_hash_table_size (seen), ==, N_IDS);

  /* Bursts borrow future milliseconds, at most one per 2048 ids: the last id
   * may run ahead of the clock by that much, never more. */
  ts_last = crm_uuid7_timestamp_ms (prev);
  g_assert_cmpint (ts_last, <=, g_get_real_time () / 1000 + N_IDS / 2048 + 1);
}

typedef struct
{
  GPtrArray *ids;
} ThreadData;

static gpointer
make_ids (gpointer user_data)
{
  ThreadData *data = user_data;

  for (guint n = 0; n < N_IDS / N_THREADS; n++)
    g_ptr_array_add (data->ids, crm_uuid7_new ());

  return NULL;
}

static void
test_threads (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  ThreadData data[N_THREADS];
  GThread *threads[N_THREADS];

  for (guint t = 0; t < N_THREADS; t++)
    {
      data[t].ids = g_ptr_array_new_with_free_func (g_free);
      threads[t] = g_thread_new ("uuid", make_ids, &data[t]);
    }
  for (guint t = 0; t < N_THREADS; t++)
    g_thread_join (threads[t]);

  for (guint t = 0; t < N_THREADS; t++)
    {
      GPtrArray *ids = data[t].ids;

      g_assert_cmpuint (ids->len, ==, N_IDS / N_THREADS);
      for (guint i = 0; i < ids->len; i++)
        {
          const char *id = g_ptr_array_index (ids, i);

          /* Each thread sees its own ids in creation order... */
          if (i > 0)
            g_assert_cmpint (strcmp (g_ptr_array_index (ids, i - 1), id), <, 0);
          /* ...and no id is ever handed to two threads. */
          g_assert_true (g_hash_table_add (seen, (gpointer) id));
        }
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, N_IDS);

  for (guint t = 0; t < N_THREADS; t++)
    g_ptr_array_unref (data[t].ids);
}

static void
test_valid (void)
{
  static const char *good[] = {
    "017f22e2-79b0-7cc3-98c4-dc0c0c07398f",  /* v7 */
    "017F22E2-79B0-7CC3-98C4-DC0C0C07398F",  /* upper case */
    "017f22e2-79B0-7Cc3-98c4-Dc0c0c07398F",  /* mixed case */
    "919108f7-52d1-4320-9bac-f847db4148a8",  /* v4 */
    "c232ab00-9414-11ec-b3c8-9f6bdeced846",  /* v1 */
    "5df41881-3aed-3515-88a7-2f4a814cf09e",  /* v3 */
    "2ed6657d-e927-568b-95e1-2665a8aea6a2",  /* v5 */
    "1ec9414c-232a-6b00-b3c8-9f6bdeced846",  /* v6 */
    "320c3d4d-cc00-875b-8ec9-32d5f69181c0",  /* v8 */
    "00000000-0000-0000-0000-000000000000",  /* Nil */
    "ffffffff-ffff-ffff-ffff-ffffffffffff",  /* Max */
    "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
    "00000000-0000-7000-a000-000000000000",  /* variant digit a */
    "00000000-0000-7000-b000-000000000000",  /* variant digit b */
  };
  static const char *bad[] = {
    "",
    "017f22e2",
    "017f22e279b07cc398c4dc0c0c07398f",       /* no dashes */
    "{017f22e2-79b0-7cc3-98c4-dc0c0c07398f}", /* braces */
    "urn:uuid:017f22e2-79b0-7cc3-98c4-dc0c0c07398f",
    "017f22e2-79b0-7cc3-98c4-dc0c0c07398",    /* short */
    "017f22e2-79b0-7cc3-98c4-dc0c0c07398f0",  /* long */
    "017f22e2-79b0-7cc3-98c4-dc0c0c07398f ",  /* trailing space */
    " 017f22e2-79b0-7cc3-98c4-dc0c0c07398f",  /* leading space */
    "017f22e279-b0-7cc3-98c4-dc0c0c07398f",   /* dash misplaced */
    "017f22e2-79b0-7cc3-98c4_dc0c0c07398f",   /* wrong separator */
    "017g22e2-79b0-7cc3-98c4-dc0c0c07398f",   /* not hex */
    "017f22e2-79b0-0cc3-98c4-dc0c0c07398f",   /* version 0 */
    "017f22e2-79b0-9cc3-98c4-dc0c0c07398f",   /* version 9 */
    "017f22e2-79b0-fcc3-98c4-dc0c0c07398f",   /* version 15 */
    "017f22e2-79b0-7cc3-08c4-dc0c0c07398f",   /* NCS variant */
    "017f22e2-79b0-7cc3-78c4-dc0c0c07398f",   /* NCS variant */
    "017f22e2-79b0-7cc3-c8c4-dc0c0c07398f",   /* Microsoft variant */
    "017f22e2-79b0-7cc3-f8c4-dc0c0c07398f",   /* reserved variant */
    "11111111-1111-1111-1111-111111111111",   /* looks like one, variant 0 */
    "00000000-0000-0000-0000-000000000001",   /* not Nil, version 0 */
    "ffffffff-ffff-ffff-ffff-fffffffffffe",   /* not Max, version 15 */
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    if (!crm_uuid_is_valid (good[i]))
      g_error ("valid UUID rejected: %s", good[i]);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    if (crm_uuid_is_valid (bad[i]))
      g_error ("invalid UUID accepted: \"%s\"", bad[i]);

  g_assert_false (crm_uuid_is_valid (NULL));
}

static void
test_embedded_nul (void)
{
  /* A valid prefix followed by NUL then more text is just the prefix; a NUL
   * inside the 36 characters must stop validation, not read past it. */
  char buf[] = "017f22e2-79b0-7cc3-98c4-dc0c0c07398f";

  buf[20] = '\0';
  g_assert_false (crm_uuid_is_valid (buf));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/uuid/format", test_format);
  g_test_add_func ("/core/uuid/version-variant", test_version_variant);
  g_test_add_func ("/core/uuid/timestamp/now", test_timestamp_now);
  g_test_add_func ("/core/uuid/timestamp/known-vectors", test_timestamp_known);
  g_test_add_func ("/core/uuid/timestamp/not-v7", test_timestamp_not_v7);
  g_test_add_func ("/core/uuid/unique-and-increasing", test_unique_increasing);
  g_test_add_func ("/core/uuid/thread-safe", test_threads);
  g_test_add_func ("/core/uuid/valid", test_valid);
  g_test_add_func ("/core/uuid/embedded-nul", test_embedded_nul);

  return g_test_run ();
}

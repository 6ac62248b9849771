/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-auth-test"

#include "config.h"

#include <locale.h>
#include <string.h>

#include "crm-rate-limit.h"

typedef struct
{
  gint64 now; /* µs */
} FakeClock;

static gint64
fake_clock (gpointer user_data)
{
  FakeClock *clock = user_data;

  return clock->now;
}

static void
advance (FakeClock *clock,
         gint64     seconds)
{
  clock->now += seconds * G_USEC_PER_SEC;
}

static CrmRateLimiter *
make_limiter (FakeClock *clock,
              guint      limit,
              guint      window,
              guint      max_keys)
{
  CrmRateLimiter *limiter = crm_rate_limiter_new (limit, window, max_keys);

  clock->now = 1000 * G_USEC_PER_SEC;
  crm_rate_limiter_set_clock (limiter, fake_clock, clock);
  return limiter;
}

static void
test_burst_then_deny (void)
{
  FakeClock clock;
  /* 5 failures per 5 minutes: then one more every minute */
  g_autoptr(CrmRateLimiter) limiter = make_limiter (&clock, 5, 300, 100);
  guint retry = 99;
  guint i;

  for (i = 0; i < 5; i++)
    {
      g_assert_true (crm_rate_limiter_hit (limiter, "anne@example.fr", &retry));
      g_assert_cmpuint (retry, ==, 0);
    }

  g_assert_false (crm_rate_limiter_hit (limiter, "anne@example.fr", &retry));
  g_assert_cmpuint (retry, ==, 60);
  g_assert_false (crm_rate_limiter_check (limiter, "anne@example.fr", &retry));
  g_assert_cmpuint (retry, ==, 60);

  advance (&clock, 59);
  g_assert_false (crm_rate_limiter_check (limiter, "anne@example.fr", &retry));
  g_assert_cmpuint (retry, ==, 1);

  advance (&clock, 1);
  g_assert_true (crm_rate_limiter_check (limiter, "anne@example.fr", &retry));
  g_assert_true (crm_rate_limiter_hit (limiter, "anne@example.fr", &retry));
  g_assert_false (crm_rate_limiter_hit (limiter, "anne@example.fr", &retry));
  g_assert_cmpuint (retry, ==, 60);
}

static void
test_keys_independent (void)
{
  FakeClock clock;
  g_autoptr(CrmRateLimiter) limiter = make_limiter (&clock, 2, 60, 100);

  g_assert_true (crm_rate_limiter_hit (limiter, "203.0.113.7", NULL));
  g_assert_true (crm_rate_limiter_hit (limiter, "203.0.113.7", NULL));
  g_assert_false (crm_rate_limiter_hit (limiter, "203.0.113.7", NULL));

  g_assert_true (crm_rate_limiter_hit (limiter, "203.0.113.8", NULL));
  g_assert_true (crm_rate_limiter_check (limiter, "anne@example.fr", NULL));
}

static void
test_check_does_not_consume (void)
{
  FakeClock clock;
  g_autoptr(CrmRateLimiter) limiter = make_limiter (&clock, 1, 60, 100);
  guint i;

  for (i = 0; i < 10; i++)
    g_assert_true (crm_rate_limiter_check (limiter, "k", NULL));
  g_assert_cmpuint (crm_rate_limiter_get_size (limiter), ==, 0);
  g_assert_true (crm_rate_limiter_hit (limiter, "k", NULL));
  g_assert_false (crm_rate_limiter_check (limiter, "k", NULL));
}

static void
test_denied_not_recorded (void)
{
  FakeClock clock;
  g_autoptr(CrmRateLimiter) limiter = make_limiter (&clock, 3, 30, 100);
  guint retry = 0;
  guint i;

  for (i = 0; i < 3; i++)
    g_assert_true (crm_rate_limiter_hit (limiter, "k", NULL));

  /* Hammering while locked out does not push the wait further out. */
  for (i = 0; i < 1000; i++)
    g_assert_false (crm_rate_limiter_hit (limiter, "k", &retry));
  g_assert_cmpuint (retry, ==, 10);

  advance (&clock, 10);
  g_assert_true (crm_rate_limiter_hit (limiter, "k", NULL));
}

static void
test_reset (void)
{
  FakeClock clock;
  g_autoptr(CrmRateLimiter) limiter = make_limiter (&clock, 1, 600, 100);

  g_assert_true (crm_rate_limiter_hit (limiter, "anne@example.fr", NULL));
  g_assert_false (crm_rate_limiter_hit (limiter, "anne@example.fr", NULL));
  crm_rate_limiter_reset (limiter, "anne@example.fr");
  g_assert_cmpuint (crm_rate_limiter_get_size (limiter), ==, 0);
  g_assert_true (crm_rate_limiter_hit (limiter, "anne@example.fr", NULL));
  crm_rate_limiter_reset (limiter, "nobody@example.fr");
  g_assert_cmpuint (crm_rate_limiter_get_size (limiter), ==, 1);
}

static void
test_refilled_keys_dropped (void)
{
  FakeClock clock;
  g_autoptr(CrmRateLimiter) limiter = make_limiter (&clock, 5, 60, 100);
  guint i;

  for (i = 0; i < 50; i++)
    {
      g_autofree char *key = g_strdup_printf ("198.51.100.%u", i);

      g_assert_true (crm_rate_limiter_hit (limiter, key, NULL));
    }
  g_assert_cmpuint (crm_rate_limiter_get_size (limiter), ==, 50);

  /* One event refills in 12 s: afterwards these keys say nothing and are dropped. */
  advance (&clock, 12);
  g_assert_true (crm_rate_limiter_check (limiter, "other", NULL));
  g_assert_cmpuint (crm_rate_limiter_get_size (limiter), ==, 0);
}

static void
test_bounded_memory (void)
{
  FakeClock clock;
  g_autoptr(CrmRateLimiter) limiter = make_limiter (&clock, 1, 3600, 100);
  guint i;

  for (i = 0; i < 10000; i++)
    {
      g_autofree char *key = g_strdup_printf ("attacker-%u@example.fr", i);

      g_assert_true (crm_rate_limiter_hit (limiter, key, NULL));
      g_assert_cmpuint (crm_rate_limiter_get_size (limiter), <=, 100);
    }

  /* The most recent keys are still limited; the oldest were forgotten. */
  g_assert_false (crm_rate_limiter_check (limiter, "attacker-9999@example.fr", NULL));
  g_assert_false (crm_rate_limiter_check (limiter, "attacker-9900@example.fr", NULL));
  g_assert_true (crm_rate_limiter_check (limiter, "attacker-0@example.fr", NULL));
}

static void
test_recently_touched_survives (void)
{
  FakeClock clock;
  g_autoptr(CrmRateLimiter) limiter = make_limiter (&clock, 1, 3600, 3);

  g_assert_true (crm_rate_limiter_hit (limiter, "victim", NULL));
  g_assert_true (crm_rate_limiter_hit (limiter, "a", NULL));
  g_assert_true (crm_rate_limiter_hit (limiter, "b", NULL));
  /* The attacker keeps trying on "victim": it stays warm and is not the one evicted. */
  g_assert_false (crm_rate_limiter_hit (limiter, "victim", NULL));
  g_assert_true (crm_rate_limiter_hit (limiter, "c", NULL));
  g_assert_false (crm_rate_limiter_check (limiter, "victim", NULL));
  g_assert_true (crm_rate_limiter_check (limiter, "a", NULL));
}

static void
test_long_keys (void)
{
  FakeClock clock;
  g_autoptr(CrmRateLimiter) limiter = make_limiter (&clock, 1, 60, 100);
  g_autofree char *long_a = g_strnfill (1 << 20, 'a');
  g_autofree char *long_b = g_strdup (long_a);

  long_b[(1 << 20) - 1] = 'b';
  g_assert_true (crm_rate_limiter_hit (limiter, long_a, NULL));
  g_assert_false (crm_rate_limiter_hit (limiter, long_a, NULL));
  g_assert_true (crm_rate_limiter_hit (limiter, long_b, NULL));
  g_assert_cmpuint (crm_rate_limiter_get_size (limiter), ==, 2);
}

typedef struct
{
  CrmRateLimiter *limiter;
  guint           allowed;
} ThreadData;

static gpointer
hammer (gpointer user_data)
{
  ThreadData *data = user_data;
  guint i;

  for (i = 0; i < 2000; i++)
    {
      g_autofree char *own = g_strdup_printf ("%p-%u", (void *) data, i % 50);

      if (crm_rate_limiter_hit (data->limiter, "shared", NULL))
        data->allowed++;
      crm_rate_limiter_hit (data->limiter, own, NULL);
    }

  return NULL;
}

static void
test_threads (void)
{
  FakeClock clock;
  g_autoptr(CrmRateLimiter) limiter = make_limiter (&clock, 100, 3600, 64);
  ThreadData data[8];
  GThread *threads[8];
  guint total = 0;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      data[i].limiter = limiter;
      data[i].allowed = 0;
      threads[i] = g_thread_new ("hammer", hammer, &data[i]);
    }
  for (i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      g_thread_join (threads[i]);
      total += data[i].allowed;
    }

  /* The clock stands still: exactly the burst gets through, whoever asks. */
  g_assert_cmpuint (total, ==, 100);
  g_assert_cmpuint (crm_rate_limiter_get_size (limiter), <=, 64);
}

static void
test_real_clock (void)
{
  g_autoptr(CrmRateLimiter) limiter = crm_rate_limiter_new (1, 3600, 10);
  guint retry = 0;

  g_assert_true (crm_rate_limiter_hit (limiter, "k", NULL));
  g_assert_false (crm_rate_limiter_hit (limiter, "k", &retry));
  g_assert_cmpuint (retry, >, 3500);
  g_assert_cmpuint (retry, <=, 3600);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/auth/rate-limit/burst-then-deny", test_burst_then_deny);
  g_test_add_func ("/auth/rate-limit/keys-independent", test_keys_independent);
  g_test_add_func ("/auth/rate-limit/check-does-not-consume", test_check_does_not_consume);
  g_test_add_func ("/auth/rate-limit/denied-not-recorded", test_denied_not_recorded);
  g_test_add_func ("/auth/rate-limit/reset", test_reset);
  g_test_add_func ("/auth/rate-limit/refilled-keys-dropped", test_refilled_keys_dropped);
  g_test_add_func ("/auth/rate-limit/bounded-memory", test_bounded_memory);
  g_test_add_func ("/auth/rate-limit/recently-touched-survives", test_recently_touched_survives);
  g_test_add_func ("/auth/rate-limit/long-keys-hashed", test_long_keys);
  g_test_add_func ("/auth/rate-limit/thread-safe", test_threads);
  g_test_add_func ("/auth/rate-limit/real-clock", test_real_clock);

  return g_test_run ();
}

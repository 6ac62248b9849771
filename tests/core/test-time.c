/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-time"

#include "config.h"

#include <string.h>

#include "crm-time.h"

#define SEC G_GINT64_CONSTANT (1000000)

/* 2026-03-01T09:30:00Z, computed by hand: 20513 days after the epoch. */
#define T_2026_03_01_0930 ((G_GINT64_CONSTANT (20513) * 86400 + 9 * 3600 + 30 * 60) * SEC)

static void
test_format (void)
{
  static const struct { gint64 usec; const char *text; } cases[] = {
    { 0, "1970-01-01T00:00:00Z" },
    { 1, "1970-01-01T00:00:00.000001Z" },
    { 123456, "1970-01-01T00:00:00.123456Z" },
    { 500000, "1970-01-01T00:00:00.500000Z" },
    { -1, "1969-12-31T23:59:59.999999Z" },
    { -SEC, "1969-12-31T23:59:59Z" },
    { -SEC - 1, "1969-12-31T23:59:58.999999Z" },
    { T_2026_03_01_0930, "2026-03-01T09:30:00Z" },
    { T_2026_03_01_0930 + 123456, "2026-03-01T09:30:00.123456Z" },
    { G_GINT64_CONSTANT (951782400) * SEC, "2000-02-29T00:00:00Z" },
    { G_GINT64_CONSTANT (-62135596800) * SEC, "0001-01-01T00:00:00Z" },
    { G_GINT64_CONSTANT (253402300799) * SEC + 999999, "9999-12-31T23:59:59.999999Z" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = crm_time_format (cases[i].usec);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_format_out_of_range (void)
{
  g_assert_null (crm_time_format (G_GINT64_CONSTANT (-62135596800) * SEC - 1));
  g_assert_null (crm_time_format (G_GINT64_CONSTANT (253402300800) * SEC));
  g_assert_null (crm_time_format (G_MAXINT64));
  g_assert_null (crm_time_format (G_MININT64));
}

static void
test_now (void)
{
  gint64 before = g_get_real_time ();
  g_autofree char *now = crm_time_now ();
  gint64 after = g_get_real_time ();
  gint64 parsed = 0;

  g_assert_nonnull (now);
  g_assert_true (g_str_has_suffix (now, "Z"));
  g_assert_true (crm_time_parse (now, &parsed));
  g_assert_cmpint (parsed, >=, before);
  g_assert_cmpint (parsed, <=, after);
}

static void
test_parse_good (void)
{
  static const struct { const char *text; gint64 usec; } cases[] = {
    { "2026-03-01T09:30:00Z", T_2026_03_01_0930 },
    { "2026-03-01t09:30:00z", T_2026_03_01_0930 },
    { "2026-03-01T10:30:00+01:00", T_2026_03_01_0930 },
    { "2026-03-01T04:00:00-05:30", T_2026_03_01_0930 },
    { "2026-03-01T09:30:00+00:00", T_2026_03_01_0930 },
    { "2026-03-01T09:30:00-00:00", T_2026_03_01_0930 },
    /* an offset that crosses midnight and a month boundary */
    { "2026-02-28T23:30:00-10:00", T_2026_03_01_0930 },
    { "2026-03-01T23:29:00+13:59", T_2026_03_01_0930 },
    { "2026-03-01T09:30:00.1Z", T_2026_03_01_0930 + 100000 },
    { "2026-03-01T09:30:00.12Z", T_2026_03_01_0930 + 120000 },
    { "2026-03-01T09:30:00.123Z", T_2026_03_01_0930 + 123000 },
    { "2026-03-01T09:30:00.000001Z", T_2026_03_01_0930 + 1 },
    { "2026-03-01T09:30:00.999999Z", T_2026_03_01_0930 + 999999 },
    { "2026-03-01T09:30:00.000000Z", T_2026_03_01_0930 },
    { "2026-03-01T11:30:00.5+02:00", T_2026_03_01_0930 + 500000 },
    { "1970-01-01T00:00:00Z", 0 },
    { "1969-12-31T23:59:59.999999Z", -1 },
    { "2000-02-29T00:00:00Z", G_GINT64_CONSTANT (951782400) * SEC },
    { "2024-02-29T12:00:00Z", G_GINT64_CONSTANT (1709208000) * SEC },
    { "2026-12-31T23:59:59Z", G_GINT64_CONSTANT (1798761599) * SEC },
    { "0001-01-01T00:00:00Z", G_GINT64_CONSTANT (-62135596800) * SEC },
    { "9999-12-31T23:59:59.999999Z", G_GINT64_CONSTANT (253402300799) * SEC + 999999 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 usec = G_MININT64;

      if (!crm_time_parse (cases[i].text, &usec))
        g_error ("rejected a valid time: %s", cases[i].text);
      g_assert_cmpint (usec, ==, cases[i].usec);
    }

  /* The out parameter is optional. */
  g_assert_true (crm_time_parse ("2026-03-01T09:30:00Z", NULL));
}

static void
test_parse_bad (void)
{
  static const char *bad[] = {
    "",
    "garbage",
    "2026-03-01",                      /* a date, not a time */
    "2026-03-01T09:30Z",               /* no seconds */
    "2026-03-01T09:30:00",             /* no offset */
    "2026-03-01 09:30:00Z",            /* space instead of T */
    "2026-03-0109:30:00Z",             /* missing T */
    "2026-03-01X09:30:00Z",
    "2026-03-01T24:00:00Z",            /* 24:00 */
    "2026-03-01T25:00:00Z",
    "2026-03-01T09:60:00Z",
    "2026-03-01T09:30:60Z",            /* leap second */
    "2026-03-01T09:30:61Z",
    "2026-02-29T09:30:00Z",            /* 2026 is not a leap year */
    "1900-02-29T00:00:00Z",            /* century, not divisible by 400 */
    "2026-02-30T00:00:00Z",
    "2026-04-31T00:00:00Z",
    "2026-13-01T00:00:00Z",
    "2026-00-01T00:00:00Z",
    "2026-01-00T00:00:00Z",
    "2026-01-32T00:00:00Z",
    "0000-01-01T00:00:00Z",            /* year 0 */
    "10000-01-01T00:00:00Z",
    "26-03-01T09:30:00Z",
    "2026-3-1T09:30:00Z",
    "2026-03-01T9:30:00Z",
    "2026/03/01T09:30:00Z",
    "2026-03-01T09:30:00.Z",           /* empty fraction */
    "2026-03-01T09:30:00.1234567Z",    /* more than microseconds */
    "2026-03-01T09:30:00,5Z",          /* ISO comma fraction */
    "2026-03-01T09:30:00+01",          /* short offset */
    "2026-03-01T09:30:00+0100",        /* offset without colon */
    "2026-03-01T09:30:00+1:00",
    "2026-03-01T09:30:00+24:00",
    "2026-03-01T09:30:00+01:60",
    "2026-03-01T09:30:00Z ",           /* trailing space */
    " 2026-03-01T09:30:00Z",           /* leading space */
    "2026-03-01T09:30:00Zjunk",
    "2026-03-01T09:30:00+01:00Z",
    "2026-03-01T09:30:00ZZ",
    "+2026-03-01T09:30:00Z",
    "-2026-03-01T09:30:00Z",
    "2026-03-01T09:30:00.12a4Z",
    "２０２６-03-01T09:30:00Z",         /* full-width digits */
    /* in range locally, out of range in UTC */
    "9999-12-31T23:30:00-01:00",
    "0001-01-01T00:30:00+01:00",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      gint64 usec = 42;

      if (crm_time_parse (bad[i], &usec))
        g_error ("accepted an invalid time: \"%s\"", bad[i]);
      /* a failed parse leaves the output alone */
      g_assert_cmpint (usec, ==, 42);
    }

  g_assert_false (crm_time_parse (NULL, NULL));
}

static void
test_round_trip (void)
{
  /* Every microsecond value in range comes back unchanged; sample widely. */
  static const gint64 samples[] = {
    0, 1, -1, 999999, 1000000, 1000001, -999999, -1000001,
    G_GINT64_CONSTANT (1709208000123456),
    G_GINT64_CONSTANT (-62135596800000000),
    G_GINT64_CONSTANT (253402300799999999),
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260301);

  for (guint i = 0; i < G_N_ELEMENTS (samples) + 2000; i++)
    {
      gint64 usec = i < G_N_ELEMENTS (samples)
                      ? samples[i]
                      : (gint64) g_rand_double_range (rand, -62135596800.0, 253402300799.0) * SEC +
                          g_rand_int_range (rand, 0, 1000000);
      g_autofree char *text = crm_time_format (usec);
      gint64 back = 0;

      g_assert_nonnull (text);
      g_assert_true (crm_time_parse (text, &back));
      g_assert_cmpint (back, ==, usec);
    }
}

static void
test_normalize (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { "2026-03-01T09:30:00Z", "2026-03-01T09:30:00Z" },
    { "2026-03-01t09:30:00z", "2026-03-01T09:30:00Z" },
    { "2026-03-01T10:30:00+01:00", "2026-03-01T09:30:00Z" },
    { "2026-03-01T00:30:00+01:00", "2026-02-28T23:30:00Z" },
    { "2024-03-01T00:30:00+01:00", "2024-02-29T23:30:00Z" },
    { "2026-12-31T23:00:00-02:00", "2027-01-01T01:00:00Z" },
    { "2026-03-01T09:30:00.5Z", "2026-03-01T09:30:00.500000Z" },
    { "2026-03-01T09:30:00.000Z", "2026-03-01T09:30:00Z" },
    { "2026-03-01T09:30:00.123456-00:00", "2026-03-01T09:30:00.123456Z" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = crm_time_normalize (cases[i].in);

      g_assert_cmpstr (out, ==, cases[i].out);
    }

  g_assert_null (crm_time_normalize ("2026-02-29T00:00:00Z"));
  g_assert_null (crm_time_normalize ("2026-03-01T24:00:00Z"));
  g_assert_null (crm_time_normalize ("hier"));
  g_assert_null (crm_time_normalize (""));
  g_assert_null (crm_time_normalize (NULL));
}

static void
test_date_parse_good (void)
{
  static const struct { const char *text; int y, m, d; } cases[] = {
    { "2026-03-01", 2026, 3, 1 },
    { "2000-02-29", 2000, 2, 29 },
    { "2024-02-29", 2024, 2, 29 },
    { "1600-02-29", 1600, 2, 29 },
    { "2026-12-31", 2026, 12, 31 },
    { "2026-04-30", 2026, 4, 30 },
    { "0001-01-01", 1, 1, 1 },
    { "9999-12-31", 9999, 12, 31 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      int y = 0, m = 0, d = 0;

      if (!crm_date_parse (cases[i].text, &y, &m, &d))
        g_error ("rejected a valid date: %s", cases[i].text);
      g_assert_cmpint (y, ==, cases[i].y);
      g_assert_cmpint (m, ==, cases[i].m);
      g_assert_cmpint (d, ==, cases[i].d);
    }

  g_assert_true (crm_date_parse ("2026-03-01", NULL, NULL, NULL));
}

static void
test_date_parse_bad (void)
{
  static const char *bad[] = {
    "", "garbage", "2026", "2026-03", "2026-3-01", "2026-03-1", "26-03-01",
    "2026-02-29", "1900-02-29", "2100-02-29", "2026-02-30", "2026-06-31",
    "2026-13-01", "2026-00-10", "2026-01-00", "2026-01-32", "0000-01-01",
    "2026-03-01T00:00:00Z", "2026-03-01 ", " 2026-03-01", "2026/03/01",
    "01/03/2026", "2026-03-01Z", "20260301", "+2026-03-01", "2026-03-0a",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      int y = -7, m = -7, d = -7;

      if (crm_date_parse (bad[i], &y, &m, &d))
        g_error ("accepted an invalid date: \"%s\"", bad[i]);
      g_assert_cmpint (y, ==, -7);
      g_assert_cmpint (m, ==, -7);
      g_assert_cmpint (d, ==, -7);
    }

  g_assert_false (crm_date_parse (NULL, NULL, NULL, NULL));
}

static void
test_date_today (void)
{
  g_autoptr(GDateTime) before = g_date_time_new_now_local ();
  g_autofree char *today = crm_date_today ();
  g_autoptr(GDateTime) after = g_date_time_new_now_local ();
  g_autofree char *expect_before = g_date_time_format (before, "%Y-%m-%d");
  g_autofree char *expect_after = g_date_time_format (after, "%Y-%m-%d");

  g_assert_true (crm_date_parse (today, NULL, NULL, NULL));
  /* Midnight may pass between the two readings: either day is right. */
  g_assert_true (g_str_equal (today, expect_before) || g_str_equal (today, expect_after));
  g_assert_cmpuint (strlen (today), ==, 10);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/time/format", test_format);
  g_test_add_func ("/core/time/format/out-of-range", test_format_out_of_range);
  g_test_add_func ("/core/time/now", test_now);
  g_test_add_func ("/core/time/parse/good", test_parse_good);
  g_test_add_func ("/core/time/parse/bad", test_parse_bad);
  g_test_add_func ("/core/time/round-trip", test_round_trip);
  g_test_add_func ("/core/time/normalize", test_normalize);
  g_test_add_func ("/core/date/parse/good", test_date_parse_good);
  g_test_add_func ("/core/date/parse/bad", test_date_parse_bad);
  g_test_add_func ("/core/date/today", test_date_today);

  return g_test_run ();
}

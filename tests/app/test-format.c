/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-format"

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "crm-format.h"

/* French, from the catalogue meson built: what the UI shows. */
#define NBSP "\302\240"

static void
test_format_amounts_in_french (void)
{
  static const struct { double eur; const char *text; } cases[] = {
    { 0, "0" NBSP "€" },
    { 850, "850" NBSP "€" },
    { 12500, "12,5" NBSP "k€" },
    { 12.5e6, "12,5" NBSP "M€" },
    { 12.46e6, "12,5" NBSP "M€" },
    { 3e6, "3" NBSP "M€" },
    { 999960, "1" NBSP "M€" },
    { 3e9, "3" NBSP "Md€" },
    { 31.375e9, "31,4" NBSP "Md€" },
    { -2.5e6, "-2,5" NBSP "M€" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = crm_format_amount_short (cases[i].eur);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_format_dates_in_french (void)
{
  g_autofree char *first = crm_format_date ("2026-03-01");
  g_autofree char *plain = crm_format_date ("2026-12-25");
  g_autofree char *with_time = crm_format_datetime ("2026-07-14");
  g_autofree char *bad = crm_format_date ("25/12/2026");

  g_assert_cmpstr (first, ==, "1er" NBSP "mars" NBSP "2026");
  g_assert_cmpstr (plain, ==, "25" NBSP "décembre" NBSP "2026");
  g_assert_cmpstr (with_time, ==, "14" NBSP "juillet" NBSP "2026");
  g_assert_null (bad);
}

static void
test_format_times_are_local (void)
{
  g_autoptr(GDateTime) local = g_date_time_new_local (2026, 5, 4, 14, 30, 0);
  g_autoptr(GDateTime) utc = g_date_time_to_utc (local);
  g_autofree char *wire = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *text = crm_format_datetime (wire);

  g_assert_cmpstr (text, ==, "4" NBSP "mai" NBSP "2026" NBSP "à" NBSP "14:30");
}

static void
test_format_relative_days (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_local (2026, 3, 10, 8, 0, 0);
  g_autofree char *today = crm_format_relative_day (now, "2026-03-10");
  g_autofree char *tomorrow = crm_format_relative_day (now, "2026-03-11");
  g_autofree char *yesterday = crm_format_relative_day (now, "2026-03-09");
  g_autofree char *soon = crm_format_relative_day (now, "2026-03-25");
  g_autofree char *ago = crm_format_relative_day (now, "2026-03-07");
  int days = 0;

  g_assert_cmpstr (today, ==, "aujourd’hui");
  g_assert_cmpstr (tomorrow, ==, "demain");
  g_assert_cmpstr (yesterday, ==, "hier");
  g_assert_cmpstr (soon, ==, "dans" NBSP "15" NBSP "jours");
  g_assert_cmpstr (ago, ==, "il" NBSP "y" NBSP "a" NBSP "3" NBSP "jours");
  g_assert_true (crm_format_days_from (now, "2027-03-10", &days));
  g_assert_cmpint (days, ==, 365);
}

static void
test_format_day_start_is_local_midnight (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_local (2026, 3, 10, 23, 59, 0);
  g_autoptr(GDateTime) midnight = g_date_time_new_local (2026, 3, 12, 0, 0, 0);
  g_autoptr(GDateTime) midnight_utc = g_date_time_to_utc (midnight);
  g_autofree char *expected = g_date_time_format (midnight_utc, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *start = crm_format_day_start_utc (now, 2);

  g_assert_cmpstr (start, ==, expected);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* As test-i18n does: C.UTF-8 honours LANGUAGE, the catalogue is the build tree's. */
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "fr", TRUE);
  bindtextdomain (GETTEXT_PACKAGE, CRM_TEST_LOCALE_DIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_add_func ("/app/format/amounts-in-french", test_format_amounts_in_french);
  g_test_add_func ("/app/format/dates-in-french", test_format_dates_in_french);
  g_test_add_func ("/app/format/times-are-local", test_format_times_are_local);
  g_test_add_func ("/app/format/relative-days", test_format_relative_days);
  g_test_add_func ("/app/format/day-start-is-local-midnight", test_format_day_start_is_local_midnight);

  return g_test_run ();
}

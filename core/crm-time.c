/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-time"

#include "config.h"

#include <string.h>

#include "crm-time.h"

/*
 * Times cross three programs and two databases as text, so the text is kept
 * to one strict shape: the RFC 3339 profile of ISO 8601, years 0001 to 9999
 * (what GDateTime, SQLite's date functions and PostgreSQL all agree on).
 * Leap seconds (":60") are refused: none of them can store one.
 */

#define USEC_PER_SEC G_GINT64_CONSTANT (1000000)
/* 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z */
#define MIN_UNIX_SEC G_GINT64_CONSTANT (-62135596800)
#define MAX_UNIX_SEC G_GINT64_CONSTANT (253402300799)

char *
crm_time_format (gint64 unix_usec)
{
  g_autoptr(GDateTime) dt = NULL;
  /* Floor division: -1 µs is 1969-12-31T23:59:59.999999Z, not 1970. */
  gint64 sec = unix_usec / USEC_PER_SEC;
  gint64 usec = unix_usec % USEC_PER_SEC;

  if (usec < 0)
    {
      usec += USEC_PER_SEC;
      sec -= 1;
    }

  if (sec < MIN_UNIX_SEC || sec > MAX_UNIX_SEC)
    return NULL;

  dt = g_date_time_new_from_unix_utc (sec);
  if (dt == NULL)
    return NULL;

  if (usec == 0)
    return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02dZ",
                            g_date_time_get_year (dt), g_date_time_get_month (dt),
                            g_date_time_get_day_of_month (dt), g_date_time_get_hour (dt),
                            g_date_time_get_minute (dt), g_date_time_get_second (dt));

  /* Always six digits: a fixed width keeps values of one precision sortable
   * as text, and round-trips exactly. */
  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d.%06" G_GINT64_FORMAT "Z",
                          g_date_time_get_year (dt), g_date_time_get_month (dt),
                          g_date_time_get_day_of_month (dt), g_date_time_get_hour (dt),
                          g_date_time_get_minute (dt), g_date_time_get_second (dt), usec);
}

char *
crm_time_now (void)
{
  return crm_time_format (g_get_real_time ());
}

/* Exactly @n ASCII digits at *@p; advances past them. */
static gboolean
take_digits (const char **p,
             guint        n,
             int         *value)
{
  int v = 0;

  for (guint i = 0; i < n; i++)
    {
      char c = (*p)[i];

      if (c < '0' || c > '9')
        return FALSE;
      v = v * 10 + (c - '0');
    }

  *p += n;
  *value = v;
  return TRUE;
}

static gboolean
take_char (const char **p,
           char         c)
{
  if (**p != c)
    return FALSE;
  *p += 1;
  return TRUE;
}

/* "YYYY-MM-DD" at *@p, checked against the calendar (leap years included). */
static gboolean
take_date (const char **p,
           int         *year,
           int         *month,
           int         *day)
{
  if (!take_digits (p, 4, year) || !take_char (p, '-') ||
      !take_digits (p, 2, month) || !take_char (p, '-') ||
      !take_digits (p, 2, day))
    return FALSE;

  /* GDate knows the Gregorian calendar; year 0 is not in it. */
  return *year >= 1 && *month >= 1 && *month <= 12 && *day >= 1 &&
         g_date_valid_dmy ((GDateDay) *day, (GDateMonth) *month, (GDateYear) *year);
}

gboolean
crm_time_parse (const char *text,
                gint64     *unix_usec)
{
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) dt = NULL;
  const char *p = text;
  int year, month, day, hour, minute, second;
  gint64 frac = 0;
  int offset_sec = 0;
  gint64 sec;

  if (text == NULL)
    return FALSE;

  if (!take_date (&p, &year, &month, &day))
    return FALSE;

  /* RFC 3339 §5.6 allows a lower-case t; the space some databases print is
   * only a "may" in a note, and accepting it would let "2026-03-01 09:30"
   * style text in through one door and not another. */
  if (*p != 'T' && *p != 't')
    return FALSE;
  p++;

  if (!take_digits (&p, 2, &hour) || !take_char (&p, ':') ||
      !take_digits (&p, 2, &minute) || !take_char (&p, ':') ||
      !take_digits (&p, 2, &second))
    return FALSE;
  /* No 24:00 (ISO 8601 allows it, RFC 3339 does not), no leap second. */
  if (hour > 23 || minute > 59 || second > 59)
    return FALSE;

  if (*p == '.')
    {
      guint n = 0;

      p++;
      /* Microseconds are all either database keeps: more digits would be
       * silently dropped, so they are refused instead. */
      while (*p >= '0' && *p <= '9')
        {
          if (++n > 6)
            return FALSE;
          frac = frac * 10 + (*p - '0');
          p++;
        }
      if (n == 0)
        return FALSE;
      for (; n < 6; n++)
        frac *= 10;
    }

  if (*p == 'Z' || *p == 'z')
    p++;
  else if (*p == '+' || *p == '-')
    {
      int sign = *p == '-' ? -1 : 1;
      int oh, om;

      p++;
      if (!take_digits (&p, 2, &oh) || !take_char (&p, ':') || !take_digits (&p, 2, &om))
        return FALSE;
      if (oh > 23 || om > 59)
        return FALSE;
      /* "-00:00" (offset unknown) still names the UTC instant. */
      offset_sec = sign * (oh * 3600 + om * 60);
    }
  else
    return FALSE;

  if (*p != '\0')
    return FALSE;

  tz = g_time_zone_new_offset (offset_sec);
  dt = g_date_time_new (tz, year, month, day, hour, minute, second);
  if (dt == NULL)
    return FALSE;

  /* A local time near the ends of the range can fall outside it in UTC. */
  sec = g_date_time_to_unix (dt);
  if (sec < MIN_UNIX_SEC || sec > MAX_UNIX_SEC)
    return FALSE;

  if (unix_usec != NULL)
    *unix_usec = sec * USEC_PER_SEC + frac;
  return TRUE;
}

char *
crm_time_normalize (const char *text)
{
  gint64 usec;

  if (!crm_time_parse (text, &usec))
    return NULL;

  return crm_time_format (usec);
}

gboolean
crm_date_parse (const char *text,
                int        *year,
                int        *month,
                int        *day)
{
  const char *p = text;
  int y, m, d;

  if (text == NULL || !take_date (&p, &y, &m, &d) || *p != '\0')
    return FALSE;

  if (year != NULL)
    *year = y;
  if (month != NULL)
    *month = m;
  if (day != NULL)
    *day = d;
  return TRUE;
}

char *
crm_date_today (void)
{
  /* The advisor's today, in the machine's time zone: a task due "today" in
   * Paris is not due yet at 00:30 UTC the day before. */
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y-%m-%d");
}

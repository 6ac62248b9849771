/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-format"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include <adwaita.h>

#include "crm-format.h"
#include "crm-time.h"

#define NBSP "\302\240"

static const char *const month_names[] = {
  NC_("month name in a date", "January"),
  NC_("month name in a date", "February"),
  NC_("month name in a date", "March"),
  NC_("month name in a date", "April"),
  NC_("month name in a date", "May"),
  NC_("month name in a date", "June"),
  NC_("month name in a date", "July"),
  NC_("month name in a date", "August"),
  NC_("month name in a date", "September"),
  NC_("month name in a date", "October"),
  NC_("month name in a date", "November"),
  NC_("month name in a date", "December"),
};

/* A unit goes with its number: a line never breaks between « 12,5 » and « M€ ».
 * The catalogue's strings use a plain space, which translators can type. */
static char *
bind_spaces (char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == ' ')
        g_string_append (out, NBSP);
      else
        g_string_append_c (out, *p);
    }
  g_free (text);

  return g_string_free (out, FALSE);
}

/* One decimal, dropped when it is zero: "12,5", "3". */
static char *
format_scaled (double value)
{
  double tenths = round (value * 10.0);
  gint64 whole = (gint64) (tenths / 10.0);
  int decimal = (int) fabs (fmod (tenths, 10.0));

  if (decimal == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT, whole);

  /* TRANSLATORS: the decimal separator in amounts such as 12.5 M€ */
  return g_strdup_printf ("%s%" G_GINT64_FORMAT "%s%d", tenths < 0 && whole == 0 ? "-" : "",
                          whole, C_("decimal separator", "."), decimal);
}

char *
crm_format_amount_short (double eur)
{
  static const double scales[] = { 1e3, 1e6, 1e9 };
  double magnitude = fabs (eur);
  g_autofree char *number = NULL;
  int unit = -1;

  if (!isfinite (eur))
    return g_strdup ("—");

  /* Pick the unit after rounding, so 999 960 € reads "1 M€", not "1000 k€". */
  for (int i = (int) G_N_ELEMENTS (scales) - 1; i >= 0; i--)
    {
      if (round (magnitude / scales[i] * 10.0) / 10.0 >= 1.0)
        {
          unit = i;
          break;
        }
    }

  if (unit < 0)
    {
      number = g_strdup_printf ("%.0f", eur);
      /* TRANSLATORS: an amount in euros, e.g. "850 €" */
      return bind_spaces (g_strdup_printf (_("%s €"), number));
    }

  number = format_scaled (eur / scales[unit]);
  switch (unit)
    {
    case 0:
      /* TRANSLATORS: thousands of euros, e.g. "12.5 k€" */
      return bind_spaces (g_strdup_printf (_("%s k€"), number));
    case 1:
      /* TRANSLATORS: millions of euros, e.g. "12.5 M€" */
      return bind_spaces (g_strdup_printf (_("%s M€"), number));
    default:
      /* TRANSLATORS: billions of euros, e.g. "3 bn€" (French: "3 Md€") */
      return bind_spaces (g_strdup_printf (_("%s bn€"), number));
    }
}

/* @wire as a local time; a plain date is local midnight of that day. */
static GDateTime *
parse_local (const char *wire,
             gboolean   *has_time)
{
  int year, month, day;
  gint64 usec;

  if (crm_date_parse (wire, &year, &month, &day))
    {
      if (has_time != NULL)
        *has_time = FALSE;
      return g_date_time_new_local (year, month, day, 0, 0, 0);
    }

  if (wire == NULL || !crm_time_parse (wire, &usec))
    return NULL;

  if (has_time != NULL)
    *has_time = TRUE;
  /* Floor to the second: a time just before midnight stays on its day. */
  return g_date_time_new_from_unix_local (usec >= 0 ? usec / G_USEC_PER_SEC
                                                    : (usec - G_USEC_PER_SEC + 1) / G_USEC_PER_SEC);
}

static char *
format_day (GDateTime *local)
{
  int day = g_date_time_get_day_of_month (local);
  int month = g_date_time_get_month (local);
  g_autofree char *day_text = NULL;

  if (day == 1)
    /* TRANSLATORS: the first day of a month in a date ("1 March"; French: "1er") */
    day_text = g_strdup (C_("first day of the month", "1"));
  else
    day_text = g_strdup_printf ("%d", day);

  /* TRANSLATORS: a date: day, month name, year, e.g. "3 March 2026" */
  return g_strdup_printf (C_("date format", "%s %s %d"), day_text,
                          g_dpgettext2 (GETTEXT_PACKAGE, "month name in a date", month_names[month - 1]),
                          g_date_time_get_year (local));
}

char *
crm_format_date (const char *wire)
{
  g_autoptr(GDateTime) local = parse_local (wire, NULL);

  if (local == NULL)
    return NULL;

  return bind_spaces (format_day (local));
}

char *
crm_format_datetime (const char *wire)
{
  gboolean has_time = FALSE;
  g_autoptr(GDateTime) local = parse_local (wire, &has_time);
  g_autofree char *day = NULL;
  g_autofree char *hour = NULL;

  if (local == NULL)
    return NULL;

  day = format_day (local);
  if (!has_time)
    return bind_spaces (g_steal_pointer (&day));

  hour = g_strdup_printf ("%02d:%02d", g_date_time_get_hour (local), g_date_time_get_minute (local));
  /* TRANSLATORS: a day and a time of day, e.g. "3 March 2026 at 14:30" */
  return bind_spaces (g_strdup_printf (_("%s at %s"), day, hour));
}

gboolean
crm_format_days_from (GDateTime  *now,
                      const char *wire,
                      int        *days)
{
  g_autoptr(GDateTime) local = parse_local (wire, NULL);
  g_autoptr(GDateTime) now_local = NULL;
  g_autoptr(GDate) from = NULL;
  g_autoptr(GDate) to = NULL;

  g_return_val_if_fail (now != NULL, FALSE);
  g_return_val_if_fail (days != NULL, FALSE);

  if (local == NULL)
    return FALSE;

  now_local = g_date_time_to_local (now);
  from = g_date_new_dmy ((GDateDay) g_date_time_get_day_of_month (now_local),
                         (GDateMonth) g_date_time_get_month (now_local),
                         (GDateYear) g_date_time_get_year (now_local));
  to = g_date_new_dmy ((GDateDay) g_date_time_get_day_of_month (local),
                       (GDateMonth) g_date_time_get_month (local),
                       (GDateYear) g_date_time_get_year (local));
  *days = g_date_days_between (from, to);

  return TRUE;
}

char *
crm_format_relative_day (GDateTime  *now,
                         const char *wire)
{
  int days;

  if (!crm_format_days_from (now, wire, &days))
    return NULL;

  if (days == 0)
    return g_strdup (_("today"));
  if (days == 1)
    return g_strdup (_("tomorrow"));
  if (days == -1)
    return g_strdup (_("yesterday"));
  if (days > 0)
    return bind_spaces (g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %d day", "in %d days",
                                                      (gulong) days),
                                         days));

  return bind_spaces (g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day ago", "%d days ago",
                                                    (gulong) -days),
                                       -days));
}

char *
crm_format_day_start_utc (GDateTime *now,
                          int        days)
{
  g_autoptr(GDateTime) now_local = NULL;
  g_autoptr(GDateTime) midnight = NULL;
  g_autoptr(GDateTime) shifted = NULL;

  g_return_val_if_fail (now != NULL, NULL);

  now_local = g_date_time_to_local (now);
  midnight = g_date_time_new_local (g_date_time_get_year (now_local),
                                    g_date_time_get_month (now_local),
                                    g_date_time_get_day_of_month (now_local), 0, 0, 0);
  /* Days, not 24-hour steps: a day that changes to or from summer time is 23 or 25 hours. */
  shifted = g_date_time_add_days (midnight, days);
  if (shifted == NULL)
    return NULL;

  return crm_time_format (g_date_time_to_unix (shifted) * G_USEC_PER_SEC);
}

/* One line of title and one of subtitle, ellipsized, not wrapped.
 * A wrapping label is measured again (and its text shaped again) for every width the
 * layout tries; a page of 40 such rows took about 150 ms of CPU to lay out at first
 * show, most of it in HarfBuzz. The whole text is in the row's tooltip. */
void
crm_row_set_single_lines (GtkWidget *row)
{
  const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
  const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
  g_autofree char *tooltip = NULL;

  for (GtkWidget *w = gtk_widget_get_first_child (row); w != NULL;)
    {
      if (GTK_IS_LABEL (w))
        {
          gtk_label_set_wrap (GTK_LABEL (w), FALSE);
          gtk_label_set_ellipsize (GTK_LABEL (w), PANGO_ELLIPSIZE_END);
        }
      /* Depth first over the row's own widgets. */
      if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != row && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w);
          w = w == row ? NULL : gtk_widget_get_next_sibling (w);
        }
    }
  tooltip = subtitle != NULL && *subtitle != '\0' ? g_strdup_printf ("%s\n%s", title, subtitle)
                                                  : g_strdup (title);
  /* A row in markup has its title and subtitle in markup: so is the tooltip. */
  if (adw_preferences_row_get_use_markup (ADW_PREFERENCES_ROW (row)))
    gtk_widget_set_tooltip_markup (row, tooltip);
  else
    gtk_widget_set_tooltip_text (row, tooltip);
}

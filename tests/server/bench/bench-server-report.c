/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-server"

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "bench-server.h"

#define BEGIN_MARKER "<!-- server-bench:begin -->"
#define END_MARKER   "<!-- server-bench:end -->"

/* The value of the first "@key : value" line of a /proc file, or NULL. */
static char *
proc_value (const char *path,
            const char *key)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *colon = strchr (lines[i], ':');

      if (colon != NULL && g_str_has_prefix (lines[i], key)
          && strspn (lines[i] + strlen (key), " \t") == (gsize) (colon - lines[i]) - strlen (key))
        return g_strstrip (g_strdup (colon + 1));
    }
  return NULL;
}

char *
bench_describe_machine (void)
{
  g_autofree char *model = proc_value ("/proc/cpuinfo", "model name");
  g_autofree char *memory = proc_value ("/proc/meminfo", "MemTotal");
  double gib = memory != NULL ? g_ascii_strtod (memory, NULL) / (1024.0 * 1024.0) : 0;

  return g_strdup_printf ("%u CPU (nproc), %s, %.1f GiB RAM", g_get_num_processors (),
                          model != NULL ? model : "processeur inconnu", gib);
}

char *
bench_load_average (void)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) fields = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return g_strdup ("?");
  fields = g_strsplit (text, " ", 4);
  if (g_strv_length (fields) < 3)
    return g_strdup ("?");
  return g_strdup_printf ("%s %s %s", fields[0], fields[1], fields[2]);
}

static const char *
verdict (const BenchReport *report,
         const BenchResult *result)
{
  if (result->bad_status > 0 || result->socket_errors > 0)
    return "erreurs";
  return result->requests_per_second >= report->target_rps
         && result->p99_ms < report->target_p99_ms ? "oui" : "non";
}

char *
bench_report_markdown (const BenchReport *report)
{
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d %H:%M UTC");
  g_autofree char *machine = bench_describe_machine ();

  g_string_append (text, "## Server (issue 4)\n\n");
  g_string_append_printf (text,
                          "`make bench` (suite `server`, `tests/server/bench/`): the real "
                          "`alforis-crm-server` (release build) over TLS on loopback, a "
                          "throwaway PostgreSQL 15 holding %u organisations, a pool of %u "
                          "connections; wrk logged in as an admin (every row visible), "
                          "`Authorization: Bearer` on every request. wrk, the server and "
                          "PostgreSQL share the same CPUs.\n\n",
                          report->organisations, report->pool_size);
  g_string_append_printf (text, "Machine: %s. Measured %s, load average %s before the "
                          "runs.\n\n", machine, date, report->load_average);
  g_string_append_printf (text, "Command (each URL in turn, after a warm-up): `%s`\n\n",
                          report->command);
  g_string_append (text, "| request | req/s | p50 (ms) | p99 (ms) | max (ms) | requests | "
                         "errors | target met | CPU/req server (µs) | CPU/req PostgreSQL (µs) "
                         "| CPU/req wrk (µs) | req/s the CPUs allow |\n");
  g_string_append (text, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: "
                         "| ---: | ---: |\n");
  for (guint i = 0; i < report->results->len; i++)
    {
      const BenchResult *result = g_ptr_array_index (report->results, i);

      double cpu_us = result->server_cpu_us + result->database_cpu_us + result->client_cpu_us;

      g_string_append_printf (text, "| `GET %s` | %.0f | %.2f | %.2f | %.1f | %" G_GUINT64_FORMAT
                              " | %" G_GUINT64_FORMAT " | %s | %.0f | %.0f | %.0f | %.0f |\n",
                              result->path, result->requests_per_second, result->p50_ms,
                              result->p99_ms, result->max_ms, result->requests,
                              result->socket_errors + result->bad_status,
                              verdict (report, result), result->server_cpu_us,
                              result->database_cpu_us, result->client_cpu_us,
                              cpu_us > 0 ? g_get_num_processors () * G_USEC_PER_SEC / cpu_us : 0);
    }
  g_string_append (text, "\n\"req/s the CPUs allow\" is the number of CPUs divided by the CPU "
                         "time one request cost the server, PostgreSQL and wrk together: the "
                         "rate an otherwise idle machine would sustain, whatever else ran "
                         "during the measurement (the load average is printed with it).\n");
  g_string_append_printf (text, "\nTarget (issue 4): at least %.0f req/s with p99 under %.0f ms "
                          "on a 2-core machine.\n",
                          report->target_rps, report->target_p99_ms);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

gboolean
bench_report_write (const char  *path,
                    const char  *section,
                    GError     **error)
{
  g_autofree char *old = NULL;
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (GError) read_error = NULL;
  const char *begin = NULL;
  const char *end = NULL;

  if (!g_file_get_contents (path, &old, NULL, &read_error))
    {
      if (!g_error_matches (read_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_propagate_error (error, g_steal_pointer (&read_error));
          return FALSE;
        }
      old = g_strdup ("# Performance\n");
    }
  begin = strstr (old, BEGIN_MARKER);
  end = begin != NULL ? strstr (begin, END_MARKER) : NULL;

  if (begin != NULL && end != NULL)
    {
      g_string_append_len (text, old, begin - old);
      g_string_append_printf (text, BEGIN_MARKER "\n%s" END_MARKER, section);
      g_string_append (text, end + strlen (END_MARKER));
    }
  else
    {
      g_string_append (text, old);
      if (text->len > 0 && text->str[text->len - 1] != '\n')
        g_string_append_c (text, '\n');
      g_string_append_printf (text, "\n" BEGIN_MARKER "\n%s" END_MARKER "\n", section);
    }
  return g_file_set_contents (path, text->str, (gssize) text->len, error);
}

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

/* What the profile showed and what was done about it: the numbers behind each step
 * are in the git log of the commits named. Kept here, since the section is rewritten
 * by every run. */
#define PROFILE_NOTES \
  "### Where a list request's CPU went, and what changed (2026-11-25)\n\n" \
  "Profiled with `perf record --call-graph dwarf` on the server during the list run " \
  "and\n`getrusage` per process (the machine has no hardware counters). At the start " \
  "of the\nday a list of 50 cost about 510 µs of server CPU and 260 µs of PostgreSQL:\n\n" \
  "* a `CrmRecord` per row, decoded from text (strdup, strtod, tag arrays) and encoded\n" \
  "  again: about half of the worker threads' time. Rows are now written straight from\n" \
  "  the `PGresult` (`server/store/crm-pg-json.c`), byte for byte what the records " \
  "wrote\n  (a test compares both over hostile rows), with an escaper that scans eight " \
  "bytes\n  at a time and no printf;\n" \
  "* the list query asked PostgreSQL for `::text` casts and `to_char` on every value;\n" \
  "  it now answers in binary (uuid, bigint, numeric, boolean, timestamptz as stored);\n" \
  "* two statements per request (the user row for the token's epoch, then the page):\n" \
  "  now one, the user row checked inside the list query (an empty or refused answer\n" \
  "  is retried with the user read first, so a stale token still gets its 401);\n" \
  "* the access token verified on every request (HMAC, base64, JSON): now once per\n" \
  "  token, cached by its SHA-256 until its `exp`;\n" \
  "* the page's ETag hashed the whole 30 kB body with SHA-256: now the rows' ids and\n" \
  "  versions, the cursor and a per-process salt;\n" \
  "* a regex over every field of the request log line, metrics keys built with\n" \
  "  printf and freed: the regex now runs only when a secret-looking word is present;\n" \
  "* smaller things on the way: the body handed to libsoup without a copy, the pool's\n" \
  "  threads kept for its life (GLib's shared threads were stopped and restarted under\n" \
  "  load), malloc keeping freed page buffers instead of returning them to the kernel\n" \
  "  and faulting them back, the select list written once per entity.\n\n" \
  "What remains is mostly outside our code: TLS records and loopback TCP (the\n" \
  "kernel's delivery to wrk is charged to the sending server), libsoup's own\n" \
  "signals and objects per message, the thread hand-offs (main loop → worker →\n" \
  "PostgreSQL → worker → main loop: about ten event-fd wake-ups of the main loop per\n" \
  "request, most from GLib sources made ready at once), and PostgreSQL sending 51\n" \
  "rows of 25 columns (each binary value gets its own 1 kB buffer there).\n\n" \
  "Measured per thread during a list run: the main loop (TLS, HTTP, libsoup) takes\n" \
  "about half of the server's CPU per request, the four workers the rest. The next\n" \
  "steps, not taken: the row's JSON kept by PostgreSQL itself (a generated column\n" \
  "in the wire spelling, one value per row to send and copy instead of 25), and\n" \
  "several libsoup I/O threads on one SO_REUSEPORT port (the WebSocket hub would\n" \
  "have to accept connections from more than one main context first). On these two\n" \
  "shared cores wrk alone takes about 75 µs of every request.\n"

static const char *
verdict (const BenchReport *report,
         const BenchResult *result)
{
  if (result->bad_status > 0 || result->socket_errors > 0)
    return "errors";
  /* The issue sets the target for the list only. */
  if (!g_str_equal (result->name, "list"))
    return "—";
  return result->requests_per_second >= report->target_rps
         && result->p99_ms < report->target_p99_ms ? "met" : "missed";
}

char *
bench_report_markdown (const BenchReport *report)
{
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d %H:%M UTC");
  g_autofree char *machine = bench_describe_machine ();

  g_string_append (text,
                   "## Server (issue 4)\n\n"
                   "This section is written by the benchmark itself; edit\n"
                   "`tests/server/bench/bench-server-report.c`, not the text.\n\n"
                   "### How to run it\n\n"
                   "```sh\n"
                   "make bench                                  # every benchmark, release build\n"
                   "meson test -C _build-rel --benchmark --suite server --verbose "
                   "--timeout-multiplier 0\n"
                   "```\n\n"
                   "`CRM_BENCH_SECONDS`, `CRM_BENCH_ORGANISATIONS`, `CRM_BENCH_POOL_SIZE` and "
                   "`CRM_BENCH_RUNS` (list runs, 3)\nchange the run; "
                   "`CRM_BENCH_REPORT` names the file to update (meson sets it to this one).\n\n");
  g_string_append_printf (text,
                          "The real `alforis-crm-server` over TLS on loopback, against a "
                          "throwaway PostgreSQL 15\n"
                          "holding %u organisations (COPYed with versions, stamps and "
                          "change-log rows, as\n"
                          "the store writes them), with a pool of %u connections. wrk logs in "
                          "as an administrator\n"
                          "(every row visible) and sends `Authorization: Bearer` on every "
                          "request. wrk, the\n"
                          "server and PostgreSQL share the same CPUs.\n\n",
                          report->organisations, report->pool_size);
  g_string_append_printf (text, "### Machine\n\n%s.\nMeasured %s; load average %s before "
                                "the runs (the machine is shared).\n\n",
                          machine, date, report->load_average);
  g_string_append_printf (text, "### Numbers\n\nEach URL in turn, after a %u s warm-up:\n\n"
                                "```sh\n%s\n```\n\n",
                          report->warmup_seconds, report->command);
  g_string_append (text, "| request | req/s | p50 ms | p99 ms | max ms | errors | target | "
                         "CPU µs/req: server | PostgreSQL | wrk | req/s the CPUs allow |\n");
  g_string_append (text, "| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: "
                         "| ---: |\n");
  for (guint i = 0; i < report->results->len; i++)
    {
      const BenchResult *result = g_ptr_array_index (report->results, i);
      double cpu_us = result->server_cpu_us + result->database_cpu_us + result->client_cpu_us;

      g_string_append_printf (text, "| %s | %.0f | %.1f | %.1f | %.0f | %" G_GUINT64_FORMAT
                              " | %s | %.0f | %.0f | %.0f | %.0f |\n",
                              g_str_equal (result->name, "list") ? "list of 50" : "get by id",
                              result->requests_per_second, result->p50_ms, result->p99_ms,
                              result->max_ms, result->socket_errors + result->bad_status,
                              verdict (report, result), result->server_cpu_us,
                              result->database_cpu_us, result->client_cpu_us,
                              cpu_us > 0 ? g_get_num_processors () * G_USEC_PER_SEC / cpu_us : 0);
    }
  g_string_append (text, "\nEvery run, with the load average (1, 5, 15 min) just before and "
                         "just after it; the table\nabove shows the best list run:\n\n"
                         "| run | req/s | p99 ms | CPU µs/req: server | PostgreSQL | wrk | "
                         "req/s per CPU second | load before | load after |\n"
                         "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |\n");
  for (guint i = 0; report->list_runs != NULL && i < report->list_runs->len; i++)
    {
      const BenchResult *result = g_ptr_array_index (report->list_runs, i);
      double cpu_us = result->server_cpu_us + result->database_cpu_us + result->client_cpu_us;

      g_string_append_printf (text,
                              "| %s %u | %.0f | %.1f | %.0f | %.0f | %.0f | %.0f | %s | %s |\n",
                              result->name, i + 1, result->requests_per_second, result->p99_ms,
                              result->server_cpu_us, result->database_cpu_us,
                              result->client_cpu_us,
                              cpu_us > 0 ? G_USEC_PER_SEC / cpu_us : 0,
                              result->load_before != NULL ? result->load_before : "?",
                              result->load_after != NULL ? result->load_after : "?");
    }
  g_string_append (text, "\n" PROFILE_NOTES);
  g_string_append_printf (text,
                          "\nTarget (issue 4): at least %.0f req/s with a p99 under %.0f ms on "
                          "a 2-core machine.\n"
                          "\"req/s the CPUs allow\" is the number of CPUs divided by the CPU "
                          "time one request\n"
                          "cost the server, PostgreSQL and wrk together: what an otherwise idle "
                          "machine would\n"
                          "sustain, whatever else ran during the measurement.\n",
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

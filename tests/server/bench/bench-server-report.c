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
  "Profiled with `perf record` (`--call-graph dwarf` on the server, system-wide for\n" \
  "PostgreSQL), `strace -c` for system calls, and the CPU time of each process and of\n" \
  "each server thread from `/proc` (the machine has no hardware counters). At the start\n" \
  "of the day a list of 50 cost about 510 µs of server CPU and 260 µs of PostgreSQL.\n\n" \
  "Morning (the page written without records):\n\n" \
  "* a `CrmRecord` per row, decoded from text and encoded again: rows are written\n" \
  "  straight from the `PGresult` (`server/store/crm-pg-json.c`), byte for byte what\n" \
  "  the records wrote, with an escaper that scans eight bytes at a time, no printf;\n" \
  "* `::text` casts and `to_char` on every value: the columns are read in binary;\n" \
  "* two statements per request: one, the user row checked inside the list query (an\n" \
  "  empty or refused answer is retried with the user read first, so a stale token\n" \
  "  still gets its 401);\n" \
  "* the access token verified on every request: once per token, cached by its SHA-256\n" \
  "  until its `exp`; the ETag from the rows' ids and versions, not a hash of the body;\n" \
  "* a regex over every field of the request log line, metrics keys built with printf,\n" \
  "  the body copied into libsoup, the pool's threads stopped and restarted under load,\n" \
  "  malloc returning page buffers to the kernel: all gone.\n\n" \
  "That left 485 µs per request (server 260, PostgreSQL 161, wrk 64): 4,123 req/s.\n\n" \
  "Afternoon (commits 2c292a2, eb3f47c, fe701a3):\n\n" \
  "* PostgreSQL sent 51 rows of 25 binary values, each through its own send buffer\n" \
  "  (`pq_begintypsend`, malloc, memcpy: about a third of its time), and the workers\n" \
  "  spelt each value again (`crm_pg_json_append_row` and the escaper: about 40 % of\n" \
  "  their time). Each synced row now keeps its JSON, in the API's spelling, in a\n" \
  "  stored generated column `wire` (`migrations/server/0015_wire_json.sql`) that\n" \
  "  PostgreSQL computes on every write, whoever writes. A page selects `wire`, the id\n" \
  "  and the version (153 values instead of 1,326) and the worker copies 51 strings. A\n" \
  "  row PostgreSQL cannot spell as core does (a number printf would round, a year past\n" \
  "  9999, a tag that needs an escape) has no `wire`, and its page is written from the\n" \
  "  columns as before. Tests hold the column to the columns' JSON for every entity,\n" \
  "  after creates and updates, and over hostile rows. Get by id reads `wire` too.\n" \
  "  PostgreSQL: 161–164 → 80–110 µs per list request; server: 260–268 → 190–245 µs\n" \
  "  (measured at loads of 4 to 9: the other engineers' builds and benchmarks);\n" \
  "* a list sorted by id (the default) no longer selects the id again as text;\n" \
  "* the main loop's own bookkeeping per request: the API kept a second copy of the\n" \
  "  request's start and route on the message (string keys looked up in GLib's global\n" \
  "  quark table), and a body-size handler was connected to every message, GETs\n" \
  "  included: one record per request now, the handler only for requests with a body.\n\n" \
  "What is left. The server's main thread (the \"main loop\" column of the run\n" \
  "table) spends about a third of its time in TLS records and loopback TCP sends\n" \
  "(the kernel's delivery to wrk is charged to the sender: three `sendto` per\n" \
  "answer, the headers and two 16 kB records), then libsoup's signals and objects\n" \
  "per message, `poll` and context switches. GLib 2.74 writes the main context's\n" \
  "event fd whenever it blocks or unblocks a source that has child sources —\n" \
  "libsoup's I/O source over glib-networking's TLS source over the socket's — about\n" \
  "ten writes per request from the main thread to itself (`strace -f`), each one\n" \
  "another turn of the loop. The workers' share is mostly libpq reading 30 kB from\n" \
  "PostgreSQL's socket and the two thread hand-offs. Not tried: libpq's asynchronous\n" \
  "API on the main loop (no worker hop, but the busiest thread would also parse\n" \
  "PostgreSQL's answers), several libsoup I/O threads on one SO_REUSEPORT port (the\n" \
  "WebSocket hub would have to accept connections from more than one main context).\n\n" \
  "Pool size (`CRM_BENCH_POOL_SIZE`, two list runs each, loads 5.5 to 10): 4\n" \
  "connections gave 2,614–4,251 req/s at 349–413 µs per request, 6 gave 2,743–4,646\n" \
  "at 352–412 µs, 8 gave 2,547–3,461 at 411–471 µs, 2 and 3 no better than 4. On a\n" \
  "machine this loaded the spread between runs is wider than any difference between\n" \
  "sizes (more threads also win a bigger share of the shared CPUs); 8 is worse\n" \
  "everywhere. The pool stays at 4. The p99 at 64 connections is queueing: by\n" \
  "Little's law 64 connections at 5,000 req/s wait 12.8 ms on average, so a p99\n" \
  "under 25 ms needs the tail within twice the mean. The p99 follows the load of the\n" \
  "machine, not the pool size: 40–140 ms at loads of 5 to 10, 17.7–19.9 ms for\n" \
  "5,042–5,491 req/s once the load fell to 2.5 (15:35 UTC, pool 4, the run above).\n"

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
                   "make bench                                  # every benchmark, release build "
                   "(_build-bench)\n"
                   "meson test -C _build-bench --benchmark --suite server --verbose "
                   "--timeout-multiplier 0   # this one\n"
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
                         "| run | req/s | p99 ms | CPU µs/req: server | of which main loop | "
                         "PostgreSQL | wrk | req/s per CPU second | load before | load after |\n"
                         "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |\n");
  for (guint i = 0; report->list_runs != NULL && i < report->list_runs->len; i++)
    {
      const BenchResult *result = g_ptr_array_index (report->list_runs, i);
      double cpu_us = result->server_cpu_us + result->database_cpu_us + result->client_cpu_us;

      g_string_append_printf (text,
                              "| %s %u | %.0f | %.1f | %.0f | %.0f | %.0f | %.0f | %.0f | %s | %s |\n",
                              result->name, i + 1, result->requests_per_second, result->p99_ms,
                              result->server_cpu_us, result->server_main_cpu_us,
                              result->database_cpu_us,
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

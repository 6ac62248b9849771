/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

/*
 * The server benchmark of `make bench` (issue 4): the real binary over TLS against a
 * throwaway PostgreSQL holding 100k organisations, loaded by wrk.
 */

/* ---- bench-server-load.c ---------------------------------------------------------- */

typedef struct
{
  guint   count;         /* organisations to write */
  char  **owner_ids;     /* users the rows belong to, in turn */
  char   *team_id;
  char   *author_id;     /* created_by / updated_by and the stamps' "u" */
} BenchLoad;

/* COPYs @load->count organisations as crm_store_mutate() would have created them (a
 * version from the change sequence, field stamps, a change-log row each) in one
 * transaction; returns the id of the row in the middle, or NULL with @error set. */
char     *bench_load_organisations (PGconn          *conn,
                                    const BenchLoad *load,
                                    GError         **error);

/* ---- bench-server-wrk.c ----------------------------------------------------------- */

typedef struct
{
  char    *name;          /* "list", "get" */
  char    *path;          /* what was asked, relative to the server */
  guint64  requests;
  double   seconds;
  double   requests_per_second;
  double   p50_ms;
  double   p99_ms;
  double   max_ms;
  guint64  socket_errors; /* connect, read, write and timeouts together */
  guint64  bad_status;    /* answers outside 2xx and 3xx */
  /* CPU microseconds per request. */
  double   server_cpu_us;
  double   server_main_cpu_us;  /* of which the main loop's thread (TLS, HTTP, libsoup) */
  double   database_cpu_us;
  double   client_cpu_us;
  /* /proc/loadavg around the run: the machine is shared. */
  char    *load_before;
  char    *load_after;
} BenchResult;

void      bench_result_free (BenchResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BenchResult, bench_result_free)

typedef struct
{
  guint threads;
  guint connections;
  guint seconds;
} BenchWrkOptions;

/* The wrk command line as the report shows it (the token is in a script, never here). */
char        *bench_wrk_describe (const BenchWrkOptions *options,
                                 const char            *url);
/* Runs wrk against @base_url + @path with "Authorization: Bearer @token" on every
 * request (through a private Lua script, not the command line). */
BenchResult *bench_wrk_run (const BenchWrkOptions *options,
                            const char            *name,
                            const char            *base_url,
                            const char            *path,
                            const char            *token,
                            GError               **error);

/* ---- bench-server-cpu.c ----------------------------------------------------------- */

/* CPU seconds used so far. */
typedef struct
{
  double server;    /* the server process, every thread */
  double server_main; /* its main thread: the main loop */
  double database;  /* the postmaster and its backends */
  double client;    /* our waited-for children: wrk */
} BenchCpu;

void      bench_cpu_sample (BenchCpu *sample,
                            GPid      server,
                            GPid      postmaster);

/* ---- bench-server-report.c -------------------------------------------------------- */

typedef struct
{
  const BenchWrkOptions *wrk;
  const char            *command;       /* bench_wrk_describe of the first run */
  guint                  organisations;
  guint                  pool_size;
  GPtrArray             *results;       /* of BenchResult*: the best list run, the get */
  GPtrArray             *list_runs;     /* of BenchResult*: every run in order (the list's,
                                         * then the get) */
  double                 target_rps;
  double                 target_p99_ms;
  const char            *load_average;  /* /proc/loadavg before the runs */
  guint                  warmup_seconds;
} BenchReport;

/* "2 × AMD EPYC, 23.5 GiB" from /proc: what the numbers were measured on. */
char     *bench_describe_machine (void);
/* The 1, 5 and 15 minute load averages. */
char     *bench_load_average (void);
/* The Markdown section, between the markers, without the markers. */
char     *bench_report_markdown (const BenchReport *report);
/* Replaces the section between <!-- server-bench:begin --> and <!-- server-bench:end -->
 * of @path (creating the file or appending the section when absent); the rest of the
 * file is not ours and stays byte for byte. */
gboolean  bench_report_write (const char  *path,
                              const char  *section,
                              GError     **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-server"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "bench-server.h"

/*
 * wrk does the load. Its Lua hooks carry what must not be on a command line (the bearer
 * token, in a 0600 file in a private directory) and print the totals in one line we
 * read back exactly, instead of scraping its rounded human summary.
 */

#define RESULT_TAG "crm-bench-result"

static const char script_template[] =
  "wrk.headers[\"Authorization\"] = \"Bearer %s\"\n"
  "done = function (summary, latency, requests)\n"
  "  local e = summary.errors\n"
  "  io.write (string.format (\"" RESULT_TAG " %%.0f %%.0f %%.0f %%.0f %%.0f %%.0f %%.0f\\n\",\n"
  "    summary.requests, summary.duration, latency:percentile (50), latency:percentile (99),\n"
  "    latency.max, e.connect + e.read + e.write + e.timeout, e.status))\n"
  "end\n";

void
bench_result_free (BenchResult *result)
{
  if (result == NULL)
    return;
  g_free (result->name);
  g_free (result->path);
  g_free (result->load_before);
  g_free (result->load_after);
  g_free (result);
}

char *
bench_wrk_describe (const BenchWrkOptions *options,
                    const char            *url)
{
  return g_strdup_printf ("wrk -t%u -c%u -d%us --latency -s auth.lua '%s'", options->threads,
                          options->connections, options->seconds, url);
}

static gboolean
token_is_plain (const char *token)
{
  /* A JWT is base64url and dots: nothing that could end the Lua string. */
  return token[0] != '\0'
         && strspn (token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")
              == strlen (token);
}

static char *
write_script (const char  *directory,
              const char  *token,
              GError     **error)
{
  g_autofree char *path = g_build_filename (directory, "auth.lua", NULL);
  g_autofree char *text = g_strdup_printf (script_template, token);

  if (!g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_NONE, 0600, error))
    return NULL;
  return g_steal_pointer (&path);
}

static void
child_setup (gpointer user_data)
{
  /* wrk does not outlive a benchmark that crashed or was killed. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static gboolean
parse_result (const char   *output,
              BenchResult  *result,
              GError      **error)
{
  const char *line = strstr (output, RESULT_TAG " ");
  double values[7];
  char *end;

  if (line == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "wrk n'a pas donné de résultat :\n%s", output);
      return FALSE;
    }
  line += strlen (RESULT_TAG " ");
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      values[i] = g_ascii_strtod (line, &end);
      if (end == line)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "résultat de wrk illisible :\n%s", output);
          return FALSE;
        }
      line = end;
    }
  result->requests = (guint64) values[0];
  result->seconds = values[1] / G_USEC_PER_SEC;
  result->requests_per_second = result->seconds > 0 ? values[0] / result->seconds : 0;
  result->p50_ms = values[2] / 1000.0;
  result->p99_ms = values[3] / 1000.0;
  result->max_ms = values[4] / 1000.0;
  result->socket_errors = (guint64) values[5];
  result->bad_status = (guint64) values[6];
  return TRUE;
}

static void
remove_directory (char *directory)
{
  g_autofree char *script = g_build_filename (directory, "auth.lua", NULL);

  g_unlink (script);
  g_rmdir (directory);
  g_free (directory);
}

BenchResult *
bench_wrk_run (const BenchWrkOptions *options,
               const char            *name,
               const char            *base_url,
               const char            *path,
               const char            *token,
               GError               **error)
{
  g_autoptr (BenchResult) result = g_new0 (BenchResult, 1);
  g_autofree char *directory = NULL;
  g_autofree char *script = NULL;
  g_autofree char *url = g_strconcat (base_url, path, NULL);
  g_autofree char *threads = g_strdup_printf ("-t%u", options->threads);
  g_autofree char *connections = g_strdup_printf ("-c%u", options->connections);
  g_autofree char *duration = g_strdup_printf ("-d%us", options->seconds);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  gboolean spawned;

  if (!token_is_plain (token))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "le jeton d'accès a une forme inattendue");
      return NULL;
    }
  directory = g_dir_make_tmp ("crm-bench-wrk-XXXXXX", error);
  if (directory == NULL)
    return NULL;
  script = write_script (directory, token, error);
  if (script != NULL)
    {
      const char *argv[] = { "wrk", threads, connections, duration, "--latency", "-s", script,
                             url, NULL };

      spawned = g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, child_setup, NULL,
                              &out, &err, &status, error);
    }
  else
    spawned = FALSE;
  g_clear_pointer (&directory, remove_directory);

  if (!spawned || !g_spawn_check_wait_status (status, error))
    {
      if (err != NULL && error != NULL && *error != NULL)
        g_prefix_error (error, "%s\n", err);
      return NULL;
    }
  g_print ("%s", out);
  result->name = g_strdup (name);
  result->path = g_strdup (path);
  if (!parse_result (out, result, error))
    return NULL;
  return g_steal_pointer (&result);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-server"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "bench-server.h"

/*
 * CPU time beside wall time: on a shared machine req/s says as much about the
 * neighbours as about us, while the CPU seconds the server, PostgreSQL and wrk spent
 * per request do not depend on who else runs.
 */

/* utime + stime of /proc/@what/stat (a process, or one of its threads), in seconds;
 * FALSE once it is gone. */
static gboolean
process_cpu_path (const char *what,
                  GPid       *parent,
                  double     *seconds)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", what);
  g_autofree char *text = NULL;
  g_auto (GStrv) fields = NULL;
  const char *after_name;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return FALSE;
  /* The command name may hold spaces: fields are counted after its closing ')'. */
  after_name = strrchr (text, ')');
  if (after_name == NULL)
    return FALSE;
  fields = g_strsplit (after_name + 2, " ", 16);
  if (g_strv_length (fields) < 14)
    return FALSE;
  /* After the name: state(0) ppid(1) ... utime(11) stime(12). */
  if (parent != NULL)
    *parent = (GPid) atoi (fields[1]);
  *seconds = (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL))
             / (double) sysconf (_SC_CLK_TCK);
  return TRUE;
}

static gboolean
process_cpu (GPid    pid,
             GPid   *parent,
             double *seconds)
{
  g_autofree char *what = g_strdup_printf ("%d", (int) pid);

  return process_cpu_path (what, parent, seconds);
}

/* The postmaster and its children: every backend of the cluster. */
static double
cluster_cpu (GPid postmaster)
{
  g_autoptr (GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;
  double total = 0;

  if (proc == NULL)
    return 0;
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      GPid pid = (GPid) atoi (name);
      GPid parent = 0;
      double seconds = 0;

      if (pid > 0 && process_cpu (pid, &parent, &seconds)
          && (pid == postmaster || parent == postmaster))
        total += seconds;
    }
  return total;
}

static double
children_cpu (void)
{
  struct rusage usage;

  getrusage (RUSAGE_CHILDREN, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec
         + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / (double) G_USEC_PER_SEC;
}

void
bench_cpu_sample (BenchCpu *sample,
                  GPid      server,
                  GPid      postmaster)
{
  g_autofree char *main_thread = g_strdup_printf ("%d/task/%d", (int) server, (int) server);

  sample->server = 0;
  sample->server_main = 0;
  process_cpu (server, NULL, &sample->server);
  /* The main thread's id is the process id: /proc/PID/task/PID/stat. */
  process_cpu_path (main_thread, NULL, &sample->server_main);
  sample->database = cluster_cpu (postmaster);
  sample->client = children_cpu ();
}

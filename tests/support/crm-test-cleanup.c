/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-test-cleanup"

#include "config.h"

#include <gio/gio.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "crm-test-cleanup.h"

static void
leave_session (gpointer user_data)
{
  /* A timeout kill of the test's process group must not take the watchdog with it. */
  setsid ();
}

int
crm_test_remove_when_gone (const char *directory,
                           GError    **error)
{
  const char *argv[] = { "/bin/sh", "-c", "while read -r _; do :; done; rm -rf \"$1\"",
                         "crm-test-cleanup", directory, NULL };
  int fds[2];

  /* Close-on-exec: no other child may keep the write end, or EOF would never come. */
  if (pipe2 (fds, O_CLOEXEC) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "pipe2 : %s",
                   g_strerror (errno));
      return -1;
    }
  if (!g_spawn_async_with_pipes_and_fds (NULL, argv, NULL,
                                         G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                         leave_session, NULL, fds[0], -1, -1, NULL, NULL, 0,
                                         NULL, NULL, NULL, NULL, error))
    {
      close (fds[0]);
      close (fds[1]);
      return -1;
    }
  close (fds[0]);
  return fds[1];
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Removes @directory (rm -rf) once this process is gone, however it ends: a small
 * watchdog waits for EOF on a pipe whose write end only we hold. Returns that write end
 * (close it to remove the directory now), or -1 with @error set.
 */
int crm_test_remove_when_gone (const char *directory,
                               GError    **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A TCP port on 127.0.0.1 that nothing listens on right now, or 0 with @error set. */
guint crm_test_pick_free_port (GError **error);

G_END_DECLS

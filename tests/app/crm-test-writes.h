/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "crm-window.h"

G_BEGIN_DECLS

/* The writes @window offers on screen now, as "win.edit, New _Task, ..." ("" for none). */
char     *crm_test_writes_on_screen (CrmWindow  *window);
gboolean  crm_test_has_write        (CrmWindow  *window,
                                     const char *what);
/* Fails the test, naming them, if @window offers any write. */
void      crm_test_assert_no_writes (CrmWindow  *window,
                                     const char *where);
/* Shows every section in turn: none offers a write, and Ctrl+N opens nothing. */
void      crm_test_walk_as_reader   (CrmWindow  *window);

/* The buttons under @root that show only an icon and have no tooltip ("" for none). */
char     *crm_test_unnamed_buttons  (GtkWidget  *root);

G_END_DECLS

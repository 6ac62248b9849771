/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "crm-application.h"
#include "crm-window.h"

G_BEGIN_DECLS

/* Called once the application has started up and opened its main window. */
typedef void (*CrmTestAppFunc) (CrmApplication *app,
                                CrmWindow      *window);

typedef gboolean (*CrmTestCondition) (gpointer data);

/* TRUE (the default): runs start as if the first-run choice had been "local", so the
 * window comes up without the account dialog. */
extern gboolean crm_test_app_first_run_choice;

void  crm_test_app_run           (CrmTestAppFunc      func);
/* The same with command-line arguments (after the program name). */
void  crm_test_app_run_with_args (const char * const *args,
                                  CrmTestAppFunc      func);
void  crm_test_iterate           (void);
void  crm_test_wait_until        (CrmTestCondition    done,
                                  gpointer            data);
char *crm_test_replica_path      (void);
void  crm_test_remove_replica    (const char         *path);
/* Renders @toplevel (and the popovers open in it, where they are) to a PNG, the way GTK
 * draws it: no window manager or compositor needed, so popovers keep their shadows. */
void  crm_test_save_png          (GtkWidget          *toplevel,
                                  const char         *path);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "crm-application.h"
#include "crm-window.h"

G_BEGIN_DECLS

/* Called once the application has started up and opened its main window. */
typedef void (*CrmTestAppFunc) (CrmApplication *app,
                                CrmWindow      *window);

void crm_test_app_run  (CrmTestAppFunc func);
void crm_test_iterate  (void);

G_END_DECLS

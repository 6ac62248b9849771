/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CRM_TYPE_PREFERENCES_WINDOW (crm_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (CrmPreferencesWindow, crm_preferences_window, CRM, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

/* The preferences: style (follow the system, light, dark), the synchronisation interval
 * and the default list density, each bound to its GSettings key, so a change applies at
 * once and is remembered. Modal over @transient_for when it is not NULL. */
GtkWidget *crm_preferences_window_new (GtkWindow *transient_for);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-notify-listener.h — a dedicated PostgreSQL connection that LISTENs on one channel
 * (crm_changes: the change sequence number of each commit, DESIGN.md §4) on its own
 * thread, so the main loop never waits on it.
 *
 * What it hears arrives on the main context of the thread that created it. When the
 * connection drops it reconnects with back-off, LISTENs again, and says so
 * (@reconnected) so the caller can catch up on what committed while it was deaf: the
 * payloads are only numbers, the change log has the rest.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CrmNotifyListener CrmNotifyListener;

/* The highest sequence number among the notifications just received. */
typedef void (*CrmNotifyFunc)        (gint64   seq,
                                      gpointer user_data);
/* Called once the LISTEN is in place, the first time and after every reconnection. */
typedef void (*CrmNotifyListening)   (gpointer user_data);

CrmNotifyListener *crm_notify_listener_new  (const char         *conninfo,
                                             const char         *channel,
                                             CrmNotifyFunc       notified,
                                             CrmNotifyListening  listening,
                                             gpointer            user_data);
/* Stops the thread and closes the connection; nothing is called back afterwards. */
void               crm_notify_listener_free (CrmNotifyListener  *self);

/* How many times the LISTEN connection was (re)established. */
guint              crm_notify_listener_get_connections (CrmNotifyListener *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmNotifyListener, crm_notify_listener_free)

G_END_DECLS

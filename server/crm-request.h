/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Per-request bookkeeping kept on the message: its id, when it began, who and which route. */

void        crm_request_begin (SoupServerMessage *msg);
void        crm_request_got_headers (SoupServerMessage *msg);
const char *crm_request_get_id (SoupServerMessage *msg);
void        crm_request_set_route (SoupServerMessage *msg,
                                   const char        *route);
void        crm_request_set_user (SoupServerMessage *msg,
                                  const char        *user_id);
/* NULL until a handler claimed the request. */
const char *crm_request_get_route (SoupServerMessage *msg);
/* g_get_monotonic_time () when the request began; 0 for a message we never saw begin. */
gint64      crm_request_get_started (SoupServerMessage *msg);
/* Counted as in flight (its headers came in); the flag is read back once it is done. */
void        crm_request_set_in_flight (SoupServerMessage *msg);
gboolean    crm_request_get_in_flight (SoupServerMessage *msg);
gboolean    crm_request_id_is_acceptable (const char *id);
void        crm_request_log (SoupServerMessage *msg,
                             gboolean           aborted);

G_END_DECLS

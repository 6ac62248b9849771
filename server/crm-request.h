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
gboolean    crm_request_id_is_acceptable (const char *id);
void        crm_request_log (SoupServerMessage *msg,
                             gboolean           aborted);

G_END_DECLS

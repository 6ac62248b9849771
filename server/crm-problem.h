/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Stable RFC 9457 types: the base and the slugs are part of the API; never rename one. */
#define CRM_HTTP_PROBLEM_BASE "https://crm.alforis.fr/problems/"

#define CRM_HTTP_PROBLEM_NOT_FOUND          "not-found"
#define CRM_HTTP_PROBLEM_METHOD_NOT_ALLOWED "method-not-allowed"
#define CRM_HTTP_PROBLEM_TOO_LARGE          "payload-too-large"
#define CRM_HTTP_PROBLEM_UNAVAILABLE        "unavailable"
#define CRM_HTTP_PROBLEM_INTERNAL           "internal"

/*
 * Answers @msg with an application/problem+json body: type, title, status, detail,
 * the request id, and any extra members already in @extra (which it takes).
 */
void crm_problem_respond (SoupServerMessage *msg,
                          guint              status,
                          const char        *slug,
                          const char        *title,
                          const char        *detail,
                          JsonObject        *extra);

void crm_json_respond (SoupServerMessage *msg,
                       guint              status,
                       JsonNode          *body);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* base64url without padding, written independently of the library under test. */
char *auth_test_b64url (const void *data,
                        gsize       len);

/* A compact JWT with exactly these header and payload bytes, HMAC-SHA256-signed with
 * @secret: lets a test craft what an attacker holding (or not) the secret could send. */
char *auth_test_sign_raw (const char *secret,
                          const char *header_json,
                          const char *payload_json);

G_END_DECLS

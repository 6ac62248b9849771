/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-auth-private.h — helpers shared by the auth modules, not part of the API.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  CRM_B64_STANDARD, /* A-Z a-z 0-9 + /  (password hashes, as PHC strings use) */
  CRM_B64_URL,      /* A-Z a-z 0-9 - _  (JWT segments, refresh tokens) */
} CrmB64Alphabet;

/* Base64 without padding. */
char     *crm_auth_b64_encode  (CrmB64Alphabet  alphabet,
                                const guint8   *data,
                                gsize           len);

/* Strict decoding: only the alphabet's 64 characters, no padding, no whitespace, and the
 * unused low bits of the last character must be zero, so that every byte string has
 * exactly one accepted encoding. Returns NULL if @text is not that encoding. */
guint8   *crm_auth_b64_decode  (CrmB64Alphabet  alphabet,
                                const char     *text,
                                gsize           text_len,
                                gsize          *out_len);

gboolean  crm_auth_random_bytes (guint8  *buffer,
                                 gsize    len,
                                 GError **error);

char     *crm_auth_hex_encode  (const guint8 *data,
                                gsize         len);

G_END_DECLS

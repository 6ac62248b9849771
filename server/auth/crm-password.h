/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-password.h — password hashing (scrypt through OpenSSL's EVP_KDF) and policy.
 *
 * Stored form, self-describing so the parameters can grow later without a migration:
 *
 *   $scrypt$ln=15,r=8,p=1$<salt: standard base64, no padding>$<key: same>
 *
 * N = 2^ln. A login that finds an older form verifies it, then asks
 * crm_password_needs_rehash() and stores a fresh hash while it still has the password.
 * Nothing here logs; nothing keeps a copy of a password beyond the call.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CRM_PASSWORD_SCRYPT_LN    15  /* N = 32768: about 95 ms and 32 MiB here */
#define CRM_PASSWORD_SCRYPT_R     8
#define CRM_PASSWORD_SCRYPT_P     1
#define CRM_PASSWORD_SALT_BYTES   16
#define CRM_PASSWORD_KEY_BYTES    32
#define CRM_PASSWORD_MIN_CHARS    12
#define CRM_PASSWORD_MAX_BYTES    1024

/* A fresh random salt each call. Returns NULL (CRM_AUTH_ERROR_INVALID_ARGUMENT) for a
 * password that is not UTF-8 or longer than CRM_PASSWORD_MAX_BYTES, CRM_AUTH_ERROR_CRYPTO
 * if OpenSSL fails. The password is NFC-normalised first so "é" typed as one or two code
 * points is the same password. Policy is not checked here: see crm_password_check_policy(). */
char     *crm_password_hash         (const char  *password,
                                     GError     **error);

/* TRUE if @password matches @encoded (keys compared with CRYPTO_memcmp). FALSE with:
 *   CRM_AUTH_ERROR_BAD_CREDENTIALS  it does not match;
 *   CRM_AUTH_ERROR_MALFORMED        @encoded is not a hash this module can read (a server
 *                                   fault to log, not the user's: answer as a failed login);
 *   CRM_AUTH_ERROR_CRYPTO           OpenSSL failed. */
gboolean  crm_password_verify       (const char  *password,
                                     const char  *encoded,
                                     GError     **error);

/* Spends the time of a verification at the current parameters and throws it away: call it
 * when the account does not exist, so response time does not tell which e-mails have an
 * account. */
void      crm_password_verify_dummy (const char  *password);

/* TRUE if @encoded is unreadable or was made with other parameters, salt or key sizes than
 * the current ones. */
gboolean  crm_password_needs_rehash (const char  *encoded);

/* Policy for a new password: UTF-8, at least CRM_PASSWORD_MIN_CHARS characters, at most
 * CRM_PASSWORD_MAX_BYTES bytes, no control characters, not one repeated character, at least
 * five different characters, not a run like "abcdefghijkl" or "987654321098", not a
 * well-known password with digits around it, and not containing the local part of
 * @email (may be NULL). FALSE with CRM_AUTH_ERROR_WEAK_PASSWORD and a French sentence that
 * says what to change. */
gboolean  crm_password_check_policy (const char  *password,
                                     const char  *email,
                                     GError     **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-auth-test"

#include "config.h"

#include <string.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "auth-test-util.h"

char *
auth_test_b64url (const void *data,
                  gsize       len)
{
  char *text = g_base64_encode (data, len);
  char *p;

  for (p = text; *p != '\0'; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        {
          *p = '\0';
          break;
        }
    }

  return text;
}

char *
auth_test_sign_raw (const char *secret,
                    const char *header_json,
                    const char *payload_json)
{
  g_autofree char *header = auth_test_b64url (header_json, strlen (header_json));
  g_autofree char *payload = auth_test_b64url (payload_json, strlen (payload_json));
  g_autofree char *input = g_strconcat (header, ".", payload, NULL);
  g_autofree char *signature = NULL;
  guint8 mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;

  g_assert_nonnull (HMAC (EVP_sha256 (), secret, (int) strlen (secret),
                          (const guint8 *) input, strlen (input), mac, &mac_len));
  g_assert_cmpuint (mac_len, ==, 32);
  signature = auth_test_b64url (mac, mac_len);

  return g_strconcat (input, ".", signature, NULL);
}

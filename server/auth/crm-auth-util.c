/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-auth"

#include "config.h"

#include <glib/gi18n.h>
#include <openssl/rand.h>

#include "crm-auth-error.h"
#include "crm-auth-private.h"

static const char b64_standard[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b64_url[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static inline const char *
alphabet_chars (CrmB64Alphabet alphabet)
{
  return alphabet == CRM_B64_URL ? b64_url : b64_standard;
}

/* Returns 0..63, or -1 for anything outside this alphabet (the other alphabet's two
 * specials included, so a token cannot mix them). */
static inline int
b64_value (CrmB64Alphabet alphabet,
           guchar         c)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (alphabet == CRM_B64_URL)
    {
      if (c == '-')
        return 62;
      if (c == '_')
        return 63;
    }
  else
    {
      if (c == '+')
        return 62;
      if (c == '/')
        return 63;
    }
  return -1;
}

char *
crm_auth_b64_encode (CrmB64Alphabet  alphabet,
                     const guint8   *data,
                     gsize           len)
{
  const char *chars = alphabet_chars (alphabet);
  char *out = g_malloc ((len + 2) / 3 * 4 + 1);
  char *p = out;
  gsize i;

  for (i = 0; i + 3 <= len; i += 3)
    {
      guint32 v = ((guint32) data[i] << 16) | ((guint32) data[i + 1] << 8) | data[i + 2];

      *p++ = chars[(v >> 18) & 63];
      *p++ = chars[(v >> 12) & 63];
      *p++ = chars[(v >> 6) & 63];
      *p++ = chars[v & 63];
    }

  if (len - i == 1)
    {
      guint32 v = (guint32) data[i] << 16;

      *p++ = chars[(v >> 18) & 63];
      *p++ = chars[(v >> 12) & 63];
    }
  else if (len - i == 2)
    {
      guint32 v = ((guint32) data[i] << 16) | ((guint32) data[i + 1] << 8);

      *p++ = chars[(v >> 18) & 63];
      *p++ = chars[(v >> 12) & 63];
      *p++ = chars[(v >> 6) & 63];
    }

  *p = '\0';
  return out;
}

guint8 *
crm_auth_b64_decode (CrmB64Alphabet  alphabet,
                     const char     *text,
                     gsize           text_len,
                     gsize          *out_len)
{
  g_autofree guint8 *out = NULL;
  gsize tail = text_len % 4;
  gsize n = 0;
  guint32 acc = 0;
  guint bits = 0;
  gsize i;

  g_return_val_if_fail (text != NULL || text_len == 0, NULL);
  g_return_val_if_fail (out_len != NULL, NULL);

  /* One leftover character carries 6 bits: not even a byte. */
  if (tail == 1)
    return NULL;

  out = g_malloc (text_len / 4 * 3 + 3);

  for (i = 0; i < text_len; i++)
    {
      int v = b64_value (alphabet, (guchar) text[i]);

      if (v < 0)
        return NULL;

      acc = (acc << 6) | (guint32) v;
      bits += 6;
      if (bits >= 8)
        {
          bits -= 8;
          out[n++] = (guint8) (acc >> bits);
          acc &= (1u << bits) - 1;
        }
    }

  /* Leftover bits must be zero, otherwise "AB" and "AC" would both decode to the same
   * byte and a signature could be altered without changing what it says. */
  if (acc != 0)
    return NULL;

  *out_len = n;
  return g_steal_pointer (&out);
}

gboolean
crm_auth_random_bytes (guint8  *buffer,
                       gsize    len,
                       GError **error)
{
  g_return_val_if_fail (len <= G_MAXINT, FALSE);

  if (RAND_bytes (buffer, (int) len) != 1)
    {
      g_set_error_literal (error, CRM_AUTH_ERROR, CRM_AUTH_ERROR_CRYPTO,
                           _("Le générateur aléatoire du système n’a pas répondu ; "
                             "réessayez dans un instant."));
      return FALSE;
    }

  return TRUE;
}

char *
crm_auth_hex_encode (const guint8 *data,
                     gsize         len)
{
  static const char digits[] = "0123456789abcdef";
  char *out = g_malloc (len * 2 + 1);
  gsize i;

  for (i = 0; i < len; i++)
    {
      out[2 * i] = digits[data[i] >> 4];
      out[2 * i + 1] = digits[data[i] & 15];
    }
  out[2 * len] = '\0';

  return out;
}

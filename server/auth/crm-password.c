/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-auth"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "crm-auth-error.h"
#include "crm-auth-private.h"
#include "crm-password.h"

#define SCRYPT_PREFIX       "$scrypt$"
#define ENCODED_MAX_LENGTH  256
#define SALT_MIN_BYTES      8
#define SALT_MAX_BYTES      64
#define KEY_MIN_BYTES       16
#define KEY_MAX_BYTES       64
/* A stored hash must never make one login allocate more than this, whatever it says. */
#define SCRYPT_MAX_MEMORY   (256u * 1024 * 1024)

typedef struct
{
  guint    ln;
  guint32  r;
  guint32  p;
  guint8  *salt;
  gsize    salt_len;
  guint8  *key;
  gsize    key_len;
} ScryptHash;

static void
scrypt_hash_clear (ScryptHash *hash)
{
  g_clear_pointer (&hash->salt, g_free);
  if (hash->key != NULL)
    OPENSSL_cleanse (hash->key, hash->key_len);
  g_clear_pointer (&hash->key, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ScryptHash, scrypt_hash_clear)

/* A copy of a password, wiped before it is freed so it does not linger in the heap. */
typedef char SecretString;

static void
secret_string_free (SecretString *secret)
{
  OPENSSL_cleanse (secret, strlen (secret));
  g_free (secret);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SecretString, secret_string_free)

/* NFC for valid UTF-8 so composed and decomposed accents are one password; other bytes
 * are kept as they are (they can only come from an old or foreign client and will simply
 * not match). */
static SecretString *
prepare_password (const char *password)
{
  if (g_utf8_validate (password, -1, NULL))
    return g_utf8_normalize (password, -1, G_NORMALIZE_NFC);

  return g_strdup (password);
}

static EVP_KDF *
scrypt_kdf (void)
{
  static EVP_KDF *kdf = NULL;
  static gsize fetched = 0;

  /* Fetched once: the provider lookup is not free and the object is immutable and
   * thread-safe once fetched. A failed fetch stays NULL and every derivation reports it. */
  if (g_once_init_enter (&fetched))
    {
      kdf = EVP_KDF_fetch (NULL, OSSL_KDF_NAME_SCRYPT, NULL);
      g_once_init_leave (&fetched, 1);
    }

  return kdf;
}

static guint64
scrypt_memory (guint    ln,
               guint32  r,
               guint32  p)
{
  /* What OpenSSL's scrypt allocates: the B array and V (N + 2 blocks of 128 r bytes). */
  return (guint64) 128 * r * (((guint64) 1 << ln) + 2) + (guint64) 128 * r * p;
}

static gboolean
scrypt_derive (const char    *password,
               guint          ln,
               guint32        r,
               guint32        p,
               const guint8  *salt,
               gsize          salt_len,
               guint8        *key,
               gsize          key_len,
               GError       **error)
{
  EVP_KDF *kdf = scrypt_kdf ();
  EVP_KDF_CTX *ctx = NULL;
  uint64_t n = (uint64_t) 1 << ln;
  uint64_t maxmem = scrypt_memory (ln, r, p);
  OSSL_PARAM params[7];
  gboolean ok = FALSE;

  if (kdf != NULL && (ctx = EVP_KDF_CTX_new (kdf)) != NULL)
    {
      /* OpenSSL takes the buffers as void *, but only reads them. */
      params[0] = OSSL_PARAM_construct_octet_string (OSSL_KDF_PARAM_PASSWORD,
                                                     (void *) password, strlen (password));
      params[1] = OSSL_PARAM_construct_octet_string (OSSL_KDF_PARAM_SALT,
                                                     (void *) salt, salt_len);
      params[2] = OSSL_PARAM_construct_uint64 (OSSL_KDF_PARAM_SCRYPT_N, &n);
      params[3] = OSSL_PARAM_construct_uint32 (OSSL_KDF_PARAM_SCRYPT_R, &r);
      params[4] = OSSL_PARAM_construct_uint32 (OSSL_KDF_PARAM_SCRYPT_P, &p);
      params[5] = OSSL_PARAM_construct_uint64 (OSSL_KDF_PARAM_SCRYPT_MAXMEM, &maxmem);
      params[6] = OSSL_PARAM_construct_end ();

      ok = EVP_KDF_derive (ctx, key, key_len, params) == 1;
      EVP_KDF_CTX_free (ctx);
    }

  if (!ok)
    g_set_error_literal (error, CRM_AUTH_ERROR, CRM_AUTH_ERROR_CRYPTO,
                         _("Le calcul de l’empreinte du mot de passe a échoué ; "
                           "vérifiez la mémoire disponible sur le serveur."));
  return ok;
}

/* "name=<decimal>" with no sign, no leading zero and a value in [1, max]. */
static gboolean
parse_param (const char **cursor,
             const char  *name,
             guint        max,
             guint       *out)
{
  const char *s = *cursor;
  gsize name_len = strlen (name);
  guint value = 0;
  guint digits = 0;

  if (strncmp (s, name, name_len) != 0 || s[name_len] != '=')
    return FALSE;
  s += name_len + 1;

  if (*s == '0')
    return FALSE;
  while (g_ascii_isdigit (*s) && digits < 4)
    {
      value = value * 10 + (guint) (*s - '0');
      digits++;
      s++;
    }
  if (digits == 0 || g_ascii_isdigit (*s) || value > max)
    return FALSE;

  *out = value;
  *cursor = s;
  return TRUE;
}

static gboolean
scrypt_hash_parse (const char *encoded,
                   ScryptHash *out)
{
  g_auto(ScryptHash) hash = { 0 };
  const char *s = encoded;
  const char *dollar;
  guint ln, r, p;

  if (encoded == NULL || strnlen (encoded, ENCODED_MAX_LENGTH + 1) > ENCODED_MAX_LENGTH)
    return FALSE;
  if (!g_str_has_prefix (s, SCRYPT_PREFIX))
    return FALSE;
  s += strlen (SCRYPT_PREFIX);

  if (!parse_param (&s, "ln", 22, &ln) || *s++ != ',' ||
      !parse_param (&s, "r", 32, &r) || *s++ != ',' ||
      !parse_param (&s, "p", 16, &p) || *s++ != '$')
    return FALSE;
  if (scrypt_memory (ln, r, p) > SCRYPT_MAX_MEMORY)
    return FALSE;

  dollar = strchr (s, '$');
  if (dollar == NULL)
    return FALSE;
  hash.salt = crm_auth_b64_decode (CRM_B64_STANDARD, s, (gsize) (dollar - s), &hash.salt_len);
  if (hash.salt == NULL || hash.salt_len < SALT_MIN_BYTES || hash.salt_len > SALT_MAX_BYTES)
    return FALSE;

  s = dollar + 1;
  hash.key = crm_auth_b64_decode (CRM_B64_STANDARD, s, strlen (s), &hash.key_len);
  if (hash.key == NULL || hash.key_len < KEY_MIN_BYTES || hash.key_len > KEY_MAX_BYTES)
    return FALSE;

  hash.ln = ln;
  hash.r = r;
  hash.p = p;
  *out = hash;
  memset (&hash, 0, sizeof hash);
  return TRUE;
}

char *
crm_password_hash (const char  *password,
                   GError     **error)
{
  g_autoptr(SecretString) prepared = NULL;
  guint8 salt[CRM_PASSWORD_SALT_BYTES];
  guint8 key[CRM_PASSWORD_KEY_BYTES];
  g_autofree char *salt_b64 = NULL;
  g_autofree char *key_b64 = NULL;

  g_return_val_if_fail (password != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (strnlen (password, CRM_PASSWORD_MAX_BYTES + 1) > CRM_PASSWORD_MAX_BYTES ||
      !g_utf8_validate (password, -1, NULL))
    {
      g_set_error (error, CRM_AUTH_ERROR, CRM_AUTH_ERROR_INVALID_ARGUMENT,
                   _("Le mot de passe doit être du texte UTF-8 de %d octets au plus."),
                   CRM_PASSWORD_MAX_BYTES);
      return NULL;
    }

  if (!crm_auth_random_bytes (salt, sizeof salt, error))
    return NULL;

  prepared = prepare_password (password);
  if (!scrypt_derive (prepared, CRM_PASSWORD_SCRYPT_LN, CRM_PASSWORD_SCRYPT_R,
                      CRM_PASSWORD_SCRYPT_P, salt, sizeof salt, key, sizeof key, error))
    return NULL;

  salt_b64 = crm_auth_b64_encode (CRM_B64_STANDARD, salt, sizeof salt);
  key_b64 = crm_auth_b64_encode (CRM_B64_STANDARD, key, sizeof key);
  OPENSSL_cleanse (key, sizeof key);

  return g_strdup_printf (SCRYPT_PREFIX "ln=%d,r=%d,p=%d$%s$%s",
                          CRM_PASSWORD_SCRYPT_LN, CRM_PASSWORD_SCRYPT_R,
                          CRM_PASSWORD_SCRYPT_P, salt_b64, key_b64);
}

gboolean
crm_password_verify (const char  *password,
                     const char  *encoded,
                     GError     **error)
{
  g_auto(ScryptHash) hash = { 0 };
  g_autoptr(SecretString) prepared = NULL;
  g_autofree guint8 *key = NULL;
  gboolean oversized;
  gboolean match;

  g_return_val_if_fail (password != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!scrypt_hash_parse (encoded, &hash))
    {
      g_set_error_literal (error, CRM_AUTH_ERROR, CRM_AUTH_ERROR_MALFORMED,
                           _("L’empreinte de mot de passe enregistrée est illisible ; "
                             "un administrateur doit réinitialiser ce mot de passe."));
      return FALSE;
    }

  /* An oversized password is refused the same way as a wrong one, after the same work,
   * so its length does not show in the response time either. */
  oversized = strnlen (password, CRM_PASSWORD_MAX_BYTES + 1) > CRM_PASSWORD_MAX_BYTES;
  if (oversized)
    prepared = g_strdup ("");
  else
    prepared = prepare_password (password);

  key = g_malloc (hash.key_len);
  if (!scrypt_derive (prepared, hash.ln, hash.r, hash.p, hash.salt, hash.salt_len,
                      key, hash.key_len, error))
    return FALSE;

  match = CRYPTO_memcmp (key, hash.key, hash.key_len) == 0 && !oversized;
  OPENSSL_cleanse (key, hash.key_len);

  if (!match)
    {
      g_set_error_literal (error, CRM_AUTH_ERROR, CRM_AUTH_ERROR_BAD_CREDENTIALS,
                           _("Adresse e-mail ou mot de passe incorrect."));
      return FALSE;
    }

  return TRUE;
}

void
crm_password_verify_dummy (const char *password)
{
  /* Any fixed salt will do: the result is thrown away, only the time matters. */
  static const guint8 salt[CRM_PASSWORD_SALT_BYTES] = {
    0x61, 0x6c, 0x66, 0x6f, 0x72, 0x69, 0x73, 0x2d, 0x64, 0x75, 0x6d, 0x6d, 0x79, 0x00, 0x00, 0x01
  };
  g_autoptr(SecretString) prepared = NULL;
  guint8 key[CRM_PASSWORD_KEY_BYTES];

  g_return_if_fail (password != NULL);

  prepared = prepare_password (password);
  if (scrypt_derive (prepared, CRM_PASSWORD_SCRYPT_LN, CRM_PASSWORD_SCRYPT_R,
                     CRM_PASSWORD_SCRYPT_P, salt, sizeof salt, key, sizeof key, NULL))
    OPENSSL_cleanse (key, sizeof key);
}

gboolean
crm_password_needs_rehash (const char *encoded)
{
  g_auto(ScryptHash) hash = { 0 };

  if (!scrypt_hash_parse (encoded, &hash))
    return TRUE;

  return hash.ln != CRM_PASSWORD_SCRYPT_LN ||
         hash.r != CRM_PASSWORD_SCRYPT_R ||
         hash.p != CRM_PASSWORD_SCRYPT_P ||
         hash.salt_len != CRM_PASSWORD_SALT_BYTES ||
         hash.key_len != CRM_PASSWORD_KEY_BYTES;
}

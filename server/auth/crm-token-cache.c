/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-auth"

#include "config.h"

#include <string.h>

#include <openssl/evp.h>

#include "crm-token-cache.h"

/*
 * Verifying a token is an HMAC, two base64 decodes and a JSON parse: about as much as
 * the rest of a small request. Every request of a client carries the same token for up
 * to 15 minutes, so one verification serves them all.
 *
 * The key is the token's SHA-256: equal digests mean equal tokens, and a memory dump
 * shows no usable token. Eviction is crude and cheap: expired entries go when met or
 * when the cache is full; if it is still full, everything goes (a full cache means
 * max_entries clients within 15 minutes, and the price of forgetting is one
 * verification each).
 */

#define DIGEST_BYTES 32

typedef struct
{
  guint8        digest[DIGEST_BYTES];
  CrmJwtClaims *claims;
} Entry;

struct _CrmTokenCache
{
  GMutex      lock;
  GHashTable *entries;  /* Entry* (keyed by its digest) */
  guint       max_entries;
};

static guint
digest_hash (gconstpointer key)
{
  guint hash;

  /* Already a cryptographic digest: any 4 of its bytes are a fine hash. */
  memcpy (&hash, key, sizeof hash);
  return hash;
}

static gboolean
digest_equal (gconstpointer a,
              gconstpointer b)
{
  return memcmp (a, b, DIGEST_BYTES) == 0;
}

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  crm_jwt_claims_free (entry->claims);
  g_free (entry);
}

/* Fetched once: EVP_sha256 () makes OpenSSL 3 look the implementation up on every use. */
static const EVP_MD *
sha256 (void)
{
  static gsize once = 0;
  static EVP_MD *md = NULL;

  if (g_once_init_enter (&once))
    {
      md = EVP_MD_fetch (NULL, "SHA256", NULL);
      g_once_init_leave (&once, 1);
    }
  return md != NULL ? md : EVP_sha256 ();
}

static gboolean
token_digest (const char *token,
              guint8      digest[DIGEST_BYTES])
{
  unsigned int length = 0;

  return EVP_Digest (token, strlen (token), digest, &length, sha256 (), NULL)
         && length == DIGEST_BYTES;
}

CrmTokenCache *
crm_token_cache_new (guint max_entries)
{
  CrmTokenCache *cache = g_new0 (CrmTokenCache, 1);

  g_return_val_if_fail (max_entries > 0, NULL);

  g_mutex_init (&cache->lock);
  /* The digest lives in the entry: the key needs no freeing of its own. */
  cache->entries = g_hash_table_new_full (digest_hash, digest_equal, NULL, entry_free);
  cache->max_entries = max_entries;
  return cache;
}

void
crm_token_cache_free (CrmTokenCache *cache)
{
  if (cache == NULL)
    return;

  g_hash_table_unref (cache->entries);
  g_mutex_clear (&cache->lock);
  g_free (cache);
}

CrmJwtClaims *
crm_token_cache_lookup (CrmTokenCache *cache,
                        const char    *token,
                        gint64         now)
{
  g_autoptr (GMutexLocker) locker = NULL;
  guint8 digest[DIGEST_BYTES];
  Entry *entry;

  g_return_val_if_fail (cache != NULL, NULL);

  if (token == NULL || !token_digest (token, digest))
    return NULL;

  locker = g_mutex_locker_new (&cache->lock);
  entry = g_hash_table_lookup (cache->entries, digest);
  if (entry == NULL)
    return NULL;
  /* At exp the token goes back to the verifier, which alone applies its leeway. */
  if (now >= entry->claims->exp)
    {
      g_hash_table_remove (cache->entries, digest);
      return NULL;
    }
  return crm_jwt_claims_copy (entry->claims);
}

static gboolean
entry_expired (gpointer key,
               gpointer value,
               gpointer user_data)
{
  const Entry *entry = value;
  const gint64 *now = user_data;

  return *now >= entry->claims->exp;
}

void
crm_token_cache_store (CrmTokenCache      *cache,
                       const char         *token,
                       const CrmJwtClaims *claims,
                       gint64              now)
{
  g_autoptr (GMutexLocker) locker = NULL;
  Entry *entry;

  g_return_if_fail (cache != NULL && claims != NULL);

  if (token == NULL || now >= claims->exp)
    return;
  entry = g_new0 (Entry, 1);
  if (!token_digest (token, entry->digest))
    {
      g_free (entry);
      return;
    }
  entry->claims = crm_jwt_claims_copy (claims);

  locker = g_mutex_locker_new (&cache->lock);
  if (g_hash_table_size (cache->entries) >= cache->max_entries)
    g_hash_table_foreach_remove (cache->entries, entry_expired, &now);
  if (g_hash_table_size (cache->entries) >= cache->max_entries)
    g_hash_table_remove_all (cache->entries);
  g_hash_table_replace (cache->entries, entry->digest, entry);
}

guint
crm_token_cache_size (CrmTokenCache *cache)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&cache->lock);

  return g_hash_table_size (cache->entries);
}

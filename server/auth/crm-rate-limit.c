/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-auth"

#include "config.h"

#include <string.h>
#include <openssl/evp.h>

#include "crm-auth-private.h"
#include "crm-rate-limit.h"

/* E-mails are at most 254 bytes and addresses far less; anything longer is hashed so an
 * attacker sending megabyte "e-mails" cannot make the table hold megabytes per key. */
#define MAX_KEY_BYTES 256

typedef struct
{
  GList   link;  /* in the LRU queue; data points back to the entry */
  char   *key;
  gint64  tat;   /* theoretical arrival time: the bucket is full again at this instant */
} Entry;

struct _CrmRateLimiter
{
  GMutex             mutex;
  GHashTable        *entries;   /* key → Entry*, owns the entries */
  GQueue             lru;       /* least recently touched at the head */
  gint64             interval;  /* µs between events once the burst is spent */
  gint64             window;    /* µs: limit × interval, the bucket's depth */
  guint              max_keys;
  CrmRateLimitClock  clock;
  gpointer           clock_data;
};

static gint64
default_clock (gpointer user_data)
{
  return g_get_monotonic_time ();
}

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_free (entry->key);
  g_free (entry);
}

CrmRateLimiter *
crm_rate_limiter_new (guint limit,
                      guint window_seconds,
                      guint max_keys)
{
  CrmRateLimiter *limiter;

  g_return_val_if_fail (limit > 0, NULL);
  g_return_val_if_fail (window_seconds > 0, NULL);
  g_return_val_if_fail (max_keys > 0, NULL);

  limiter = g_new0 (CrmRateLimiter, 1);
  g_mutex_init (&limiter->mutex);
  /* The Entry owns its key; the table borrows it. */
  limiter->entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, entry_free);
  g_queue_init (&limiter->lru);
  limiter->interval = (gint64) window_seconds * G_USEC_PER_SEC / limit;
  limiter->window = limiter->interval * limit;
  limiter->max_keys = max_keys;
  limiter->clock = default_clock;

  return limiter;
}

void
crm_rate_limiter_free (CrmRateLimiter *limiter)
{
  if (limiter == NULL)
    return;

  /* The queue's links live inside the entries: freeing the table frees them all, and
   * g_queue_clear() would free them a second time. */
  g_hash_table_unref (limiter->entries);
  g_mutex_clear (&limiter->mutex);
  g_free (limiter);
}

void
crm_rate_limiter_set_clock (CrmRateLimiter    *limiter,
                            CrmRateLimitClock  clock,
                            gpointer           user_data)
{
  g_return_if_fail (limiter != NULL);

  g_mutex_lock (&limiter->mutex);
  limiter->clock = clock != NULL ? clock : default_clock;
  limiter->clock_data = clock != NULL ? user_data : NULL;
  g_mutex_unlock (&limiter->mutex);
}

static char *
normalize_key (const char *key)
{
  guint8 digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  g_autofree char *hex = NULL;

  if (strnlen (key, MAX_KEY_BYTES + 1) <= MAX_KEY_BYTES)
    return g_strdup (key);

  /* SHA-256 cannot fail on a valid buffer; if it ever did, a fixed bucket for all
   * oversized keys still limits them, which is the safe side. */
  if (EVP_Digest (key, strlen (key), digest, &digest_len, EVP_sha256 (), NULL) != 1)
    return g_strdup ("sha256:?");

  hex = crm_auth_hex_encode (digest, digest_len);
  return g_strconcat ("sha256:", hex, NULL);
}

static void
remove_entry (CrmRateLimiter *limiter,
              Entry          *entry)
{
  g_queue_unlink (&limiter->lru, &entry->link);
  g_hash_table_remove (limiter->entries, entry->key);
}

/* Entries whose bucket is full again carry no information; drop those at the cold end. */
static void
purge_refilled (CrmRateLimiter *limiter,
                gint64          now)
{
  GList *head;

  while ((head = g_queue_peek_head_link (&limiter->lru)) != NULL)
    {
      Entry *entry = head->data;

      if (entry->tat > now)
        break;
      remove_entry (limiter, entry);
    }
}

static guint
retry_seconds (gint64 wait_us)
{
  gint64 seconds = (wait_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;

  return (guint) CLAMP (seconds, 1, G_MAXUINT);
}

static gboolean
limiter_event (CrmRateLimiter *limiter,
               const char     *key,
               gboolean        record,
               guint          *retry_after)
{
  g_autofree char *normalized = normalize_key (key);
  Entry *entry;
  gint64 now;
  gint64 tat;
  gint64 next;
  gboolean allowed;

  g_mutex_lock (&limiter->mutex);

  now = limiter->clock (limiter->clock_data);
  purge_refilled (limiter, now);

  entry = g_hash_table_lookup (limiter->entries, normalized);
  tat = entry != NULL ? MAX (entry->tat, now) : now;
  next = tat + limiter->interval;
  allowed = next - now <= limiter->window;

  if (retry_after != NULL)
    *retry_after = allowed ? 0 : retry_seconds (next - now - limiter->window);

  if (entry != NULL)
    {
      /* Touched: move to the warm end. */
      g_queue_unlink (&limiter->lru, &entry->link);
      g_queue_push_tail_link (&limiter->lru, &entry->link);
    }

  if (allowed && record)
    {
      if (entry == NULL)
        {
          /* Full: forget the coldest key. It may still be limited, which is the price of
           * bounded memory; the database counter remains behind it. */
          if (g_hash_table_size (limiter->entries) >= limiter->max_keys)
            remove_entry (limiter, g_queue_peek_head (&limiter->lru));

          entry = g_new0 (Entry, 1);
          entry->key = g_steal_pointer (&normalized);
          entry->link.data = entry;
          g_hash_table_insert (limiter->entries, entry->key, entry);
          g_queue_push_tail_link (&limiter->lru, &entry->link);
        }
      entry->tat = next;
    }

  g_mutex_unlock (&limiter->mutex);
  return allowed;
}

gboolean
crm_rate_limiter_check (CrmRateLimiter *limiter,
                        const char     *key,
                        guint          *retry_after)
{
  g_return_val_if_fail (limiter != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  return limiter_event (limiter, key, FALSE, retry_after);
}

gboolean
crm_rate_limiter_hit (CrmRateLimiter *limiter,
                      const char     *key,
                      guint          *retry_after)
{
  g_return_val_if_fail (limiter != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  return limiter_event (limiter, key, TRUE, retry_after);
}

void
crm_rate_limiter_reset (CrmRateLimiter *limiter,
                        const char     *key)
{
  g_autofree char *normalized = NULL;
  Entry *entry;

  g_return_if_fail (limiter != NULL);
  g_return_if_fail (key != NULL);

  normalized = normalize_key (key);

  g_mutex_lock (&limiter->mutex);
  entry = g_hash_table_lookup (limiter->entries, normalized);
  if (entry != NULL)
    remove_entry (limiter, entry);
  g_mutex_unlock (&limiter->mutex);
}

guint
crm_rate_limiter_get_size (CrmRateLimiter *limiter)
{
  guint size;

  g_return_val_if_fail (limiter != NULL, 0);

  g_mutex_lock (&limiter->mutex);
  size = g_hash_table_size (limiter->entries);
  g_mutex_unlock (&limiter->mutex);

  return size;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-uuid"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "crm-uuid.h"

/*
 * Layout of the v7 ids made here (RFC 9562 §5.7, with the "fixed-length
 * dedicated counter" of §6.2 method 1 in rand_a):
 *
 *   unix_ts_ms (48) | ver=7 (4) | counter (12) | var=10 (2) | random (62)
 *
 * Ids are compared as text everywhere (SQLite, PostgreSQL, sorting in the
 * app), and canonical lower-case hex of a fixed width sorts like the bytes, so
 * (timestamp, counter) strictly increasing within the process is enough for
 * the text to be strictly increasing too.
 */

#define COUNTER_MAX 0x0FFF
/* A fresh millisecond seeds the counter with 11 random bits: the top bit stays
 * clear so at least 2048 ids fit in a millisecond before the timestamp has to
 * be borrowed from the future. The random seed keeps the counter from leaking
 * how many ids this process made. */
#define COUNTER_SEED_MASK 0x07FF

G_LOCK_DEFINE_STATIC (uuid_state);
static gint64 last_ms = -1;
static guint  last_counter;

static gboolean
read_urandom (guint8 *buf,
              gsize   len)
{
  int fd;
  gsize done = 0;

  fd = open ("/dev/urandom", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return FALSE;

  while (done < len)
    {
      ssize_t n = read (fd, buf + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          close (fd);
          return FALSE;
        }
      done += (gsize) n;
    }

  close (fd);
  return TRUE;
}

/* Ids are made offline by every client, so the random part is what keeps two
 * desktops from colliding: it must come from the kernel's CSPRNG, never from
 * a PRNG seeded by time. */
static void
fill_random (guint8 *buf,
             gsize   len)
{
  gsize done = 0;

  while (done < len)
    {
      ssize_t n = getrandom (buf + done, len - done, 0);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          break;
        }
      done += (gsize) n;
    }

  if (done == len)
    return;

  /* getrandom() missing (old kernel, seccomp sandbox): the device still works. */
  if (read_urandom (buf + done, len - done))
    return;

  /* Not reachable on a working Linux system; GRand is seeded from
   * /dev/urandom too when it exists, so say loudly that this is degraded. */
  g_warning ("No kernel randomness available; UUIDs fall back to GRand");
  for (; done < len; done++)
    buf[done] = (guint8) g_random_int_range (0, 256);
}

char *
crm_uuid7_new (void)
{
  guint8 rnd[10];
  guint8 b[16];
  gint64 now_ms;
  gint64 ms;
  guint counter;

  /* Draw the randomness before taking the lock: the syscall is the slow part
   * and needs no ordering. */
  fill_random (rnd, sizeof rnd);
  now_ms = g_get_real_time () / 1000;

  G_LOCK (uuid_state);
  if (now_ms > last_ms)
    {
      ms = now_ms;
      counter = ((guint) rnd[0] << 8 | rnd[1]) & COUNTER_SEED_MASK;
    }
  else
    {
      /* Same millisecond, or the wall clock stepped back (NTP): keep going
       * from the last id so order never regresses within the process. */
      ms = last_ms;
      counter = last_counter + 1;
      if (counter > COUNTER_MAX)
        {
          /* 4096 ids in one millisecond: borrow the next one. The drift is
           * bounded by the rate and catches up as soon as the clock does. */
          ms = last_ms + 1;
          counter = ((guint) rnd[0] << 8 | rnd[1]) & COUNTER_SEED_MASK;
        }
    }
  last_ms = ms;
  last_counter = counter;
  G_UNLOCK (uuid_state);

  b[0] = (guint8) (ms >> 40);
  b[1] = (guint8) (ms >> 32);
  b[2] = (guint8) (ms >> 24);
  b[3] = (guint8) (ms >> 16);
  b[4] = (guint8) (ms >> 8);
  b[5] = (guint8) ms;
  b[6] = (guint8) (0x70 | ((counter >> 8) & 0x0F));
  b[7] = (guint8) (counter & 0xFF);
  b[8] = (guint8) (0x80 | (rnd[2] & 0x3F));
  memcpy (&b[9], &rnd[3], 7);

  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                          "%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                          b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* Hex digit at the canonical text position @pos, or -1. */
static int
hex_at (const char *text,
        guint       pos)
{
  return g_ascii_xdigit_value (text[pos]);
}

static gboolean
has_canonical_shape (const char *text)
{
  guint i;

  for (i = 0; i < 36; i++)
    {
      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (text[i] != '-')
            return FALSE;
        }
      else if (!g_ascii_isxdigit (text[i]))
        return FALSE;
    }

  return text[36] == '\0';
}

static gboolean
is_all (const char *text,
        char        lower,
        char        upper)
{
  guint i;

  for (i = 0; i < 36; i++)
    if (text[i] != '-' && text[i] != lower && text[i] != upper)
      return FALSE;

  return TRUE;
}

gboolean
crm_uuid_is_valid (const char *text)
{
  int version;
  int variant;

  if (text == NULL || !has_canonical_shape (text))
    return FALSE;

  /* RFC 9562 names exactly these: the Nil and Max UUIDs (§5.9, §5.10) and
   * the variant-10 layouts with versions 1 to 8. Other variants (NCS,
   * Microsoft GUIDs) and unassigned versions are not RFC 9562 UUIDs. */
  if (is_all (text, '0', '0') || is_all (text, 'f', 'F'))
    return TRUE;

  version = hex_at (text, 14);
  variant = hex_at (text, 19);

  return version >= 1 && version <= 8 && (variant & 0xC) == 0x8;
}

gint64
crm_uuid7_timestamp_ms (const char *text)
{
  gint64 ms = 0;
  guint i;

  if (!crm_uuid_is_valid (text) || hex_at (text, 14) != 7 || (hex_at (text, 19) & 0xC) != 0x8)
    return -1;

  /* The first 12 hex digits are the 48-bit timestamp; a dash sits at 8. */
  for (i = 0; i < 13; i++)
    {
      if (i == 8)
        continue;
      ms = (ms << 4) | hex_at (text, i);
    }

  return ms;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-auth-token-cache"

#include "config.h"

#include <string.h>

#include "crm-token-cache.h"

/*
 * The cache of verified access tokens (crm-token-cache.c): a hit gives the claims back,
 * an entry ends at the token's exp, another token (even one character away) misses, and
 * the size stays bounded, expired entries going first. The epoch check that ends a
 * cached token at a role change is the API's, tested in test-api-auth.c.
 */

#define NOW 1790000000

static CrmJwtClaims *
claims_until (const char *sub,
              gint64      exp)
{
  g_autoptr (GError) error = NULL;
  CrmJwtClaims *claims = crm_jwt_claims_new (sub, "user", NULL, 3, exp - 600, 600, &error);

  g_assert_no_error (error);
  return claims;
}

static void
test_hit_gives_the_claims (void)
{
  g_autoptr (CrmTokenCache) cache = crm_token_cache_new (10);
  g_autoptr (CrmJwtClaims) claims = claims_until ("0192f0a0-0000-7000-8000-000000000001",
                                                  NOW + 600);
  g_autoptr (CrmJwtClaims) hit = NULL;
  g_autoptr (CrmJwtClaims) again = NULL;

  g_assert_null (crm_token_cache_lookup (cache, "aaa.bbb.ccc", NOW));
  crm_token_cache_store (cache, "aaa.bbb.ccc", claims, NOW);
  hit = crm_token_cache_lookup (cache, "aaa.bbb.ccc", NOW + 1);
  g_assert_nonnull (hit);
  g_assert_true (hit != claims);
  g_assert_cmpstr (hit->sub, ==, claims->sub);
  g_assert_cmpstr (hit->role, ==, "user");
  g_assert_cmpstr (hit->jti, ==, claims->jti);
  g_assert_cmpint (hit->epoch, ==, 3);
  g_assert_cmpint (hit->exp, ==, NOW + 600);
  /* The copy is the caller's: freeing it leaves the entry whole. */
  g_clear_pointer (&hit, crm_jwt_claims_free);
  again = crm_token_cache_lookup (cache, "aaa.bbb.ccc", NOW + 2);
  g_assert_nonnull (again);
  g_assert_cmpstr (again->sub, ==, claims->sub);
}

static void
test_other_tokens_miss (void)
{
  g_autoptr (CrmTokenCache) cache = crm_token_cache_new (10);
  g_autoptr (CrmJwtClaims) claims = claims_until ("0192f0a0-0000-7000-8000-000000000002",
                                                  NOW + 600);

  crm_token_cache_store (cache, "header.payload.signature", claims, NOW);
  g_assert_null (crm_token_cache_lookup (cache, "header.payload.signaturf", NOW));
  g_assert_null (crm_token_cache_lookup (cache, "header.payload.signatur", NOW));
  g_assert_null (crm_token_cache_lookup (cache, "header.payload.signature ", NOW));
  g_assert_null (crm_token_cache_lookup (cache, "", NOW));
  g_assert_null (crm_token_cache_lookup (cache, NULL, NOW));
}

static void
test_entry_ends_at_exp (void)
{
  g_autoptr (CrmTokenCache) cache = crm_token_cache_new (10);
  g_autoptr (CrmJwtClaims) claims = claims_until ("0192f0a0-0000-7000-8000-000000000003",
                                                  NOW + 60);
  g_autoptr (CrmJwtClaims) late = NULL;
  g_autoptr (CrmJwtClaims) gone = claims_until ("0192f0a0-0000-7000-8000-000000000004", NOW);
  CrmJwtClaims *hit;

  crm_token_cache_store (cache, "t.o.k", claims, NOW);
  hit = crm_token_cache_lookup (cache, "t.o.k", NOW + 59);
  g_assert_nonnull (hit);
  crm_jwt_claims_free (hit);
  late = crm_token_cache_lookup (cache, "t.o.k", NOW + 60);
  g_assert_null (late);
  g_assert_cmpuint (crm_token_cache_size (cache), ==, 0);
  /* Still not there when asked at an earlier time: the entry was dropped, not hidden. */
  g_assert_null (crm_token_cache_lookup (cache, "t.o.k", NOW));

  /* A token already at its exp is not stored at all. */
  crm_token_cache_store (cache, "x.y.z", gone, NOW);
  g_assert_cmpuint (crm_token_cache_size (cache), ==, 0);
}

static void
test_bounded_expired_first (void)
{
  g_autoptr (CrmTokenCache) cache = crm_token_cache_new (3);
  g_autoptr (CrmJwtClaims) soon = claims_until ("0192f0a0-0000-7000-8000-000000000005",
                                                NOW + 10);
  g_autoptr (CrmJwtClaims) later = claims_until ("0192f0a0-0000-7000-8000-000000000006",
                                                 NOW + 600);
  CrmJwtClaims *hit;

  crm_token_cache_store (cache, "soon.1.x", soon, NOW);
  crm_token_cache_store (cache, "soon.2.x", soon, NOW);
  crm_token_cache_store (cache, "later.1.x", later, NOW);
  g_assert_cmpuint (crm_token_cache_size (cache), ==, 3);

  /* Full, at a time the two "soon" have expired: they make room, "later" stays. */
  crm_token_cache_store (cache, "later.2.x", later, NOW + 20);
  g_assert_cmpuint (crm_token_cache_size (cache), ==, 2);
  hit = crm_token_cache_lookup (cache, "later.1.x", NOW + 20);
  g_assert_nonnull (hit);
  crm_jwt_claims_free (hit);

  /* Full of live entries: it never grows past its bound. */
  crm_token_cache_store (cache, "later.3.x", later, NOW + 20);
  crm_token_cache_store (cache, "later.4.x", later, NOW + 20);
  crm_token_cache_store (cache, "later.5.x", later, NOW + 20);
  g_assert_cmpuint (crm_token_cache_size (cache), <=, 3);
  hit = crm_token_cache_lookup (cache, "later.5.x", NOW + 20);
  g_assert_nonnull (hit);
  crm_jwt_claims_free (hit);
}

/* Threads storing and looking up at once (the cache is shared by the main loop and the
 * workers): no crash, no lost claims, under ASan/TSan-like builds too. */
static gpointer
hammer (gpointer data)
{
  CrmTokenCache *cache = data;
  g_autoptr (CrmJwtClaims) claims = claims_until ("0192f0a0-0000-7000-8000-000000000007",
                                                  NOW + 600);

  for (guint i = 0; i < 2000; i++)
    {
      g_autofree char *token = g_strdup_printf ("tok.%u.x", i % 50);
      CrmJwtClaims *hit;

      crm_token_cache_store (cache, token, claims, NOW);
      hit = crm_token_cache_lookup (cache, token, NOW);
      if (hit != NULL)
        {
          g_assert_cmpstr (hit->sub, ==, claims->sub);
          crm_jwt_claims_free (hit);
        }
    }
  return NULL;
}

static void
test_threads (void)
{
  g_autoptr (CrmTokenCache) cache = crm_token_cache_new (20);
  GThread *threads[4];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("hammer", hammer, cache);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
  g_assert_cmpuint (crm_token_cache_size (cache), <=, 20);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/auth/token-cache/hit-gives-the-claims", test_hit_gives_the_claims);
  g_test_add_func ("/auth/token-cache/other-tokens-miss", test_other_tokens_miss);
  g_test_add_func ("/auth/token-cache/entry-ends-at-exp", test_entry_ends_at_exp);
  g_test_add_func ("/auth/token-cache/bounded-expired-first", test_bounded_expired_first);
  g_test_add_func ("/auth/token-cache/threads", test_threads);

  return g_test_run ();
}

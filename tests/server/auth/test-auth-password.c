/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-auth-test"

#include "config.h"

#include <locale.h>
#include <string.h>

#include "crm-auth-error.h"
#include "crm-password.h"

#define PASSWORD "cheval batterie agrafe correcte"

/* One hash shared by the tests that only read it: each costs ~0.1 s. */
static char *shared_hash;

static const char *
get_shared_hash (void)
{
  if (shared_hash == NULL)
    {
      g_autoptr(GError) error = NULL;

      shared_hash = crm_password_hash (PASSWORD, &error);
      g_assert_no_error (error);
    }
  return shared_hash;
}

static char *
b64_nopad (const void *data,
           gsize       len)
{
  char *text = g_base64_encode (data, len);

  *strchrnul (text, '=') = '\0';
  return text;
}

static void
test_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  const char *hash = get_shared_hash ();
  g_auto(GStrv) parts = g_strsplit (hash, "$", -1);

  g_assert_true (g_str_has_prefix (hash, "$scrypt$ln=15,r=8,p=1$"));
  /* "", "scrypt", params, salt (16 bytes → 22 chars), key (32 bytes → 43 chars) */
  g_assert_cmpuint (g_strv_length (parts), ==, 5);
  g_assert_cmpuint (strlen (parts[3]), ==, 22);
  g_assert_cmpuint (strlen (parts[4]), ==, 43);
  g_assert_null (strstr (hash, PASSWORD));

  g_assert_true (crm_password_verify (PASSWORD, hash, &error));
  g_assert_no_error (error);
  g_assert_false (crm_password_needs_rehash (hash));
}

static void
test_wrong_password (void)
{
  const char *hash = get_shared_hash ();
  const char *wrong[] = {
    "cheval batterie agrafe correctE",
    "cheval batterie agrafe correct",
    "cheval batterie agrafe correctee",
    "",
    " cheval batterie agrafe correcte",
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (wrong); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (crm_password_verify (wrong[i], hash, &error));
      g_assert_error (error, CRM_AUTH_ERROR, CRM_AUTH_ERROR_BAD_CREDENTIALS);
      g_assert_null (strstr (error->message, wrong[i][0] ? wrong[i] : "\x01"));
    }
}

static void
test_different_salts (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *again = crm_password_hash (PASSWORD, &error);
  g_auto(GStrv) a = NULL;
  g_auto(GStrv) b = NULL;

  g_assert_no_error (error);
  a = g_strsplit (get_shared_hash (), "$", -1);
  b = g_strsplit (again, "$", -1);
  g_assert_cmpstr (a[3], !=, b[3]);
  g_assert_cmpstr (a[4], !=, b[4]);
  g_assert_true (crm_password_verify (PASSWORD, again, &error));
  g_assert_no_error (error);
}

static void
test_malformed_encodings (void)
{
  const char *hash = get_shared_hash ();
  g_auto(GStrv) p = g_strsplit (hash, "$", -1);
  const char *salt = p[3];
  const char *key = p[4];
  g_autofree char *long_one = g_strnfill (300, 'A');
  g_autofree char *bad_last_salt = g_strdup (salt);
  g_autoptr(GPtrArray) bad = g_ptr_array_new_with_free_func (g_free);
  guint i;

  /* 22 characters carry 132 bits for 128: the last one's low 4 bits must be zero, so
   * "A" → "B" changes nothing decoded and must be refused, not accepted as the same salt. */
  g_assert_true (bad_last_salt[21] == 'A' || bad_last_salt[21] == 'Q' ||
                 bad_last_salt[21] == 'g' || bad_last_salt[21] == 'w');
  bad_last_salt[21] = (char) (bad_last_salt[21] + 1);

  g_ptr_array_add (bad, g_strdup (""));
  g_ptr_array_add (bad, g_strdup ("$scrypt$"));
  g_ptr_array_add (bad, g_strdup ("plaintext"));
  g_ptr_array_add (bad, g_strdup_printf ("$scrypt2$ln=15,r=8,p=1$%s$%s", salt, key));
  g_ptr_array_add (bad, g_strdup_printf ("$pbkdf2$ln=15,r=8,p=1$%s$%s", salt, key));
  g_ptr_array_add (bad, g_strdup_printf ("scrypt$ln=15,r=8,p=1$%s$%s", salt, key));
  g_ptr_array_add (bad, g_strdup_printf ("$scrypt$ln=0,r=8,p=1$%s$%s", salt, key));
  g_ptr_array_add (bad, g_strdup_printf ("$scrypt$ln=015,r=8,p=1$%s$%s", salt, key));
  g_ptr_array_add (bad, g_strdup_printf ("$scrypt$ln=23,r=8,p=1$%s$%s", salt, key));
  g_ptr_array_add (bad, g_strdup_printf ("$scrypt$ln=-15,r=8,p=1$%s$%s", salt, key));
  g_ptr_array_add (bad, g_strdup_printf ("$scrypt$ln=15,r=0,p=1$%s$%s", salt, key));
  g_ptr_array_add (bad, g_strdup_printf ("$scrypt$ln=15,r=8,p=0$%s$%s", salt, key));
  g_ptr_array_add (bad, g_strdup_printf ("$scrypt$ln=15,r=8$%s$%s", salt, key));
  g_ptr_array_add (bad, g_strdup_printf ("$scrypt$r=8,ln=15,p=1$%s$%s", salt, key));
  g_ptr_array_add (bad, g_strdup_printf ("$scrypt$ln=15,r=8,p=1,x=2$%s$%s", salt, key));
  g_ptr_array_add (bad, g_strdup_printf ("$scrypt$ln=15, r=8,p=1$%s$%s", salt, key));
  /* 128 × 32 × 2^22 bytes = 16 GiB: refused before any allocation */
  g_ptr_array_add (bad, g_strdup_printf ("$scrypt$ln=22,r=32,p=1$%s$%s", salt, key));
  g_ptr_array_add (bad, g_strdup_printf ("$scrypt$ln=15,r=8,p=1$%s==$%s", salt, key));
  g_ptr_array_add (bad, g_strdup_printf ("$scrypt$ln=15,r=8,p=1$%s$%s=", salt, key));
  g_ptr_array_add (bad, g_strdup_printf ("$scrypt$ln=15,r=8,p=1$%s$%s\n", salt, key));
  g_ptr_array_add (bad, g_strdup_printf ("$scrypt$ln=15,r=8,p=1$%s$ %s", salt, key));
  g_ptr_array_add (bad, g_strdup_printf ("$scrypt$ln=15,r=8,p=1$%s$%s$", salt, key));
  g_ptr_array_add (bad, g_strdup_printf ("$scrypt$ln=15,r=8,p=1$%s", salt));
  g_ptr_array_add (bad, g_strdup_printf ("$scrypt$ln=15,r=8,p=1$$%s", key));
  g_ptr_array_add (bad, g_strdup_printf ("$scrypt$ln=15,r=8,p=1$%s$", salt));
  g_ptr_array_add (bad, g_strdup_printf ("$scrypt$ln=15,r=8,p=1$%s$%.10s", salt, key));
  g_ptr_array_add (bad, g_strdup_printf ("$scrypt$ln=15,r=8,p=1$%.4s$%s", salt, key));
  g_ptr_array_add (bad, g_strdup_printf ("$scrypt$ln=15,r=8,p=1$%s$%s", long_one, key));
  g_ptr_array_add (bad, g_strdup_printf ("$scrypt$ln=15,r=8,p=1$%s$%s", bad_last_salt, key));
  g_ptr_array_add (bad, g_strdup_printf ("$scrypt$ln=15,r=8,p=1$%s$%s", salt, key));
  /* the last one is the genuine hash with one key character's case swapped below */
  {
    char *last = g_ptr_array_index (bad, bad->len - 1);
    char *k = strrchr (last, '$') + 1;

    k[0] = g_ascii_isupper (k[0]) ? g_ascii_tolower (k[0]) : g_ascii_toupper (k[0]);
    if (!g_ascii_isalpha (k[0]))
      k[0] = k[0] == '0' ? '1' : '0';
  }

  for (i = 0; i < bad->len; i++)
    {
      g_autoptr(GError) error = NULL;
      const char *encoded = g_ptr_array_index (bad, i);
      gboolean last = i == bad->len - 1;
      gint expected = last ? CRM_AUTH_ERROR_BAD_CREDENTIALS : CRM_AUTH_ERROR_MALFORMED;

      g_test_message ("encoding %u: %s", i, encoded);
      g_assert_false (crm_password_verify (PASSWORD, encoded, &error));
      /* A readable encoding with a changed key is simply a wrong password. */
      g_assert_error (error, CRM_AUTH_ERROR, expected);
      g_assert_true (crm_password_needs_rehash (encoded) || last);
    }

  {
    g_autoptr(GError) error = NULL;

    g_assert_false (crm_password_verify (PASSWORD, NULL, &error));
    g_assert_error (error, CRM_AUTH_ERROR, CRM_AUTH_ERROR_MALFORMED);
    g_assert_true (crm_password_needs_rehash (NULL));
  }
}

/* RFC 7914 §12, third vector, written in our format: proves this is real scrypt and that
 * a hash made with other parameters still verifies, and asks to be redone. */
static void
test_known_answer_and_rehash (void)
{
  static const guint8 key[64] = {
    0x70, 0x23, 0xbd, 0xcb, 0x3a, 0xfd, 0x73, 0x48, 0x46, 0x1c, 0x06, 0xcd, 0x81, 0xfd,
    0x38, 0xeb, 0xfd, 0xa8, 0xfb, 0xba, 0x90, 0x4f, 0x8e, 0x3e, 0xa9, 0xb5, 0x43, 0xf6,
    0x54, 0x5d, 0xa1, 0xf2, 0xd5, 0x43, 0x29, 0x55, 0x61, 0x3f, 0x0f, 0xcf, 0x62, 0xd4,
    0x97, 0x05, 0x24, 0x2a, 0x9a, 0xf9, 0xe6, 0x1e, 0x85, 0xdc, 0x0d, 0x65, 0x1e, 0x40,
    0xdf, 0xcf, 0x01, 0x7b, 0x45, 0x57, 0x58, 0x87,
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *salt_b64 = b64_nopad ("SodiumChloride", 14);
  g_autofree char *key_b64 = b64_nopad (key, sizeof key);
  g_autofree char *encoded = g_strdup_printf ("$scrypt$ln=14,r=8,p=1$%s$%s", salt_b64, key_b64);

  g_assert_true (crm_password_verify ("pleaseletmein", encoded, &error));
  g_assert_no_error (error);
  g_assert_true (crm_password_needs_rehash (encoded));

  g_assert_false (crm_password_verify ("pleaseletmeiN", encoded, &error));
  g_assert_error (error, CRM_AUTH_ERROR, CRM_AUTH_ERROR_BAD_CREDENTIALS);
}

static void
test_unicode_normalization (void)
{
  g_autoptr(GError) error = NULL;
  /* "é" as U+00E9, then as "e" + U+0301 */
  const char *composed = "mot de passe \xc3\xa9t\xc3\xa9 2026";
  const char *decomposed = "mot de passe e\xcc\x81te\xcc\x81 2026";
  g_autofree char *hash = crm_password_hash (composed, &error);

  g_assert_no_error (error);
  g_assert_true (crm_password_verify (decomposed, hash, &error));
  g_assert_no_error (error);
}

static void
test_oversized_and_invalid_input (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *huge = g_strnfill (CRM_PASSWORD_MAX_BYTES + 1, 'x');
  g_autofree char *hash = NULL;

  hash = crm_password_hash (huge, &error);
  g_assert_null (hash);
  g_assert_error (error, CRM_AUTH_ERROR, CRM_AUTH_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  hash = crm_password_hash ("\xff\xfe not utf-8 at all", &error);
  g_assert_null (hash);
  g_assert_error (error, CRM_AUTH_ERROR, CRM_AUTH_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_false (crm_password_verify (huge, get_shared_hash (), &error));
  g_assert_error (error, CRM_AUTH_ERROR, CRM_AUTH_ERROR_BAD_CREDENTIALS);

  /* The unknown-account path takes any input without complaint (run under ASan too). */
  crm_password_verify_dummy (huge);
  crm_password_verify_dummy ("\xff\xfe");
  crm_password_verify_dummy (PASSWORD);
}

typedef struct
{
  const char *password;
  const char *email;
  const char *message_part; /* NULL: accepted */
} PolicyCase;

static void
test_policy (void)
{
  static const PolicyCase cases[] = {
    { "cheval batterie agrafe correcte", "jean.dupont@example.fr", NULL },
    { "Tr0ub4dor&3xyz", NULL, NULL },
    { "mon chat s'appelle Félix", "marie@example.fr", NULL },
    { "839201746582", NULL, NULL },
    { "Pépite-Forêt-Œuvre", NULL, NULL },
    { "", NULL, "obligatoire" },
    { "court", NULL, "12 caractères" },
    { "ÉéÉéÉé", NULL, "12 caractères" },
    { "aaaaaaaaaaaaaaaa", NULL, "un seul caractère" },
    { "AaAaAaAaAaAaAa", NULL, "un seul caractère" },
    { "abababababababab", NULL, "5 caractères différents" },
    { "abcdefghijklmnop", NULL, "suite" },
    { "987654321098", NULL, "suite" },
    { "567890123456", NULL, "suite" },
    { "\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93\xef\xbc\x94\xef\xbc\x95\xef\xbc\x96"
      "\xef\xbc\x97\xef\xbc\x98\xef\xbc\x99\xef\xbc\x90\xef\xbc\x91\xef\xbc\x92", NULL,
      "suite" },
    { "Motdepasse123!", NULL, "trop courant" },
    { "AZERTYUIOP12", NULL, "trop courant" },
    { "azertyazertyazerty", NULL, "trop courant" },
    { "2024!Password", NULL, "trop courant" },
    { "jean.dupont2024!", "Jean.Dupont@example.fr", "adresse e-mail" },
    { "ligne\nsuivante123", NULL, "contrôle" },
    { "tab\tulation1234", NULL, "contrôle" },
    { "\xff\xfe invalide 12345", NULL, "invalides" },
  };
  g_autofree char *huge = g_strnfill (CRM_PASSWORD_MAX_BYTES + 1, 'k');
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = crm_password_check_policy (cases[i].password, cases[i].email, &error);

      g_test_message ("policy case %" G_GSIZE_FORMAT, i);
      if (cases[i].message_part == NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, CRM_AUTH_ERROR, CRM_AUTH_ERROR_WEAK_PASSWORD);
          g_assert_nonnull (strstr (error->message, cases[i].message_part));
        }
    }

  {
    g_autoptr(GError) error = NULL;

    g_assert_false (crm_password_check_policy (huge, NULL, &error));
    g_assert_error (error, CRM_AUTH_ERROR, CRM_AUTH_ERROR_WEAK_PASSWORD);
    g_clear_error (&error);
    g_assert_false (crm_password_check_policy (NULL, NULL, &error));
    g_assert_error (error, CRM_AUTH_ERROR, CRM_AUTH_ERROR_WEAK_PASSWORD);
  }
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/auth/password/round-trip", test_round_trip);
  g_test_add_func ("/auth/password/wrong-password-refused", test_wrong_password);
  g_test_add_func ("/auth/password/salt-differs-per-hash", test_different_salts);
  g_test_add_func ("/auth/password/malformed-encodings-refused", test_malformed_encodings);
  g_test_add_func ("/auth/password/rfc7914-vector-and-rehash", test_known_answer_and_rehash);
  g_test_add_func ("/auth/password/unicode-normalized", test_unicode_normalization);
  g_test_add_func ("/auth/password/oversized-and-invalid-input", test_oversized_and_invalid_input);
  g_test_add_func ("/auth/password/policy", test_policy);

  ret = g_test_run ();
  g_free (shared_hash);
  return ret;
}

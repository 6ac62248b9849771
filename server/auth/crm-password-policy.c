/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-auth"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <openssl/crypto.h>

#include "crm-auth-error.h"
#include "crm-password.h"

#define MIN_DISTINCT_CHARS 5

/* What people type first, in France and elsewhere: with digits or symbols around them
 * they are still the first guesses of any attacker. Compared after case folding. */
static const char * const common_words[] = {
  "motdepasse", "mot de passe", "password", "passw0rd", "azerty", "azertyuiop", "qwerty",
  "qwertyuiop", "qwertz", "alforis", "alforiscrm", "crm", "admin", "administrateur",
  "bonjour", "soleil", "marseille", "paris", "doudou", "loulou", "chouchou", "jetaime",
  "iloveyou", "bienvenue", "welcome", "changeme", "letmein", "secret", "utilisateur",
  "user", "test", "default", "defaut", "123456", "abc", "abcdef",
};

static gboolean
policy_fail (GError     **error,
             const char  *message)
{
  g_set_error_literal (error, CRM_AUTH_ERROR, CRM_AUTH_ERROR_WEAK_PASSWORD, message);
  return FALSE;
}

static gboolean
is_repetition_of (const char *text,
                  const char *unit)
{
  gsize text_len = strlen (text);
  gsize unit_len = strlen (unit);
  gsize i;

  if (unit_len == 0 || text_len == 0 || text_len % unit_len != 0)
    return FALSE;
  for (i = 0; i < text_len; i += unit_len)
    if (memcmp (text + i, unit, unit_len) != 0)
      return FALSE;

  return TRUE;
}

/* The password with its leading and trailing non-letters removed, so "Azerty2024!" and
 * "!!motdepasse123" are recognised. */
static char *
letters_core (const char *folded)
{
  const char *start = folded;
  const char *end = folded + strlen (folded);

  while (*start != '\0' && !g_unichar_isalpha (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  while (end > start)
    {
      const char *prev = g_utf8_prev_char (end);

      if (g_unichar_isalpha (g_utf8_get_char (prev)))
        break;
      end = prev;
    }

  return g_strndup (start, (gsize) (end - start));
}

static gboolean
is_common (const char *folded)
{
  g_autofree char *core = letters_core (folded);
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (common_words); i++)
    if (is_repetition_of (folded, common_words[i]) || is_repetition_of (core, common_words[i]))
      return TRUE;

  return FALSE;
}

static gboolean
is_run (const gunichar *chars,
        glong           n_chars)
{
  gint64 step;
  glong i;

  if (n_chars < 2)
    return FALSE;

  /* "abcdef…", "987654…" and the digit run that wraps ("567890123456") */
  step = (gint64) chars[1] - (gint64) chars[0];
  if (step != 1 && step != -1)
    return FALSE;
  for (i = 2; i < n_chars; i++)
    {
      gint64 d = (gint64) chars[i] - (gint64) chars[i - 1];
      gboolean digit_wrap = g_unichar_isdigit (chars[i]) && g_unichar_isdigit (chars[i - 1]) &&
                            (d == -9 * step);

      if (d != step && !digit_wrap)
        return FALSE;
    }

  return TRUE;
}

static glong
count_distinct (const gunichar *chars,
                glong           n_chars)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  glong i;

  for (i = 0; i < n_chars; i++)
    g_hash_table_add (seen, GUINT_TO_POINTER (chars[i]));

  return (glong) g_hash_table_size (seen);
}

static gboolean
contains_email (const char *folded,
                const char *email)
{
  g_autofree char *folded_email = NULL;
  char *at;

  if (email == NULL || !g_utf8_validate (email, -1, NULL))
    return FALSE;

  folded_email = g_utf8_casefold (email, -1);
  at = strchr (folded_email, '@');
  if (at != NULL)
    *at = '\0';

  /* A two-letter local part ("jd@…") would forbid too many honest passwords. */
  return g_utf8_strlen (folded_email, -1) >= 3 && strstr (folded, folded_email) != NULL;
}

static void
wipe_string (char *text)
{
  if (text != NULL)
    OPENSSL_cleanse (text, strlen (text));
  g_free (text);
}

static void
wipe_chars (gunichar *chars)
{
  /* The arrays come from g_utf8_to_ucs4_fast, NUL-terminated. */
  gsize n = 0;

  if (chars == NULL)
    return;
  while (chars[n] != 0)
    n++;
  OPENSSL_cleanse (chars, n * sizeof *chars);
  g_free (chars);
}

static gboolean
check_policy (const char  *normalized,
              const char  *folded,
              const char  *email,
              GError     **error)
{
  gunichar *chars = NULL;
  glong n_chars = 0;
  gboolean ok = FALSE;
  glong i;

  if (g_utf8_strlen (normalized, -1) < CRM_PASSWORD_MIN_CHARS)
    {
      g_set_error (error, CRM_AUTH_ERROR, CRM_AUTH_ERROR_WEAK_PASSWORD,
                   _("Le mot de passe doit contenir au moins %d caractères ; "
                     "une courte phrase est plus facile à retenir."),
                   CRM_PASSWORD_MIN_CHARS);
      return FALSE;
    }

  chars = g_utf8_to_ucs4_fast (folded, -1, &n_chars);

  for (i = 0; i < n_chars; i++)
    if (g_unichar_iscntrl (chars[i]))
      break;

  if (i < n_chars)
    policy_fail (error, _("Le mot de passe ne doit pas contenir de caractères de contrôle "
                          "(retour à la ligne, tabulation…)."));
  else if (count_distinct (chars, n_chars) == 1)
    policy_fail (error, _("Le mot de passe ne doit pas répéter un seul caractère ; "
                          "choisissez plutôt quelques mots sans rapport entre eux."));
  else if (count_distinct (chars, n_chars) < MIN_DISTINCT_CHARS)
    policy_fail (error, _("Le mot de passe doit comporter au moins 5 caractères différents."));
  else if (is_run (chars, n_chars))
    policy_fail (error, _("Le mot de passe ne doit pas être une suite comme « abcdef » "
                          "ou « 123456 »."));
  else if (is_common (folded))
    policy_fail (error, _("Ce mot de passe est trop courant ; évitez les mots comme "
                          "« motdepasse » ou « azerty », même suivis de chiffres."));
  else if (contains_email (folded, email))
    policy_fail (error, _("Le mot de passe ne doit pas contenir votre adresse e-mail."));
  else
    ok = TRUE;

  wipe_chars (chars);
  return ok;
}

gboolean
crm_password_check_policy (const char  *password,
                           const char  *email,
                           GError     **error)
{
  char *normalized = NULL;
  char *folded = NULL;
  gboolean ok;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (password == NULL || *password == '\0')
    return policy_fail (error, _("Le mot de passe est obligatoire."));

  if (strnlen (password, CRM_PASSWORD_MAX_BYTES + 1) > CRM_PASSWORD_MAX_BYTES)
    {
      g_set_error (error, CRM_AUTH_ERROR, CRM_AUTH_ERROR_WEAK_PASSWORD,
                   _("Le mot de passe est trop long : %d octets au plus."),
                   CRM_PASSWORD_MAX_BYTES);
      return FALSE;
    }

  if (!g_utf8_validate (password, -1, NULL))
    return policy_fail (error, _("Le mot de passe contient des caractères invalides."));

  /* Compatibility forms and case folded so "ＡＢＣ" counts as "abc" for the checks below;
   * the hash itself uses NFC only. */
  normalized = g_utf8_normalize (password, -1, G_NORMALIZE_NFC);
  folded = g_utf8_casefold (normalized, -1);
  {
    char *nfkc = g_utf8_normalize (folded, -1, G_NORMALIZE_NFKC);

    wipe_string (folded);
    folded = nfkc;
  }

  ok = check_policy (normalized, folded, email, error);

  wipe_string (normalized);
  wipe_string (folded);
  return ok;
}

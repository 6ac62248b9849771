/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-search-query"

#include "config.h"

#include <string.h>

#include "crm-search-query.h"

/* Letters FTS5's unicode61 keeps as they are even with remove_diacritics 2, spelled
 * out the way a French keyboard user would type them without the special key. */
static const char *
fold_expansion (gunichar c)
{
  switch (c)
    {
    case 0x0153: return "oe"; /* œ */
    case 0x0152: return "OE"; /* Œ */
    case 0x00E6: return "ae"; /* æ */
    case 0x00C6: return "AE"; /* Æ */
    case 0x00DF: return "ss"; /* ß */
    case 0x1E9E: return "SS"; /* ẞ */
    case 0xFB00: return "ff";
    case 0xFB01: return "fi";
    case 0xFB02: return "fl";
    case 0xFB03: return "ffi";
    case 0xFB04: return "ffl";
    case 0xFB05: return "st";
    case 0xFB06: return "st";
    default: return NULL;
    }
}

/* Letters with no Unicode decomposition, so stripping combining marks alone
 * would leave them accented (ø, đ, ł...). */
static const char *
ascii_expansion (gunichar c)
{
  switch (c)
    {
    case 0x00F8: return "o";  /* ø */
    case 0x0111: return "d";  /* đ */
    case 0x0142: return "l";  /* ł */
    case 0x0131: return "i";  /* ı */
    case 0x00F0: return "d";  /* ð */
    case 0x00FE: return "th"; /* þ */
    case 0x0127: return "h";  /* ħ */
    default: return fold_expansion (c);
    }
}

char *
crm_search_fold (const char *text)
{
  GString *out;
  const char *p;
  gboolean needs_work = FALSE;

  if (text == NULL)
    return NULL;

  /* Every expanded letter is encoded with a lead byte of 0xC3, 0xC5, 0xE1 or 0xEF;
   * most text has none of them and is copied as is (this runs in SQL triggers). */
  for (p = text; *p != '\0'; p++)
    {
      guchar b = (guchar) *p;

      if (b == 0xC3 || b == 0xC5 || b == 0xE1 || b == 0xEF)
        {
          needs_work = TRUE;
          break;
        }
    }

  if (!needs_work || !g_utf8_validate (text, -1, NULL))
    return g_strdup (text);

  out = g_string_sized_new (strlen (text) + 8);
  for (p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      const char *expansion = fold_expansion (c);

      if (expansion != NULL)
        g_string_append (out, expansion);
      else
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

static char *
fold_ascii_slow (const char *text)
{
  g_autofree char *valid = NULL;
  g_autofree char *lower = NULL;
  g_autofree char *decomposed = NULL;
  GString *out;

  if (text == NULL)
    return NULL;

  valid = g_utf8_make_valid (text, -1);
  lower = g_utf8_strdown (valid, -1);
  decomposed = g_utf8_normalize (lower, -1, G_NORMALIZE_NFD);
  if (decomposed == NULL)
    return g_strdup ("");

  out = g_string_sized_new (strlen (decomposed));
  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type;
      const char *expansion;

      type = g_unichar_type (c);
      if (type == G_UNICODE_NON_SPACING_MARK || type == G_UNICODE_SPACING_MARK ||
          type == G_UNICODE_ENCLOSING_MARK)
        continue;

      expansion = ascii_expansion (c);
      if (expansion != NULL)
        g_string_append (out, expansion);
      else
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

/* Latin letters are most of what a French CRM holds, and this runs on every
 * word stored (the vocabulary of the term index): their folded forms are
 * computed once, by the general path above, so both paths agree by
 * construction. */
#define LATIN_FIRST 0x80
#define LATIN_LAST 0x24F
#define PUNCT_FIRST 0x2000 /* General Punctuation: ’ « » … – in French text */
#define PUNCT_LAST 0x206F
#define N_LATIN (LATIN_LAST - LATIN_FIRST + 1)
#define N_FAST (N_LATIN + PUNCT_LAST - PUNCT_FIRST + 1)

/* The folded form of @c, or NULL when it is outside the tabulated ranges. */
static const char *
fast_fold (gunichar c)
{
  static char *table[N_FAST];
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      for (guint i = 0; i < N_FAST; i++)
        {
          gunichar u = i < N_LATIN ? LATIN_FIRST + i : PUNCT_FIRST + (i - N_LATIN);
          char utf8[8] = { 0 };

          g_unichar_to_utf8 (u, utf8);
          table[i] = fold_ascii_slow (utf8);
        }
      g_once_init_leave (&initialized, 1);
    }

  if (c >= LATIN_FIRST && c <= LATIN_LAST)
    return table[c - LATIN_FIRST];
  if (c >= PUNCT_FIRST && c <= PUNCT_LAST)
    return table[N_LATIN + (c - PUNCT_FIRST)];
  return NULL;
}

char *
crm_search_fold_ascii (const char *text)
{
  GString *out;
  const char *p;

  if (text == NULL)
    return NULL;

  out = g_string_sized_new (strlen (text));
  for (p = text; *p != '\0';)
    {
      guchar b = (guchar) *p;
      const char *folded;
      gunichar c;

      if (b < 0x80)
        {
          g_string_append_c (out, g_ascii_tolower ((char) b));
          p++;
          continue;
        }

      c = g_utf8_get_char_validated (p, -1);
      folded = c == (gunichar) -1 || c == (gunichar) -2 ? NULL : fast_fold (c);
      if (folded == NULL)
        {
          /* Anything else (combining marks, other scripts, broken UTF-8): the
           * general path, for the whole text, since folding may need context. */
          g_string_free (out, TRUE);
          return fold_ascii_slow (text);
        }
      g_string_append (out, folded);
      p = g_utf8_next_char (p);
    }

  return g_string_free (out, FALSE);
}

/* What unicode61 treats as part of a word: letters and digits, with the combining
 * marks that belong to the letter before them. Everything else only separates
 * words, which is what keeps operators and punctuation out of the FTS5 syntax.
 * @is_base tells a letter or digit: a word needs one to be worth searching. */
static gboolean
is_word_char (gunichar  c,
              gboolean *is_base)
{
  GUnicodeType type = g_unichar_type (c);

  *is_base = type == G_UNICODE_LOWERCASE_LETTER || type == G_UNICODE_UPPERCASE_LETTER ||
             type == G_UNICODE_TITLECASE_LETTER || type == G_UNICODE_MODIFIER_LETTER ||
             type == G_UNICODE_OTHER_LETTER || type == G_UNICODE_DECIMAL_NUMBER ||
             type == G_UNICODE_LETTER_NUMBER || type == G_UNICODE_OTHER_NUMBER;

  /* unicode61 also keeps private-use characters and, having older Unicode tables
   * than GLib, every code point it does not know: splitting on them here would
   * search for a word the index never saw. */
  return *is_base || type == G_UNICODE_NON_SPACING_MARK || type == G_UNICODE_SPACING_MARK ||
         type == G_UNICODE_ENCLOSING_MARK || type == G_UNICODE_PRIVATE_USE ||
         type == G_UNICODE_UNASSIGNED;
}

/* Splits folded, valid UTF-8 into words. A word made only of combining marks is
 * dropped: unicode61 may see no token in it, and an empty FTS5 phrase is useless. */
static GPtrArray *
split_words (const char *text,
             guint       max_words)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  GString *word = g_string_new (NULL);
  guint word_chars = 0;
  gboolean has_base = FALSE;
  const char *p = text;

  for (;;)
    {
      gunichar c = *p != '\0' ? g_utf8_get_char (p) : 0;
      gboolean is_base = FALSE;

      if (c != 0 && is_word_char (c, &is_base))
        {
          if (word_chars < CRM_SEARCH_MAX_TOKEN_CHARS)
            {
              g_string_append_unichar (word, c);
              word_chars++;
            }
          has_base |= is_base;
        }
      else
        {
          if (word->len > 0 && has_base && words->len < max_words)
            g_ptr_array_add (words, g_strndup (word->str, word->len));
          g_string_truncate (word, 0);
          word_chars = 0;
          has_base = FALSE;
        }

      if (c == 0)
        break;
      p = g_utf8_next_char (p);
    }

  g_string_free (word, TRUE);
  return words;
}

CrmSearchQuery *
crm_search_query_parse (const char *text)
{
  CrmSearchQuery *query = g_new0 (CrmSearchQuery, 1);
  g_autofree char *valid = NULL;
  g_autofree char *composed = NULL;
  g_autofree char *folded = NULL;
  GPtrArray *words;

  valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  /* Composed form, so "e" + combining acute is one character like the "é" that a
   * keyboard produces and that the stored text most likely holds. */
  composed = g_utf8_normalize (valid, -1, G_NORMALIZE_NFC);
  folded = crm_search_fold (composed != NULL ? composed : valid);

  words = split_words (folded, CRM_SEARCH_MAX_TOKENS);
  query->n_tokens = words->len;
  g_ptr_array_add (words, NULL);
  query->tokens = (GStrv) g_ptr_array_free (words, FALSE);

  return query;
}

void
crm_search_query_free (CrmSearchQuery *query)
{
  if (query == NULL)
    return;

  g_strfreev (query->tokens);
  g_free (query);
}

char *
crm_search_quote (const char *word,
                  gboolean    prefix)
{
  GString *out = g_string_new ("\"");

  for (const char *p = word != NULL ? word : ""; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
  if (prefix)
    g_string_append_c (out, '*');

  return g_string_free (out, FALSE);
}

char *
crm_search_query_to_fts (const CrmSearchQuery *query)
{
  GString *out;

  g_return_val_if_fail (query != NULL, NULL);

  if (query->n_tokens == 0)
    return NULL;

  out = g_string_new (NULL);
  for (guint i = 0; i < query->n_tokens; i++)
    {
      g_autofree char *quoted = crm_search_quote (query->tokens[i], i + 1 == query->n_tokens);

      if (i > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, quoted);
    }

  return g_string_free (out, FALSE);
}

char *
crm_search_query_to_trigram (const CrmSearchQuery *query)
{
  GString *out;

  g_return_val_if_fail (query != NULL, NULL);

  out = g_string_new (NULL);
  for (guint i = 0; i < query->n_tokens; i++)
    {
      g_autofree char *ascii = crm_search_fold_ascii (query->tokens[i]);
      g_autofree char *quoted = NULL;

      if (g_utf8_strlen (ascii, -1) < CRM_SEARCH_TRIGRAM_MIN_CHARS)
        continue;

      quoted = crm_search_quote (ascii, FALSE);
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, quoted);
    }

  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }

  return g_string_free (out, FALSE);
}

GStrv
crm_search_terms (const char *text,
                  guint       min_chars)
{
  g_autofree char *ascii = NULL;
  g_autoptr(GPtrArray) words = NULL;
  g_autoptr(GHashTable) seen = NULL;
  GPtrArray *terms;

  terms = g_ptr_array_new ();
  if (text == NULL)
    {
      g_ptr_array_add (terms, NULL);
      return (GStrv) g_ptr_array_free (terms, FALSE);
    }

  ascii = crm_search_fold_ascii (text);
  words = split_words (ascii, G_MAXUINT);
  seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < words->len; i++)
    {
      const char *word = g_ptr_array_index (words, i);

      if (g_utf8_strlen (word, -1) < min_chars || g_hash_table_contains (seen, word))
        continue;
      g_hash_table_add (seen, (gpointer) word);
      g_ptr_array_add (terms, g_strdup (word));
    }
  g_ptr_array_add (terms, NULL);

  return (GStrv) g_ptr_array_free (terms, FALSE);
}

guint
crm_search_edit_distance (const char *a,
                          const char *b,
                          guint       max)
{
  g_autofree gunichar *ua = NULL;
  g_autofree gunichar *ub = NULL;
  g_autofree guint *rows = NULL;
  glong la = 0, lb = 0;
  guint *prev2, *prev, *cur;

  ua = g_utf8_to_ucs4_fast (a != NULL ? a : "", -1, &la);
  ub = g_utf8_to_ucs4_fast (b != NULL ? b : "", -1, &lb);

  if ((guint) ABS (la - lb) > max)
    return max + 1;

  /* Three rolling rows of the dynamic programme; the one two rows back is what
   * lets a swap of neighbours ("genreale") cost one edit instead of two. */
  rows = g_new0 (guint, 3 * (lb + 1));
  prev2 = rows;
  prev = rows + (lb + 1);
  cur = rows + 2 * (lb + 1);

  for (glong j = 0; j <= lb; j++)
    prev[j] = (guint) j;

  for (glong i = 1; i <= la; i++)
    {
      guint row_min;
      guint *tmp;

      cur[0] = (guint) i;
      row_min = cur[0];
      for (glong j = 1; j <= lb; j++)
        {
          guint cost = ua[i - 1] == ub[j - 1] ? 0 : 1;
          guint best = MIN (prev[j] + 1, cur[j - 1] + 1);

          best = MIN (best, prev[j - 1] + cost);
          if (i > 1 && j > 1 && ua[i - 1] == ub[j - 2] && ua[i - 2] == ub[j - 1])
            best = MIN (best, prev2[j - 2] + 1);
          cur[j] = best;
          row_min = MIN (row_min, best);
        }

      if (row_min > max)
        return max + 1;

      tmp = prev2;
      prev2 = prev;
      prev = cur;
      cur = tmp;
    }

  return MIN (prev[lb], max + 1);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-search-query"

#include "config.h"

#include <locale.h>
#include <sqlite3.h>
#include <string.h>

#include "crm-search-query.h"

static char *
to_fts (const char *text)
{
  g_autoptr(CrmSearchQuery) query = crm_search_query_parse (text);

  return crm_search_query_to_fts (query);
}

static char *
to_trigram (const char *text)
{
  g_autoptr(CrmSearchQuery) query = crm_search_query_parse (text);

  return crm_search_query_to_trigram (query);
}

static void
assert_fts (const char *text,
            const char *expected)
{
  g_autofree char *fts = to_fts (text);

  g_assert_cmpstr (fts, ==, expected);
}

static void
test_words_quoted_last_prefix (void)
{
  assert_fts ("societe generale", "\"societe\" \"generale\"*");
  assert_fts ("  Société   Générale  ", "\"Société\" \"Générale\"*");
  assert_fts ("lyon", "\"lyon\"*");
  assert_fts ("M-2025-001", "\"M\" \"2025\" \"001\"*");
}

static void
test_operators_are_words (void)
{
  assert_fts ("AND", "\"AND\"*");
  assert_fts ("a OR b", "\"a\" \"OR\" \"b\"*");
  assert_fts ("NOT NEAR(x y)", "\"NOT\" \"NEAR\" \"x\" \"y\"*");
  assert_fts ("name:dupont", "\"name\" \"dupont\"*");
  assert_fts ("-dupont +axa ^x", "\"dupont\" \"axa\" \"x\"*");
  assert_fts ("dup*", "\"dup\"*");
}

static void
test_punctuation_splits (void)
{
  assert_fts ("jean-pierre", "\"jean\" \"pierre\"*");
  assert_fts ("l’école", "\"l\" \"école\"*");
  assert_fts ("j.dupont@axa.fr", "\"j\" \"dupont\" \"axa\" \"fr\"*");
  assert_fts ("\"quoted (paren", "\"quoted\" \"paren\"*");
  /* Signs SQLite's Unicode tables know cut words; newer ones (₺, emoji) are
   * unknown to unicode61, which keeps them inside the word. */
  assert_fts ("100€ ok", "\"100\" \"ok\"*");
  assert_fts ("10₺ ok", "\"10₺\" \"ok\"*");
  assert_fts ("rdv🤝lyon", "\"rdv🤝lyon\"*");
  assert_fts ("\u07ffŒx", "\"\u07ffOEx\"*");
}

static void
test_nothing_to_search (void)
{
  g_autofree char *trigram = NULL;

  g_assert_null (to_fts (NULL));
  g_assert_null (to_fts (""));
  g_assert_null (to_fts ("   "));
  g_assert_null (to_fts ("\"\"()*-:^"));
  g_assert_null (to_fts ("\xcc\x81"));      /* a lone combining accent */
  g_assert_null (to_fts ("\xff\xfe"));      /* not UTF-8 at all */
  trigram = to_trigram ("ab c");
  g_assert_null (trigram);
}

static void
test_ligatures_folded (void)
{
  g_autofree char *fold = crm_search_fold ("Cœur Œuvre Æsop Straße ﬁnance");
  g_autofree char *ascii = crm_search_fold_ascii ("Œuvre Générale Ørsted ÇA");

  g_assert_cmpstr (fold, ==, "Coeur OEuvre AEsop Strasse finance");
  g_assert_cmpstr (ascii, ==, "oeuvre generale orsted ca");
  assert_fts ("sœur", "\"soeur\"*");
}

static void
test_fold_ascii_fast_path_agrees (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autofree char *sample = crm_search_fold_ascii ("Ærøskøbing Đorđe Łódź İstanbul ÀÉÎÕÜ ŒUVRE");

  g_assert_cmpstr (sample, ==, "aeroskobing dorde lodz istanbul aeiou oeuvre");

  /* A trailing combining accent (dropped) sends the text down the general path:
   * both paths must fold every Latin letter alike. */
  for (guint i = 0; i < 2000; i++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_autofree char *fast = NULL;
      g_autofree char *slow = NULL;
      g_autofree char *with_mark = NULL;

      for (int n = g_rand_int_range (rand, 1, 12); n > 0; n--)
        {
          int range = g_rand_int_range (rand, 0, 3);

          g_string_append_unichar (text, range == 0 ? (gunichar)g_rand_int_range (rand, 0x80, 0x250)
                                         : range == 1
                                             ? (gunichar)g_rand_int_range (rand, 0x2000, 0x2070)
                                             : (gunichar)g_rand_int_range (rand, 0x20, 0x7f));
        }
      g_string_append_c (text, ' ');
      fast = crm_search_fold_ascii (text->str);
      with_mark = g_strconcat (text->str, "\xcc\x81", NULL);
      slow = crm_search_fold_ascii (with_mark);
      g_assert_cmpstr (fast, ==, slow);
    }
}

static void
test_decomposed_input_composed (void)
{
  /* "e" + COMBINING ACUTE ACCENT, as some input methods and pastes produce. */
  assert_fts ("e\xcc\x81" "cole", "\"école\"*");
}

static void
test_trigram_query (void)
{
  g_autofree char *a = to_trigram ("nérale");
  g_autofree char *b = to_trigram ("la Société Générale");
  g_autofree char *c = to_trigram ("\"x\" OR y*");

  g_assert_cmpstr (a, ==, "\"nerale\"");
  g_assert_cmpstr (b, ==, "\"societe\" \"generale\"");
  g_assert_null (c);
}

static void
test_quote_doubles_quotes (void)
{
  g_autofree char *q = crm_search_quote ("a\"b", TRUE);

  g_assert_cmpstr (q, ==, "\"a\"\"b\"*");
}

static void
test_terms_distinct (void)
{
  g_auto(GStrv) terms = crm_search_terms ("Société Générale, SOCIÉTÉ de Lyon", 3);

  g_assert_cmpuint (g_strv_length (terms), ==, 3);
  g_assert_cmpstr (terms[0], ==, "societe");
  g_assert_cmpstr (terms[1], ==, "generale");
  g_assert_cmpstr (terms[2], ==, "lyon");
}

static void
test_edit_distance (void)
{
  g_assert_cmpuint (crm_search_edit_distance ("generale", "generale", 2), ==, 0);
  g_assert_cmpuint (crm_search_edit_distance ("genarale", "generale", 2), ==, 1);
  g_assert_cmpuint (crm_search_edit_distance ("genreale", "generale", 2), ==, 1);
  g_assert_cmpuint (crm_search_edit_distance ("generle", "generale", 2), ==, 1);
  g_assert_cmpuint (crm_search_edit_distance ("societe", "generale", 2), ==, 3);
  g_assert_cmpuint (crm_search_edit_distance ("", "abc", 5), ==, 3);
  g_assert_cmpuint (crm_search_edit_distance ("écolé", "ecole", 3), ==, 2);
}

/* Pieces a person (or a cat on the keyboard) can type, weighted towards what
 * FTS5 would otherwise read as syntax. */
static const char *const fuzz_pieces[] = {
  "\"", "\"\"", "(", ")", "*", "-", ":", "^", "+", "{", "}", ",", ".", "'", "’", "/", "\\",
  "AND", "OR", "NOT", "NEAR", "NEAR/2", "and", "or", " ", " ", " ", "\t", "\n",
  "a", "b", "z", "x", "dupont", "société", "générale", "lyon", "é", "É", "œ", "Œ", "æ", "ß",
  "ﬁ", "0", "42", "2025", "M-2025-001", "é", "e\xcc\x81", "\xcc\x81", "😀", "中文", "ç",
  "\xef\xbb\xbf", "\xc2\xa0", "\x01", "\x7f", "@", "#", "%", "&", "|", "~", "<", ">", "=",
  "[", "]", "_", "$", ";", "?", "!", "rowid", "rank", "bm25", "MATCH", "'", "\\\"",
};

/* Random bytes, code points of any plane and pieces of FTS5 syntax. */
static char *
random_text (GRand *rand)
{
  GString *out = g_string_new (NULL);
  int n = g_rand_int_range (rand, 0, 12);

  for (int i = 0; i < n; i++)
    {
      int pick = g_rand_int_range (rand, 0, 10);

      if (pick == 0)
        {
          /* Raw bytes, valid or not. */
          g_string_append_c (out, (char) g_rand_int_range (rand, 1, 256));
        }
      else if (pick == 1)
        {
          /* Any valid scalar value from the BMP and above. */
          gunichar c = (gunichar) g_rand_int_range (rand, 1, 0x2FFFF);

          if (g_unichar_validate (c))
            g_string_append_unichar (out, c);
        }
      else
        {
          g_string_append (out,
                           fuzz_pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (fuzz_pieces))]);
        }
    }

  return g_string_free (out, FALSE);
}

static void
exec_or_die (sqlite3    *db,
             const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* Runs @match against @table; fails the test on any SQLite error. Returns the number of rows. */
static int
count_matches (sqlite3    *db,
               const char *table,
               const char *match,
               const char *typed)
{
  g_autofree char *sql = g_strdup_printf ("SELECT rowid FROM %s WHERE %s MATCH ?", table, table);
  sqlite3_stmt *stmt = NULL;
  int rc, n = 0;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    n++;
  if (rc != SQLITE_DONE)
    g_error ("typed %s -> MATCH %s on %s: %s", typed, match, table, sqlite3_errmsg (db));
  sqlite3_finalize (stmt);

  return n;
}

static void
insert_doc (sqlite3    *db,
            const char *table,
            const char *text)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO %s (rowid, body) VALUES (1, ?)", table);
  g_autofree char *del = g_strdup_printf ("DELETE FROM %s", table);
  sqlite3_stmt *stmt = NULL;

  exec_or_die (db, del);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
}

/*
 * Thousands of random strings, each run as a real MATCH against real FTS5
 * tables (the replica's word tokenizer and a trigram one): none may produce a
 * syntax error. And since the query is made from the words of the text, a
 * document holding that same text (indexed the way the replica indexes it) must
 * be found: safety must not come from a query that matches nothing.
 */
static void
test_fuzz_never_a_syntax_error (void)
{
  sqlite3 *db = NULL;
  g_autoptr(GRand) rand = NULL;
  const char *env_seed = g_getenv ("CRM_FUZZ_SEED");
  guint32 seed = env_seed != NULL ? (guint32) g_ascii_strtoull (env_seed, NULL, 10)
                                  : g_random_int ();
  guint n_queries = 0, n_found = 0;

  /* On stderr, which the test runner shows when a test fails. */
  g_printerr ("# fuzz seed %u (rerun with CRM_FUZZ_SEED=%u)\n", seed, seed);
  rand = g_rand_new_with_seed (seed);

  g_assert_cmpint (sqlite3_open (":memory:", &db), ==, SQLITE_OK);
  exec_or_die (db, "CREATE VIRTUAL TABLE words USING fts5 (body, "
                   "tokenize = 'unicode61 remove_diacritics 2', prefix = '3')");
  exec_or_die (db, "CREATE VIRTUAL TABLE tri USING fts5 (body, tokenize = 'trigram')");

  for (guint i = 0; i < 5000; i++)
    {
      g_autofree char *typed = random_text (rand);
      g_autofree char *valid = g_utf8_make_valid (typed, -1);
      g_autofree char *composed = g_utf8_normalize (valid, -1, G_NORMALIZE_NFC);
      g_autofree char *indexed = crm_search_fold (composed);
      g_autofree char *indexed_ascii = crm_search_fold_ascii (composed);
      g_autofree char *fts = to_fts (typed);
      g_autofree char *trigram = to_trigram (typed);

      insert_doc (db, "words", indexed);
      insert_doc (db, "tri", indexed_ascii);

      if (fts != NULL)
        {
          n_queries++;
          if (count_matches (db, "words", fts, typed) == 1)
            n_found++;
          else
            g_test_message ("typed %s -> %s did not find its own text", typed, fts);
        }
      if (trigram != NULL)
        {
          if (count_matches (db, "tri", trigram, typed) != 1)
            g_error ("typed %s -> trigram %s did not find its own text (CRM_FUZZ_SEED=%u)",
                     typed, trigram, seed);
        }
    }

  g_test_message ("%u queries, %u found their own text", n_queries, n_found);
  g_assert_cmpuint (n_queries, >, 1000);
  if (n_found != n_queries)
    g_error ("%u of %u queries did not find their own text (CRM_FUZZ_SEED=%u)",
             n_queries - n_found, n_queries, seed);
  sqlite3_close (db);
}

static int
count_token (void       *user_data,
             int         flags,
             const char *token,
             int         n_token,
             int         start,
             int         end)
{
  (*(guint *) user_data)++;
  return SQLITE_OK;
}

/*
 * Every code point, cut by SQLite's own unicode61 tokenizer (the replica's
 * settings) between two letters: "a" c "b" is one token when c belongs to a
 * word, two when it separates. The query parser must agree wherever it matters:
 * a character it cuts on but unicode61 keeps would make it search for a word
 * the index never saw (the emoji and signs newer than SQLite's Unicode tables).
 * Combining marks may stay in words (FTS5 cuts a quoted phrase again).
 */
static void
test_unicode61_word_chars (void)
{
  const char *args[] = { "remove_diacritics", "2" };
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  fts5_api *api = NULL;
  fts5_tokenizer tokenizer;
  Fts5Tokenizer *unicode61 = NULL;
  void *tokenizer_data = NULL;
  g_autoptr(GString) table = g_string_new (NULL);
  gunichar range_first = 0;
  gboolean in_range = FALSE;
  guint n_wrong = 0, n_word = 0;

  g_assert_cmpint (sqlite3_open (":memory:", &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT fts5(?1)", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_pointer (stmt, 1, &api, "fts5_api_ptr", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  sqlite3_finalize (stmt);
  g_assert_nonnull (api);
  g_assert_cmpint (api->xFindTokenizer (api, "unicode61", &tokenizer_data, &tokenizer), ==, SQLITE_OK);
  g_assert_cmpint (tokenizer.xCreate (tokenizer_data, args, G_N_ELEMENTS (args), &unicode61), ==, SQLITE_OK);

  for (gunichar c = 1; c <= 0x110000; c++)
    {
      gboolean sqlite_word = FALSE;

      if (c < 0x110000 && (c < 0xD800 || c > 0xDFFF))
        {
          char text[8] = "a";
          int len = 1 + g_unichar_to_utf8 (c, text + 1);
          guint n_tokens = 0;
          GUnicodeType type = g_unichar_type (c);
          gboolean mark = type == G_UNICODE_NON_SPACING_MARK || type == G_UNICODE_SPACING_MARK ||
                          type == G_UNICODE_ENCLOSING_MARK;

          text[len++] = 'b';
          g_assert_cmpint (tokenizer.xTokenize (unicode61, &n_tokens, FTS5_TOKENIZE_DOCUMENT,
                                                text, len, count_token), ==, SQLITE_OK);
          g_assert_cmpuint (n_tokens, >=, 1);
          g_assert_cmpuint (n_tokens, <=, 2);
          sqlite_word = n_tokens == 1;
          n_word += sqlite_word;

          if (sqlite_word ? !crm_search_is_word_char (c)
                          : crm_search_is_word_char (c) && !mark)
            {
              if (n_wrong++ < 20)
                g_test_message ("U+%04X: unicode61 %s, the parser %s", c,
                                sqlite_word ? "keeps it in a word" : "cuts on it",
                                sqlite_word ? "cuts on it" : "keeps it in a word");
            }
        }
      else if (c >= 0xD800 && c <= 0xDFFF)
        continue; /* never in valid UTF-8: a range may span them */

      /* The table the parser should hold, printed when they differ. */
      if (sqlite_word && !in_range)
        range_first = c;
      else if (!sqlite_word && in_range)
        g_string_append_printf (table, "{ 0x%04X, 0x%04X }, ", range_first, c - 1);
      in_range = sqlite_word;
    }

  tokenizer.xDelete (unicode61);
  sqlite3_close (db);

  if (n_wrong > 0)
    g_test_message ("unicode61's word characters, for unicode61_word_ranges: %s", table->str);
  g_test_message ("%u code points belong to words for unicode61", n_word);
  g_assert_cmpuint (n_word, >, 1000000);
  g_assert_cmpuint (n_wrong, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/search-query/words-quoted-last-prefix", test_words_quoted_last_prefix);
  g_test_add_func ("/core/search-query/operators-are-words", test_operators_are_words);
  g_test_add_func ("/core/search-query/punctuation-splits", test_punctuation_splits);
  g_test_add_func ("/core/search-query/nothing-to-search", test_nothing_to_search);
  g_test_add_func ("/core/search-query/ligatures-folded", test_ligatures_folded);
  g_test_add_func ("/core/search-query/decomposed-input-composed", test_decomposed_input_composed);
  g_test_add_func ("/core/search-query/fold-ascii-fast-path-agrees",
                   test_fold_ascii_fast_path_agrees);
  g_test_add_func ("/core/search-query/trigram-query", test_trigram_query);
  g_test_add_func ("/core/search-query/quote-doubles-quotes", test_quote_doubles_quotes);
  g_test_add_func ("/core/search-query/terms-distinct", test_terms_distinct);
  g_test_add_func ("/core/search-query/edit-distance", test_edit_distance);
  g_test_add_func ("/core/search-query/unicode61-word-chars", test_unicode61_word_chars);
  g_test_add_func ("/core/search-query/fuzz-never-a-syntax-error", test_fuzz_never_a_syntax_error);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-replica"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-replica-private.h"
#include "crm-search-query.h"

/*
 * Search (issue 3): words first, through the unicode61 FTS5 indexes, ranked by
 * crm_rank (bm25's term-frequency part, see below) with the weights below. When
 * that finds too little, each word typed is looked up in a trigram index of the
 * words the replica knows (search_terms):
 * words containing it ("nérale" -> "generale") and words within a small edit
 * distance ("genarale" -> "generale"); the word search then runs again with those.
 */

/* Fewer word hits than this (all entities together) triggers the fallback. */
#define FALLBACK_BELOW 3
/* Trigram candidates examined per piece of a word, and corrected words kept. */
#define MAX_CANDIDATES 2000
#define MAX_ALTERNATIVES 8

const char *
crm_replica_fts_table (CrmEntityKind kind)
{
  switch (kind)
    {
    case CRM_ENTITY_ORGANISATION: return "organisations_fts";
    case CRM_ENTITY_PERSON: return "people_fts";
    case CRM_ENTITY_MANDAT: return "mandats_fts";
    case CRM_ENTITY_INTERACTION: return "interactions_fts";
    case CRM_ENTITY_TASK: return "tasks_fts";
    case CRM_ENTITY_LINK:
    case CRM_ENTITY_NOTIFICATION:
    case CRM_ENTITY_USER:
    case CRM_ENTITY_TEAM:
    case CRM_N_ENTITIES:
    default:
      return NULL;
    }
}

/* One weight per FTS column, in the column order of 0001_init.sql: names above
 * e-mails above places and tags above notes and bodies. */
const char *
crm_replica_fts_weights (CrmEntityKind kind)
{
  switch (kind)
    {
    case CRM_ENTITY_ORGANISATION:
      return "10.0, 4.0, 3.0, 1.0, 2.0";                        /* name email city notes tags */
    case CRM_ENTITY_PERSON: return "10.0, 10.0, 4.0, 3.0, 1.0"; /* first last email job notes */
    case CRM_ENTITY_MANDAT: return "10.0, 3.0, 1.0";            /* number products notes */
    case CRM_ENTITY_INTERACTION: return "5.0, 1.0";             /* subject body */
    case CRM_ENTITY_TASK: return "5.0, 1.0";                    /* title description */
    case CRM_ENTITY_LINK:
    case CRM_ENTITY_NOTIFICATION:
    case CRM_ENTITY_USER:
    case CRM_ENTITY_TEAM:
    case CRM_N_ENTITIES:
    default:
      return "1.0";
    }
}

/* The indexed columns, most telling first: where a snippet looks for the match. */
static const char *const *
snippet_columns (CrmEntityKind kind)
{
  static const char *const organisation[] = { "name", "email", "city", "tags", "notes", NULL };
  static const char *const person[] = { "last_name", "first_name", "personal_email", "job_title",
                                        "notes", NULL };
  static const char *const mandat[] = { "number", "products", "notes", NULL };
  static const char *const interaction[] = { "subject", "body", NULL };
  static const char *const task[] = { "title", "description", NULL };
  static const char *const none[] = { NULL };

  switch (kind)
    {
    case CRM_ENTITY_ORGANISATION: return organisation;
    case CRM_ENTITY_PERSON: return person;
    case CRM_ENTITY_MANDAT: return mandat;
    case CRM_ENTITY_INTERACTION: return interaction;
    case CRM_ENTITY_TASK: return task;
    case CRM_ENTITY_LINK:
    case CRM_ENTITY_NOTIFICATION:
    case CRM_ENTITY_USER:
    case CRM_ENTITY_TEAM:
    case CRM_N_ENTITIES:
    default:
      return none;
    }
}

typedef struct
{
  gsize start;
  gsize end;
} Word;

/* Words of @text as byte ranges, cut where the query parser and unicode61 cut. */
static GArray *
split_word_ranges (const char *text)
{
  GArray *words = g_array_new (FALSE, FALSE, sizeof (Word));
  const char *word_start = NULL;

  for (const char *p = text;; p = g_utf8_next_char (p))
    {
      gunichar c = *p != '\0' ? g_utf8_get_char (p) : 0;
      gboolean in_word = c != 0 && crm_search_is_word_char (c);

      if (in_word && word_start == NULL)
        word_start = p;
      else if (!in_word && word_start != NULL)
        {
          Word w = { (gsize) (word_start - text), (gsize) (p - text) };

          g_array_append_val (words, w);
          word_start = NULL;
        }
      if (c == 0)
        break;
    }
  return words;
}

static void
append_flat (GString    *out,
             const char *text,
             gsize       len)
{
  /* One line: a snippet sits in a list row. */
  for (gsize i = 0; i < len; i++)
    g_string_append_c (out, text[i] == '\n' || text[i] == '\r' || text[i] == '\t' ? ' ' : text[i]);
}

#define SNIPPET_BEFORE 4
#define SNIPPET_AFTER 6

char *
crm_replica_snippet (const CrmRecord      *record,
                     const CrmSearchQuery *query)
{
  const char *const *columns = snippet_columns (crm_record_get_entity (record)->kind);
  g_autoptr(GPtrArray) wanted = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < query->n_tokens; i++)
    g_ptr_array_add (wanted, crm_search_fold_ascii (query->tokens[i]));

  for (guint c = 0; columns[c] != NULL; c++)
    {
      g_autofree char *owned = NULL;
      g_autoptr(GArray) words = NULL;
      const char *text;

      if (crm_entity_field (crm_record_get_entity (record), columns[c])->type == CRM_FIELD_TAGS)
        {
          const char * const *tags = crm_record_get_strv (record, columns[c]);

          text = owned = tags != NULL ? g_strjoinv (", ", (GStrv) tags) : NULL;
        }
      else
        text = crm_record_get_string (record, columns[c]);
      if (text == NULL)
        continue;

      words = split_word_ranges (text);
      for (guint w = 0; w < words->len; w++)
        {
          Word *word = &g_array_index (words, Word, w);
          g_autofree char *piece = g_strndup (text + word->start, word->end - word->start);
          g_autofree char *ascii = crm_search_fold_ascii (piece);

          for (guint t = 0; t < wanted->len; t++)
            {
              const char *token = g_ptr_array_index (wanted, t);
              guint first = w > SNIPPET_BEFORE ? w - SNIPPET_BEFORE : 0;
              guint last = MIN (w + SNIPPET_AFTER, words->len - 1);
              gsize from, to;
              GString *out;

              if (*token == '\0' || !g_str_has_prefix (ascii, token))
                continue;

              from = first > 0 ? g_array_index (words, Word, first).start : 0;
              to = last + 1 < words->len ? g_array_index (words, Word, last).end : strlen (text);
              out = g_string_new (first > 0 ? "…" : "");
              append_flat (out, text + from, word->start - from);
              g_string_append_c (out, '[');
              append_flat (out, text + word->start, word->end - word->start);
              g_string_append_c (out, ']');
              append_flat (out, text + word->end, to - word->end);
              if (to < strlen (text))
                g_string_append (out, "…");
              return g_string_free (out, FALSE);
            }
        }
    }

  return NULL;
}

/* Whether @text holds a letter crm_search_fold() expands (œ Œ æ Æ ß ẞ and the
 * ligatures U+FB00–FB06). French text is full of é and è, which share their
 * lead byte with æ and ß: this looks at whole sequences, so nearly every row
 * the full-text indexes take in goes through untouched. */
static gboolean
needs_fold (const guchar *p,
            int           len)
{
  for (int i = 0; i + 1 < len; i++)
    {
      if (p[i] < 0xC3)
        continue;
      switch (p[i])
        {
        case 0xC3:
          if (p[i + 1] == 0xA6 || p[i + 1] == 0x86 || p[i + 1] == 0x9F)
            return TRUE;
          break;
        case 0xC5:
          if (p[i + 1] == 0x92 || p[i + 1] == 0x93)
            return TRUE;
          break;
        case 0xE1:
          if (i + 2 < len && p[i + 1] == 0xBA && p[i + 2] == 0x9E)
            return TRUE;
          break;
        case 0xEF:
          if (i + 2 < len && p[i + 1] == 0xAC && p[i + 2] >= 0x80 && p[i + 2] <= 0x86)
            return TRUE;
          break;
        default:
          break;
        }
    }
  return FALSE;
}

static void
sql_fold (sqlite3_context *context,
          int              argc,
          sqlite3_value  **argv)
{
  const char *text = (const char *) sqlite3_value_text (argv[0]);

  if (text == NULL)
    {
      sqlite3_result_null (context);
      return;
    }
  if (!needs_fold ((const guchar *) text, sqlite3_value_bytes (argv[0])))
    {
      sqlite3_result_value (context, argv[0]);
      return;
    }
  sqlite3_result_text (context, crm_search_fold (text), -1, g_free);
}

/* crm_fold_ascii(text): what the vocabulary stores (crm_search_fold_ascii). */
static void
sql_fold_ascii (sqlite3_context *context,
                int              argc,
                sqlite3_value  **argv)
{
  const char *text = (const char *) sqlite3_value_text (argv[0]);

  if (text == NULL)
    {
      sqlite3_result_null (context);
      return;
    }
  sqlite3_result_text (context, crm_search_fold_ascii (text), -1, g_free);
}

/* Past this many words the cache of known words starts over (they are then
 * merely looked up again by SQLite's INSERT OR IGNORE). */
#define MAX_KNOWN_TERMS 500000

/* crm_terms(text, ...): a JSON array of the folded words of at least three
 * characters of every argument that this connection has not handed out before
 * in a committed or open transaction. A rollback forgets them all (the rollback
 * hook below), since the words it inserted are gone. */
static void
sql_terms (sqlite3_context *context,
           int              argc,
           sqlite3_value  **argv)
{
  CrmReplica *self = sqlite3_user_data (context);
  GString *out = g_string_new ("[");

  if (g_hash_table_size (self->known_terms) > MAX_KNOWN_TERMS)
    g_hash_table_remove_all (self->known_terms);

  for (int i = 0; i < argc; i++)
    {
      const char *text = (const char *) sqlite3_value_text (argv[i]);
      g_auto(GStrv) terms = NULL;

      if (text == NULL)
        continue;
      terms = crm_search_terms (text, CRM_SEARCH_TRIGRAM_MIN_CHARS);
      for (guint j = 0; terms[j] != NULL; j++)
        {
          if (g_hash_table_contains (self->known_terms, terms[j]))
            continue;
          if (out->len > 1)
            g_string_append_c (out, ',');
          /* Words are letters and digits only: nothing to escape in JSON. */
          g_string_append_printf (out, "\"%s\"", terms[j]);
          g_hash_table_add (self->known_terms, g_strdup (terms[j]));
        }
    }
  g_string_append_c (out, ']');

  sqlite3_result_text (context, g_string_free (out, FALSE), -1, g_free);
}

/* A rollback undoes the words inserted and any bulk load under way. */
static void
forget_terms (void *data)
{
  CrmReplica *self = data;

  g_hash_table_remove_all (self->known_terms);
  self->bulk = FALSE;
  /* The rollback brought the dropped indexes back. */
  g_ptr_array_set_size (self->bulk_indexes, 0);
}

/* crm_indexed(table, rid): whether the triggers index this row now. */
static void
sql_indexed (sqlite3_context *context,
             int              argc,
             sqlite3_value  **argv)
{
  CrmReplica *self = sqlite3_user_data (context);
  const char *table = (const char *) sqlite3_value_text (argv[0]);

  if (self->bulk)
    for (CrmEntityKind k = 0; k < CRM_REPLICA_N_KINDS; k++)
      if (crm_replica_fts_table (k) != NULL &&
          g_strcmp0 (table, crm_entity_get (k)->collection) == 0)
        {
          sqlite3_result_int (context, sqlite3_value_int64 (argv[1]) <= self->bulk_start[k]);
          return;
        }
  sqlite3_result_int (context, 1);
}


/*
 * crm_rank(fts, w1, w2...): the term-frequency part of bm25 (k1 = 1.2) summed
 * over columns with their weights. Lower is better, like bm25. Left out, and
 * why: IDF, which bm25 computes by reading every row that holds each phrase (at
 * a million rows a short prefix costs tens of milliseconds before the first row
 * is ranked; every word of a query is required anyway, so IDF barely changes the
 * order), and length normalisation, which reads each row's column sizes (a
 * B-tree lookup per row ranked, for columns that are mostly short names).
 */
static void
fts_rank (const Fts5ExtensionApi *api,
          Fts5Context            *fts,
          sqlite3_context        *context,
          int                     n_values,
          sqlite3_value         **values)
{
  int n_columns = api->xColumnCount (fts);
  int n_inst = 0;
  double score = 0.0;
  int tf[16] = { 0 };

  if (api->xInstCount (fts, &n_inst) != SQLITE_OK)
    {
      sqlite3_result_error (context, "crm_rank", -1);
      return;
    }

  for (int i = 0; i < n_inst; i++)
    {
      int phrase, column, offset;

      if (api->xInst (fts, i, &phrase, &column, &offset) == SQLITE_OK && column < 16)
        tf[column]++;
    }

  for (int c = 0; c < n_columns && c < 16; c++)
    {
      double weight = c < n_values ? sqlite3_value_double (values[c]) : 1.0;

      if (tf[c] > 0)
        score += weight * (tf[c] * 2.2) / (tf[c] + 1.2);
    }

  sqlite3_result_double (context, -score);
}

static fts5_api *
fts5_api_of (sqlite3 *db)
{
  fts5_api *api = NULL;
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT fts5 (?1)", -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_pointer (stmt, 1, (void *) &api, "fts5_api_ptr", NULL);
      sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);

  return api;
}

gboolean
crm_replica_register_functions (CrmReplica *self)
{
  int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
  fts5_api *api = fts5_api_of (self->db);

  sqlite3_rollback_hook (self->db, forget_terms, self);

  return api != NULL &&
         api->xCreateFunction (api, "crm_rank", NULL, fts_rank, NULL) == SQLITE_OK &&
         sqlite3_create_function_v2 (self->db, "crm_fold", 1, flags, NULL, sql_fold, NULL, NULL,
                                     NULL) == SQLITE_OK &&
         sqlite3_create_function_v2 (self->db, "crm_fold_ascii", 1, flags, NULL, sql_fold_ascii,
                                     NULL, NULL, NULL) == SQLITE_OK &&
         /* Not deterministic: their answers depend on the connection's state. */
         sqlite3_create_function_v2 (self->db, "crm_terms", -1, SQLITE_UTF8 | SQLITE_INNOCUOUS,
                                     self, sql_terms, NULL, NULL, NULL) == SQLITE_OK &&
         sqlite3_create_function_v2 (self->db, "crm_indexed", 2, SQLITE_UTF8 | SQLITE_INNOCUOUS,
                                     self, sql_indexed, NULL, NULL, NULL) == SQLITE_OK;
}

/* Last words of at least this many characters are expanded to the known words
 * they begin; shorter ones use the FTS5 prefix index of 3 characters (two
 * letters through their_three_letter_prefixes()). */
#define EXPAND_FROM_CHARS 4
/* More words than this and the prefix query is cheaper than the expansion. */
#define MAX_EXPANSIONS 48

/* ("gestion" OR "gestionnaire") for "gestio": the words of the vocabulary that
 * begin with @prefix (ASCII-folded); NULL when there are too many or none. */
static char *
expand_prefix (CrmReplica *self,
               const char *prefix,
               GError    **error)
{
  g_autofree char *upper = g_strdup (prefix);
  g_autoptr(GString) out = g_string_new ("(");
  sqlite3_stmt *stmt;
  guint n = 0;
  int rc;

  /* Every word beginning with the prefix sorts in [prefix, prefix with its last
   * byte plus one). */
  upper[strlen (upper) - 1]++;
  stmt = crm_replica_prepare (self, "SELECT term FROM search_terms WHERE term >= ? AND term < ? "
                                    "ORDER BY term LIMIT ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, prefix, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, upper, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, MAX_EXPANSIONS + 1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *quoted = crm_search_quote ((const char *) sqlite3_column_text (stmt, 0),
                                                  FALSE);

      g_string_append_printf (out, "%s%s", n++ > 0 ? " OR " : "", quoted);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_replica_set_sqlite_error (self, rc, error);
      return NULL;
    }
  if (n == 0 || n > MAX_EXPANSIONS)
    return NULL;

  g_string_append_c (out, ')');
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The letters a word of the full-text indexes can have after two typed in
 * ASCII: what FTS5's unicode61 (remove_diacritics 2) leaves of text folded by
 * crm_fold — a to z, digits, and the Latin letters with no decomposition that
 * names carry (Bjørn, Kołodziej, Đorđe, Guðrún, Þór...). Rarer ones (Latin
 * Extended-B, IPA) are left out: such a word is found from its third letter. */
static const char *const third_letters[] = {
  "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r",
  "s", "t", "u", "v", "w", "x", "y", "z", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9",
  "ø", "ł", "đ", "ð", "þ", "ħ", "ı", "ŋ", "ŧ", "ĸ", "ŀ",
};

/* ("du" OR "dua"* OR … OR "duø"*) for a last word of two letters: the indexes
 * keep a prefix index of three characters only, and FTS5 answers a two-letter
 * prefix by merging every word of the range (20 to 80 ms at a million rows),
 * where these few prefixes each read one entry of that index (a few ms). */
static char *
their_three_letter_prefixes (const char *token)
{
  g_autofree char *exact = crm_search_quote (token, FALSE);
  GString *out = g_string_new ("(");

  g_string_append (out, exact);
  for (guint i = 0; i < G_N_ELEMENTS (third_letters); i++)
    {
      g_autofree char *three = g_strconcat (token, third_letters[i], NULL);
      g_autofree char *quoted = crm_search_quote (three, TRUE);

      g_string_append_printf (out, " OR %s", quoted);
    }
  g_string_append_c (out, ')');
  return g_string_free (out, FALSE);
}

char *
crm_replica_match_expression (CrmReplica           *self,
                              const CrmSearchQuery *query,
                              GError              **error)
{
  g_autoptr(GString) out = NULL;

  if (query->n_tokens == 0)
    return NULL;

  out = g_string_new (NULL);
  for (guint i = 0; i < query->n_tokens; i++)
    {
      gboolean last = i + 1 == query->n_tokens;
      g_autofree char *ascii = crm_search_fold_ascii (query->tokens[i]);
      glong n_chars = g_utf8_strlen (ascii, -1);
      g_autofree char *word = NULL;

      if (last && n_chars >= EXPAND_FROM_CHARS)
        {
          g_autoptr(GError) local_error = NULL;

          word = expand_prefix (self, ascii, &local_error);
          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
        }
      /* Two letters of a to z or digits, as FTS5 folds them: through the
       * three-letter prefixes. Two others (Cyrillic, Greek...) stay a prefix
       * query, exact and rare enough to be quick. */
      else if (last && n_chars == 2 && g_ascii_isalnum (ascii[0]) && g_ascii_isalnum (ascii[1]))
        word = their_three_letter_prefixes (query->tokens[i]);
      /* A single letter is a word, not a prefix: no index serves it and it
       * would match most of a large replica. */
      if (word == NULL)
        word = crm_search_quote (query->tokens[i], last && n_chars > 1);

      if (out->len > 0)
        g_string_append (out, " AND ");
      g_string_append (out, word);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

void
crm_search_group_free (CrmSearchGroup *group)
{
  if (group == NULL)
    return;
  g_clear_pointer (&group->hits, g_ptr_array_unref);
  g_free (group);
}

typedef struct
{
  char  *term;
  guint  distance;
} Candidate;

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const Candidate *ca = a, *cb = b;

  if (ca->distance != cb->distance)
    return ca->distance < cb->distance ? -1 : 1;
  return strcmp (ca->term, cb->term);
}

static void
candidate_clear (gpointer data)
{
  g_free (((Candidate *) data)->term);
}

/* The known words close to @word (ASCII-folded): containing it, or within an
 * edit distance that grows with its length. */
/* Runs one trigram MATCH and keeps the terms within @max_distance of @word
 * (any term when @contains: it holds the word whole). */
static gboolean
collect_candidates (CrmReplica *self,
                    const char *word,
                    const char *piece,
                    gboolean    contains,
                    guint       max_distance,
                    GArray     *found,
                    GHashTable *seen,
                    GError    **error)
{
  g_autofree char *quoted = crm_search_quote (piece, FALSE);
  sqlite3_stmt *stmt;
  int rc;

  stmt = crm_replica_prepare (self, "SELECT term FROM search_terms_tri "
                                    "WHERE search_terms_tri MATCH ? LIMIT ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, quoted, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, MAX_CANDIDATES);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *term = (const char *) sqlite3_column_text (stmt, 0);
      Candidate c;

      if (term == NULL || g_hash_table_contains (seen, term))
        continue;
      c.distance = contains ? 0 : crm_search_edit_distance (word, term, max_distance);
      if (c.distance > max_distance)
        continue;
      c.term = g_strdup (term);
      g_array_append_val (found, c);
      g_hash_table_add (seen, c.term);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_replica_set_sqlite_error (self, rc, error);
      return FALSE;
    }
  return TRUE;
}

/*
 * The known words close to @word (ASCII-folded): containing it ("nerale" ->
 * "generale"), or within an edit distance that grows with its length. Typo
 * candidates come from pieces of the word: with one edit, one half of the word
 * is intact, with two, one third (short pieces grow to three letters, so this is
 * a strong heuristic rather than a guarantee); each piece is a substring query on the
 * trigram index (adjacent trigrams, so far more selective than any single
 * trigram), bounded, and the edit distance decides.
 */
static gboolean
similar_terms (CrmReplica *self,
               const char *word,
               GPtrArray  *out,
               GError    **error)
{
  glong len = g_utf8_strlen (word, -1);
  guint max_distance = len >= 8 ? 2 : 1;
  glong n_pieces = max_distance + 1;
  g_autoptr(GArray) found = g_array_new (FALSE, TRUE, sizeof (Candidate));
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_array_set_clear_func (found, candidate_clear);

  if (!collect_candidates (self, word, word, TRUE, max_distance, found, seen, error))
    return FALSE;

  for (glong i = 0; i < n_pieces; i++)
    {
      glong start = len * i / n_pieces;
      glong end = len * (i + 1) / n_pieces;
      g_autofree char *piece = NULL;

      /* Pieces too short for a trigram grow to three letters, kept inside the word. */
      if (end - start < CRM_SEARCH_TRIGRAM_MIN_CHARS)
        {
          if (i == 0)
            start = 0;
          else if (i == n_pieces - 1)
            start = len - CRM_SEARCH_TRIGRAM_MIN_CHARS;
          else
            start = MAX (0, (start + end) / 2 - 1);
          end = start + CRM_SEARCH_TRIGRAM_MIN_CHARS;
        }
      piece = g_utf8_substring (word, start, end);
      if (!collect_candidates (self, word, piece, FALSE, max_distance, found, seen, error))
        return FALSE;
    }

  g_array_sort (found, compare_candidates);
  for (guint i = 0; i < found->len && i < MAX_ALTERNATIVES; i++)
    g_ptr_array_add (out, g_strdup (g_array_index (found, Candidate, i).term));

  return TRUE;
}

/* ("word"* OR "alt1" OR "alt2") AND (...): each typed word or a known word near
 * it. NULL when no word has any alternative (nothing new to try). */
static char *
fuzzy_expression (CrmReplica           *self,
                  const CrmSearchQuery *query,
                  GString              *words,
                  GError              **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean any = FALSE;

  for (guint i = 0; i < query->n_tokens; i++)
    {
      g_autofree char *ascii = crm_search_fold_ascii (query->tokens[i]);
      g_autofree char *self_quoted = crm_search_quote (query->tokens[i], i + 1 == query->n_tokens);
      g_autoptr(GPtrArray) alternatives = g_ptr_array_new_with_free_func (g_free);

      if (g_utf8_strlen (ascii, -1) >= CRM_SEARCH_TRIGRAM_MIN_CHARS &&
          !similar_terms (self, ascii, alternatives, error))
        return NULL;

      if (out->len > 0)
        g_string_append (out, " AND ");
      g_string_append_printf (out, "(%s", self_quoted);
      for (guint j = 0; j < alternatives->len; j++)
        {
          g_autofree char *quoted = crm_search_quote (g_ptr_array_index (alternatives, j), FALSE);

          if (strcmp (g_ptr_array_index (alternatives, j), ascii) == 0)
            continue;
          g_string_append_printf (out, " OR %s", quoted);
          g_string_append_printf (words, " %s", (const char *) g_ptr_array_index (alternatives, j));
          any = TRUE;
        }
      g_string_append_c (out, ')');
    }

  return any ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
}

static int
compare_groups (gconstpointer a,
                gconstpointer b)
{
  const CrmSearchGroup *ga = *(CrmSearchGroup * const *) a;
  const CrmSearchGroup *gb = *(CrmSearchGroup * const *) b;
  const CrmSearchHit *ha = g_ptr_array_index (ga->hits, 0);
  const CrmSearchHit *hb = g_ptr_array_index (gb->hits, 0);

  if (ha->fuzzy != hb->fuzzy)
    return ha->fuzzy ? 1 : -1;
  if (ha->rank != hb->rank)
    return ha->rank < hb->rank ? -1 : 1;
  return (int) ga->kind - (int) gb->kind;
}

static gboolean
has_record (GPtrArray  *hits,
            const char *id)
{
  for (guint i = 0; i < hits->len; i++)
    {
      CrmSearchHit *hit = g_ptr_array_index (hits, i);

      if (g_strcmp0 (crm_record_get_string (hit->record, "id"), id) == 0)
        return TRUE;
    }
  return FALSE;
}

GPtrArray *
crm_replica_search (CrmReplica            *self,
                    const char            *text,
                    const CrmReplicaQuery *filters,
                    guint                  limit,
                    GError               **error)
{
  static const CrmEntityKind searched[] = {
    CRM_ENTITY_ORGANISATION, CRM_ENTITY_PERSON, CRM_ENTITY_MANDAT,
    CRM_ENTITY_INTERACTION, CRM_ENTITY_TASK,
  };
  CRM_REPLICA_LOCKED (self);
  g_autoptr(CrmSearchQuery) query = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  g_autofree char *match = NULL;
  g_autofree char *fuzzy = NULL;
  g_autoptr(GString) fuzzy_words = g_string_new (text);
  GPtrArray *per_kind[G_N_ELEMENTS (searched)] = { NULL };
  guint total = 0;

  g_return_val_if_fail (CRM_IS_REPLICA (self), NULL);

  if (!crm_replica_check_open (self, error))
    return NULL;
  if (filters != NULL && crm_replica_fts_table (crm_replica_query_get_kind (filters)) == NULL)
    {
      g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_INVALID,
                   _("La recherche n’est pas disponible pour ce type d’élément."));
      return NULL;
    }

  limit = CLAMP (limit, 1, 200);
  groups = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_search_group_free);
  query = crm_search_query_parse (text);
  if (query->n_tokens == 0)
    return g_steal_pointer (&groups);
  match = crm_replica_match_expression (self, query, error);
  if (match == NULL)
    return NULL;

  for (guint k = 0; k < G_N_ELEMENTS (searched); k++)
    {
      if (filters != NULL && crm_replica_query_get_kind (filters) != searched[k])
        continue;
      per_kind[k] = crm_replica_match (self, searched[k], filters, match, text, limit, error);
      if (per_kind[k] == NULL)
        goto failed;
      total += per_kind[k]->len;
    }

  if (total < FALLBACK_BELOW)
    {
      fuzzy = fuzzy_expression (self, query, fuzzy_words, error);
      if (fuzzy == NULL && error != NULL && *error != NULL)
        goto failed;
    }

  for (guint k = 0; fuzzy != NULL && k < G_N_ELEMENTS (searched); k++)
    {
      g_autoptr(GPtrArray) extra = NULL;

      if (per_kind[k] == NULL)
        continue;
      extra = crm_replica_match (self, searched[k], filters, fuzzy, fuzzy_words->str, limit, error);
      if (extra == NULL)
        goto failed;
      for (guint i = 0; i < extra->len && per_kind[k]->len < limit; i++)
        {
          CrmSearchHit *hit = g_ptr_array_index (extra, i);

          if (has_record (per_kind[k], crm_record_get_string (hit->record, "id")))
            continue;
          hit->fuzzy = TRUE;
          g_ptr_array_add (per_kind[k], g_steal_pointer (&extra->pdata[i]));
        }
    }

  for (guint k = 0; k < G_N_ELEMENTS (searched); k++)
    {
      CrmSearchGroup *group;

      if (per_kind[k] == NULL || per_kind[k]->len == 0)
        {
          g_clear_pointer (&per_kind[k], g_ptr_array_unref);
          continue;
        }
      group = g_new0 (CrmSearchGroup, 1);
      group->kind = searched[k];
      group->hits = g_steal_pointer (&per_kind[k]);
      g_ptr_array_add (groups, group);
    }
  g_ptr_array_sort (groups, compare_groups);

  return g_steal_pointer (&groups);

failed:
  for (guint k = 0; k < G_N_ELEMENTS (searched); k++)
    g_clear_pointer (&per_kind[k], g_ptr_array_unref);
  return NULL;
}

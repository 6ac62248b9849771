/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-search-query.h — what a person types in a search box, made safe for
 * SQLite FTS5 (issue 3, "Search").
 *
 * Nothing typed ever becomes FTS5 syntax: the text is cut into words at anything
 * that is not a letter or a digit, and every word is emitted as a quoted string.
 * AND, OR, NOT, NEAR, quotes, parentheses, `*`, `-`, `:` and `^` are therefore only
 * separators or plain words. The last word is a prefix (search as you type).
 *
 * Folding happens here, once, for both what is indexed and what is searched:
 * FTS5's unicode61 tokenizer removes accents but does not expand œ, æ or ß, and
 * the trigram tokenizer of SQLite 3.40 removes nothing at all.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Words beyond these bounds are dropped or cut: a query stays cheap whatever is pasted. */
#define CRM_SEARCH_MAX_TOKENS 16
#define CRM_SEARCH_MAX_TOKEN_CHARS 64
/* The trigram tokenizer cannot match anything shorter. */
#define CRM_SEARCH_TRIGRAM_MIN_CHARS 3

typedef struct
{
  GStrv tokens;   /* folded words (crm_search_fold), in the order typed; never NULL */
  guint n_tokens;
} CrmSearchQuery;

/* Expands œ→oe, æ→ae, ß→ss and the Latin ligatures (ﬁ, ﬂ...), keeping case and
 * accents so FTS5 snippets still line up with the stored text. NULL gives NULL. */
char           *crm_search_fold             (const char           *text);

/* Lower-case, accents removed, œ/æ/ß/ø... expanded: "Œuvre Générale" -> "oeuvre generale".
 * What the trigram term index stores and is queried with. NULL gives NULL. */
char           *crm_search_fold_ascii       (const char           *text);

/* Cuts @text into words. Any string (NULL, empty, invalid UTF-8) is accepted. */
CrmSearchQuery *crm_search_query_parse      (const char           *text);
void            crm_search_query_free       (CrmSearchQuery       *query);

/* An FTS5 MATCH expression: every word quoted, ANDed, the last one a prefix
 * ("societe" "gen"*). NULL when the text holds no word. */
char           *crm_search_query_to_fts     (const CrmSearchQuery *query);

/* A MATCH expression for a trigram index: the ASCII-folded words of at least
 * CRM_SEARCH_TRIGRAM_MIN_CHARS characters, quoted and ANDed ("nerale"). NULL
 * when no word is long enough. */
char           *crm_search_query_to_trigram (const CrmSearchQuery *query);

/* One word as an FTS5 string, quotes doubled; with @prefix, followed by `*`. */
char           *crm_search_quote            (const char           *word,
                                             gboolean              prefix);

/* The distinct ASCII-folded words of @text with at least @min_chars characters,
 * in order of first appearance. */
GStrv           crm_search_terms            (const char           *text,
                                             guint                 min_chars);

/* Whether @c belongs to a word: what FTS5's unicode61 tokenizer reads as part
 * of a token (its own, older Unicode tables, not GLib's), and combining marks. */
gboolean        crm_search_is_word_char     (gunichar              c);

/* Optimal-string-alignment distance (insertions, deletions, substitutions and
 * swaps of neighbours), counted in characters; any value above @max is reported
 * as @max + 1 so the computation can stop early. */
guint           crm_search_edit_distance    (const char           *a,
                                             const char           *b,
                                             guint                 max);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmSearchQuery, crm_search_query_free)

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-replica"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-replica-private.h"
#include "crm-search-query.h"

/*
 * Search (issue 3): words first, through the unicode61 FTS5 indexes, ranked by
 * bm25 with the weights below. When that finds too little, each word typed is
 * looked up in a trigram index of the words the replica knows (search_terms):
 * words containing it ("nérale" -> "generale") and words within a small edit
 * distance ("genarale" -> "generale"); the word search then runs again with those.
 */

/* Fewer word hits than this (all entities together) triggers the fallback. */
#define FALLBACK_BELOW 3
/* Trigram candidates examined per word, and corrected words kept. */
#define MAX_CANDIDATES 300
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
    case CRM_ENTITY_ORGANISATION: return "10.0, 4.0, 3.0, 1.0, 2.0"; /* name email city notes tags */
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
  sqlite3_result_text (context, crm_search_fold (text), -1, g_free);
}

/* crm_terms(text, ...): a JSON array of the distinct folded words of at least
 * three characters of every argument, for the trigram term index. */
static void
sql_terms (sqlite3_context *context,
           int              argc,
           sqlite3_value  **argv)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GString *out = g_string_new ("[");

  for (int i = 0; i < argc; i++)
    {
      const char *text = (const char *) sqlite3_value_text (argv[i]);
      g_auto(GStrv) terms = NULL;

      if (text == NULL)
        continue;
      terms = crm_search_terms (text, CRM_SEARCH_TRIGRAM_MIN_CHARS);
      for (guint j = 0; terms[j] != NULL; j++)
        {
          if (g_hash_table_contains (seen, terms[j]))
            continue;
          if (out->len > 1)
            g_string_append_c (out, ',');
          /* Words are letters and digits only: nothing to escape but quotes,
           * which cannot occur; JSON strings take UTF-8 as is. */
          g_string_append_printf (out, "\"%s\"", terms[j]);
          g_hash_table_add (seen, g_steal_pointer (&terms[j]));
        }
    }
  g_string_append_c (out, ']');

  sqlite3_result_text (context, g_string_free (out, FALSE), -1, g_free);
}

gboolean
crm_replica_register_functions (sqlite3 *db)
{
  int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;

  return sqlite3_create_function_v2 (db, "crm_fold", 1, flags, NULL, sql_fold, NULL, NULL,
                                     NULL) == SQLITE_OK &&
         sqlite3_create_function_v2 (db, "crm_terms", -1, flags, NULL, sql_terms, NULL, NULL,
                                     NULL) == SQLITE_OK;
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
static gboolean
similar_terms (CrmReplica *self,
               const char *word,
               GPtrArray  *out,
               GError    **error)
{
  glong len = g_utf8_strlen (word, -1);
  guint max_distance = len >= 8 ? 2 : 1;
  g_autoptr(GString) any_trigram = g_string_new (NULL);
  g_autoptr(GArray) found = g_array_new (FALSE, TRUE, sizeof (Candidate));
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *substring = crm_search_quote (word, FALSE);
  sqlite3_stmt *stmt;
  int rc;

  g_array_set_clear_func (found, candidate_clear);

  /* "w1" OR "w2" ...: every trigram of the word, so a word that shares most of
   * them ranks first even with a letter wrong. */
  for (glong i = 0; i + 3 <= len; i++)
    {
      g_autofree char *trigram = g_utf8_substring (word, i, i + 3);
      g_autofree char *quoted = crm_search_quote (trigram, FALSE);

      if (any_trigram->len > 0)
        g_string_append (any_trigram, " OR ");
      g_string_append (any_trigram, quoted);
    }

  stmt = crm_replica_prepare (self,
                              "SELECT term, 0 FROM search_terms_tri WHERE search_terms_tri MATCH ?1 "
                              "UNION ALL "
                              "SELECT * FROM (SELECT term, 1 FROM search_terms_tri "
                              "WHERE search_terms_tri MATCH ?2 ORDER BY rank LIMIT ?3)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, substring, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, any_trigram->str, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, MAX_CANDIDATES);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *term = (const char *) sqlite3_column_text (stmt, 0);
      gboolean contains = sqlite3_column_int (stmt, 1) == 0;
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
  match = crm_search_query_to_fts (query);
  if (match == NULL)
    return g_steal_pointer (&groups);

  for (guint k = 0; k < G_N_ELEMENTS (searched); k++)
    {
      if (filters != NULL && crm_replica_query_get_kind (filters) != searched[k])
        continue;
      per_kind[k] = crm_replica_match (self, searched[k], filters, match, limit, error);
      if (per_kind[k] == NULL)
        goto failed;
      total += per_kind[k]->len;
    }

  if (total < FALLBACK_BELOW)
    {
      fuzzy = fuzzy_expression (self, query, error);
      if (fuzzy == NULL && error != NULL && *error != NULL)
        goto failed;
    }

  for (guint k = 0; fuzzy != NULL && k < G_N_ELEMENTS (searched); k++)
    {
      g_autoptr(GPtrArray) extra = NULL;

      if (per_kind[k] == NULL)
        continue;
      extra = crm_replica_match (self, searched[k], filters, fuzzy, limit, error);
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

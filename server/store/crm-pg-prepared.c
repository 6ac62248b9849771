/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-store"

#include "config.h"

#include <libpq-events.h>
#include <string.h>

#include "crm-pg-private.h"

/*
 * Prepared statements, per connection, without the callers knowing: the first run of a
 * statement text on a connection prepares it under a name, later runs only bind and
 * execute it. PostgreSQL then parses and plans a list page or a user lookup once per
 * connection instead of once per request, which was a third of its time per request.
 *
 * The names live with the connection itself, as libpq instance data: PQfinish and
 * PQreset call us back (PGEVT_CONNDESTROY, PGEVT_CONNRESET), so a new connection,
 * whatever its address, never inherits names its session does not have.
 */

/* Beyond this many texts (lists filtered every which way), run unprepared. */
#define MAX_STATEMENTS 512

typedef struct
{
  GHashTable *names;    /* SQL text -> statement name, both owned */
  guint       counter;
} StatementCache;

static void
statement_cache_free (StatementCache *cache)
{
  if (cache == NULL)
    return;
  g_hash_table_unref (cache->names);
  g_free (cache);
}

static int
statement_cache_event (PGEventId  id,
                       void      *info,
                       void      *pass_through)
{
  switch (id)
    {
    case PGEVT_CONNRESET:
      {
        PGEventConnReset *reset = info;
        StatementCache *cache = PQinstanceData (reset->conn, statement_cache_event);

        /* A reset connection is a new session: nothing is prepared there any more. */
        if (cache != NULL)
          g_hash_table_remove_all (cache->names);
        break;
      }
    case PGEVT_CONNDESTROY:
      {
        PGEventConnDestroy *destroy = info;

        statement_cache_free (PQinstanceData (destroy->conn, statement_cache_event));
        break;
      }
    case PGEVT_REGISTER:
    case PGEVT_RESULTCREATE:
    case PGEVT_RESULTCOPY:
    case PGEVT_RESULTDESTROY:
    default:
      break;
    }
  return 1;
}

static StatementCache *
statement_cache_get (PGconn *conn)
{
  StatementCache *cache = PQinstanceData (conn, statement_cache_event);

  if (cache != NULL)
    return cache;
  if (!PQregisterEventProc (conn, statement_cache_event, "crm-statements", NULL))
    return NULL;
  cache = g_new0 (StatementCache, 1);
  cache->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (!PQsetInstanceData (conn, statement_cache_event, cache))
    {
      statement_cache_free (cache);
      return NULL;
    }
  return cache;
}

/* A statement that failed this way will fail again as it is: prepare it afresh next
 * time. 26000: it is gone (a DISCARD ALL); 0A000: a table it reads changed its
 * columns under it (a migration while we run). */
static gboolean
statement_is_stale (const PGresult *result)
{
  const char *state = PQresultErrorField (result, PG_DIAG_SQLSTATE);

  return state != NULL && (strcmp (state, "26000") == 0 || strcmp (state, "0A000") == 0);
}

/**
 * crm_pg_exec_prepared:
 *
 * What PQexecParams (conn, sql, n_params, NULL, values, NULL, NULL, 0) returns, a
 * failed result included, through a statement prepared once per connection.
 */
PGresult *
crm_pg_exec_prepared (PGconn             *conn,
                      const char         *sql,
                      int                 n_params,
                      const char * const *values)
{
  return crm_pg_exec_prepared_format (conn, sql, n_params, values, 0);
}

PGresult *
crm_pg_exec_prepared_format (PGconn             *conn,
                             const char         *sql,
                             int                 n_params,
                             const char * const *values,
                             int                 result_format)
{
  StatementCache *cache = statement_cache_get (conn);
  const char *name = cache != NULL ? g_hash_table_lookup (cache->names, sql) : NULL;
  PGresult *result;

  if (name == NULL)
    {
      g_autofree char *new_name = NULL;

      if (cache == NULL || g_hash_table_size (cache->names) >= MAX_STATEMENTS)
        return PQexecParams (conn, sql, n_params, NULL, values, NULL, NULL, result_format);

      new_name = g_strdup_printf ("crm_%u", ++cache->counter);
      result = PQprepare (conn, new_name, sql, n_params, NULL);
      /* A statement that does not prepare would not have run either: same error. */
      if (PQresultStatus (result) != PGRES_COMMAND_OK)
        return result;
      PQclear (result);
      name = new_name;
      g_hash_table_insert (cache->names, g_strdup (sql), g_steal_pointer (&new_name));
    }

  result = PQexecPrepared (conn, name, n_params, values, NULL, NULL, result_format);
  if (PQresultStatus (result) == PGRES_FATAL_ERROR && statement_is_stale (result))
    g_hash_table_remove (cache->names, sql);
  return result;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-store"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-pg-private.h"

GPtrArray *
crm_pg_params_new (void)
{
  return g_ptr_array_new_with_free_func (g_free);
}

guint
crm_pg_param_take (GPtrArray *params,
                   char      *value)
{
  g_ptr_array_add (params, value);
  return params->len;
}

guint
crm_pg_param (GPtrArray  *params,
              const char *value)
{
  return crm_pg_param_take (params, g_strdup (value));
}

guint
crm_pg_param_int (GPtrArray *params,
                  gint64     value)
{
  return crm_pg_param_take (params, g_strdup_printf ("%" G_GINT64_FORMAT, value));
}

static gboolean
result_ok (const PGresult *result)
{
  ExecStatusType status = PQresultStatus (result);

  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

static void
set_database_error (GError         **error,
                    PGconn          *conn,
                    const PGresult  *result)
{
  const char *message = result != NULL ? PQresultErrorMessage (result) : PQerrorMessage (conn);
  g_autofree char *trimmed = g_strstrip (g_strdup (message != NULL ? message : ""));

  /* The values never reach the message: libpq's text names the constraint or the
   * statement, and the caller logs the SQL, which holds no values. */
  g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_DATABASE,
               _("La base de données a refusé l’opération (%s) ; réessayez plus tard."),
               trimmed[0] != '\0' ? trimmed : _("connexion perdue"));
}

PGresult *
crm_pg_exec_checked (PGconn      *conn,
                     const char  *sql,
                     GPtrArray   *params,
                     PGresult   **failed,
                     GError     **error)
{
  return crm_pg_exec_checked_format (conn, sql, params, 0, failed, error);
}

PGresult *
crm_pg_exec_checked_format (PGconn      *conn,
                            const char  *sql,
                            GPtrArray   *params,
                            int          result_format,
                            PGresult   **failed,
                            GError     **error)
{
  PGresult *result;
  int n = params != NULL ? (int) params->len : 0;

  *failed = NULL;
  /* Without parameters, the simple protocol: it runs a migration file's several
   * statements in one call (and answers in text). */
  if (params == NULL && result_format == 0)
    result = PQexec (conn, sql);
  else
    result = crm_pg_exec_prepared_format (conn, sql, n,
                                          params != NULL
                                          ? (const char * const *) params->pdata : NULL,
                                          result_format);
  if (result != NULL && result_ok (result))
    return result;

  g_debug ("SQL en échec : %s", sql);
  set_database_error (error, conn, result);
  *failed = result;
  return NULL;
}

PGresult *
crm_pg_exec (PGconn      *conn,
             const char  *sql,
             GPtrArray   *params,
             GError     **error)
{
  PGresult *failed = NULL;
  PGresult *result = crm_pg_exec_checked (conn, sql, params, &failed, error);

  g_clear_pointer (&failed, PQclear);
  return result;
}

gboolean
crm_pg_command (PGconn      *conn,
                const char  *sql,
                GError     **error)
{
  g_autoptr(PGresult) result = crm_pg_exec (conn, sql, NULL, error);

  return result != NULL;
}

const char *
crm_pg_value (const PGresult *result,
              int             row,
              int             col)
{
  if (PQgetisnull (result, row, col))
    return NULL;
  return PQgetvalue (result, row, col);
}

gint64
crm_pg_int (const PGresult *result,
            int             row,
            int             col)
{
  const char *text = crm_pg_value (result, row, col);

  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : 0;
}

gboolean
crm_pg_bool (const PGresult *result,
             int             row,
             int             col)
{
  const char *text = crm_pg_value (result, row, col);

  /* Both spellings: "t" from the output function, "true" from a ::text cast. */
  return text != NULL && (text[0] == 't');
}

const char *
crm_pg_sqlstate (const PGresult *result)
{
  const char *state = result != NULL ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL;

  return state != NULL ? state : "";
}

gboolean
crm_pg_tx_begin (CrmPgTx     *tx,
                 PGconn      *conn,
                 const char  *begin_sql,
                 GError     **error)
{
  tx->conn = conn;
  tx->active = FALSE;

  /* Inside the caller's transaction (a push batch) we may only take a savepoint;
   * its isolation level is the caller's choice. */
  tx->nested = PQtransactionStatus (conn) != PQTRANS_IDLE;
  if (!crm_pg_command (conn, tx->nested ? "SAVEPOINT crm_store" : begin_sql, error))
    return FALSE;

  tx->active = TRUE;
  return TRUE;
}

gboolean
crm_pg_tx_commit (CrmPgTx  *tx,
                  GError  **error)
{
  g_return_val_if_fail (tx->active, FALSE);

  if (!crm_pg_command (tx->conn, tx->nested ? "RELEASE SAVEPOINT crm_store" : "COMMIT", error))
    {
      crm_pg_tx_rollback (tx);
      return FALSE;
    }
  tx->active = FALSE;
  return TRUE;
}

void
crm_pg_tx_rollback (CrmPgTx *tx)
{
  g_autoptr(GError) error = NULL;

  if (tx->conn == NULL || !tx->active)
    return;

  tx->active = FALSE;
  if (tx->nested)
    {
      /* ROLLBACK TO keeps the savepoint; release it so the caller's transaction is
       * exactly as it was before we started. */
      if (!crm_pg_command (tx->conn, "ROLLBACK TO SAVEPOINT crm_store", &error) ||
          !crm_pg_command (tx->conn, "RELEASE SAVEPOINT crm_store", &error))
        g_warning ("Impossible d’annuler le point de sauvegarde : %s", error->message);
    }
  else if (PQtransactionStatus (tx->conn) != PQTRANS_IDLE &&
           !crm_pg_command (tx->conn, "ROLLBACK", &error))
    {
      /* A dead connection rolls back by itself; the pool will replace it. */
      g_debug ("ROLLBACK impossible : %s", error->message);
    }
}

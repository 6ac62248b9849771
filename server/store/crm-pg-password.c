/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-store"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-password.h"
#include "crm-pg-private.h"

/*
 * A new password for an account, set by an administrator (the reset-password command,
 * when a user has forgotten theirs). Whoever held the old one loses every session
 * with it: the epoch moves on, so access tokens already issued stop working at their
 * next request, and every refresh token is revoked.
 */

char *
crm_store_reset_password (PGconn         *conn,
                          const CrmActor *actor,
                          const char     *email,
                          const char     *password,
                          GError        **error)
{
  g_autoptr(GPtrArray) params = crm_pg_params_new ();
  g_autoptr(GPtrArray) id_param = crm_pg_params_new ();
  g_autoptr(GPtrArray) key_param = crm_pg_params_new ();
  g_autoptr(PGresult) updated = NULL;
  g_autoptr(PGresult) revoked = NULL;
  g_autoptr(PGresult) forgiven = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *hash = NULL;
  g_auto(CrmPgTx) tx = { 0 };
  const char *id;

  g_return_val_if_fail (email != NULL && password != NULL, NULL);

  if (!crm_pg_require (actor, CRM_RESOURCE_USERS, CRM_ACTION_UPDATE, error))
    return NULL;
  if (!crm_password_check_policy (password, email, &local_error))
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_VALIDATION,
                           local_error->message);
      return NULL;
    }
  hash = crm_password_hash (password, error);
  if (hash == NULL)
    return NULL;

  crm_pg_param (params, email);
  crm_pg_param (params, hash);
  if (!crm_pg_tx_begin (&tx, conn, "BEGIN", error))
    return NULL;
  updated = crm_pg_exec (conn,
                         "UPDATE users SET password_hash = $2, epoch = epoch + 1,"
                         " updated_at = now () WHERE lower (email) = lower ($1)"
                         " RETURNING id::text",
                         params, error);
  if (updated == NULL)
    return NULL;
  if (PQntuples (updated) != 1)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                   _("Aucun compte n’a l’adresse %s."), email);
      return NULL;
    }
  id = crm_pg_value (updated, 0, 0);

  /* The failed attempts that may have locked the account out go too: it is the usual
   * reason for a reset. The login counts them by the case-folded address. */
  crm_pg_param (id_param, id);
  crm_pg_param_take (key_param, g_utf8_casefold (email, -1));
  revoked = crm_pg_exec (conn,
                         "UPDATE refresh_tokens SET revoked_at = now ()"
                         " WHERE user_id = $1::uuid AND revoked_at IS NULL",
                         id_param, error);
  if (revoked == NULL)
    return NULL;
  forgiven = crm_pg_exec (conn, "DELETE FROM login_failures WHERE email_key = $1", key_param,
                          error);
  if (forgiven == NULL ||
      !crm_pg_audit_simple (conn, actor, "user.password_reset", "user", id, NULL, NULL, error) ||
      !crm_pg_tx_commit (&tx, error))
    return NULL;
  return g_strdup (id);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-store"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-pg-conflicts.h"
#include "crm-pg-private.h"

gboolean
crm_store_resolve_conflict (PGconn         *conn,
                            const CrmActor *actor,
                            const char     *conflict_id,
                            GError        **error)
{
  g_autoptr (GPtrArray) params = crm_pg_params_new ();
  g_autoptr (PGresult) found = NULL;
  g_autoptr (PGresult) updated = NULL;
  g_auto (CrmPgTx) tx = { 0 };
  const char *author;

  g_return_val_if_fail (conn != NULL && actor != NULL, FALSE);

  if (actor->user_id == NULL)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_FORBIDDEN,
                           _("Régler un conflit demande un utilisateur."));
      return FALSE;
    }
  if (!crm_pg_check_uuid (conflict_id, error))
    return FALSE;

  if (!crm_pg_tx_begin (&tx, conn, "BEGIN", error))
    return FALSE;
  crm_pg_param (params, conflict_id);
  found = crm_pg_exec (conn, "SELECT by_user::text, resolved FROM conflicts"
                             " WHERE id = $1::uuid FOR UPDATE", params, error);
  if (found == NULL)
    return FALSE;
  if (PQntuples (found) == 0)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                           _("Ce conflit n’existe pas."));
      return FALSE;
    }
  author = crm_pg_value (found, 0, 0);
  /* Someone else's conflict is as good as absent, unless one is an admin. */
  if (g_strcmp0 (author, actor->user_id) != 0 && actor->role != CRM_ROLE_ADMIN)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_FORBIDDEN,
                           _("Seul l’auteur de la modification (ou un administrateur) peut "
                             "régler ce conflit."));
      return FALSE;
    }
  if (crm_pg_bool (found, 0, 1))
    return crm_pg_tx_commit (&tx, error);

  crm_pg_param (params, actor->user_id);
  crm_pg_param (params, actor->client_id);
  updated = crm_pg_exec (conn,
                         "WITH closed AS (UPDATE conflicts SET resolved = true,"
                         " resolved_at = now () WHERE id = $1::uuid RETURNING entity, entity_id)"
                         " INSERT INTO audit (user_id, client_id, action, entity, entity_id,"
                         " details) SELECT $2::uuid, $3, 'conflict.resolved', entity,"
                         " entity_id::text, jsonb_build_object ('conflict_id', $1::text)"
                         " FROM closed",
                         params, error);
  if (updated == NULL)
    return FALSE;
  return crm_pg_tx_commit (&tx, error);
}

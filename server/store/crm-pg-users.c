/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "crm-password.h"
#include "crm-pg-private.h"
#include "crm-uuid.h"

/* ---- Teams -------------------------------------------------------------------- */

char *
crm_store_create_team (PGconn         *conn,
                       const CrmActor *actor,
                       const char     *name,
                       GError        **error)
{
  g_autoptr(CrmRecord) team = crm_record_new_for_kind (CRM_ENTITY_TEAM);
  g_autoptr(GPtrArray) params = crm_pg_params_new ();
  g_autoptr(PGresult) result = NULL;
  g_autofree char *id = crm_uuid7_new ();
  g_autofree char *duplicate = NULL;
  g_auto(CrmPgTx) tx = { 0 };

  if (!crm_pg_require (actor, CRM_RESOURCE_TEAMS, CRM_ACTION_CREATE, error))
    return NULL;
  crm_record_set_string (team, "id", id);
  crm_record_set_string (team, "name", name);
  if (!crm_pg_validate_new (team, error))
    return NULL;

  duplicate = g_strdup_printf (_("Une équipe nommée « %s » existe déjà."), name);
  crm_pg_param (params, id);
  crm_pg_param (params, name);
  if (!crm_pg_tx_begin (&tx, conn, "BEGIN", error))
    return NULL;
  result = crm_pg_exec_write (conn, "INSERT INTO teams (id, name) VALUES ($1::uuid, $2)", params,
                              duplicate, NULL, error);
  if (result == NULL ||
      !crm_pg_audit_simple (conn, actor, "team.create", "team", id, "name", name, error) ||
      !crm_pg_tx_commit (&tx, error))
    return NULL;
  return g_steal_pointer (&id);
}

static GPtrArray *
list_records (PGconn              *conn,
              const CrmEntityInfo *entity,
              const char          *where,
              const char          *order,
              GPtrArray           *params,
              GError             **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT ");
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_record_unref);
  g_autoptr(PGresult) result = NULL;

  /* The user and team entities list exactly the columns that may leave the server:
   * no hash, no epoch. */
  crm_pg_append_columns (sql, entity, "t");
  g_string_append_printf (sql, " FROM %s t %s ORDER BY %s", entity->collection, where, order);
  result = crm_pg_exec (conn, sql->str, params, error);
  if (result == NULL)
    return NULL;
  for (int i = 0; i < PQntuples (result); i++)
    {
      CrmRecord *row = crm_pg_record_from_row (entity, result, i, 0, error);

      if (row == NULL)
        return NULL;
      g_ptr_array_add (rows, row);
    }
  return g_steal_pointer (&rows);
}

GPtrArray *
crm_store_list_teams (PGconn         *conn,
                      const CrmActor *actor,
                      GError        **error)
{
  if (!crm_pg_require (actor, CRM_RESOURCE_TEAMS, CRM_ACTION_READ, error))
    return NULL;
  return list_records (conn, crm_entity_get (CRM_ENTITY_TEAM), "", "t.name, t.id", NULL, error);
}

/* ---- Users -------------------------------------------------------------------- */

char *
crm_store_create_user (PGconn           *conn,
                       const CrmActor   *actor,
                       const CrmNewUser *user,
                       GError          **error)
{
  g_autoptr(CrmRecord) record = crm_record_new_for_kind (CRM_ENTITY_USER);
  g_autoptr(GPtrArray) params = crm_pg_params_new ();
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *id = crm_uuid7_new ();
  g_autofree char *hash = NULL;
  g_autofree char *duplicate = NULL;
  g_auto(CrmPgTx) tx = { 0 };

  g_return_val_if_fail (user != NULL, NULL);

  if (!crm_pg_require (actor, CRM_RESOURCE_USERS, CRM_ACTION_CREATE, error))
    return NULL;

  crm_record_set_string (record, "id", id);
  crm_record_set_string (record, "email", user->email);
  crm_record_set_string (record, "display_name", user->display_name);
  crm_record_set_string (record, "role", crm_role_to_string (user->role));
  crm_record_set_string (record, "team_id", user->team_id);
  crm_record_set_string (record, "locale", user->locale != NULL ? user->locale : "fr_FR");
  if (!crm_pg_validate_new (record, error))
    return NULL;
  if (!crm_password_check_policy (user->password, user->email, &local_error))
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_VALIDATION,
                           local_error->message);
      return NULL;
    }
  hash = crm_password_hash (user->password, error);
  if (hash == NULL)
    return NULL;

  duplicate = g_strdup_printf (_("Un compte existe déjà avec l’adresse %s."), user->email);
  crm_pg_param (params, id);
  crm_pg_param (params, user->email);
  crm_pg_param (params, user->display_name);
  crm_pg_param (params, hash);
  crm_pg_param (params, crm_role_to_string (user->role));
  crm_pg_param (params, user->team_id);
  crm_pg_param (params, crm_record_get_string (record, "locale"));
  if (!crm_pg_tx_begin (&tx, conn, "BEGIN", error))
    return NULL;
  result = crm_pg_exec_write (conn,
                              "INSERT INTO users (id, email, display_name, password_hash, role,"
                              " team_id, locale) VALUES ($1::uuid, $2, $3, $4, $5, $6::uuid, $7)",
                              params, duplicate, _("L’équipe indiquée n’existe pas."), error);
  if (result == NULL ||
      !crm_pg_audit_simple (conn, actor, "user.create", "user", id, "role",
                            crm_role_to_string (user->role), error) ||
      !crm_pg_tx_commit (&tx, error))
    return NULL;
  return g_steal_pointer (&id);
}

/* One UPDATE of a user that also bumps their epoch, audited. */
static gboolean
update_user (PGconn         *conn,
             const CrmActor *actor,
             const char     *user_id,
             const char     *set_sql,
             const char     *value,
             const char     *action,
             GError        **error)
{
  g_autoptr(GPtrArray) params = crm_pg_params_new ();
  g_autoptr(GString) sql = g_string_new ("UPDATE users SET ");
  g_autoptr(PGresult) result = NULL;
  g_auto(CrmPgTx) tx = { 0 };

  if (!crm_pg_require (actor, CRM_RESOURCE_USERS, CRM_ACTION_UPDATE, error) ||
      !crm_pg_check_uuid (user_id, error))
    return FALSE;

  crm_pg_param (params, user_id);
  crm_pg_param (params, value);
  g_string_append_printf (sql, "%s, epoch = epoch + 1, updated_at = now () WHERE id = $1::uuid",
                          set_sql);
  if (!crm_pg_tx_begin (&tx, conn, "BEGIN", error))
    return FALSE;
  result = crm_pg_exec_write (conn, sql->str, params, NULL, _("L’équipe indiquée n’existe pas."),
                              error);
  if (result == NULL)
    return FALSE;
  if (g_strcmp0 (PQcmdTuples (result), "1") != 0)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                           _("Ce compte n’existe pas."));
      return FALSE;
    }
  if (!crm_pg_audit_simple (conn, actor, action, "user", user_id, "value", value, error))
    return FALSE;

  /* A deactivated account keeps no session: every refresh token dies with it. */
  if (strcmp (action, "user.deactivate") == 0)
    {
      g_autoptr(PGresult) revoked = NULL;

      g_ptr_array_set_size (params, 1);
      revoked = crm_pg_exec (conn,
                             "UPDATE refresh_tokens SET revoked_at = now ()"
                             " WHERE user_id = $1::uuid AND revoked_at IS NULL",
                             params, error);
      if (revoked == NULL)
        return FALSE;
    }
  return crm_pg_tx_commit (&tx, error);
}

gboolean
crm_store_set_user_role (PGconn         *conn,
                         const CrmActor *actor,
                         const char     *user_id,
                         CrmRole         role,
                         GError        **error)
{
  g_return_val_if_fail ((guint) role < CRM_N_ROLES, FALSE);
  return update_user (conn, actor, user_id, "role = $2", crm_role_to_string (role), "user.role",
                      error);
}

gboolean
crm_store_set_user_team (PGconn         *conn,
                         const CrmActor *actor,
                         const char     *user_id,
                         const char     *team_id,
                         GError        **error)
{
  if (team_id != NULL && !crm_pg_check_uuid (team_id, error))
    return FALSE;
  return update_user (conn, actor, user_id, "team_id = $2::uuid", team_id, "user.team", error);
}

gboolean
crm_store_deactivate_user (PGconn         *conn,
                           const CrmActor *actor,
                           const char     *user_id,
                           GError        **error)
{
  return update_user (conn, actor, user_id, "is_active = $2::boolean", "false", "user.deactivate",
                      error);
}

GPtrArray *
crm_store_list_users (PGconn         *conn,
                      const CrmActor *actor,
                      GError        **error)
{
  if (!crm_pg_require (actor, CRM_RESOURCE_USERS, CRM_ACTION_READ, error))
    return NULL;
  return list_records (conn, crm_entity_get (CRM_ENTITY_USER), "", "lower (t.email), t.id", NULL,
                       error);
}

CrmRecord *
crm_store_get_user (PGconn         *conn,
                    const CrmActor *actor,
                    const char     *user_id,
                    GError        **error)
{
  g_autoptr(GPtrArray) params = crm_pg_params_new ();
  g_autoptr(GPtrArray) rows = NULL;

  /* Everyone may read their own account; others need users.read. */
  if ((actor == NULL || g_strcmp0 (actor->user_id, user_id) != 0) &&
      !crm_pg_require (actor, CRM_RESOURCE_USERS, CRM_ACTION_READ, error))
    return NULL;
  if (!crm_pg_check_uuid (user_id, error))
    return NULL;

  crm_pg_param (params, user_id);
  rows = list_records (conn, crm_entity_get (CRM_ENTITY_USER), "WHERE t.id = $1::uuid", "t.id",
                       params, error);
  if (rows == NULL)
    return NULL;
  if (rows->len == 0)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                           _("Ce compte n’existe pas."));
      return NULL;
    }
  return crm_record_ref (g_ptr_array_index (rows, 0));
}

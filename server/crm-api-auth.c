/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-auth"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-api-private.h"
#include "crm-auth-error.h"
#include "crm-json.h"
#include "crm-password.h"
#include "crm-refresh-token.h"

/*
 * POST /api/v1/auth/login, /refresh, /logout (DESIGN.md §5, §9). The SQL of accounts
 * and sessions that the store does not cover lives here; every value is bound.
 */

#define REFRESH_TTL         (14 * 24 * 3600)  /* one token, renewed on every use */
#define REFRESH_FAMILY_TTL  (90 * 24 * 3600)  /* a login: then the password again */
#define FAILURE_WINDOW      "900"             /* seconds, as the in-process limiter */
#define ACCOUNT_FAILURES    5
#define ADDRESS_FAILURES    20
#define MAX_EMAIL_BYTES     254

/* ---- SQL helpers -------------------------------------------------------------------- */

/* NULL with CRM_STORE_ERROR_DATABASE (the text stays in our log) when the statement fails. */
PGresult *
crm_api_exec (PGconn            *conn,
              const char        *sql,
              int                n_params,
              const char *const *values,
              GError           **error)
{
  PGresult *result = PQexecParams (conn, sql, n_params, NULL, values, NULL, NULL, 0);
  ExecStatusType status = PQresultStatus (result);

  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
    return result;
  g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_DATABASE, "%s",
               PQresultErrorMessage (result));
  PQclear (result);
  return NULL;
}

static gboolean
exec_command (PGconn            *conn,
              const char        *sql,
              int                n_params,
              const char *const *values,
              GError           **error)
{
  g_autoptr (PGresult) result = crm_api_exec (conn, sql, n_params, values, error);

  return result != NULL;
}

static void
rollback (PGconn *conn)
{
  if (PQtransactionStatus (conn) != PQTRANS_IDLE)
    PQclear (PQexec (conn, "ROLLBACK"));
}

/* ---- answers --------------------------------------------------------------------------- */

static void
respond_invalid_credentials (CrmApiCall *call)
{
  crm_api_call_set_header (call, "WWW-Authenticate", "Bearer realm=\"alforis-crm\"");
  crm_api_call_respond_problem (call, SOUP_STATUS_UNAUTHORIZED, CRM_API_PROBLEM_UNAUTHORIZED,
                                _("Identifiants incorrects"),
                                _("L'adresse e-mail ou le mot de passe est incorrect."), NULL);
}

static void
respond_too_many (CrmApiCall *call,
                  guint       retry_after)
{
  g_autofree char *seconds = g_strdup_printf ("%u", MAX (retry_after, 1));
  g_autofree char *detail = g_strdup_printf (_("Trop d'échecs de connexion : réessayez dans "
                                               "%u secondes."),
                                             MAX (retry_after, 1));
  JsonObject *extra = json_object_new ();

  json_object_set_int_member (extra, "retry_after", MAX (retry_after, 1));
  crm_api_call_set_header (call, "Retry-After", seconds);
  crm_api_call_respond_problem (call, 429, CRM_API_PROBLEM_TOO_MANY,
                                _("Trop de tentatives"), detail, extra);
}

static void
respond_bad_field (CrmApiCall *call,
                   const char *field,
                   const char *message)
{
  JsonObject *extra = json_object_new ();
  JsonArray *errors = json_array_new ();
  JsonObject *entry = json_object_new ();

  json_object_set_string_member (entry, "field", field);
  json_object_set_string_member (entry, "message", message);
  json_array_add_object_element (errors, entry);
  json_object_set_array_member (extra, "errors", errors);
  crm_api_call_respond_problem (call, 422, CRM_API_PROBLEM_VALIDATION, _("Données invalides"),
                                message, extra);
}

/* A string member, or NULL after answering 422. */
static const char *
require_string (CrmApiCall *call,
                JsonObject *object,
                const char *name,
                gsize       max_bytes)
{
  JsonNode *node = json_object_get_member (object, name);
  const char *value;
  g_autofree char *message = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      message = g_strdup_printf (_("« %s » est requis et doit être une chaîne."), name);
      respond_bad_field (call, name, message);
      return NULL;
    }
  value = json_node_get_string (node);
  if (value[0] == '\0' || strlen (value) > max_bytes || !g_utf8_validate (value, -1, NULL))
    {
      message = g_strdup_printf (_("« %s » est vide ou trop long."), name);
      respond_bad_field (call, name, message);
      return NULL;
    }
  return value;
}

/* {"access_token", "token_type", "expires_in", "refresh_token", "user"} */
static gboolean
respond_tokens (CrmApiCall      *call,
                PGconn          *conn,
                const CrmActor  *actor,
                const char      *refresh_token,
                GError         **error)
{
  CrmApi *api = crm_api_call_get_api (call);
  guint ttl = crm_api_get_config (api)->access_token_ttl;
  g_autoptr (CrmJwtClaims) claims = NULL;
  g_autoptr (CrmRecord) user = NULL;
  g_autofree char *token = NULL;
  JsonObject *body = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, body);
  claims = crm_jwt_claims_new (actor->user_id, crm_role_to_string (actor->role), actor->team_id,
                               actor->epoch, g_get_real_time () / G_USEC_PER_SEC, ttl, error);
  if (claims == NULL || (token = crm_jwt_sign (crm_api_get_jwt_key (api), claims, error)) == NULL
      || (user = crm_store_get_user (conn, actor, actor->user_id, error)) == NULL)
    {
      json_node_unref (node);
      return FALSE;
    }
  json_object_set_string_member (body, "access_token", token);
  json_object_set_string_member (body, "token_type", "Bearer");
  json_object_set_int_member (body, "expires_in", ttl);
  json_object_set_string_member (body, "refresh_token", refresh_token);
  json_object_set_member (body, "user", crm_record_to_json_node (user));
  crm_api_call_set_header (call, "Cache-Control", "no-store");
  crm_api_call_respond (call, SOUP_STATUS_OK, node);
  return TRUE;
}

/* A new token in @family_id; the caller holds the transaction. */
static CrmRefreshToken *
insert_refresh_token (PGconn     *conn,
                      const char *family_id,
                      const char *user_id,
                      gint64      epoch,
                      gint64      family_expires_at,
                      GError    **error)
{
  g_autoptr (CrmRefreshToken) token = crm_refresh_token_new (error);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *epoch_text = g_strdup_printf ("%" G_GINT64_FORMAT, epoch);
  g_autofree char *expires = g_strdup_printf ("%" G_GINT64_FORMAT,
                                              crm_refresh_token_next_expiry (now, REFRESH_TTL,
                                                                             family_expires_at));
  g_autofree char *family_expires = g_strdup_printf ("%" G_GINT64_FORMAT, family_expires_at);
  const char *values[6];

  if (token == NULL)
    return NULL;
  values[0] = token->token_hash;
  values[1] = family_id;
  values[2] = user_id;
  values[3] = epoch_text;
  values[4] = expires;
  values[5] = family_expires;
  if (!exec_command (conn,
                     "INSERT INTO refresh_tokens (token_hash, family_id, user_id, epoch,"
                     " expires_at, family_expires_at) VALUES ($1, $2::uuid, $3::uuid, $4::bigint,"
                     " to_timestamp ($5::bigint), to_timestamp ($6::bigint))",
                     6, values, error))
    return NULL;
  return g_steal_pointer (&token);
}

/* ---- login ------------------------------------------------------------------------------ */

/* Seconds until the failures counted in the database fall under @limit, or 0. */
static guint
failures_retry_after (PGconn     *conn,
                      const char *column_sql,
                      const char *key,
                      guint       limit,
                      GError    **error)
{
  g_autofree char *offset = g_strdup_printf ("%u", limit - 1);
  g_autofree char *sql = g_strdup_printf (
    "SELECT ceil (extract (epoch FROM at + interval '" FAILURE_WINDOW " seconds' - now ()))"
    " FROM login_failures WHERE %s = $1 AND at > now () - interval '" FAILURE_WINDOW " seconds'"
    " ORDER BY at DESC OFFSET $2::int LIMIT 1",
    column_sql);
  const char *values[] = { key, offset };
  g_autoptr (PGresult) result = crm_api_exec (conn, sql, 2, values, error);

  if (result == NULL || PQntuples (result) == 0)
    return 0;
  return (guint) MAX (1, g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10));
}

static gboolean
record_failure (CrmApiCall *call,
                PGconn     *conn,
                const char *email_key,
                GError    **error)
{
  CrmApi *api = crm_api_call_get_api (call);
  const char *address = crm_api_call_get_remote_address (call);
  const char *values[] = { email_key, address };

  crm_rate_limiter_hit (api->account_limiter, email_key, NULL);
  crm_rate_limiter_hit (api->address_limiter, address, NULL);
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                    "REQUEST_ID", crm_api_call_get_request_id (call),
                    "REMOTE_ADDR", address,
                    "MESSAGE", "échec de connexion");
  /* Old rows go as new ones come: the table stays the size of one window. */
  return exec_command (conn,
                       "WITH pruned AS (DELETE FROM login_failures WHERE at < now () - interval '1 day')"
                       " INSERT INTO login_failures (email_key, address) VALUES ($1, $2)",
                       2, values, error);
}

typedef struct
{
  char    *id;
  char    *hash;
  gboolean active;
} Account;

static void
account_clear (Account *account)
{
  g_free (account->id);
  g_free (account->hash);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Account, account_clear)

static gboolean
find_account (PGconn     *conn,
              const char *email,
              Account    *account,
              GError    **error)
{
  const char *values[] = { email };
  g_autoptr (PGresult) result = crm_api_exec (conn,
                                              "SELECT id::text, password_hash, is_active FROM users"
                                              " WHERE lower (email) = lower ($1)",
                                              1, values, error);

  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 1)
    {
      account->id = g_strdup (PQgetvalue (result, 0, 0));
      account->hash = g_strdup (PQgetvalue (result, 0, 1));
      account->active = g_str_equal (PQgetvalue (result, 0, 2), "t");
    }
  return TRUE;
}

/* Checks the limits (memory first, then the table all instances share). */
static gboolean
login_allowed (CrmApiCall *call,
               PGconn     *conn,
               const char *email_key,
               GError    **error)
{
  CrmApi *api = crm_api_call_get_api (call);
  const char *address = crm_api_call_get_remote_address (call);
  guint wait_account = 0, wait_address = 0;

  if (!crm_rate_limiter_check (api->account_limiter, email_key, &wait_account)
      || !crm_rate_limiter_check (api->address_limiter, address, &wait_address))
    {
      respond_too_many (call, MAX (wait_account, wait_address));
      return FALSE;
    }
  wait_account = failures_retry_after (conn, "email_key", email_key, ACCOUNT_FAILURES, error);
  if (error != NULL && *error != NULL)
    return FALSE;
  wait_address = failures_retry_after (conn, "address", address, ADDRESS_FAILURES, error);
  if (error != NULL && *error != NULL)
    return FALSE;
  if (wait_account > 0 || wait_address > 0)
    {
      respond_too_many (call, MAX (wait_account, wait_address));
      return FALSE;
    }
  return TRUE;
}

static gboolean
start_session (CrmApiCall *call,
               PGconn     *conn,
               const char *user_id,
               const char *email_key,
               const char *password,
               const char *old_hash,
               GError    **error)
{
  g_autoptr (CrmActor) actor = NULL;
  g_autoptr (CrmRefreshToken) token = NULL;
  g_autofree char *family = crm_refresh_family_id_new (error);
  g_autofree char *new_hash = NULL;
  gint64 family_expires = g_get_real_time () / G_USEC_PER_SEC + REFRESH_FAMILY_TTL;
  const char *id_values[] = { user_id };
  const char *key_values[] = { email_key };

  if (family == NULL)
    return FALSE;
  if (!exec_command (conn, "BEGIN", 0, NULL, error))
    return FALSE;
  actor = crm_store_load_actor (conn, user_id, NULL, error);
  if (actor == NULL
      || !exec_command (conn, "DELETE FROM login_failures WHERE email_key = $1", 1, key_values,
                        error)
      || !exec_command (conn, "UPDATE users SET last_login_at = now () WHERE id = $1::uuid", 1,
                        id_values, error)
      || (token = insert_refresh_token (conn, family, user_id, actor->epoch, family_expires,
                                        error)) == NULL)
    goto fail;

  /* Older parameters: the password is at hand, store it at today's cost. */
  if (crm_password_needs_rehash (old_hash) && (new_hash = crm_password_hash (password, NULL)))
    {
      const char *values[] = { user_id, new_hash };

      if (!exec_command (conn, "UPDATE users SET password_hash = $2 WHERE id = $1::uuid", 2,
                         values, error))
        goto fail;
    }
  if (!exec_command (conn, "COMMIT", 0, NULL, error))
    goto fail;
  return respond_tokens (call, conn, actor, token->token, error);

fail:
  rollback (conn);
  return FALSE;
}

static void
handle_login (CrmApiCall *call,
              PGconn     *conn,
              gpointer    user_data)
{
  CrmApi *api = crm_api_call_get_api (call);
  JsonObject *body = crm_api_call_require_object (call);
  g_auto (Account) account = { 0 };
  g_autoptr (GError) error = NULL;
  g_autofree char *email_key = NULL;
  const char *email, *password;

  if (body == NULL
      || (email = require_string (call, body, "email", MAX_EMAIL_BYTES)) == NULL
      || (password = require_string (call, body, "password", CRM_PASSWORD_MAX_BYTES)) == NULL)
    return;
  email_key = g_utf8_casefold (email, -1);

  if (!login_allowed (call, conn, email_key, &error))
    {
      if (error != NULL)
        crm_api_call_respond_error (call, error);
      return;
    }
  if (!find_account (conn, email, &account, &error))
    {
      crm_api_call_respond_error (call, error);
      return;
    }

  if (account.id == NULL)
    crm_password_verify_dummy (password);
  if (account.id == NULL || !crm_password_verify (password, account.hash, NULL))
    {
      if (!record_failure (call, conn, email_key, &error))
        crm_api_call_respond_error (call, error);
      else
        respond_invalid_credentials (call);
      return;
    }
  if (!account.active)
    {
      crm_api_call_respond_problem (call, SOUP_STATUS_FORBIDDEN, CRM_API_PROBLEM_FORBIDDEN,
                                    _("Compte désactivé"),
                                    _("Ce compte est désactivé ; adressez-vous à un "
                                      "administrateur."),
                                    NULL);
      return;
    }

  crm_rate_limiter_reset (api->account_limiter, email_key);
  if (!start_session (call, conn, account.id, email_key, password, account.hash, &error))
    crm_api_call_respond_error (call, error);
}

/* ---- refresh ---------------------------------------------------------------------------- */

typedef struct
{
  CrmRefreshTokenState state;
  char                *family_id;
  char                *user_id;
} StoredToken;

static void
stored_token_clear (StoredToken *stored)
{
  g_free (stored->family_id);
  g_free (stored->user_id);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (StoredToken, stored_token_clear)

/* Locks the token's row: two refreshes of one token take turns. The second sees the token
 * used; within the grace period, with the first one's successor still unseen, it is taken
 * for a retry and supersedes that successor (see crm-refresh-token.h). */
static gboolean
lock_token (PGconn      *conn,
            const char  *hash,
            StoredToken *stored,
            GError     **error)
{
  g_autofree char *grace = g_strdup_printf ("%d", CRM_REFRESH_RETRY_GRACE_SECONDS);
  const char *values[] = { hash, grace };
  g_autoptr (PGresult) result = crm_api_exec (
    conn,
    "SELECT t.family_id::text, t.user_id::text, t.used_at IS NOT NULL,"
    " t.revoked_at IS NOT NULL, extract (epoch FROM t.expires_at)::bigint,"
    " coalesce (extract (epoch FROM t.family_expires_at)::bigint, 0), t.epoch, u.epoch,"
    " u.is_active,"
    " t.used_at IS NOT NULL AND t.revoked_at IS NULL"
    "  AND t.used_at > now () - make_interval (secs => $2::int)"
    "  AND EXISTS (SELECT 1 FROM refresh_tokens s WHERE s.token_hash = t.replaced_by"
    "              AND s.used_at IS NULL AND s.revoked_at IS NULL)"
    " FROM refresh_tokens t JOIN users u ON u.id = t.user_id"
    " WHERE t.token_hash = $1 FOR UPDATE OF t",
    2, values, error);

  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 0)
    return TRUE;
  stored->state.found = TRUE;
  stored->family_id = g_strdup (PQgetvalue (result, 0, 0));
  stored->user_id = g_strdup (PQgetvalue (result, 0, 1));
  stored->state.used = g_str_equal (PQgetvalue (result, 0, 2), "t");
  stored->state.revoked = g_str_equal (PQgetvalue (result, 0, 3), "t");
  stored->state.expires_at = g_ascii_strtoll (PQgetvalue (result, 0, 4), NULL, 10);
  stored->state.family_expires_at = g_ascii_strtoll (PQgetvalue (result, 0, 5), NULL, 10);
  stored->state.token_epoch = g_ascii_strtoll (PQgetvalue (result, 0, 6), NULL, 10);
  stored->state.user_epoch = g_ascii_strtoll (PQgetvalue (result, 0, 7), NULL, 10);
  stored->state.user_active = g_str_equal (PQgetvalue (result, 0, 8), "t");
  stored->state.retry_in_grace = g_str_equal (PQgetvalue (result, 0, 9), "t");
  return TRUE;
}

static gboolean
revoke_family (PGconn     *conn,
               const char *family_id,
               GError    **error)
{
  const char *values[] = { family_id };

  return exec_command (conn,
                       "UPDATE refresh_tokens SET revoked_at = now ()"
                       " WHERE family_id = $1::uuid AND revoked_at IS NULL",
                       1, values, error);
}

/* A retry after a lost answer: the successor the client never received is marked used
 * and revoked, so whoever presents it later is seen as a reuse. @superseded is FALSE when
 * the successor was presented meanwhile (a concurrent refresh locked and used it first):
 * then the retry is a reuse after all. */
static gboolean
supersede_successor (PGconn     *conn,
                     const char *hash,
                     gboolean   *superseded,
                     GError    **error)
{
  const char *values[] = { hash };
  g_autoptr (PGresult) result = crm_api_exec (
    conn,
    "UPDATE refresh_tokens s SET used_at = now (), revoked_at = now ()"
    " FROM refresh_tokens t"
    " WHERE t.token_hash = $1 AND s.token_hash = t.replaced_by"
    " AND s.used_at IS NULL AND s.revoked_at IS NULL",
    1, values, error);

  if (result == NULL)
    return FALSE;
  *superseded = g_strcmp0 (PQcmdTuples (result), "1") == 0;
  return TRUE;
}

static CrmRefreshDecision
decide_reuse (GError **refusal)
{
  CrmRefreshTokenState reused = { .found = TRUE, .used = TRUE };

  return crm_refresh_token_decide (&reused, 0, refusal);
}

/* Runs inside the transaction; answers the call, or fails with nothing answered. */
static gboolean
rotate (CrmApiCall  *call,
        PGconn      *conn,
        const char  *hash,
        GError     **error)
{
  g_auto (StoredToken) stored = { 0 };
  g_autoptr (GError) refusal = NULL;
  g_autoptr (CrmActor) actor = NULL;
  g_autoptr (CrmRefreshToken) next = NULL;
  CrmRefreshDecision decision;

  if (!lock_token (conn, hash, &stored, error))
    return FALSE;
  decision = crm_refresh_token_decide (&stored.state, g_get_real_time () / G_USEC_PER_SEC,
                                       &refusal);
  if (decision == CRM_REFRESH_ACCEPT_RETRY)
    {
      gboolean superseded;

      if (!supersede_successor (conn, hash, &superseded, error))
        return FALSE;
      if (!superseded)
        decision = decide_reuse (&refusal);
    }
  if (decision == CRM_REFRESH_REJECT_AND_REVOKE_FAMILY)
    {
      g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
                        "REQUEST_ID", crm_api_call_get_request_id (call),
                        "USER_ID", stored.user_id,
                        "MESSAGE", "jeton de renouvellement refusé, famille révoquée : %s",
                        refusal->message);
      if (!revoke_family (conn, stored.family_id, error)
          || !exec_command (conn, "COMMIT", 0, NULL, error))
        return FALSE;
    }
  if (decision != CRM_REFRESH_ACCEPT_AND_ROTATE && decision != CRM_REFRESH_ACCEPT_RETRY)
    {
      rollback (conn);
      crm_api_call_respond_error (call, refusal);
      return TRUE;
    }

  actor = crm_store_load_actor (conn, stored.user_id, NULL, error);
  if (actor == NULL
      || (next = insert_refresh_token (conn, stored.family_id, stored.user_id, actor->epoch,
                                       stored.state.family_expires_at, error)) == NULL)
    return FALSE;
  {
    const char *values[] = { hash, next->token_hash };

    if (!exec_command (conn,
                       "UPDATE refresh_tokens SET used_at = coalesce (used_at, now ()), replaced_by = $2"
                       " WHERE token_hash = $1",
                       2, values, error)
        || !exec_command (conn, "COMMIT", 0, NULL, error))
      return FALSE;
  }
  return respond_tokens (call, conn, actor, next->token, error);
}

static void
handle_refresh (CrmApiCall *call,
                PGconn     *conn,
                gpointer    user_data)
{
  JsonObject *body = crm_api_call_require_object (call);
  g_autoptr (GError) error = NULL;
  g_autofree char *hash = NULL;
  const char *token;

  if (body == NULL || (token = require_string (call, body, "refresh_token", 512)) == NULL)
    return;
  hash = crm_refresh_token_hash (token, &error);
  if (hash == NULL)
    {
      crm_api_call_respond_error (call, error);
      return;
    }
  if (!exec_command (conn, "BEGIN", 0, NULL, &error) || !rotate (call, conn, hash, &error))
    {
      rollback (conn);
      crm_api_call_respond_error (call, error);
    }
}

/* ---- logout ----------------------------------------------------------------------------- */

/* Ends the whole login (the token's family). An unknown token ends nothing and says so
 * no differently: the answer tells nobody which tokens exist. */
static void
handle_logout (CrmApiCall *call,
               PGconn     *conn,
               gpointer    user_data)
{
  JsonObject *body = crm_api_call_require_object (call);
  g_autoptr (GError) error = NULL;
  g_autofree char *hash = NULL;
  const char *token;

  if (body == NULL || (token = require_string (call, body, "refresh_token", 512)) == NULL)
    return;
  hash = crm_refresh_token_hash (token, NULL);
  if (hash != NULL)
    {
      const char *values[] = { hash };

      if (!exec_command (conn,
                         "UPDATE refresh_tokens SET revoked_at = now ()"
                         " WHERE revoked_at IS NULL AND family_id ="
                         " (SELECT family_id FROM refresh_tokens WHERE token_hash = $1)",
                         1, values, &error))
        {
          crm_api_call_respond_error (call, error);
          return;
        }
    }
  crm_api_call_respond (call, SOUP_STATUS_NO_CONTENT, NULL);
}

void
crm_api_auth_register (CrmApi *api)
{
  crm_api_add_route (api, "POST", "/api/v1/auth/login", CRM_API_ROUTE_PUBLIC, handle_login,
                     NULL);
  crm_api_add_route (api, "POST", "/api/v1/auth/refresh", CRM_API_ROUTE_PUBLIC, handle_refresh,
                     NULL);
  crm_api_add_route (api, "POST", "/api/v1/auth/logout", CRM_API_ROUTE_PUBLIC, handle_logout,
                     NULL);
}

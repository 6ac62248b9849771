/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "crm-pg-private.h"

/*
 * Who is asking, on every authenticated request: the user row (one indexed lookup,
 * always read, so a deactivation or a role change counts at once) and the permission
 * matrix of their role, which rarely changes and used to cost two more queries and a
 * few hundred rows per request.
 *
 * The matrix is kept per user with the epoch and role it was loaded under. Every edit
 * of a role's permissions or scope bumps the epoch of that role's users in the same
 * transaction (crm-pg-admin.c), and so does a change of role: a user row read with the
 * same epoch and role means the same matrix row, on any instance. The TTL only bounds
 * the life of a matrix changed behind the store's back (SQL typed by hand, a migration
 * that reseeds the table).
 */

#define MATRIX_TTL_USEC   (60 * G_USEC_PER_SEC)
#define MATRIX_CACHE_MAX  10000

typedef struct
{
  gint64              epoch;
  CrmRole             role;
  gint64              loaded_at;  /* monotonic */
  CrmPermissionMatrix matrix;     /* the row of @role only */
} CachedMatrix;

static GMutex      cache_lock;
static GHashTable *cache;  /* user id -> CachedMatrix* */

CrmActor *
crm_actor_new (const char                *user_id,
               CrmRole                    role,
               const char                *team_id,
               const CrmPermissionMatrix *matrix,
               const char                *client_id)
{
  CrmActor *actor;

  g_return_val_if_fail ((guint) role < CRM_N_ROLES, NULL);

  actor = g_new0 (CrmActor, 1);
  actor->user_id = g_strdup (user_id);
  actor->team_id = g_strdup (team_id);
  actor->client_id = g_strdup (client_id);
  actor->role = role;
  if (matrix != NULL)
    actor->matrix = *matrix;
  else
    crm_permission_matrix_init_default (&actor->matrix);
  actor->scope = crm_permission_scope (&actor->matrix, role);
  return actor;
}

void
crm_actor_free (CrmActor *actor)
{
  if (actor == NULL)
    return;

  g_free (actor->user_id);
  g_free (actor->team_id);
  g_free (actor->client_id);
  g_free (actor);
}

static gboolean
cache_lookup (const char          *user_id,
              gint64               epoch,
              CrmRole              role,
              CrmPermissionMatrix *matrix)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&cache_lock);
  const CachedMatrix *entry = cache != NULL ? g_hash_table_lookup (cache, user_id) : NULL;

  if (entry == NULL || entry->epoch != epoch || entry->role != role ||
      g_get_monotonic_time () - entry->loaded_at > MATRIX_TTL_USEC)
    return FALSE;
  *matrix = entry->matrix;
  return TRUE;
}

static void
cache_store (const char                *user_id,
             gint64                     epoch,
             CrmRole                    role,
             const CrmPermissionMatrix *matrix)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&cache_lock);
  CachedMatrix *entry = g_new0 (CachedMatrix, 1);

  if (cache == NULL)
    cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  /* Users come and go far slower than this fills; forgetting everyone is fine. */
  if (g_hash_table_size (cache) >= MATRIX_CACHE_MAX)
    g_hash_table_remove_all (cache);

  entry->epoch = epoch;
  entry->role = role;
  entry->loaded_at = g_get_monotonic_time ();
  entry->matrix = *matrix;
  g_hash_table_replace (cache, g_strdup (user_id), entry);
}

/* The matrix as the actor may use it: their role's row, every other row closed (those
 * are not what the epoch vouches for). */
static void
keep_role_only (CrmPermissionMatrix *matrix,
                CrmRole              role)
{
  for (guint r = 0; r < CRM_N_ROLES; r++)
    if (r != role)
      {
        memset (matrix->allowed[r], 0, sizeof matrix->allowed[r]);
        matrix->scope[r] = CRM_SCOPE_OWN;
      }
}

CrmActor *
crm_store_load_actor (PGconn      *conn,
                      const char  *user_id,
                      const char  *client_id,
                      GError     **error)
{
  g_autoptr(GPtrArray) params = crm_pg_params_new ();
  g_autoptr(PGresult) result = NULL;
  CrmPermissionMatrix matrix;
  CrmActor *actor;
  CrmRole role;
  gint64 epoch;

  if (!crm_pg_check_uuid (user_id, error))
    return NULL;

  crm_pg_param (params, user_id);
  result = crm_pg_exec (conn,
                        "SELECT id::text, role, team_id::text, is_active, epoch FROM users"
                        " WHERE id = $1::uuid",
                        params, error);
  if (result == NULL)
    return NULL;
  if (PQntuples (result) == 0)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                           _("Ce compte n’existe pas."));
      return NULL;
    }
  if (!crm_pg_bool (result, 0, 3))
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_FORBIDDEN,
                           _("Ce compte est désactivé ; adressez-vous à un administrateur."));
      return NULL;
    }
  if (!crm_role_from_string (crm_pg_value (result, 0, 1), &role))
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_DATABASE,
                   "users.role : rôle inconnu « %s »", crm_pg_value (result, 0, 1));
      return NULL;
    }
  epoch = crm_pg_int (result, 0, 4);

  if (!cache_lookup (crm_pg_value (result, 0, 0), epoch, role, &matrix))
    {
      if (!crm_store_load_matrix (conn, &matrix, error))
        return NULL;
      keep_role_only (&matrix, role);
      cache_store (crm_pg_value (result, 0, 0), epoch, role, &matrix);
    }

  actor = crm_actor_new (crm_pg_value (result, 0, 0), role, crm_pg_value (result, 0, 2), &matrix,
                         client_id);
  actor->epoch = epoch;
  return actor;
}

CrmActor *
crm_store_actor_from_claims (const char *user_id,
                             const char *role_name,
                             const char *team_id,
                             gint64      epoch)
{
  CrmPermissionMatrix matrix;
  CrmActor *actor;
  CrmRole role;

  if (user_id == NULL || role_name == NULL || !crm_role_from_string (role_name, &role)
      || !cache_lookup (user_id, epoch, role, &matrix))
    return NULL;

  actor = crm_actor_new (user_id, role, team_id, &matrix, NULL);
  actor->epoch = epoch;
  actor->unchecked = TRUE;
  return actor;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-replica"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "crm-replica-private.h"
#include "crm-uuid.h"

G_DEFINE_QUARK (crm-replica-error-quark, crm_replica_error)

G_DEFINE_FINAL_TYPE (CrmReplica, crm_replica, G_TYPE_OBJECT)

/* Past this many distinct SQL texts (lists with unusual filter combinations), the
 * cache starts over rather than growing without bound. */
#define MAX_CACHED_STATEMENTS 512

static void
finalize_statement (gpointer data)
{
  sqlite3_finalize (data);
}

static void
crm_replica_finalize (GObject *object)
{
  CrmReplica *self = CRM_REPLICA (object);

  crm_replica_close (self, NULL);

  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->known_terms, g_hash_table_unref);
  g_clear_pointer (&self->bulk_indexes, g_ptr_array_unref);
  g_clear_pointer (&self->load_schema, g_ptr_array_unref);
  for (guint i = 0; i < CRM_REPLICA_N_KINDS; i++)
    {
      g_clear_pointer (&self->select_columns[i], g_free);
      g_clear_pointer (&self->insert_sql[i], g_free);
    }
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->marker_path, g_free);
  g_clear_pointer (&self->client_id, g_free);
  g_clear_pointer (&self->user_id, g_free);
  g_clear_pointer (&self->team_id, g_free);
  g_clear_pointer (&self->recovered_to, g_free);
  g_rec_mutex_clear (&self->lock);

  G_OBJECT_CLASS (crm_replica_parent_class)->finalize (object);
}

static void
crm_replica_class_init (CrmReplicaClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = crm_replica_finalize;
}

static void
crm_replica_init (CrmReplica *self)
{
  g_rec_mutex_init (&self->lock);
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement);
  self->known_terms = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->bulk_indexes = g_ptr_array_new_with_free_func (g_free);
  self->load_schema = g_ptr_array_new_with_free_func (g_free);
}

void
crm_replica_set_sqlite_error (CrmReplica *self,
                              int         rc,
                              GError    **error)
{
  const char *detail = self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc);
  const char *where = self->path != NULL ? self->path : "";

  switch (rc & 0xff)
    {
    case SQLITE_READONLY:
      g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_READ_ONLY,
                   _("Les données locales (%s) sont en lecture seule : rien n’a été enregistré. "
                     "Vérifiez les droits d’accès du fichier et de son dossier."), where);
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_BUSY,
                   _("Les données locales sont verrouillées par un autre programme : rien n’a "
                     "été enregistré. Fermez l’autre fenêtre d’Alforis CRM puis réessayez."));
      break;
    case SQLITE_FULL:
      g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_DISK_FULL,
                   _("Le disque est plein : la modification n’a pas été enregistrée. "
                     "Libérez de la place puis réessayez."));
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      self->saw_corruption = TRUE;
      g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_CORRUPT,
                   _("Les données locales (%s) sont endommagées. Redémarrez Alforis CRM : le "
                     "fichier sera mis de côté et vos modifications non envoyées récupérées."),
                   where);
      break;
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_CANNOT_OPEN,
                   _("Impossible d’ouvrir les données locales (%s). Vérifiez que le dossier "
                     "existe et que vous avez le droit d’y écrire."), where);
      break;
    case SQLITE_IOERR:
      g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_FAILED,
                   _("Erreur de lecture ou d’écriture sur le disque : rien n’a été enregistré. "
                     "Vérifiez le disque puis réessayez (%s)."), detail);
      break;
    default:
      g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_FAILED,
                   _("Les données locales n’ont pas pu être lues ou écrites (%s)."), detail);
      break;
    }
}

gboolean
crm_replica_check_open (CrmReplica *self,
                        GError    **error)
{
  if (self->db != NULL)
    return TRUE;

  g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_FAILED,
               _("Les données locales sont fermées."));
  return FALSE;
}

const CrmEntityInfo *
crm_replica_entity (CrmEntityKind kind,
                    GError      **error)
{
  if ((guint) kind >= CRM_REPLICA_N_KINDS)
    {
      g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_INVALID,
                   _("Ce type d’élément n’est pas conservé sur ce poste."));
      return NULL;
    }

  return crm_entity_get (kind);
}

sqlite3_stmt *
crm_replica_prepare (CrmReplica *self,
                     const char *sql,
                     GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!crm_replica_check_open (self, error))
    return NULL;

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      crm_replica_set_sqlite_error (self, rc, error);
      return NULL;
    }

  if (g_hash_table_size (self->statements) >= MAX_CACHED_STATEMENTS)
    g_hash_table_remove_all (self->statements);
  g_hash_table_insert (self->statements, g_strdup (sql), stmt);

  return stmt;
}

gboolean
crm_replica_exec (CrmReplica *self,
                  const char *sql,
                  GError    **error)
{
  int rc;

  if (!crm_replica_check_open (self, error))
    return FALSE;

  rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      crm_replica_set_sqlite_error (self, rc, error);
      return FALSE;
    }

  return TRUE;
}

gboolean
crm_replica_step_done (CrmReplica   *self,
                       sqlite3_stmt *stmt,
                       GError      **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      crm_replica_set_sqlite_error (self, rc, error);
      sqlite3_reset (stmt);
      return FALSE;
    }

  sqlite3_reset (stmt);
  return TRUE;
}

/* IMMEDIATE: take the write lock up front, so a writer waits for another one at
 * BEGIN (within the busy timeout) instead of failing half-way through. */
gboolean
crm_replica_begin (CrmReplica *self,
                   GError    **error)
{
  sqlite3_stmt *stmt;

  /* The load's transaction is open on this connection: a write now would
   * become part of it, and vanish with it if the load is abandoned. */
  if (self->loading)
    {
      g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_BUSY,
                   _("Le chargement initial des données est en cours : rien n’a été enregistré. "
                     "Réessayez quand il sera terminé."));
      return FALSE;
    }

  stmt = crm_replica_prepare (self, "BEGIN IMMEDIATE", error);
  return stmt != NULL && crm_replica_step_done (self, stmt, error);
}

gboolean
crm_replica_commit (CrmReplica *self,
                    GError    **error)
{
  sqlite3_stmt *stmt = crm_replica_prepare (self, "COMMIT", error);

  if (stmt == NULL || !crm_replica_step_done (self, stmt, error))
    {
      crm_replica_rollback (self);
      return FALSE;
    }

  return TRUE;
}

void
crm_replica_rollback (CrmReplica *self)
{
  if (self->db != NULL && !sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

static gboolean
configure_connection (CrmReplica *self,
                      GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  sqlite3_extended_result_codes (self->db, 1);
  self->busy_timeout_ms = 5000;
  sqlite3_busy_timeout (self->db, self->busy_timeout_ms);

  if (!crm_replica_register_functions (self))
    {
      crm_replica_set_sqlite_error (self, sqlite3_errcode (self->db), error);
      return FALSE;
    }

  if (sqlite3_db_readonly (self->db, "main") == 1)
    {
      crm_replica_set_sqlite_error (self, SQLITE_READONLY, error);
      return FALSE;
    }

  /* Only takes on a new file, before its first table (and before WAL, which
   * fixes the page size); an existing file keeps its own. */
  if (!crm_replica_exec (self, "PRAGMA page_size = " G_STRINGIFY (CRM_REPLICA_PAGE_SIZE), error))
    return FALSE;

  /* WAL: readers never wait for the writer, and a killed process leaves a file
   * that recovers on the next open. synchronous=FULL because the outbox holds
   * edits that exist nowhere else until they are pushed. */
  rc = sqlite3_prepare_v2 (self->db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      sqlite3_finalize (stmt);
    }
  if (rc != SQLITE_ROW && rc != SQLITE_OK)
    {
      crm_replica_set_sqlite_error (self, rc, error);
      return FALSE;
    }

  return crm_replica_exec (self,
                           "PRAGMA foreign_keys = ON;"
                           "PRAGMA synchronous = FULL;"
                           "PRAGMA temp_store = MEMORY;"
                           "PRAGMA cache_size = " G_STRINGIFY (CRM_REPLICA_CACHE_KIB) ";",
                           error);
}

/* What the file says about itself: "ok", or the first problem; NULL if even that
 * could not be asked (the error is then in @rc). */
static char *
check_integrity (sqlite3 *db,
                 gboolean full,
                 int     *rc)
{
  sqlite3_stmt *stmt = NULL;
  char *result = NULL;

  *rc = sqlite3_prepare_v2 (db, full ? "PRAGMA integrity_check (1)" : "PRAGMA quick_check (1)",
                            -1, &stmt, NULL);
  if (*rc != SQLITE_OK)
    return NULL;

  *rc = sqlite3_step (stmt);
  if (*rc == SQLITE_ROW)
    {
      result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      *rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);

  return result;
}

static gboolean
is_corruption (int rc)
{
  return (rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB;
}

static gboolean
load_identity (CrmReplica *self,
               GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = crm_replica_prepare (self, "SELECT client_id, user_id, team_id FROM sync_state "
                                    "WHERE singleton = 1", error);
  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      self->client_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      self->user_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      self->team_id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      sqlite3_reset (stmt);
      return TRUE;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_replica_set_sqlite_error (self, rc, error);
      return FALSE;
    }

  self->client_id = crm_uuid7_new ();
  stmt = crm_replica_prepare (self, "INSERT INTO sync_state (singleton, client_id) VALUES (1, ?)",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, self->client_id, -1, SQLITE_TRANSIENT);

  return crm_replica_step_done (self, stmt, error);
}

/* Opens the file and brings it up to date; on a damaged file, sets *@corrupt. */
static gboolean
open_database (CrmReplica         *self,
               CrmReplicaOpenFlags flags,
               gboolean           *corrupt,
               GError            **error)
{
  gboolean crashed = self->marker_path != NULL &&
                     g_file_test (self->marker_path, G_FILE_TEST_EXISTS);
  g_autoptr(GError) local_error = NULL;
  int rc;

  *corrupt = FALSE;

  rc = sqlite3_open_v2 (self->path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX |
                        SQLITE_OPEN_EXRESCODE, NULL);
  if (rc != SQLITE_OK)
    {
      crm_replica_set_sqlite_error (self, rc, error);
      return FALSE;
    }

  /* A session that did not close (crash, kill, power cut): quick_check, which
   * reads every page (~1 s of CPU at a million rows; integrity_check also
   * cross-checks every index and takes ten times that). An explicit request:
   * the full check. Otherwise the first read below still catches a file that is
   * not a database at all. */
  if (crashed || (flags & CRM_REPLICA_OPEN_CHECK_INTEGRITY) != 0)
    {
      g_autofree char *verdict =
        check_integrity (self->db, (flags & CRM_REPLICA_OPEN_CHECK_INTEGRITY) != 0, &rc);

      if (verdict == NULL && is_corruption (rc))
        *corrupt = TRUE;
      else if (verdict == NULL)
        {
          crm_replica_set_sqlite_error (self, rc, error);
          return FALSE;
        }
      else if (g_strcmp0 (verdict, "ok") != 0)
        {
          g_message ("Replica %s failed its integrity check: %s", self->path, verdict);
          *corrupt = TRUE;
        }
      if (*corrupt)
        return FALSE;
    }

  if (!configure_connection (self, &local_error) ||
      !crm_replica_migrate (self, &local_error) ||
      !load_identity (self, &local_error))
    {
      if (g_error_matches (local_error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_CORRUPT))
        *corrupt = TRUE;
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

static void
close_database (CrmReplica *self)
{
  g_hash_table_remove_all (self->statements);
  if (self->db != NULL)
    {
      sqlite3_close_v2 (self->db);
      self->db = NULL;
    }
}

static gboolean
move_aside (CrmReplica *self,
            GError    **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *target = g_strdup_printf ("%s.corrupt-%s", self->path, stamp);
  static const char *const suffixes[] = { "-wal", "-shm" };

  for (guint n = 2; g_file_test (target, G_FILE_TEST_EXISTS); n++)
    {
      g_free (target);
      target = g_strdup_printf ("%s.corrupt-%s-%u", self->path, stamp, n);
    }

  if (g_rename (self->path, target) != 0)
    {
      int saved = errno;

      g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_CORRUPT,
                   _("Les données locales (%s) sont endommagées et n’ont pas pu être mises de "
                     "côté (%s). Déplacez ce fichier vous-même puis relancez Alforis CRM."),
                   self->path, g_strerror (saved));
      return FALSE;
    }

  /* The WAL goes with the file: the salvage reads the last committed state. */
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *from = g_strconcat (self->path, suffixes[i], NULL);
      g_autofree char *to = g_strconcat (target, suffixes[i], NULL);

      if (g_file_test (from, G_FILE_TEST_EXISTS))
        g_rename (from, to);
    }

  self->recovered = TRUE;
  self->recovered_to = g_steal_pointer (&target);
  return TRUE;
}

CrmReplica *
crm_replica_open (const char         *path,
                  CrmReplicaOpenFlags flags,
                  GError            **error)
{
  g_autoptr(CrmReplica) self = NULL;
  gboolean in_memory;
  gboolean corrupt = FALSE;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (CRM_TYPE_REPLICA, NULL);
  self->path = g_strdup (path);
  in_memory = g_strcmp0 (path, ":memory:") == 0 || g_str_has_prefix (path, "file::memory:");
  if (!in_memory)
    self->marker_path = g_strconcat (path, "-session", NULL);

  for (guint i = 0; i < CRM_REPLICA_N_KINDS; i++)
    {
      self->select_columns[i] = crm_replica_row_columns (crm_entity_get (i), "t");
      self->insert_sql[i] = crm_replica_row_insert_sql (crm_entity_get (i));
    }

  if (!open_database (self, flags, &corrupt, error))
    {
      g_autoptr(GError) salvage_error = NULL;

      close_database (self);
      if (!corrupt || in_memory)
        {
          if (corrupt)
            crm_replica_set_sqlite_error (self, SQLITE_CORRUPT, error);
          return NULL;
        }

      if (!move_aside (self, error))
        return NULL;
      if (!open_database (self, CRM_REPLICA_OPEN_NONE, &corrupt, error))
        {
          if (corrupt)
            crm_replica_set_sqlite_error (self, SQLITE_CORRUPT, error);
          close_database (self);
          return NULL;
        }
      if (!crm_replica_salvage (self, self->recovered_to, &salvage_error))
        g_message ("Salvage of %s: %s", self->recovered_to, salvage_error->message);
    }

  if (self->marker_path != NULL)
    g_file_set_contents (self->marker_path, "", 0, NULL);

  return g_steal_pointer (&self);
}

gboolean
crm_replica_close (CrmReplica *self,
                   GError    **error)
{
  CRM_REPLICA_LOCKED (self);

  g_return_val_if_fail (CRM_IS_REPLICA (self), FALSE);

  if (self->db == NULL)
    return TRUE;

  crm_replica_initial_load_abort (self);
  /* Keeps query plans good as the data grows; cheap when nothing changed. */
  sqlite3_exec (self->db, "PRAGMA optimize", NULL, NULL, NULL);
  g_hash_table_remove_all (self->statements);
  sqlite3_exec (self->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);

  if (sqlite3_close (self->db) != SQLITE_OK)
    {
      crm_replica_set_sqlite_error (self, sqlite3_errcode (self->db), error);
      sqlite3_close_v2 (self->db);
      self->db = NULL;
      return FALSE;
    }
  self->db = NULL;

  if (self->marker_path != NULL && !self->saw_corruption)
    g_unlink (self->marker_path);

  return TRUE;
}

const char *
crm_replica_get_path (CrmReplica *self)
{
  g_return_val_if_fail (CRM_IS_REPLICA (self), NULL);
  return self->path;
}

int
crm_replica_get_schema_version (CrmReplica *self)
{
  g_return_val_if_fail (CRM_IS_REPLICA (self), 0);
  return self->schema_version;
}

gboolean
crm_replica_get_recovery (CrmReplica  *self,
                          const char **moved_to,
                          guint       *n_salvaged)
{
  g_return_val_if_fail (CRM_IS_REPLICA (self), FALSE);

  if (moved_to != NULL)
    *moved_to = self->recovered_to;
  if (n_salvaged != NULL)
    *n_salvaged = self->n_salvaged;

  return self->recovered;
}

void
crm_replica_set_busy_timeout (CrmReplica *self,
                              guint       milliseconds)
{
  CRM_REPLICA_LOCKED (self);

  g_return_if_fail (CRM_IS_REPLICA (self));

  self->busy_timeout_ms = (int) MIN (milliseconds, G_MAXINT);
  if (self->db != NULL)
    sqlite3_busy_timeout (self->db, self->busy_timeout_ms);
}

gboolean
crm_replica_set_user (CrmReplica *self,
                      const char *user_id,
                      const char *team_id,
                      GError    **error)
{
  CRM_REPLICA_LOCKED (self);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CRM_IS_REPLICA (self), FALSE);

  if ((user_id != NULL && !crm_uuid_is_valid (user_id)) ||
      (team_id != NULL && !crm_uuid_is_valid (team_id)))
    {
      g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_INVALID,
                   _("L’identifiant d’utilisateur ou d’équipe n’est pas valide."));
      return FALSE;
    }

  stmt = crm_replica_prepare (self, "UPDATE sync_state SET user_id = ?, team_id = ? "
                                    "WHERE singleton = 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, user_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, team_id, -1, SQLITE_TRANSIENT);
  if (!crm_replica_step_done (self, stmt, error))
    return FALSE;

  g_free (self->user_id);
  self->user_id = g_strdup (user_id);
  g_free (self->team_id);
  self->team_id = g_strdup (team_id);

  return TRUE;
}

const char *
crm_replica_get_user_id (CrmReplica *self)
{
  g_return_val_if_fail (CRM_IS_REPLICA (self), NULL);
  return self->user_id;
}

const char *
crm_replica_get_client_id (CrmReplica *self)
{
  g_return_val_if_fail (CRM_IS_REPLICA (self), NULL);
  return self->client_id;
}

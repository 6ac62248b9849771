/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-db"

#include "config.h"

#include <glib/gi18n.h>
#include <openssl/crypto.h>

#include "crm-db-pool.h"

G_DEFINE_QUARK (crm-db-pool-error-quark, crm_db_pool_error)

/* Seconds to wait for PostgreSQL to accept a connection before calling it down. */
#define CONNECT_TIMEOUT "5"

typedef struct
{
  PGconn *connection;  /* NULL until first used, and again after it broke */
} Slot;

struct _CrmDbPool
{
  char        *conninfo;
  guint        size;
  GThreadPool *workers;
  GAsyncQueue *slots;    /* of Slot*: as many as workers, so a worker never waits for one */
  gint         busy;     /* atomic: jobs running */
  gint         pending;  /* atomic: jobs queued or running */
};

typedef struct
{
  CrmDbJobFunc   func;
  gpointer       data;
  GDestroyNotify data_free;
} Job;

static void
job_free (gpointer data)
{
  Job *job = data;

  if (job->data_free != NULL)
    job->data_free (job->data);
  g_free (job);
}

PGconn *
crm_db_connect (const char *conninfo,
                GError    **error)
{
  /*
   * Defaults first: with expand_dbname the configured URL overrides them if it says so.
   * Keepalives and the user timeout let a TCP connection to a host that vanished fail
   * in about half a minute instead of hanging a worker for the kernel's two hours.
   */
  const char *const keywords[] = { "connect_timeout", "application_name", "keepalives_idle",
                                   "keepalives_interval", "keepalives_count", "tcp_user_timeout",
                                   "dbname", NULL };
  const char *const values[] = { CONNECT_TIMEOUT, "alforis-crm-server", "15", "5", "3", "30000",
                                 conninfo, NULL };
  PGconn *connection = PQconnectdbParams (keywords, values, 1);
  g_autofree char *reason = NULL;

  if (PQstatus (connection) == CONNECTION_OK)
    return connection;

  reason = g_strstrip (g_strdup (PQerrorMessage (connection)));
  g_set_error (error, CRM_DB_POOL_ERROR, CRM_DB_POOL_ERROR_UNAVAILABLE,
               _("La base de données est injoignable : %s"), reason);
  PQfinish (connection);
  return NULL;
}

/*
 * A connection whose server restarted still says CONNECTION_OK until it is used.
 * Reading what is pending is cheap and does not block, and it notices the closed socket.
 */
static gboolean
slot_is_healthy (Slot *slot)
{
  return slot->connection != NULL
         && PQconsumeInput (slot->connection) != 0
         && PQstatus (slot->connection) == CONNECTION_OK
         && PQtransactionStatus (slot->connection) == PQTRANS_IDLE;
}

static void
slot_drop (Slot *slot)
{
  g_clear_pointer (&slot->connection, PQfinish);
}

/* Leaves the connection as the next job expects it: idle, or gone. */
static void
slot_settle (Slot *slot)
{
  PGresult *result;

  if (slot->connection == NULL || PQstatus (slot->connection) != CONNECTION_OK)
    {
      slot_drop (slot);
      return;
    }
  if (PQtransactionStatus (slot->connection) == PQTRANS_IDLE)
    return;

  g_warning ("une tâche a laissé une transaction ouverte ; annulation");
  result = PQexec (slot->connection, "ROLLBACK");
  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    slot_drop (slot);
  PQclear (result);
}

static void
run_job (GTask     *task,
         CrmDbPool *self,
         Slot      *slot)
{
  Job *job = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;
  gpointer result;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (!slot_is_healthy (slot))
    {
      slot_drop (slot);
      slot->connection = crm_db_connect (self->conninfo, &error);
      if (slot->connection == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }

  result = job->func (slot->connection, job->data, cancellable, &error);
  slot_settle (slot);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, NULL);
}

static void
worker (gpointer data,
        gpointer user_data)
{
  g_autoptr (GTask) task = data;
  CrmDbPool *self = user_data;
  Slot *slot = g_async_queue_pop (self->slots);

  g_atomic_int_inc (&self->busy);
  run_job (task, self, slot);
  /* OpenSSL's per-thread state (error queue, digests' and scrypt's contexts) is let go
   * after each job: pool threads are GLib's, shared and still running when the process
   * exits, after OpenSSL's own cleanup, which cannot reach other threads' state. */
  OPENSSL_thread_stop ();
  g_atomic_int_add (&self->busy, -1);
  g_async_queue_push (self->slots, slot);
  g_atomic_int_add (&self->pending, -1);
}

/**
 * crm_db_pool_new:
 * @conninfo: a libpq connection string or URI
 * @size: connections and worker threads
 *
 * Connects to nothing yet: the first jobs do.
 */
CrmDbPool *
crm_db_pool_new (const char *conninfo,
                 guint       size)
{
  CrmDbPool *self = g_new0 (CrmDbPool, 1);

  g_return_val_if_fail (size > 0, NULL);

  self->conninfo = g_strdup (conninfo);
  self->size = size;
  self->slots = g_async_queue_new ();
  for (guint i = 0; i < size; i++)
    g_async_queue_push (self->slots, g_new0 (Slot, 1));
  /* GLib keeps 2 idle shared threads by default and stops the others: with more workers
   * than that, threads were stopped and started again several times a second under
   * load. Kept idle instead (they still end after GLib's idle time). */
  if (g_thread_pool_get_max_unused_threads () >= 0
      && g_thread_pool_get_max_unused_threads () < (gint) size)
    g_thread_pool_set_max_unused_threads ((gint) size);
  self->workers = g_thread_pool_new (worker, self, size, FALSE, NULL);
  return self;
}

/* Waits for queued jobs to finish, then closes every connection. A job stuck in libpq
 * keeps this waiting: see crm_db_pool_is_idle to decide before calling it. */
void
crm_db_pool_free (CrmDbPool *self)
{
  if (self == NULL)
    return;

  g_thread_pool_free (self->workers, FALSE, TRUE);
  for (guint i = 0; i < self->size; i++)
    {
      Slot *slot = g_async_queue_pop (self->slots);

      slot_drop (slot);
      g_free (slot);
    }
  g_async_queue_unref (self->slots);
  g_free (self->conninfo);
  g_free (self);
}

/**
 * crm_db_pool_run:
 * @func: runs on a worker thread; whatever it returns is what finish returns
 *
 * @callback runs in the thread-default main context of the caller.
 */
void
crm_db_pool_run (CrmDbPool          *self,
                 CrmDbJobFunc        func,
                 gpointer            job_data,
                 GDestroyNotify      job_data_free,
                 GCancellable       *cancellable,
                 GAsyncReadyCallback callback,
                 gpointer            user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Job *job = g_new0 (Job, 1);
  g_autoptr (GError) error = NULL;

  g_task_set_source_tag (task, crm_db_pool_run);
  job->func = func;
  job->data = job_data;
  job->data_free = job_data_free;
  g_task_set_task_data (task, job, job_free);

  g_atomic_int_inc (&self->pending);
  if (!g_thread_pool_push (self->workers, task, &error))
    {
      g_atomic_int_add (&self->pending, -1);
      g_task_return_new_error (task, CRM_DB_POOL_ERROR, CRM_DB_POOL_ERROR_CLOSED, "%s",
                               error->message);
      g_object_unref (task);
    }
}

gpointer
crm_db_pool_run_finish (CrmDbPool    *self,
                        GAsyncResult *result,
                        GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == crm_db_pool_run, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

guint
crm_db_pool_get_size (CrmDbPool *self)
{
  return self->size;
}

guint
crm_db_pool_get_busy (CrmDbPool *self)
{
  return (guint) g_atomic_int_get (&self->busy);
}

/* No job queued or running (their callbacks may still be waiting in a main context). */
gboolean
crm_db_pool_is_idle (CrmDbPool *self)
{
  return g_atomic_int_get (&self->pending) == 0;
}

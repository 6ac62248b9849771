/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

#define CRM_DB_POOL_ERROR (crm_db_pool_error_quark ())

typedef enum
{
  CRM_DB_POOL_ERROR_UNAVAILABLE,  /* no connection could be made */
  CRM_DB_POOL_ERROR_QUERY,        /* a statement failed */
  CRM_DB_POOL_ERROR_CLOSED,       /* the pool is shutting down */
} CrmDbPoolError;

/*
 * A fixed number of PostgreSQL connections, each used by one worker thread at a time,
 * so the main loop hands work over and never waits on the database. Connections are
 * opened on first use and reopened after PostgreSQL went away, so the server starts
 * (and answers /health) while the database is down, and recovers when it comes back.
 */
typedef struct _CrmDbPool CrmDbPool;

/* Runs on a worker thread with a connection that is not in a transaction. */
typedef gpointer (*CrmDbJobFunc) (PGconn       *connection,
                                  gpointer      job_data,
                                  GCancellable *cancellable,
                                  GError      **error);

/* One connection with the pool's settings (timeout, application name), for commands. */
PGconn    *crm_db_connect (const char *conninfo,
                           GError    **error);

CrmDbPool *crm_db_pool_new (const char *conninfo,
                            guint       size);
void       crm_db_pool_free (CrmDbPool *self);

void       crm_db_pool_run (CrmDbPool          *self,
                            CrmDbJobFunc        func,
                            gpointer            job_data,
                            GDestroyNotify      job_data_free,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data);
gpointer   crm_db_pool_run_finish (CrmDbPool    *self,
                                   GAsyncResult *result,
                                   GError      **error);

guint      crm_db_pool_get_size (CrmDbPool *self);
guint      crm_db_pool_get_busy (CrmDbPool *self);
gboolean   crm_db_pool_is_idle (CrmDbPool *self);

GQuark     crm_db_pool_error_quark (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmDbPool, crm_db_pool_free)

G_END_DECLS

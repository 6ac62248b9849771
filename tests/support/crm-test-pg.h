/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * A throwaway PostgreSQL 15 cluster for one test process: a fresh initdb in a private
 * temporary directory, reachable only through a Unix socket in that directory. A
 * watchdog process stops it and deletes the directory when the test process goes away,
 * however it goes (crm_test_pg_stop, exit, crash, SIGKILL).
 */
typedef struct _CrmTestPg CrmTestPg;

CrmTestPg  *crm_test_pg_start (GError **error);
void        crm_test_pg_stop (CrmTestPg *self);

/* libpq keyword/value string: host=<dir> port=<n> user=postgres dbname=postgres */
const char *crm_test_pg_get_conninfo (CrmTestPg *self);
const char *crm_test_pg_get_directory (CrmTestPg *self);
GPid        crm_test_pg_get_postmaster_pid (CrmTestPg *self);

/* Stops PostgreSQL and starts it again in the same directory, with the same data: for
 * tests of what a client does while the database is away. */
gboolean    crm_test_pg_take_down (CrmTestPg *self,
                                   GError   **error);
gboolean    crm_test_pg_bring_up (CrmTestPg *self,
                                  GError   **error);

/* Stops (SIGSTOP) or resumes every process of the cluster, backends included: the
 * database then hangs instead of refusing, as a stuck server or a lost network does. */
void        crm_test_pg_freeze (CrmTestPg *self,
                                gboolean   frozen);

gboolean    crm_test_pg_create_database (CrmTestPg  *self,
                                         const char *name,
                                         char      **conninfo,
                                         GError    **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmTestPg, crm_test_pg_stop)

G_END_DECLS

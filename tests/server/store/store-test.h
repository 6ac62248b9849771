/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store-test.h — a throwaway PostgreSQL per test process, a freshly migrated
 * database per test (copied from a template migrated once), and the people every
 * store test needs: two teams and one account per role.
 */
#pragma once

#include <libpq-fe.h>

#include "crm-pg-migrate.h"
#include "crm-pg-store.h"
#include "crm-test-pg.h"

G_BEGIN_DECLS

typedef struct
{
  PGconn   *conn;
  char     *conninfo;
  char     *team_a;
  char     *team_b;
  CrmActor *admin;     /* no team */
  CrmActor *manager;   /* team A */
  CrmActor *user;      /* team A */
  CrmActor *user2;     /* team A */
  CrmActor *other;     /* a user of team B */
  CrmActor *viewer;    /* team A */
} StoreFixture;

/* The cluster of this process, started on first use; the test fails if it cannot. */
CrmTestPg  *store_test_cluster        (void);
void        store_test_shutdown       (void);
/* A new database: migrated (a copy of the template) or empty. */
char       *store_test_new_database   (gboolean migrated);
PGconn     *store_test_connect        (const char *conninfo);
void        store_test_exec           (PGconn     *conn,
                                       const char *sql);
/* The first value of the first row of @sql (one optional text parameter). */
char       *store_test_value          (PGconn     *conn,
                                       const char *sql,
                                       const char *param);
gint64      store_test_count          (PGconn     *conn,
                                       const char *sql,
                                       const char *param);

/* A user row with a placeholder hash (no scrypt: fast), returned as a loaded actor. */
CrmActor   *store_test_add_user       (PGconn     *conn,
                                       CrmRole     role,
                                       const char *team_id,
                                       const char *client_id);

void        store_fixture_setup       (StoreFixture  *fixture,
                                       gconstpointer  data);
void        store_fixture_teardown    (StoreFixture  *fixture,
                                       gconstpointer  data);

/* A CrmRecord of @kind from "field", "wire text", ..., NULL. */
CrmRecord  *store_test_fields         (CrmEntityKind kind,
                                       ...) G_GNUC_NULL_TERMINATED;

/* Runs one op that must not fail at the database level. */
CrmMutationResult *store_test_mutate  (PGconn          *conn,
                                       const CrmActor  *actor,
                                       CrmMutationKind  kind,
                                       CrmEntityKind    entity,
                                       const char      *id,
                                       gint64           base_version,
                                       CrmRecord       *fields);
/* Creates a row and asserts it applied; returns its id. */
char       *store_test_create         (PGconn          *conn,
                                       const CrmActor  *actor,
                                       CrmRecord       *fields);

G_END_DECLS

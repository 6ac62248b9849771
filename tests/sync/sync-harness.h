/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sync-harness.h — the world of a sync test: a throwaway PostgreSQL, one or more real
 * alforis-crm-server processes over TLS sharing one certificate and one signing secret
 * (so a token from one instance works on the other), each restartable on its own port,
 * and replicas with their engines signed in as real users. Every process started here
 * dies with the test (PR_SET_PDEATHSIG) and is stopped by sync_cluster_free.
 */
#pragma once

#include <libpq-fe.h>

#include "crm-permissions.h"
#include "crm-replica.h"
#include "crm-sync-engine.h"

G_BEGIN_DECLS

#define SYNC_TEST_PASSWORD "Motdepasse-de-test-2026!"

typedef struct _SyncCluster SyncCluster;

SyncCluster  *sync_cluster_new          (guint         n_servers);
void          sync_cluster_free         (SyncCluster  *self);
const char   *sync_cluster_url          (SyncCluster  *self,
                                         guint         server);
PGconn       *sync_cluster_db           (SyncCluster  *self);
GTlsDatabase *sync_cluster_tls          (SyncCluster  *self);
/* The cluster's temporary folder (clients live in client-<email>/ under it), and the
 * servers' certificate (PEM), for a test's own subprocess. */
const char   *sync_cluster_directory    (SyncCluster  *self);
/* The server process (for its CPU time in a benchmark). */
GPid          sync_cluster_pid          (SyncCluster  *self,
                                         guint         server);
const char   *sync_cluster_certificate  (SyncCluster  *self);
/* SIGKILL (or SIGTERM) and wait; then start again on the same port. */
void          sync_cluster_stop         (SyncCluster  *self,
                                         guint         server,
                                         int           signal_number);
void          sync_cluster_start        (SyncCluster  *self,
                                         guint         server);
char         *sync_cluster_add_team     (SyncCluster  *self,
                                         const char   *name);
/* A user with SYNC_TEST_PASSWORD; returns the id. */
char         *sync_cluster_add_user     (SyncCluster  *self,
                                         const char   *email,
                                         CrmRole       role,
                                         const char   *team_id);
/* As an admin's role change does: the new role and a new epoch. */
void          sync_cluster_set_role     (SyncCluster  *self,
                                         const char   *user_id,
                                         CrmRole       role);
/* The first value of @sql with one optional text parameter. */
char         *sync_cluster_value        (SyncCluster  *self,
                                         const char   *sql,
                                         const char   *param);

typedef struct
{
  SyncCluster   *cluster;
  char          *directory;
  char          *email;
  char          *url;
  CrmReplica    *replica;
  CrmSyncEngine *engine;
} SyncClient;

/* A fresh replica signed in as @email through @url (an instance, or a proxy). */
SyncClient   *sync_client_new           (SyncCluster  *cluster,
                                         const char   *url,
                                         const char   *email);
void          sync_client_free          (SyncClient   *self);
/* As the app quitting and starting again: a new engine on the same replica and token
 * file; whatever the old engine held only in memory is gone. */
void          sync_client_restart       (SyncClient   *self);
/* Signs in (again) with SYNC_TEST_PASSWORD. */
void          sync_client_login         (SyncClient   *self);
/* One round (push all, pull to the end); FALSE with @error when it failed. */
gboolean      sync_client_sync          (SyncClient   *self,
                                         GError      **error);
/* Rounds until the round succeeds with an empty outbox; fails the test after @max. */
void          sync_client_settle        (SyncClient   *self,
                                         guint         max_rounds);
/* Spins the default main context until *@flag or @timeout_ms; returns *@flag. */
gboolean      sync_wait_for             (gboolean     *flag,
                                         guint         timeout_ms);
/* Spins the main context for @ms. */
void          sync_spin                 (guint         ms);

/* Test records. */
CrmRecord    *sync_fields               (CrmEntityKind kind,
                                         ...) G_GNUC_NULL_TERMINATED;
/* A replica row's field as wire text (NULL if absent or null). */
char         *sync_field                (SyncClient   *client,
                                         CrmEntityKind kind,
                                         const char   *id,
                                         const char   *field);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SyncCluster, sync_cluster_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SyncClient, sync_client_free)

G_END_DECLS

G_BEGIN_DECLS

/*
 * A TCP relay in front of one server, on its own threads: bytes pass unchanged (TLS
 * is end to end). Armed, it cuts the next connection that starts to answer, before a
 * single byte of the answer reaches the client: the server has done the work, the
 * client never hears of it.
 */
typedef struct _SyncProxy SyncProxy;

SyncProxy    *sync_proxy_new            (guint         target_port);
const char   *sync_proxy_url            (SyncProxy    *self);
void          sync_proxy_arm_cut        (SyncProxy    *self);
guint         sync_proxy_get_cuts       (SyncProxy    *self);
void          sync_proxy_free           (SyncProxy    *self);
guint         sync_cluster_port         (SyncCluster  *self,
                                         guint         server);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SyncProxy, sync_proxy_free)

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "crm-test-pg.h"
#include "crm-test-server.h"

G_BEGIN_DECLS

/*
 * The REST tests' fixture: one throwaway PostgreSQL cluster, migrated, and the real
 * server binary over TLS against it. Accounts are made straight in the database (the
 * store's crm_store_create_user), everything else goes through HTTPS.
 */
typedef struct
{
  CrmTestPg     *pg;
  CrmTestServer *server;
  SoupSession   *session;
} ApiFixture;

typedef struct
{
  guint       status;
  char       *content_type;
  char       *etag;
  char       *location;
  char       *retry_after;
  GBytes     *body;
  JsonNode   *root;
  JsonObject *json;   /* when the body is a JSON object */
} Reply;

void        reply_clear (Reply *reply);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Reply, reply_clear)

/* Starts PostgreSQL (fatal if it cannot), migrates, starts the server. */
void        api_fixture_start (ApiFixture *fixture,
                               const char *extra_config);
void        api_fixture_stop (ApiFixture *fixture);
/* A direct connection to the test database (for checks "nothing was written"). */
gint64      api_fixture_count (ApiFixture *fixture,
                               const char *sql);

/* A user with the strong test password; returns its id. */
char       *api_create_user (ApiFixture *fixture,
                             const char *email,
                             const char *role,
                             const char *team_id);
char       *api_create_team (ApiFixture *fixture,
                             const char *name);
#define API_PASSWORD "Tournesol-Marine-47"

/* The whole exchange: method, path, optional bearer token, JSON body text and extra
 * headers (name, value, …, NULL). */
void        api_request (ApiFixture *fixture,
                         const char *method,
                         const char *path,
                         const char *token,
                         const char *body,
                         Reply      *reply,
                         ...) G_GNUC_NULL_TERMINATED;
/* POST /auth/login; returns the access token (and the refresh token in *refresh). */
char       *api_login (ApiFixture *fixture,
                       const char *email,
                       char      **refresh);

/* Asserts a problem+json answer with this status (and a French title). */
void        assert_problem (Reply      *reply,
                            guint       status);
const char *reply_string (Reply      *reply,
                          const char *member);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "store-test"

#include "config.h"

#include <stdarg.h>

#include "store-test.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

static CrmTestPg *cluster;
static char *template_conninfo;
static guint n_databases;

CrmTestPg *
store_test_cluster (void)
{
  g_autoptr(GError) error = NULL;

  if (cluster != NULL)
    return cluster;

  /* No skipping: a machine that cannot run PostgreSQL cannot pass these tests. */
  cluster = crm_test_pg_start (&error);
  g_assert_no_error (error);
  g_assert_nonnull (cluster);
  return cluster;
}

void
store_test_shutdown (void)
{
  g_clear_pointer (&cluster, crm_test_pg_stop);
  g_clear_pointer (&template_conninfo, g_free);
}

PGconn *
store_test_connect (const char *conninfo)
{
  PGconn *conn = PQconnectdb (conninfo);

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("connexion à %s : %s", conninfo, PQerrorMessage (conn));
  return conn;
}

void
store_test_exec (PGconn     *conn,
                 const char *sql)
{
  g_autoptr(PGresult) result = PQexec (conn, sql);

  if (PQresultStatus (result) != PGRES_COMMAND_OK && PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s : %s", sql, PQresultErrorMessage (result));
}

char *
store_test_value (PGconn     *conn,
                  const char *sql,
                  const char *param)
{
  const char *values[] = { param };
  g_autoptr(PGresult) result = PQexecParams (conn, sql, param != NULL ? 1 : 0, NULL, values,
                                             NULL, NULL, 0);

  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s : %s", sql, PQresultErrorMessage (result));
  if (PQntuples (result) == 0 || PQgetisnull (result, 0, 0))
    return NULL;
  return g_strdup (PQgetvalue (result, 0, 0));
}

gint64
store_test_count (PGconn     *conn,
                  const char *sql,
                  const char *param)
{
  g_autofree char *value = store_test_value (conn, sql, param);

  g_assert_nonnull (value);
  return g_ascii_strtoll (value, NULL, 10);
}

/* Migrating takes a while; copying a migrated template is a file copy. */
static void
ensure_template (void)
{
  g_autoptr(GError) error = NULL;
  PGconn *conn;

  if (template_conninfo != NULL)
    return;

  crm_test_pg_create_database (store_test_cluster (), "crm_template", &template_conninfo, &error);
  g_assert_no_error (error);
  conn = store_test_connect (template_conninfo);
  crm_pg_migrate (conn, &error);
  g_assert_no_error (error);
  PQfinish (conn);
}

char *
store_test_new_database (gboolean migrated)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("crm_test_%u", ++n_databases);
  g_autofree char *sql = NULL;
  char *conninfo = NULL;
  PGconn *admin;

  if (!migrated)
    {
      crm_test_pg_create_database (store_test_cluster (), name, &conninfo, &error);
      g_assert_no_error (error);
      return conninfo;
    }

  ensure_template ();
  admin = store_test_connect (crm_test_pg_get_conninfo (store_test_cluster ()));
  sql = g_strdup_printf ("CREATE DATABASE %s TEMPLATE crm_template", name);
  store_test_exec (admin, sql);
  PQfinish (admin);
  /* libpq takes the last of a repeated keyword: the cluster's, with our dbname. */
  return g_strdup_printf ("%s dbname=%s", crm_test_pg_get_conninfo (store_test_cluster ()), name);
}

CrmActor *
store_test_add_user (PGconn     *conn,
                     CrmRole     role,
                     const char *team_id,
                     const char *client_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *email = g_strdup_printf ("%s-%.8s@alforis.test", crm_role_to_string (role), id);
  const char *values[] = { id, email, crm_role_to_string (role), team_id };
  PGresult *result;
  CrmActor *actor;

  result = PQexecParams (conn,
                         "INSERT INTO users (id, email, display_name, password_hash, role, team_id)"
                         " VALUES ($1, $2, 'Test', '$scrypt$placeholder', $3, $4)",
                         4, NULL, values, NULL, NULL, 0);
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_COMMAND_OK);
  PQclear (result);

  actor = crm_store_load_actor (conn, id, client_id, &error);
  g_assert_no_error (error);
  return actor;
}

void
store_fixture_setup (StoreFixture  *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->conninfo = store_test_new_database (TRUE);
  fixture->conn = store_test_connect (fixture->conninfo);
  fixture->team_a = crm_store_create_team (fixture->conn, NULL, "Équipe Lyon", &error);
  g_assert_no_error (error);
  fixture->team_b = crm_store_create_team (fixture->conn, NULL, "Équipe Paris", &error);
  g_assert_no_error (error);

  fixture->admin = store_test_add_user (fixture->conn, CRM_ROLE_ADMIN, NULL, NULL);
  fixture->manager = store_test_add_user (fixture->conn, CRM_ROLE_MANAGER, fixture->team_a, NULL);
  fixture->user = store_test_add_user (fixture->conn, CRM_ROLE_USER, fixture->team_a, NULL);
  fixture->user2 = store_test_add_user (fixture->conn, CRM_ROLE_USER, fixture->team_a, NULL);
  fixture->other = store_test_add_user (fixture->conn, CRM_ROLE_USER, fixture->team_b, NULL);
  fixture->viewer = store_test_add_user (fixture->conn, CRM_ROLE_VIEWER, fixture->team_a, NULL);
}

void
store_fixture_teardown (StoreFixture  *fixture,
                        gconstpointer  data)
{
  g_clear_pointer (&fixture->conn, PQfinish);
  g_clear_pointer (&fixture->conninfo, g_free);
  g_clear_pointer (&fixture->team_a, g_free);
  g_clear_pointer (&fixture->team_b, g_free);
  g_clear_pointer (&fixture->admin, crm_actor_free);
  g_clear_pointer (&fixture->manager, crm_actor_free);
  g_clear_pointer (&fixture->user, crm_actor_free);
  g_clear_pointer (&fixture->user2, crm_actor_free);
  g_clear_pointer (&fixture->other, crm_actor_free);
  g_clear_pointer (&fixture->viewer, crm_actor_free);
}

CrmRecord *
store_test_fields (CrmEntityKind kind,
                   ...)
{
  CrmRecord *record = crm_record_new_for_kind (kind);
  const char *field;
  va_list args;

  va_start (args, kind);
  while ((field = va_arg (args, const char *)) != NULL)
    {
      const char *text = va_arg (args, const char *);
      g_autoptr(GError) error = NULL;

      crm_record_set_from_text (record, field, text, &error);
      g_assert_no_error (error);
    }
  va_end (args);
  return record;
}

CrmMutationResult *
store_test_mutate (PGconn          *conn,
                   const CrmActor  *actor,
                   CrmMutationKind  kind,
                   CrmEntityKind    entity,
                   const char      *id,
                   gint64           base_version,
                   CrmRecord       *fields)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRecord) owned = fields;
  g_autofree char *op_id = g_uuid_string_random ();
  CrmMutation op = { op_id, entity, id, kind, base_version, owned };
  CrmMutationResult *result = NULL;

  g_assert_true (crm_store_mutate (conn, actor, &op, &result, &error));
  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

char *
store_test_create (PGconn         *conn,
                   const CrmActor *actor,
                   CrmRecord      *fields)
{
  CrmEntityKind kind = crm_record_get_entity (fields)->kind;
  g_autoptr(CrmMutationResult) result =
    store_test_mutate (conn, actor, CRM_MUTATION_CREATE, kind, NULL, 0, fields);

  if (result->problem != NULL)
    g_error ("création refusée : %s", result->problem->detail);
  g_assert_cmpint (result->status, ==, CRM_MUTATION_APPLIED);
  return g_strdup (result->id);
}

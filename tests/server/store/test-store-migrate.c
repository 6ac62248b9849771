/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-store-migrate"

#include "config.h"

#include <string.h>

#include "store-test.h"
#include "store-test-migrations.h"
#include "crm-pg-migrate.h"
#include "crm-server-migrations.h"

typedef struct
{
  PGconn *conn;
} Empty;

static void
empty_setup (Empty         *fixture,
             gconstpointer  data)
{
  g_autofree char *conninfo = store_test_new_database (FALSE);

  fixture->conn = store_test_connect (conninfo);
}

static void
empty_teardown (Empty         *fixture,
                gconstpointer  data)
{
  g_clear_pointer (&fixture->conn, PQfinish);
}

static gboolean
migrate_test (PGconn     *conn,
              const char *path,
              guint      *n_applied,
              GError    **error)
{
  return crm_pg_migrate_from (conn, store_test_migrations_get_resource (), path, n_applied, error);
}

static void
test_order_and_record (Empty         *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *names = NULL;
  guint n = 0;

  migrate_test (fixture->conn, "/test/migrations/order/", &n, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 3);

  names = store_test_value (fixture->conn,
                            "SELECT string_agg (version || ':' || name, ',' ORDER BY applied_at, version)"
                            " FROM schema_migrations", NULL);
  g_assert_cmpstr (names, ==, "1:0001_create.sql,2:0002_insert.sql,10:0010_alter.sql");
  g_assert_cmpint (crm_pg_schema_version (fixture->conn, NULL), ==, 10);
  g_assert_cmpint (store_test_count (fixture->conn, "SELECT sum (b) FROM t1", NULL), ==, 20);
}

static void
test_rerun_is_noop (Empty         *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint n = 99;

  g_assert_true (migrate_test (fixture->conn, "/test/migrations/order/", &n, &error));
  g_assert_true (migrate_test (fixture->conn, "/test/migrations/order/", &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpint (store_test_count (fixture->conn, "SELECT count (*) FROM t1", NULL), ==, 2);
  g_assert_cmpint (store_test_count (fixture->conn, "SELECT count (*) FROM schema_migrations",
                                     NULL), ==, 3);
}

static void
test_refuses_newer (Empty         *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint n = 0;

  store_test_exec (fixture->conn,
                   "CREATE TABLE schema_migrations (version bigint PRIMARY KEY, name text NOT NULL,"
                   " applied_at timestamptz NOT NULL DEFAULT now ());"
                   "INSERT INTO schema_migrations VALUES (11, '0011_from_the_future.sql')");

  g_assert_false (migrate_test (fixture->conn, "/test/migrations/order/", &n, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_SCHEMA_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "11"));
  g_assert_cmpuint (n, ==, 0);
  g_assert_null (store_test_value (fixture->conn, "SELECT to_regclass ('t1')::text", NULL));
}

static void
test_failure_rolls_back_that_file (Empty         *fixture,
                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *f1 = NULL;
  guint n = 0;

  g_assert_false (migrate_test (fixture->conn, "/test/migrations/failing/", &n, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_MIGRATION);
  g_assert_nonnull (strstr (error->message, "0002_bad.sql"));
  g_assert_cmpuint (n, ==, 1);
  /* The first file stays, the failing one left nothing, not even its first statement. */
  g_assert_cmpint (crm_pg_schema_version (fixture->conn, NULL), ==, 1);
  f1 = store_test_value (fixture->conn, "SELECT to_regclass ('f1')::text", NULL);
  g_assert_cmpstr (f1, ==, "f1");
  g_assert_null (store_test_value (fixture->conn, "SELECT to_regclass ('f2')::text", NULL));
  g_assert_cmpint (PQtransactionStatus (fixture->conn), ==, PQTRANS_IDLE);
}

typedef struct
{
  char     *conninfo;
  gboolean  ok;
  char     *message;
} Racer;

static gpointer
race (gpointer data)
{
  Racer *racer = data;
  g_autoptr(GError) error = NULL;
  PGconn *conn = store_test_connect (racer->conninfo);

  racer->ok = crm_pg_migrate (conn, &error);
  racer->message = error != NULL ? g_strdup (error->message) : NULL;
  PQfinish (conn);
  return NULL;
}

/* The real migrations compiled into the store: how many, and the newest number. */
static guint
compiled_migrations (gint64 *newest)
{
  g_auto (GStrv) names = g_resource_enumerate_children (crm_server_migrations_get_resource (),
                                                        CRM_PG_MIGRATIONS_PATH,
                                                        G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  guint count = 0;

  *newest = 0;
  for (guint i = 0; names != NULL && names[i] != NULL; i++, count++)
    *newest = MAX (*newest, g_ascii_strtoll (names[i], NULL, 10));
  return count;
}

static void
test_concurrent_instances (Empty         *fixture,
                           gconstpointer  data)
{
  g_autofree char *conninfo = g_strdup (PQdb (fixture->conn));
  g_autofree char *full = NULL;
  Racer racers[2] = { { 0 } };
  GThread *threads[2];
  gint64 newest = 0;

  compiled_migrations (&newest);

  full = g_strdup_printf ("%s dbname=%s", crm_test_pg_get_conninfo (store_test_cluster ()),
                          conninfo);
  for (guint i = 0; i < 2; i++)
    {
      racers[i].conninfo = full;
      threads[i] = g_thread_new ("migrate", race, &racers[i]);
    }
  for (guint i = 0; i < 2; i++)
    {
      g_thread_join (threads[i]);
      g_assert_cmpstr (racers[i].message, ==, NULL);
      g_assert_true (racers[i].ok);
    }

  /* Every migration once, whoever applied it. */
  g_assert_cmpint (store_test_count (fixture->conn,
                                     "SELECT count (*) - count (DISTINCT version)"
                                     " FROM schema_migrations", NULL), ==, 0);
  g_assert_cmpint (crm_pg_schema_version (fixture->conn, NULL), ==, newest);
}

static void
test_real_schema_twice (Empty         *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 newest = 0;
  guint n_migrations = compiled_migrations (&newest);

  g_assert_true (crm_pg_migrate (fixture->conn, &error));
  g_assert_no_error (error);
  g_assert_cmpint (crm_pg_schema_version (fixture->conn, NULL), ==, newest);
  g_assert_true (crm_pg_migrate (fixture->conn, &error));
  g_assert_no_error (error);
  g_assert_cmpint (store_test_count (fixture->conn, "SELECT count (*) FROM schema_migrations",
                                     NULL), ==, n_migrations);
  g_assert_cmpint (store_test_count (fixture->conn, "SELECT seq FROM sync_counter", NULL), ==, 0);
}

/* information_schema's udt_name for each type crm-pg-sql.c gives a field. */
static const char *
udt_for (const CrmFieldInfo *field)
{
  switch (field->type)
    {
    case CRM_FIELD_UUID:
      return "uuid";
    case CRM_FIELD_INT:
      return "int8";
    case CRM_FIELD_DECIMAL:
      return "numeric";
    case CRM_FIELD_BOOL:
      return "bool";
    case CRM_FIELD_DATE:
      return "date";
    case CRM_FIELD_DATETIME:
      return "timestamptz";
    case CRM_FIELD_TAGS:
      return "_text";
    case CRM_FIELD_UUID_LIST:
      return "_uuid";
    case CRM_FIELD_TEXT:
    case CRM_FIELD_LONGTEXT:
    case CRM_FIELD_ENUM:
    case CRM_FIELD_EMAIL:
    case CRM_FIELD_URL:
    case CRM_FIELD_PHONE:
    case CRM_FIELD_COUNTRY:
    case CRM_FIELD_LANGUAGE:
    case CRM_FIELD_MANDAT_NUMBER:
    default:
      return "text";
    }
}

static void
test_columns_match_core (Empty         *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint checked = 0;

  g_assert_true (crm_pg_migrate (fixture->conn, &error));

  for (guint k = 0; k < CRM_N_ENTITIES; k++)
    {
      const CrmEntityInfo *entity = crm_entity_get (k);

      for (guint i = 0; i < entity->n_fields; i++)
        {
          const CrmFieldInfo *field = &entity->fields[i];
          g_autofree char *column = g_strdup_printf ("%s.%s", entity->collection, field->name);
          g_autofree char *udt = store_test_value (fixture->conn,
                                                   "SELECT udt_name FROM information_schema.columns"
                                                   " WHERE table_schema = 'public'"
                                                   " AND table_name || '.' || column_name = $1",
                                                   column);

          g_test_message ("%s: %s", column, udt);
          g_assert_cmpstr (udt, ==, udt_for (field));
          checked++;
        }
    }
  g_assert_cmpuint (checked, >, 90);
}

static void
test_permission_seed_equals_core (Empty         *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CrmPermissionMatrix stored;
  CrmPermissionMatrix core;
  guint allowed = 0;

  g_assert_true (crm_pg_migrate (fixture->conn, &error));
  g_assert_true (crm_store_load_matrix (fixture->conn, &stored, &error));
  g_assert_no_error (error);
  crm_permission_matrix_init_default (&core);

  for (guint role = 0; role < CRM_N_ROLES; role++)
    {
      g_assert_cmpint (stored.scope[role], ==, core.scope[role]);
      for (guint resource = 0; resource < CRM_N_RESOURCES; resource++)
        for (guint action = 0; action < CRM_N_ACTIONS; action++)
          {
            gboolean want = crm_permission_allows (&core, role, resource, action);
            gboolean have = crm_permission_allows (&stored, role, resource, action);

            if (want != have)
              g_error ("%s × %s × %s : migration %d, core %d", crm_role_to_string (role),
                       crm_resource_to_string (resource), crm_action_to_string (action), have, want);
            allowed += want;
          }
    }
  /* Also straight from the table, so a loader that forgot rows cannot hide a gap. */
  g_assert_cmpint (store_test_count (fixture->conn, "SELECT count (*) FROM permissions", NULL), ==,
                   allowed);
  g_assert_cmpint (store_test_count (fixture->conn,
                                     "SELECT level FROM roles WHERE name = 'manager'", NULL), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Empty, NULL, empty_setup, func, empty_teardown)
  ADD ("/store/migrate/applies-in-name-order-and-records", test_order_and_record);
  ADD ("/store/migrate/rerun-applies-nothing", test_rerun_is_noop);
  ADD ("/store/migrate/refuses-newer-database", test_refuses_newer);
  ADD ("/store/migrate/failing-file-rolled-back-whole", test_failure_rolls_back_that_file);
  ADD ("/store/migrate/two-instances-at-once", test_concurrent_instances);
  ADD ("/store/migrate/real-schema-twice", test_real_schema_twice);
  ADD ("/store/schema/columns-match-core", test_columns_match_core);
  ADD ("/store/schema/permission-seed-equals-core-matrix", test_permission_seed_equals_core);
#undef ADD

  status = g_test_run ();
  store_test_shutdown ();
  return status;
}

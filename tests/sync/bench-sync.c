/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-sync"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "sync-harness.h"

/*
 * `make bench` for sync (issue 5), over loopback TLS against the real server:
 *
 *  (a) the first sync of BENCH_SYNC_ORGS organisations (100,000) with three people and
 *      three links each into an empty replica: rows/s, CPU of the app and of the
 *      server, and the app's resident memory at every tenth of the download;
 *  (b) push throughput: BENCH_SYNC_PUSH (10,000) updates queued offline, then sent;
 *  (c) poke-to-visible latency: client A edits and pushes, client B (WebSocket) has
 *      the value in its replica; p50/p95 over BENCH_SYNC_TRIALS (100) trials.
 *
 * The server's PostgreSQL is seeded with INSERT … SELECT generate_series from rows
 * made through the real mutation path (one organisation, person and link pushed by a
 * client): every column, the field stamps and the change log row (visibility before
 * and after) as that path writes them, only ids, names and sequence numbers vary. A
 * pull of a seeded row is checked against a pull of its template before timing.
 */

static SyncCluster *cluster;

/* ---- measures ------------------------------------------------------------------------ */

static double
cpu_seconds_self (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec
         + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static double
cpu_seconds_of (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *text = NULL;
  g_auto (GStrv) fields = NULL;
  const char *after;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (after = strrchr (text, ')')) == NULL)
    return 0;
  fields = g_strsplit (after + 2, " ", 0);
  /* Fields 14 and 15 of proc(5), counted from the state (field 3) here. */
  if (g_strv_length (fields) < 13)
    return 0;
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL))
         / (double) sysconf (_SC_CLK_TCK);
}

/* The CPU of the PostgreSQL cluster: every process of its postmaster (found from this
 * connection's backend), the exited ones included. */
static double
cpu_seconds_postgres (void)
{
  g_autofree char *backend = sync_cluster_value (cluster, "SELECT pg_backend_pid ()::text", NULL);
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", backend);
  g_autofree char *text = NULL;
  g_autoptr (GDir) proc = NULL;
  g_auto (GStrv) fields = NULL;
  const char *name, *after;
  long postmaster;
  double total = 0;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (after = strrchr (text, ')')) == NULL)
    return 0;
  fields = g_strsplit (after + 2, " ", 0);
  postmaster = strtol (fields[1], NULL, 10);
  g_clear_pointer (&fields, g_strfreev);
  g_clear_pointer (&text, g_free);

  proc = g_dir_open ("/proc", 0, NULL);
  while (proc != NULL && (name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *stat = g_strdup_printf ("/proc/%s/stat", name);
      g_autofree char *content = NULL;
      g_auto (GStrv) parts = NULL;
      const char *close;
      long pid = strtol (name, NULL, 10);

      if (pid <= 0 || !g_file_get_contents (stat, &content, NULL, NULL)
          || (close = strrchr (content, ')')) == NULL)
        continue;
      parts = g_strsplit (close + 2, " ", 0);
      if (g_strv_length (parts) < 15)
        continue;
      if (pid == postmaster)
        /* Its own time and that of its children that have exited. */
        total += g_ascii_strtod (parts[11], NULL) + g_ascii_strtod (parts[12], NULL)
                 + g_ascii_strtod (parts[13], NULL) + g_ascii_strtod (parts[14], NULL);
      else if (strtol (parts[1], NULL, 10) == postmaster)
        total += g_ascii_strtod (parts[11], NULL) + g_ascii_strtod (parts[12], NULL);
    }
  return total / (double) sysconf (_SC_CLK_TCK);
}

static gint64
status_kib (const char *name)
{
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &text, NULL, NULL)
      || (line = strstr (text, name)) == NULL)
    return -1;
  return g_ascii_strtoll (line + strlen (name) + 1, NULL, 10);
}

static char *
load_average (void)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) parts = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return g_strdup ("?");
  parts = g_strsplit (text, " ", 4);
  return g_strdup_printf ("%s %s %s", parts[0], parts[1], parts[2]);
}

static guint
env_uint (const char *name,
          guint       fallback)
{
  const char *text = g_getenv (name);

  return text != NULL && *text != '\0' ? (guint) g_ascii_strtoull (text, NULL, 10) : fallback;
}

/* ---- seeding ------------------------------------------------------------------------- */

static void
exec_ok (const char  *sql,
         int          n_params,
         const char **params)
{
  PGresult *result = PQexecParams (sync_cluster_db (cluster), sql, n_params, NULL, params, NULL,
                                   NULL, 0);
  ExecStatusType status = PQresultStatus (result);

  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    g_error ("%s\n%s", sql, PQresultErrorMessage (result));
  PQclear (result);
}

/* An id as the app makes them (UUIDv7 layout, lower case), from @kind and the row number. */
#define BENCH_UUID(kind, g) \
  "(substr (md5 ('" kind "' || " g "), 1, 12) || '7' || substr (md5 ('" kind "' || " g "), 14, 3)" \
  " || '8' || substr (md5 ('" kind "' || " g "), 18, 15))"
#define AS_UUID(hex) \
  "(substr (" hex ", 1, 8) || '-' || substr (" hex ", 9, 4) || '-' || substr (" hex ", 13, 4)" \
  " || '-' || substr (" hex ", 17, 4) || '-' || substr (" hex ", 21, 12))::uuid"

/*
 * n rows of @table copied from the row @template, with the columns of @overrides
 * (NULL-terminated pairs: column, SQL expression of g, the row number from 1, and
 * base, its sequence number minus g) and the stamps and change log a create at that
 * sequence number writes.
 */
static void
seed_table (const char  *table,
            const char  *entity,
            const char  *template_id,
            guint        n,
            gint64       base,
            const char **overrides)
{
  g_autoptr (GString) columns = g_string_new (NULL);
  g_autoptr (GString) values = g_string_new (NULL);
  g_autofree char *sql = NULL;
  g_autofree char *base_text = g_strdup_printf ("%" G_GINT64_FORMAT, base);
  g_autofree char *n_text = g_strdup_printf ("%u", n);
  const char *params[] = { table, template_id, base_text, n_text, entity };
  PGresult *result;

  result = PQexecParams (sync_cluster_db (cluster),
                         "SELECT column_name FROM information_schema.columns WHERE table_name = $1"
                         " AND is_generated = 'NEVER' ORDER BY ordinal_position",
                         1, NULL, params, NULL, NULL, 0);
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  for (int i = 0; i < PQntuples (result); i++)
    {
      const char *column = PQgetvalue (result, i, 0);
      const char *expression = NULL;

      for (guint k = 0; overrides[k] != NULL; k += 2)
        if (g_str_equal (overrides[k], column))
          expression = overrides[k + 1];
      if (expression == NULL && (g_str_equal (column, "version")
                                 || g_str_equal (column, "created_seq")))
        expression = "$3::bigint + g";
      if (expression == NULL && g_str_equal (column, "stamps"))
        /* Every field stamped at the row's own sequence number, as a create does. */
        expression = "(SELECT jsonb_object_agg (k, jsonb_set (v, '{v}', to_jsonb ($3::bigint + g)))"
                     " FROM jsonb_each (tpl.stamps) AS e (k, v))";
      g_string_append_printf (columns, "%s%s", i > 0 ? ", " : "", column);
      g_string_append_printf (values, "%s%s", i > 0 ? ", " : "",
                              expression != NULL ? expression : "tpl.");
      if (expression == NULL)
        g_string_append (values, column);
    }
  PQclear (result);

  /* Table and column names come from the catalog and this file, never from input. */
  sql = g_strdup_printf ("INSERT INTO %s (%s) SELECT %s FROM generate_series (1, $4::int) g,"
                         " %s tpl WHERE tpl.id = $2::uuid AND $5::text IS NOT NULL AND $1::text IS NOT NULL",
                         table, columns->str, values->str, table);
  exec_ok (sql, 5, params);
  g_free (sql);
  sql = g_strdup_printf ("INSERT INTO change_log (seq, entity, entity_id, kind, version, deleted,"
                         " owner_before, team_before, assignee_before, owner_after, team_after,"
                         " assignee_after, user_id, client_id, committed_at)"
                         " SELECT t.created_seq, c.entity, t.id, 'create', t.created_seq, t.deleted,"
                         " NULL, NULL, NULL, t.owner_id, t.team_id, c.assignee_after, c.user_id,"
                         " c.client_id, c.committed_at FROM %s t, change_log c"
                         " WHERE c.entity_id = $2::uuid AND c.kind = 'create'"
                         " AND t.created_seq > $3::bigint AND t.created_seq <= $3::bigint + $4::int"
                         " AND $1::text IS NOT NULL AND $5::text = c.entity",
                         table);
  exec_ok (sql, 5, params);
}

typedef struct
{
  char *org, *person, *link;
} Templates;

static void
make_templates (const char *email,
                Templates  *out)
{
  g_autoptr (SyncClient) writer = sync_client_new (cluster, sync_cluster_url (cluster, 0), email);
  g_autoptr (CrmRecord) org_fields = sync_fields (CRM_ENTITY_ORGANISATION, "name", "Gabarit SA",
                                                  "type", "investor", "category", "cgpi",
                                                  "pipeline_stage", "qualified", "city", "Lyon",
                                                  "country", "FR", "email",
                                                  "contact@gabarit.fr", "aum_eur", "125000000",
                                                  "notes", "Client historique, revue annuelle.",
                                                  NULL);
  g_autoptr (CrmRecord) org = crm_replica_create (writer->replica, org_fields, NULL);
  g_autoptr (CrmRecord) person_fields = sync_fields (CRM_ENTITY_PERSON, "first_name", "Camille",
                                                     "last_name", "Gabarit", "job_title",
                                                     "Directrice financière", "personal_email",
                                                     "camille@gabarit.fr", "language", "fr",
                                                     NULL);
  g_autoptr (CrmRecord) person = crm_replica_create (writer->replica, person_fields, NULL);
  g_autoptr (CrmRecord) link_fields = NULL;
  g_autoptr (CrmRecord) link = NULL;

  g_assert_nonnull (org);
  g_assert_nonnull (person);
  link_fields = sync_fields (CRM_ENTITY_LINK, "person_id", crm_record_get_string (person, "id"),
                             "organisation_id", crm_record_get_string (org, "id"), "role",
                             "Directrice financière", "work_email", "c.gabarit@gabarit.fr",
                             "is_primary", "true", NULL);
  link = crm_replica_create (writer->replica, link_fields, NULL);
  g_assert_nonnull (link);
  sync_client_settle (writer, 5);
  out->org = g_strdup (crm_record_get_string (org, "id"));
  out->person = g_strdup (crm_record_get_string (person, "id"));
  out->link = g_strdup (crm_record_get_string (link, "id"));
}

static void
seed (const Templates *t,
      guint            n_orgs)
{
  g_autofree char *total = g_strdup_printf ("%u", n_orgs * 7);
  const char *params[] = { total };
  g_autofree char *base_text = NULL;
  gint64 base;
  PGresult *result;
  const char *org_overrides[] = {
    "id", AS_UUID (BENCH_UUID ("o", "g")),
    "name", "'Société ' || g || CASE g % 4 WHEN 0 THEN ' Gestion' WHEN 1 THEN ' Patrimoine'"
            " WHEN 2 THEN ' Finance' ELSE ' Conseil' END",
    "city", "(ARRAY['Paris','Lyon','Marseille','Bordeaux','Lille','Nantes','Toulouse'])[1 + g % 7]",
    NULL,
  };
  const char *person_overrides[] = {
    "id", AS_UUID (BENCH_UUID ("p", "g")),
    "first_name", "(ARRAY['Camille','Louis','Chloé','Hugo','Léa','Jules','Inès'])[1 + g % 7]",
    "last_name", "'Martin-' || g",
    "personal_email", "'p' || g || '@exemple.fr'",
    NULL,
  };
  g_autofree char *n_text = g_strdup_printf ("%u", n_orgs);
  g_autoptr (GString) link_org = g_string_new (AS_UUID (BENCH_UUID ("o", "(1 + (g - 1) % NORGS)")));
  const char *link_overrides[] = {
    "id", AS_UUID (BENCH_UUID ("l", "g")),
    "person_id", AS_UUID (BENCH_UUID ("p", "g")),
    "organisation_id", NULL,
    "work_email", "'w' || g || '@exemple.fr'",
    NULL,
  };

  g_string_replace (link_org, "NORGS", n_text, 0);
  link_overrides[5] = link_org->str;
  exec_ok ("BEGIN", 0, NULL);
  /* The numbers, taken as a writer takes them: no pull can pass them before commit. */
  result = PQexecParams (sync_cluster_db (cluster),
                         "UPDATE sync_counter SET seq = seq + $1::bigint WHERE id = 1"
                         " RETURNING seq - $1::bigint", 1, NULL, params, NULL, NULL, 0);
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  base = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
  PQclear (result);
  seed_table ("organisations", "organisation", t->org, n_orgs, base, org_overrides);
  seed_table ("people", "person", t->person, n_orgs * 3, base + n_orgs, person_overrides);
  seed_table ("links", "link", t->link, n_orgs * 3, base + n_orgs * 4,
              link_overrides);
  exec_ok ("COMMIT", 0, NULL);
  exec_ok ("ANALYZE change_log", 0, NULL);
  exec_ok ("ANALYZE organisations", 0, NULL);
  exec_ok ("ANALYZE people", 0, NULL);
  exec_ok ("ANALYZE links", 0, NULL);
  base_text = g_strdup_printf ("%" G_GINT64_FORMAT, base);
  g_printerr ("# seeded %u rows from sequence %s\n", n_orgs * 7, base_text);
}

static void on_called (GObject *source, GAsyncResult *result, gpointer user_data);

/* ---- (a) the first sync -------------------------------------------------------------- */

typedef struct
{
  guint  next_tenth;
  gint64 rss[11];
} Memory;

static void
on_progress (GObject    *status,
             GParamSpec *pspec,
             gpointer    user_data)
{
  Memory *memory = user_data;
  double progress = crm_sync_status_get_progress (CRM_SYNC_STATUS (status));

  while (memory->next_tenth <= 10 && progress >= memory->next_tenth / 10.0)
    memory->rss[memory->next_tenth++] = status_kib ("VmRSS:");
}

/* The rows of the replica's three tables. */
static gint64
replica_rows (CrmReplica *replica)
{
  gint64 total = 0;
  CrmEntityKind kinds[] = { CRM_ENTITY_ORGANISATION, CRM_ENTITY_PERSON, CRM_ENTITY_LINK };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr (CrmReplicaQuery) query = crm_replica_query_new (kinds[i]);

      total += crm_replica_count (replica, query, NULL);
    }
  return total;
}

static void
bench_initial_sync (const char *email,
                    guint       n_orgs,
                    guint       page)
{
  g_autoptr (SyncClient) reader = sync_client_new (cluster, sync_cluster_url (cluster, 0), email);
  g_autofree char *load_before = load_average ();
  g_autofree char *load_after = NULL;
  Memory memory = { 0 };
  gint64 start, rows;
  double wall, cpu, server_cpu, cpu_start = cpu_seconds_self ();
  double server_start = cpu_seconds_of (sync_cluster_pid (cluster, 0));
  double pg_cpu, pg_start = cpu_seconds_postgres ();

  crm_sync_engine_set_page_size (reader->engine, page);
  /* BENCH_SYNC_INITIAL_LOAD=0: page by page (the engine's own memory, without the load's
   * cache for its index builds). */
  crm_sync_engine_set_initial_load (reader->engine, env_uint ("BENCH_SYNC_INITIAL_LOAD", 1) != 0);
  memory.rss[0] = status_kib ("VmRSS:");
  memory.next_tenth = 1;
  g_signal_connect (crm_sync_engine_get_status (reader->engine), "notify::progress",
                    G_CALLBACK (on_progress), &memory);
  start = g_get_monotonic_time ();
  {
    /* One round, however long it takes (sync_client_settle gives up after 120 s). */
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (GError) error = NULL;

    crm_sync_engine_sync_async (reader->engine, NULL, on_called, &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    crm_sync_engine_sync_finish (reader->engine, result, &error);
    g_assert_no_error (error);
  }
  wall = (g_get_monotonic_time () - start) / 1e6;
  cpu = cpu_seconds_self () - cpu_start;
  server_cpu = cpu_seconds_of (sync_cluster_pid (cluster, 0)) - server_start;
  pg_cpu = cpu_seconds_postgres () - pg_start;
  g_signal_handlers_disconnect_by_data (crm_sync_engine_get_status (reader->engine), &memory);
  /* The last page ends the progress: the tenths it jumped over get the final value. */
  while (memory.next_tenth <= 10)
    memory.rss[memory.next_tenth++] = status_kib ("VmRSS:");
  load_after = load_average ();

  rows = replica_rows (reader->replica);
  g_assert_cmpint (rows, >=, (gint64) n_orgs * 7);
  printf ("initial sync: %" G_GINT64_FORMAT " rows in %.1f s = %.0f rows/s"
          " (app CPU %.1f s = %.0f rows per CPU s; server CPU %.1f s; PostgreSQL CPU %.1f s),"
          " page %u, load %s -> %s\n",
          rows, wall, rows / wall, cpu, rows / cpu, server_cpu, pg_cpu, page, load_before,
          load_after);
  printf ("initial sync RSS (MiB) at 0,10..100 %%:");
  for (guint i = 0; i <= 10; i++)
    printf (" %.0f", memory.rss[i] / 1024.0);
  printf ("; peak (VmHWM) %.0f MiB; %s\n", status_kib ("VmHWM:") / 1024.0,
          env_uint ("BENCH_SYNC_INITIAL_LOAD", 1) != 0 ? "initial load" : "page by page");
  fflush (stdout);
}

/* ---- the seed is what the mutation path writes ---------------------------------------- */

static void
on_called (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The pull page's data of the row changed at @seq. */
static JsonObject *
pull_row (SyncClient *client,
          const char *seq)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/sync/pull?cursor=%" G_GINT64_FORMAT
                                           "&limit=1&protocol=%d&app_version=%s",
                                           g_ascii_strtoll (seq, NULL, 10) - 1, CRM_SYNC_PROTOCOL,
                                           PACKAGE_VERSION);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (JsonNode) page = NULL;
  g_autoptr (GError) error = NULL;
  JsonArray *changes;

  crm_sync_engine_call_async (client->engine, "GET", path, NULL, NULL, on_called, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  page = crm_sync_engine_call_finish (client->engine, result, NULL, &error);
  g_assert_no_error (error);
  changes = json_object_get_array_member (json_node_get_object (page), "changes");
  if (json_array_get_length (changes) != 1)
    g_error ("%s : %s", path, json_to_string (page, FALSE));
  g_assert_cmpuint (json_array_get_length (changes), ==, 1);
  return json_object_ref (json_object_get_object_member (json_array_get_object_element (changes,
                                                                                         0),
                                                         "data"));
}

static void
check_like_template (SyncClient *client,
                     const char *table,
                     const char *template_id,
                     const char *seeded_where,
                     const char *const *varied)
{
  g_autofree char *sql = g_strdup_printf ("SELECT created_seq::text FROM %s WHERE id = $1::uuid",
                                          table);
  g_autofree char *seeded_sql = g_strdup_printf ("SELECT created_seq::text FROM %s WHERE %s",
                                                 table, seeded_where);
  g_autofree char *template_seq = sync_cluster_value (cluster, sql, template_id);
  g_autofree char *seeded_seq = sync_cluster_value (cluster, seeded_sql, NULL);
  g_autoptr (JsonObject) original = pull_row (client, template_seq);
  g_autoptr (JsonObject) seeded = pull_row (client, seeded_seq);
  g_autoptr (GList) members = json_object_get_members (original);
  g_autofree char *same_log = NULL;
  const char *params[] = { template_id, NULL };
  const char *seeded_id = json_object_get_string_member (seeded, "id");
  PGresult *result;

  g_assert_cmpuint (json_object_get_size (original), ==, json_object_get_size (seeded));
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      g_autofree char *a = NULL;
      g_autofree char *b = NULL;

      g_assert_true (json_object_has_member (seeded, name));
      if (g_strv_contains (varied, name))
        continue;
      a = json_to_string (json_object_get_member (original, name), FALSE);
      b = json_to_string (json_object_get_member (seeded, name), FALSE);
      if (g_strcmp0 (a, b) != 0)
        g_error ("%s.%s : gabarit %s, semé %s", table, name, a, b);
    }
  g_assert_cmpint (json_object_get_int_member (seeded, "version"), ==,
                   g_ascii_strtoll (seeded_seq, NULL, 10));

  /* The change log row and the stamps, as the mutation path wrote the template's. */
  params[1] = seeded_id;
  result = PQexecParams (sync_cluster_db (cluster),
                         "SELECT (a.kind, a.deleted, a.owner_before, a.team_before,"
                         " a.assignee_before, a.owner_after, a.team_after, a.assignee_after,"
                         " a.user_id, a.client_id, a.version = a.seq)"
                         " IS NOT DISTINCT FROM (b.kind, b.deleted, b.owner_before, b.team_before,"
                         " b.assignee_before, b.owner_after, b.team_after, b.assignee_after,"
                         " b.user_id, b.client_id, b.version = b.seq)"
                         " FROM change_log a, change_log b"
                         " WHERE a.entity_id = $1::uuid AND b.entity_id = $2::uuid",
                         2, NULL, params, NULL, NULL, 0);
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  g_assert_cmpint (PQntuples (result), ==, 1);
  same_log = g_strdup (PQgetvalue (result, 0, 0));
  PQclear (result);
  g_assert_cmpstr (same_log, ==, "t");
  g_free (sql);
  /* Every field stamped at the row's version, by the template's client and user. */
  sql = g_strdup_printf ("SELECT bool_and ((s.value ->> 'v')::bigint = t.version"
                         " AND (s.value -> 'c') IS NOT DISTINCT FROM (tpl.stamps -> s.key -> 'c')"
                         " AND (s.value -> 'u') IS NOT DISTINCT FROM (tpl.stamps -> s.key -> 'u'))"
                         " AND count (*) = (SELECT count (*) FROM jsonb_object_keys (tpl.stamps))"
                         " FROM %s t, %s tpl, jsonb_each (t.stamps) s"
                         " WHERE tpl.id = $1::uuid AND t.id = $2::uuid GROUP BY tpl.stamps",
                         table, table);
  result = PQexecParams (sync_cluster_db (cluster), sql, 2, NULL, params, NULL, NULL, 0);
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  g_assert_cmpint (PQntuples (result), ==, 1);
  g_assert_cmpstr (PQgetvalue (result, 0, 0), ==, "t");
  PQclear (result);
}

static void
check_seed (const char      *email,
            const Templates *t)
{
  g_autoptr (SyncClient) client = sync_client_new (cluster, sync_cluster_url (cluster, 0), email);
  const char *org_varied[] = { "id", "version", "name", "city", NULL };
  const char *person_varied[] = { "id", "version", "first_name", "last_name", "personal_email",
                                  NULL };
  const char *link_varied[] = { "id", "version", "person_id", "organisation_id", "work_email",
                                NULL };

  check_like_template (client, "organisations", t->org, "name = 'Société 7 Conseil'",
                       org_varied);
  check_like_template (client, "people", t->person, "last_name = 'Martin-7'", person_varied);
  check_like_template (client, "links", t->link, "work_email = 'w7@exemple.fr'", link_varied);
  printf ("seed check: a pull of a seeded organisation, person and link has the members and"
          " values of one made by the mutation path; change log rows and stamps alike\n");
}

/* ---- (b) push throughput ------------------------------------------------------------- */

static void
bench_push (const char *email,
            guint       n_ops,
            guint       batch)
{
  g_autoptr (SyncClient) client = sync_client_new (cluster, sync_cluster_url (cluster, 0), email);
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *load_before = NULL;
  g_autofree char *load_after = NULL;
  double wall, cpu, cpu_start, server_cpu, server_start, pg_cpu, pg_start;
  gint64 start;

  crm_sync_engine_set_initial_load (client->engine, FALSE);
  /* n_ops organisations of the client's own, created and synced first. */
  for (guint i = 0; i < n_ops; i++)
    {
      g_autofree char *name = g_strdup_printf ("Poussée %05u", i);
      g_autoptr (CrmRecord) fields = sync_fields (CRM_ENTITY_ORGANISATION, "name", name, NULL);
      g_autoptr (CrmRecord) row = crm_replica_create (client->replica, fields, NULL);

      g_ptr_array_add (ids, g_strdup (crm_record_get_string (row, "id")));
    }
  crm_sync_engine_set_batch_size (client->engine, 500);
  sync_client_settle (client, 10);

  /* Then one update each, queued offline, sent in batches. */
  for (guint i = 0; i < n_ops; i++)
    {
      g_autofree char *city = g_strdup_printf ("Ville %05u", i);
      g_autoptr (CrmRecord) change = sync_fields (CRM_ENTITY_ORGANISATION, "city", city, NULL);
      g_autoptr (CrmRecord) row = crm_replica_update (client->replica, CRM_ENTITY_ORGANISATION,
                                                      g_ptr_array_index (ids, i), change, NULL);

      g_assert_nonnull (row);
    }
  g_assert_cmpint (crm_replica_outbox_count (client->replica, NULL), ==, n_ops);
  crm_sync_engine_set_batch_size (client->engine, batch);
  load_before = load_average ();
  cpu_start = cpu_seconds_self ();
  server_start = cpu_seconds_of (sync_cluster_pid (cluster, 0));
  pg_start = cpu_seconds_postgres ();
  start = g_get_monotonic_time ();
  sync_client_settle (client, 10);
  wall = (g_get_monotonic_time () - start) / 1e6;
  cpu = cpu_seconds_self () - cpu_start;
  server_cpu = cpu_seconds_of (sync_cluster_pid (cluster, 0)) - server_start;
  pg_cpu = cpu_seconds_postgres () - pg_start;
  load_after = load_average ();
  g_assert_cmpint (crm_replica_outbox_count (client->replica, NULL), ==, 0);
  printf ("push: %u updates in batches of %u: %.1f s = %.0f ops/s (app CPU %.1f s, server CPU"
          " %.1f s = %.2f ms per op, PostgreSQL CPU %.1f s), load %s -> %s\n",
          n_ops, batch, wall, n_ops / wall, cpu, server_cpu, server_cpu * 1e3 / n_ops, pg_cpu,
          load_before, load_after);
  fflush (stdout);
}

/* ---- (c) poke to visible ----------------------------------------------------------- */

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
bench_poke (const char *email_a,
            const char *email_b,
            guint       trials)
{
  g_autoptr (SyncClient) a = sync_client_new (cluster, sync_cluster_url (cluster, 0), email_a);
  g_autoptr (SyncClient) b = sync_client_new (cluster, sync_cluster_url (cluster, 0), email_b);
  g_autoptr (GArray) latencies = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (CrmRecord) fields = sync_fields (CRM_ENTITY_ORGANISATION, "name", "Sonde", NULL);
  g_autoptr (CrmRecord) row = crm_replica_create (a->replica, fields, NULL);
  const char *id = crm_record_get_string (row, "id");
  g_autofree char *load_before = NULL;
  g_autofree char *load_after = NULL;
  double cpu_start, cpu;
  guint lost = 0;

  sync_client_settle (a, 5);
  sync_client_settle (b, 5);
  crm_sync_engine_start (b->engine);
  for (guint i = 0; i < 500 && !crm_sync_engine_is_connected (b->engine); i++)
    sync_spin (10);
  g_assert_true (crm_sync_engine_is_connected (b->engine));

  load_before = load_average ();
  cpu_start = cpu_seconds_self ();
  for (guint i = 0; i < trials; i++)
    {
      g_autofree char *city = g_strdup_printf ("Ville %u", i);
      g_autoptr (CrmRecord) change = sync_fields (CRM_ENTITY_ORGANISATION, "city", city, NULL);
      g_autoptr (CrmRecord) updated = NULL;
      gint64 start = g_get_monotonic_time (), deadline = start + 5 * G_USEC_PER_SEC;
      gboolean seen = FALSE;

      updated = crm_replica_update (a->replica, CRM_ENTITY_ORGANISATION, id, change, NULL);
      g_assert_nonnull (updated);
      /* What the app does after an edit. */
      crm_sync_engine_sync_now (a->engine);
      while (!seen && g_get_monotonic_time () < deadline)
        {
          g_autofree char *value = NULL;

          g_main_context_iteration (NULL, TRUE);
          value = sync_field (b, CRM_ENTITY_ORGANISATION, id, "city");
          seen = g_strcmp0 (value, city) == 0;
        }
      if (seen)
        {
          double ms = (g_get_monotonic_time () - start) / 1e3;

          g_array_append_val (latencies, ms);
        }
      else
        lost++;
      /* Let both settle before the next trial. */
      sync_spin (20);
    }
  cpu = cpu_seconds_self () - cpu_start;
  load_after = load_average ();
  crm_sync_engine_stop (b->engine);
  g_array_sort (latencies, compare_double);
  g_assert_cmpuint (latencies->len, >, 0);
  printf ("poke to visible: %u trials, p50 %.0f ms, p95 %.0f ms, max %.0f ms, %u over 5 s"
          " (both clients' CPU %.1f s), load %s -> %s\n",
          trials, g_array_index (latencies, double, latencies->len / 2),
          g_array_index (latencies, double, (latencies->len * 95) / 100),
          g_array_index (latencies, double, latencies->len - 1), lost, cpu, load_before,
          load_after);
  fflush (stdout);
}

int
main (int    argc,
      char **argv)
{
  guint n_orgs = env_uint ("BENCH_SYNC_ORGS", 100000);
  guint n_push = env_uint ("BENCH_SYNC_PUSH", 10000);
  guint trials = env_uint ("BENCH_SYNC_TRIALS", 100);
  guint page = env_uint ("BENCH_SYNC_PAGE", 1000);
  g_autofree char *team = NULL;
  g_autofree char *other = NULL;
  char *id = NULL;
  Templates templates = { NULL, NULL, NULL };
  const char *writer = "bench-ecrit@alforis.test";
  const char *reader = "bench-lit@alforis.test";

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  cluster = sync_cluster_new (1);
  team = sync_cluster_add_team (cluster, "Équipe Paris");
  other = sync_cluster_add_team (cluster, "Équipe Banc");
  id = sync_cluster_add_user (cluster, writer, CRM_ROLE_MANAGER, team);
  g_free (id);
  id = sync_cluster_add_user (cluster, reader, CRM_ROLE_MANAGER, team);
  g_free (id);
  printf ("machine: %ld CPU, %s\n", sysconf (_SC_NPROCESSORS_ONLN), g_get_host_name ());

  make_templates (writer, &templates);
  {
    gint64 start = g_get_monotonic_time ();

    seed (&templates, n_orgs);
    printf ("seed: %u rows in %.1f s (PostgreSQL, INSERT … SELECT)\n", n_orgs * 7,
            (g_get_monotonic_time () - start) / 1e6);
  }
  check_seed (writer, &templates);
  bench_initial_sync (reader, n_orgs, page);

  /* (b) and (c) in another team: their clients' first syncs stay small. */
  {
    const char *pusher = "bench-pousse@alforis.test";
    const char *a = "bench-a@alforis.test";
    const char *b = "bench-b@alforis.test";

    g_free (sync_cluster_add_user (cluster, pusher, CRM_ROLE_USER, other));
    g_free (sync_cluster_add_user (cluster, a, CRM_ROLE_MANAGER, other));
    g_free (sync_cluster_add_user (cluster, b, CRM_ROLE_MANAGER, other));
    bench_push (pusher, n_push, 100);
    bench_poke (a, b, trials);
  }

  g_free (templates.org);
  g_free (templates.person);
  g_free (templates.link);
  sync_cluster_free (cluster);
  return 0;
}

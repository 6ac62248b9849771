/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sync-soak"

#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdlib.h>

#include "sync-harness.h"

/*
 * A seeded randomized soak: several replicas make random creates, edits, deletes and
 * restores offline, sync at random moments while the server is killed and restarted
 * and the apps are closed and opened again at random. At the end every outbox is empty (each op applied, merged, a conflict or
 * a visible rejection) and every replica equals the server for its user.
 * SYNC_SOAK_SEED replays a run; SYNC_SOAK_OPS sets its length (the benchmark is long).
 */

#define N_CLIENTS 3

static const char *fields[] = { "name", "city", "phone", "postal_code" };

static void
random_value (GRand      *rand,
              const char *field,
              char       *buffer,
              gsize       size)
{
  if (g_str_equal (field, "phone"))
    g_snprintf (buffer, size, "+33 1 %02d %02d %02d %02d", g_rand_int_range (rand, 0, 100),
                g_rand_int_range (rand, 0, 100), g_rand_int_range (rand, 0, 100),
                g_rand_int_range (rand, 0, 100));
  else if (g_str_equal (field, "postal_code"))
    g_snprintf (buffer, size, "%05d", g_rand_int_range (rand, 1000, 96000));
  else
    g_snprintf (buffer, size, "%s %u", g_str_equal (field, "name") ? "Société" : "Ville",
                g_rand_int_range (rand, 0, 1000000));
}

static void
one_op (GRand      *rand,
        SyncClient *client,
        GPtrArray  *ids)
{
  g_autoptr (GError) error = NULL;
  int dice = g_rand_int_range (rand, 0, 100);
  char value[64];

  if (ids->len == 0 || dice < 25)
    {
      g_autoptr (CrmRecord) record = NULL;
      g_autoptr (CrmRecord) row = NULL;

      random_value (rand, "name", value, sizeof value);
      record = sync_fields (CRM_ENTITY_ORGANISATION, "name", value, NULL);
      row = crm_replica_create (client->replica, record, &error);
      g_assert_no_error (error);
      g_ptr_array_add (ids, g_strdup (crm_record_get_string (row, "id")));
      return;
    }
  {
    const char *id = g_ptr_array_index (ids, g_rand_int_range (rand, 0, (gint32) ids->len));
    g_autoptr (CrmRecord) row = crm_replica_get (client->replica, CRM_ENTITY_ORGANISATION, id,
                                                 NULL);

    /* Not (yet) on this replica: it was made elsewhere and not pulled here. */
    if (row == NULL)
      return;
    if (dice < 85 && !crm_record_get_bool (row, "deleted"))
      {
        const char *field = fields[g_rand_int_range (rand, 0, G_N_ELEMENTS (fields))];
        g_autoptr (CrmRecord) change = NULL;
        g_autoptr (CrmRecord) updated = NULL;

        random_value (rand, field, value, sizeof value);
        change = sync_fields (CRM_ENTITY_ORGANISATION, field, value, NULL);
        updated = crm_replica_update (client->replica, CRM_ENTITY_ORGANISATION, id, change,
                                      &error);
      }
    else if (dice < 93 && !crm_record_get_bool (row, "deleted"))
      crm_replica_delete (client->replica, CRM_ENTITY_ORGANISATION, id, &error);
    else if (crm_record_get_bool (row, "deleted"))
      crm_replica_restore (client->replica, CRM_ENTITY_ORGANISATION, id, &error);
  }
  if (error != NULL)
    g_test_message ("opération locale refusée : %s", error->message);
}

static void
assert_replica_equals_server (SyncCluster *cluster,
                              SyncClient  *client,
                              const char  *team)
{
  PGresult *result;
  const char *params[] = { team };
  int n;

  result = PQexecParams (sync_cluster_db (cluster),
                         "SELECT id::text, name, city, phone, postal_code, deleted::text"
                         " FROM organisations WHERE team_id = $1::uuid ORDER BY id",
                         1, NULL, params, NULL, NULL, 0);
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  n = PQntuples (result);
  for (int i = 0; i < n; i++)
    {
      const char *id = PQgetvalue (result, i, 0);

      for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
        {
          g_autofree char *local = sync_field (client, CRM_ENTITY_ORGANISATION, id, fields[f]);
          const char *remote = PQgetisnull (result, i, 1 + f) ? NULL
                                                               : PQgetvalue (result, i, 1 + f);

          if (g_strcmp0 (local, remote) != 0)
            g_error ("%s : %s.%s vaut « %s » ici, « %s » sur le serveur", client->email, id,
                     fields[f], local, remote);
        }
      {
        g_autofree char *deleted = sync_field (client, CRM_ENTITY_ORGANISATION, id, "deleted");

        g_assert_cmpstr (deleted, ==, PQgetvalue (result, i, 5));
      }
    }
  {
    g_autoptr (CrmReplicaQuery) query = crm_replica_query_new (CRM_ENTITY_ORGANISATION);

    crm_replica_query_set_include_deleted (query, TRUE);
    g_assert_cmpint (crm_replica_count (client->replica, query, NULL), ==, n);
  }
  PQclear (result);
}

static void
test_soak (void)
{
  const char *seed_text = g_getenv ("SYNC_SOAK_SEED");
  const char *ops_text = g_getenv ("SYNC_SOAK_OPS");
  guint32 seed = seed_text != NULL ? (guint32) strtoul (seed_text, NULL, 10) : g_random_int ();
  guint n_ops = ops_text != NULL ? (guint) strtoul (ops_text, NULL, 10) : 150;
  g_autoptr (SyncCluster) cluster = sync_cluster_new (1);
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *team = sync_cluster_add_team (cluster, "Équipe Soak");
  SyncClient *clients[N_CLIENTS];
  gint64 started = g_get_monotonic_time ();
  guint restarts = 0, app_restarts = 0, syncs = 0;
  gint64 conflicts = 0, rejections = 0;

  g_printerr ("# soak : graine %u, %u opérations, %d réplicas\n", seed, n_ops, N_CLIENTS);
  g_test_message ("soak : graine %u (SYNC_SOAK_SEED=%u pour rejouer)", seed, seed);
  for (guint c = 0; c < N_CLIENTS; c++)
    {
      g_autofree char *email = g_strdup_printf ("soak%u@alforis.test", c);
      g_autofree char *id = sync_cluster_add_user (cluster, email, CRM_ROLE_MANAGER, team);

      clients[c] = sync_client_new (cluster, sync_cluster_url (cluster, 0), email);
      crm_sync_engine_set_batch_size (clients[c]->engine, 1 + g_rand_int_range (rand, 0, 20));
    }

  for (guint i = 0; i < n_ops; i++)
    {
      SyncClient *client = clients[g_rand_int_range (rand, 0, N_CLIENTS)];

      one_op (rand, client, ids);
      if (g_rand_int_range (rand, 0, 100) < 15)
        {
          SyncClient *syncer = clients[g_rand_int_range (rand, 0, N_CLIENTS)];

          sync_client_sync (syncer, NULL);
          syncs++;
        }
      if (g_rand_int_range (rand, 0, 1000) < 10)
        {
          /* The app closed and opened again, maybe with a push or a pull under way. */
          SyncClient *quitter = clients[g_rand_int_range (rand, 0, N_CLIENTS)];

          crm_sync_engine_sync_now (quitter->engine);
          sync_spin (g_rand_int_range (rand, 0, 40));
          sync_client_restart (quitter);
          app_restarts++;
        }
      if (g_rand_int_range (rand, 0, 1000) < 15)
        {
          /* Killed while a client may be mid-push. */
          crm_sync_engine_sync_now (clients[g_rand_int_range (rand, 0, N_CLIENTS)]->engine);
          sync_spin (g_rand_int_range (rand, 0, 40));
          sync_cluster_stop (cluster, 0, SIGKILL);
          sync_cluster_start (cluster, 0);
          restarts++;
        }
    }

  /* Everyone settles, then everyone pulls what the others sent last. */
  for (guint round = 0; round < 2; round++)
    for (guint c = 0; c < N_CLIENTS; c++)
      sync_client_settle (clients[c], 30);

  for (guint c = 0; c < N_CLIENTS; c++)
    {
      g_assert_cmpint (crm_replica_outbox_count (clients[c]->replica, NULL), ==, 0);
      assert_replica_equals_server (cluster, clients[c], team);
      rejections += crm_replica_rejection_count (clients[c]->replica, NULL);
      {
        g_autoptr (GPtrArray) list = crm_replica_list_conflicts (clients[c]->replica,
                                                                 CRM_ENTITY_ORGANISATION, NULL,
                                                                 NULL);
        conflicts += list->len;
      }
    }
  g_printerr ("# soak : graine %u, %u opérations, %u synchronisations, %u redémarrages, "
              "%u relances d’app, %" G_GINT64_FORMAT " conflits, %" G_GINT64_FORMAT " rejets, "
              "%.1f s\n",
              seed, n_ops, syncs, restarts, app_restarts, conflicts, rejections,
              (g_get_monotonic_time () - started) / 1e6);
  for (guint c = 0; c < N_CLIENTS; c++)
    sync_client_free (clients[c]);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sync/soak/random", test_soak);
  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sync"

#include "config.h"

#include <locale.h>

#include "sync-harness.h"

/*
 * The scenarios of issue 5's proof, end to end: PostgreSQL, real servers over TLS,
 * several replicas with their engines in this process.
 */

static SyncCluster *cluster;
static char *team_a;
static guint users;

static char *
new_user (CrmRole     role,
          const char *team,
          char      **id)
{
  char *email = g_strdup_printf ("u%u-%s@alforis.test", ++users, crm_role_to_string (role));
  g_autofree char *user_id = sync_cluster_add_user (cluster, email, role, team);

  if (id != NULL)
    *id = g_steal_pointer (&user_id);
  return email;
}

static SyncClient *
client_for (const char *email)
{
  return sync_client_new (cluster, sync_cluster_url (cluster, 0), email);
}

static char *
create_org (SyncClient *client,
            const char *name)
{
  g_autoptr (CrmRecord) fields = sync_fields (CRM_ENTITY_ORGANISATION, "name", name, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmRecord) row = crm_replica_create (client->replica, fields, &error);

  g_assert_no_error (error);
  return g_strdup (crm_record_get_string (row, "id"));
}

static void
edit (SyncClient   *client,
      CrmEntityKind kind,
      const char   *id,
      const char   *field,
      const char   *value)
{
  g_autoptr (CrmRecord) fields = sync_fields (kind, field, value, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmRecord) row = crm_replica_update (client->replica, kind, id, fields, &error);

  g_assert_no_error (error);
}

static void
assert_field (SyncClient   *client,
              CrmEntityKind kind,
              const char   *id,
              const char   *field,
              const char   *expected)
{
  g_autofree char *value = sync_field (client, kind, id, field);

  g_assert_cmpstr (value, ==, expected);
}

/* Two managers of one team: both see the team's rows. */
static void
two_of_a_team (SyncClient **a,
               SyncClient **b)
{
  g_autofree char *ea = new_user (CRM_ROLE_MANAGER, team_a, NULL);
  g_autofree char *eb = new_user (CRM_ROLE_MANAGER, team_a, NULL);

  *a = client_for (ea);
  *b = client_for (eb);
}

static void
test_different_fields_merge (void)
{
  g_autoptr (SyncClient) a = NULL;
  g_autoptr (SyncClient) b = NULL;
  g_autofree char *org = NULL;

  two_of_a_team (&a, &b);
  org = create_org (a, "Fonds Lumière");
  sync_client_settle (a, 5);
  sync_client_settle (b, 5);
  assert_field (b, CRM_ENTITY_ORGANISATION, org, "name", "Fonds Lumière");

  /* Both offline, each edits its own field. */
  edit (a, CRM_ENTITY_ORGANISATION, org, "city", "Lyon");
  edit (b, CRM_ENTITY_ORGANISATION, org, "phone", "+33 4 72 00 00 00");
  sync_client_settle (a, 5);
  sync_client_settle (b, 5);
  sync_client_settle (a, 5);

  for (guint i = 0; i < 2; i++)
    {
      SyncClient *client = i == 0 ? a : b;

      assert_field (client, CRM_ENTITY_ORGANISATION, org, "city", "Lyon");
      assert_field (client, CRM_ENTITY_ORGANISATION, org, "phone", "+33 4 72 00 00 00");
      g_assert_cmpint (crm_replica_outbox_count (client->replica, NULL), ==, 0);
    }
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (GPtrArray) conflicts =
        crm_replica_list_conflicts ((i == 0 ? a : b)->replica, CRM_ENTITY_ORGANISATION, org, NULL);

      g_assert_cmpuint (conflicts->len, ==, 0);
    }
}

static GPtrArray *
conflicts_of (SyncClient *client,
              const char *org)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *conflicts = crm_replica_list_conflicts (client->replica, CRM_ENTITY_ORGANISATION,
                                                     org, &error);

  g_assert_no_error (error);
  return conflicts;
}

static void
test_same_field_conflict (gconstpointer data)
{
  gboolean keep_mine = GPOINTER_TO_INT (data);
  g_autoptr (SyncClient) a = NULL;
  g_autoptr (SyncClient) b = NULL;
  g_autoptr (GPtrArray) conflicts = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *org = NULL;
  g_autofree char *server_city = NULL;
  CrmReplicaConflict *conflict;

  two_of_a_team (&a, &b);
  org = create_org (a, "Caisse Régionale");
  sync_client_settle (a, 5);
  sync_client_settle (b, 5);

  edit (a, CRM_ENTITY_ORGANISATION, org, "city", "Lyon");
  edit (b, CRM_ENTITY_ORGANISATION, org, "city", "Nantes");
  sync_client_settle (a, 5);
  sync_client_settle (b, 5);

  /* The first push won on the server; the other is a conflict on its author's replica,
   * whose row shows the committed value. */
  server_city = sync_cluster_value (cluster, "SELECT city FROM organisations WHERE id = $1::uuid",
                                    org);
  g_assert_cmpstr (server_city, ==, "Lyon");
  assert_field (b, CRM_ENTITY_ORGANISATION, org, "city", "Lyon");
  conflicts = conflicts_of (b, org);
  g_assert_cmpuint (conflicts->len, ==, 1);
  conflict = g_ptr_array_index (conflicts, 0);
  g_assert_cmpstr (conflict->field, ==, "city");
  g_assert_cmpstr (conflict->mine, ==, "Nantes");
  g_assert_cmpstr (conflict->theirs, ==, "Lyon");
  g_clear_pointer (&conflicts, g_ptr_array_unref);
  conflicts = conflicts_of (a, org);
  g_assert_cmpuint (conflicts->len, ==, 0);
  g_clear_pointer (&conflicts, g_ptr_array_unref);

  conflicts = conflicts_of (b, org);
  conflict = g_ptr_array_index (conflicts, 0);
  g_assert_true (crm_replica_resolve_conflict (b->replica, conflict->cid, keep_mine, &error));
  g_assert_no_error (error);
  sync_client_settle (b, 5);
  sync_client_settle (a, 5);

  g_clear_pointer (&conflicts, g_ptr_array_unref);
  conflicts = conflicts_of (b, org);
  g_assert_cmpuint (conflicts->len, ==, 0);
  assert_field (a, CRM_ENTITY_ORGANISATION, org, "city", keep_mine ? "Nantes" : "Lyon");
  assert_field (b, CRM_ENTITY_ORGANISATION, org, "city", keep_mine ? "Nantes" : "Lyon");
}

static void
test_delete_versus_edit_then_restore (void)
{
  g_autoptr (SyncClient) a = NULL;
  g_autoptr (SyncClient) b = NULL;
  g_autoptr (GPtrArray) conflicts = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *org = NULL;

  two_of_a_team (&a, &b);
  org = create_org (a, "Banque Pictet");
  sync_client_settle (a, 5);
  sync_client_settle (b, 5);

  g_assert_true (crm_replica_delete (a->replica, CRM_ENTITY_ORGANISATION, org, &error));
  edit (b, CRM_ENTITY_ORGANISATION, org, "city", "Genève");
  sync_client_settle (a, 5);
  sync_client_settle (b, 5);

  /* The delete stands everywhere; the edit is a visible "deleted" conflict. */
  assert_field (a, CRM_ENTITY_ORGANISATION, org, "deleted", "true");
  assert_field (b, CRM_ENTITY_ORGANISATION, org, "deleted", "true");
  conflicts = conflicts_of (b, org);
  g_assert_cmpuint (conflicts->len, ==, 1);
  g_assert_cmpstr (((CrmReplicaConflict *) conflicts->pdata[0])->kind, ==, "deleted");

  g_assert_true (crm_replica_restore (a->replica, CRM_ENTITY_ORGANISATION, org, &error));
  sync_client_settle (a, 5);
  sync_client_settle (b, 5);
  assert_field (b, CRM_ENTITY_ORGANISATION, org, "deleted", "false");
  assert_field (b, CRM_ENTITY_ORGANISATION, org, "name", "Banque Pictet");
}

static void
test_offline_graph_then_sync (void)
{
  g_autoptr (SyncClient) a = NULL;
  g_autoptr (SyncClient) b = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmRecord) person = NULL;
  g_autoptr (CrmRecord) link = NULL;
  g_autoptr (CrmRecord) person_fields = sync_fields (CRM_ENTITY_PERSON, "first_name", "Élodie",
                                                     "last_name", "Garnier", NULL);
  g_autoptr (CrmRecord) link_fields = NULL;
  g_autofree char *org = NULL;
  g_autofree char *count = NULL;

  two_of_a_team (&a, &b);
  org = create_org (a, "Amundi Partenaires");
  person = crm_replica_create (a->replica, person_fields, &error);
  g_assert_no_error (error);
  link_fields = sync_fields (CRM_ENTITY_LINK, "person_id", crm_record_get_string (person, "id"),
                             "organisation_id", org, "role", "Directrice", NULL);
  link = crm_replica_create (a->replica, link_fields, &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_replica_outbox_count (a->replica, NULL), ==, 3);

  sync_client_settle (a, 5);
  sync_client_settle (b, 5);
  count = sync_cluster_value (cluster, "SELECT count (*) FROM links"
                                       " WHERE organisation_id = $1::uuid", org);
  g_assert_cmpstr (count, ==, "1");
  assert_field (b, CRM_ENTITY_PERSON, crm_record_get_string (person, "id"), "last_name",
                "Garnier");
  assert_field (b, CRM_ENTITY_LINK, crm_record_get_string (link, "id"), "role", "Directrice");
  assert_field (b, CRM_ENTITY_LINK, crm_record_get_string (link, "id"), "organisation_id", org);
}

static void
reassign (SyncClient *admin,
          const char *org,
          const char *owner)
{
  sync_client_settle (admin, 5);
  edit (admin, CRM_ENTITY_ORGANISATION, org, "owner_id", owner);
  sync_client_settle (admin, 5);
}

static void
test_reassignment_revokes (void)
{
  g_autofree char *admin_id = NULL;
  g_autofree char *other_id = NULL;
  g_autofree char *email = new_user (CRM_ROLE_USER, team_a, NULL);
  g_autofree char *admin_email = new_user (CRM_ROLE_ADMIN, NULL, &admin_id);
  g_autofree char *other_email = new_user (CRM_ROLE_USER, team_a, &other_id);
  g_autoptr (SyncClient) user = client_for (email);
  g_autoptr (SyncClient) admin = client_for (admin_email);
  g_autofree char *org = NULL;
  g_autofree char *kept = NULL;
  g_autoptr (CrmRecord) row = NULL;

  org = create_org (user, "Cabinet Moreau");
  kept = create_org (user, "Cabinet Durand");
  sync_client_settle (user, 5);

  /* Offline, the user edits; meanwhile an admin gives the row to someone else. */
  edit (user, CRM_ENTITY_ORGANISATION, org, "city", "Lille");
  reassign (admin, org, other_id);
  sync_client_settle (user, 5);

  row = crm_replica_get (user->replica, CRM_ENTITY_ORGANISATION, org, NULL);
  g_assert_null (row);
  g_assert_cmpint (crm_replica_quarantine_count (user->replica, NULL)
                   + crm_replica_rejection_count (user->replica, NULL), >=, 1);
  assert_field (user, CRM_ENTITY_ORGANISATION, kept, "name", "Cabinet Durand");
}

static void
test_role_change_resyncs_keeping_outbox (void)
{
  g_autofree char *admin_id = NULL;
  g_autofree char *user_id = NULL;
  g_autofree char *admin_email = new_user (CRM_ROLE_ADMIN, NULL, &admin_id);
  g_autofree char *mate_email = new_user (CRM_ROLE_USER, team_a, NULL);
  g_autofree char *email = new_user (CRM_ROLE_USER, team_a, &user_id);
  g_autoptr (SyncClient) mate = client_for (mate_email);
  g_autoptr (SyncClient) user = client_for (email);
  g_autoptr (GError) error = NULL;
  g_autofree char *team_row = NULL;
  g_autofree char *mine = NULL;
  g_autofree char *epoch_before = NULL;
  g_autofree char *epoch_after = NULL;
  gint64 cursor = 0, epoch = 0;

  team_row = create_org (mate, "Ligne de l’équipe");
  sync_client_settle (mate, 5);
  mine = create_org (user, "Ma ligne");
  sync_client_settle (user, 5);
  g_assert_null (crm_replica_get (user->replica, CRM_ENTITY_ORGANISATION, team_row, NULL));
  g_assert_true (crm_replica_get_sync_position (user->replica, &cursor, &epoch, NULL));

  /* A queued edit, then the role changes: the next pull starts over, the edit stays. */
  edit (user, CRM_ENTITY_ORGANISATION, mine, "city", "Bordeaux");
  epoch_before = sync_cluster_value (cluster, "SELECT epoch::text FROM users WHERE id = $1::uuid",
                                     user_id);
  sync_cluster_set_role (cluster, user_id, CRM_ROLE_MANAGER);
  epoch_after = sync_cluster_value (cluster, "SELECT epoch::text FROM users WHERE id = $1::uuid",
                                    user_id);
  g_assert_cmpstr (epoch_before, !=, epoch_after);

  /* The server ends the sessions of the old epoch: the user signs in again. */
  g_assert_false (sync_client_sync (user, &error));
  g_assert_error (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_UNAUTHORIZED);
  g_assert_cmpint (crm_replica_outbox_count (user->replica, NULL), ==, 1);
  sync_client_login (user);
  sync_client_settle (user, 6);
  assert_field (user, CRM_ENTITY_ORGANISATION, team_row, "name", "Ligne de l’équipe");
  assert_field (user, CRM_ENTITY_ORGANISATION, mine, "city", "Bordeaux");
  g_assert_true (crm_replica_get_sync_position (user->replica, &cursor, &epoch, NULL));
  g_assert_cmpint (epoch, ==, g_ascii_strtoll (epoch_after, NULL, 10));
  g_free (epoch_before);
  epoch_before = sync_cluster_value (cluster, "SELECT city FROM organisations WHERE id = $1::uuid",
                                     mine);
  g_assert_cmpstr (epoch_before, ==, "Bordeaux");
}

static void
on_notify_pending (GObject    *object,
                   GParamSpec *pspec,
                   gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_status_reports_pending (void)
{
  g_autofree char *email = new_user (CRM_ROLE_USER, team_a, NULL);
  g_autoptr (SyncClient) client = client_for (email);
  CrmSyncStatus *status = crm_sync_engine_get_status (client->engine);
  g_autofree char *org = NULL;
  guint notified = 0;

  g_signal_connect (status, "notify::pending", G_CALLBACK (on_notify_pending), &notified);
  org = create_org (client, "Société Générale Gestion");
  crm_sync_engine_sync_now (client->engine);
  sync_client_settle (client, 5);
  sync_spin (50);
  g_assert_cmpint (crm_sync_status_get_state (status), ==, CRM_SYNC_STATE_UP_TO_DATE);
  g_assert_cmpint (crm_sync_status_get_pending (status), ==, 0);
  g_assert_nonnull (crm_sync_status_get_last_sync (status));
  g_assert_null (crm_sync_status_get_last_error (status));
  g_signal_handlers_disconnect_by_data (status, &notified);
}

int
main (int    argc,
      char **argv)
{
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/merge/different-fields", test_different_fields_merge);
  g_test_add_data_func ("/sync/conflict/keep-mine", GINT_TO_POINTER (TRUE),
                        test_same_field_conflict);
  g_test_add_data_func ("/sync/conflict/keep-theirs", GINT_TO_POINTER (FALSE),
                        test_same_field_conflict);
  g_test_add_func ("/sync/delete-versus-edit-then-restore", test_delete_versus_edit_then_restore);
  g_test_add_func ("/sync/offline-organisation-person-link", test_offline_graph_then_sync);
  g_test_add_func ("/sync/revoke/reassignment", test_reassignment_revokes);
  g_test_add_func ("/sync/epoch/role-change-keeps-outbox", test_role_change_resyncs_keeping_outbox);
  g_test_add_func ("/sync/status/up-to-date", test_status_reports_pending);

  cluster = sync_cluster_new (1);
  team_a = sync_cluster_add_team (cluster, "Équipe Lyon");
  status = g_test_run ();
  g_free (team_a);
  sync_cluster_free (cluster);
  return status;
}

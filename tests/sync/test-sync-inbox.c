/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sync-inbox"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <locale.h>

#include "crm-replica-sync.h"
#include "sync-harness.h"

/*
 * What the user sees of edits that did not go through: a refused edit leaves the row
 * as the server has it and keeps what was typed in the rejection inbox; an edit to a
 * row that left the user's view is listed in the quarantine, given up or applied again.
 */

static SyncCluster *cluster;
static char *team;
static guint users;

static char *
new_user (CrmRole role)
{
  char *email = g_strdup_printf ("b%u-%s@alforis.test", ++users, crm_role_to_string (role));
  g_autofree char *id = sync_cluster_add_user (cluster, email, role, team);

  return email;
}

static char *
create_org (SyncClient *client,
            const char *name,
            const char *city)
{
  g_autoptr (CrmRecord) fields = sync_fields (CRM_ENTITY_ORGANISATION, "name", name, "city", city,
                                              NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmRecord) row = crm_replica_create (client->replica, fields, &error);

  g_assert_no_error (error);
  return g_strdup (crm_record_get_string (row, "id"));
}

/* Spins until @client's row has @value in @field (the refetch is asynchronous). */
static void
wait_field (SyncClient *client,
            const char *id,
            const char *field,
            const char *value)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autofree char *now = sync_field (client, CRM_ENTITY_ORGANISATION, id, field);

      if (g_strcmp0 (now, value) == 0)
        return;
      if (g_get_monotonic_time () > deadline)
        g_error ("%s : « %s » au lieu de « %s »", field, now, value);
      sync_spin (20);
    }
}

static void
test_rejected_update_refetched (void)
{
  g_autofree char *manager_email = new_user (CRM_ROLE_MANAGER);
  g_autofree char *viewer_email = new_user (CRM_ROLE_VIEWER);
  g_autoptr (SyncClient) manager = sync_client_new (cluster, sync_cluster_url (cluster, 0),
                                                    manager_email);
  g_autoptr (SyncClient) viewer = sync_client_new (cluster, sync_cluster_url (cluster, 0),
                                                   viewer_email);
  g_autofree char *org = create_org (manager, "Banque Rhône-Alpes", "Lyon");
  g_autoptr (CrmRecord) change = sync_fields (CRM_ENTITY_ORGANISATION, "city", "Grenoble",
                                              "notes", "Tapé hors ligne", NULL);
  g_autoptr (CrmRecord) edited = NULL;
  g_autoptr (GPtrArray) rejections = NULL;
  g_autoptr (JsonNode) typed = NULL;
  g_autoptr (GError) error = NULL;
  CrmReplicaRejection *rejection;
  JsonObject *fields;

  sync_client_settle (manager, 5);
  sync_client_settle (viewer, 5);
  wait_field (viewer, org, "city", "Lyon");

  /* A viewer's edit: the replica takes it, the server refuses it (403). */
  edited = crm_replica_update (viewer->replica, CRM_ENTITY_ORGANISATION, org, change, &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_replica_outbox_count (viewer->replica, NULL), ==, 1);
  sync_client_settle (viewer, 5);
  g_assert_cmpint (crm_replica_rejection_count (viewer->replica, NULL), ==, 1);

  /* The row shows the server's values again… */
  wait_field (viewer, org, "city", "Lyon");
  wait_field (viewer, org, "notes", NULL);
  /* …and what was typed waits in the rejection inbox. */
  rejections = crm_replica_list_rejections (viewer->replica, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rejections->len, ==, 1);
  rejection = g_ptr_array_index (rejections, 0);
  g_assert_cmpstr (rejection->op.row_id, ==, org);
  typed = json_from_string (rejection->op.fields, &error);
  g_assert_no_error (error);
  fields = json_node_get_object (typed);
  g_assert_cmpstr (json_object_get_string_member (fields, "city"), ==, "Grenoble");
  g_assert_cmpstr (json_object_get_string_member (fields, "notes"), ==, "Tapé hors ligne");
  g_assert_nonnull (rejection->problem);
  g_assert_nonnull (strstr (rejection->problem, "403"));

  /* The refresh counts as the server's value, not a new local edit. */
  g_assert_cmpint (crm_replica_outbox_count (viewer->replica, NULL), ==, 0);
}

static void
test_rejected_delete_refetched (void)
{
  g_autofree char *manager_email = new_user (CRM_ROLE_MANAGER);
  g_autofree char *viewer_email = new_user (CRM_ROLE_VIEWER);
  g_autoptr (SyncClient) manager = sync_client_new (cluster, sync_cluster_url (cluster, 0),
                                                    manager_email);
  g_autoptr (SyncClient) viewer = sync_client_new (cluster, sync_cluster_url (cluster, 0),
                                                   viewer_email);
  g_autofree char *org = create_org (manager, "Caisse Normande", "Caen");
  g_autoptr (GError) error = NULL;

  sync_client_settle (manager, 5);
  sync_client_settle (viewer, 5);
  wait_field (viewer, org, "deleted", "false");
  g_assert_true (crm_replica_delete (viewer->replica, CRM_ENTITY_ORGANISATION, org, &error));
  g_assert_no_error (error);
  wait_field (viewer, org, "deleted", "true");
  sync_client_settle (viewer, 5);
  g_assert_cmpint (crm_replica_rejection_count (viewer->replica, NULL), ==, 1);
  /* Refused: the row is back, as on the server. */
  wait_field (viewer, org, "deleted", "false");
}

/* ---- quarantine (on the replica alone: a revoke as a pull page brings it) ----------- */

typedef struct
{
  char       *directory;
  CrmReplica *replica;
} Local;

static void
local_free (Local *local)
{
  g_autofree char *path = g_build_filename (local->directory, "replica.db", NULL);

  crm_replica_close (local->replica, NULL);
  g_object_unref (local->replica);
  for (const char *suffix = ""; suffix != NULL; suffix = *suffix == '\0' ? "-wal"
                                                       : g_str_equal (suffix, "-wal") ? "-shm"
                                                       : NULL)
    {
      g_autofree char *file = g_strconcat (path, suffix, NULL);

      g_unlink (file);
    }
  g_rmdir (local->directory);
  g_free (local->directory);
  g_free (local);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Local, local_free)

static Local *
local_new (void)
{
  Local *local = g_new0 (Local, 1);
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;

  local->directory = g_dir_make_tmp ("sync-inbox-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (local->directory, "replica.db", NULL);
  local->replica = crm_replica_open (path, CRM_REPLICA_OPEN_NONE, &error);
  g_assert_no_error (error);
  return local;
}

#define ROW_ID "01936d3a-7c4e-7b2a-9f00-00000000a001"

/* The row as a pull brings it (version @version), or a revoke of it. */
static void
pull_row (Local   *local,
          gint64   version,
          gboolean revoke)
{
  g_autoptr (CrmRecord) data = sync_fields (CRM_ENTITY_ORGANISATION, "id", ROW_ID, "name",
                                            "Mutuelle du Rhône", "city", "Lyon", NULL);
  CrmReplicaChange change = { CRM_ENTITY_ORGANISATION, ROW_ID, version, FALSE, data };
  CrmReplicaRevoke gone = { CRM_ENTITY_ORGANISATION, ROW_ID };
  g_autoptr (GError) error = NULL;

  crm_record_set_int (data, "version", version);
  crm_replica_apply_pull (local->replica, revoke ? NULL : &change, revoke ? 0 : 1,
                          revoke ? &gone : NULL, revoke ? 1 : 0, version, 1, &error);
  g_assert_no_error (error);
}

static void
edit_city (Local      *local,
           const char *city)
{
  g_autoptr (CrmRecord) change = sync_fields (CRM_ENTITY_ORGANISATION, "city", city, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmRecord) row = crm_replica_update (local->replica, CRM_ENTITY_ORGANISATION,
                                                  ROW_ID, change, &error);

  g_assert_no_error (error);
}

static void
test_quarantine_listed (void)
{
  g_autoptr (Local) local = local_new ();
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (JsonNode) typed = NULL;
  g_autoptr (GError) error = NULL;
  CrmReplicaQuarantined *item;

  pull_row (local, 10, FALSE);
  edit_city (local, "Villeurbanne");
  pull_row (local, 11, TRUE);
  {
    g_autoptr (CrmRecord) gone = crm_replica_get (local->replica, CRM_ENTITY_ORGANISATION,
                                                  ROW_ID, NULL);

    g_assert_null (gone);
  }
  g_assert_cmpint (crm_replica_outbox_count (local->replica, NULL), ==, 0);

  items = crm_replica_list_quarantined (local->replica, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_cmpint (crm_replica_quarantine_count (local->replica, NULL), ==, 1);
  item = g_ptr_array_index (items, 0);
  g_assert_cmpstr (item->entity, ==, "organisation");
  g_assert_cmpstr (item->row_id, ==, ROW_ID);
  g_assert_cmpstr (item->kind, ==, "update");
  g_assert_cmpstr (item->reason, ==, "revoked");
  g_assert_nonnull (strstr (item->why, "plus visible"));
  g_assert_nonnull (item->quarantined_at);
  g_assert_nonnull (item->row_data);
  g_assert_nonnull (strstr (item->row_data, "Mutuelle du Rhône"));
  typed = json_from_string (item->fields, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (typed), "city"), ==,
                   "Villeurbanne");

  /* Given up: gone from the list, nothing queued. */
  g_assert_true (crm_replica_dismiss_quarantined (local->replica, item->qid, &error));
  g_assert_no_error (error);
  g_assert_cmpint (crm_replica_quarantine_count (local->replica, NULL), ==, 0);
  g_assert_false (crm_replica_dismiss_quarantined (local->replica, item->qid, &error));
  g_assert_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_NOT_FOUND);
}

static void
test_quarantine_reapplied (void)
{
  g_autoptr (Local) local = local_new ();
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (GPtrArray) ops = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *city = NULL;
  gint64 qid;

  pull_row (local, 10, FALSE);
  edit_city (local, "Villeurbanne");
  pull_row (local, 11, TRUE);
  items = crm_replica_list_quarantined (local->replica, &error);
  g_assert_no_error (error);
  qid = ((CrmReplicaQuarantined *) g_ptr_array_index (items, 0))->qid;

  /* While the row is away: refused with a sentence, nothing changes. */
  g_assert_false (crm_replica_reapply_quarantined (local->replica, qid, &error));
  g_assert_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "réessayez"));
  g_clear_error (&error);
  g_assert_cmpint (crm_replica_quarantine_count (local->replica, NULL), ==, 1);

  /* Given back: applied again as an ordinary edit, queued, out of the quarantine. */
  pull_row (local, 12, FALSE);
  g_assert_true (crm_replica_reapply_quarantined (local->replica, qid, &error));
  g_assert_no_error (error);
  g_assert_cmpint (crm_replica_quarantine_count (local->replica, NULL), ==, 0);
  ops = crm_replica_outbox_peek (local->replica, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ops->len, ==, 1);
  g_assert_cmpstr (((CrmOutboxOp *) g_ptr_array_index (ops, 0))->row_id, ==, ROW_ID);
  g_assert_cmpint (((CrmOutboxOp *) g_ptr_array_index (ops, 0))->base_version, ==, 12);
  g_assert_nonnull (strstr (((CrmOutboxOp *) g_ptr_array_index (ops, 0))->fields,
                            "Villeurbanne"));
  {
    g_autoptr (CrmRecord) row = crm_replica_get (local->replica, CRM_ENTITY_ORGANISATION, ROW_ID,
                                                 NULL);

    g_assert_nonnull (row);
    city = crm_record_dup_text (row, "city");
    g_assert_cmpstr (city, ==, "Villeurbanne");
  }
}

int
main (int    argc,
      char **argv)
{
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/rejection/update-refetched", test_rejected_update_refetched);
  g_test_add_func ("/sync/rejection/delete-refetched", test_rejected_delete_refetched);
  g_test_add_func ("/sync/quarantine/listed-and-dismissed", test_quarantine_listed);
  g_test_add_func ("/sync/quarantine/reapplied-once-back", test_quarantine_reapplied);

  cluster = sync_cluster_new (1);
  team = sync_cluster_add_team (cluster, "Équipe Caen");
  status = g_test_run ();
  g_free (team);
  sync_cluster_free (cluster);
  return status;
}

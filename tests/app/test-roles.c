/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The window follows the signed-in user's role (CrmSyncStatus, set as the sync engine
 * sets it from /me): every page of the real window is walked, and every record kind
 * opened, looking for a write the role denies — a button, a menu, a check box, a
 * keyboard shortcut. A viewer finds none; a role with writes on some resources finds
 * exactly those.
 */
#define G_LOG_DOMAIN "test-roles"

#include "config.h"

#include <string.h>

#include "crm-list-page.h"
#include "crm-pipeline-page.h"
#include "crm-record-page.h"
#include "crm-tasks-page.h"
#include "crm-test-app.h"
#include "crm-test-pages.h"
#include "crm-test-writes.h"

typedef struct
{
  char *org;
  char *person;
  char *mandat;
  char *interaction;
  char *task;
} Seeded;

static Seeded seeded;

static char *
create (CrmReplica *replica,
        CrmRecord  *record)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRecord) stored = crm_replica_create (replica, record, &error);

  g_assert_no_error (error);
  return g_strdup (crm_record_get_string (stored, "id"));
}

/* One record of each kind, linked together, so every record page has surroundings. */
static void
seed (CrmReplica *replica)
{
  g_autoptr(CrmRecord) org = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);
  g_autoptr(CrmRecord) person = crm_record_new_for_kind (CRM_ENTITY_PERSON);
  g_autoptr(CrmRecord) link = crm_record_new_for_kind (CRM_ENTITY_LINK);
  g_autoptr(CrmRecord) mandat = crm_record_new_for_kind (CRM_ENTITY_MANDAT);
  g_autoptr(CrmRecord) interaction = crm_record_new_for_kind (CRM_ENTITY_INTERACTION);
  g_autoptr(CrmRecord) task = crm_record_new_for_kind (CRM_ENTITY_TASK);
  g_autofree char *link_id = NULL;

  crm_record_set_string (org, "name", "Petit Courtage");
  crm_record_set_string (org, "type", "investor");
  crm_record_set_string (org, "pipeline_stage", "qualified");
  crm_record_set_string (org, "city", "Lille");
  seeded.org = create (replica, org);

  crm_record_set_string (person, "first_name", "Claire");
  crm_record_set_string (person, "last_name", "Martin");
  seeded.person = create (replica, person);

  crm_record_set_string (link, "person_id", seeded.person);
  crm_record_set_string (link, "organisation_id", seeded.org);
  link_id = create (replica, link);

  crm_record_set_string (mandat, "organisation_id", seeded.org);
  crm_record_set_string (mandat, "number", "M-2026-001");
  crm_record_set_string (mandat, "status", "signed");
  seeded.mandat = create (replica, mandat);

  crm_record_set_string (interaction, "organisation_id", seeded.org);
  crm_record_set_string (interaction, "type", "call");
  crm_record_set_string (interaction, "subject", "Point annuel");
  crm_record_set_string (interaction, "occurred_at", "2026-11-20T10:00:00Z");
  seeded.interaction = create (replica, interaction);

  crm_record_set_string (task, "title", "Rappeler Claire");
  crm_record_set_string (task, "organisation_id", seeded.org);
  crm_record_set_string (task, "status", "todo");
  /* "My Tasks" lists the tasks of the replica's user. */
  if (crm_replica_get_user_id (replica) != NULL)
    crm_record_set_string (task, "assignee_id", crm_replica_get_user_id (replica));
  seeded.task = create (replica, task);
}

static void
seeded_clear (void)
{
  g_clear_pointer (&seeded.org, g_free);
  g_clear_pointer (&seeded.person, g_free);
  g_clear_pointer (&seeded.mandat, g_free);
  g_clear_pointer (&seeded.interaction, g_free);
  g_clear_pointer (&seeded.task, g_free);
}

static guint8
viewer_bits (CrmResource resource)
{
  CrmPermissionMatrix matrix;

  crm_permission_matrix_init_default (&matrix);
  return matrix.allowed[CRM_ROLE_VIEWER][resource];
}

static void
set_role (CrmSyncStatus *status,
          const char    *role,
          const guint8   allowed[CRM_N_RESOURCES])
{
  crm_sync_status_set_access (status, "01900000-0000-7000-8000-0000000000cc", role, allowed);
  crm_test_iterate ();
}

static void
open_record (CrmWindow     *window,
             CrmEntityKind  kind,
             const char    *id)
{
  crm_window_open_record (window, kind, id);
  crm_test_iterate ();
  g_assert_nonnull (crm_window_get_record_page (window));
  g_assert_cmpstr (crm_record_page_get_id (CRM_RECORD_PAGE (crm_window_get_record_page (window))), ==, id);
}

static char *
stage_of (CrmReplica *replica,
          const char *id)
{
  g_autoptr(CrmRecord) org = crm_replica_get (replica, CRM_ENTITY_ORGANISATION, id, NULL);

  return g_strdup (crm_record_get_string (org, "pipeline_stage"));
}

/* ---- A viewer ---------------------------------------------------------------------- */

static void
viewer_walks_every_page (CrmApplication *app,
                         CrmWindow      *window)
{
  CrmReplica *replica = crm_window_get_replica (window);
  g_autoptr(CrmSyncStatus) status = crm_sync_status_new ();
  guint8 allowed[CRM_N_RESOURCES];
  g_autoptr(CrmReplicaQuery) all_organisations = crm_replica_query_new (CRM_ENTITY_ORGANISATION);
  GtkWidget *list, *pipeline;
  g_autofree char *stage = NULL;

  seed (replica);
  crm_window_reload (window);
  crm_window_set_sync_status (window, status);

  /* No role yet (the local CRM, or /me not answered): everything is offered. */
  crm_window_show_section (window, CRM_SECTION_ORGANISATIONS);
  g_assert_true (crm_test_has_write (window, "win.new-record"));

  for (CrmResource r = 0; r < CRM_N_RESOURCES; r++)
    allowed[r] = viewer_bits (r);
  set_role (status, "viewer", allowed);
  g_assert_false (crm_window_allows (window, CRM_RESOURCE_ORGANISATIONS, CRM_ACTION_UPDATE));
  g_assert_true (crm_window_allows (window, CRM_RESOURCE_ORGANISATIONS, CRM_ACTION_READ));

  crm_test_walk_as_reader (window);

  /* A row selected in a list: Ctrl+E and Delete do nothing. */
  crm_window_show_section (window, CRM_SECTION_ORGANISATIONS);
  list = crm_window_get_list_page (window, CRM_ENTITY_ORGANISATION);
  g_assert_false (crm_list_page_get_can_create (CRM_LIST_PAGE (list)));
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (gtk_column_view_get_model (crm_list_page_get_column_view (CRM_LIST_PAGE (list)))),
                                   0, TRUE);
  crm_test_iterate ();
  g_assert_nonnull (crm_list_page_get_selected (CRM_LIST_PAGE (list)));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.delete", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.edit", NULL);
  crm_test_iterate ();
  g_assert_null (crm_window_get_record_page (window));
  g_assert_cmpint (crm_replica_count (replica, all_organisations, NULL), ==, 1);

  /* The pipeline: no Move To, and the action refuses. */
  crm_window_show_section (window, CRM_SECTION_PIPELINE);
  pipeline = crm_test_find_widget (GTK_WIDGET (window), CRM_TYPE_PIPELINE_PAGE, NULL);
  g_assert_false (crm_pipeline_page_get_can_move (CRM_PIPELINE_PAGE (pipeline)));
  gtk_widget_activate_action (pipeline, "pipeline.move", "(ss)", seeded.org, "won");
  crm_test_iterate ();
  stage = stage_of (replica, seeded.org);
  g_assert_cmpstr (stage, ==, "qualified");

  /* Every kind of record: read, never edited. */
  open_record (window, CRM_ENTITY_ORGANISATION, seeded.org);
  crm_test_assert_no_writes (window, "an organisation");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.edit", NULL);
  crm_test_iterate ();
  g_assert_false (crm_record_page_get_editing (CRM_RECORD_PAGE (crm_window_get_record_page (window))));
  open_record (window, CRM_ENTITY_PERSON, seeded.person);
  crm_test_assert_no_writes (window, "a person");
  open_record (window, CRM_ENTITY_MANDAT, seeded.mandat);
  crm_test_assert_no_writes (window, "a mandate");
  open_record (window, CRM_ENTITY_INTERACTION, seeded.interaction);
  crm_test_assert_no_writes (window, "an interaction");
  open_record (window, CRM_ENTITY_TASK, seeded.task);
  crm_test_assert_no_writes (window, "a task");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.delete", NULL);
  crm_test_iterate ();
  g_assert_nonnull (crm_window_get_record_page (window));

  /* Back to no account: the same page offers its writes again, without reopening. */
  set_role (status, NULL, NULL);
  g_assert_true (crm_test_has_write (window, "win.edit"));
  g_assert_true (crm_test_has_write (window, "win.delete"));

  crm_window_set_sync_status (window, NULL);
  seeded_clear ();
}

/* ---- Writes on some resources only ------------------------------------------------- */

static void
writes_follow_the_resource (CrmApplication *app,
                            CrmWindow      *window)
{
  CrmReplica *replica = crm_window_get_replica (window);
  g_autoptr(CrmSyncStatus) status = crm_sync_status_new ();
  guint8 allowed[CRM_N_RESOURCES];
  const guint8 edit = (1u << CRM_ACTION_READ) | (1u << CRM_ACTION_CREATE) |
                      (1u << CRM_ACTION_UPDATE) | (1u << CRM_ACTION_DELETE);
  GtkWidget *tasks;

  seed (replica);
  crm_window_reload (window);
  crm_window_set_sync_status (window, status);

  /* Organisations read-only, tasks editable (a custom matrix an admin could set). */
  for (CrmResource r = 0; r < CRM_N_RESOURCES; r++)
    allowed[r] = viewer_bits (r);
  allowed[CRM_RESOURCE_TASKS] = edit;
  set_role (status, "user", allowed);

  crm_window_show_section (window, CRM_SECTION_ORGANISATIONS);
  g_assert_false (crm_test_has_write (window, "win.new-record"));
  crm_window_show_section (window, CRM_SECTION_TASKS);
  tasks = crm_test_find_widget (GTK_WIDGET (window), CRM_TYPE_TASKS_PAGE, NULL);
  g_assert_true (crm_tasks_page_get_can_complete (CRM_TASKS_PAGE (tasks)));
  g_assert_true (crm_test_has_write (window, "a task's check button"));
  crm_window_show_section (window, CRM_SECTION_PIPELINE);
  g_assert_false (crm_test_has_write (window, "a card's Move To menu"));

  /* An organisation's page offers a new task, not a new mandate nor an edit. */
  open_record (window, CRM_ENTITY_ORGANISATION, seeded.org);
  g_assert_true (crm_test_has_write (window, "New _Task"));
  g_assert_false (crm_test_has_write (window, "New _Mandate"));
  g_assert_false (crm_test_has_write (window, "win.edit"));
  g_assert_false (crm_test_has_write (window, "the person chooser"));

  /* The role changes while a task is being edited: the edit ends, nothing is written. */
  open_record (window, CRM_ENTITY_TASK, seeded.task);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.edit", NULL);
  crm_test_iterate ();
  g_assert_true (crm_record_page_get_editing (CRM_RECORD_PAGE (crm_window_get_record_page (window))));
  allowed[CRM_RESOURCE_TASKS] = viewer_bits (CRM_RESOURCE_TASKS);
  set_role (status, "viewer", allowed);
  g_assert_false (crm_record_page_get_editing (CRM_RECORD_PAGE (crm_window_get_record_page (window))));
  crm_test_assert_no_writes (window, "a task after the role changed");

  /* And the pipeline comes back for someone who may change organisations. */
  allowed[CRM_RESOURCE_ORGANISATIONS] = edit;
  set_role (status, "user", allowed);
  crm_window_show_section (window, CRM_SECTION_PIPELINE);
  g_assert_true (crm_test_has_write (window, "a card's Move To menu"));

  crm_window_set_sync_status (window, NULL);
  seeded_clear ();
}

static void run_on_fresh_replica (CrmTestAppFunc func);

/* Every page and every kind of record: an icon-only button names itself. */
static void
every_icon_button_is_named (CrmApplication *app,
                            CrmWindow      *window)
{
  CrmReplica *replica = crm_window_get_replica (window);
  const struct { CrmEntityKind kind; const char **id; } records[] = {
    { CRM_ENTITY_ORGANISATION, (const char **) &seeded.org },
    { CRM_ENTITY_PERSON, (const char **) &seeded.person },
    { CRM_ENTITY_MANDAT, (const char **) &seeded.mandat },
    { CRM_ENTITY_INTERACTION, (const char **) &seeded.interaction },
    { CRM_ENTITY_TASK, (const char **) &seeded.task },
  };

  seed (replica);
  crm_window_reload (window);
  for (CrmSection section = 0; section < CRM_SECTION_ADMIN; section++)
    {
      g_autofree char *unnamed = NULL;

      g_assert_true (crm_window_show_section (window, section));
      crm_test_iterate ();
      unnamed = crm_test_unnamed_buttons (GTK_WIDGET (window));
      if (*unnamed != '\0')
        g_error ("section %d: buttons without a name: %s", section, unnamed);
    }
  for (guint i = 0; i < G_N_ELEMENTS (records); i++)
    {
      g_autofree char *unnamed = NULL;

      open_record (window, records[i].kind, *records[i].id);
      unnamed = crm_test_unnamed_buttons (GTK_WIDGET (window));
      if (*unnamed != '\0')
        g_error ("record %u: buttons without a name: %s", i, unnamed);
      /* And in its edit form. */
      gtk_widget_activate_action (GTK_WIDGET (window), "win.edit", NULL);
      crm_test_iterate ();
      g_free (unnamed);
      unnamed = crm_test_unnamed_buttons (GTK_WIDGET (window));
      if (*unnamed != '\0')
        g_error ("record %u, editing: buttons without a name: %s", i, unnamed);
      crm_record_page_cancel (CRM_RECORD_PAGE (crm_window_get_record_page (window)));
      crm_test_iterate ();
    }
  seeded_clear ();
}

static void
test_icon_buttons_named (void)
{
  run_on_fresh_replica (every_icon_button_is_named);
}

static void
run_on_fresh_replica (CrmTestAppFunc func)
{
  g_autofree char *path = crm_test_replica_path ();
  const char *args[] = { "--replica", path, NULL };

  crm_test_app_run_with_args (args, func);
  crm_test_remove_replica (path);
}

static void
test_viewer (void)
{
  run_on_fresh_replica (viewer_walks_every_page);
}

static void
test_per_resource (void)
{
  run_on_fresh_replica (writes_follow_the_resource);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/app/roles/viewer/no-write-on-any-page", test_viewer);
  g_test_add_func ("/app/roles/per-resource", test_per_resource);
  g_test_add_func ("/app/a11y/icon-buttons-named", test_icon_buttons_named);

  return g_test_run ();
}

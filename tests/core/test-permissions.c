/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-permissions"

#include "config.h"

#include <string.h>

#include "crm-permissions.h"

/*
 * The default matrix, written out again by hand from the product brief and
 * docs/PERMISSIONS.md, one letter per allowed action:
 * r read, c create, u update, d delete, e export, i import, m manage.
 * Deliberately not built from the library's own macros or loops.
 */
static const char *const expected_matrix[CRM_N_ROLES][CRM_N_RESOURCES] = {
  [CRM_ROLE_ADMIN] = {
    [CRM_RESOURCE_ORGANISATIONS] = "rcudeim",
    [CRM_RESOURCE_PEOPLE]        = "rcudeim",
    [CRM_RESOURCE_MANDATS]       = "rcudeim",
    [CRM_RESOURCE_INTERACTIONS]  = "rcudeim",
    [CRM_RESOURCE_TASKS]         = "rcudeim",
    [CRM_RESOURCE_DOCUMENTS]     = "rcudeim",
    [CRM_RESOURCE_USERS]         = "rcudeim",
    [CRM_RESOURCE_ROLES]         = "rcudeim",
    [CRM_RESOURCE_TEAMS]         = "rcudeim",
    [CRM_RESOURCE_SETTINGS]      = "rcudeim",
    [CRM_RESOURCE_REPORTS]       = "rcudeim",
    [CRM_RESOURCE_WEBHOOKS]      = "rcudeim",
  },
  [CRM_ROLE_MANAGER] = {
    [CRM_RESOURCE_ORGANISATIONS] = "rcudei",
    [CRM_RESOURCE_PEOPLE]        = "rcudei",
    [CRM_RESOURCE_MANDATS]       = "rcudei",
    [CRM_RESOURCE_INTERACTIONS]  = "rcudei",
    [CRM_RESOURCE_TASKS]         = "rcudei",
    [CRM_RESOURCE_DOCUMENTS]     = "rcudei",
    [CRM_RESOURCE_USERS]         = "r",
    [CRM_RESOURCE_ROLES]         = "r",
    [CRM_RESOURCE_TEAMS]         = "r",
    [CRM_RESOURCE_SETTINGS]      = "r",
    [CRM_RESOURCE_REPORTS]       = "re",
    [CRM_RESOURCE_WEBHOOKS]      = "",
  },
  [CRM_ROLE_USER] = {
    [CRM_RESOURCE_ORGANISATIONS] = "rcude",
    [CRM_RESOURCE_PEOPLE]        = "rcude",
    [CRM_RESOURCE_MANDATS]       = "rcude",
    [CRM_RESOURCE_INTERACTIONS]  = "rcude",
    [CRM_RESOURCE_TASKS]         = "rcude",
    [CRM_RESOURCE_DOCUMENTS]     = "rcude",
    [CRM_RESOURCE_USERS]         = "r",
    [CRM_RESOURCE_ROLES]         = "",
    [CRM_RESOURCE_TEAMS]         = "r",
    [CRM_RESOURCE_SETTINGS]      = "",
    [CRM_RESOURCE_REPORTS]       = "r",
    [CRM_RESOURCE_WEBHOOKS]      = "",
  },
  [CRM_ROLE_VIEWER] = {
    [CRM_RESOURCE_ORGANISATIONS] = "r",
    [CRM_RESOURCE_PEOPLE]        = "r",
    [CRM_RESOURCE_MANDATS]       = "r",
    [CRM_RESOURCE_INTERACTIONS]  = "r",
    [CRM_RESOURCE_TASKS]         = "r",
    [CRM_RESOURCE_DOCUMENTS]     = "r",
    [CRM_RESOURCE_USERS]         = "r",
    [CRM_RESOURCE_ROLES]         = "",
    [CRM_RESOURCE_TEAMS]         = "r",
    [CRM_RESOURCE_SETTINGS]      = "",
    [CRM_RESOURCE_REPORTS]       = "r",
    [CRM_RESOURCE_WEBHOOKS]      = "",
  },
};

static const char action_letters[CRM_N_ACTIONS] = {
  [CRM_ACTION_READ] = 'r',
  [CRM_ACTION_CREATE] = 'c',
  [CRM_ACTION_UPDATE] = 'u',
  [CRM_ACTION_DELETE] = 'd',
  [CRM_ACTION_EXPORT] = 'e',
  [CRM_ACTION_IMPORT] = 'i',
  [CRM_ACTION_MANAGE] = 'm',
};

static void
test_default_matrix (void)
{
  CrmPermissionMatrix matrix;
  guint checked = 0;

  /* Garbage first, so a cell the initialiser forgets shows up. */
  memset (&matrix, 0xA5, sizeof matrix);
  crm_permission_matrix_init_default (&matrix);

  for (guint role = 0; role < CRM_N_ROLES; role++)
    for (guint res = 0; res < CRM_N_RESOURCES; res++)
      for (guint act = 0; act < CRM_N_ACTIONS; act++)
        {
          gboolean expected = strchr (expected_matrix[role][res], action_letters[act]) != NULL;
          gboolean actual = crm_permission_allows (&matrix, role, res, act);

          if (expected != actual)
            g_error ("%s / %s / %s: expected %s, got %s",
                     crm_role_to_string (role), crm_resource_to_string (res),
                     crm_action_to_string (act), expected ? "allowed" : "denied",
                     actual ? "allowed" : "denied");
          checked++;
        }

  g_assert_cmpuint (checked, ==, 336);
}

static void
test_default_scopes (void)
{
  CrmPermissionMatrix matrix;

  memset (&matrix, 0xA5, sizeof matrix);
  crm_permission_matrix_init_default (&matrix);

  g_assert_cmpint (crm_permission_scope (&matrix, CRM_ROLE_ADMIN), ==, CRM_SCOPE_ALL);
  g_assert_cmpint (crm_permission_scope (&matrix, CRM_ROLE_MANAGER), ==, CRM_SCOPE_TEAM);
  g_assert_cmpint (crm_permission_scope (&matrix, CRM_ROLE_USER), ==, CRM_SCOPE_OWN);
  g_assert_cmpint (crm_permission_scope (&matrix, CRM_ROLE_VIEWER), ==, CRM_SCOPE_TEAM);
}

static void
test_role_levels (void)
{
  /* DESIGN.md §5: the enum values are the role levels. */
  g_assert_cmpint (CRM_ROLE_ADMIN, ==, 3);
  g_assert_cmpint (CRM_ROLE_MANAGER, ==, 2);
  g_assert_cmpint (CRM_ROLE_USER, ==, 1);
  g_assert_cmpint (CRM_ROLE_VIEWER, ==, 0);
}

static void
test_set (void)
{
  CrmPermissionMatrix matrix;
  CrmPermissionMatrix before;

  crm_permission_matrix_init_default (&matrix);

  /* Granting one bit changes that cell only. */
  g_assert_false (crm_permission_allows (&matrix, CRM_ROLE_USER, CRM_RESOURCE_WEBHOOKS,
                                         CRM_ACTION_MANAGE));
  before = matrix;
  crm_permission_set (&matrix, CRM_ROLE_USER, CRM_RESOURCE_WEBHOOKS, CRM_ACTION_MANAGE, TRUE);
  g_assert_true (crm_permission_allows (&matrix, CRM_ROLE_USER, CRM_RESOURCE_WEBHOOKS,
                                        CRM_ACTION_MANAGE));
  for (guint role = 0; role < CRM_N_ROLES; role++)
    for (guint res = 0; res < CRM_N_RESOURCES; res++)
      for (guint act = 0; act < CRM_N_ACTIONS; act++)
        if (!(role == CRM_ROLE_USER && res == CRM_RESOURCE_WEBHOOKS && act == CRM_ACTION_MANAGE))
          g_assert_cmpint (crm_permission_allows (&matrix, role, res, act), ==,
                           crm_permission_allows (&before, role, res, act));

  /* Granting twice is the same as once; revoking restores the default. */
  crm_permission_set (&matrix, CRM_ROLE_USER, CRM_RESOURCE_WEBHOOKS, CRM_ACTION_MANAGE, TRUE);
  crm_permission_set (&matrix, CRM_ROLE_USER, CRM_RESOURCE_WEBHOOKS, CRM_ACTION_MANAGE, FALSE);
  g_assert_cmpmem (&matrix, sizeof matrix, &before, sizeof before);

  /* Revoking one action leaves the others of the cell. */
  crm_permission_set (&matrix, CRM_ROLE_ADMIN, CRM_RESOURCE_ORGANISATIONS, CRM_ACTION_DELETE,
                      FALSE);
  g_assert_false (crm_permission_allows (&matrix, CRM_ROLE_ADMIN, CRM_RESOURCE_ORGANISATIONS,
                                         CRM_ACTION_DELETE));
  for (guint act = 0; act < CRM_N_ACTIONS; act++)
    if (act != CRM_ACTION_DELETE)
      g_assert_true (crm_permission_allows (&matrix, CRM_ROLE_ADMIN,
                                            CRM_RESOURCE_ORGANISATIONS, act));
  /* Revoking what is already denied is harmless. */
  crm_permission_set (&matrix, CRM_ROLE_VIEWER, CRM_RESOURCE_WEBHOOKS, CRM_ACTION_READ, FALSE);
  g_assert_false (crm_permission_allows (&matrix, CRM_ROLE_VIEWER, CRM_RESOURCE_WEBHOOKS,
                                         CRM_ACTION_READ));

  /* Every single cell can be toggled independently. */
  crm_permission_matrix_init_default (&matrix);
  for (guint role = 0; role < CRM_N_ROLES; role++)
    for (guint res = 0; res < CRM_N_RESOURCES; res++)
      for (guint act = 0; act < CRM_N_ACTIONS; act++)
        {
          gboolean was = crm_permission_allows (&matrix, role, res, act);

          crm_permission_set (&matrix, role, res, act, !was);
          g_assert_cmpint (crm_permission_allows (&matrix, role, res, act), ==, !was);
          crm_permission_set (&matrix, role, res, act, was);
          g_assert_cmpint (crm_permission_allows (&matrix, role, res, act), ==, was);
        }
}

static void
test_out_of_range_denied (void)
{
  CrmPermissionMatrix matrix;

  crm_permission_matrix_init_default (&matrix);

  g_test_expect_message ("crm-permissions", G_LOG_LEVEL_CRITICAL, "*role*");
  g_assert_false (crm_permission_allows (&matrix, (CrmRole) 4, CRM_RESOURCE_PEOPLE,
                                         CRM_ACTION_READ));
  g_test_assert_expected_messages ();

  g_test_expect_message ("crm-permissions", G_LOG_LEVEL_CRITICAL, "*resource*");
  g_assert_false (crm_permission_allows (&matrix, CRM_ROLE_ADMIN, CRM_N_RESOURCES,
                                         CRM_ACTION_READ));
  g_test_assert_expected_messages ();

  g_test_expect_message ("crm-permissions", G_LOG_LEVEL_CRITICAL, "*action*");
  g_assert_false (crm_permission_allows (&matrix, CRM_ROLE_ADMIN, CRM_RESOURCE_PEOPLE,
                                         CRM_N_ACTIONS));
  g_test_assert_expected_messages ();

  g_test_expect_message ("crm-permissions", G_LOG_LEVEL_CRITICAL, "*role*");
  g_assert_cmpint (crm_permission_scope (&matrix, (CrmRole) -1), ==, CRM_SCOPE_OWN);
  g_test_assert_expected_messages ();
}

static void
test_strings_round_trip (void)
{
  static const struct { CrmRole role; const char *name; } roles[] = {
    { CRM_ROLE_ADMIN, "admin" }, { CRM_ROLE_MANAGER, "manager" },
    { CRM_ROLE_USER, "user" }, { CRM_ROLE_VIEWER, "viewer" },
  };
  static const struct { CrmResource resource; const char *name; } resources[] = {
    { CRM_RESOURCE_ORGANISATIONS, "organisations" }, { CRM_RESOURCE_PEOPLE, "people" },
    { CRM_RESOURCE_MANDATS, "mandats" }, { CRM_RESOURCE_INTERACTIONS, "interactions" },
    { CRM_RESOURCE_TASKS, "tasks" }, { CRM_RESOURCE_DOCUMENTS, "documents" },
    { CRM_RESOURCE_USERS, "users" }, { CRM_RESOURCE_ROLES, "roles" },
    { CRM_RESOURCE_TEAMS, "teams" }, { CRM_RESOURCE_SETTINGS, "settings" },
    { CRM_RESOURCE_REPORTS, "reports" }, { CRM_RESOURCE_WEBHOOKS, "webhooks" },
  };
  static const struct { CrmAction action; const char *name; } actions[] = {
    { CRM_ACTION_READ, "read" }, { CRM_ACTION_CREATE, "create" },
    { CRM_ACTION_UPDATE, "update" }, { CRM_ACTION_DELETE, "delete" },
    { CRM_ACTION_EXPORT, "export" }, { CRM_ACTION_IMPORT, "import" },
    { CRM_ACTION_MANAGE, "manage" },
  };
  static const struct { CrmScope scope; const char *name; } scopes[] = {
    { CRM_SCOPE_OWN, "own" }, { CRM_SCOPE_TEAM, "team" }, { CRM_SCOPE_ALL, "all" },
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (roles) == CRM_N_ROLES);
  G_STATIC_ASSERT (G_N_ELEMENTS (resources) == CRM_N_RESOURCES);
  G_STATIC_ASSERT (G_N_ELEMENTS (actions) == CRM_N_ACTIONS);

  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      CrmRole back = (CrmRole) 99;

      g_assert_cmpstr (crm_role_to_string (roles[i].role), ==, roles[i].name);
      g_assert_true (crm_role_from_string (roles[i].name, &back));
      g_assert_cmpint (back, ==, roles[i].role);
    }
  for (guint i = 0; i < G_N_ELEMENTS (resources); i++)
    {
      CrmResource back = (CrmResource) 99;

      g_assert_cmpstr (crm_resource_to_string (resources[i].resource), ==, resources[i].name);
      g_assert_true (crm_resource_from_string (resources[i].name, &back));
      g_assert_cmpint (back, ==, resources[i].resource);
    }
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      CrmAction back = (CrmAction) 99;

      g_assert_cmpstr (crm_action_to_string (actions[i].action), ==, actions[i].name);
      g_assert_true (crm_action_from_string (actions[i].name, &back));
      g_assert_cmpint (back, ==, actions[i].action);
    }
  for (guint i = 0; i < G_N_ELEMENTS (scopes); i++)
    {
      CrmScope back = (CrmScope) 99;

      g_assert_cmpstr (crm_scope_to_string (scopes[i].scope), ==, scopes[i].name);
      g_assert_true (crm_scope_from_string (scopes[i].name, &back));
      g_assert_cmpint (back, ==, scopes[i].scope);
    }
}

static void
test_strings_unknown (void)
{
  static const char *bad[] = {
    "", "Admin", "ADMIN", " admin", "admin ", "adm", "administrator", "root",
    "organisation", "Organisations", "person", "persons", "webhook", "report",
    "Read", "write", "edit", "view", "all ", "none", "global", "0", "3",
  };
  CrmRole role = CRM_ROLE_VIEWER;
  CrmResource resource = CRM_RESOURCE_PEOPLE;
  CrmAction action = CRM_ACTION_READ;
  CrmScope scope = CRM_SCOPE_OWN;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (crm_role_from_string (bad[i], &role));
      g_assert_false (crm_resource_from_string (bad[i], &resource));
      g_assert_false (crm_action_from_string (bad[i], &action));
      g_assert_false (crm_scope_from_string (bad[i], &scope));
    }

  /* A failed parse leaves the output untouched. */
  g_assert_cmpint (role, ==, CRM_ROLE_VIEWER);
  g_assert_cmpint (resource, ==, CRM_RESOURCE_PEOPLE);
  g_assert_cmpint (action, ==, CRM_ACTION_READ);
  g_assert_cmpint (scope, ==, CRM_SCOPE_OWN);

  g_assert_false (crm_role_from_string (NULL, &role));
  g_assert_false (crm_resource_from_string (NULL, &resource));
  g_assert_false (crm_action_from_string (NULL, &action));
  g_assert_false (crm_scope_from_string (NULL, &scope));

  /* Names of one kind are not names of another. */
  g_assert_false (crm_role_from_string ("read", &role));
  g_assert_false (crm_action_from_string ("admin", &action));
  g_assert_false (crm_scope_from_string ("user", &scope));
  g_assert_false (crm_resource_from_string ("team", &resource));
}

#define ME     "0195a1b2-0000-7000-8000-00000000000a"
#define OTHER  "0195a1b2-0000-7000-8000-00000000000b"
#define TEAM_A "0195a1b2-0000-7000-8000-0000000000aa"
#define TEAM_B "0195a1b2-0000-7000-8000-0000000000bb"

static void
test_row_visible (void)
{
  /* viewer user, viewer team, scope | row owner, team, assignee | visible */
  static const struct
  {
    const char *user_id, *viewer_team;
    CrmScope    scope;
    const char *owner_id, *team_id, *assignee_id;
    gboolean    visible;
  } cases[] = {
    /* all: everything, even rows with nothing set, even for an anonymous viewer */
    { ME, TEAM_A, CRM_SCOPE_ALL, OTHER, TEAM_B, OTHER, TRUE },
    { ME, TEAM_A, CRM_SCOPE_ALL, NULL, NULL, NULL, TRUE },
    { NULL, NULL, CRM_SCOPE_ALL, OTHER, TEAM_B, NULL, TRUE },

    /* own: owner or assignee, nothing else */
    { ME, TEAM_A, CRM_SCOPE_OWN, ME, TEAM_B, NULL, TRUE },
    { ME, TEAM_A, CRM_SCOPE_OWN, ME, NULL, NULL, TRUE },
    { ME, TEAM_A, CRM_SCOPE_OWN, OTHER, TEAM_B, ME, TRUE },
    { ME, TEAM_A, CRM_SCOPE_OWN, NULL, NULL, ME, TRUE },
    { ME, TEAM_A, CRM_SCOPE_OWN, ME, TEAM_A, ME, TRUE },
    { ME, TEAM_A, CRM_SCOPE_OWN, OTHER, TEAM_A, NULL, FALSE },  /* same team is not enough */
    { ME, TEAM_A, CRM_SCOPE_OWN, OTHER, TEAM_A, OTHER, FALSE },
    { ME, TEAM_A, CRM_SCOPE_OWN, OTHER, TEAM_B, OTHER, FALSE },
    { ME, TEAM_A, CRM_SCOPE_OWN, NULL, NULL, NULL, FALSE },
    { ME, NULL, CRM_SCOPE_OWN, NULL, NULL, NULL, FALSE },
    /* NULL ids never match, not even each other */
    { NULL, TEAM_A, CRM_SCOPE_OWN, NULL, NULL, NULL, FALSE },
    { NULL, TEAM_A, CRM_SCOPE_OWN, NULL, TEAM_A, NULL, FALSE },
    { NULL, NULL, CRM_SCOPE_OWN, OTHER, NULL, OTHER, FALSE },

    /* team: same team, or own */
    { ME, TEAM_A, CRM_SCOPE_TEAM, OTHER, TEAM_A, NULL, TRUE },
    { ME, TEAM_A, CRM_SCOPE_TEAM, OTHER, TEAM_A, OTHER, TRUE },
    { ME, TEAM_A, CRM_SCOPE_TEAM, NULL, TEAM_A, NULL, TRUE },
    { ME, TEAM_A, CRM_SCOPE_TEAM, OTHER, TEAM_B, NULL, FALSE },
    { ME, TEAM_A, CRM_SCOPE_TEAM, OTHER, NULL, NULL, FALSE },
    { ME, TEAM_A, CRM_SCOPE_TEAM, OTHER, NULL, OTHER, FALSE },
    { ME, TEAM_A, CRM_SCOPE_TEAM, ME, TEAM_B, NULL, TRUE },      /* own row in another team */
    { ME, TEAM_A, CRM_SCOPE_TEAM, OTHER, TEAM_B, ME, TRUE },     /* assigned from another team */
    { ME, TEAM_A, CRM_SCOPE_TEAM, ME, NULL, NULL, TRUE },
    /* a viewer without a team sees only their own rows */
    { ME, NULL, CRM_SCOPE_TEAM, OTHER, NULL, NULL, FALSE },
    { ME, NULL, CRM_SCOPE_TEAM, OTHER, TEAM_A, NULL, FALSE },
    { ME, NULL, CRM_SCOPE_TEAM, ME, NULL, NULL, TRUE },
    { ME, NULL, CRM_SCOPE_TEAM, NULL, NULL, ME, TRUE },
    { NULL, NULL, CRM_SCOPE_TEAM, NULL, NULL, NULL, FALSE },
    { NULL, TEAM_A, CRM_SCOPE_TEAM, NULL, TEAM_A, NULL, TRUE },
    { NULL, TEAM_A, CRM_SCOPE_TEAM, NULL, TEAM_B, NULL, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      CrmViewer viewer = { cases[i].user_id, cases[i].viewer_team, cases[i].scope };
      gboolean visible = crm_row_visible (&viewer, cases[i].owner_id, cases[i].team_id,
                                          cases[i].assignee_id);

      if (visible != cases[i].visible)
        g_error ("case %u: expected %s", i, cases[i].visible ? "visible" : "hidden");
    }
}

static void
test_row_visible_compares_text (void)
{
  /* Ids are compared by value, not by pointer. */
  g_autofree char *me_copy = g_strdup (ME);
  g_autofree char *team_copy = g_strdup (TEAM_A);
  CrmViewer own = { ME, TEAM_A, CRM_SCOPE_OWN };
  CrmViewer team = { ME, TEAM_A, CRM_SCOPE_TEAM };

  g_assert_true (crm_row_visible (&own, me_copy, NULL, NULL));
  g_assert_true (crm_row_visible (&own, NULL, NULL, me_copy));
  g_assert_true (crm_row_visible (&team, OTHER, team_copy, NULL));
  /* A prefix is not the same id. */
  g_assert_false (crm_row_visible (&own, "0195a1b2-0000-7000-8000-00000000000", NULL, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/permissions/default-matrix", test_default_matrix);
  g_test_add_func ("/core/permissions/default-scopes", test_default_scopes);
  g_test_add_func ("/core/permissions/role-levels", test_role_levels);
  g_test_add_func ("/core/permissions/set", test_set);
  g_test_add_func ("/core/permissions/out-of-range-denied", test_out_of_range_denied);
  g_test_add_func ("/core/permissions/strings/round-trip", test_strings_round_trip);
  g_test_add_func ("/core/permissions/strings/unknown", test_strings_unknown);
  g_test_add_func ("/core/permissions/row-visible", test_row_visible);
  g_test_add_func ("/core/permissions/row-visible/compares-text", test_row_visible_compares_text);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by the replica tests: a replica in a fresh temporary folder. */
#pragma once

#include <glib/gstdio.h>

#include "crm-replica.h"

#define TEST_USER "01900000-0000-7000-8000-0000000000aa"
#define TEST_TEAM "01900000-0000-7000-8000-0000000000bb"

typedef struct
{
  char       *dir;
  char       *path;
  CrmReplica *replica;
} Fixture;

static inline void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (dir);
}

static inline void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("crm-replica-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "replica.db", NULL);
  f->replica = crm_replica_open (f->path, CRM_REPLICA_OPEN_NONE, &error);
  g_assert_no_error (error);
  g_assert_true (crm_replica_set_user (f->replica, TEST_USER, TEST_TEAM, &error));
  g_assert_no_error (error);
}

static inline void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->replica != NULL)
    g_assert_finalize_object (f->replica);
  remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "crm-replica.h"

G_BEGIN_DECLS

/* The user the seeded replicas belong to. */
#define CRM_TEST_USER  "01900000-0000-7000-8000-0000000000aa"
#define CRM_TEST_OTHER "01900000-0000-7000-8000-0000000000bb"

/* A replica in a fresh temporary folder, signed in as CRM_TEST_USER; the folder goes
 * when the fixture is cleared. */
typedef struct
{
  char       *dir;
  CrmReplica *replica;
} CrmTestReplica;

void        crm_test_replica_init     (CrmTestReplica *fixture);
void        crm_test_replica_clear    (CrmTestReplica *fixture);
/* Marks every queued operation as applied by a server, as if the seeded rows had been
 * synced: later edits then queue operations of their own instead of folding into the
 * creations. */
void        crm_test_replica_settle   (CrmReplica     *replica);

/* Creation through the write path; each returns the new row's id (free it). */
char       *crm_test_add_organisation (CrmReplica     *replica,
                                       const char     *name,
                                       const char     *type,
                                       const char     *stage,
                                       double          aum_eur);
char       *crm_test_add_task         (CrmReplica     *replica,
                                       const char     *title,
                                       const char     *assignee,
                                       const char     *due_at,
                                       const char     *status);

/* RFC 3339 UTC of @hour:00 local time, @days from today. */
char       *crm_test_local_time       (int             days,
                                       int             hour);
/* "YYYY-MM-DD" of the local day @days from today. */
char       *crm_test_local_date       (int             days);

/* The first descendant of @root (itself included) of @type whose widget name is @name
 * (any name when NULL). */
GtkWidget  *crm_test_find_widget      (GtkWidget      *root,
                                       GType           type,
                                       const char     *name);
/* The first descendant button labelled @label. */
GtkWidget  *crm_test_find_button      (GtkWidget      *root,
                                       const char     *label);
/* The first pipeline card under @root (the widget its menu button is attached to, as
 * "crm-menu" data). */
GtkWidget  *crm_test_find_card        (GtkWidget      *root);
/* The first descendant list box row whose "crm-id" data is @id. */
GtkWidget  *crm_test_find_row         (GtkWidget      *root,
                                       const char     *id);

/* Shows @child in a toplevel (inside an AdwToastOverlay when @with_overlay) and lets
 * it map; destroy the returned window at the end. */
GtkWindow  *crm_test_show             (GtkWidget      *child,
                                       gboolean        with_overlay);
void        crm_test_destroy          (GtkWindow      *window);
void        crm_test_spin             (void);

G_END_DECLS

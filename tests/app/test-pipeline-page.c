/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-pipeline-page"

#include "config.h"

#include <string.h>

#include "crm-pipeline-page.h"
#include "crm-test-pages.h"

typedef struct
{
  CrmTestReplica  store;
  char           *big;      /* prospect, 10 M€ */
  char           *small;    /* prospect, 2.5 M€ */
  char           *talking;  /* negotiation, 1 M€ */
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  crm_test_replica_init (&fixture->store);
  fixture->small = crm_test_add_organisation (fixture->store.replica, "Caisse Petite", "investor",
                                              "prospect", 2.5e6);
  fixture->big = crm_test_add_organisation (fixture->store.replica, "Mutuelle Grande", "investor",
                                            "prospect", 10e6);
  fixture->talking = crm_test_add_organisation (fixture->store.replica, "Fondation Tiers", "investor",
                                                "negotiation", 1e6);
  /* Not an investor: not on the board. */
  g_free (crm_test_add_organisation (fixture->store.replica, "Gestion Alpha", "fournisseur",
                                     "prospect", 5e9));
  crm_test_replica_settle (fixture->store.replica);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_free (fixture->big);
  g_free (fixture->small);
  g_free (fixture->talking);
  crm_test_replica_clear (&fixture->store);
}

/* The lanes are read in a thread: wait for the board to show them. */
static GtkWindow *
show_loaded (GtkWidget *page,
             gboolean   with_overlay)
{
  GtkWindow *window = crm_test_show (page, with_overlay);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  gboolean loading = TRUE;

  while (loading && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
      g_object_get (page, "loading", &loading, NULL);
    }
  g_assert_false (loading);

  return window;
}

static GtkWidget *
column (GtkWidget  *page,
        const char *stage)
{
  GtkWidget *widget = crm_test_find_widget (page, GTK_TYPE_BOX, stage);

  g_assert_nonnull (widget);
  return widget;
}

static const char *
column_label (GtkWidget  *page,
              const char *stage,
              const char *name)
{
  GtkWidget *label = crm_test_find_widget (column (page, stage), GTK_TYPE_LABEL, name);

  g_assert_nonnull (label);
  return gtk_label_get_label (GTK_LABEL (label));
}

static GListModel *
column_cards (GtkWidget  *page,
              const char *stage)
{
  GtkWidget *view = crm_test_find_widget (column (page, stage), GTK_TYPE_LIST_VIEW, NULL);

  return G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (view)));
}

static const char *
card_id (GtkWidget  *page,
         const char *stage,
         guint       position)
{
  g_autoptr(GtkStringObject) item = g_list_model_get_item (column_cards (page, stage), position);

  /* The string list owns the text; the item is only borrowed for the lookup. */
  return item != NULL ? gtk_string_object_get_string (item) : NULL;
}

static gint64
outbox_count (CrmReplica *replica)
{
  g_autoptr(GError) error = NULL;
  gint64 n = crm_replica_outbox_count (replica, &error);

  g_assert_no_error (error);
  return n;
}

static char *
stage_of (CrmReplica *replica,
          const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmRecord) org = crm_replica_get (replica, CRM_ENTITY_ORGANISATION, id, &error);

  g_assert_no_error (error);
  return g_strdup (crm_record_get_string (org, "pipeline_stage"));
}

/* The newest queued operation changes @id's pipeline stage to @stage. */
static void
assert_last_op_moves (CrmReplica *replica,
                      const char *id,
                      const char *stage)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ops = crm_replica_outbox_peek (replica, 0, &error);
  g_autofree char *expected = g_strdup_printf ("\"pipeline_stage\":\"%s\"", stage);
  CrmOutboxOp *op;

  g_assert_no_error (error);
  g_assert_cmpuint (ops->len, >, 0);
  op = g_ptr_array_index (ops, ops->len - 1);
  g_assert_cmpstr (op->entity, ==, "organisation");
  g_assert_cmpstr (op->row_id, ==, id);
  g_assert_nonnull (strstr (op->fields, expected));
}

static void
test_pipeline_columns (Fixture       *fixture,
                       gconstpointer  data)
{
  GtkWidget *page = crm_pipeline_page_new (fixture->store.replica);
  GtkWindow *window = show_loaded (page, FALSE);

  g_assert_cmpstr (column_label (page, "prospect", "count"), ==, "2");
  g_assert_cmpstr (column_label (page, "negotiation", "count"), ==, "1");
  g_assert_cmpstr (column_label (page, "won", "count"), ==, "0");
  /* Investors only, the biggest first, assets totalled. */
  g_assert_cmpuint (g_list_model_get_n_items (column_cards (page, "prospect")), ==, 2);
  g_assert_cmpstr (card_id (page, "prospect", 0), ==, fixture->big);
  g_assert_cmpstr (card_id (page, "prospect", 1), ==, fixture->small);
  g_assert_cmpstr (column_label (page, "prospect", "total"), ==, "Assets: 12.5\302\240M€");
  g_assert_false (gtk_widget_get_visible (crm_test_find_widget (column (page, "prospect"),
                                                                GTK_TYPE_LABEL, "more")));

  crm_test_destroy (window);
}

static void
test_pipeline_move_action (Fixture       *fixture,
                           gconstpointer  data)
{
  CrmReplica *replica = fixture->store.replica;
  GtkWidget *page = crm_pipeline_page_new (replica);
  GtkWindow *window = show_loaded (page, TRUE);
  gint64 queued = outbox_count (replica);
  g_autofree char *stage = NULL;

  /* What the card's "Move To" menu item activates. */
  g_assert_true (gtk_widget_activate_action (page, "pipeline.move", "(ss)", fixture->big, "negotiation"));

  stage = stage_of (replica, fixture->big);
  g_assert_cmpstr (stage, ==, "negotiation");
  g_assert_cmpint (outbox_count (replica), ==, queued + 1);
  assert_last_op_moves (replica, fixture->big, "negotiation");

  g_assert_cmpstr (column_label (page, "prospect", "count"), ==, "1");
  g_assert_cmpstr (column_label (page, "negotiation", "count"), ==, "2");
  g_assert_cmpstr (column_label (page, "prospect", "total"), ==, "Assets: 2.5\302\240M€");
  g_assert_cmpstr (column_label (page, "negotiation", "total"), ==, "Assets: 11\302\240M€");
  g_assert_cmpstr (card_id (page, "negotiation", 0), ==, fixture->big);

  crm_test_destroy (window);
}

static gboolean
drop_on (GtkWidget  *page,
         const char *stage,
         const char *id)
{
  GtkWidget *target_column = column (page, stage);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (target_column);
  g_auto(GValue) value = G_VALUE_INIT;
  gboolean accepted = FALSE;

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, id);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        {
          /* The handler a real drop runs, with the string a card's drag source offers. */
          g_signal_emit_by_name (controller, "drop", &value, 10.0, 10.0, &accepted);
          return accepted;
        }
    }
  g_assert_not_reached ();
}

static void
test_pipeline_drop_moves_card (Fixture       *fixture,
                               gconstpointer  data)
{
  CrmReplica *replica = fixture->store.replica;
  GtkWidget *page = crm_pipeline_page_new (replica);
  GtkWindow *window = show_loaded (page, FALSE);
  gint64 queued = outbox_count (replica);
  g_autofree char *stage = NULL;

  g_assert_true (drop_on (page, "won", fixture->talking));

  stage = stage_of (replica, fixture->talking);
  g_assert_cmpstr (stage, ==, "won");
  g_assert_cmpint (outbox_count (replica), ==, queued + 1);
  assert_last_op_moves (replica, fixture->talking, "won");
  g_assert_cmpstr (column_label (page, "negotiation", "count"), ==, "0");
  g_assert_cmpstr (column_label (page, "won", "count"), ==, "1");
  g_assert_cmpuint (g_list_model_get_n_items (column_cards (page, "won")), ==, 1);

  /* Dropped back where it is: refused, nothing written. */
  g_assert_false (drop_on (page, "won", fixture->talking));
  g_assert_cmpint (outbox_count (replica), ==, queued + 1);

  crm_test_destroy (window);
}

static void
test_pipeline_undo_toast_moves_back (Fixture       *fixture,
                                     gconstpointer  data)
{
  CrmReplica *replica = fixture->store.replica;
  GtkWidget *page = crm_pipeline_page_new (replica);
  GtkWindow *window = show_loaded (page, TRUE);
  GtkWidget *overlay = gtk_widget_get_parent (page);
  GtkWidget *undo;
  g_autofree char *stage = NULL;

  g_assert_true (gtk_widget_activate_action (page, "pipeline.move", "(ss)", fixture->small, "lost"));
  crm_test_spin ();

  /* The toast's button, as a click would press it. */
  undo = crm_test_find_button (overlay, "_Undo");
  g_assert_nonnull (undo);
  /* What a click does (activate would wait for the press animation). */
  g_signal_emit_by_name (undo, "clicked");

  stage = stage_of (replica, fixture->small);
  g_assert_cmpstr (stage, ==, "prospect");
  g_assert_cmpstr (column_label (page, "prospect", "count"), ==, "2");
  g_assert_cmpstr (column_label (page, "lost", "count"), ==, "0");

  crm_test_destroy (window);
}

static void
test_pipeline_columns_are_bounded (void)
{
  CrmTestReplica store;
  GtkWidget *page;
  GtkWindow *window;
  GtkWidget *total;
  GtkWidget *more;
  gint64 deadline;
  double sum = 0;
  g_autofree char *amount = NULL;
  g_autofree char *expected = NULL;

  crm_test_replica_init (&store);
  for (int i = 1; i <= 250; i++)
    {
      g_autofree char *name = g_strdup_printf ("Investisseur %03d", i);

      g_free (crm_test_add_organisation (store.replica, name, "investor", "qualified", i * 1e6));
      sum += i * 1e6;
    }

  page = crm_pipeline_page_new (store.replica);
  window = show_loaded (page, FALSE);

  g_assert_cmpstr (column_label (page, "qualified", "count"), ==, "250");
  g_assert_cmpuint (g_list_model_get_n_items (column_cards (page, "qualified")), ==, 200);
  more = crm_test_find_widget (column (page, "qualified"), GTK_TYPE_LABEL, "more");
  g_assert_true (gtk_widget_get_visible (more));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (more)), ==, "and 50 more");

  /* The total covers all 250, read in the background. */
  total = crm_test_find_widget (column (page, "qualified"), GTK_TYPE_LABEL, "total");
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (g_str_has_suffix (gtk_label_get_label (GTK_LABEL (total)), "…")
         && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  g_assert_cmpfloat (sum, ==, 31375e6);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (total)), ==, "Assets: 31.4\302\240bn€");

  crm_test_destroy (window);
  crm_test_replica_clear (&store);
}

static void
test_pipeline_shift_f10_opens_move_menu (Fixture       *fixture,
                                         gconstpointer  data)
{
  GtkWidget *page = crm_pipeline_page_new (fixture->store.replica);
  GtkWindow *window = show_loaded (page, FALSE);
  GtkWidget *view = crm_test_find_widget (column (page, "prospect"), GTK_TYPE_LIST_VIEW, NULL);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (view);
  GtkWidget *card = crm_test_find_card (view);
  GtkMenuButton *menu;
  gboolean handled = FALSE;

  g_assert_nonnull (card);
  menu = g_object_get_data (G_OBJECT (card), "crm-menu");
  /* The keyboard user is on the card's row. */
  g_assert_true (gtk_widget_grab_focus (gtk_widget_get_parent (card)));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        g_signal_emit_by_name (controller, "key-pressed", GDK_KEY_F10, 0, GDK_SHIFT_MASK, &handled);
    }
  g_assert_true (handled);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gtk_menu_button_get_popover (menu))));
  gtk_menu_button_popdown (menu);

  crm_test_destroy (window);
}

typedef struct
{
  int   kind;
  char *id;
} Opened;

static void
open_record_cb (GtkWidget  *page,
                int         kind,
                const char *id,
                Opened     *opened)
{
  opened->kind = kind;
  g_free (opened->id);
  opened->id = g_strdup (id);
}

static void
test_pipeline_activate_opens_record (Fixture       *fixture,
                                     gconstpointer  data)
{
  GtkWidget *page = crm_pipeline_page_new (fixture->store.replica);
  GtkWindow *window = show_loaded (page, FALSE);
  GtkWidget *view = crm_test_find_widget (column (page, "prospect"), GTK_TYPE_LIST_VIEW, NULL);
  Opened opened = { -1, NULL };

  g_signal_connect (page, "open-record", G_CALLBACK (open_record_cb), &opened);
  /* What Enter or a double click on the second card does. */
  g_signal_emit_by_name (view, "activate", 1);

  g_assert_cmpint (opened.kind, ==, CRM_ENTITY_ORGANISATION);
  g_assert_cmpstr (opened.id, ==, fixture->small);

  g_free (opened.id);
  crm_test_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/app/pipeline/columns", Fixture, NULL,
              fixture_setup, test_pipeline_columns, fixture_teardown);
  g_test_add ("/app/pipeline/move-action", Fixture, NULL,
              fixture_setup, test_pipeline_move_action, fixture_teardown);
  g_test_add ("/app/pipeline/drop-moves-card", Fixture, NULL,
              fixture_setup, test_pipeline_drop_moves_card, fixture_teardown);
  g_test_add ("/app/pipeline/undo-toast-moves-back", Fixture, NULL,
              fixture_setup, test_pipeline_undo_toast_moves_back, fixture_teardown);
  g_test_add ("/app/pipeline/activate-opens-record", Fixture, NULL,
              fixture_setup, test_pipeline_activate_opens_record, fixture_teardown);
  g_test_add ("/app/pipeline/shift-f10-opens-move-menu", Fixture, NULL,
              fixture_setup, test_pipeline_shift_f10_opens_move_menu, fixture_teardown);
  g_test_add_func ("/app/pipeline/columns-are-bounded", test_pipeline_columns_are_bounded);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A card dragged across the pipeline with the mouse, as a user does it: the real window
 * on a replica with a few organisations, the Pipeline section shown, and X pointer input
 * synthesized by the XTest extension on the Xvfb server (press on a card, move past the
 * drag threshold in steps to another lane, release). GTK sees the same events a mouse
 * sends, so the card's GtkDragSource, GDK's X11 drag-and-drop and the lane's
 * GtkDropTarget all take part; the move is then checked in the replica and its outbox.
 */
#define G_LOG_DOMAIN "test-pipeline-drag"

#include "config.h"

#include <string.h>

#include <gdk/x11/gdkx.h>
#include <X11/Xlib.h>
#include <X11/extensions/XTest.h>

#include "crm-pipeline-page.h"
#include "crm-test-app.h"
#include "crm-test-pages.h"

/* Far from GTK's 8 px drag threshold in each direction, and in many small steps. */
#define DRAG_STEPS 12

static GtkWidget *
column (GtkWidget  *page,
        const char *stage)
{
  GtkWidget *widget = crm_test_find_widget (page, GTK_TYPE_BOX, stage);

  g_assert_nonnull (widget);
  return widget;
}

static const char *
column_count (GtkWidget  *page,
              const char *stage)
{
  GtkWidget *label = crm_test_find_widget (column (page, stage), GTK_TYPE_LABEL, "count");

  g_assert_nonnull (label);
  return gtk_label_get_label (GTK_LABEL (label));
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

/* Lets the X server and GTK catch up for @ms milliseconds: events read, frames drawn. */
static void
settle (Display *xdisplay,
        guint    ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  XSync (xdisplay, False);
  do
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (2000);
    }
  while (g_get_monotonic_time () < end);
}

/* Where @widget's point (@x, @y) is on the X screen: through the window's widget
 * coordinates, its surface (the client-side decoration's margins) and the X window's
 * place on the root window, as the X server itself reports it. */
static void
screen_point (GtkWidget *widget,
              double     x,
              double     y,
              int       *screen_x,
              int       *screen_y)
{
  GtkNative *native = gtk_widget_get_native (widget);
  GdkSurface *surface = gtk_native_get_surface (native);
  Display *xdisplay = gdk_x11_display_get_xdisplay (gdk_surface_get_display (surface));
  graphene_point_t in_native;
  double surface_x, surface_y;
  int root_x, root_y;
  Window child;

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native),
                                           &GRAPHENE_POINT_INIT ((float) x, (float) y), &in_native));
  gtk_native_get_surface_transform (native, &surface_x, &surface_y);
  g_assert_true (XTranslateCoordinates (xdisplay, gdk_x11_surface_get_xid (surface),
                                        DefaultRootWindow (xdisplay), 0, 0, &root_x, &root_y, &child));
  *screen_x = root_x + (int) (in_native.x + surface_x);
  *screen_y = root_y + (int) (in_native.y + surface_y);
}

typedef struct
{
  GtkWidget *page;
} LoadingWait;

static gboolean
page_loaded (gpointer data)
{
  LoadingWait *wait = data;
  gboolean loading = TRUE;

  g_object_get (wait->page, "loading", &loading, NULL);
  return !loading;
}

static void
drag_card_to_another_lane (CrmApplication *app,
                           CrmWindow      *window)
{
  CrmReplica *replica = crm_window_get_replica (window);
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (window));
  Display *xdisplay;
  int event_base, error_base, major, minor;
  int screen_width, screen_height;
  g_autofree char *big = NULL;
  g_autofree char *small = NULL;
  g_autofree char *talking = NULL;
  g_autofree char *stage = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(GError) error = NULL;
  LoadingWait wait;
  GtkWidget *page, *view, *card, *target;
  const char *card_id;
  graphene_rect_t card_bounds, target_bounds;
  int from_x, from_y, to_x, to_y;
  gint64 queued, deadline;
  CrmOutboxOp *op;

  g_assert_true (GDK_IS_X11_DISPLAY (display));
  xdisplay = gdk_x11_display_get_xdisplay (display);
  if (!XTestQueryExtension (xdisplay, &event_base, &error_base, &major, &minor))
    g_error ("The X server has no XTEST extension: no pointer input can be synthesized");
  screen_width = DisplayWidth (xdisplay, DefaultScreen (xdisplay));
  screen_height = DisplayHeight (xdisplay, DefaultScreen (xdisplay));

  big = crm_test_add_organisation (replica, "Mutuelle Grande", "investor", "prospect", 10e6);
  small = crm_test_add_organisation (replica, "Caisse Petite", "investor", "prospect", 2.5e6);
  talking = crm_test_add_organisation (replica, "Fondation Tiers", "investor", "negotiation", 1e6);
  crm_test_replica_settle (replica);
  crm_window_reload (window);

  g_assert_true (crm_window_show_section (window, CRM_SECTION_PIPELINE));
  page = crm_test_find_widget (GTK_WIDGET (window), CRM_TYPE_PIPELINE_PAGE, NULL);
  g_assert_nonnull (page);
  wait.page = page;
  crm_test_wait_until (page_loaded, &wait);
  settle (xdisplay, 300);
  g_assert_true (gtk_widget_get_mapped (page));
  g_assert_true (crm_pipeline_page_get_can_move (CRM_PIPELINE_PAGE (page)));

  g_assert_cmpstr (column_count (page, "prospect"), ==, "2");
  g_assert_cmpstr (column_count (page, "qualified"), ==, "0");
  g_assert_cmpstr (column_count (page, "negotiation"), ==, "1");
  queued = outbox_count (replica);
  g_assert_cmpint (queued, ==, 0);

  /* The top card of the "prospect" lane (the biggest first), onto the next lane. */
  view = crm_test_find_widget (column (page, "prospect"), GTK_TYPE_LIST_VIEW, NULL);
  card = crm_test_find_card (view);
  g_assert_nonnull (card);
  g_assert_true (gtk_widget_get_mapped (card));
  card_id = g_object_get_data (G_OBJECT (card), "crm-id");
  g_assert_cmpstr (card_id, ==, big);
  target = column (page, "qualified");
  g_assert_true (gtk_widget_get_mapped (target));

  g_assert_true (gtk_widget_compute_bounds (card, card, &card_bounds));
  g_assert_true (gtk_widget_compute_bounds (target, target, &target_bounds));
  /* On the card's text, away from its menu button on the right. */
  screen_point (card, card_bounds.size.width / 3, card_bounds.size.height / 2, &from_x, &from_y);
  /* The middle of the other lane, on the card's row. */
  {
    graphene_point_t row;

    g_assert_true (gtk_widget_compute_point (card, target,
                                             &GRAPHENE_POINT_INIT (0, card_bounds.size.height / 2), &row));
    screen_point (target, target_bounds.size.width / 2, row.y, &to_x, &to_y);
  }
  g_test_message ("Dragging %s from (%d, %d) to (%d, %d) on a %dx%d screen",
                  card_id, from_x, from_y, to_x, to_y, screen_width, screen_height);
  g_assert_cmpint (from_x, >, 0);
  g_assert_cmpint (from_x, <, screen_width);
  g_assert_cmpint (from_y, >, 0);
  g_assert_cmpint (from_y, <, screen_height);
  g_assert_cmpint (to_x, <, screen_width);
  g_assert_cmpint (to_y, <, screen_height);
  g_assert_cmpint (to_x - from_x, >, 8 * DRAG_STEPS);

  /* Hover, press, move in steps, release: what a hand on a mouse sends. */
  XTestFakeMotionEvent (xdisplay, DefaultScreen (xdisplay), from_x, from_y, CurrentTime);
  settle (xdisplay, 100);
  XTestFakeButtonEvent (xdisplay, 1, True, CurrentTime);
  settle (xdisplay, 100);
  for (int i = 1; i <= DRAG_STEPS; i++)
    {
      int x = from_x + (to_x - from_x) * i / DRAG_STEPS;
      int y = from_y + (to_y - from_y) * i / DRAG_STEPS;

      XTestFakeMotionEvent (xdisplay, DefaultScreen (xdisplay), x, y, CurrentTime);
      settle (xdisplay, 50);
    }
  /* Over the lane a while, as a hand pauses before letting go: the drop target has been
   * told where the pointer is before the release. */
  settle (xdisplay, 200);
  XTestFakeButtonEvent (xdisplay, 1, False, CurrentTime);
  settle (xdisplay, 100);

  /* The drop reads the card's id and writes the move: wait for it, 10 s at most. */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  for (;;)
    {
      g_free (stage);
      stage = stage_of (replica, big);
      if (g_strcmp0 (stage, "qualified") == 0 || g_get_monotonic_time () > deadline)
        break;
      settle (xdisplay, 20);
    }
  g_assert_cmpstr (stage, ==, "qualified");

  /* Queued for the server: one update of the stage of that organisation. */
  g_assert_cmpint (outbox_count (replica), ==, queued + 1);
  ops = crm_replica_outbox_peek (replica, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ops->len, ==, 1);
  op = g_ptr_array_index (ops, 0);
  g_assert_cmpstr (op->entity, ==, "organisation");
  g_assert_cmpstr (op->row_id, ==, big);
  expected = g_strdup_printf ("\"pipeline_stage\":\"%s\"", "qualified");
  g_assert_nonnull (strstr (op->fields, expected));

  /* The others stay where they were. */
  g_free (stage);
  stage = stage_of (replica, small);
  g_assert_cmpstr (stage, ==, "prospect");
  g_free (stage);
  stage = stage_of (replica, talking);
  g_assert_cmpstr (stage, ==, "negotiation");

  /* The board shows it: one card fewer in "prospect", one in "qualified". */
  settle (xdisplay, 100);
  g_assert_cmpstr (column_count (page, "prospect"), ==, "1");
  g_assert_cmpstr (column_count (page, "qualified"), ==, "1");
  g_assert_cmpstr (column_count (page, "negotiation"), ==, "1");
  {
    GtkWidget *lane = crm_test_find_widget (target, GTK_TYPE_LIST_VIEW, NULL);
    GListModel *cards = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (lane)));
    g_autoptr(GtkStringObject) moved = g_list_model_get_item (cards, 0);

    g_assert_cmpuint (g_list_model_get_n_items (cards), ==, 1);
    g_assert_cmpstr (gtk_string_object_get_string (moved), ==, big);
  }
}

static void
test_drag_with_the_pointer (void)
{
  g_autofree char *path = crm_test_replica_path ();
  const char *args[] = { "--replica", path, NULL };

  crm_test_app_run_with_args (args, drag_card_to_another_lane);
  crm_test_remove_replica (path);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/app/pipeline/drag-with-the-pointer", test_drag_with_the_pointer);

  return g_test_run ();
}

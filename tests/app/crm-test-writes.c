/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What counts as a write on screen, for the tests of a role's window: a sensitive
 * widget bound to a write action, a task's check button, a pipeline card's Move To
 * menu, the "new linked record" buttons and the person chooser of a record page.
 */
#define G_LOG_DOMAIN "crm-test-writes"

#include "config.h"

#include <string.h>

#include "crm-record-chooser.h"
#include "crm-record-page.h"
#include "crm-test-app.h"
#include "crm-test-writes.h"

static const char *const write_actions[] = {
  "win.new-record", "win.new-organisation", "win.edit", "win.delete", "win.save",
  "pipeline.move", NULL,
};

static const char *const new_related_labels[] = {
  "New _Mandate", "New _Interaction", "New _Task", NULL,
};

static const char *
describe_write (GtkWidget *widget)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  if (GTK_IS_ACTIONABLE (widget))
    {
      const char *action = gtk_actionable_get_action_name (GTK_ACTIONABLE (widget));

      if (action != NULL && g_strv_contains (write_actions, action) && gtk_widget_is_sensitive (widget))
        return action;
    }
  if (CRM_IS_RECORD_CHOOSER (widget))
    return "the person chooser";
  if (GTK_IS_CHECK_BUTTON (widget) && g_strcmp0 (tooltip, "Mark as done") == 0)
    return "a task's check button";
  if (GTK_IS_MENU_BUTTON (widget) && g_strcmp0 (tooltip, "Move To…") == 0)
    return "a card's Move To menu";
  if (ADW_IS_BUTTON_CONTENT (widget) &&
      g_strv_contains (new_related_labels, adw_button_content_get_label (ADW_BUTTON_CONTENT (widget))))
    return adw_button_content_get_label (ADW_BUTTON_CONTENT (widget));
  return NULL;
}

/* Every write the user can see and use under @root. */
static void
collect_writes (GtkWidget *root,
                GPtrArray *found)
{
  const char *what;

  /* A hidden widget hides its children: what is not drawn cannot be used. */
  if (!gtk_widget_get_visible (root) || !gtk_widget_get_child_visible (root))
    return;
  if ((what = describe_write (root)) != NULL)
    g_ptr_array_add (found, (gpointer) what);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_writes (child, found);
}

char *
crm_test_writes_on_screen (CrmWindow *window)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  crm_test_iterate ();
  collect_writes (GTK_WIDGET (window), found);
  g_ptr_array_add (found, NULL);
  return g_strjoinv (", ", (char **) found->pdata);
}

gboolean
crm_test_has_write (CrmWindow  *window,
                    const char *what)
{
  g_autofree char *writes = crm_test_writes_on_screen (window);

  return strstr (writes, what) != NULL;
}

void
crm_test_assert_no_writes (CrmWindow  *window,
                           const char *where)
{
  g_autofree char *writes = crm_test_writes_on_screen (window);

  if (*writes != '\0')
    g_error ("%s offers writes the role denies: %s", where, writes);
}

void
crm_test_walk_as_reader (CrmWindow *window)
{
  /* Administration is not even offered to a reader. */
  g_assert_false (crm_window_show_section (window, CRM_SECTION_ADMIN));
  for (CrmSection section = 0; section < CRM_SECTION_ADMIN; section++)
    {
      g_autofree char *where = g_strdup_printf ("section %d", section);

      g_assert_true (crm_window_show_section (window, section));
      crm_test_assert_no_writes (window, where);
      /* Ctrl+N goes through the same action: no creation page opens. */
      gtk_widget_activate_action (GTK_WIDGET (window), "win.new-record", NULL);
      crm_test_iterate ();
      g_assert_null (crm_window_get_record_page (window));
    }
}

static gboolean
is_icon_only (GtkWidget *widget)
{
  GtkWidget *child;

  if (GTK_IS_MENU_BUTTON (widget))
    return gtk_menu_button_get_label (GTK_MENU_BUTTON (widget)) == NULL &&
           gtk_menu_button_get_child (GTK_MENU_BUTTON (widget)) == NULL;
  if (!GTK_IS_BUTTON (widget) || GTK_IS_CHECK_BUTTON (widget) || GTK_IS_LIST_BOX_ROW (widget))
    return FALSE;
  if (gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
    return FALSE;
  child = gtk_button_get_child (GTK_BUTTON (widget));
  return child == NULL || GTK_IS_IMAGE (child);
}

static void
collect_unnamed (GtkWidget *root,
                 GPtrArray *found)
{
  if (!gtk_widget_get_visible (root) || !gtk_widget_get_child_visible (root))
    return;
  /* A button that shows only an icon says what it does in its tooltip. */
  if (is_icon_only (root) && gtk_widget_get_tooltip_text (root) == NULL &&
      gtk_widget_get_parent (root) != NULL &&
      /* GTK's own: a menu button's inner button, the window's title-bar controls. */
      !GTK_IS_MENU_BUTTON (gtk_widget_get_parent (root)) &&
      !GTK_IS_WINDOW_CONTROLS (gtk_widget_get_parent (root)))
    g_ptr_array_add (found, g_strdup_printf ("%s in %s", G_OBJECT_TYPE_NAME (root),
                                             G_OBJECT_TYPE_NAME (gtk_widget_get_parent (root))));
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_unnamed (child, found);
}

char *
crm_test_unnamed_buttons (GtkWidget *root)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);

  collect_unnamed (root, found);
  g_ptr_array_add (found, NULL);
  return g_strjoinv (", ", (char **) found->pdata);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "alforis-crm"

#include "config.h"

#include <locale.h>
#include <sys/stat.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include <gtk/gtk.h>

#include "crm-application.h"

/* Whether this process is the executable meson just built, as opposed to an installed copy.
 * Compared by inode, so a build directory reached through a symbolic link still matches. */
static gboolean
crm_running_from_build_tree (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *exe_dir = NULL;
  GStatBuf exe_dir_stat;
  GStatBuf build_dir_stat;

  if (exe == NULL)
    return FALSE;

  exe_dir = g_path_get_dirname (exe);
  if (g_stat (exe_dir, &exe_dir_stat) != 0 || g_stat (CRM_BUILD_APP_DIR, &build_dir_stat) != 0)
    return FALSE;

  return exe_dir_stat.st_dev == build_dir_stat.st_dev
         && exe_dir_stat.st_ino == build_dir_stat.st_ino;
}

/* C, POSIX, C.UTF-8, C.utf8…: no language chosen. */
static gboolean
is_c_locale (const char *name)
{
  return g_str_equal (name, "C") || g_str_equal (name, "POSIX") || g_str_has_prefix (name, "C.");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CrmApplication) app = NULL;
  const char *locale_dir = LOCALEDIR;

  const char *locale = setlocale (LC_ALL, "");
  const char *messages = setlocale (LC_MESSAGES, NULL);

  /* The advisors who use this app work in French. On a machine with no language of its
   * own (a bare root console, a fresh image whose LANG is C.UTF-8 and where fr_FR was
   * never generated) speak French rather than the English source strings, unless the
   * user chose a LANGUAGE. LANGUAGE needs a UTF-8 locale to be honoured. */
  if (messages == NULL || is_c_locale (messages))
    {
      if (locale == NULL || g_str_equal (locale, "C") || g_str_equal (locale, "POSIX"))
        setlocale (LC_ALL, "C.UTF-8");
      g_setenv ("LANGUAGE", "fr", FALSE);
    }
  /* GTK would call setlocale (LC_ALL, "") again at start-up and undo the fallback. */
  gtk_disable_setlocale ();

  /* `make run` starts the app from the build tree, where nothing is installed yet: use the
   * catalogues and the schema meson has just built, so a developer sees the French UI. */
  if (crm_running_from_build_tree ())
    {
      locale_dir = CRM_BUILD_LOCALE_DIR;
      g_setenv ("GSETTINGS_SCHEMA_DIR", CRM_BUILD_SCHEMA_DIR, FALSE);
    }

  bindtextdomain (GETTEXT_PACKAGE, locale_dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Alforis CRM"));

  app = crm_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}

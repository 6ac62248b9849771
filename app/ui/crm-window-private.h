/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "crm-access.h"
#include "crm-global-search.h"
#include "crm-sync-button.h"
#include "crm-window.h"

G_BEGIN_DECLS

struct _CrmWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  CrmReplica           *replica;
  CrmSection            section;
  GtkWidget            *section_pages[CRM_N_SECTIONS]; /* NULL where no page exists */
  GtkWidget            *section_rows[CRM_N_SECTIONS];
  GtkWidget            *lists[CRM_N_ENTITIES];        /* CrmListPage per listed entity */
  AdwViewStack         *tasks_stack;  /* "mine" (the tasks page) or "all" (the list) */
  guint                 stale;        /* bit per section: read it again when shown */
  GQueue                back_stack;   /* char* "kind:id" of the records opened before */
  GtkWidget            *record_page;  /* the CrmRecordPage shown, or NULL */
  AdwToast             *toast;        /* weak */
  gboolean              read_only;    /* a viewer: no create, edit or delete */
  CrmAccess             access;       /* what the signed-in role allows (all when local) */
  CrmSyncEngine        *engine;       /* signed in to a server, or NULL */

  /* Template children */
  AdwLeaflet           *leaflet;
  GtkListBox           *sidebar_list;
  GtkWidget            *back_button;
  CrmGlobalSearch      *search;
  GtkMenuButton        *primary_menu_button;
  GtkWidget            *new_organisation_button;
  CrmSyncButton        *sync_button;
  GtkRevealer          *conflict_banner;
  GtkLabel             *conflict_banner_label;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *content_stack;
  AdwStatusPage        *empty_page;
  AdwStatusPage        *error_page;
  GtkSpinner           *loading_spinner;
  AdwBin               *record_bin;
};

/* crm-window-actions.c */
void crm_window_class_install_actions (GtkWidgetClass *widget_class);
void crm_window_update_actions        (CrmWindow      *self);
void crm_window_go_back               (CrmWindow      *self);
void crm_window_show_toast            (CrmWindow      *self,
                                       AdwToast       *toast);

/* crm-window-sync.c */
void crm_window_class_install_sync_actions (GtkWidgetClass *widget_class);
void crm_window_update_sync            (CrmWindow      *self);
/* Reads the role again from the status (and read-only mode) and tells every page. */
void crm_window_update_access          (CrmWindow      *self);
/* Hands the window's access to every page made so far. */
void crm_window_apply_access           (CrmWindow      *self);

/* Whether the Administration section is offered: an engine and a role that manages users. */
gboolean crm_window_shows_admin       (CrmWindow      *self);
/* Drops the Administration page (the engine or the role changed). */
void crm_window_drop_admin            (CrmWindow      *self);

/* crm-window.c */
void crm_window_update_content        (CrmWindow      *self);
/* The list page the current section shows, or NULL (a record page, the dashboard...). */
GtkWidget *crm_window_get_current_list (CrmWindow     *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "crm-access.h"
#include "crm-record-page.h"

G_BEGIN_DECLS

struct _CrmRecordPage
{
  GtkWidget      parent_instance;

  CrmReplica    *replica;
  CrmEntityKind  kind;
  char          *id;
  CrmRecord     *record;
  CrmRecordForm *form;
  gboolean       editing;
  CrmAccess      access;         /* what the role allows; all by default */
  GtkWidget     *person_chooser;
  GPtrArray     *link_groups;    /* GtkWidget*, rebuilt by each reload */
  GPtrArray     *history_rows;
  GPtrArray     *timeline_rows;

  /* Template children */
  GtkWidget     *scrolled_window;
  GtkLabel      *title_label;
  GtkLabel      *subtitle_label;
  GtkWidget     *delete_button;
  GtkWidget     *edit_button;
  GtkWidget     *restore_button;
  GtkWidget     *cancel_button;
  GtkWidget     *save_button;
  GtkWidget     *deleted_label;
  GtkBox        *columns;
  guint          layout_idle;
  GtkWidget     *side_column;
  GtkBox        *form_slot;
  GtkBox        *links_box;
  GtkWidget     *timeline_group;
  GtkWidget     *history_group;
  AdwExpanderRow *history_row;
};

enum {
  CRM_RECORD_PAGE_OPEN_RECORD,
  CRM_RECORD_PAGE_NEW_RELATED,
  CRM_RECORD_PAGE_SAVED,
  CRM_RECORD_PAGE_CANCELLED,
  CRM_RECORD_PAGE_RESTORED,
  CRM_RECORD_PAGE_N_SIGNALS
};

extern guint crm_record_page_signals[CRM_RECORD_PAGE_N_SIGNALS];

/* crm-record-page-links.c */
void crm_record_page_load_links    (CrmRecordPage *self);
/* crm-record-page-activity.c */
void crm_record_page_load_activity (CrmRecordPage *self);

G_END_DECLS

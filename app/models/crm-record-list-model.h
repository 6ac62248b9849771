/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "crm-replica.h"
#include "crm-record-item.h"

G_BEGIN_DECLS

/* Rows per page: what one replica call reads for the rows a list shows. */
#define CRM_RECORD_LIST_PAGE_SIZE 100

#define CRM_TYPE_RECORD_LIST_MODEL (crm_record_list_model_get_type ())

G_DECLARE_FINAL_TYPE (CrmRecordListModel, crm_record_list_model, CRM, RECORD_LIST_MODEL, GObject)

/*
 * A GListModel of CrmRecordItem over one entity of the replica, with the replica's
 * filters and sort. It holds the row count and only the pages around what the view
 * asks for (a bounded cache). Pages come through the replica's keyset cursors: the
 * page after a known one is read at once; a page far from any known cursor (a jump
 * of the scrollbar) is sought in a worker thread, walking from the nearest known
 * cursor in either direction of the sort, and its placeholder items are filled in
 * place when it arrives.
 */
CrmRecordListModel *crm_record_list_model_new          (CrmReplica         *replica,
                                                        CrmEntityKind       kind);
CrmEntityKind       crm_record_list_model_get_kind     (CrmRecordListModel *self);
CrmReplica         *crm_record_list_model_get_replica  (CrmRecordListModel *self);

/* The query; changes apply at the next reload. */
void                crm_record_list_model_clear_filters(CrmRecordListModel *self);
void                crm_record_list_model_add_filter   (CrmRecordListModel *self,
                                                        const char         *field,
                                                        CrmReplicaCmp       cmp,
                                                        const char         *value);
guint               crm_record_list_model_get_n_filters(CrmRecordListModel *self);
void                crm_record_list_model_set_sort     (CrmRecordListModel *self,
                                                        const char         *field,
                                                        gboolean            descending);
const char         *crm_record_list_model_get_sort     (CrmRecordListModel *self,
                                                        gboolean           *descending);

/* Counts again and drops every cached page; items-changed covers the whole list. */
gboolean            crm_record_list_model_reload       (CrmRecordListModel *self,
                                                        GError            **error);
/* A row changed without moving: the cached item showing it takes the new value. */
void                crm_record_list_model_update_record(CrmRecordListModel *self,
                                                        CrmRecord          *record);

/* What the cache holds, for tests and the curious. */
gboolean            crm_record_list_model_is_loaded    (CrmRecordListModel *self,
                                                        guint               position);
guint               crm_record_list_model_get_n_cached_rows (CrmRecordListModel *self);
/* TRUE while a page is being sought in the background. */
gboolean            crm_record_list_model_is_seeking   (CrmRecordListModel *self);

G_END_DECLS

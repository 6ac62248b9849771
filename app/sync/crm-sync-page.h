/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-sync-page.h — a pull page (DESIGN.md §4) read into the replica's records.
 *
 * The reader walks the page's bytes once and fills CrmRecords as it goes: no JsonNode
 * tree per page (json-glib's tree was most of a first sync's CPU). It is strict: a page
 * that is not the JSON the server writes (malformed, truncated, a member of the wrong
 * type, a number past 64 bits, a depth past 32) is a CRM_SYNC_ERROR_PROTOCOL error with
 * a French sentence, and nothing of it is handed on. Unknown members are skipped (a
 * newer server may add some), as crm_record_from_json () skips unknown fields.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "crm-replica.h"

G_BEGIN_DECLS

typedef struct
{
  GArray       *changes;    /* CrmReplicaChange; ids in @strings, data in @records */
  GArray       *revokes;    /* CrmReplicaRevoke; ids in @strings */
  GPtrArray    *conflicts;  /* JsonObject*: the server's conflict objects, as they came */
  GPtrArray    *records;    /* CrmRecord*, owned */
  GStringChunk *strings;
  gint64        cursor;
  gint64        head;       /* @cursor when the page does not say */
  gboolean      has_more;
  gint64        epoch;
} CrmSyncPage;

/* Largest page accepted (the server's largest page of 5,000 rows is far below). */
#define CRM_SYNC_PAGE_MAX_BYTES (64 * 1024 * 1024)

CrmSyncPage *crm_sync_page_parse       (const char  *data,
                                        gsize        length,
                                        GError     **error);
/* The same page read through json-glib's tree and crm_record_from_json (): the way
 * pages were read before, kept so tests hold the two readers to each other. */
CrmSyncPage *crm_sync_page_parse_tree  (const char  *data,
                                        gsize        length,
                                        GError     **error);
/* An empty page (crm-sync-page-tree.c builds one too). */
CrmSyncPage *crm_sync_page_new         (void);
void         crm_sync_page_free        (CrmSyncPage *page);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmSyncPage, crm_sync_page_free)

G_END_DECLS

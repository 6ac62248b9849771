/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-replica-sync.h — what the replica offers the sync engine and the inbox page
 * beyond crm-replica.h (issue 5): a row fetched again after a refused op, the
 * quarantined edits, and the server's ids of conflicts.
 */
#pragma once

#include "crm-replica.h"

G_BEGIN_DECLS

/*
 * The row as the server has it now, fetched again after the server refused an op on
 * it, so the refused value does not stay on screen (the rejection inbox keeps it).
 * Applied as a pulled change (fields of queued ops stay local, history kept) even at
 * the version the replica already has; an older one is ignored. The cursor does not
 * move.
 */
gboolean     crm_replica_refresh_row       (CrmReplica             *self,
                                            const CrmReplicaChange *change,
                                            GError                **error);

/* One quarantined edit (DESIGN.md §4: local edits to a row the server revoked). */
typedef struct
{
  gint64      qid;
  char       *op_id;
  const char *entity;          /* wire name; static */
  char       *row_id;
  char       *kind;            /* create, update, delete, restore */
  char       *fields;          /* JSON object of the fields the user typed */
  char       *row_data;        /* JSON of the row as it was when it left (may be NULL) */
  char       *reason;          /* "revoked" */
  char       *why;             /* a French sentence for the inbox */
  char       *quarantined_at;  /* RFC 3339 */
} CrmReplicaQuarantined;

void         crm_replica_quarantined_free  (CrmReplicaQuarantined *item);
/* Every quarantined edit, oldest first, one entry per edit. */
GPtrArray   *crm_replica_list_quarantined  (CrmReplica           *self,
                                            GError              **error);
/* The user gives the edit up: it leaves the quarantine (nothing is sent). */
gboolean     crm_replica_dismiss_quarantined (CrmReplica         *self,
                                            gint64                qid,
                                            GError              **error);
/* The user applies it again: only once the row is back in the replica (it was given
 * back to them); then it is an ordinary edit (validated, queued) and leaves the
 * quarantine. While the row is away: CRM_REPLICA_ERROR_NOT_FOUND with a sentence that
 * says what to do, and nothing changes. */
gboolean     crm_replica_reapply_quarantined (CrmReplica         *self,
                                            gint64                qid,
                                            GError              **error);

/* ---- the server's conflict records (crm-replica-conflicts.c) ----------------------- */

/* Records @conflict with the id of the server's record, unless a conflict with that id
 * is already here (resolved or not): a record is shown once. */
gboolean     crm_replica_add_server_conflict (CrmReplica       *self,
                                            const CrmReplicaConflict *conflict,
                                            const char           *op_id,
                                            const char           *server_id,
                                            GError              **error);
/* Server ids of the conflicts resolved here (crm_replica_resolve_conflict) that the
 * server has not been told of yet, oldest first. */
GPtrArray   *crm_replica_list_unreported_resolutions (CrmReplica *self,
                                            GError              **error);
gboolean     crm_replica_mark_resolution_reported (CrmReplica    *self,
                                            const char           *server_id,
                                            GError              **error);

/* ---- epoch re-sync (crm-replica-sync.c) ------------------------------------------------ */

/* Starts a re-sync from cursor 0 in @epoch: the outbox stays, the list of rows seen is
 * emptied; both persist, so a restart resumes it. */
gboolean     crm_replica_resync_begin      (CrmReplica           *self,
                                            gint64                epoch,
                                            GError              **error);
gboolean     crm_replica_resync_running    (CrmReplica           *self,
                                            gboolean             *running,
                                            GError              **error);
/* crm_replica_apply_pull() that also notes the page's rows as seen, in its transaction. */
gboolean     crm_replica_apply_resync_page (CrmReplica             *self,
                                            const CrmReplicaChange *changes,
                                            guint                   n_changes,
                                            const CrmReplicaRevoke *revokes,
                                            guint                   n_revokes,
                                            gint64                  cursor,
                                            gint64                  epoch,
                                            GError                **error);
/* The end: every row not seen and not in a queued op is revoked (its local edits are
 * quarantined), the re-sync is over, the cursor is @cursor; one transaction. */
gboolean     crm_replica_resync_finish     (CrmReplica           *self,
                                            gint64                cursor,
                                            gint64                epoch,
                                            GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmReplicaQuarantined, crm_replica_quarantined_free)

G_END_DECLS

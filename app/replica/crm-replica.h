/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-replica.h — the local SQLite replica (issue 3, DESIGN.md §3–4).
 *
 * The desktop app reads and writes only this store. Every write is validated by
 * core/, changes its row, appends field history and queues its operation in the
 * outbox, all in one transaction. GTK-free: the sync engine and the tests use it
 * directly.
 *
 * A CrmReplica is one SQLite connection. Its functions may be called from any
 * thread, one call at a time (an internal lock serialises them); open a second
 * replica on the same file for concurrent readers.
 */
#pragma once

#include <glib-object.h>

#include "crm-record.h"

G_BEGIN_DECLS

#define CRM_REPLICA_ERROR (crm_replica_error_quark ())

typedef enum
{
  CRM_REPLICA_ERROR_FAILED,       /* anything else; the message carries SQLite's words */
  CRM_REPLICA_ERROR_CANNOT_OPEN,  /* missing folder, no permission to create the file */
  CRM_REPLICA_ERROR_NEWER_SCHEMA, /* made by a newer version of the app */
  CRM_REPLICA_ERROR_READ_ONLY,    /* the file or its folder is not writable */
  CRM_REPLICA_ERROR_BUSY,         /* another program holds the database locked */
  CRM_REPLICA_ERROR_DISK_FULL,
  CRM_REPLICA_ERROR_CORRUPT,      /* damaged file: reopen to have it set aside and rebuilt */
  CRM_REPLICA_ERROR_NOT_FOUND,
  CRM_REPLICA_ERROR_INVALID,      /* a bad filter, sort, cursor or argument */
  CRM_REPLICA_ERROR_REFERENCE,    /* points at a row this replica does not have */
  CRM_REPLICA_ERROR_DUPLICATE,    /* a mandat number already used */
  CRM_REPLICA_ERROR_DELETED,      /* editing a row that is in the bin */
} CrmReplicaError;

GQuark crm_replica_error_quark (void);

typedef enum
{
  CRM_REPLICA_OPEN_NONE            = 0,
  /* Run PRAGMA integrity_check (every page, every index) at open. Without it,
   * only a replica whose last session did not close cleanly is checked, with
   * the cheaper quick_check. */
  CRM_REPLICA_OPEN_CHECK_INTEGRITY = 1 << 0,
} CrmReplicaOpenFlags;

#define CRM_TYPE_REPLICA (crm_replica_get_type ())
G_DECLARE_FINAL_TYPE (CrmReplica, crm_replica, CRM, REPLICA, GObject)

/*
 * Opens (creating it if needed) the replica at @path, or a private in-memory one
 * for ":memory:". Brings its schema up to date. A file that fails its integrity
 * check is moved aside (never deleted) to "<path>.corrupt-<time>", a fresh replica
 * takes its place, and the readable outbox operations are carried over; ask
 * crm_replica_get_recovery() afterwards to tell the user.
 */
CrmReplica  *crm_replica_open              (const char           *path,
                                            CrmReplicaOpenFlags   flags,
                                            GError              **error);
/* Checkpoints and closes; later calls fail. Also done when the last ref goes. */
gboolean     crm_replica_close             (CrmReplica           *self,
                                            GError              **error);

const char  *crm_replica_get_path          (CrmReplica           *self);
int          crm_replica_get_schema_version(CrmReplica           *self);
/* TRUE when open found a damaged file and rebuilt it; @moved_to is where the
 * damaged file now is, @n_salvaged the outbox operations carried over. */
gboolean     crm_replica_get_recovery      (CrmReplica           *self,
                                            const char          **moved_to,
                                            guint                *n_salvaged);
/* How long a write waits for another connection's lock before CRM_REPLICA_ERROR_BUSY. */
void         crm_replica_set_busy_timeout  (CrmReplica           *self,
                                            guint                 milliseconds);

/* Who is editing: stamped as created_by/updated_by, default owner and team. */
gboolean     crm_replica_set_user          (CrmReplica           *self,
                                            const char           *user_id,
                                            const char           *team_id,
                                            GError              **error);
const char  *crm_replica_get_user_id       (CrmReplica           *self);
/* The id the server knows this replica by (made once, survives a rebuild). */
const char  *crm_replica_get_client_id     (CrmReplica           *self);

/* ---- Writes (crm-replica-write.c) ------------------------------------------ */

/* Inserts @record (its id is made if absent) and returns the stored row. */
CrmRecord   *crm_replica_create            (CrmReplica           *self,
                                            const CrmRecord      *record,
                                            GError              **error);
/* Applies the present fields of @changes; returns the stored row. Changing
 * nothing is not an error and queues nothing. */
CrmRecord   *crm_replica_update            (CrmReplica           *self,
                                            CrmEntityKind         kind,
                                            const char           *id,
                                            const CrmRecord      *changes,
                                            GError              **error);
/* Tombstones (the row stays, for sync, restore and audit) and restores. */
gboolean     crm_replica_delete            (CrmReplica           *self,
                                            CrmEntityKind         kind,
                                            const char           *id,
                                            GError              **error);
gboolean     crm_replica_restore           (CrmReplica           *self,
                                            CrmEntityKind         kind,
                                            const char           *id,
                                            GError              **error);

/* ---- Reads (crm-replica-read.c) -------------------------------------------- */

/* Any row, deleted or not (look at its "deleted" field). */
CrmRecord   *crm_replica_get               (CrmReplica           *self,
                                            CrmEntityKind         kind,
                                            const char           *id,
                                            GError              **error);

typedef enum
{
  CRM_REPLICA_EQ,
  CRM_REPLICA_NE,
  CRM_REPLICA_LT,
  CRM_REPLICA_LE,
  CRM_REPLICA_GT,
  CRM_REPLICA_GE,
  CRM_REPLICA_IS_NULL,
  CRM_REPLICA_NOT_NULL,
} CrmReplicaCmp;

typedef struct _CrmReplicaQuery CrmReplicaQuery;

/*
 * A list request: filters (ANDed), one sort column, a page size and the cursor
 * of the previous page. Values are in wire text form ("true", "2026-03-01",
 * "negotiation"). Besides the entity's own fields, people accept
 * "organisation_id" (through their links) and interactions "person_id" (a
 * participant). With a search text, rows come ranked by relevance and the
 * cursor is ignored: a search shows its best matches, it is not paged. Search
 * covers live rows only (tombstones are not indexed).
 */
CrmReplicaQuery *crm_replica_query_new     (CrmEntityKind         kind);
void         crm_replica_query_free        (CrmReplicaQuery      *query);
CrmEntityKind crm_replica_query_get_kind   (const CrmReplicaQuery *query);
void         crm_replica_query_filter      (CrmReplicaQuery      *query,
                                            const char           *field,
                                            CrmReplicaCmp         cmp,
                                            const char           *value);
void         crm_replica_query_sort        (CrmReplicaQuery      *query,
                                            const char           *field,
                                            gboolean              descending);
void         crm_replica_query_set_limit   (CrmReplicaQuery      *query,
                                            guint                 limit);
void         crm_replica_query_set_after   (CrmReplicaQuery      *query,
                                            const char           *cursor);
/* A page at a row position (a scrollbar dragged to the middle of a long list):
 * @offset rows of the filtered, sorted (or, with a search, ranked) list are
 * skipped before it. The page's next cursor continues from there. Exclusive
 * with crm_replica_query_set_after(): a query with both is refused
 * (CRM_REPLICA_ERROR_INVALID). Its cost grows with @offset (the index is
 * walked, rows are not read): 2 ms at 60,000, 8 ms at 240,000 (1M rows). */
void         crm_replica_query_set_offset  (CrmReplicaQuery      *query,
                                            gint64                offset);
void         crm_replica_query_set_search  (CrmReplicaQuery      *query,
                                            const char           *text);
void         crm_replica_query_set_include_deleted (CrmReplicaQuery *query,
                                            gboolean              include_deleted);

/* One page of rows (CrmRecord*) in the order of the sort column (NULLs first
 * ascending, last descending), ties broken by an internal row number.
 * *@next_cursor (may be NULL) receives the cursor of the next page, or NULL at
 * the end. With an index on the sort column (the filters and sorts of issue 3
 * have one), a page costs the same at any depth. */
GPtrArray   *crm_replica_list              (CrmReplica           *self,
                                            const CrmReplicaQuery *query,
                                            char                **next_cursor,
                                            GError              **error);
/* Rows matching the filters (and search), ignoring limit and cursor; -1 on error. */
gint64       crm_replica_count             (CrmReplica           *self,
                                            const CrmReplicaQuery *query,
                                            GError              **error);

/* An organisation's people with their role, or a person's organisations. */
typedef struct
{
  CrmRecord *link;  /* the person_organisation_link */
  CrmRecord *other; /* the person (for an organisation) or the organisation (for a person) */
} CrmReplicaMember;

void         crm_replica_member_free       (CrmReplicaMember     *member);
GPtrArray   *crm_replica_organisation_people (CrmReplica         *self,
                                            const char           *organisation_id,
                                            GError              **error);
GPtrArray   *crm_replica_person_organisations (CrmReplica        *self,
                                            const char           *person_id,
                                            GError              **error);

/* ---- Dashboard, timeline, history (crm-replica-activity.c) -------------------- */

typedef struct
{
  const char *stage;  /* wire value; static */
  gint64      count;
} CrmStageCount;

typedef struct
{
  CrmStageCount stages[16];  /* every pipeline stage, in schema order */
  guint         n_stages;
  gint64        tasks_due_today;
  gint64        tasks_overdue;
  gint64        mandats_expiring;
  GPtrArray    *expiring_mandats;    /* CrmRecord*, soonest end first */
  GPtrArray    *recent_interactions; /* CrmRecord*, newest first */
} CrmReplicaDashboard;

void         crm_replica_dashboard_free    (CrmReplicaDashboard  *dashboard);
/* Figures for @user_id (tasks assigned to them) as of @today ("YYYY-MM-DD", NULL =
 * today in UTC): mandats ending within @expiring_days, the @n_recent latest
 * interactions. */
CrmReplicaDashboard *crm_replica_dashboard (CrmReplica           *self,
                                            const char           *user_id,
                                            const char           *today,
                                            guint                 expiring_days,
                                            guint                 n_recent,
                                            GError              **error);

typedef enum
{
  CRM_TIMELINE_INTERACTION,
  CRM_TIMELINE_TASK,
  CRM_TIMELINE_MANDAT,       /* a mandat signed, starting or ending */
  CRM_TIMELINE_FIELD_CHANGE, /* a change to the record itself */
  CRM_TIMELINE_LINK,         /* a person joined an organisation */
} CrmTimelineKind;

typedef struct
{
  CrmTimelineKind kind;
  char           *at;      /* RFC 3339 or a date */
  const char     *entity;  /* wire name of the entity the item is about; static */
  char           *id;
  char           *title;   /* a subject, a title, "Mandat M-2025-001 signé", a field label */
  char           *detail;  /* an outcome, a status, "ancienne → nouvelle"; may be NULL */
} CrmTimelineItem;

void         crm_timeline_item_free        (CrmTimelineItem      *item);
/* Activity of an organisation or a person, newest first; @before (an "at" of a
 * previous page, or NULL) pages back in time. */
GPtrArray   *crm_replica_timeline          (CrmReplica           *self,
                                            CrmEntityKind         kind,
                                            const char           *id,
                                            const char           *before,
                                            guint                 limit,
                                            GError              **error);

typedef struct
{
  char *field;
  char *old_value;  /* wire text, NULL for null */
  char *new_value;
  char *changed_by;
  char *changed_at;
  char *op_kind;    /* create, update, delete, restore, remote */
  gboolean remote;  /* pulled from the server rather than made here */
} CrmHistoryEntry;

void         crm_history_entry_free        (CrmHistoryEntry      *entry);
/* Every applied change of a row, oldest first. */
GPtrArray   *crm_replica_history           (CrmReplica           *self,
                                            CrmEntityKind         kind,
                                            const char           *id,
                                            GError              **error);

/* ---- Search (crm-replica-search.c) ----------------------------------------- */

typedef struct
{
  CrmRecord *record;
  char      *snippet; /* the matching text with the match between [ and ] */
  double     rank;    /* lower is better: bm25's term-frequency part with the column
                       * weights (no IDF, no length norm: see crm-replica-search.c) */
  gboolean   fuzzy;   /* found through the typo-tolerant fallback */
} CrmSearchHit;

typedef struct
{
  CrmEntityKind kind;
  GPtrArray    *hits; /* CrmSearchHit*, best first */
} CrmSearchGroup;

void         crm_search_hit_free           (CrmSearchHit         *hit);
void         crm_search_group_free         (CrmSearchGroup       *group);

/* Searches organisations, people, mandats, interactions and tasks; returns the
 * non-empty groups (CrmSearchGroup*), the group with the best hit first, at most
 * @limit hits each. With @filters, only its entity is searched, within its filters. */
GPtrArray   *crm_replica_search            (CrmReplica           *self,
                                            const char           *text,
                                            const CrmReplicaQuery *filters,
                                            guint                 limit,
                                            GError              **error);

/* ---- Outbox and sync state (crm-replica-outbox.c) --------------------------- */

typedef struct
{
  gint64      seq;
  char       *op_id;
  const char *entity;   /* wire name; static */
  char       *row_id;
  char       *kind;     /* create, update, delete, restore */
  gint64      base_version;
  char       *fields;   /* JSON object of the changed fields */
  gboolean    in_flight;
  int         attempts;
} CrmOutboxOp;

void         crm_outbox_op_free            (CrmOutboxOp          *op);
/* The oldest @limit queued operations, in order (0 = all). */
GPtrArray   *crm_replica_outbox_peek       (CrmReplica           *self,
                                            guint                 limit,
                                            GError              **error);
gint64       crm_replica_outbox_count      (CrmReplica           *self,
                                            GError              **error);
/* The op was sent: it will not be coalesced with later edits any more. */
gboolean     crm_replica_outbox_mark_sent  (CrmReplica           *self,
                                            const char           *op_id,
                                            GError              **error);
/* The server applied (or merged) it at @version: dequeued, and the row's
 * version advanced so later edits carry the right base. */
gboolean     crm_replica_outbox_applied    (CrmReplica           *self,
                                            const char           *op_id,
                                            gint64                version,
                                            GError              **error);
/* A 4xx: moved to the rejection inbox with the server's problem+json. */
gboolean     crm_replica_outbox_reject     (CrmReplica           *self,
                                            const char           *op_id,
                                            const char           *problem_json,
                                            GError              **error);
/* A 5xx or network error: stays queued, counted, sendable again. */
gboolean     crm_replica_outbox_retry_later(CrmReplica           *self,
                                            const char           *op_id,
                                            const char           *reason,
                                            GError              **error);
gint64       crm_replica_rejection_count   (CrmReplica           *self,
                                            GError              **error);

/* An op the server refused, as the user sees it in the rejection inbox. */
typedef struct
{
  CrmOutboxOp op;          /* the operation as it was queued */
  char       *problem;     /* the server's problem+json */
  char       *rejected_at;
} CrmReplicaRejection;

void         crm_replica_rejection_free    (CrmReplicaRejection  *rejection);
/* The rejections not yet dismissed, oldest first. */
GPtrArray   *crm_replica_list_rejections   (CrmReplica           *self,
                                            GError              **error);
/* The user has seen it (and fixed the record, or given up). */
gboolean     crm_replica_dismiss_rejection (CrmReplica           *self,
                                            const char           *op_id,
                                            GError              **error);

gboolean     crm_replica_get_sync_position (CrmReplica           *self,
                                            gint64               *cursor,
                                            gint64               *epoch,
                                            GError              **error);
gboolean     crm_replica_set_sync_position (CrmReplica           *self,
                                            gint64                cursor,
                                            gint64                epoch,
                                            GError              **error);

/* ---- Applying the server's changes (crm-replica-sync.c) -------------------- */

typedef struct
{
  CrmEntityKind    kind;
  const char      *id;
  gint64           version;
  gboolean         deleted;
  const CrmRecord *data;    /* the full row as the server has it; may be NULL for a tombstone */
} CrmReplicaChange;

typedef struct
{
  CrmEntityKind kind;
  const char   *id;
} CrmReplicaRevoke;

/*
 * Applies one pull page and its cursor in one transaction (DESIGN.md §4): a kill
 * leaves the replica at the old cursor or the new one. Fields with a queued
 * local op keep their local value until the op is settled ("downloads never wait
 * for uploads"); every other changed field is applied and kept in the field
 * history as a remote change. A change older than the row is ignored, so a page
 * delivered twice changes nothing. Revoked rows leave the replica; queued local
 * edits to them move to the quarantine, never dropped.
 */
gboolean     crm_replica_apply_pull        (CrmReplica             *self,
                                            const CrmReplicaChange *changes,
                                            guint                   n_changes,
                                            const CrmReplicaRevoke *revokes,
                                            guint                   n_revokes,
                                            gint64                  cursor,
                                            gint64                  epoch,
                                            GError                **error);
gint64       crm_replica_quarantine_count  (CrmReplica           *self,
                                            GError              **error);

typedef struct
{
  gint64      cid;
  const char *entity; /* wire name; static */
  char       *row_id;
  char       *field;  /* NULL for a conflict of kind "deleted" */
  char       *kind;   /* "field" or "deleted" */
  char       *mine;   /* wire text */
  char       *theirs;
  char       *by;
  char       *at;
} CrmReplicaConflict;

void         crm_replica_conflict_free     (CrmReplicaConflict   *conflict);
/* Records a conflict the server reported (DESIGN.md §4). */
gboolean     crm_replica_add_conflict      (CrmReplica           *self,
                                            const CrmReplicaConflict *conflict,
                                            const char           *op_id,
                                            GError              **error);
/* Unresolved conflicts of one row (or of every row when @id is NULL). */
GPtrArray   *crm_replica_list_conflicts    (CrmReplica           *self,
                                            CrmEntityKind         kind,
                                            const char           *id,
                                            GError              **error);
/* "Garder la mienne" queues an update with the local value; "garder la leur"
 * only closes the conflict. */
gboolean     crm_replica_resolve_conflict  (CrmReplica           *self,
                                            gint64                cid,
                                            gboolean              keep_mine,
                                            GError              **error);

/* ---- Initial load of an empty replica (crm-replica-load.c) ------------------- */

/*
 * The fast path for filling an EMPTY replica (no rows, nothing queued): the
 * first sync, the demo data. Between begin and commit, one write transaction
 * is open on this connection; rows go in without their indexes, full-text
 * entries and vocabulary, which commit builds in one pass each. Other writes
 * through this CrmReplica fail with CRM_REPLICA_ERROR_BUSY meanwhile (they
 * would otherwise join the load's transaction); reads work and see the rows
 * loaded so far, though not yet in search results.
 *
 * All or nothing: an error, an abort, a close or a killed process leaves the
 * replica empty, with its schema whole, ready for the load to start over. The
 * load itself skips fsync; commit syncs once at the end (a power cut before
 * that loses the load: the replica is empty again, at cursor 0).
 */
/* Fails with CRM_REPLICA_ERROR_INVALID when the replica is not empty. */
gboolean     crm_replica_initial_load_begin (CrmReplica          *self,
                                            GError              **error);
/* Full rows, as the server has them (id and version required; the deleted
 * field says whether the row is a tombstone). A row whose id was already
 * loaded replaces it only with a higher version, so pages may overlap. On an
 * error, the load is abandoned (as by crm_replica_initial_load_abort()). */
gboolean     crm_replica_initial_load_rows (CrmReplica           *self,
                                            CrmRecord *const     *rows,
                                            guint                 n_rows,
                                            GError              **error);
/* The same for the changes of a pull page (revokes have nothing to act on in
 * an initial load): what the sync engine hands crm_replica_apply_pull(). */
gboolean     crm_replica_initial_load_changes (CrmReplica         *self,
                                            const CrmReplicaChange *changes,
                                            guint                 n_changes,
                                            GError              **error);
/* Builds the indexes, stores the sync @cursor and @epoch (unless @cursor is
 * negative) and commits. On an error, the load is abandoned. */
gboolean     crm_replica_initial_load_commit (CrmReplica         *self,
                                            gint64                cursor,
                                            gint64                epoch,
                                            GError              **error);
/* Rolls the load back: the replica is empty again. Does nothing without a load. */
void         crm_replica_initial_load_abort (CrmReplica          *self);
gboolean     crm_replica_is_loading        (CrmReplica           *self);

/* ---- Demo data (crm-replica-demo.c) ----------------------------------------- */

/* A deterministic generator of the demo rows of crm_replica_fill_demo(), for
 * callers that time or place the rows themselves (the benchmark). */
typedef struct _CrmReplicaDemo CrmReplicaDemo;

CrmReplicaDemo *crm_replica_demo_new       (guint                 n_rows,
                                            guint32               seed,
                                            const char           *user_id);
void         crm_replica_demo_free         (CrmReplicaDemo       *demo);
/* How many rows the generator makes in all. */
guint        crm_replica_demo_get_n_rows   (const CrmReplicaDemo *demo);
/* The next rows (CrmRecord*), about @max_rows of them (a person comes with
 * their link); an empty array at the end. */
GPtrArray   *crm_replica_demo_next         (CrmReplicaDemo       *demo,
                                            guint                 max_rows);

/* Fills the replica with realistic French CRM data at scale @n_rows, in the
 * proportions of issue 3: @n_rows / 10 organisations, 4 × @n_rows / 10 people and
 * as many links, @n_rows / 20 mandats, 3 × @n_rows / 10 interactions and
 * 15 × @n_rows / 100 tasks (so 1,000,000 gives 1.4 million rows; 3,000 a demo of
 * about 4,000). The same @seed gives the same data (ids aside: UUIDv7 carry the
 * time). Rows are written as if pulled from a server (version 1, nothing queued),
 * in one transaction: through the initial load when the replica is empty. */
gboolean     crm_replica_fill_demo         (CrmReplica           *self,
                                            guint                 n_rows,
                                            guint32               seed,
                                            GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmReplicaQuery, crm_replica_query_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmReplicaDemo, crm_replica_demo_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmReplicaMember, crm_replica_member_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmReplicaDashboard, crm_replica_dashboard_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmTimelineItem, crm_timeline_item_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmHistoryEntry, crm_history_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmSearchHit, crm_search_hit_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmSearchGroup, crm_search_group_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmOutboxOp, crm_outbox_op_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmReplicaRejection, crm_replica_rejection_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmReplicaConflict, crm_replica_conflict_free)

G_END_DECLS

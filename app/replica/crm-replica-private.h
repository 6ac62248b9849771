/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-replica-private.h — what the files of the replica share: the connection,
 * the statement cache, transactions, error mapping and the row codec.
 */
#pragma once

#include <sqlite3.h>

#include "crm-replica.h"
#include "crm-search-query.h"

G_BEGIN_DECLS

/* The entities stored in the replica: every synced one. */
#define CRM_REPLICA_N_KINDS (CRM_ENTITY_NOTIFICATION + 1)

struct _CrmReplica
{
  GObject     parent_instance;

  GRecMutex   lock;
  sqlite3    *db;
  char       *path;
  char       *marker_path;      /* exists while a session is open: a crash leaves it */
  GHashTable *statements;       /* SQL text -> sqlite3_stmt*, prepared once */
  GHashTable *known_terms;      /* words crm_terms() already handed to search_terms */
  gboolean    bulk;             /* a bulk load defers indexing of the rows it inserts */
  gint64      bulk_start[CRM_REPLICA_N_KINDS]; /* the last rid before the load */
  GPtrArray  *bulk_indexes;     /* CREATE INDEX statements to run again at the end */
  gboolean    loading;          /* an initial load holds the write transaction */
  GPtrArray  *load_schema;      /* indexes and triggers it dropped, as CREATE statements */
  gboolean    load_journal;     /* the load writes the file through a rollback journal */
  int         busy_timeout_ms;  /* as set by crm_replica_set_busy_timeout() */
  sqlite3_stmt *load_stmts[CRM_REPLICA_N_KINDS];   /* its upserts, made when first needed */
  gpointer    load_vocab;       /* its words, cut on a thread of their own (crm-replica-load.c) */
  char       *select_columns[CRM_REPLICA_N_KINDS]; /* "t.id, t.version, ..." */
  char       *insert_sql[CRM_REPLICA_N_KINDS];     /* every column, in schema order */
  int         schema_version;
  char       *client_id;
  char       *user_id;
  char       *team_id;
  gboolean    saw_corruption;   /* keep the marker so the next open checks the file */

  gboolean    recovered;
  char       *recovered_to;
  guint       n_salvaged;
};

/* The page cache of a connection, in KiB (PRAGMA cache_size takes it negative). */
#define CRM_REPLICA_CACHE_KIB -32000

/* The database page, in bytes: 16 KiB rather than SQLite's 4 KiB. A million-row
 * initial load writes a gigabyte of B-trees and reads its tables back for the
 * indexes; a quarter as many pages makes it 13 % faster (16.4 s → 14.5 s,
 * docs/PERFORMANCE.md) for the same search and list timings. Set when the file
 * is created; an older replica gets it at its initial load (crm-replica-load.c). */
#define CRM_REPLICA_PAGE_SIZE 16384

#define CRM_REPLICA_LOCKED(self) \
  g_autoptr(GRecMutexLocker) G_PASTE (locker_, __LINE__) = g_rec_mutex_locker_new (&(self)->lock)

/* crm-replica.c */
gboolean             crm_replica_check_open     (CrmReplica         *self,
                                                 GError            **error);
sqlite3_stmt        *crm_replica_prepare        (CrmReplica         *self,
                                                 const char         *sql,
                                                 GError            **error);
gboolean             crm_replica_exec           (CrmReplica         *self,
                                                 const char         *sql,
                                                 GError            **error);
gboolean             crm_replica_begin          (CrmReplica         *self,
                                                 GError            **error);
gboolean             crm_replica_commit         (CrmReplica         *self,
                                                 GError            **error);
void                 crm_replica_rollback       (CrmReplica         *self);
/* Steps a write statement to completion and resets it. */
gboolean             crm_replica_step_done      (CrmReplica         *self,
                                                 sqlite3_stmt       *stmt,
                                                 GError            **error);
/* Sets @error from the connection's last failure (@rc), in French. */
void                 crm_replica_set_sqlite_error (CrmReplica       *self,
                                                 int                 rc,
                                                 GError            **error);
const CrmEntityInfo *crm_replica_entity         (CrmEntityKind       kind,
                                                 GError            **error);

/* crm-replica-outbox.c: crm_replica_outbox_applied () inside a transaction the caller
 * holds (with the replica's lock), for a push batch settled in one transaction. */
gboolean             crm_replica_outbox_applied_in_transaction (CrmReplica *self,
                                                                const char *op_id,
                                                                gint64      version,
                                                                GError    **error);

/* crm-replica-row.c */
/* Every field of @entity, in schema order, as "<alias>.<col>, ...". */
char                *crm_replica_row_columns    (const CrmEntityInfo *entity,
                                                 const char          *alias);
/* Reads the columns above, starting at result column @first. */
CrmRecord           *crm_replica_row_read       (const CrmEntityInfo *entity,
                                                 sqlite3_stmt        *stmt,
                                                 int                  first);
/* Binds a field of @record (NULL when absent or null) in its column's storage. */
void                 crm_replica_row_bind       (sqlite3_stmt        *stmt,
                                                 int                  index,
                                                 const CrmRecord     *record,
                                                 const CrmFieldInfo  *field);
/* Binds a value given in wire text form, converted for @field's column. */
gboolean             crm_replica_bind_text_value (sqlite3_stmt       *stmt,
                                                 int                  index,
                                                 const CrmFieldInfo  *field,
                                                 const char          *text,
                                                 GError             **error);
/* Reads the row with @id (deleted or not); NULL with NOT_FOUND if absent. */
CrmRecord           *crm_replica_row_get        (CrmReplica          *self,
                                                 const CrmEntityInfo *entity,
                                                 const char          *id,
                                                 GError             **error);
/* "INSERT INTO <table> (<every field>) VALUES (?, ...)". */
char                *crm_replica_row_insert_sql (const CrmEntityInfo *entity);
/* Inserts a full row (absent fields as NULL). */
gboolean             crm_replica_row_insert     (CrmReplica          *self,
                                                 const CrmRecord     *row,
                                                 GError             **error);

/* crm-replica-search.c */
gboolean             crm_replica_register_functions (CrmReplica      *self);
/* The MATCH expression for what was typed: each word quoted, the last one a
 * prefix (or the known words it begins); NULL with @error unset when empty. */
char                *crm_replica_match_expression (CrmReplica         *self,
                                                 const CrmSearchQuery *query,
                                                 GError            **error);
/* The FTS5 table of an entity (NULL when it has none) and its column weights. */
const char          *crm_replica_fts_table      (CrmEntityKind        kind);
const char          *crm_replica_fts_weights    (CrmEntityKind        kind);
/* The indexed text of @record around the first word matching @query, with that
 * word between [ and ]; NULL if no indexed field holds one. */
char                *crm_replica_snippet        (const CrmRecord     *record,
                                                 const CrmSearchQuery *query);

/* crm-replica-bulk.c */
/* Bulk loads, inside a transaction: rows inserted between the two calls are
 * indexed (FTS and vocabulary) in one pass by crm_replica_bulk_end(). */
gboolean             crm_replica_bulk_begin     (CrmReplica          *self,
                                                 GError             **error);
gboolean             crm_replica_bulk_end       (CrmReplica          *self,
                                                 GError             **error);
/* The columns of @kind's FTS5 table (NULL when it has none), NULL-terminated. */
const char *const   *crm_replica_fts_columns    (CrmEntityKind        kind);
/* Indexes the live rows of @kind past @after_rid in its FTS5 table, in one pass. */
gboolean             crm_replica_fts_fill       (CrmReplica          *self,
                                                 CrmEntityKind        kind,
                                                 gint64               after_rid,
                                                 GError             **error);

/* crm-replica-query.c */
typedef struct
{
  const CrmFieldInfo *field;  /* NULL for the pseudo filters */
  const char         *pseudo; /* "organisation_id" on people, "person_id" on interactions */
  CrmReplicaCmp       cmp;
  char               *value;
} Filter;

struct _CrmReplicaQuery
{
  CrmEntityKind kind;
  GArray       *filters;
  char         *bad_field;   /* first unknown field: reported when the query runs */
  const CrmFieldInfo *sort;
  gboolean      descending;
  guint         limit;
  char         *after;
  gint64        offset;      /* rows skipped before the page (exclusive with after) */
  char         *search;
  gboolean      include_deleted;
};

typedef enum
{
  BIND_FIELD_TEXT, /* wire text converted for a field's column */
  BIND_TEXT,
  BIND_INT,
  BIND_DOUBLE,
  BIND_NULL,
} BindKind;

typedef struct
{
  BindKind            kind;
  const CrmFieldInfo *field;
  char               *text;
  gint64              number;
  double              real;
} Bind;

GArray              *crm_replica_binds_new      (void);
void                 crm_replica_binds_add_text (GArray              *binds,
                                                 const CrmFieldInfo  *field,
                                                 const char          *text);
void                 crm_replica_binds_add_int  (GArray              *binds,
                                                 gint64               number);
gboolean             crm_replica_binds_apply    (GArray              *binds,
                                                 sqlite3_stmt        *stmt,
                                                 GError             **error);
/* Appends " WHERE ..." for the filters (and the search, with @with_search) of
 * @query over the table aliased t; FALSE on a bad query. */
gboolean             crm_replica_query_append_where (const CrmReplicaQuery *query,
                                                 GString             *sql,
                                                 GArray              *binds,
                                                 gboolean             with_search,
                                                 GError             **error);

/* crm-replica-read.c */
/* Rows of @kind matching the FTS5 expression @match within @filters (may be
 * NULL), best first: CrmSearchHit* with rank and a snippet showing @words. */
GPtrArray           *crm_replica_match          (CrmReplica            *self,
                                                 CrmEntityKind          kind,
                                                 const CrmReplicaQuery *filters,
                                                 const char            *match,
                                                 const char            *words,
                                                 guint                  limit,
                                                 GError               **error);

/* crm-replica-write.c */
/* One field_history row; @remote_by is the author of a pulled change, NULL for
 * a change made here (by the replica's user). */
gboolean             crm_replica_history_append (CrmReplica          *self,
                                                 const char          *entity,
                                                 const char          *row_id,
                                                 const char          *field,
                                                 const char          *old_value,
                                                 const char          *new_value,
                                                 const char          *at,
                                                 const char          *op_kind,
                                                 const char          *remote_by,
                                                 gint64               version,
                                                 GError             **error);

/* crm-replica-migrate.c */
gboolean             crm_replica_migrate        (CrmReplica          *self,
                                                 GError             **error);
gboolean             crm_replica_salvage        (CrmReplica          *self,
                                                 const char          *damaged_path,
                                                 GError             **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-pg-store.h — the server's PostgreSQL data layer.
 *
 * Every function is synchronous and takes a connection the caller owns (run them on
 * a worker thread, never on the main loop). A connection is used by one thread at a
 * time. Functions that write open their own transaction, or a SAVEPOINT when the
 * caller already holds one (a push batch), and leave the connection as they found it.
 * Every value travels as a bound parameter; SQL text is composed only from the static
 * field tables of core/crm-schema.c.
 *
 * crm_store_mutate() is the one write path of synced rows: REST writes and sync push
 * both call it, and it alone writes the change log, the field stamps, conflicts,
 * events and the audit trail (DESIGN.md §4, §7).
 */
#pragma once

#include <libpq-fe.h>
#include <json-glib/json-glib.h>

#include "crm-permissions.h"
#include "crm-record.h"
#include "crm-store-error.h"

G_BEGIN_DECLS

/* ---- Who is asking (crm-pg-actor.c) ------------------------------------------- */

typedef struct
{
  char               *user_id;   /* NULL only for the server itself (see crm_actor_new_system) */
  char               *team_id;   /* may be NULL */
  CrmRole             role;
  CrmScope            scope;     /* from the matrix, for @role */
  CrmPermissionMatrix matrix;
  char               *client_id; /* the app install for sync; NULL for REST */
  gint64              epoch;     /* the user's epoch when loaded */
  /* Built from a verified token's claims, not read from the users table: a statement
   * run for it must check the user row itself (crm_store_list_json does). */
  gboolean            unchecked;
} CrmActor;

CrmActor   *crm_actor_new            (const char                *user_id,
                                      CrmRole                    role,
                                      const char                *team_id,
                                      const CrmPermissionMatrix *matrix,
                                      const char                *client_id);
void        crm_actor_free           (CrmActor                  *actor);
/* The user as the database knows them now: role, team, epoch, and the role matrix
 * from the permissions table. NOT_FOUND if there is no such user, FORBIDDEN if the
 * account is deactivated. */
CrmActor   *crm_store_load_actor     (PGconn                    *conn,
                                      const char                *user_id,
                                      const char                *client_id,
                                      GError                   **error);

/* The actor a verified token describes, without a query, when the permission matrix
 * of (@user_id, @epoch, @role) is cached already; NULL otherwise. Its unchecked flag is
 * set: only for statements that verify the user row as part of themselves. */
CrmActor   *crm_store_actor_from_claims (const char             *user_id,
                                         const char             *role,
                                         const char             *team_id,
                                         gint64                  epoch);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmActor, crm_actor_free)

/* ---- The write path (crm-pg-mutate.c) ----------------------------------------- */

typedef enum
{
  CRM_MUTATION_CREATE,
  CRM_MUTATION_UPDATE,
  CRM_MUTATION_DELETE,
  CRM_MUTATION_RESTORE,
} CrmMutationKind;

const char *crm_mutation_kind_to_string   (CrmMutationKind  kind);
gboolean    crm_mutation_kind_from_string (const char      *text,
                                           CrmMutationKind *kind);

/* One operation; everything is borrowed from the caller. */
typedef struct
{
  const char      *op_id;        /* required with a client_id (idempotency); else optional */
  CrmEntityKind    entity;       /* a synced entity */
  const char      *id;           /* NULL on create: the store makes a UUIDv7 */
  CrmMutationKind  kind;
  gint64           base_version; /* the row version the author last saw; 0 on create */
  const CrmRecord *fields;       /* the fields it sets (present ones only); may be NULL
                                  * for delete and restore */
} CrmMutation;

typedef enum
{
  CRM_MUTATION_APPLIED,  /* every field applied */
  CRM_MUTATION_MERGED,   /* every field applied; others had moved on: take the whole row */
  CRM_MUTATION_CONFLICT, /* some fields (or the whole edit of a deleted row) not applied */
  CRM_MUTATION_REJECTED, /* nothing applied; see problem */
} CrmMutationStatus;

const char *crm_mutation_status_to_string (CrmMutationStatus status);

/* A value that did not apply. Also what a pull returns to the conflict's author. */
typedef struct
{
  char     *conflict_id;
  char     *entity;          /* wire name */
  char     *entity_id;
  char     *kind;            /* "field" or "deleted" */
  char     *field;           /* NULL for "deleted" */
  JsonNode *mine;            /* the author's value (JSON null for "deleted") */
  JsonNode *theirs;          /* the committed value that stays */
  gint64    theirs_version;  /* the change that made theirs */
  char     *theirs_user_id;  /* who made it, when known */
  char     *by;              /* the author of mine (the user the conflict syncs down to) */
  char     *by_client;
  char     *at;              /* RFC 3339 */
  gint64    seq;             /* position in the change sequence */
} CrmStoreConflict;

void        crm_store_conflict_free    (CrmStoreConflict       *conflict);
/* {"entity", "id", "kind", "field", "mine", "theirs", "theirs_version", "theirs_by",
 *  "by", "at"} (DESIGN.md §9) */
JsonNode   *crm_store_conflict_to_json (const CrmStoreConflict *conflict);

typedef struct
{
  CrmMutationStatus status;
  char             *op_id;
  char             *entity;     /* wire name */
  char             *id;         /* the row's id (the new one on create) */
  gint64            version;    /* the row's version after the op; 0 when rejected */
  gboolean          replayed;   /* TRUE when this is the stored result of an earlier push */
  CrmRecord        *row;        /* the full row after the op as the caller may see it;
                                 * NULL when rejected or replayed */
  GPtrArray        *conflicts;  /* of CrmStoreConflict* (empty unless CONFLICT) */
  CrmStoreProblem       *problem;    /* set when REJECTED */
} CrmMutationResult;

void        crm_mutation_result_free    (CrmMutationResult       *result);
/* The push reply entry: {"op_id", "status", "version", "conflicts"?, "problem"?} */
JsonNode   *crm_mutation_result_to_json (const CrmMutationResult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmMutationResult, crm_mutation_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmStoreConflict, crm_store_conflict_free)

/*
 * Applies @op for @actor: idempotency by (client_id, op_id), permissions and row
 * visibility (a row outside the actor's view is "not found"), core validation, the
 * field merge against the row's stamps, conflict records, the row, its stamps, the
 * change log entry, an event and an audit row, all in one transaction (or savepoint).
 *
 * Returns TRUE with *@result for every outcome a client causes, refusals included
 * (REJECTED with a 4xx problem); FALSE with a CRM_STORE_ERROR_DATABASE error only
 * when PostgreSQL itself failed, in which case nothing was written (retry later).
 */
gboolean    crm_store_mutate            (PGconn                  *conn,
                                         const CrmActor          *actor,
                                         const CrmMutation       *op,
                                         CrmMutationResult      **result,
                                         GError                 **error);

/* ---- Reads (crm-pg-read.c) ---------------------------------------------------- */

/* The row, deleted or not (see its "deleted" field). NOT_FOUND when it does not
 * exist or the actor may not see it; FORBIDDEN when the role may not read the entity. */
CrmRecord  *crm_store_get               (PGconn                  *conn,
                                         const CrmActor          *actor,
                                         CrmEntityKind            entity,
                                         const char              *id,
                                         GError                 **error);
/* The same row as the JSON the API sends (the bytes crm_record_append_json () writes),
 * appended to @out, and its version. */
gboolean    crm_store_get_json          (PGconn                  *conn,
                                         const CrmActor          *actor,
                                         CrmEntityKind            entity,
                                         const char              *id,
                                         GString                 *out,
                                         gint64                  *version,
                                         GError                 **error);

typedef enum
{
  CRM_STORE_EQ,
  CRM_STORE_NE,
  CRM_STORE_LT,
  CRM_STORE_LE,
  CRM_STORE_GT,
  CRM_STORE_GE,
  CRM_STORE_IS_NULL,
  CRM_STORE_NOT_NULL,
} CrmStoreCmp;

#define CRM_STORE_DEFAULT_LIMIT 50
#define CRM_STORE_MAX_LIMIT     500

typedef struct _CrmStoreQuery CrmStoreQuery;

/*
 * The list filters of the replica (issue 3): any field of the entity compared with a
 * wire-text value ("negotiation", "2026-03-01", "true"); a TAGS or UUID_LIST field
 * with EQ means "contains". Pseudo filters: people "organisation_id" (through their
 * links), interactions "person_id" (a participant). Unknown fields, bad values, bad
 * sorts and bad cursors are CRM_STORE_ERROR_INVALID from crm_store_list().
 */
CrmStoreQuery *crm_store_query_new          (CrmEntityKind    entity);
void           crm_store_query_free         (CrmStoreQuery   *query);
void           crm_store_query_filter       (CrmStoreQuery   *query,
                                             const char      *field,
                                             CrmStoreCmp      cmp,
                                             const char      *value);
/* Default: "id" ascending (UUIDv7: creation order). */
void           crm_store_query_sort         (CrmStoreQuery   *query,
                                             const char      *field,
                                             gboolean         descending);
/* 0 = CRM_STORE_DEFAULT_LIMIT; more than CRM_STORE_MAX_LIMIT is INVALID. */
void           crm_store_query_set_limit    (CrmStoreQuery   *query,
                                             guint            limit);
/* The opaque cursor of the previous page ("next"), or NULL for the first page. */
void           crm_store_query_set_after    (CrmStoreQuery   *query,
                                             const char      *cursor);
void           crm_store_query_set_include_deleted (CrmStoreQuery *query,
                                             gboolean         include_deleted);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmStoreQuery, crm_store_query_free)

/* One page of CrmRecord* the actor may see; *@next_cursor gets the cursor of the
 * next page or NULL at the end. A page costs the same at any depth (keyset). */
GPtrArray  *crm_store_list              (PGconn                  *conn,
                                         const CrmActor          *actor,
                                         const CrmStoreQuery     *query,
                                         char                   **next_cursor,
                                         GError                 **error);
/* The same page as JSON objects separated by commas, appended to @items: the bytes
 * crm_record_append_json () writes for each row of crm_store_list (), without the
 * records (crm-pg-json.c). @fingerprint (nullable) gets "id version" per row, which
 * changes whenever the page's content does (for an ETag).
 * For an unchecked actor (crm_store_actor_from_claims) the statement also requires the
 * user row to be active with that epoch, role and team: a stale actor gets an empty
 * page, which the caller must not trust — it loads the actor and asks again. */
gboolean    crm_store_list_json         (PGconn                  *conn,
                                         const CrmActor          *actor,
                                         const CrmStoreQuery     *query,
                                         GString                 *items,
                                         GString                 *fingerprint,
                                         char                   **next_cursor,
                                         GError                 **error);

/* ---- Sync pull (crm-pg-pull.c) ------------------------------------------------ */

typedef struct
{
  const char *entity;   /* static wire name */
  char       *id;
  gint64      version;
  gboolean    deleted;
  CrmRecord  *data;     /* the full row */
} CrmPullChange;

typedef struct
{
  const char *entity;   /* static wire name */
  char       *id;
} CrmPullRevoke;

typedef struct
{
  GPtrArray *changes;   /* of CrmPullChange*, in change order */
  GPtrArray *revoked;   /* of CrmPullRevoke* */
  GPtrArray *conflicts; /* of CrmStoreConflict*: the actor's, since the cursor */
  gint64     cursor;    /* pass it back as the next cursor */
  gint64     head;      /* the last committed change: where a long download ends */
  gboolean   has_more;
  gint64     epoch;     /* the user's epoch: a new one means "re-sync from 0" */
} CrmPullPage;

#define CRM_STORE_PULL_DEFAULT_LIMIT 500
#define CRM_STORE_PULL_MAX_LIMIT     5000

void        crm_pull_page_free          (CrmPullPage             *page);
/* {"changes": [{"entity", "id", "version", "deleted", "data"}], "revoked": [...],
 *  "conflicts": [...], "cursor", "head", "has_more", "epoch"} */
JsonNode   *crm_pull_page_to_json       (const CrmPullPage       *page);

/* Changes after @cursor the actor may see (full rows as of now), revokes for rows
 * they could see before a change and not after, their conflicts, in one consistent
 * snapshot: a cursor never jumps over a change that commits later. */
CrmPullPage *crm_store_pull             (PGconn                  *conn,
                                         const CrmActor          *actor,
                                         gint64                   cursor,
                                         guint                    limit,
                                         GError                 **error);
/* The same page as the JSON text crm_pull_page_to_json () gives (the same bytes),
 * written straight from binary results, without a CrmRecord or a JsonNode per row;
 * *@next_cursor and *@has_more (nullable) get its cursor and has_more. */
GBytes     *crm_store_pull_json         (PGconn                  *conn,
                                         const CrmActor          *actor,
                                         gint64                   cursor,
                                         guint                    limit,
                                         gint64                  *next_cursor,
                                         gboolean                *has_more,
                                         GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmPullPage, crm_pull_page_free)

/* ---- Search (crm-pg-search.c) ------------------------------------------------- */

typedef struct
{
  const char *entity;  /* static wire name */
  char       *id;
  char       *title;   /* the name people recognise: name, "first last", number, subject */
  double      rank;    /* higher first */
  gboolean    fuzzy;   /* found by the typo-tolerant fallback */
  CrmRecord  *row;
} CrmSearchHit;

void        crm_search_hit_free         (CrmSearchHit            *hit);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmSearchHit, crm_search_hit_free)

/* French full text (accents ignored, prefix on every word) over organisations,
 * people, mandats, interactions and tasks the actor may read and see, ranked; for
 * an entity where that finds fewer than @limit rows (per entity), trigram similarity fills in
 * (typos, fragments). @entities: a list ending with CRM_N_ENTITIES, or NULL for all.
 * Any text is a valid query; one with no letters or digits finds nothing. */
GPtrArray  *crm_store_search            (PGconn                  *conn,
                                         const CrmActor          *actor,
                                         const char              *text,
                                         const CrmEntityKind     *entities,
                                         guint                    limit,
                                         GError                 **error);

/* ---- Users, teams, roles (crm-pg-admin.c) ------------------------------------- */

/* The matrix and scopes as stored (the permissions and roles tables). */
gboolean    crm_store_load_matrix       (PGconn                  *conn,
                                         CrmPermissionMatrix     *matrix,
                                         GError                 **error);
/* Admin (roles.update): allow or deny one cell; changes the role's users' epochs. */
gboolean    crm_store_set_permission    (PGconn                  *conn,
                                         const CrmActor          *actor,
                                         CrmRole                  role,
                                         CrmResource              resource,
                                         CrmAction                action,
                                         gboolean                 allowed,
                                         GError                 **error);
gboolean    crm_store_set_role_scope    (PGconn                  *conn,
                                         const CrmActor          *actor,
                                         CrmRole                  role,
                                         CrmScope                 scope,
                                         GError                 **error);

/* teams.create; returns the new id. CONFLICT if the name exists. */
char       *crm_store_create_team       (PGconn                  *conn,
                                         const CrmActor          *actor,
                                         const char              *name,
                                         GError                 **error);
/* CrmRecord* of entity "team", by name. */
GPtrArray  *crm_store_list_teams        (PGconn                  *conn,
                                         const CrmActor          *actor,
                                         GError                 **error);

typedef struct
{
  const char *email;
  const char *display_name;
  const char *password;     /* checked against the policy, then hashed (scrypt) */
  CrmRole     role;
  const char *team_id;      /* may be NULL */
  const char *locale;       /* NULL = fr_FR */
} CrmNewUser;

/* users.create (@actor NULL: the server itself, for the create-user command).
 * VALIDATION for bad fields or a weak password, CONFLICT for a taken e-mail. */
char       *crm_store_create_user       (PGconn                  *conn,
                                         const CrmActor          *actor,
                                         const CrmNewUser        *user,
                                         GError                 **error);
/* users.update; both bump the user's epoch (their app re-syncs from zero). */
gboolean    crm_store_set_user_role     (PGconn                  *conn,
                                         const CrmActor          *actor,
                                         const char              *user_id,
                                         CrmRole                  role,
                                         GError                 **error);
gboolean    crm_store_set_user_team     (PGconn                  *conn,
                                         const CrmActor          *actor,
                                         const char              *user_id,
                                         const char              *team_id,
                                         GError                 **error);
/* users.update: deactivates and revokes every refresh token of the account. */
gboolean    crm_store_deactivate_user   (PGconn                  *conn,
                                         const CrmActor          *actor,
                                         const char              *user_id,
                                         GError                 **error);
/* users.update (@actor NULL: the server itself, the reset-password command): a new
 * password for the account with this e-mail (any case), checked against the policy;
 * bumps the epoch, revokes every refresh token and forgets failed logins. Returns the
 * account id; NOT_FOUND for no such account, VALIDATION for a weak password
 * (crm-pg-password.c). */
char       *crm_store_reset_password    (PGconn                  *conn,
                                         const CrmActor          *actor,
                                         const char              *email,
                                         const char              *password,
                                         GError                 **error);
/* CrmRecord* of entity "user" (never the hash), by e-mail. */
GPtrArray  *crm_store_list_users        (PGconn                  *conn,
                                         const CrmActor          *actor,
                                         GError                 **error);
CrmRecord  *crm_store_get_user          (PGconn                  *conn,
                                         const CrmActor          *actor,
                                         const char              *user_id,
                                         GError                 **error);

G_END_DECLS

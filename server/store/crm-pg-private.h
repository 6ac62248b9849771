/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-pg-private.h — what the store's files share: running SQL with bound
 * parameters, transactions that nest as savepoints, composing SQL from the schema
 * tables, decoding rows, visibility.
 */
#pragma once

#include "crm-pg-store.h"
#include "crm-merge.h"
#include "crm-schema.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

/* ---- Running SQL (crm-pg-util.c) ---------------------------------------------- */

/* Parameters as text (NULL = SQL NULL), owned by the array. */
GPtrArray  *crm_pg_params_new        (void);
/* Adds a copy of @value; returns its number for "$n". */
guint       crm_pg_param             (GPtrArray   *params,
                                      const char  *value);
guint       crm_pg_param_take        (GPtrArray   *params,
                                      char        *value);
guint       crm_pg_param_int         (GPtrArray   *params,
                                      gint64       value);

/* Runs @sql; returns the result when it succeeded, else NULL with a
 * CRM_STORE_ERROR_DATABASE error (the SQL text is logged, never the values). */
PGresult   *crm_pg_exec              (PGconn      *conn,
                                      const char  *sql,
                                      GPtrArray   *params,
                                      GError     **error);
/* Same, but hands back a failed result too, for callers that turn constraint
 * violations into answers; *@failed receives it (NULL on success). */
PGresult   *crm_pg_exec_checked      (PGconn      *conn,
                                      const char  *sql,
                                      GPtrArray   *params,
                                      PGresult   **failed,
                                      GError     **error);
/* Same, with @result_format 1: every column in PostgreSQL's binary form. */
PGresult   *crm_pg_exec_checked_format (PGconn    *conn,
                                        const char *sql,
                                        GPtrArray *params,
                                        int        result_format,
                                        PGresult **failed,
                                        GError   **error);
/* PQexecParams through a statement prepared once per connection (crm-pg-prepared.c). */
PGresult   *crm_pg_exec_prepared     (PGconn             *conn,
                                      const char         *sql,
                                      int                 n_params,
                                      const char * const *values);
PGresult   *crm_pg_exec_prepared_format (PGconn             *conn,
                                         const char         *sql,
                                         int                 n_params,
                                         const char * const *values,
                                         int                 result_format);
gboolean    crm_pg_command           (PGconn      *conn,
                                      const char  *sql,
                                      GError     **error);
/* The value at (@row, @col), or NULL for SQL NULL. */
const char *crm_pg_value             (const PGresult *result,
                                      int             row,
                                      int             col);
gint64      crm_pg_int               (const PGresult *result,
                                      int             row,
                                      int             col);
gboolean    crm_pg_bool              (const PGresult *result,
                                      int             row,
                                      int             col);
const char *crm_pg_sqlstate          (const PGresult *result);

/* A transaction, or a savepoint when the connection is already in one. */
typedef struct
{
  PGconn   *conn;
  gboolean  nested;
  gboolean  active;
} CrmPgTx;

gboolean    crm_pg_tx_begin          (CrmPgTx     *tx,
                                      PGconn      *conn,
                                      const char  *begin_sql,
                                      GError     **error);
gboolean    crm_pg_tx_commit         (CrmPgTx     *tx,
                                      GError     **error);
/* Rolls back if still active; safe to call twice. */
void        crm_pg_tx_rollback       (CrmPgTx     *tx);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CrmPgTx, crm_pg_tx_rollback)

/* ---- SQL from the schema tables (crm-pg-sql.c) -------------------------------- */

const char *crm_pg_sql_type          (const CrmFieldInfo  *field);
/* The text form of a column as core/ reads it (crm_record_set_from_text). */
void        crm_pg_append_column     (GString             *sql,
                                      const CrmFieldInfo  *field,
                                      const char          *alias);
/* "alias.a, alias.b, ..." for every field of @entity, in field order. */
void        crm_pg_append_columns    (GString             *sql,
                                      const CrmEntityInfo *entity,
                                      const char          *alias);
/* The wire text of a column selected by crm_pg_append_column(): the text itself, or
 * in @buffer a datetime without its zero fraction ("…:00.000000Z" is "…:00Z"). */
#define CRM_PG_COLUMN_TEXT_MAX 64
const char *crm_pg_column_text       (const CrmFieldInfo  *field,
                                      const char          *text,
                                      char                *buffer,
                                      gsize                size);
/* A "$n" parameter cast to the column's type. */
void        crm_pg_append_value      (GString             *sql,
                                      const CrmFieldInfo  *field,
                                      guint                param);
/* Row @row, from column @first_col on, as laid out by crm_pg_append_columns(). */
CrmRecord  *crm_pg_record_from_row   (const CrmEntityInfo *entity,
                                      const PGresult      *result,
                                      int                  row,
                                      int                  first_col,
                                      GError             **error);

/* ---- JSON straight from a result (crm-pg-json.c) ------------------------------- */

/* @text as a JSON string, spelled as core's writer spells it (@length -1: up to NUL). */
void        crm_pg_json_append_string (GString            *out,
                                       const char         *text,
                                       gssize              length);
/* The columns of @entity as crm_pg_json_append_row () reads them: in binary (result
 * format 1), timestamps, uuids and numbers as PostgreSQL holds them. */
void        crm_pg_json_append_columns (GString           *sql,
                                        const CrmEntityInfo *entity,
                                        const char        *alias);
/* The text of a uuid or bigint column of such a result, in @buffer. */
#define CRM_PG_JSON_TEXT_MAX 40
const char *crm_pg_json_column_text  (const CrmFieldInfo  *field,
                                      const PGresult      *result,
                                      int                  row,
                                      int                  col,
                                      char                 buffer[CRM_PG_JSON_TEXT_MAX]);
/* Row @row, laid out by crm_pg_json_append_columns () from @first_col on, as the JSON
 * object crm_record_append_json () writes for crm_pg_record_from_row () of it. */
gboolean    crm_pg_json_append_row   (GString             *out,
                                      const CrmEntityInfo *entity,
                                      const PGresult      *result,
                                      int                  row,
                                      int                  first_col,
                                      GError             **error);

/* ---- Who sees what (crm-pg-sql.c) --------------------------------------------- */

gboolean    crm_pg_entity_has_assignee (const CrmEntityInfo *entity);
/* Whether the actor's role allows @action on @entity's resource. Notifications
 * belong to their recipient: reading and changing one's own is always allowed,
 * creating one is for admins (and the server). */
gboolean    crm_pg_actor_can         (const CrmActor      *actor,
                                      const CrmEntityInfo *entity,
                                      CrmAction            action);
/* Row visibility with the values of owner_id, team_id and assignee_id (tasks) or
 * user_id (notifications). */
gboolean    crm_pg_actor_sees        (const CrmActor      *actor,
                                      const CrmEntityInfo *entity,
                                      const char          *owner_id,
                                      const char          *team_id,
                                      const char          *assignee_id);
/* Appends " AND (...)" restricting rows of @alias to the actor's view. */
void        crm_pg_append_visibility (GString             *sql,
                                      GPtrArray           *params,
                                      const CrmActor      *actor,
                                      const CrmEntityInfo *entity,
                                      const char          *alias);
/* The column that plays "assignee" in visibility: assignee_id, user_id or NULL. */
const char *crm_pg_assignee_column   (const CrmEntityInfo *entity);

/* ---- Shared by the readers (crm-pg-read.c) ------------------------------------- */

/* Loads one row by id, FOR UPDATE when @lock; NULL without error when absent. */
CrmRecord  *crm_pg_load_row          (PGconn              *conn,
                                      const CrmEntityInfo *entity,
                                      const char          *id,
                                      gboolean             lock,
                                      GError             **error);

/* ---- Conflicts (crm-pg-result.c) ---------------------------------------------- */

/* Columns: id, seq, entity, entity_id, kind, field, mine, theirs, theirs_version,
 * theirs_user, by_user, by_client, at. */
#define CRM_PG_CONFLICT_COLUMNS \
  "c.id::text, c.seq, c.entity, c.entity_id::text, c.kind, c.field, c.mine::text, " \
  "c.theirs::text, c.theirs_version, c.theirs_user::text, c.by_user::text, c.by_client, " \
  "crm_rfc3339 (c.at)"
CrmStoreConflict *crm_pg_conflict_from_row (const PGresult *result,
                                            int             row);
CrmMutationResult *crm_mutation_result_new_from_json (JsonNode *node);

G_END_DECLS

G_BEGIN_DECLS

/* ---- What a committed change leaves behind (crm-pg-log.c) --------------------- */

typedef struct
{
  const CrmActor      *actor;
  const CrmEntityInfo *entity;
  const char          *id;
  const char          *op_id;
  CrmMutationKind      kind;
  gint64               seq;
  const CrmRecord     *before;   /* NULL on create */
  const CrmRecord     *after;
  GPtrArray           *changed;  /* static field names whose value changed */
} CrmPgChange;

gint64      crm_pg_next_seq           (PGconn            *conn,
                                       GError           **error);
/* The change log row (with visibility before and after) and a NOTIFY of its seq. */
gboolean    crm_pg_write_change_log   (PGconn            *conn,
                                       const CrmPgChange *change,
                                       GError           **error);
/* organisation.created, organisation.pipeline_changed, task.assigned... */
gboolean    crm_pg_write_events       (PGconn            *conn,
                                       const CrmPgChange *change,
                                       GError           **error);
gboolean    crm_pg_write_audit        (PGconn            *conn,
                                       const CrmActor    *actor,
                                       const char        *action,
                                       const char        *entity,
                                       const char        *entity_id,
                                       JsonNode          *details,
                                       GError           **error);
/* Inserts @conflict (seq, ids, values), filling conflict_id and at. */
gboolean    crm_pg_write_conflict     (PGconn            *conn,
                                       CrmStoreConflict  *conflict,
                                       const char        *op_id,
                                       GError           **error);
/* A field's value as JSON (null when absent or null). */
JsonNode   *crm_pg_field_json         (const CrmRecord   *record,
                                       const char        *field);
char       *crm_pg_json_to_string     (JsonNode          *node);

G_END_DECLS

G_BEGIN_DECLS

/* ---- Lists (crm-pg-read.c builds queries, crm-pg-list.c runs them) ------------- */

typedef struct
{
  const CrmFieldInfo *field;   /* NULL for a pseudo filter */
  const char         *pseudo;  /* "organisation_id" of people, "person_id" of interactions */
  CrmStoreCmp         cmp;
  char               *value;
} CrmPgFilter;

struct _CrmStoreQuery
{
  const CrmEntityInfo *entity;
  GArray              *filters;
  const CrmFieldInfo  *sort;
  gboolean             descending;
  guint                limit;
  char                *after;
  gboolean             include_deleted;
  char                *problem;  /* the first mistake, reported by crm_store_list() */
};

G_END_DECLS

G_BEGIN_DECLS

/* ---- Admin helpers (crm-pg-admin.c) -------------------------------------------- */

gboolean    crm_pg_require            (const CrmActor  *actor,
                                       CrmResource      resource,
                                       CrmAction        action,
                                       GError         **error);
gboolean    crm_pg_audit_simple       (PGconn          *conn,
                                       const CrmActor  *actor,
                                       const char      *action,
                                       const char      *entity,
                                       const char      *entity_id,
                                       const char      *key,
                                       const char      *value,
                                       GError         **error);
PGresult   *crm_pg_exec_write         (PGconn          *conn,
                                       const char      *sql,
                                       GPtrArray       *params,
                                       const char      *duplicate_message,
                                       const char      *reference_message,
                                       GError         **error);
gboolean    crm_pg_validate_new       (const CrmRecord *record,
                                       GError         **error);
gboolean    crm_pg_check_uuid         (const char      *id,
                                       GError         **error);

G_END_DECLS

G_BEGIN_DECLS

/* ---- Stamps and idempotency (crm-pg-stamps.c) ---------------------------------- */

typedef struct
{
  CrmFieldStamp  stamp;   /* first, so a CrmPgStamp* is a CrmFieldStamp* for the merge */
  char          *user_id;
} CrmPgStamp;

/* The stamps jsonb of a row: static field name -> CrmPgStamp*. */
GHashTable *crm_pg_stamps_parse       (const CrmEntityInfo     *entity,
                                       const char              *text);
/* {"field": {"v": seq, "c": client, "u": user}} for @fields, to merge into a row's. */
char       *crm_pg_stamps_json        (const CrmActor          *actor,
                                       GPtrArray               *fields,
                                       gint64                   seq);
/* The stored result of (client, op), or NULL (with @error set on failure). Takes a
 * transaction-scoped lock on the pair first. */
CrmMutationResult *crm_pg_applied_lookup (PGconn               *conn,
                                       const char              *client_id,
                                       const char              *op_id,
                                       GError                 **error);
gboolean    crm_pg_applied_store      (PGconn                  *conn,
                                       const CrmActor          *actor,
                                       const char              *op_id,
                                       const char              *entity,
                                       const char              *entity_id,
                                       const CrmMutationResult *result,
                                       GError                 **error);

G_END_DECLS

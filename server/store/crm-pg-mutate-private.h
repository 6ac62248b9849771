/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-pg-mutate-private.h — the two halves of the write path: crm-pg-mutate.c holds
 * the transaction, idempotency and the kinds (create, the field merge of an update,
 * delete and restore); crm-pg-mutate-rows.c holds what they are made of: the answers
 * (refusals as problem results), the checks, and the SQL that reads and writes a row
 * with its stamps, change log, events and audit.
 */
#pragma once

#include "crm-pg-private.h"
#include "crm-validate.h"

G_BEGIN_DECLS

/* One operation on its way through crm_store_mutate (). */
typedef struct
{
  PGconn              *conn;
  const CrmActor      *actor;
  const CrmMutation   *op;
  const CrmEntityInfo *entity;
  char                *id;
  char                *now;
  CrmMutationResult   *result;
  /* The stored row, for everything but create. */
  CrmRecord           *current;
  GHashTable          *stamps;       /* static field name -> CrmPgStamp* */
  gint64               created_seq;
  /* The row as written. */
  CrmRecord           *after;
} Mutation;

/* ---- Answers: a refusal is a REJECTED result, not an error ----------------------- */

gboolean
crm_pg_mutation_reject (Mutation   *m,
                        guint       status,
                        const char *type,
                        const char *title,
                        const char *detail);

gboolean
crm_pg_mutation_reject_not_found (Mutation *m);

gboolean
crm_pg_mutation_reject_forbidden (Mutation   *m,
                                  const char *detail);

gboolean
crm_pg_mutation_reject_role (Mutation  *m,
                             CrmAction  action);

/* Validation of @record in @mode; TRUE when it passed, else the op is rejected. */
gboolean
crm_pg_mutation_validate (Mutation        *m,
                          const CrmRecord *record,
                          CrmValidateMode  mode);

/* ---- Rows --------------------------------------------------------------------- */

gboolean
crm_pg_mutation_sees (const Mutation  *m,
                      const CrmRecord *row);

/* Loads the row FOR UPDATE: concurrent ops on one row take turns, and each merges
 * against what the previous one committed. FALSE only on a database failure. */
gboolean
crm_pg_mutation_load_current (Mutation  *m,
                              GError   **error);

gboolean
crm_pg_mutation_insert_row (Mutation   *m,
                            CrmRecord  *row,
                            GPtrArray  *stamped,
                            gint64      seq,
                            GError    **error);

/* Writes the @fields of @values plus the bookkeeping of a change at @seq. */
gboolean
crm_pg_mutation_update_row (Mutation        *m,
                            const CrmRecord *values,
                            GPtrArray       *fields,
                            gint64           seq,
                            GError         **error);

/* The change log, the events and the audit row of a write that went through. */
gboolean
crm_pg_mutation_record_change (Mutation   *m,
                               gint64      seq,
                               GPtrArray  *changed,
                               GError    **error);

void
crm_pg_mutation_finish_applied (Mutation          *m,
                                CrmMutationStatus  status);

/* ---- Checks and fields shared by the kinds -------------------------------------- */

/* Only admins reassign rows (DESIGN.md §9); anyone may restate the current owner
 * or team, which an app does when it sends a whole row back. */
gboolean
crm_pg_mutation_may_assign (Mutation        *m,
                            const CrmRecord *fields,
                            const char      *owner_now,
                            const char      *team_now);

/* The op's fields without "id", which names the row rather than changing it. */
CrmRecord *
crm_pg_mutation_take_fields (Mutation *m);

GPtrArray *
crm_pg_mutation_writable_fields (const CrmRecord *row);

/* Every field a client may write, set or not: a create stamps them all with its author,
 * so the author's own update queued before the create's result came back (base version
 * 0) is not a conflict with the create on a field the create left empty. */
GPtrArray *
crm_pg_mutation_every_writable_field (const CrmEntityInfo *entity);

G_END_DECLS

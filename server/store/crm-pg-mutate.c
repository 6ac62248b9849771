/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "crm-json.h"
#include "crm-merge.h"
#include "crm-pg-mutate-private.h"
#include "crm-time.h"
#include "crm-uuid.h"
#include "crm-validate.h"

/*
 * The one write path of synced rows (DESIGN.md §4, §9). Its shape:
 *
 *   BEGIN (or SAVEPOINT inside a push batch)
 *     idempotency: the stored result of (client_id, op_id), if any, is the answer
 *     SAVEPOINT
 *       checks, merge, row, stamps, conflicts, change log, events, audit
 *     RELEASE, or ROLLBACK TO when the op is rejected (nothing of it stays)
 *     the result, stored under (client_id, op_id)
 *   COMMIT
 *
 * A refusal is an answer, not a failure: the function returns TRUE with a REJECTED
 * result. Only PostgreSQL failing makes it return FALSE, with nothing written.
 *
 * This file holds the transaction, idempotency and the kinds; the refusals, the checks
 * and the SQL of a row are in crm-pg-mutate-rows.c.
 */

static void
mutation_clear (Mutation *m)
{
  g_free (m->id);
  g_free (m->now);
  g_clear_pointer (&m->current, crm_record_unref);
  g_clear_pointer (&m->stamps, g_hash_table_unref);
  g_clear_pointer (&m->after, crm_record_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Mutation, mutation_clear)


/* ---- The kinds ---------------------------------------------------------------- */

static gboolean
do_create (Mutation  *m,
           GError   **error)
{
  g_autoptr(CrmRecord) row = NULL;
  g_autoptr(GPtrArray) stamped = NULL;
  g_autoptr(GPtrArray) every = NULL;
  gint64 seq;

  if (!crm_pg_actor_can (m->actor, m->entity, CRM_ACTION_CREATE))
    return crm_pg_mutation_reject_role (m, CRM_ACTION_CREATE);

  row = crm_pg_mutation_take_fields (m);
  if (row == NULL)
    return TRUE;
  if (!crm_pg_mutation_may_assign (m, row, m->actor->user_id, m->actor->team_id))
    return TRUE;

  crm_record_apply_defaults (row);
  if (m->entity->kind == CRM_ENTITY_NOTIFICATION)
    {
      /* A notification is its recipient's: the visibility columns say so. */
      crm_record_set_string (row, "owner_id", crm_record_get_string (row, "user_id"));
      crm_record_set_null (row, "team_id");
    }
  else
    {
      if (!crm_record_has (row, "owner_id"))
        crm_record_set_string (row, "owner_id", m->actor->user_id);
      if (!crm_record_has (row, "team_id"))
        crm_record_set_string (row, "team_id", m->actor->team_id);
    }
  if (!crm_pg_mutation_validate (m, row, CRM_VALIDATE_CREATE))
    return TRUE;

  stamped = crm_pg_mutation_writable_fields (row);
  seq = crm_pg_next_seq (m->conn, error);
  if (seq < 0)
    return FALSE;

  crm_record_set_string (row, "id", m->id);
  crm_record_set_int (row, "version", seq);
  crm_record_set_string (row, "created_at", m->now);
  crm_record_set_string (row, "updated_at", m->now);
  crm_record_set_string (row, "created_by", m->actor->user_id);
  crm_record_set_string (row, "updated_by", m->actor->user_id);
  crm_record_set_bool (row, "deleted", FALSE);

  every = crm_pg_mutation_every_writable_field (m->entity);
  if (!crm_pg_mutation_insert_row (m, row, every, seq, error))
    return FALSE;
  if (m->result->status == CRM_MUTATION_REJECTED)
    return TRUE;

  if (!crm_pg_mutation_record_change (m, seq, stamped, error))
    return FALSE;
  crm_pg_mutation_finish_applied (m, CRM_MUTATION_APPLIED);
  return TRUE;
}

static CrmStoreConflict *
conflict_new (Mutation               *m,
              const CrmMergeConflict *merge_conflict,
              const CrmRecord        *incoming,
              gint64                  seq)
{
  CrmStoreConflict *conflict = g_new0 (CrmStoreConflict, 1);
  const CrmPgStamp *stamp = NULL;

  conflict->entity = g_strdup (m->entity->name);
  conflict->entity_id = g_strdup (m->id);
  conflict->kind = g_strdup (crm_conflict_kind_to_string (merge_conflict->kind));
  conflict->field = g_strdup (merge_conflict->field);
  conflict->theirs_version = merge_conflict->theirs_version;
  conflict->by = g_strdup (m->actor->user_id);
  conflict->by_client = g_strdup (m->actor->client_id);
  conflict->seq = seq;

  if (merge_conflict->kind == CRM_CONFLICT_FIELD)
    {
      conflict->mine = crm_pg_field_json (incoming, merge_conflict->field);
      conflict->theirs = crm_pg_field_json (m->current, merge_conflict->field);
      stamp = g_hash_table_lookup (m->stamps, merge_conflict->field);
    }
  else
    {
      /* The whole edit waits on a deleted row: keep all of it. */
      conflict->mine = crm_record_to_json_node (incoming);
      conflict->theirs = json_node_new (JSON_NODE_NULL);
      stamp = g_hash_table_lookup (m->stamps, "deleted");
    }
  conflict->theirs_user_id = stamp != NULL ? g_strdup (stamp->user_id) : NULL;
  return conflict;
}

static gboolean
do_update (Mutation  *m,
           GError   **error)
{
  g_autoptr(CrmRecord) incoming = NULL;
  g_autoptr(CrmMergeResult) merge = NULL;
  g_autoptr(CrmRecord) merged = NULL;
  g_autoptr(GPtrArray) applied = NULL;
  g_autoptr(GPtrArray) changed = g_ptr_array_new ();
  gint64 seq = 0;

  if (!crm_pg_mutation_sees (m, m->current))
    return crm_pg_mutation_reject_not_found (m);
  if (!crm_pg_actor_can (m->actor, m->entity, CRM_ACTION_UPDATE))
    return crm_pg_mutation_reject_role (m, CRM_ACTION_UPDATE);

  incoming = crm_pg_mutation_take_fields (m);
  if (incoming == NULL)
    return TRUE;
  if (m->entity->kind == CRM_ENTITY_NOTIFICATION &&
      (crm_record_has (incoming, "owner_id") || crm_record_has (incoming, "team_id")))
    return crm_pg_mutation_reject_forbidden (m, _("Une notification appartient à son "
                                                  "destinataire."));
  if (!crm_pg_mutation_may_assign (m, incoming, crm_record_get_string (m->current, "owner_id"),
                                   crm_record_get_string (m->current, "team_id")))
    return TRUE;
  if (!crm_pg_mutation_validate (m, incoming, CRM_VALIDATE_UPDATE))
    return TRUE;

  merge = crm_merge_fields (m->current, m->stamps, m->created_seq,
                            crm_record_get_bool (m->current, "deleted"),
                            m->op->base_version, m->actor->client_id, incoming);

  /* Only what really changes is written: an app that sends a whole row back must not
   * stamp every field as changed by it. */
  applied = crm_record_list_present (merge->applied);
  for (guint i = 0; i < applied->len; i++)
    if (!crm_record_field_equal (merge->applied, m->current, g_ptr_array_index (applied, i)))
      g_ptr_array_add (changed, g_ptr_array_index (applied, i));

  merged = crm_record_copy (m->current);
  crm_record_merge_from (merged, merge->applied);
  if (changed->len > 0 && !crm_pg_mutation_validate (m, merged, CRM_VALIDATE_ROW))
    return TRUE;

  if (changed->len > 0 || merge->conflicts->len > 0)
    {
      seq = crm_pg_next_seq (m->conn, error);
      if (seq < 0)
        return FALSE;
    }

  if (changed->len > 0)
    {
      if (!crm_pg_mutation_update_row (m, merge->applied, changed, seq, error))
        return FALSE;
      if (m->result->status == CRM_MUTATION_REJECTED)
        return TRUE;
      if (!crm_pg_mutation_record_change (m, seq, changed, error))
        return FALSE;
    }

  for (guint i = 0; i < merge->conflicts->len; i++)
    {
      g_autoptr(CrmStoreConflict) conflict =
        conflict_new (m, g_ptr_array_index (merge->conflicts, i), incoming, seq);

      if (!crm_pg_write_conflict (m->conn, conflict, m->op->op_id, error))
        return FALSE;
      g_ptr_array_add (m->result->conflicts, g_steal_pointer (&conflict));
    }

  crm_pg_mutation_finish_applied (m, merge->status == CRM_MERGE_CONFLICT ? CRM_MUTATION_CONFLICT
                     : merge->status == CRM_MERGE_MERGED ? CRM_MUTATION_MERGED
                                                         : CRM_MUTATION_APPLIED);
  return TRUE;
}

/* Delete and restore: the tombstone flag, nothing else. Deleting a row someone edited
 * since the author's base version is allowed: a tombstone loses nothing and can be
 * restored, whereas refusing would strand the op in the author's outbox. Such a row
 * is "merged", as an update would be: the author's copy lacks what moved since its
 * base version, and "applied" would tell it that its copy is the row at the new version. */
static gboolean
do_tombstone (Mutation  *m,
              GError   **error)
{
  gboolean deleted = m->op->kind == CRM_MUTATION_DELETE;
  g_autoptr(CrmRecord) values = crm_record_new (m->entity);
  g_autoptr(GPtrArray) changed = g_ptr_array_new ();
  CrmMutationStatus status = crm_record_get_int (m->current, "version") > m->op->base_version
                               ? CRM_MUTATION_MERGED : CRM_MUTATION_APPLIED;
  gint64 seq;

  if (!crm_pg_mutation_sees (m, m->current))
    return crm_pg_mutation_reject_not_found (m);
  if (!crm_pg_actor_can (m->actor, m->entity, CRM_ACTION_DELETE))
    return crm_pg_mutation_reject_role (m, CRM_ACTION_DELETE);

  /* Already there: nothing to write, and the same answer as the first time. */
  if (crm_record_get_bool (m->current, "deleted") == deleted)
    {
      crm_pg_mutation_finish_applied (m, status);
      return TRUE;
    }

  seq = crm_pg_next_seq (m->conn, error);
  if (seq < 0)
    return FALSE;

  crm_record_set_bool (values, "deleted", deleted);
  g_ptr_array_add (changed, (gpointer) "deleted");
  if (!crm_pg_mutation_update_row (m, values, changed, seq, error))
    return FALSE;
  if (m->result->status == CRM_MUTATION_REJECTED)
    return TRUE;
  if (!crm_pg_mutation_record_change (m, seq, changed, error))
    return FALSE;

  crm_pg_mutation_finish_applied (m, status);
  return TRUE;
}

static gboolean
run (Mutation  *m,
     GError   **error)
{
  if (m->op->kind == CRM_MUTATION_CREATE)
    return do_create (m, error);

  if (!crm_pg_mutation_load_current (m, error))
    return FALSE;
  if (m->current == NULL)
    return crm_pg_mutation_reject_not_found (m);

  switch (m->op->kind)
    {
    case CRM_MUTATION_UPDATE:
      return do_update (m, error);
    case CRM_MUTATION_DELETE:
    case CRM_MUTATION_RESTORE:
      return do_tombstone (m, error);
    case CRM_MUTATION_CREATE:
    default:
      g_return_val_if_reached (FALSE);
    }
}

/* ---- Idempotency -------------------------------------------------------------- */

static gboolean
idempotent (const Mutation *m)
{
  return m->actor->client_id != NULL && m->op->op_id != NULL;
}

/* ---- Entry point -------------------------------------------------------------- */

static CrmMutationResult *
result_new (const CrmMutation   *op,
            const CrmEntityInfo *entity,
            const char          *id)
{
  CrmMutationResult *result = g_new0 (CrmMutationResult, 1);

  result->op_id = g_strdup (op->op_id);
  result->entity = g_strdup (entity->name);
  result->id = g_strdup (id);
  result->conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_store_conflict_free);
  return result;
}

/* Shape errors a client can make before anything is read; TRUE if the op was rejected. */
static gboolean
reject_malformed (Mutation *m)
{
  if (m->actor->client_id != NULL && m->op->op_id == NULL)
    return crm_pg_mutation_reject (m, 400, CRM_STORE_PROBLEM_BAD_REQUEST, _("Requête invalide"),
                                   _("Chaque opération envoyée par une application doit "
                                     "porter un « op_id »."));
  if (m->id == NULL || !crm_uuid_is_valid (m->id))
    {
      g_autofree char *detail =
        g_strdup_printf (_("L’identifiant « %s » n’est pas un UUID valide."),
                         m->op->id != NULL ? m->op->id : "");
      return crm_pg_mutation_reject (m, 400, CRM_STORE_PROBLEM_BAD_REQUEST, _("Requête invalide"),
                                     detail);
    }
  if (m->op->kind == CRM_MUTATION_UPDATE &&
      (m->op->fields == NULL || crm_record_get_entity (m->op->fields) != m->entity))
    return crm_pg_mutation_reject (m, 400, CRM_STORE_PROBLEM_BAD_REQUEST, _("Requête invalide"),
                                   _("La modification ne contient aucun champ."));
  if (m->op->fields != NULL && crm_record_get_entity (m->op->fields) != m->entity)
    return crm_pg_mutation_reject (m, 400, CRM_STORE_PROBLEM_BAD_REQUEST, _("Requête invalide"),
                                   _("Les champs envoyés ne correspondent pas au type "
                                     "d’élément."));
  return FALSE;
}

gboolean
crm_store_mutate (PGconn             *conn,
                  const CrmActor     *actor,
                  const CrmMutation  *op,
                  CrmMutationResult **result,
                  GError            **error)
{
  g_auto(Mutation) m = { 0 };
  g_auto(CrmPgTx) tx = { 0 };
  g_auto(CrmPgTx) work = { 0 };
  g_autoptr(CrmMutationResult) stored = NULL;
  g_autoptr(CrmMutationResult) answer = NULL;

  g_return_val_if_fail (conn != NULL, FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);
  /* An actor made from a token alone is for statements that check the user row
   * themselves (crm_store_list_json); a write needs one read from users. */
  g_return_val_if_fail (!actor->unchecked, FALSE);
  g_return_val_if_fail (op != NULL, FALSE);
  g_return_val_if_fail ((guint) op->entity < CRM_N_ENTITIES, FALSE);
  g_return_val_if_fail (crm_entity_get (op->entity)->synced, FALSE);
  g_return_val_if_fail (result != NULL && *result == NULL, FALSE);

  m.conn = conn;
  m.actor = actor;
  m.op = op;
  m.entity = crm_entity_get (op->entity);
  m.id = op->id != NULL ? g_ascii_strdown (op->id, -1)
                        : (op->kind == CRM_MUTATION_CREATE ? crm_uuid7_new () : NULL);
  m.now = crm_time_now ();
  answer = result_new (op, m.entity, m.id);
  m.result = answer;

  if (!crm_pg_tx_begin (&tx, conn, "BEGIN", error))
    return FALSE;

  if (idempotent (&m))
    {
      g_autoptr(GError) lookup_error = NULL;

      stored = crm_pg_applied_lookup (conn, actor->client_id, op->op_id, &lookup_error);
      if (lookup_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&lookup_error));
          return FALSE;
        }
      if (stored != NULL)
        {
          if (!crm_pg_tx_commit (&tx, error))
            return FALSE;
          *result = g_steal_pointer (&stored);
          return TRUE;
        }
    }

  if (!reject_malformed (&m))
    {
      if (!crm_pg_tx_begin (&work, conn, NULL, error) || !run (&m, error))
        return FALSE;

      /* A rejected op leaves nothing behind but its stored answer. */
      if (answer->status == CRM_MUTATION_REJECTED)
        crm_pg_tx_rollback (&work);
      else if (!crm_pg_tx_commit (&work, error))
        return FALSE;
    }

  if (answer->status == CRM_MUTATION_REJECTED)
    g_clear_pointer (&answer->row, crm_record_unref);

  if (idempotent (&m) &&
      !crm_pg_applied_store (conn, actor, op->op_id, m.entity->name,
                             crm_uuid_is_valid (m.id) ? m.id : NULL, answer, error))
    return FALSE;
  if (!crm_pg_tx_commit (&tx, error))
    return FALSE;

  *result = g_steal_pointer (&answer);
  return TRUE;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "crm-json.h"
#include "crm-merge.h"
#include "crm-pg-private.h"
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
 */

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

/* ---- Answers ------------------------------------------------------------------ */

static gboolean
reject (Mutation   *m,
        guint       status,
        const char *type,
        const char *title,
        const char *detail)
{
  m->result->status = CRM_MUTATION_REJECTED;
  m->result->version = 0;
  g_clear_pointer (&m->result->problem, crm_store_problem_free);
  m->result->problem = crm_store_problem_new (status, type, title, detail);
  return TRUE;
}

static gboolean
reject_not_found (Mutation *m)
{
  /* The same answer whether the row does not exist or is outside the caller's view:
   * never reveal that it exists (DESIGN.md §9). */
  g_autofree char *detail =
    g_strdup_printf (_("Aucun élément « %s » ne porte l’identifiant %s, ou il ne vous est pas "
                       "accessible."), m->entity->label, m->id);

  return reject (m, 404, CRM_STORE_PROBLEM_NOT_FOUND, _("Élément introuvable"), detail);
}

static gboolean
reject_forbidden (Mutation   *m,
                  const char *detail)
{
  return reject (m, 403, CRM_STORE_PROBLEM_FORBIDDEN, _("Action non autorisée"), detail);
}

static gboolean
reject_role (Mutation  *m,
             CrmAction  action)
{
  g_autofree char *detail =
    g_strdup_printf (_("Votre rôle ne permet pas l’action « %s » sur « %s » ; demandez-la à un "
                       "responsable ou à un administrateur."),
                     crm_action_to_string (action), m->entity->label_plural);

  return reject_forbidden (m, detail);
}

static gboolean
reject_invalid (Mutation  *m,
                GPtrArray *errors)
{
  const CrmFieldError *first = g_ptr_array_index (errors, 0);

  reject (m, 422, CRM_STORE_PROBLEM_VALIDATION, _("Données invalides"), first->message);
  for (guint i = 0; i < errors->len; i++)
    {
      const CrmFieldError *entry = g_ptr_array_index (errors, i);

      crm_store_problem_add_error (m->result->problem, entry->field, entry->message);
    }
  return TRUE;
}

/* Validation of @record in @mode; TRUE when it passed, else the op is rejected. */
static gboolean
validate (Mutation        *m,
          const CrmRecord *record,
          CrmValidateMode  mode)
{
  g_autoptr(GPtrArray) errors = crm_record_validate_all (record, mode);

  if (errors->len == 0)
    return TRUE;
  reject_invalid (m, errors);
  return FALSE;
}

/* A constraint PostgreSQL enforced that core/ could not know about (a unique number,
 * a reference to a row that does not exist): still the client's doing, so a 4xx. */
static gboolean
reject_constraint (Mutation       *m,
                   const PGresult *failed,
                   const CrmRecord *row)
{
  const char *state = crm_pg_sqlstate (failed);
  const char *constraint = PQresultErrorField (failed, PG_DIAG_CONSTRAINT_NAME);
  g_autofree char *prefix = g_strdup_printf ("%s_", m->entity->collection);
  g_autofree char *message = NULL;
  g_autofree char *column = NULL;
  const CrmFieldInfo *field = NULL;

  if (constraint != NULL && g_str_has_prefix (constraint, prefix))
    {
      column = g_strdup (constraint + strlen (prefix));
      if (g_str_has_suffix (column, "_fkey") || g_str_has_suffix (column, "_pkey"))
        column[strlen (column) - 5] = '\0';
      else if (g_str_has_suffix (column, "_key"))
        column[strlen (column) - 4] = '\0';
      field = crm_entity_field (m->entity, column);
    }

  if (strcmp (state, "23505") == 0)
    {
      if (m->entity->kind == CRM_ENTITY_MANDAT && field != NULL &&
          strcmp (field->name, "number") == 0)
        message = g_strdup_printf (_("Le numéro de mandat %s existe déjà."),
                                   crm_record_get_string (row, "number"));
      else if (constraint != NULL && g_str_has_suffix (constraint, "_pkey"))
        message = g_strdup_printf (_("Un élément « %s » existe déjà avec l’identifiant %s."),
                                   m->entity->label, m->id);
      else
        message = g_strdup_printf (_("La valeur du champ « %s » existe déjà."),
                                   field != NULL ? field->label : _("inconnu"));
      reject (m, 409, CRM_STORE_PROBLEM_DUPLICATE, _("Valeur déjà utilisée"), message);
    }
  else if (strcmp (state, "23503") == 0 && field != NULL)
    {
      message = g_strdup_printf (_("Le champ « %s » désigne un élément qui n’existe pas ; "
                                   "vérifiez l’identifiant."), field->label);
      reject (m, 422, CRM_STORE_PROBLEM_VALIDATION, _("Données invalides"), message);
    }
  else
    {
      message = g_strdup (_("Une valeur est refusée par la base de données ; vérifiez les "
                            "champs de la demande."));
      reject (m, 422, CRM_STORE_PROBLEM_VALIDATION, _("Données invalides"), message);
    }

  crm_store_problem_add_error (m->result->problem, field != NULL ? field->name : NULL, message);
  return TRUE;
}

/* Integrity violations (class 23) and bad data (class 22) are the client's; anything
 * else is ours. */
static gboolean
is_client_sqlstate (const char *state)
{
  return g_str_has_prefix (state, "23") || g_str_has_prefix (state, "22");
}

/* ---- Rows --------------------------------------------------------------------- */

static gboolean
sees (const Mutation  *m,
      const CrmRecord *row)
{
  const char *assignee = crm_pg_assignee_column (m->entity);

  return crm_pg_actor_sees (m->actor, m->entity, crm_record_get_string (row, "owner_id"),
                            crm_record_get_string (row, "team_id"),
                            assignee != NULL ? crm_record_get_string (row, assignee) : NULL);
}

/* Loads the row FOR UPDATE: concurrent ops on one row take turns, and each merges
 * against what the previous one committed. FALSE only on a database failure. */
static gboolean
load_current (Mutation  *m,
              GError   **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT ");
  g_autoptr(GPtrArray) params = crm_pg_params_new ();
  g_autoptr(PGresult) result = NULL;
  int n = (int) m->entity->n_fields;

  crm_pg_append_columns (sql, m->entity, "t");
  g_string_append_printf (sql, ", t.stamps::text, t.created_seq FROM %s t"
                               " WHERE t.id = $%u::uuid FOR UPDATE",
                          m->entity->collection, crm_pg_param (params, m->id));
  result = crm_pg_exec (m->conn, sql->str, params, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 0)
    return TRUE;

  m->current = crm_pg_record_from_row (m->entity, result, 0, 0, error);
  if (m->current == NULL)
    return FALSE;
  m->stamps = crm_pg_stamps_parse (m->entity, crm_pg_value (result, 0, n));
  m->created_seq = crm_pg_int (result, 0, n + 1);
  return TRUE;
}

/* Runs an INSERT or UPDATE ... RETURNING the row; a constraint violation rejects the
 * op (and leaves the transaction for the caller to roll back to its savepoint). */
static gboolean
write_row (Mutation        *m,
           const char      *sql,
           GPtrArray       *params,
           const CrmRecord *row,
           GError         **error)
{
  PGresult *failed = NULL;
  g_autoptr(PGresult) result = crm_pg_exec_checked (m->conn, sql, params, &failed, error);
  g_autoptr(PGresult) failure = failed;

  if (result == NULL)
    {
      if (failure == NULL || !is_client_sqlstate (crm_pg_sqlstate (failure)))
        return FALSE;
      g_clear_error (error);
      return reject_constraint (m, failure, row);
    }

  m->after = crm_pg_record_from_row (m->entity, result, 0, 0, error);
  return m->after != NULL;
}

static gboolean
insert_row (Mutation   *m,
            CrmRecord  *row,
            GPtrArray  *stamped,
            gint64      seq,
            GError    **error)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GPtrArray) params = crm_pg_params_new ();
  const CrmEntityInfo *entity = m->entity;

  g_string_append_printf (sql, "INSERT INTO %s AS t (", entity->collection);
  for (guint i = 0; i < entity->n_fields; i++)
    g_string_append_printf (sql, "%s, ", entity->fields[i].name);
  g_string_append (sql, "created_seq, stamps) VALUES (");
  for (guint i = 0; i < entity->n_fields; i++)
    {
      crm_pg_append_value (sql, &entity->fields[i],
                           crm_pg_param_take (params,
                                              crm_record_dup_text (row, entity->fields[i].name)));
      g_string_append (sql, ", ");
    }
  g_string_append_printf (sql, "$%u, ", crm_pg_param_int (params, seq));
  g_string_append_printf (sql, "$%u::jsonb) RETURNING ",
                          crm_pg_param_take (params, crm_pg_stamps_json (m->actor, stamped, seq)));
  crm_pg_append_columns (sql, entity, "t");

  return write_row (m, sql->str, params, row, error);
}

/* Writes the @fields of @values plus the bookkeeping of a change at @seq. */
static gboolean
update_row (Mutation        *m,
            const CrmRecord *values,
            GPtrArray       *fields,
            gint64           seq,
            GError         **error)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GPtrArray) params = crm_pg_params_new ();
  g_autoptr(CrmRecord) merged = crm_record_copy (m->current);

  g_string_append_printf (sql, "UPDATE %s t SET ", m->entity->collection);
  for (guint i = 0; i < fields->len; i++)
    {
      const CrmFieldInfo *field = crm_entity_field (m->entity, g_ptr_array_index (fields, i));

      g_string_append_printf (sql, "%s = ", field->name);
      crm_pg_append_value (sql, field,
                           crm_pg_param_take (params, crm_record_dup_text (values, field->name)));
      g_string_append (sql, ", ");
    }
  g_string_append_printf (sql, "version = $%u, ", crm_pg_param_int (params, seq));
  g_string_append_printf (sql, "updated_at = $%u::timestamptz, ", crm_pg_param (params, m->now));
  g_string_append_printf (sql, "updated_by = $%u::uuid, ",
                          crm_pg_param (params, m->actor->user_id));
  g_string_append_printf (sql, "stamps = t.stamps || $%u::jsonb",
                          crm_pg_param_take (params, crm_pg_stamps_json (m->actor, fields, seq)));
  g_string_append_printf (sql, " WHERE t.id = $%u::uuid RETURNING ", crm_pg_param (params, m->id));
  crm_pg_append_columns (sql, m->entity, "t");

  crm_record_merge_from (merged, values);
  return write_row (m, sql->str, params, merged, error);
}

/* The change log, the events and the audit row of a write that went through. */
static gboolean
record_change (Mutation   *m,
               gint64      seq,
               GPtrArray  *changed,
               GError    **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) details = NULL;
  g_autofree char *action = NULL;
  CrmPgChange change = {
    m->actor, m->entity, m->id, m->op->op_id, m->op->kind, seq, m->current, m->after, changed,
  };

  if (!crm_pg_write_change_log (m->conn, &change, error) ||
      !crm_pg_write_events (m->conn, &change, error))
    return FALSE;

  /* Which fields, not their values: the audit trail outlives the rows' contents. */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, seq);
  json_builder_set_member_name (builder, "fields");
  json_builder_begin_array (builder);
  for (guint i = 0; i < changed->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (changed, i));
  json_builder_end_array (builder);
  if (m->op->op_id != NULL)
    {
      json_builder_set_member_name (builder, "op_id");
      json_builder_add_string_value (builder, m->op->op_id);
    }
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);

  action = g_strdup_printf ("%s.%s", m->entity->name, crm_mutation_kind_to_string (m->op->kind));
  return crm_pg_write_audit (m->conn, m->actor, action, m->entity->name, m->id, details, error);
}

static void
finish_applied (Mutation          *m,
                CrmMutationStatus  status)
{
  CrmRecord *row = m->after != NULL ? m->after : m->current;

  m->result->status = status;
  m->result->version = crm_record_get_int (row, "version");
  /* A row that has just left the caller's view (an admin gave it away) is not theirs
   * to see any more, even in the answer. */
  g_clear_pointer (&m->result->row, crm_record_unref);
  if (sees (m, row))
    m->result->row = crm_record_ref (row);
}

/* ---- Checks shared by the kinds ----------------------------------------------- */

static gboolean
same (const char *a,
      const char *b)
{
  return g_strcmp0 (a, b) == 0;
}

/* Only admins reassign rows (DESIGN.md §9); anyone may restate the current owner
 * or team, which an app does when it sends a whole row back. */
static gboolean
may_assign (Mutation        *m,
            const CrmRecord *fields,
            const char      *owner_now,
            const char      *team_now)
{
  if (m->actor->role == CRM_ROLE_ADMIN || fields == NULL)
    return TRUE;

  if ((crm_record_has (fields, "owner_id") &&
       !same (crm_record_get_string (fields, "owner_id"), owner_now)) ||
      (crm_record_has (fields, "team_id") &&
       !same (crm_record_get_string (fields, "team_id"), team_now)))
    {
      reject_forbidden (m, _("Seul un administrateur peut changer le propriétaire ou l’équipe "
                             "d’un élément."));
      return FALSE;
    }
  return TRUE;
}

/* The op's fields without "id", which names the row rather than changing it. */
static CrmRecord *
take_fields (Mutation *m)
{
  CrmRecord *fields = m->op->fields != NULL ? crm_record_copy (m->op->fields)
                                            : crm_record_new (m->entity);
  const char *id = crm_record_get_string (fields, "id");

  if (crm_record_has (fields, "id") && (id == NULL || g_ascii_strcasecmp (id, m->id) != 0))
    {
      reject (m, 400, CRM_STORE_PROBLEM_BAD_REQUEST, _("Requête invalide"),
              _("Le champ « id » ne correspond pas à l’élément modifié."));
      crm_record_unref (fields);
      return NULL;
    }
  crm_record_unset (fields, "id");
  return fields;
}

static GPtrArray *
writable_fields (const CrmRecord *row)
{
  GPtrArray *present = crm_record_list_present (row);
  GPtrArray *fields = g_ptr_array_new ();
  const CrmEntityInfo *entity = crm_record_get_entity (row);

  for (guint i = 0; i < present->len; i++)
    {
      const CrmFieldInfo *info = crm_entity_field (entity, g_ptr_array_index (present, i));

      if ((info->flags & CRM_FIELD_META) == 0 || strcmp (info->name, "owner_id") == 0 ||
          strcmp (info->name, "team_id") == 0)
        g_ptr_array_add (fields, (gpointer) info->name);
    }
  g_ptr_array_unref (present);
  return fields;
}

/* Every field a client may write, set or not: a create stamps them all with its author,
 * so the author's own update queued before the create's result came back (base version
 * 0) is not a conflict with the create on a field the create left empty. */
static GPtrArray *
every_writable_field (const CrmEntityInfo *entity)
{
  GPtrArray *fields = g_ptr_array_new ();

  for (guint i = 0; i < entity->n_fields; i++)
    if ((entity->fields[i].flags & CRM_FIELD_META) == 0 ||
        strcmp (entity->fields[i].name, "owner_id") == 0 ||
        strcmp (entity->fields[i].name, "team_id") == 0)
      g_ptr_array_add (fields, (gpointer) entity->fields[i].name);
  return fields;
}

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
    return reject_role (m, CRM_ACTION_CREATE);

  row = take_fields (m);
  if (row == NULL)
    return TRUE;
  if (!may_assign (m, row, m->actor->user_id, m->actor->team_id))
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
  if (!validate (m, row, CRM_VALIDATE_CREATE))
    return TRUE;

  stamped = writable_fields (row);
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

  every = every_writable_field (m->entity);
  if (!insert_row (m, row, every, seq, error))
    return FALSE;
  if (m->result->status == CRM_MUTATION_REJECTED)
    return TRUE;

  if (!record_change (m, seq, stamped, error))
    return FALSE;
  finish_applied (m, CRM_MUTATION_APPLIED);
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

  if (!sees (m, m->current))
    return reject_not_found (m);
  if (!crm_pg_actor_can (m->actor, m->entity, CRM_ACTION_UPDATE))
    return reject_role (m, CRM_ACTION_UPDATE);

  incoming = take_fields (m);
  if (incoming == NULL)
    return TRUE;
  if (m->entity->kind == CRM_ENTITY_NOTIFICATION &&
      (crm_record_has (incoming, "owner_id") || crm_record_has (incoming, "team_id")))
    return reject_forbidden (m, _("Une notification appartient à son destinataire."));
  if (!may_assign (m, incoming, crm_record_get_string (m->current, "owner_id"),
                   crm_record_get_string (m->current, "team_id")))
    return TRUE;
  if (!validate (m, incoming, CRM_VALIDATE_UPDATE))
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
  if (changed->len > 0 && !validate (m, merged, CRM_VALIDATE_ROW))
    return TRUE;

  if (changed->len > 0 || merge->conflicts->len > 0)
    {
      seq = crm_pg_next_seq (m->conn, error);
      if (seq < 0)
        return FALSE;
    }

  if (changed->len > 0)
    {
      if (!update_row (m, merge->applied, changed, seq, error))
        return FALSE;
      if (m->result->status == CRM_MUTATION_REJECTED)
        return TRUE;
      if (!record_change (m, seq, changed, error))
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

  finish_applied (m, merge->status == CRM_MERGE_CONFLICT ? CRM_MUTATION_CONFLICT
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

  if (!sees (m, m->current))
    return reject_not_found (m);
  if (!crm_pg_actor_can (m->actor, m->entity, CRM_ACTION_DELETE))
    return reject_role (m, CRM_ACTION_DELETE);

  /* Already there: nothing to write, and the same answer as the first time. */
  if (crm_record_get_bool (m->current, "deleted") == deleted)
    {
      finish_applied (m, status);
      return TRUE;
    }

  seq = crm_pg_next_seq (m->conn, error);
  if (seq < 0)
    return FALSE;

  crm_record_set_bool (values, "deleted", deleted);
  g_ptr_array_add (changed, (gpointer) "deleted");
  if (!update_row (m, values, changed, seq, error))
    return FALSE;
  if (m->result->status == CRM_MUTATION_REJECTED)
    return TRUE;
  if (!record_change (m, seq, changed, error))
    return FALSE;

  finish_applied (m, status);
  return TRUE;
}

static gboolean
run (Mutation  *m,
     GError   **error)
{
  if (m->op->kind == CRM_MUTATION_CREATE)
    return do_create (m, error);

  if (!load_current (m, error))
    return FALSE;
  if (m->current == NULL)
    return reject_not_found (m);

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
    return reject (m, 400, CRM_STORE_PROBLEM_BAD_REQUEST, _("Requête invalide"),
                   _("Chaque opération envoyée par une application doit porter un « op_id »."));
  if (m->id == NULL || !crm_uuid_is_valid (m->id))
    {
      g_autofree char *detail =
        g_strdup_printf (_("L’identifiant « %s » n’est pas un UUID valide."),
                         m->op->id != NULL ? m->op->id : "");
      return reject (m, 400, CRM_STORE_PROBLEM_BAD_REQUEST, _("Requête invalide"), detail);
    }
  if (m->op->kind == CRM_MUTATION_UPDATE &&
      (m->op->fields == NULL || crm_record_get_entity (m->op->fields) != m->entity))
    return reject (m, 400, CRM_STORE_PROBLEM_BAD_REQUEST, _("Requête invalide"),
                   _("La modification ne contient aucun champ."));
  if (m->op->fields != NULL && crm_record_get_entity (m->op->fields) != m->entity)
    return reject (m, 400, CRM_STORE_PROBLEM_BAD_REQUEST, _("Requête invalide"),
                   _("Les champs envoyés ne correspondent pas au type d’élément."));
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

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
 * The parts of one write (crm-pg-mutate.c puts them together): refusals as answers,
 * the checks every kind shares, and the SQL of a row: loaded FOR UPDATE, inserted or
 * updated with its bookkeeping, then its change-log row, events and audit.
 */

/* ---- Answers ------------------------------------------------------------------ */

gboolean
crm_pg_mutation_reject (Mutation   *m,
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

gboolean
crm_pg_mutation_reject_not_found (Mutation *m)
{
  /* The same answer whether the row does not exist or is outside the caller's view:
   * never reveal that it exists (DESIGN.md §9). */
  g_autofree char *detail =
    g_strdup_printf (_("Aucun élément « %s » ne porte l’identifiant %s, ou il ne vous est pas "
                       "accessible."), m->entity->label, m->id);

  return crm_pg_mutation_reject (m, 404, CRM_STORE_PROBLEM_NOT_FOUND, _("Élément introuvable"),
                                 detail);
}

gboolean
crm_pg_mutation_reject_forbidden (Mutation   *m,
                                  const char *detail)
{
  return crm_pg_mutation_reject (m, 403, CRM_STORE_PROBLEM_FORBIDDEN, _("Action non autorisée"),
                                 detail);
}

gboolean
crm_pg_mutation_reject_role (Mutation  *m,
                             CrmAction  action)
{
  g_autofree char *detail =
    g_strdup_printf (_("Votre rôle ne permet pas l’action « %s » sur « %s » ; demandez-la à un "
                       "responsable ou à un administrateur."),
                     crm_action_to_string (action), m->entity->label_plural);

  return crm_pg_mutation_reject_forbidden (m, detail);
}

static gboolean
reject_invalid (Mutation  *m,
                GPtrArray *errors)
{
  const CrmFieldError *first = g_ptr_array_index (errors, 0);

  crm_pg_mutation_reject (m, 422, CRM_STORE_PROBLEM_VALIDATION, _("Données invalides"),
                          first->message);
  for (guint i = 0; i < errors->len; i++)
    {
      const CrmFieldError *entry = g_ptr_array_index (errors, i);

      crm_store_problem_add_error (m->result->problem, entry->field, entry->message);
    }
  return TRUE;
}

/* Validation of @record in @mode; TRUE when it passed, else the op is rejected. */
gboolean
crm_pg_mutation_validate (Mutation        *m,
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
      crm_pg_mutation_reject (m, 409, CRM_STORE_PROBLEM_DUPLICATE, _("Valeur déjà utilisée"),
                              message);
    }
  else if (strcmp (state, "23503") == 0 && field != NULL)
    {
      message = g_strdup_printf (_("Le champ « %s » désigne un élément qui n’existe pas ; "
                                   "vérifiez l’identifiant."), field->label);
      crm_pg_mutation_reject (m, 422, CRM_STORE_PROBLEM_VALIDATION, _("Données invalides"),
                              message);
    }
  else
    {
      message = g_strdup (_("Une valeur est refusée par la base de données ; vérifiez les "
                            "champs de la demande."));
      crm_pg_mutation_reject (m, 422, CRM_STORE_PROBLEM_VALIDATION, _("Données invalides"),
                              message);
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

gboolean
crm_pg_mutation_sees (const Mutation  *m,
                      const CrmRecord *row)
{
  const char *assignee = crm_pg_assignee_column (m->entity);

  return crm_pg_actor_sees (m->actor, m->entity, crm_record_get_string (row, "owner_id"),
                            crm_record_get_string (row, "team_id"),
                            assignee != NULL ? crm_record_get_string (row, assignee) : NULL);
}

/* Loads the row FOR UPDATE: concurrent ops on one row take turns, and each merges
 * against what the previous one committed. FALSE only on a database failure. */
gboolean
crm_pg_mutation_load_current (Mutation  *m,
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

gboolean
crm_pg_mutation_insert_row (Mutation   *m,
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
gboolean
crm_pg_mutation_update_row (Mutation        *m,
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
gboolean
crm_pg_mutation_record_change (Mutation   *m,
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

void
crm_pg_mutation_finish_applied (Mutation          *m,
                                CrmMutationStatus  status)
{
  CrmRecord *row = m->after != NULL ? m->after : m->current;

  m->result->status = status;
  m->result->version = crm_record_get_int (row, "version");
  /* A row that has just left the caller's view (an admin gave it away) is not theirs
   * to see any more, even in the answer. */
  g_clear_pointer (&m->result->row, crm_record_unref);
  if (crm_pg_mutation_sees (m, row))
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
gboolean
crm_pg_mutation_may_assign (Mutation        *m,
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
      crm_pg_mutation_reject_forbidden (m, _("Seul un administrateur peut changer le "
                                             "propriétaire ou l’équipe d’un élément."));
      return FALSE;
    }
  return TRUE;
}

/* The op's fields without "id", which names the row rather than changing it. */
CrmRecord *
crm_pg_mutation_take_fields (Mutation *m)
{
  CrmRecord *fields = m->op->fields != NULL ? crm_record_copy (m->op->fields)
                                            : crm_record_new (m->entity);
  const char *id = crm_record_get_string (fields, "id");

  if (crm_record_has (fields, "id") && (id == NULL || g_ascii_strcasecmp (id, m->id) != 0))
    {
      crm_pg_mutation_reject (m, 400, CRM_STORE_PROBLEM_BAD_REQUEST, _("Requête invalide"),
                              _("Le champ « id » ne correspond pas à l’élément modifié."));
      crm_record_unref (fields);
      return NULL;
    }
  crm_record_unset (fields, "id");
  return fields;
}

GPtrArray *
crm_pg_mutation_writable_fields (const CrmRecord *row)
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
GPtrArray *
crm_pg_mutation_every_writable_field (const CrmEntityInfo *entity)
{
  GPtrArray *fields = g_ptr_array_new ();

  for (guint i = 0; i < entity->n_fields; i++)
    if ((entity->fields[i].flags & CRM_FIELD_META) == 0 ||
        strcmp (entity->fields[i].name, "owner_id") == 0 ||
        strcmp (entity->fields[i].name, "team_id") == 0)
      g_ptr_array_add (fields, (gpointer) entity->fields[i].name);
  return fields;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-replica"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-replica-private.h"

/* List requests (CrmReplicaQuery) and the WHERE clause they become: filters are
 * composed from the schema's field names, their values always bound. */

#define DEFAULT_LIMIT 50
#define MAX_LIMIT 1000



static void
filter_clear (gpointer data)
{
  g_free (((Filter *) data)->value);
}

static const char *
default_sort (CrmEntityKind kind,
              gboolean     *descending)
{
  *descending = FALSE;
  switch (kind)
    {
    case CRM_ENTITY_ORGANISATION: return "name";
    case CRM_ENTITY_PERSON: return "last_name";
    case CRM_ENTITY_MANDAT: return "number";
    case CRM_ENTITY_TASK: return "due_at";
    case CRM_ENTITY_INTERACTION:
      *descending = TRUE;
      return "occurred_at";
    case CRM_ENTITY_NOTIFICATION:
      *descending = TRUE;
      return "created_at";
    case CRM_ENTITY_LINK:
    case CRM_ENTITY_USER:
    case CRM_ENTITY_TEAM:
    case CRM_N_ENTITIES:
    default:
      return "created_at";
    }
}

CrmReplicaQuery *
crm_replica_query_new (CrmEntityKind kind)
{
  CrmReplicaQuery *query = g_new0 (CrmReplicaQuery, 1);
  gboolean descending;

  g_return_val_if_fail ((guint) kind < CRM_REPLICA_N_KINDS, NULL);

  query->kind = kind;
  query->filters = g_array_new (FALSE, TRUE, sizeof (Filter));
  g_array_set_clear_func (query->filters, filter_clear);
  query->sort = crm_entity_field (crm_entity_get (kind), default_sort (kind, &descending));
  query->descending = descending;
  query->limit = DEFAULT_LIMIT;

  return query;
}

void
crm_replica_query_free (CrmReplicaQuery *query)
{
  if (query == NULL)
    return;

  g_array_unref (query->filters);
  g_free (query->bad_field);
  g_free (query->after);
  g_free (query->search);
  g_free (query);
}

CrmEntityKind
crm_replica_query_get_kind (const CrmReplicaQuery *query)
{
  return query->kind;
}

static void
remember_bad_field (CrmReplicaQuery *query,
                    const char      *field)
{
  if (query->bad_field == NULL)
    query->bad_field = g_strdup (field != NULL ? field : "");
}

void
crm_replica_query_filter (CrmReplicaQuery *query,
                          const char      *field,
                          CrmReplicaCmp    cmp,
                          const char      *value)
{
  const CrmEntityInfo *entity = crm_entity_get (query->kind);
  Filter filter = { NULL, NULL, cmp, g_strdup (value) };

  g_return_if_fail (query != NULL);

  filter.field = crm_entity_field (entity, field);
  if (filter.field == NULL)
    {
      if (query->kind == CRM_ENTITY_PERSON && g_strcmp0 (field, "organisation_id") == 0)
        filter.pseudo = "organisation_id";
      else if (query->kind == CRM_ENTITY_INTERACTION && g_strcmp0 (field, "person_id") == 0)
        filter.pseudo = "person_id";
      else
        {
          remember_bad_field (query, field);
          g_free (filter.value);
          return;
        }
    }

  g_array_append_val (query->filters, filter);
}

void
crm_replica_query_sort (CrmReplicaQuery *query,
                        const char      *field,
                        gboolean         descending)
{
  const CrmFieldInfo *info;

  g_return_if_fail (query != NULL);

  info = crm_entity_field (crm_entity_get (query->kind), field);
  if (info == NULL || info->type == CRM_FIELD_TAGS || info->type == CRM_FIELD_UUID_LIST)
    {
      remember_bad_field (query, field);
      return;
    }
  query->sort = info;
  query->descending = descending;
}

void
crm_replica_query_set_limit (CrmReplicaQuery *query,
                             guint            limit)
{
  query->limit = CLAMP (limit, 1, MAX_LIMIT);
}

void
crm_replica_query_set_after (CrmReplicaQuery *query,
                             const char      *cursor)
{
  g_free (query->after);
  query->after = g_strdup (cursor);
}

void
crm_replica_query_set_offset (CrmReplicaQuery *query,
                              gint64           offset)
{
  g_return_if_fail (query != NULL);

  query->offset = MAX (offset, 0);
}

void
crm_replica_query_set_search (CrmReplicaQuery *query,
                              const char      *text)
{
  g_free (query->search);
  query->search = g_strdup (text);
}

void
crm_replica_query_set_include_deleted (CrmReplicaQuery *query,
                                       gboolean         include_deleted)
{
  query->include_deleted = include_deleted;
}

/* Values to bind once the statement is prepared. */


static void
bind_clear (gpointer data)
{
  g_free (((Bind *) data)->text);
}

GArray *
crm_replica_binds_new (void)
{
  GArray *binds = g_array_new (FALSE, TRUE, sizeof (Bind));

  g_array_set_clear_func (binds, bind_clear);
  return binds;
}

void
crm_replica_binds_add_text (GArray             *binds,
                            const CrmFieldInfo *field,
                            const char         *text)
{
  Bind bind = { field != NULL ? BIND_FIELD_TEXT : BIND_TEXT, field, g_strdup (text), 0, 0 };

  g_array_append_val (binds, bind);
}

void
crm_replica_binds_add_int (GArray *binds,
                           gint64  number)
{
  Bind bind = { BIND_INT, NULL, NULL, number, 0 };

  g_array_append_val (binds, bind);
}

gboolean
crm_replica_binds_apply (GArray       *binds,
                         sqlite3_stmt *stmt,
                         GError      **error)
{
  for (guint i = 0; i < binds->len; i++)
    {
      Bind *bind = &g_array_index (binds, Bind, i);
      int index = (int) i + 1;

      switch (bind->kind)
        {
        case BIND_FIELD_TEXT:
          if (!crm_replica_bind_text_value (stmt, index, bind->field, bind->text, error))
            return FALSE;
          break;
        case BIND_TEXT:
          sqlite3_bind_text (stmt, index, bind->text, -1, SQLITE_TRANSIENT);
          break;
        case BIND_INT:
          sqlite3_bind_int64 (stmt, index, bind->number);
          break;
        case BIND_DOUBLE:
          sqlite3_bind_double (stmt, index, bind->real);
          break;
        case BIND_NULL:
        default:
          sqlite3_bind_null (stmt, index);
          break;
        }
    }

  return TRUE;
}

static const char *
cmp_sql (CrmReplicaCmp cmp)
{
  switch (cmp)
    {
    case CRM_REPLICA_EQ: return "=";
    case CRM_REPLICA_NE: return "<>";
    case CRM_REPLICA_LT: return "<";
    case CRM_REPLICA_LE: return "<=";
    case CRM_REPLICA_GT: return ">";
    case CRM_REPLICA_GE: return ">=";
    case CRM_REPLICA_IS_NULL: return "IS NULL";
    case CRM_REPLICA_NOT_NULL: return "IS NOT NULL";
    default: return "=";
    }
}

gboolean
crm_replica_query_append_where (const CrmReplicaQuery *query,
                                GString               *sql,
                                GArray                *binds,
                                gboolean               with_search,
                                GError               **error)
{
  const CrmEntityInfo *entity = crm_entity_get (query->kind);

  if (query->bad_field != NULL)
    {
      g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_INVALID,
                   _("On ne peut pas filtrer ou trier les %s sur « %s »."),
                   entity->label_plural, query->bad_field);
      return FALSE;
    }

  g_string_append (sql, query->include_deleted ? " WHERE 1" : " WHERE t.deleted = 0");

  for (guint i = 0; i < query->filters->len; i++)
    {
      const Filter *filter = &g_array_index (query->filters, Filter, i);
      gboolean unary = filter->cmp == CRM_REPLICA_IS_NULL || filter->cmp == CRM_REPLICA_NOT_NULL;

      if (filter->pseudo != NULL && query->kind == CRM_ENTITY_PERSON)
        {
          g_string_append (sql, " AND t.id IN (SELECT l.person_id FROM links AS l "
                                "WHERE l.organisation_id = ? AND l.deleted = 0)");
          crm_replica_binds_add_text (binds, NULL, filter->value);
        }
      else if (filter->pseudo != NULL)
        {
          g_string_append (sql, " AND t.rid IN (SELECT p.interaction_rid "
                                "FROM interaction_participants AS p WHERE p.person_id = ?)");
          crm_replica_binds_add_text (binds, NULL, filter->value);
        }
      else if (unary)
        g_string_append_printf (sql, " AND t.%s %s", filter->field->name, cmp_sql (filter->cmp));
      else
        {
          if (filter->value == NULL)
            {
              g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_INVALID,
                           _("Le filtre sur « %s » n’a pas de valeur."), filter->field->label);
              return FALSE;
            }
          g_string_append_printf (sql, " AND t.%s %s ?", filter->field->name,
                                  cmp_sql (filter->cmp));
          crm_replica_binds_add_text (binds, filter->field, filter->value);
        }
    }

  if (with_search && query->search != NULL)
    {
      g_autoptr(CrmSearchQuery) parsed = crm_search_query_parse (query->search);
      g_autofree char *match = crm_search_query_to_fts (parsed);
      const char *fts = crm_replica_fts_table (query->kind);

      if (match != NULL && fts == NULL)
        {
          g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_INVALID,
                       _("La recherche n’est pas disponible pour les %s."), entity->label_plural);
          return FALSE;
        }
      if (match != NULL)
        {
          g_string_append_printf (sql, " AND t.rid IN (SELECT rowid FROM %s WHERE %s MATCH ?)",
                                  fts, fts);
          crm_replica_binds_add_text (binds, NULL, match);
        }
    }

  return TRUE;
}


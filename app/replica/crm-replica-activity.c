/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-replica"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-replica-private.h"
#include "crm-time.h"

/* Dashboard figures, activity timelines and field history: read-only views
 * over the entity tables and field_history. */

void
crm_replica_dashboard_free (CrmReplicaDashboard *dashboard)
{
  if (dashboard == NULL)
    return;
  g_clear_pointer (&dashboard->expiring_mandats, g_ptr_array_unref);
  g_clear_pointer (&dashboard->recent_interactions, g_ptr_array_unref);
  g_free (dashboard);
}

static char *
date_plus_days (const char *date,
                int         days)
{
  int y, m, d;
  g_autoptr(GDate) g = NULL;

  if (!crm_date_parse (date, &y, &m, &d))
    return NULL;
  g = g_date_new_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y);
  g_date_add_days (g, (guint) days);
  return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (g), g_date_get_month (g),
                          g_date_get_day (g));
}

static gint64
count_with (CrmReplica  *self,
            const char  *sql,
            const char  *a,
            const char  *b,
            const char  *c,
            GError     **error)
{
  sqlite3_stmt *stmt = crm_replica_prepare (self, sql, error);
  gint64 n = -1;
  int rc;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, a, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, b, -1, SQLITE_TRANSIENT);
  if (c != NULL)
    sqlite3_bind_text (stmt, 3, c, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  else
    crm_replica_set_sqlite_error (self, rc, error);
  sqlite3_reset (stmt);

  return n;
}

static GPtrArray *
records_with (CrmReplica   *self,
              CrmEntityKind kind,
              const char   *where,
              const char   *a,
              const char   *b,
              guint         limit,
              GError      **error)
{
  const CrmEntityInfo *entity = crm_entity_get (kind);
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM %s AS t WHERE %s LIMIT ?3",
                                          self->select_columns[kind], entity->collection, where);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_record_unref);
  sqlite3_stmt *stmt = crm_replica_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, a, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, b, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, (int) limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, crm_replica_row_read (entity, stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_replica_set_sqlite_error (self, rc, error);
      return NULL;
    }

  return g_steal_pointer (&rows);
}

CrmReplicaDashboard *
crm_replica_dashboard (CrmReplica *self,
                       const char *user_id,
                       const char *today,
                       guint       expiring_days,
                       guint       n_recent,
                       GError    **error)
{
  CRM_REPLICA_LOCKED (self);
  g_autoptr(CrmReplicaDashboard) dash = g_new0 (CrmReplicaDashboard, 1);
  g_autofree char *today_owned = NULL;
  g_autofree char *tomorrow = NULL;
  g_autofree char *horizon = NULL;
  g_autofree char *day_start = NULL;
  g_autofree char *day_end = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CRM_IS_REPLICA (self), NULL);
  if (!crm_replica_check_open (self, error))
    return NULL;

  if (today == NULL)
    today = today_owned = crm_date_today ();
  tomorrow = date_plus_days (today, 1);
  horizon = date_plus_days (today, (int) expiring_days);
  if (tomorrow == NULL || horizon == NULL)
    {
      g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_INVALID,
                   _("La date du jour « %s » n’est pas une date valide (AAAA-MM-JJ)."), today);
      return NULL;
    }
  day_start = g_strconcat (today, "T00:00:00Z", NULL);
  day_end = g_strconcat (tomorrow, "T00:00:00Z", NULL);

  for (guint i = 0; crm_pipeline_stages[i].wire != NULL && i < G_N_ELEMENTS (dash->stages); i++)
    {
      dash->stages[i].stage = crm_pipeline_stages[i].wire;
      dash->n_stages = i + 1;
    }
  stmt = crm_replica_prepare (self, "SELECT pipeline_stage, count (*) FROM organisations "
                                    "WHERE deleted = 0 GROUP BY pipeline_stage", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *stage = (const char *) sqlite3_column_text (stmt, 0);

      for (guint i = 0; i < dash->n_stages; i++)
        if (g_strcmp0 (stage, dash->stages[i].stage) == 0)
          dash->stages[i].count = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_replica_set_sqlite_error (self, rc, error);
      return NULL;
    }

  dash->tasks_due_today = count_with (self,
                                      "SELECT count (*) FROM tasks WHERE deleted = 0 "
                                      "AND assignee_id = ?1 AND status IN ('todo', 'in_progress') "
                                      "AND due_at >= ?2 AND due_at < ?3",
                                      user_id, day_start, day_end, error);
  if (dash->tasks_due_today < 0)
    return NULL;
  dash->tasks_overdue = count_with (self,
                                    "SELECT count (*) FROM tasks WHERE deleted = 0 "
                                    "AND assignee_id = ?1 AND status IN ('todo', 'in_progress') "
                                    "AND due_at < ?2",
                                    user_id, day_start, NULL, error);
  if (dash->tasks_overdue < 0)
    return NULL;
  dash->mandats_expiring = count_with (self,
                                       "SELECT count (*) FROM mandats WHERE deleted = 0 "
                                       "AND end_date >= ?1 AND end_date <= ?2 "
                                       "AND status IN ('signed', 'active')",
                                       today, horizon, NULL, error);
  if (dash->mandats_expiring < 0)
    return NULL;

  dash->expiring_mandats = records_with (self, CRM_ENTITY_MANDAT,
                                         "t.deleted = 0 AND t.end_date >= ?1 AND t.end_date <= ?2 "
                                         "AND t.status IN ('signed', 'active') "
                                         "ORDER BY t.end_date, t.rid",
                                         today, horizon, 50, error);
  if (dash->expiring_mandats == NULL)
    return NULL;
  dash->recent_interactions = records_with (self, CRM_ENTITY_INTERACTION,
                                            "t.deleted = 0 AND t.occurred_at IS NOT NULL "
                                            "AND (?1 IS NULL OR ?2 IS NULL) "
                                            "ORDER BY t.occurred_at DESC, t.rid DESC",
                                            NULL, NULL, MAX (n_recent, 1), error);
  if (dash->recent_interactions == NULL)
    return NULL;

  return g_steal_pointer (&dash);
}

void
crm_timeline_item_free (CrmTimelineItem *item)
{
  if (item == NULL)
    return;
  g_free (item->at);
  g_free (item->id);
  g_free (item->title);
  g_free (item->detail);
  g_free (item);
}

/* Columns: kind, at, entity, id, a, b. For mandats b says which date.
 *
 * Each source is cut to its own newest ?3 items before they are merged: an
 * organisation with thousands of interactions costs an index walk of ?3 rows
 * (interactions_organisation, field_history_row) rather than a sort of all
 * of them. The outer query orders the union and keeps ?3. */
#define TIMELINE_PART(select, at, where) \
  " SELECT * FROM (" select " WHERE " where " AND " at " IS NOT NULL" \
  " AND (?2 IS NULL OR " at " < ?2) ORDER BY " at " DESC LIMIT ?3)"

static const char timeline_organisation_sql[] =
  "SELECT * FROM ("
  TIMELINE_PART ("SELECT 0 AS k, occurred_at AS at, 'interaction', id, subject, outcome"
                 " FROM interactions", "occurred_at", "organisation_id = ?1 AND deleted = 0")
  " UNION ALL"
  TIMELINE_PART ("SELECT 1, coalesce (due_at, created_at) AS at, 'task', id, title, status"
                 " FROM tasks", "coalesce (due_at, created_at)",
                 "organisation_id = ?1 AND deleted = 0")
  " UNION ALL"
  TIMELINE_PART ("SELECT 2, signed_at, 'mandat', id, number, 'signed' FROM mandats",
                 "signed_at", "organisation_id = ?1 AND deleted = 0")
  " UNION ALL"
  TIMELINE_PART ("SELECT 2, start_date, 'mandat', id, number, 'start' FROM mandats",
                 "start_date", "organisation_id = ?1 AND deleted = 0")
  " UNION ALL"
  TIMELINE_PART ("SELECT 2, end_date, 'mandat', id, number, 'end' FROM mandats",
                 "end_date", "organisation_id = ?1 AND deleted = 0")
  " UNION ALL"
  TIMELINE_PART ("SELECT 3, changed_at, 'organisation', row_id, field,"
                 " coalesce (old_value, '∅') || ' → ' || coalesce (new_value, '∅')"
                 " FROM field_history", "changed_at",
                 "entity = 'organisation' AND row_id = ?1 AND op_kind <> 'create'")
  " UNION ALL"
  TIMELINE_PART ("SELECT 4, coalesce (l.start_date, l.created_at) AS at, 'person', p.id,"
                 " trim (coalesce (p.first_name, '') || ' ' || coalesce (p.last_name, '')),"
                 " l.role FROM links AS l JOIN people AS p ON p.id = l.person_id",
                 "coalesce (l.start_date, l.created_at)",
                 "l.organisation_id = ?1 AND l.deleted = 0")
  ") ORDER BY at DESC, k LIMIT ?3";

static const char timeline_person_sql[] =
  "SELECT * FROM ("
  TIMELINE_PART ("SELECT 0 AS k, i.occurred_at AS at, 'interaction', i.id, i.subject,"
                 " i.outcome FROM interaction_participants AS ip"
                 " JOIN interactions AS i ON i.rid = ip.interaction_rid",
                 "i.occurred_at", "ip.person_id = ?1 AND i.deleted = 0")
  " UNION ALL"
  TIMELINE_PART ("SELECT 1, coalesce (due_at, created_at) AS at, 'task', id, title, status"
                 " FROM tasks", "coalesce (due_at, created_at)",
                 "person_id = ?1 AND deleted = 0")
  " UNION ALL"
  TIMELINE_PART ("SELECT 3, changed_at, 'person', row_id, field,"
                 " coalesce (old_value, '∅') || ' → ' || coalesce (new_value, '∅')"
                 " FROM field_history", "changed_at",
                 "entity = 'person' AND row_id = ?1 AND op_kind <> 'create'")
  " UNION ALL"
  TIMELINE_PART ("SELECT 4, coalesce (l.start_date, l.created_at) AS at, 'organisation',"
                 " o.id, o.name, l.role FROM links AS l"
                 " JOIN organisations AS o ON o.id = l.organisation_id",
                 "coalesce (l.start_date, l.created_at)",
                 "l.person_id = ?1 AND l.deleted = 0")
  ") ORDER BY at DESC, k LIMIT ?3";

static char *
mandat_title (const char *number,
              const char *which)
{
  if (g_strcmp0 (which, "signed") == 0)
    return g_strdup_printf (_("Mandat %s signé"), number);
  if (g_strcmp0 (which, "start") == 0)
    return g_strdup_printf (_("Début du mandat %s"), number);
  return g_strdup_printf (_("Fin du mandat %s"), number);
}

GPtrArray *
crm_replica_timeline (CrmReplica   *self,
                      CrmEntityKind kind,
                      const char   *id,
                      const char   *before,
                      guint         limit,
                      GError      **error)
{
  CRM_REPLICA_LOCKED (self);
  g_autoptr(GPtrArray) items = NULL;
  const CrmEntityInfo *subject = crm_entity_get (kind);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CRM_IS_REPLICA (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (kind != CRM_ENTITY_ORGANISATION && kind != CRM_ENTITY_PERSON)
    {
      g_set_error (error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_INVALID,
                   _("Le fil d’activité existe pour les organisations et les personnes."));
      return NULL;
    }

  stmt = crm_replica_prepare (self, kind == CRM_ENTITY_ORGANISATION ? timeline_organisation_sql
                                                                    : timeline_person_sql,
                              error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, before, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, (int) CLAMP (limit, 1, 1000));

  items = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_timeline_item_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CrmTimelineItem *item = g_new0 (CrmTimelineItem, 1);
      const char *a = (const char *) sqlite3_column_text (stmt, 4);
      const char *b = (const char *) sqlite3_column_text (stmt, 5);
      const CrmEntityInfo *entity = crm_entity_lookup ((const char *)sqlite3_column_text (stmt, 2));

      item->at = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      item->entity = entity != NULL ? entity->name : subject->name;
      item->id = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      switch (sqlite3_column_int (stmt, 0))
        {
        case 0:
          item->kind = CRM_TIMELINE_INTERACTION;
          item->title = g_strdup (a);
          item->detail = g_strdup (b);
          break;
        case 1:
          item->kind = CRM_TIMELINE_TASK;
          item->title = g_strdup (a);
          item->detail = g_strdup (crm_enum_label (crm_task_statuses, b));
          break;
        case 2:
          item->kind = CRM_TIMELINE_MANDAT;
          item->title = mandat_title (a, b);
          break;
        case 3:
          {
            const CrmFieldInfo *field = crm_entity_field (subject, a);

            item->kind = CRM_TIMELINE_FIELD_CHANGE;
            item->title = g_strdup (field != NULL ? field->label : a);
            item->detail = g_strdup (b);
          }
          break;
        default:
          item->kind = CRM_TIMELINE_LINK;
          item->title = g_strdup (a);
          item->detail = g_strdup (b);
          break;
        }
      g_ptr_array_add (items, item);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_replica_set_sqlite_error (self, rc, error);
      return NULL;
    }

  return g_steal_pointer (&items);
}

void
crm_history_entry_free (CrmHistoryEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->field);
  g_free (entry->old_value);
  g_free (entry->new_value);
  g_free (entry->changed_by);
  g_free (entry->changed_at);
  g_free (entry->op_kind);
  g_free (entry);
}

GPtrArray *
crm_replica_history (CrmReplica   *self,
                     CrmEntityKind kind,
                     const char   *id,
                     GError      **error)
{
  CRM_REPLICA_LOCKED (self);
  const CrmEntityInfo *entity;
  g_autoptr(GPtrArray) entries = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CRM_IS_REPLICA (self), NULL);

  entity = crm_replica_entity (kind, error);
  if (entity == NULL)
    return NULL;

  stmt = crm_replica_prepare (self, "SELECT field, old_value, new_value, changed_by, changed_at, "
                                    "op_kind, source FROM field_history "
                                    "WHERE entity = ? AND row_id = ? ORDER BY hid", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, entity->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_TRANSIENT);

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_history_entry_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CrmHistoryEntry *entry = g_new0 (CrmHistoryEntry, 1);

      entry->field = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      entry->old_value = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      entry->new_value = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      entry->changed_by = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      entry->changed_at = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      entry->op_kind = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      entry->remote = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 6), "remote") == 0;
      g_ptr_array_add (entries, entry);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_replica_set_sqlite_error (self, rc, error);
      return NULL;
    }

  return g_steal_pointer (&entries);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-record-list-model"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-record-list-model.h"

/* Pages kept: a screen shows a few dozen rows, so this is many screens of scrolling back. */
#define MAX_CACHED_PAGES 40
/* The replica's largest page: a seek skips this many rows per call. */
#define SKIP_STEP 1000

typedef struct
{
  char          *field;
  CrmReplicaCmp  cmp;
  char          *value;
} Filter;

typedef struct
{
  guint      index;
  GPtrArray *items;   /* CrmRecordItem*, placeholders until loaded */
  guint64    stamp;   /* last use, for eviction */
  gboolean   loaded;
  gboolean   queued;  /* waiting for a background seek */
} Page;

/* Where a page starts, seen from one end of the sort: a forward walk counts positions
 * from the first row, a backward one (the reversed sort) from the last. */
enum { FORWARD, BACKWARD };

typedef struct
{
  guint pos;
  char *cursor;
} Checkpoint;

/* Everything a page read needs, copied so that a worker thread can run it. */
typedef struct
{
  CrmReplica    *replica;
  CrmEntityKind  kind;
  GArray        *filters;     /* Filter, copied */
  char          *sort_field;
  gboolean       descending;  /* of the walk: the model's order, reversed when backward */
  guint          generation;
  guint          page;
  int            direction;
  guint          start_pos;   /* a known cursor's position, in the walk's direction */
  char          *start_cursor;
  guint          target_pos;  /* where the page starts, in the walk's direction */
  guint          count;
  GPtrArray     *rows;        /* result, in the model's order */
  GArray        *checkpoints; /* result: Checkpoint, in the walk's direction */
} Seek;

struct _CrmRecordListModel
{
  GObject        parent_instance;

  CrmReplica    *replica;
  CrmEntityKind  kind;
  GArray        *filters;
  char          *sort_field;
  gboolean       descending;

  guint          n_items;
  guint          generation;
  guint64        clock;
  GHashTable    *pages;           /* index -> Page */
  GHashTable    *checkpoints[2];  /* position -> cursor (char*) */
  GQueue         pending;         /* page indexes waiting for a seek */
  gboolean       seeking;
  GCancellable  *cancellable;
};

static void crm_record_list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CrmRecordListModel, crm_record_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      crm_record_list_model_iface_init))

enum {
  PROP_0,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
filter_clear (gpointer data)
{
  Filter *filter = data;

  g_free (filter->field);
  g_free (filter->value);
}

static void
checkpoint_clear (gpointer data)
{
  g_free (((Checkpoint *) data)->cursor);
}

static void
page_free (gpointer data)
{
  Page *page = data;

  g_ptr_array_unref (page->items);
  g_free (page);
}

static GArray *
filters_copy (GArray *filters)
{
  GArray *copy = g_array_sized_new (FALSE, TRUE, sizeof (Filter), filters->len);

  g_array_set_clear_func (copy, filter_clear);
  for (guint i = 0; i < filters->len; i++)
    {
      const Filter *f = &g_array_index (filters, Filter, i);
      Filter c = { g_strdup (f->field), f->cmp, g_strdup (f->value) };

      g_array_append_val (copy, c);
    }
  return copy;
}

static void
seek_free (Seek *seek)
{
  g_clear_object (&seek->replica);
  g_clear_pointer (&seek->filters, g_array_unref);
  g_free (seek->sort_field);
  g_free (seek->start_cursor);
  g_clear_pointer (&seek->rows, g_ptr_array_unref);
  g_clear_pointer (&seek->checkpoints, g_array_unref);
  g_free (seek);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Seek, seek_free)

static CrmReplicaQuery *
build_query (CrmEntityKind  kind,
             GArray        *filters,
             const char    *sort_field,
             gboolean       descending)
{
  CrmReplicaQuery *query = crm_replica_query_new (kind);

  for (guint i = 0; i < filters->len; i++)
    {
      const Filter *f = &g_array_index (filters, Filter, i);

      crm_replica_query_filter (query, f->field, f->cmp, f->value);
    }
  crm_replica_query_sort (query, sort_field, descending);
  return query;
}

/* Reads one page: from the known cursor when it is near, skipping SKIP_STEP rows per
 * call and noting a cursor at each stop; from the page's position otherwise. Runs in
 * any thread. */
static gboolean
seek_run (Seek    *seek,
          GError **error)
{
  g_autoptr(CrmReplicaQuery) query = build_query (seek->kind, seek->filters,
                                                  seek->sort_field, seek->descending);
  g_autofree char *cursor = g_strdup (seek->start_cursor);
  g_autoptr(GPtrArray) rows = NULL;
  guint pos = seek->start_pos;

  seek->checkpoints = g_array_new (FALSE, TRUE, sizeof (Checkpoint));
  g_array_set_clear_func (seek->checkpoints, checkpoint_clear);

  /* Far from any known cursor (a scrollbar dragged to the middle): the replica walks
   * its index to the position without reading the rows in between (8 ms at 240,000
   * rows, where reading them took over a second). Near one, the cursor is cheaper. */
  if (seek->target_pos - pos > SKIP_STEP)
    {
      g_autofree char *next = NULL;

      crm_replica_query_set_limit (query, MAX (seek->count, 1));
      crm_replica_query_set_offset (query, seek->target_pos);
      rows = crm_replica_list (seek->replica, query, &next, error);
      if (rows == NULL)
        return FALSE;
      if (next != NULL)
        g_array_append_vals (seek->checkpoints,
                             &(Checkpoint) { seek->target_pos + rows->len, g_steal_pointer (&next) }, 1);
      pos = seek->target_pos;
    }

  while (rows == NULL && pos < seek->target_pos)
    {
      g_autoptr(GPtrArray) skipped = NULL;
      g_autofree char *next = NULL;
      guint limit = MIN (seek->target_pos - pos, SKIP_STEP);

      crm_replica_query_set_limit (query, limit);
      crm_replica_query_set_after (query, cursor);
      skipped = crm_replica_list (seek->replica, query, &next, error);
      if (skipped == NULL)
        return FALSE;

      pos += skipped->len;
      g_free (cursor);
      cursor = g_steal_pointer (&next);
      /* Fewer rows than counted: the data moved under the walk; the next reload fixes it. */
      if (cursor == NULL || skipped->len < limit)
        {
          seek->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_record_unref);
          return TRUE;
        }
      g_array_append_vals (seek->checkpoints,
                           &(Checkpoint) { pos, g_strdup (cursor) }, 1);
    }

  if (rows == NULL)
    {
      g_autofree char *next = NULL;

      crm_replica_query_set_limit (query, MAX (seek->count, 1));
      crm_replica_query_set_after (query, cursor);
      rows = crm_replica_list (seek->replica, query, &next, error);
      if (rows == NULL)
        return FALSE;
      if (next != NULL)
        g_array_append_vals (seek->checkpoints,
                             &(Checkpoint) { pos + rows->len, g_steal_pointer (&next) }, 1);
    }

  if (seek->direction == BACKWARD)
    {
      for (guint i = 0, j = rows->len; i + 1 < j; i++, j--)
        {
          gpointer tmp = rows->pdata[i];

          rows->pdata[i] = rows->pdata[j - 1];
          rows->pdata[j - 1] = tmp;
        }
    }
  seek->rows = g_steal_pointer (&rows);
  return TRUE;
}

/* The best known cursor at or before @pos in @direction: its position, its cursor. */
static guint
nearest_checkpoint (CrmRecordListModel *self,
                    int                 direction,
                    guint               pos,
                    const char        **cursor)
{
  GHashTableIter iter;
  gpointer key, value;
  guint best = 0;

  *cursor = NULL;
  g_hash_table_iter_init (&iter, self->checkpoints[direction]);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint at = GPOINTER_TO_UINT (key);

      if (at <= pos && at > best)
        {
          best = at;
          *cursor = value;
        }
    }
  return best;
}

/* Plans the cheapest read of page @index; *@cost is the number of rows it must skip. */
static Seek *
seek_plan (CrmRecordListModel *self,
           guint               index,
           guint              *cost)
{
  Seek *seek = g_new0 (Seek, 1);
  guint first = index * CRM_RECORD_LIST_PAGE_SIZE;
  guint end = MIN (first + CRM_RECORD_LIST_PAGE_SIZE, self->n_items);
  const char *fwd_cursor, *bwd_cursor;
  guint fwd = nearest_checkpoint (self, FORWARD, first, &fwd_cursor);
  guint bwd = nearest_checkpoint (self, BACKWARD, self->n_items - end, &bwd_cursor);

  seek->replica = g_object_ref (self->replica);
  seek->kind = self->kind;
  seek->filters = filters_copy (self->filters);
  seek->sort_field = g_strdup (self->sort_field);
  seek->generation = self->generation;
  seek->page = index;
  seek->count = end - first;

  if (first - fwd <= (self->n_items - end) - bwd)
    {
      seek->direction = FORWARD;
      seek->descending = self->descending;
      seek->start_pos = fwd;
      seek->start_cursor = g_strdup (fwd_cursor);
      seek->target_pos = first;
    }
  else
    {
      seek->direction = BACKWARD;
      seek->descending = !self->descending;
      seek->start_pos = bwd;
      seek->start_cursor = g_strdup (bwd_cursor);
      seek->target_pos = self->n_items - end;
    }
  *cost = seek->target_pos - seek->start_pos;
  return seek;
}

/* Back on the main thread: keep the cursors, fill the page's placeholders. */
static void
seek_apply (CrmRecordListModel *self,
            Seek               *seek)
{
  Page *page;

  if (seek->generation != self->generation)
    return;

  for (guint i = 0; i < seek->checkpoints->len; i++)
    {
      Checkpoint *cp = &g_array_index (seek->checkpoints, Checkpoint, i);

      g_hash_table_replace (self->checkpoints[seek->direction],
                            GUINT_TO_POINTER (cp->pos), g_steal_pointer (&cp->cursor));
    }

  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (seek->page));
  if (page == NULL)
    return;

  page->loaded = TRUE;
  page->queued = FALSE;
  for (guint i = 0; i < page->items->len && i < seek->rows->len; i++)
    crm_record_item_set_record (page->items->pdata[i], seek->rows->pdata[i]);
}

static void start_next_seek (CrmRecordListModel *self);

static void
seek_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;

  if (seek_run (task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
seek_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  CrmRecordListModel *self = CRM_RECORD_LIST_MODEL (object);
  g_autoptr(GError) error = NULL;

  self->seeking = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Could not read a page of %s: %s",
                   crm_entity_get (self->kind)->collection, error->message);
      return;
    }

  seek_apply (self, g_task_get_task_data (G_TASK (result)));
  start_next_seek (self);
}

static void
start_next_seek (CrmRecordListModel *self)
{
  while (!self->seeking && !g_queue_is_empty (&self->pending))
    {
      /* The newest request first: while the scrollbar is dragged, the rows now on
       * screen matter, not those it passed on the way. */
      guint index = GPOINTER_TO_UINT (g_queue_pop_tail (&self->pending));
      Page *page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
      g_autoptr(Seek) seek = NULL;
      g_autoptr(GTask) task = NULL;
      g_autoptr(GError) error = NULL;
      guint cost;

      /* Evicted while it waited: nobody looks at it any more. */
      if (page == NULL || page->loaded)
        continue;

      seek = seek_plan (self, index, &cost);
      if (cost == 0)
        {
          /* An earlier seek left a cursor right there: as cheap as scrolling. */
          if (seek_run (seek, &error))
            seek_apply (self, seek);
          else
            g_message ("Could not read a page of %s: %s",
                       crm_entity_get (self->kind)->collection, error->message);
          continue;
        }

      self->seeking = TRUE;
      task = g_task_new (self, self->cancellable, seek_done, NULL);
      g_task_set_source_tag (task, start_next_seek);
      g_task_set_task_data (task, g_steal_pointer (&seek), (GDestroyNotify) seek_free);
      g_task_run_in_thread (task, seek_thread);
    }
}

static void
evict_pages (CrmRecordListModel *self)
{
  while (g_hash_table_size (self->pages) > MAX_CACHED_PAGES)
    {
      GHashTableIter iter;
      gpointer key, value;
      gpointer oldest = NULL;
      guint64 oldest_stamp = G_MAXUINT64;

      g_hash_table_iter_init (&iter, self->pages);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          Page *page = value;

          if (page->stamp < oldest_stamp)
            {
              oldest_stamp = page->stamp;
              oldest = key;
            }
        }
      g_hash_table_remove (self->pages, oldest);
    }
}

static Page *
page_get (CrmRecordListModel *self,
          guint               index)
{
  Page *page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
  g_autoptr(Seek) seek = NULL;
  g_autoptr(GError) error = NULL;
  guint first, count, cost;

  if (page != NULL)
    {
      page->stamp = ++self->clock;
      return page;
    }

  first = index * CRM_RECORD_LIST_PAGE_SIZE;
  count = MIN (CRM_RECORD_LIST_PAGE_SIZE, self->n_items - first);

  page = g_new0 (Page, 1);
  page->index = index;
  page->stamp = ++self->clock;
  page->items = g_ptr_array_new_full (count, g_object_unref);
  for (guint i = 0; i < count; i++)
    g_ptr_array_add (page->items, crm_record_item_new (NULL));
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (index), page);
  evict_pages (self);

  seek = seek_plan (self, index, &cost);
  if (cost == 0)
    {
      if (seek_run (seek, &error))
        seek_apply (self, seek);
      else
        g_message ("Could not read a page of %s: %s",
                   crm_entity_get (self->kind)->collection, error->message);
    }
  else
    {
      page->queued = TRUE;
      g_queue_push_tail (&self->pending, GUINT_TO_POINTER (index));
      start_next_seek (self);
    }

  return page;
}

static GType
crm_record_list_model_get_item_type (GListModel *model)
{
  return CRM_TYPE_RECORD_ITEM;
}

static guint
crm_record_list_model_get_n_items (GListModel *model)
{
  return CRM_RECORD_LIST_MODEL (model)->n_items;
}

static gpointer
crm_record_list_model_get_item (GListModel *model,
                                guint       position)
{
  CrmRecordListModel *self = CRM_RECORD_LIST_MODEL (model);
  Page *page;

  if (position >= self->n_items)
    return NULL;

  page = page_get (self, position / CRM_RECORD_LIST_PAGE_SIZE);
  return g_object_ref (page->items->pdata[position % CRM_RECORD_LIST_PAGE_SIZE]);
}

static void
crm_record_list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = crm_record_list_model_get_item_type;
  iface->get_n_items = crm_record_list_model_get_n_items;
  iface->get_item = crm_record_list_model_get_item;
}

static void
crm_record_list_model_dispose (GObject *object)
{
  CrmRecordListModel *self = CRM_RECORD_LIST_MODEL (object);

  g_cancellable_cancel (self->cancellable);
  g_queue_clear (&self->pending);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_pointer (&self->checkpoints[FORWARD], g_hash_table_unref);
  g_clear_pointer (&self->checkpoints[BACKWARD], g_hash_table_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->replica);

  G_OBJECT_CLASS (crm_record_list_model_parent_class)->dispose (object);
}

static void
crm_record_list_model_finalize (GObject *object)
{
  CrmRecordListModel *self = CRM_RECORD_LIST_MODEL (object);

  g_array_unref (self->filters);
  g_free (self->sort_field);

  G_OBJECT_CLASS (crm_record_list_model_parent_class)->finalize (object);
}

static void
crm_record_list_model_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  CrmRecordListModel *self = CRM_RECORD_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_record_list_model_class_init (CrmRecordListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = crm_record_list_model_dispose;
  object_class->finalize = crm_record_list_model_finalize;
  object_class->get_property = crm_record_list_model_get_property;

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
crm_record_list_model_init (CrmRecordListModel *self)
{
  self->filters = g_array_new (FALSE, TRUE, sizeof (Filter));
  g_array_set_clear_func (self->filters, filter_clear);
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, page_free);
  self->checkpoints[FORWARD] = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->checkpoints[BACKWARD] = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->cancellable = g_cancellable_new ();
  g_queue_init (&self->pending);
}

/* The order a list starts in: the replica's own default for the entity. */
static const char *
default_sort (CrmEntityKind kind,
              gboolean     *descending)
{
  *descending = FALSE;
  switch ((int) kind)
    {
    case CRM_ENTITY_ORGANISATION: return "name";
    case CRM_ENTITY_PERSON: return "last_name";
    case CRM_ENTITY_MANDAT: return "number";
    case CRM_ENTITY_TASK: return "due_at";
    case CRM_ENTITY_INTERACTION:
      *descending = TRUE;
      return "occurred_at";
    default:
      *descending = TRUE;
      return "created_at";
    }
}

CrmRecordListModel *
crm_record_list_model_new (CrmReplica    *replica,
                           CrmEntityKind  kind)
{
  CrmRecordListModel *self;

  g_return_val_if_fail (CRM_IS_REPLICA (replica), NULL);

  self = g_object_new (CRM_TYPE_RECORD_LIST_MODEL, NULL);
  self->replica = g_object_ref (replica);
  self->kind = kind;
  self->sort_field = g_strdup (default_sort (kind, &self->descending));
  return self;
}

CrmEntityKind
crm_record_list_model_get_kind (CrmRecordListModel *self)
{
  return self->kind;
}

CrmReplica *
crm_record_list_model_get_replica (CrmRecordListModel *self)
{
  return self->replica;
}

void
crm_record_list_model_clear_filters (CrmRecordListModel *self)
{
  g_return_if_fail (CRM_IS_RECORD_LIST_MODEL (self));

  g_array_set_size (self->filters, 0);
}

void
crm_record_list_model_add_filter (CrmRecordListModel *self,
                                  const char         *field,
                                  CrmReplicaCmp       cmp,
                                  const char         *value)
{
  Filter filter = { g_strdup (field), cmp, g_strdup (value) };

  g_return_if_fail (CRM_IS_RECORD_LIST_MODEL (self));

  g_array_append_val (self->filters, filter);
}

guint
crm_record_list_model_get_n_filters (CrmRecordListModel *self)
{
  return self->filters->len;
}

void
crm_record_list_model_set_sort (CrmRecordListModel *self,
                                const char         *field,
                                gboolean            descending)
{
  g_return_if_fail (CRM_IS_RECORD_LIST_MODEL (self));

  if (field == NULL)
    field = default_sort (self->kind, &descending);

  g_free (self->sort_field);
  self->sort_field = g_strdup (field);
  self->descending = descending;
}

const char *
crm_record_list_model_get_sort (CrmRecordListModel *self,
                                gboolean           *descending)
{
  if (descending != NULL)
    *descending = self->descending;
  return self->sort_field;
}

gboolean
crm_record_list_model_reload (CrmRecordListModel *self,
                              GError            **error)
{
  g_autoptr(CrmReplicaQuery) query = NULL;
  guint old_n = self->n_items;
  gint64 count;

  g_return_val_if_fail (CRM_IS_RECORD_LIST_MODEL (self), FALSE);

  /* Results of seeks still running belong to the old query: their generation is stale. */
  self->generation++;
  g_queue_clear (&self->pending);
  g_hash_table_remove_all (self->pages);
  g_hash_table_remove_all (self->checkpoints[FORWARD]);
  g_hash_table_remove_all (self->checkpoints[BACKWARD]);

  query = build_query (self->kind, self->filters, self->sort_field, self->descending);
  count = crm_replica_count (self->replica, query, error);
  self->n_items = count < 0 ? 0 : (guint) MIN (count, G_MAXUINT);

  if (old_n != 0 || self->n_items != 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, self->n_items);
  if (old_n != self->n_items)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);

  return count >= 0;
}

void
crm_record_list_model_update_record (CrmRecordListModel *self,
                                     CrmRecord          *record)
{
  const char *id = crm_record_get_string (record, "id");
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (CRM_IS_RECORD_LIST_MODEL (self));

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Page *page = value;

      for (guint i = 0; i < page->items->len; i++)
        if (g_strcmp0 (crm_record_item_get_id (page->items->pdata[i]), id) == 0)
          crm_record_item_set_record (page->items->pdata[i], record);
    }
}

gboolean
crm_record_list_model_is_loaded (CrmRecordListModel *self,
                                 guint               position)
{
  Page *page = g_hash_table_lookup (self->pages,
                                    GUINT_TO_POINTER (position / CRM_RECORD_LIST_PAGE_SIZE));

  return page != NULL && page->loaded;
}

guint
crm_record_list_model_get_n_cached_rows (CrmRecordListModel *self)
{
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((Page *) value)->loaded)
      n += ((Page *) value)->items->len;
  return n;
}

gboolean
crm_record_list_model_is_seeking (CrmRecordListModel *self)
{
  return self->seeking || !g_queue_is_empty (&self->pending);
}

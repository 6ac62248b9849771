/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-record-item"

#include "config.h"

#include "crm-record-item.h"

struct _CrmRecordItem
{
  GObject    parent_instance;

  CrmRecord *record;
};

G_DEFINE_FINAL_TYPE (CrmRecordItem, crm_record_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RECORD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
crm_record_item_finalize (GObject *object)
{
  CrmRecordItem *self = CRM_RECORD_ITEM (object);

  g_clear_pointer (&self->record, crm_record_unref);

  G_OBJECT_CLASS (crm_record_item_parent_class)->finalize (object);
}

static void
crm_record_item_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CrmRecordItem *self = CRM_RECORD_ITEM (object);

  switch (prop_id)
    {
    case PROP_RECORD:
      g_value_set_boxed (value, self->record);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_record_item_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  CrmRecordItem *self = CRM_RECORD_ITEM (object);

  switch (prop_id)
    {
    case PROP_RECORD:
      crm_record_item_set_record (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_record_item_class_init (CrmRecordItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = crm_record_item_finalize;
  object_class->get_property = crm_record_item_get_property;
  object_class->set_property = crm_record_item_set_property;

  properties[PROP_RECORD] =
    g_param_spec_boxed ("record", NULL, NULL,
                        CRM_TYPE_RECORD,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
crm_record_item_init (CrmRecordItem *self)
{
}

CrmRecordItem *
crm_record_item_new (CrmRecord *record)
{
  return g_object_new (CRM_TYPE_RECORD_ITEM, "record", record, NULL);
}

CrmRecord *
crm_record_item_get_record (CrmRecordItem *self)
{
  g_return_val_if_fail (CRM_IS_RECORD_ITEM (self), NULL);

  return self->record;
}

void
crm_record_item_set_record (CrmRecordItem *self,
                            CrmRecord     *record)
{
  g_return_if_fail (CRM_IS_RECORD_ITEM (self));

  if (self->record == record)
    return;

  g_clear_pointer (&self->record, crm_record_unref);
  if (record != NULL)
    self->record = crm_record_ref (record);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORD]);
}

const char *
crm_record_item_get_id (CrmRecordItem *self)
{
  g_return_val_if_fail (CRM_IS_RECORD_ITEM (self), NULL);

  return self->record != NULL ? crm_record_get_string (self->record, "id") : NULL;
}

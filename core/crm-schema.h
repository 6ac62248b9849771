/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-schema.h — the data model of DESIGN.md §3 as data.
 *
 * Every entity is described once, by a table of fields. Validation, the JSON
 * codecs, the field merge, the replica's SQL and the server's SQL all walk
 * these tables, so adding a column is one line here plus a migration.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  CRM_FIELD_TEXT,          /* one line of text */
  CRM_FIELD_LONGTEXT,      /* several lines (notes, bodies) */
  CRM_FIELD_UUID,          /* a UUID in canonical lower-case text form */
  CRM_FIELD_INT,           /* gint64 */
  CRM_FIELD_DECIMAL,       /* double (amounts in EUR) */
  CRM_FIELD_BOOL,
  CRM_FIELD_DATE,          /* YYYY-MM-DD */
  CRM_FIELD_DATETIME,      /* RFC 3339, stored and sent in UTC with a Z */
  CRM_FIELD_ENUM,          /* one of field->enum_values[].wire */
  CRM_FIELD_EMAIL,
  CRM_FIELD_URL,           /* http or https */
  CRM_FIELD_PHONE,
  CRM_FIELD_COUNTRY,       /* ISO 3166-1 alpha-2, upper case */
  CRM_FIELD_LANGUAGE,      /* ISO 639-1, lower case (fr, en, de...) */
  CRM_FIELD_TAGS,          /* array of short strings */
  CRM_FIELD_UUID_LIST,     /* array of UUIDs */
  CRM_FIELD_MANDAT_NUMBER, /* M-YYYY-NNN */
} CrmFieldType;

typedef enum
{
  CRM_FIELD_FLAG_NONE = 0,
  CRM_FIELD_REQUIRED  = 1 << 0, /* must be present and non-empty on create */
  CRM_FIELD_READONLY  = 1 << 1, /* managed by the store (version, timestamps, deleted):
                                 * never taken from a client's fields */
  CRM_FIELD_META      = 1 << 2, /* one of the columns every synced row carries */
  CRM_FIELD_SECRET    = 1 << 3, /* never serialised (none in synced entities) */
} CrmFieldFlags;

typedef struct
{
  const char *wire;  /* value on the wire and in both databases */
  const char *label; /* French label shown to people */
} CrmEnumValue;

typedef struct
{
  const char         *name;        /* column and JSON key */
  const char         *label;       /* French label, used in messages */
  CrmFieldType        type;
  CrmFieldFlags       flags;
  guint               max_length;  /* in characters for text, items for lists; 0 = type default */
  const CrmEnumValue *enum_values; /* CRM_FIELD_ENUM: terminated by { NULL, NULL } */
  double              min;         /* numeric range, used when min < max */
  double              max;
  const char         *default_value; /* wire text of the default applied on create, or NULL */
} CrmFieldInfo;

typedef enum
{
  CRM_ENTITY_ORGANISATION,
  CRM_ENTITY_PERSON,
  CRM_ENTITY_LINK,
  CRM_ENTITY_MANDAT,
  CRM_ENTITY_INTERACTION,
  CRM_ENTITY_TASK,
  CRM_ENTITY_NOTIFICATION,
  CRM_ENTITY_USER,
  CRM_ENTITY_TEAM,
  CRM_N_ENTITIES
} CrmEntityKind;

typedef struct
{
  CrmEntityKind       kind;
  const char         *name;        /* wire name: "organisation" */
  const char         *collection;  /* REST collection and table name: "organisations" */
  const char         *label;       /* French, singular: "Organisation" */
  const char         *label_plural;/* French, plural: "Organisations" */
  gboolean            synced;      /* carries the meta columns and goes through sync */
  const char         *resource;    /* permission resource (DESIGN.md §5): "organisations" */
  const CrmFieldInfo *fields;
  guint               n_fields;
} CrmEntityInfo;

/* Lookup. All returned pointers are static. */
const CrmEntityInfo *crm_entity_get              (CrmEntityKind        kind);
const CrmEntityInfo *crm_entity_lookup           (const char          *name);
const CrmEntityInfo *crm_entity_lookup_collection(const char          *collection);
int                  crm_entity_field_index      (const CrmEntityInfo *entity,
                                                  const char          *field);
const CrmFieldInfo  *crm_entity_field            (const CrmEntityInfo *entity,
                                                  const char          *field);

/* Enums: wire value -> French label (NULL if unknown), membership test. */
const char          *crm_enum_label              (const CrmEnumValue  *values,
                                                  const char          *wire);
gboolean             crm_enum_contains           (const CrmEnumValue  *values,
                                                  const char          *wire);

/* The enum tables, for widgets and filters. */
extern const CrmEnumValue crm_organisation_types[];
extern const CrmEnumValue crm_organisation_categories[];
extern const CrmEnumValue crm_pipeline_stages[];
extern const CrmEnumValue crm_mandat_statuses[];
extern const CrmEnumValue crm_interaction_types[];
extern const CrmEnumValue crm_priorities[];
extern const CrmEnumValue crm_task_statuses[];
extern const CrmEnumValue crm_notification_types[];
extern const CrmEnumValue crm_roles[];
extern const CrmEnumValue crm_link_entities[];

G_END_DECLS

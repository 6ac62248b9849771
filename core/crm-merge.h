/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-merge.h — the field-level three-way merge of DESIGN.md §4, as a pure
 * function: given what the store knows about a row and an incoming change,
 * decide which fields apply and which become conflicts.
 */
#pragma once

#include "crm-record.h"

G_BEGIN_DECLS

/* When and by which client a field of a stored row last changed. */
typedef struct
{
  gint64      version;   /* change sequence of the field's last change */
  const char *client_id; /* client whose op made it, or NULL (REST, server) */
} CrmFieldStamp;

typedef enum
{
  CRM_MERGE_APPLIED,  /* every field applied; nothing else had moved on */
  CRM_MERGE_MERGED,   /* every field applied; other fields had moved on since base */
  CRM_MERGE_CONFLICT, /* at least one field not applied (or the row is deleted) */
} CrmMergeStatus;

typedef enum
{
  CRM_CONFLICT_FIELD,   /* someone else changed this field after base_version */
  CRM_CONFLICT_DELETED, /* the row was deleted: the whole edit is a conflict */
} CrmConflictKind;

typedef struct
{
  CrmConflictKind kind;
  const char     *field;     /* static field name; NULL for CRM_CONFLICT_DELETED */
  gint64          theirs_version;
  char           *theirs_client_id;
} CrmMergeConflict;

typedef struct
{
  CrmMergeStatus status;
  CrmRecord     *applied;   /* the incoming fields that apply (possibly none) */
  GPtrArray     *conflicts; /* of CrmMergeConflict*; mine = incoming, theirs = current */
} CrmMergeResult;

/*
 * @current: the stored row (all fields present).
 * @stamps: field name -> CrmFieldStamp* for the stored row; a missing entry
 *   means the field has not changed since the row was created at
 *   @row_created_version.
 * @incoming: the fields the op sets (present fields only).
 * A field applies when its last change is <= @base_version, or was made by
 * @client_id itself, or when the incoming value equals the stored one.
 */
CrmMergeResult *crm_merge_fields (const CrmRecord *current,
                                  GHashTable      *stamps,
                                  gint64           row_created_version,
                                  gboolean         row_deleted,
                                  gint64           base_version,
                                  const char      *client_id,
                                  const CrmRecord *incoming);
void            crm_merge_result_free (CrmMergeResult *result);
const char     *crm_merge_status_to_string (CrmMergeStatus status);
/* Wire name of a conflict kind: "field" or "deleted". */
const char     *crm_conflict_kind_to_string (CrmConflictKind kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmMergeResult, crm_merge_result_free)

G_END_DECLS

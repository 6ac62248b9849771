/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "crm-permissions.h"
#include "crm-schema.h"
#include "crm-sync-status.h"

G_BEGIN_DECLS

/*
 * What the window lets the user try: per resource, the actions the signed-in user's
 * role allows (CrmSyncStatus, from the server's /me). No status, or no role, is the
 * local one-user CRM: everything. The server stays the judge; this only keeps the
 * window from offering what it would refuse.
 */
typedef struct
{
  guint8 allowed[CRM_N_RESOURCES]; /* bit (1 << CrmAction) */
} CrmAccess;

void        crm_access_init_all      (CrmAccess       *access);
/* @read_only takes away every write (create, update, delete, import, manage). */
void        crm_access_init_from     (CrmAccess       *access,
                                      CrmSyncStatus   *status,
                                      gboolean         read_only);
gboolean    crm_access_equal         (const CrmAccess *a,
                                      const CrmAccess *b);
gboolean    crm_access_allows        (const CrmAccess *access,
                                      CrmResource      resource,
                                      CrmAction        action);
/* The resource of an entity (a person–organisation link is about people); entities
 * without one are refused every action. */
gboolean    crm_access_allows_kind   (const CrmAccess *access,
                                      CrmEntityKind    kind,
                                      CrmAction        action);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-pg-conflicts.h — conflict records after they are shown (issue 5): the author's
 * choice ("garder la mienne" / "garder la leur") closes the server's record, so no
 * pull, epoch re-sync or other device brings it again.
 */
#pragma once

#include <libpq-fe.h>

#include "crm-pg-store.h"

G_BEGIN_DECLS

/*
 * Marks the conflict @conflict_id resolved. Only its author (the user whose value did
 * not apply) or an admin may: others get CRM_STORE_ERROR_FORBIDDEN, an unknown id
 * CRM_STORE_ERROR_NOT_FOUND (also a malformed one). Resolving it again changes nothing
 * and succeeds. Audited.
 */
gboolean    crm_store_resolve_conflict (PGconn         *conn,
                                        const CrmActor *actor,
                                        const char     *conflict_id,
                                        GError        **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-store-error.h — how the PostgreSQL store says no.
 *
 * Reads and admin calls fail with a GError in CRM_STORE_ERROR; each code maps to one
 * HTTP status (crm_store_error_http_status), and crm_store_problem_new_from_error turns it
 * into the problem+json of DESIGN.md §6. A mutation that is refused does not fail:
 * its CrmMutationResult carries a CrmStoreProblem (status "rejected"), because a push
 * reply reports every op, the refused ones included.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define CRM_STORE_ERROR (crm_store_error_quark ())

typedef enum
{
  CRM_STORE_ERROR_DATABASE,        /* PostgreSQL failed or is unreachable: 503 */
  CRM_STORE_ERROR_INVALID,         /* a bad argument, filter, sort or cursor: 400 */
  CRM_STORE_ERROR_FORBIDDEN,       /* the role may not do this: 403 */
  CRM_STORE_ERROR_NOT_FOUND,       /* no such row, or one outside the caller's view: 404 */
  CRM_STORE_ERROR_CONFLICT,        /* a unique value already taken: 409 */
  CRM_STORE_ERROR_VALIDATION,      /* a value core/ refuses: 422 */
  CRM_STORE_ERROR_SCHEMA_TOO_NEW,  /* the database was migrated by a newer server */
  CRM_STORE_ERROR_MIGRATION,       /* a migration failed; nothing of it was kept */
} CrmStoreError;

GQuark      crm_store_error_quark        (void);
guint       crm_store_error_http_status  (const GError *error);

/* Stable problem types (RFC 9457 "type"); clients may switch on them. */
#define CRM_STORE_PROBLEM_TYPE_BASE        "https://crm.alforis.fr/problems/"
#define CRM_STORE_PROBLEM_BAD_REQUEST      CRM_STORE_PROBLEM_TYPE_BASE "bad-request"
#define CRM_STORE_PROBLEM_FORBIDDEN        CRM_STORE_PROBLEM_TYPE_BASE "forbidden"
#define CRM_STORE_PROBLEM_NOT_FOUND        CRM_STORE_PROBLEM_TYPE_BASE "not-found"
#define CRM_STORE_PROBLEM_DUPLICATE        CRM_STORE_PROBLEM_TYPE_BASE "duplicate"
#define CRM_STORE_PROBLEM_CONFLICT         CRM_STORE_PROBLEM_TYPE_BASE "edit-conflict"
#define CRM_STORE_PROBLEM_VALIDATION       CRM_STORE_PROBLEM_TYPE_BASE "validation"
#define CRM_STORE_PROBLEM_UNAVAILABLE      CRM_STORE_PROBLEM_TYPE_BASE "unavailable"

typedef struct
{
  char *field;   /* NULL for a rule across fields */
  char *message; /* French sentence */
} CrmStoreProblemError;

typedef struct
{
  guint      status;  /* HTTP status, 4xx */
  char      *type;    /* one of CRM_STORE_PROBLEM_* */
  char      *title;   /* short French title */
  char      *detail;  /* French sentence saying what to do */
  GPtrArray *errors;  /* of CrmStoreProblemError*, per field (422, 409 duplicates) */
} CrmStoreProblem;

CrmStoreProblem *crm_store_problem_new            (guint                  status,
                                                  const char            *type,
                                                  const char            *title,
                                                  const char            *detail);
void             crm_store_problem_add_error      (CrmStoreProblem       *problem,
                                                  const char            *field,
                                                  const char            *message);
/* From a CRM_STORE_ERROR (any other domain becomes a 503 "unavailable"). */
CrmStoreProblem *crm_store_problem_new_from_error (const GError          *error);
CrmStoreProblem *crm_store_problem_copy           (const CrmStoreProblem *problem);
void             crm_store_problem_free           (CrmStoreProblem       *problem);
/* {"type", "title", "status", "detail", "errors": [{"field", "message"}]} */
JsonNode        *crm_store_problem_to_json        (const CrmStoreProblem *problem);
/* NULL if @node is not an object with at least status, type and title. */
CrmStoreProblem *crm_store_problem_new_from_json  (JsonNode              *node);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmStoreProblem, crm_store_problem_free)

G_END_DECLS

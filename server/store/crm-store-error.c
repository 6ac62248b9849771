/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-store"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-store-error.h"

G_DEFINE_QUARK (crm-store-error-quark, crm_store_error)

guint
crm_store_error_http_status (const GError *error)
{
  if (error == NULL || error->domain != CRM_STORE_ERROR)
    return 503;

  switch ((CrmStoreError) error->code)
    {
    case CRM_STORE_ERROR_INVALID:
      return 400;
    case CRM_STORE_ERROR_FORBIDDEN:
      return 403;
    case CRM_STORE_ERROR_NOT_FOUND:
      return 404;
    case CRM_STORE_ERROR_CONFLICT:
      return 409;
    case CRM_STORE_ERROR_VALIDATION:
      return 422;
    case CRM_STORE_ERROR_DATABASE:
    case CRM_STORE_ERROR_SCHEMA_TOO_NEW:
    case CRM_STORE_ERROR_MIGRATION:
    default:
      return 503;
    }
}

CrmStoreProblem *
crm_store_problem_new (guint       status,
                 const char *type,
                 const char *title,
                 const char *detail)
{
  CrmStoreProblem *problem = g_new0 (CrmStoreProblem, 1);

  problem->status = status;
  problem->type = g_strdup (type);
  problem->title = g_strdup (title);
  problem->detail = g_strdup (detail);
  problem->errors = g_ptr_array_new_with_free_func (NULL);
  return problem;
}

void
crm_store_problem_add_error (CrmStoreProblem *problem,
                       const char *field,
                       const char *message)
{
  CrmStoreProblemError *entry = g_new0 (CrmStoreProblemError, 1);

  entry->field = g_strdup (field);
  entry->message = g_strdup (message);
  g_ptr_array_add (problem->errors, entry);
}

void
crm_store_problem_free (CrmStoreProblem *problem)
{
  if (problem == NULL)
    return;

  for (guint i = 0; i < problem->errors->len; i++)
    {
      CrmStoreProblemError *entry = g_ptr_array_index (problem->errors, i);

      g_free (entry->field);
      g_free (entry->message);
      g_free (entry);
    }
  g_ptr_array_unref (problem->errors);
  g_free (problem->type);
  g_free (problem->title);
  g_free (problem->detail);
  g_free (problem);
}

CrmStoreProblem *
crm_store_problem_copy (const CrmStoreProblem *problem)
{
  CrmStoreProblem *copy;

  if (problem == NULL)
    return NULL;

  copy = crm_store_problem_new (problem->status, problem->type, problem->title, problem->detail);
  for (guint i = 0; i < problem->errors->len; i++)
    {
      const CrmStoreProblemError *entry = g_ptr_array_index (problem->errors, i);

      crm_store_problem_add_error (copy, entry->field, entry->message);
    }
  return copy;
}

CrmStoreProblem *
crm_store_problem_new_from_error (const GError *error)
{
  guint status = crm_store_error_http_status (error);
  const char *detail = error != NULL ? error->message : NULL;

  switch (status)
    {
    case 400:
      return crm_store_problem_new (status, CRM_STORE_PROBLEM_BAD_REQUEST, _("Requête invalide"), detail);
    case 403:
      return crm_store_problem_new (status, CRM_STORE_PROBLEM_FORBIDDEN, _("Action non autorisée"), detail);
    case 404:
      return crm_store_problem_new (status, CRM_STORE_PROBLEM_NOT_FOUND, _("Élément introuvable"), detail);
    case 409:
      return crm_store_problem_new (status, CRM_STORE_PROBLEM_DUPLICATE, _("Valeur déjà utilisée"), detail);
    case 422:
      return crm_store_problem_new (status, CRM_STORE_PROBLEM_VALIDATION, _("Données invalides"), detail);
    default:
      /* Database details stay in the log; the client learns only that it may retry. */
      return crm_store_problem_new (503, CRM_STORE_PROBLEM_UNAVAILABLE, _("Service momentanément indisponible"),
                              _("La base de données ne répond pas ; réessayez dans un instant."));
    }
}

JsonNode *
crm_store_problem_to_json (const CrmStoreProblem *problem)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, problem->type);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, problem->title);
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, problem->status);
  if (problem->detail != NULL)
    {
      json_builder_set_member_name (builder, "detail");
      json_builder_add_string_value (builder, problem->detail);
    }
  if (problem->errors->len > 0)
    {
      json_builder_set_member_name (builder, "errors");
      json_builder_begin_array (builder);
      for (guint i = 0; i < problem->errors->len; i++)
        {
          const CrmStoreProblemError *entry = g_ptr_array_index (problem->errors, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "field");
          if (entry->field != NULL)
            json_builder_add_string_value (builder, entry->field);
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, entry->message);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

CrmStoreProblem *
crm_store_problem_new_from_json (JsonNode *node)
{
  JsonObject *object;
  JsonArray *errors;
  CrmStoreProblem *problem;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  object = json_node_get_object (node);
  if (!json_object_has_member (object, "status") || !json_object_has_member (object, "type") ||
      !json_object_has_member (object, "title"))
    return NULL;

  problem = crm_store_problem_new ((guint) json_object_get_int_member (object, "status"),
                             json_object_get_string_member (object, "type"),
                             json_object_get_string_member (object, "title"),
                             json_object_get_string_member_with_default (object, "detail", NULL));
  errors = json_object_has_member (object, "errors")
             ? json_object_get_array_member (object, "errors") : NULL;
  for (guint i = 0; errors != NULL && i < json_array_get_length (errors); i++)
    {
      JsonObject *entry = json_array_get_object_element (errors, i);

      if (entry == NULL)
        continue;
      crm_store_problem_add_error (problem,
                             json_object_get_string_member_with_default (entry, "field", NULL),
                             json_object_get_string_member_with_default (entry, "message", ""));
    }
  return problem;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-sync"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-json.h"
#include "crm-sync-engine.h"
#include "crm-sync-page.h"

/*
 * A pull page read the way pages were read before crm-sync-page.c: json-glib's tree,
 * then crm_record_from_json () for each row. The tests hold the one-pass reader to it.
 */

static gboolean
tree_change (JsonObject  *object,
             CrmSyncPage *page,
             GError     **error)
{
  const CrmEntityInfo *entity;
  CrmReplicaChange change = { 0 };
  const char *id;
  JsonNode *node;

  entity = crm_entity_lookup (json_object_get_string_member_with_default (object, "entity", ""));
  id = json_object_get_string_member_with_default (object, "id", NULL);
  if (entity == NULL || !entity->synced || id == NULL)
    {
      g_set_error_literal (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_PROTOCOL,
                           _("Le serveur a envoyé un changement illisible."));
      return FALSE;
    }
  change.kind = entity->kind;
  change.id = g_string_chunk_insert (page->strings, id);
  change.version = json_object_get_int_member_with_default (object, "version", 0);
  change.deleted = json_object_get_boolean_member_with_default (object, "deleted", FALSE);
  node = json_object_get_member (object, "data");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      change.data = crm_record_from_json (entity, json_node_get_object (node), CRM_JSON_NONE,
                                          error);
      if (change.data == NULL)
        return FALSE;
      g_ptr_array_add (page->records, (CrmRecord *) change.data);
    }
  g_array_append_val (page->changes, change);
  return TRUE;
}

CrmSyncPage *
crm_sync_page_parse_tree (const char  *data,
                          gsize        length,
                          GError     **error)
{
  g_autoptr (CrmSyncPage) page = crm_sync_page_new ();
  g_autoptr (JsonNode) root = crm_json_parse_bounded (data, (gssize) length, NULL);
  JsonObject *object;
  JsonArray *array;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_PROTOCOL,
                           _("Le serveur a envoyé une page illisible."));
      return NULL;
    }
  object = json_node_get_object (root);
  array = json_object_has_member (object, "changes")
            ? json_object_get_array_member (object, "changes") : NULL;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *element = json_array_get_object_element (array, i);

      if (element == NULL || !tree_change (element, page, error))
        {
          if (error != NULL && *error == NULL)
            g_set_error_literal (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_PROTOCOL,
                                 _("Le serveur a envoyé un changement illisible."));
          return NULL;
        }
    }
  array = json_object_has_member (object, "revoked")
            ? json_object_get_array_member (object, "revoked") : NULL;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *element = json_array_get_object_element (array, i);
      const CrmEntityInfo *entity = element != NULL
        ? crm_entity_lookup (json_object_get_string_member_with_default (element, "entity", ""))
        : NULL;
      const char *id = element != NULL
        ? json_object_get_string_member_with_default (element, "id", NULL) : NULL;
      CrmReplicaRevoke revoke = { 0 };

      if (entity == NULL || id == NULL)
        continue;
      revoke.kind = entity->kind;
      revoke.id = g_string_chunk_insert (page->strings, id);
      g_array_append_val (page->revokes, revoke);
    }
  array = json_object_has_member (object, "conflicts")
            ? json_object_get_array_member (object, "conflicts") : NULL;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *conflict = json_array_get_object_element (array, i);

      if (conflict != NULL)
        g_ptr_array_add (page->conflicts, json_object_ref (conflict));
    }
  page->cursor = json_object_get_int_member_with_default (object, "cursor", 0);
  page->head = json_object_get_int_member_with_default (object, "head", page->cursor);
  page->has_more = json_object_get_boolean_member_with_default (object, "has_more", FALSE);
  page->epoch = json_object_get_int_member_with_default (object, "epoch", 0);
  return g_steal_pointer (&page);
}

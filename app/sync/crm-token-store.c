/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-sync"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "crm-token-store.h"

G_DEFINE_INTERFACE (CrmTokenStore, crm_token_store, G_TYPE_OBJECT)

static void
crm_token_store_default_init (CrmTokenStoreInterface *iface)
{
}

void
crm_token_store_load_async (CrmTokenStore       *self,
                            const char          *server,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (CRM_IS_TOKEN_STORE (self));
  CRM_TOKEN_STORE_GET_IFACE (self)->load_async (self, server, cancellable, callback, user_data);
}

char *
crm_token_store_load_finish (CrmTokenStore *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (CRM_IS_TOKEN_STORE (self), NULL);
  return CRM_TOKEN_STORE_GET_IFACE (self)->load_finish (self, result, error);
}

void
crm_token_store_save_async (CrmTokenStore       *self,
                            const char          *server,
                            const char          *token,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (CRM_IS_TOKEN_STORE (self));
  CRM_TOKEN_STORE_GET_IFACE (self)->save_async (self, server, token, cancellable, callback,
                                                user_data);
}

gboolean
crm_token_store_save_finish (CrmTokenStore *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (CRM_IS_TOKEN_STORE (self), FALSE);
  return CRM_TOKEN_STORE_GET_IFACE (self)->save_finish (self, result, error);
}

/* ---- CrmFileTokenStore ------------------------------------------------------------ */

/* A key file, one group per server, mode 0600. Small: read and written whole, on the
 * caller's thread (tests only; the app uses the keyring). */
struct _CrmFileTokenStore
{
  GObject  parent_instance;
  char    *path;
};

static void crm_file_token_store_iface_init (CrmTokenStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CrmFileTokenStore, crm_file_token_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CRM_TYPE_TOKEN_STORE,
                                                      crm_file_token_store_iface_init))

static GKeyFile *
file_store_read (CrmFileTokenStore *self,
                 GError           **error)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autoptr (GError) local_error = NULL;

  if (!g_key_file_load_from_file (file, self->path, G_KEY_FILE_NONE, &local_error)
      && !g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&file);
}

static void
file_store_load_async (CrmTokenStore       *store,
                       const char          *server,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  CrmFileTokenStore *self = CRM_FILE_TOKEN_STORE (store);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (GKeyFile) file = NULL;
  GError *error = NULL;

  g_task_set_source_tag (task, file_store_load_async);
  file = file_store_read (self, &error);
  if (file == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_key_file_get_string (file, server, "refresh-token", NULL),
                           g_free);
}

static char *
file_store_load_finish (CrmTokenStore *store,
                        GAsyncResult  *result,
                        GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
file_store_save_async (CrmTokenStore       *store,
                       const char          *server,
                       const char          *token,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  CrmFileTokenStore *self = CRM_FILE_TOKEN_STORE (store);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (GKeyFile) file = NULL;
  g_autofree char *data = NULL;
  GError *error = NULL;
  gsize length = 0;

  g_task_set_source_tag (task, file_store_save_async);
  file = file_store_read (self, &error);
  if (file == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (token != NULL)
    g_key_file_set_string (file, server, "refresh-token", token);
  else
    g_key_file_remove_group (file, server, NULL);
  data = g_key_file_to_data (file, &length, NULL);
  if (!g_file_set_contents_full (self->path, data, (gssize) length,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
file_store_save_finish (CrmTokenStore *store,
                        GAsyncResult  *result,
                        GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
crm_file_token_store_iface_init (CrmTokenStoreInterface *iface)
{
  iface->load_async = file_store_load_async;
  iface->load_finish = file_store_load_finish;
  iface->save_async = file_store_save_async;
  iface->save_finish = file_store_save_finish;
}

static void
crm_file_token_store_finalize (GObject *object)
{
  CrmFileTokenStore *self = CRM_FILE_TOKEN_STORE (object);

  g_free (self->path);
  G_OBJECT_CLASS (crm_file_token_store_parent_class)->finalize (object);
}

static void
crm_file_token_store_class_init (CrmFileTokenStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = crm_file_token_store_finalize;
}

static void
crm_file_token_store_init (CrmFileTokenStore *self)
{
}

CrmTokenStore *
crm_file_token_store_new (const char *path)
{
  CrmFileTokenStore *self = g_object_new (CRM_TYPE_FILE_TOKEN_STORE, NULL);

  self->path = g_strdup (path);
  return CRM_TOKEN_STORE (self);
}

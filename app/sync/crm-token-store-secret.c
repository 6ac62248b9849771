/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-sync"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "crm-token-store.h"

/* The refresh token in the desktop keyring, one item per server address. libsecret's
 * own async calls: the Secret Service may prompt to unlock, and the UI must not wait. */

struct _CrmSecretTokenStore
{
  GObject parent_instance;
};

static const SecretSchema *
token_schema (void)
{
  static const SecretSchema schema = {
    "fr.alforis.Crm.RefreshToken", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };

  return &schema;
}

static void crm_secret_token_store_iface_init (CrmTokenStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CrmSecretTokenStore, crm_secret_token_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CRM_TYPE_TOKEN_STORE,
                                                      crm_secret_token_store_iface_init))

static void
on_looked_up (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;
  char *token = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, token, (GDestroyNotify) secret_password_free);
}

static void
secret_store_load_async (CrmTokenStore       *store,
                         const char          *server,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task = g_task_new (store, cancellable, callback, user_data);

  g_task_set_source_tag (task, secret_store_load_async);
  secret_password_lookup (token_schema (), cancellable, on_looked_up, task,
                          "server", server, NULL);
}

static char *
secret_store_load_finish (CrmTokenStore *store,
                          GAsyncResult  *result,
                          GError       **error)
{
  char *secret = g_task_propagate_pointer (G_TASK (result), error);
  char *copy = g_strdup (secret);

  /* The keyring's copy is wiped; ours lives in the engine's memory only. */
  secret_password_free (secret);
  return copy;
}

static void
on_stored (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  if (secret_password_store_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_cleared (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
secret_store_save_async (CrmTokenStore       *store,
                         const char          *server,
                         const char          *token,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task = g_task_new (store, cancellable, callback, user_data);
  g_autofree char *label = g_strdup_printf (_("Alforis CRM — session sur %s"), server);

  g_task_set_source_tag (task, secret_store_save_async);
  if (token == NULL)
    secret_password_clear (token_schema (), cancellable, on_cleared, task, "server", server,
                           NULL);
  else
    secret_password_store (token_schema (), SECRET_COLLECTION_DEFAULT, label, token,
                           cancellable, on_stored, task, "server", server, NULL);
}

static gboolean
secret_store_save_finish (CrmTokenStore *store,
                          GAsyncResult  *result,
                          GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
crm_secret_token_store_iface_init (CrmTokenStoreInterface *iface)
{
  iface->load_async = secret_store_load_async;
  iface->load_finish = secret_store_load_finish;
  iface->save_async = secret_store_save_async;
  iface->save_finish = secret_store_save_finish;
}

static void
crm_secret_token_store_class_init (CrmSecretTokenStoreClass *klass)
{
}

static void
crm_secret_token_store_init (CrmSecretTokenStore *self)
{
}

CrmTokenStore *
crm_secret_token_store_new (void)
{
  return g_object_new (CRM_TYPE_SECRET_TOKEN_STORE, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-token-store.h — where the sync engine keeps the refresh token between sessions
 * (DESIGN.md §5: "the app keeps the refresh token in the desktop keyring, never in a
 * plain file"). The app uses the keyring (CrmSecretTokenStore, libsecret); the tests
 * use a file of their own (CrmFileTokenStore). Tokens are keyed by server address.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CRM_TYPE_TOKEN_STORE (crm_token_store_get_type ())
G_DECLARE_INTERFACE (CrmTokenStore, crm_token_store, CRM, TOKEN_STORE, GObject)

struct _CrmTokenStoreInterface
{
  GTypeInterface parent_iface;

  void      (*load_async)  (CrmTokenStore       *self,
                            const char          *server,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data);
  char     *(*load_finish) (CrmTokenStore       *self,
                            GAsyncResult        *result,
                            GError             **error);
  /* @token NULL forgets the server's token (logout, or a token the server refused). */
  void      (*save_async)  (CrmTokenStore       *self,
                            const char          *server,
                            const char          *token,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data);
  gboolean  (*save_finish) (CrmTokenStore       *self,
                            GAsyncResult        *result,
                            GError             **error);
};

/* The stored token, or NULL without an error when there is none. */
void      crm_token_store_load_async  (CrmTokenStore       *self,
                                       const char          *server,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
char     *crm_token_store_load_finish (CrmTokenStore       *self,
                                       GAsyncResult        *result,
                                       GError             **error);
void      crm_token_store_save_async  (CrmTokenStore       *self,
                                       const char          *server,
                                       const char          *token,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean  crm_token_store_save_finish (CrmTokenStore       *self,
                                       GAsyncResult        *result,
                                       GError             **error);

/* ---- A file readable by its owner only: for tests and headless tools ---------------- */

#define CRM_TYPE_FILE_TOKEN_STORE (crm_file_token_store_get_type ())
G_DECLARE_FINAL_TYPE (CrmFileTokenStore, crm_file_token_store, CRM, FILE_TOKEN_STORE, GObject)

CrmTokenStore *crm_file_token_store_new (const char *path);

/* ---- The desktop keyring (Secret Service, through libsecret) ------------------------ */

#define CRM_TYPE_SECRET_TOKEN_STORE (crm_secret_token_store_get_type ())
G_DECLARE_FINAL_TYPE (CrmSecretTokenStore, crm_secret_token_store, CRM, SECRET_TOKEN_STORE,
                      GObject)

CrmTokenStore *crm_secret_token_store_new (void);

G_END_DECLS

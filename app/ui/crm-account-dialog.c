/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-account-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "crm-account-dialog.h"

struct _CrmAccountDialog
{
  AdwWindow            parent_instance;

  CrmReplica          *replica;
  CrmTokenStore       *tokens;
  GTlsDatabase        *tls_database;
  GCancellable        *cancellable;
  CrmSyncEngine       *engine;     /* while signing in */
  char                *error;

  /* Template children */
  GtkStack            *stack;
  GtkWidget           *local_button;
  GtkWidget           *server_button;
  AdwEntryRow         *url_row;
  AdwEntryRow         *email_row;
  AdwEntryRow         *password_row;
  GtkLabel            *error_label;
  GtkSpinner          *spinner;
  GtkWidget           *connect_button;
};

G_DEFINE_FINAL_TYPE (CrmAccountDialog, crm_account_dialog, ADW_TYPE_WINDOW)

enum { SIGNAL_CHOSE_LOCAL, SIGNAL_SIGNED_IN, N_SIGNALS };
static guint signals[N_SIGNALS];

char *
crm_account_describe_certificate (GTlsCertificateFlags flags)
{
  g_autoptr(GString) text =
    g_string_new (_("The server’s identity could not be verified, so nothing was sent to it."));

  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    g_string_append_printf (text, " %s", _("Its certificate was not issued by an authority this computer trusts (a self-signed or in-house certificate)."));
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    g_string_append_printf (text, " %s", _("Its certificate is for another address: check the address you typed."));
  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    g_string_append_printf (text, " %s", _("Its certificate has expired."));
  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    g_string_append_printf (text, " %s", _("Its certificate is not valid yet: check this computer’s date."));
  if (flags & G_TLS_CERTIFICATE_REVOKED)
    g_string_append_printf (text, " %s", _("Its certificate has been revoked."));
  g_string_append_printf (text, " %s", _("Ask your administrator; do not go on if you are unsure."));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
set_busy (CrmAccountDialog *self,
          gboolean          busy)
{
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (self->connect_button, !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->url_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->email_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_row), !busy);
}

static void
show_error (CrmAccountDialog *self,
            const char       *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  set_busy (self, FALSE);
}

static void
signed_in (CrmAccountDialog *self)
{
  g_autoptr(CrmSyncEngine) engine = g_steal_pointer (&self->engine);

  set_busy (self, FALSE);
  g_signal_emit (self, signals[SIGNAL_SIGNED_IN], 0, engine);
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
on_accept_certificate (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  *(GTlsCertificateFlags *) user_data = errors;
  return FALSE;
}

typedef struct
{
  CrmAccountDialog     *self;
  char                 *message;  /* the engine's words, if the certificate was fine */
  GTlsCertificateFlags  flags;
} Probe;

static void
probe_free (Probe *probe)
{
  g_object_unref (probe->self);
  g_free (probe->message);
  g_free (probe);
}

static void
on_probe_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Probe *probe = user_data;
  g_autoptr(GInputStream) stream = soup_session_send_finish (SOUP_SESSION (source), result, NULL);

  if (!g_cancellable_is_cancelled (probe->self->cancellable))
    {
      g_autofree char *text = probe->flags != 0 ? crm_account_describe_certificate (probe->flags) : NULL;

      show_error (probe->self, text != NULL ? text : probe->message);
    }
  probe_free (probe);
}

/* The engine says only "unreachable": a handshake of our own tells whether the
 * certificate is what stopped it, and why. */
static void
probe_certificate (CrmAccountDialog *self,
                   const char       *url,
                   const char       *message)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 15, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("HEAD", url);
  Probe *probe;

  if (msg == NULL || !g_str_has_prefix (url, "https://"))
    {
      show_error (self, message);
      return;
    }
  if (self->tls_database != NULL)
    soup_session_set_tls_database (session, self->tls_database);
  probe = g_new0 (Probe, 1);
  probe->self = g_object_ref (self);
  probe->message = g_strdup (message);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (on_accept_certificate), &probe->flags);
  soup_session_send_async (session, msg, G_PRIORITY_DEFAULT, self->cancellable, on_probe_done, probe);
}

static void
on_login_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CrmAccountDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (crm_sync_engine_login_finish (CRM_SYNC_ENGINE (source), result, &error))
    {
      signed_in (self);
      return;
    }
  if (g_error_matches (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_CANCELLED))
    return;
  if (g_error_matches (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_NETWORK))
    probe_certificate (self, crm_sync_engine_get_server_url (CRM_SYNC_ENGINE (source)), error->message);
  else
    show_error (self, error->message);
  if (self->engine == CRM_SYNC_ENGINE (source))
    g_clear_object (&self->engine);
}

void
crm_account_dialog_sign_in (CrmAccountDialog *self,
                            const char       *url,
                            const char       *email,
                            const char       *password)
{
  g_autofree char *address = NULL;
  g_autoptr(GUri) uri = NULL;

  g_return_if_fail (CRM_IS_ACCOUNT_DIALOG (self));

  address = g_strstrip (g_strdup (url != NULL ? url : ""));
  if (*address != '\0' && strstr (address, "://") == NULL)
    {
      char *with_scheme = g_strconcat ("https://", address, NULL);

      g_free (address);
      address = with_scheme;
    }
  while (g_str_has_suffix (address, "/"))
    address[strlen (address) - 1] = '\0';
  uri = g_uri_parse (address, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      show_error (self, _("Type the server’s address, for example crm.cabinet.fr."));
      return;
    }
  if (email == NULL || strchr (email, '@') == NULL || password == NULL || *password == '\0')
    {
      show_error (self, _("Type your e-mail address and your password."));
      return;
    }

  show_error (self, NULL);
  set_busy (self, TRUE);
  g_clear_object (&self->engine);
  self->engine = crm_sync_engine_new (self->replica, address, self->tokens);
  if (self->tls_database != NULL)
    crm_sync_engine_set_tls_database (self->engine, self->tls_database);
  crm_sync_engine_login_async (self->engine, email, password, self->cancellable, on_login_done,
                               g_object_ref (self));
}

static void
on_connect_clicked (CrmAccountDialog *self)
{
  crm_account_dialog_sign_in (self, gtk_editable_get_text (GTK_EDITABLE (self->url_row)),
                              gtk_editable_get_text (GTK_EDITABLE (self->email_row)),
                              gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
}

static void
on_local_clicked (CrmAccountDialog *self)
{
  g_signal_emit (self, signals[SIGNAL_CHOSE_LOCAL], 0);
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_server_clicked (CrmAccountDialog *self)
{
  gtk_stack_set_visible_child_name (self->stack, "login");
  gtk_widget_grab_focus (GTK_WIDGET (self->url_row));
}

void
crm_account_dialog_set_tls_database (CrmAccountDialog *self,
                                     GTlsDatabase     *database)
{
  g_return_if_fail (CRM_IS_ACCOUNT_DIALOG (self));
  g_set_object (&self->tls_database, database);
}

void
crm_account_dialog_set_server_url (CrmAccountDialog *self,
                                   const char       *url)
{
  g_return_if_fail (CRM_IS_ACCOUNT_DIALOG (self));
  gtk_editable_set_text (GTK_EDITABLE (self->url_row), url != NULL ? url : "");
}

const char *
crm_account_dialog_get_error (CrmAccountDialog *self)
{
  g_return_val_if_fail (CRM_IS_ACCOUNT_DIALOG (self), NULL);
  return self->error;
}

gboolean
crm_account_dialog_is_busy (CrmAccountDialog *self)
{
  g_return_val_if_fail (CRM_IS_ACCOUNT_DIALOG (self), FALSE);
  return gtk_spinner_get_spinning (self->spinner);
}

GtkWidget *
crm_account_dialog_new (GtkWindow     *parent,
                        CrmReplica    *replica,
                        CrmTokenStore *tokens,
                        gboolean       first_run)
{
  CrmAccountDialog *self;

  g_return_val_if_fail (CRM_IS_REPLICA (replica), NULL);
  g_return_val_if_fail (CRM_IS_TOKEN_STORE (tokens), NULL);

  self = g_object_new (CRM_TYPE_ACCOUNT_DIALOG, "transient-for", parent, NULL);
  self->replica = g_object_ref (replica);
  self->tokens = g_object_ref (tokens);
  gtk_stack_set_visible_child_name (self->stack, first_run ? "choice" : "login");
  return GTK_WIDGET (self);
}

static void
crm_account_dialog_dispose (GObject *object)
{
  CrmAccountDialog *self = CRM_ACCOUNT_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->engine);
  g_clear_object (&self->replica);
  g_clear_object (&self->tokens);
  g_clear_object (&self->tls_database);
  g_clear_pointer (&self->error, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_ACCOUNT_DIALOG);

  G_OBJECT_CLASS (crm_account_dialog_parent_class)->dispose (object);
}

static void
crm_account_dialog_class_init (CrmAccountDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_account_dialog_dispose;

  signals[SIGNAL_CHOSE_LOCAL] = g_signal_new ("chose-local", G_TYPE_FROM_CLASS (klass),
                                              G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                              G_TYPE_NONE, 0);
  signals[SIGNAL_SIGNED_IN] = g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 1, CRM_TYPE_SYNC_ENGINE);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/alforis/Crm/ui/crm-account-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmAccountDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, CrmAccountDialog, local_button);
  gtk_widget_class_bind_template_child (widget_class, CrmAccountDialog, server_button);
  gtk_widget_class_bind_template_child (widget_class, CrmAccountDialog, url_row);
  gtk_widget_class_bind_template_child (widget_class, CrmAccountDialog, email_row);
  gtk_widget_class_bind_template_child (widget_class, CrmAccountDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, CrmAccountDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, CrmAccountDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, CrmAccountDialog, connect_button);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
crm_account_dialog_init (CrmAccountDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  g_signal_connect_swapped (self->local_button, "clicked", G_CALLBACK (on_local_clicked), self);
  g_signal_connect_swapped (self->server_button, "clicked", G_CALLBACK (on_server_clicked), self);
  g_signal_connect_swapped (self->connect_button, "clicked", G_CALLBACK (on_connect_clicked), self);
  g_signal_connect_swapped (self->password_row, "entry-activated", G_CALLBACK (on_connect_clicked), self);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-config"

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gio.h>
#include <libpq-fe.h>
#include <string.h>

#include "crm-config-private.h"

/* Checks that need the whole picture: files exist, values agree, the server can start. */

#define problem crm_config_add_problem
#define where crm_config_where

static gboolean
listen_is_loopback (CrmConfig *self)
{
  g_autoptr (GInetAddress) address = g_inet_address_new_from_string (self->listen);

  return address != NULL && g_inet_address_get_is_loopback (address);
}

static gboolean
check_readable (CrmConfig  *self,
                const char *key,
                const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;

  if (g_file_get_contents (path, &contents, NULL, &error))
    return TRUE;
  problem (self, _("%s : impossible de lire %s : %s"), where (self, "server", key), path,
           error->message);
  return FALSE;
}

static void
validate_tls (CrmConfig *self)
{
  g_autoptr (GTlsCertificate) certificate = NULL;
  g_autoptr (GError) error = NULL;
  gboolean cert_ok, key_ok;

  if (self->tls_certificate == NULL && self->tls_key == NULL && self->development)
    return;
  if (self->tls_certificate == NULL)
    problem (self, _("%s : manquant ; le serveur parle HTTPS et a besoin du certificat PEM "
                     "(seul le mode development sur 127.0.0.1 s'en passe)."),
             where (self, "server", "tls-certificate"));
  if (self->tls_key == NULL)
    problem (self, _("%s : manquant ; indiquez la clé privée PEM du certificat."),
             where (self, "server", "tls-key"));
  if (self->tls_certificate == NULL || self->tls_key == NULL)
    return;

  cert_ok = check_readable (self, "tls-certificate", self->tls_certificate);
  key_ok = check_readable (self, "tls-key", self->tls_key);
  if (!cert_ok || !key_ok)
    return;

  certificate = g_tls_certificate_new_from_files (self->tls_certificate, self->tls_key, &error);
  if (certificate == NULL)
    problem (self, _("%s et %s : le certificat ou la clé n'est pas utilisable : %s"),
             where (self, "server", "tls-certificate"), where (self, "server", "tls-key"),
             error->message);
}

static void
validate_secret (CrmConfig *self)
{
  const char *key = self->jwt_secret_file != NULL ? "jwt-secret-file" : "jwt-secret";

  /* An unreadable file or two competing secrets have already been reported. */
  if (self->jwt_secret_file == NULL && self->jwt_secret_inline == NULL)
    problem (self, _("%s : manquant ; le serveur signe les jetons d'accès avec ce secret (au "
                     "moins %d octets aléatoires, par exemple : "
                     "head -c 48 /dev/urandom | base64 > secret)."),
             where (self, "auth", "jwt-secret-file"), CRM_CONFIG_MIN_SECRET_BYTES);
  else if (self->jwt_secret != NULL
           && g_bytes_get_size (self->jwt_secret) < CRM_CONFIG_MIN_SECRET_BYTES)
    problem (self, _("%s : le secret est trop court (%zu octets) ; il en faut au moins %d."),
             where (self, "auth", key), g_bytes_get_size (self->jwt_secret),
             CRM_CONFIG_MIN_SECRET_BYTES);
}

static void
validate_http (CrmConfig *self)
{
  if (self->development && !listen_is_loopback (self))
    problem (self, _("%s : le mode development sert du HTTP en clair et n'écoute que sur une "
                     "adresse de bouclage (127.0.0.1 ou ::1), pas sur %s."),
             where (self, "server", "development"), self->listen);
  validate_tls (self);
  validate_secret (self);
}

static void
validate_database (CrmConfig *self)
{
  char *message = NULL;
  PQconninfoOption *options;

  if (self->database_url == NULL)
    {
      problem (self, _("%s : manquant ; indiquez la base PostgreSQL, par exemple "
                       "postgresql://alforis@localhost/alforis."),
               where (self, "database", "url"));
      return;
    }

  options = PQconninfoParse (self->database_url, &message);
  if (options == NULL)
    {
      g_autofree char *reason = g_strstrip (g_strdup (message != NULL ? message : "?"));

      problem (self, _("%s : adresse de base de données illisible : %s"),
               where (self, "database", "url"), reason);
      PQfreemem (message);
      return;
    }
  PQconninfoFree (options);
}

static void
validate_sentry (CrmConfig *self)
{
  g_autoptr (GUri) uri = NULL;
  g_autoptr (GError) error = NULL;
  const char *scheme;

  if (self->sentry_dsn == NULL)
    return;

  uri = g_uri_parse (self->sentry_dsn, G_URI_FLAGS_NONE, &error);
  if (uri == NULL)
    {
      problem (self, _("%s : DSN illisible : %s"), where (self, "sentry", "dsn"), error->message);
      return;
    }
  scheme = g_uri_get_scheme (uri);
  if (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0)
    problem (self, _("%s : le DSN doit commencer par https:// (trouvé : %s)."),
             where (self, "sentry", "dsn"), scheme);
  else if (g_uri_get_user (uri) == NULL || strlen (g_uri_get_path (uri)) < 2)
    problem (self, _("%s : le DSN doit avoir la forme https://CLÉ@hôte/PROJET."),
             where (self, "sentry", "dsn"));
}

/**
 * crm_config_validate:
 * @what: the parts the command about to run depends on
 *
 * Adds a problem for every value that is missing, unusable or inconsistent. Returns
 * %TRUE when the server can start, that is when `problems` is empty.
 */
gboolean
crm_config_validate (CrmConfig     *self,
                     CrmConfigCheck what)
{
  if (what & CRM_CONFIG_CHECK_DATABASE)
    validate_database (self);
  if (what & CRM_CONFIG_CHECK_HTTP)
    validate_http (self);
  validate_sentry (self);

  return self->problems->len == 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-test-tls"

#include "config.h"

#include <glib.h>

#include "crm-test-tls.h"

gboolean
crm_test_tls_make_certificate (const char *directory,
                               char      **certificate_path,
                               char      **key_path,
                               GError    **error)
{
  g_autofree char *absolute = g_canonicalize_filename (directory, NULL);
  g_autofree char *cert = g_build_filename (absolute, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (absolute, "key.pem", NULL);
  g_autofree char *err = NULL;
  int status = 0;
  /* An EC key: a fraction of the time RSA takes, and GnuTLS serves it just as well. */
  const char *argv[] = { "openssl", "req", "-x509", "-newkey", "ec",
                         "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                         "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost",
                         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", NULL };

  if (!g_spawn_sync (NULL, (char **) argv, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err,
                     &status, error))
    return FALSE;
  if (!g_spawn_check_wait_status (status, error))
    {
      g_prefix_error (error, "openssl req : %s", err);
      return FALSE;
    }

  *certificate_path = g_steal_pointer (&cert);
  *key_path = g_steal_pointer (&key);
  return TRUE;
}

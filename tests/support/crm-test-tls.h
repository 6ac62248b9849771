/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A fresh self-signed certificate for localhost and 127.0.0.1, made by the openssl tool:
 * <directory>/cert.pem and <directory>/key.pem, absolute paths. */
gboolean crm_test_tls_make_certificate (const char *directory,
                                        char      **certificate_path,
                                        char      **key_path,
                                        GError    **error);

G_END_DECLS

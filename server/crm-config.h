/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* /etc whatever the install prefix: that is where administrators look for a service's file. */
#define CRM_CONFIG_DEFAULT_PATH "/etc/alforis-crm/server.conf"

/* Limits the validation enforces; tests and the documentation quote them. */
#define CRM_CONFIG_MIN_SECRET_BYTES      32
#define CRM_CONFIG_MAX_ACCESS_TOKEN_TTL  900
#define CRM_CONFIG_MIN_ACCESS_TOKEN_TTL  30
#define CRM_CONFIG_DEFAULT_BODY_LIMIT    (2 * 1024 * 1024)

#define CRM_CONFIG_ERROR (crm_config_error_quark ())

typedef enum
{
  CRM_CONFIG_ERROR_NOT_FOUND,
  CRM_CONFIG_ERROR_UNREADABLE,
  CRM_CONFIG_ERROR_SYNTAX,
  CRM_CONFIG_ERROR_INVALID,
} CrmConfigError;

/* What a command needs: migrate only talks to the database, serve needs everything. */
typedef enum
{
  CRM_CONFIG_CHECK_DATABASE = 1 << 0,
  CRM_CONFIG_CHECK_HTTP     = 1 << 1,  /* listen address, TLS, tokens */
  CRM_CONFIG_CHECK_ALL      = CRM_CONFIG_CHECK_DATABASE | CRM_CONFIG_CHECK_HTTP,
} CrmConfigCheck;

typedef enum
{
  CRM_LOG_FORMAT_AUTO, /* the journal when stderr is connected to it, readable text otherwise */
  CRM_LOG_FORMAT_JOURNAL,
  CRM_LOG_FORMAT_JSON,
  CRM_LOG_FORMAT_TEXT,
} CrmLogFormat;

/*
 * The server's settings after the file and the environment have been read. Fields are
 * read-only for everyone but crm-config.c. A value that could not be parsed keeps its
 * default and leaves a problem in `problems`, so check-config can list every mistake
 * at once instead of stopping at the first.
 */
typedef struct
{
  char          *path;  /* the file read, or NULL when none was */

  /* [server] */
  char          *listen;
  guint          port;
  char          *tls_certificate;
  char          *tls_key;
  gboolean       development;
  guint64        body_limit;

  /* [database] */
  char          *database_url;
  guint          pool_size;

  /* [auth] */
  char          *jwt_secret_file;
  GBytes        *jwt_secret;  /* from the file or the key; never printed */
  guint          access_token_ttl;

  /* [log] */
  CrmLogFormat   log_format;
  GLogLevelFlags log_level;  /* the least severe level still written */

  /* [sentry] */
  char          *sentry_dsn;

  GPtrArray     *problems;  /* French sentences; non-empty means the server must not start */
  GPtrArray     *warnings;  /* French sentences; worth reading, not fatal */

  /* Where each setting came from ("[server] port" or "ALFORIS_PORT"), for messages. */
  GHashTable    *origins;
  /* Values that failed to parse, by setting, until the environment may replace them. */
  GHashTable    *parse_problems;
  char          *jwt_secret_inline;  /* the [auth] jwt-secret value before it becomes jwt_secret */
} CrmConfig;

GQuark     crm_config_error_quark (void);

CrmConfig *crm_config_new (void);
CrmConfig *crm_config_load (const char         *path,
                            gboolean            path_is_explicit,
                            const char * const *envp,
                            GError            **error);
void       crm_config_free (CrmConfig *self);

gboolean   crm_config_validate (CrmConfig     *self,
                                CrmConfigCheck what);

const char *crm_config_log_format_to_string (CrmLogFormat format);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmConfig, crm_config_free)

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/*
 * The real alforis-crm-server binary (its path comes from meson in CRM_SERVER_BINARY),
 * started with `serve` on a free port, with a fresh certificate and signing secret, its
 * log in a file. It dies with the test process (PR_SET_PDEATHSIG) if a test crashes.
 */
typedef struct _CrmTestServer CrmTestServer;

typedef enum
{
  CRM_TEST_SERVER_DEFAULT = 0,
  CRM_TEST_SERVER_PLAIN_HTTP = 1 << 0,  /* development mode: http:// on loopback */
  CRM_TEST_SERVER_NO_WAIT = 1 << 1,     /* return at once, do not wait for the port */
} CrmTestServerFlags;

const char    *crm_test_server_binary (void);

CrmTestServer *crm_test_server_start (const char         *database_conninfo,
                                      CrmTestServerFlags  flags,
                                      const char         *extra_config,
                                      GError            **error);
void           crm_test_server_free (CrmTestServer *self);

const char    *crm_test_server_get_url (CrmTestServer *self);
guint          crm_test_server_get_port (CrmTestServer *self);
GPid           crm_test_server_get_pid (CrmTestServer *self);
const char    *crm_test_server_get_config_path (CrmTestServer *self);
const char    *crm_test_server_get_secret (CrmTestServer *self);
char          *crm_test_server_read_log (CrmTestServer *self);

/* A session that trusts this server's certificate, and only it. */
SoupSession   *crm_test_server_new_session (CrmTestServer *self);

/* Sends @signal_number and waits up to @timeout_seconds; returns the wait status, or -1
 * (after SIGKILL) when the server did not exit in time. */
int            crm_test_server_stop (CrmTestServer *self,
                                     int            signal_number,
                                     guint          timeout_seconds);

/* What one run of the binary as a command (create-user, reset-password, …) gave. */
typedef struct
{
  int   status;  /* its exit status */
  char *out;
  char *err;
} CrmTestCommand;

void           crm_test_command_clear (CrmTestCommand *run);

/* Runs the binary with @args (NULL-terminated, e.g. "create-user", "--email", …, NULL),
 * @input on its stdin, ALFORIS_DATABASE_URL set to @database_conninfo and an empty
 * --config so that only the environment speaks, whatever /etc holds. Asserts that it ran
 * and exited; fills @run (cleared first). */
void           crm_test_server_run_command (const char        *database_conninfo,
                                            const char *const *args,
                                            const char        *input,
                                            CrmTestCommand    *run);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmTestServer, crm_test_server_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CrmTestCommand, crm_test_command_clear)

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sync-proxy"

#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sync-harness.h"

struct _SyncProxy
{
  int       listen_fd;
  guint     target_port;
  char     *url;
  GThread  *acceptor;
  gint      stopping;
  gint      armed;
  gint      cuts;
};

typedef struct
{
  SyncProxy *proxy;
  int        client;
  int        server;
  guint      answers;        /* server turns so far: two make a TLS handshake */
  gboolean   client_spoke;   /* the client sent since the server's last turn */
  gboolean   asked_armed;    /* the client sent something while the cut was armed */
} Pair;

static gpointer
relay (gpointer data)
{
  Pair *pair = data;
  char buffer[16384];

  while (!g_atomic_int_get (&pair->proxy->stopping))
    {
      struct pollfd fds[2] = { { pair->client, POLLIN, 0 }, { pair->server, POLLIN, 0 } };
      int n = poll (fds, 2, 200);

      if (n < 0 && errno != EINTR)
        break;
      if (n <= 0)
        continue;
      if (fds[0].revents != 0)
        {
          ssize_t got = read (pair->client, buffer, sizeof buffer);

          if (got <= 0 || write (pair->server, buffer, (size_t) got) != got)
            break;
          pair->client_spoke = TRUE;
          if (g_atomic_int_get (&pair->proxy->armed) && pair->answers >= 2)
            pair->asked_armed = TRUE;
        }
      if (fds[1].revents != 0)
        {
          ssize_t got = read (pair->server, buffer, sizeof buffer);

          /* Only the answer to a request made on an established connection: not a
           * handshake, not the close of an idle connection. */
          if (got > 0 && pair->asked_armed
              && g_atomic_int_compare_and_exchange (&pair->proxy->armed, 1, 0))
            {
              /* The answer is ready, so the work is done: the client sees the start of a
               * TLS record and nothing more (with no byte at all, libsoup would quietly
               * resend the request on a new connection). */
              g_atomic_int_inc (&pair->proxy->cuts);
              if (write (pair->client, buffer, MIN ((size_t) got, 8)) < 0)
                break;
              break;
            }
          if (got <= 0 || write (pair->client, buffer, (size_t) got) != got)
            break;
          if (pair->client_spoke)
            pair->answers++;
          pair->client_spoke = FALSE;
        }
    }
  close (pair->client);
  close (pair->server);
  g_free (pair);
  return NULL;
}

static int
connect_target (guint port)
{
  struct sockaddr_in address = { 0 };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  address.sin_family = AF_INET;
  address.sin_port = htons (port);
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (connect (fd, (struct sockaddr *) &address, sizeof address) < 0)
    {
      close (fd);
      return -1;
    }
  return fd;
}

static gpointer
accept_loop (gpointer data)
{
  SyncProxy *self = data;

  while (!g_atomic_int_get (&self->stopping))
    {
      struct pollfd fd = { self->listen_fd, POLLIN, 0 };
      Pair *pair;
      int client, server;

      if (poll (&fd, 1, 100) <= 0)
        continue;
      client = accept4 (self->listen_fd, NULL, NULL, SOCK_CLOEXEC);
      if (client < 0)
        continue;
      server = connect_target (self->target_port);
      if (server < 0)
        {
          close (client);
          continue;
        }
      pair = g_new0 (Pair, 1);
      pair->proxy = self;
      pair->client = client;
      pair->server = server;
      g_thread_unref (g_thread_new ("sync-relay", relay, pair));
    }
  return NULL;
}

SyncProxy *
sync_proxy_new (guint target_port)
{
  SyncProxy *self = g_new0 (SyncProxy, 1);
  struct sockaddr_in address = { 0 };
  socklen_t length = sizeof address;

  self->target_port = target_port;
  self->listen_fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (bind (self->listen_fd, (struct sockaddr *) &address, sizeof address), ==, 0);
  g_assert_cmpint (listen (self->listen_fd, 16), ==, 0);
  g_assert_cmpint (getsockname (self->listen_fd, (struct sockaddr *) &address, &length), ==, 0);
  self->url = g_strdup_printf ("https://127.0.0.1:%u", ntohs (address.sin_port));
  self->acceptor = g_thread_new ("sync-proxy", accept_loop, self);
  return self;
}

const char *
sync_proxy_url (SyncProxy *self)
{
  return self->url;
}

void
sync_proxy_arm_cut (SyncProxy *self)
{
  g_atomic_int_set (&self->armed, 1);
}

guint
sync_proxy_get_cuts (SyncProxy *self)
{
  return (guint) g_atomic_int_get (&self->cuts);
}

void
sync_proxy_free (SyncProxy *self)
{
  if (self == NULL)
    return;
  g_atomic_int_set (&self->stopping, 1);
  g_thread_join (self->acceptor);
  close (self->listen_fd);
  /* Relays see `stopping` within 200 ms; they own nothing of ours but the flag. */
  g_usleep (300 * 1000);
  g_free (self->url);
  g_free (self);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-test-net"

#include "config.h"

#include <gio/gio.h>

#include "crm-test-net.h"

#define LOWEST_PORT 10000

/* The first port the kernel hands out for outgoing connections and bind (0): 32768 on
 * Linux unless configured otherwise. */
static guint
ephemeral_low (void)
{
  g_autofree char *text = NULL;
  guint64 low;

  if (!g_file_get_contents ("/proc/sys/net/ipv4/ip_local_port_range", &text, NULL, NULL))
    return 32768;
  low = g_ascii_strtoull (text, NULL, 10);
  return low > 0 && low <= G_MAXUINT16 ? (guint) low : 32768;
}

static gboolean
can_bind (guint    port,
          GError **error)
{
  g_autoptr (GSocket) socket = NULL;
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, port);

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         error);
  return socket != NULL && g_socket_bind (socket, address, FALSE, NULL);
}

/* A random port below the ephemeral range, checked free. The socket is closed at once, so
 * the caller should bind it soon. Below the ephemeral range, no outgoing connection (a
 * test's client, libpq over TCP) can take the port as its own source port in between,
 * and a kernel-picked port (bind to 0) never lands there either; only another picker's
 * random draw can, one chance in thousands. */
guint
crm_test_pick_free_port (GError **error)
{
  guint high = ephemeral_low ();

  if (high > LOWEST_PORT + 1000)
    {
      for (guint attempt = 0; attempt < 200; attempt++)
        {
          guint port = (guint) g_random_int_range (LOWEST_PORT, (gint32) high);

          if (can_bind (port, error))
            return port;
          if (error != NULL && *error != NULL)
            return 0;
        }
    }

  /* A machine without room below its ephemeral range: let the kernel pick. */
  {
    g_autoptr (GSocket) socket = NULL;
    g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr (GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
    g_autoptr (GSocketAddress) bound = NULL;

    socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                           error);
    if (socket == NULL || !g_socket_bind (socket, any, FALSE, error))
      return 0;
    bound = g_socket_get_local_address (socket, error);
    if (bound == NULL)
      return 0;
    return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  }
}

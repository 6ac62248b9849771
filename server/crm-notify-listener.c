/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-notify"

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <libpq-fe.h>

#include "crm-db-pool.h"
#include "crm-notify-listener.h"

/* A connection that hears nothing for this long is asked a question, so a peer that
 * vanished without closing (a cut network) is noticed. */
#define IDLE_CHECK_SECONDS    30
#define RETRY_MIN_MS          100
#define RETRY_MAX_MS          5000

/*
 * What the thread and the main loop share. Deliveries queued on the main context hold
 * a reference; `stopped` (read on the main loop only) makes the late ones do nothing.
 */
typedef struct
{
  CrmNotifyFunc       notified;
  CrmNotifyListening  listening;
  gpointer            user_data;
  gboolean            stopped;
} Target;

struct _CrmNotifyListener
{
  char          *conninfo;
  char          *listen_sql;
  GMainContext  *context;
  Target        *target;      /* a GRcBox */
  GThread       *thread;
  int            wake[2];     /* a byte written to wake[1] stops the thread */
  gint           stopping;    /* atomic */
  guint          connections; /* atomic */
};

typedef struct
{
  Target  *target;
  gint64   seq;       /* -1: "listening" */
} Delivery;

static void
delivery_free (gpointer data)
{
  Delivery *delivery = data;

  g_rc_box_release (delivery->target);
  g_free (delivery);
}

static gboolean
deliver (gpointer data)
{
  Delivery *delivery = data;
  Target *target = delivery->target;

  if (target->stopped)
    return G_SOURCE_REMOVE;
  if (delivery->seq < 0)
    target->listening (target->user_data);
  else
    target->notified (delivery->seq, target->user_data);
  return G_SOURCE_REMOVE;
}

static void
post (CrmNotifyListener *self,
      gint64             seq)
{
  Delivery *delivery = g_new0 (Delivery, 1);

  delivery->target = g_rc_box_acquire (self->target);
  delivery->seq = seq;
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, deliver, delivery,
                              delivery_free);
}

/* Sleeps @ms unless asked to stop; FALSE when stopping. */
static gboolean
pause_or_stop (CrmNotifyListener *self,
               int                ms)
{
  struct pollfd fd = { self->wake[0], POLLIN, 0 };

  if (g_atomic_int_get (&self->stopping))
    return FALSE;
  poll (&fd, 1, ms);
  return !g_atomic_int_get (&self->stopping);
}

static PGconn *
connect_and_listen (CrmNotifyListener *self)
{
  g_autoptr (GError) error = NULL;
  PGconn *conn = crm_db_connect (self->conninfo, &error);
  PGresult *result;
  gboolean ok;

  if (conn == NULL)
    {
      g_debug ("écoute de %s impossible : %s", self->listen_sql, error->message);
      return NULL;
    }
  result = PQexec (conn, self->listen_sql);
  ok = PQresultStatus (result) == PGRES_COMMAND_OK;
  if (!ok)
    g_warning (_("LISTEN refusé par PostgreSQL : %s"), PQresultErrorMessage (result));
  PQclear (result);
  if (!ok || PQsetnonblocking (conn, 1) != 0)
    {
      PQfinish (conn);
      return NULL;
    }
  return conn;
}

/* Reads what arrived; the highest number, 0 if none, -1 when the connection is gone. */
static gint64
drain (PGconn *conn)
{
  PGnotify *notify;
  gint64 highest = 0;

  if (!PQconsumeInput (conn))
    return -1;
  while ((notify = PQnotifies (conn)) != NULL)
    {
      gint64 seq = 0;

      if (g_ascii_string_to_signed (notify->extra, 10, 1, G_MAXINT64, &seq, NULL))
        highest = MAX (highest, seq);
      PQfreemem (notify);
    }
  return highest;
}

/* Asks a trivial question: FALSE when the connection does not answer any more. */
static gboolean
still_alive (PGconn *conn)
{
  PGresult *result;
  gboolean ok;

  PQsetnonblocking (conn, 0);
  result = PQexec (conn, "SELECT 1");
  ok = PQresultStatus (result) == PGRES_TUPLES_OK;
  PQclear (result);
  PQsetnonblocking (conn, 1);
  return ok && PQstatus (conn) == CONNECTION_OK;
}

static void
listen_until_lost (CrmNotifyListener *self,
                   PGconn            *conn)
{
  while (!g_atomic_int_get (&self->stopping))
    {
      struct pollfd fds[2] = {
        { PQsocket (conn), POLLIN, 0 },
        { self->wake[0], POLLIN, 0 },
      };
      int n = poll (fds, 2, IDLE_CHECK_SECONDS * 1000);
      gint64 highest;

      if (n < 0 && errno != EINTR)
        return;
      if (fds[1].revents != 0)
        return;
      if (n == 0)
        {
          if (!still_alive (conn))
            return;
          continue;
        }
      highest = drain (conn);
      if (highest < 0)
        return;
      if (highest > 0)
        post (self, highest);
    }
}

static gpointer
listener_thread (gpointer data)
{
  CrmNotifyListener *self = data;
  int delay = RETRY_MIN_MS;

  while (!g_atomic_int_get (&self->stopping))
    {
      PGconn *conn = connect_and_listen (self);

      if (conn == NULL)
        {
          /* Jittered so the instances behind a load balancer do not all knock at once. */
          if (!pause_or_stop (self, delay / 2 + g_random_int_range (0, delay / 2 + 1)))
            break;
          delay = MIN (delay * 2, RETRY_MAX_MS);
          continue;
        }
      delay = RETRY_MIN_MS;
      g_atomic_int_inc ((gint *) &self->connections);
      /* Whatever committed while we were not listening is in the change log. */
      post (self, -1);
      listen_until_lost (self, conn);
      PQfinish (conn);
      if (!g_atomic_int_get (&self->stopping))
        g_message (_("Connexion d’écoute PostgreSQL perdue ; reconnexion"));
    }
  return NULL;
}

CrmNotifyListener *
crm_notify_listener_new (const char         *conninfo,
                         const char         *channel,
                         CrmNotifyFunc       notified,
                         CrmNotifyListening  listening,
                         gpointer            user_data)
{
  CrmNotifyListener *self = g_new0 (CrmNotifyListener, 1);
  g_autoptr (GError) error = NULL;

  self->conninfo = g_strdup (conninfo);
  /* The channel is one of ours (a constant identifier), never a client's text. */
  self->listen_sql = g_strdup_printf ("LISTEN %s", channel);
  self->context = g_main_context_ref_thread_default ();
  self->target = g_rc_box_new0 (Target);
  self->target->notified = notified;
  self->target->listening = listening;
  self->target->user_data = user_data;
  if (!g_unix_open_pipe (self->wake, FD_CLOEXEC, &error))
    g_error ("pipe : %s", error->message);
  self->thread = g_thread_new ("crm-listen", listener_thread, self);
  return self;
}

void
crm_notify_listener_free (CrmNotifyListener *self)
{
  if (self == NULL)
    return;

  g_atomic_int_set (&self->stopping, 1);
  if (write (self->wake[1], "x", 1) < 0)
    g_warning ("réveil du fil d’écoute : %s", g_strerror (errno));
  g_thread_join (self->thread);
  close (self->wake[0]);
  close (self->wake[1]);
  self->target->stopped = TRUE;
  g_rc_box_release (self->target);
  g_main_context_unref (self->context);
  g_free (self->listen_sql);
  g_free (self->conninfo);
  g_free (self);
}

guint
crm_notify_listener_get_connections (CrmNotifyListener *self)
{
  return g_atomic_int_get ((gint *) &self->connections);
}

#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# `make server`: a throwaway PostgreSQL cluster for development, stopped and deleted on
# exit (Ctrl-C included). Usage: tests/tools/dev-server.sh [BUILDDIR]
#
# The same steps as tests/support/crm-test-pg.c: initdb in a private directory (as the
# postgres user when run as root, since initdb refuses root), a Unix socket in that
# directory only, no TCP listener, fsync off.

set -eu

BUILDDIR=${1:-_build}
SERVER="$BUILDDIR/server/alforis-crm-server"

BINDIR=$(pg_config --bindir 2>/dev/null || true)
[ -x "$BINDIR/initdb" ] || BINDIR=/usr/lib/postgresql/15/bin
if [ ! -x "$BINDIR/initdb" ]; then
  echo "PostgreSQL 15 est introuvable : lancez « make deps » (paquets postgresql et postgresql-contrib)." >&2
  exit 1
fi

DIR=$(mktemp -d /tmp/alforis-dev-pg-XXXXXX)
AS_POSTGRES=
if [ "$(id -u)" = 0 ]; then
  chown postgres:postgres "$DIR"
  AS_POSTGRES="runuser -u postgres --"
fi
# Only the name of the socket file uses the port: any number is free in a private directory.
PORT=5432

SLEEPER=
cleanup() {
  trap - EXIT INT TERM
  [ -z "$SLEEPER" ] || kill "$SLEEPER" 2>/dev/null || true
  if [ -f "$DIR/data/postmaster.pid" ]; then
    (cd "$DIR" && $AS_POSTGRES "$BINDIR/pg_ctl" -D "$DIR/data" -m fast -w -s stop) || true
  fi
  rm -rf "$DIR"
  echo "PostgreSQL arrêté, $DIR supprimé."
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cd "$DIR"
$AS_POSTGRES "$BINDIR/initdb" -D "$DIR/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 \
  --text-search-config=french --no-sync --no-instructions >"$DIR/initdb.log" 2>&1
$AS_POSTGRES "$BINDIR/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -s \
  -o "-k $DIR -p $PORT -c listen_addresses='' -c fsync=off" start
cd - >/dev/null

CONNINFO="host=$DIR port=$PORT user=postgres dbname=postgres"
cat <<MSG

PostgreSQL tourne (journal : $DIR/server.log).
  Connexion : $CONNINFO
  psql      : psql "$CONNINFO"

Le serveur lui-même (commande serve, base migrée, compte admin, https://127.0.0.1:8443)
n'est pas encore écrit : il arrive avec le ticket « The server ». En attendant,
  ALFORIS_DATABASE_URL="$CONNINFO" $SERVER check-config
vérifie une configuration.

Ctrl-C arrête PostgreSQL et supprime $DIR.
MSG

# Wait for Ctrl-C; `wait` returns as soon as a trapped signal arrives.
sleep infinity &
SLEEPER=$!
wait "$SLEEPER" || true

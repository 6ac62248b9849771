#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# `make server`: a throwaway PostgreSQL cluster, a migrated database, an admin account, a
# development certificate, and the server on https://127.0.0.1:8443 (PORT=… to change).
# Everything lives in one temporary directory, stopped and deleted on exit (Ctrl-C too).
# Usage: tests/tools/dev-server.sh [BUILDDIR]
#
# PostgreSQL is set up as tests/support/crm-test-pg.c does: initdb in a private
# directory (as the postgres user when run as root, since initdb refuses root), a Unix
# socket in that directory only, no TCP listener, fsync off.

set -eu

BUILDDIR=${1:-_build}
SERVER="$(cd "$BUILDDIR" && pwd)/server/alforis-crm-server"
PORT=${PORT:-8443}
ADMIN_EMAIL=admin@alforis.test

if [ ! -x "$SERVER" ]; then
  echo "$SERVER est introuvable : lancez « make build » d'abord." >&2
  exit 1
fi
BINDIR=$(pg_config --bindir 2>/dev/null || true)
[ -x "$BINDIR/initdb" ] || BINDIR=/usr/lib/postgresql/15/bin
if [ ! -x "$BINDIR/initdb" ]; then
  echo "PostgreSQL 15 est introuvable : lancez « make deps » (paquets postgresql et postgresql-contrib)." >&2
  exit 1
fi

DIR=$(mktemp -d /tmp/alforis-dev-XXXXXX)
AS_POSTGRES=
if [ "$(id -u)" = 0 ]; then
  chown postgres:postgres "$DIR"
  AS_POSTGRES="runuser -u postgres --"
fi
# Only the name of the socket file uses this port: any number is free in a private directory.
PG_PORT=5432
CONNINFO="host=$DIR port=$PG_PORT user=postgres dbname=alforis"

SERVER_PID=
cleanup() {
  trap - EXIT INT TERM
  if [ -n "$SERVER_PID" ]; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ -f "$DIR/data/postmaster.pid" ]; then
    (cd "$DIR" && $AS_POSTGRES "$BINDIR/pg_ctl" -D "$DIR/data" -m fast -w -s stop) || true
  fi
  rm -rf "$DIR"
  echo "Serveur et PostgreSQL arrêtés, $DIR supprimé."
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- PostgreSQL ---------------------------------------------------------------------
(
  cd "$DIR"
  $AS_POSTGRES "$BINDIR/initdb" -D "$DIR/data" -A trust -U postgres -E UTF8 \
    --locale=C.UTF-8 --text-search-config=french --no-sync --no-instructions \
    >"$DIR/initdb.log" 2>&1
  $AS_POSTGRES "$BINDIR/pg_ctl" -D "$DIR/data" -l "$DIR/postgresql.log" -w -s \
    -o "-k $DIR -p $PG_PORT -c listen_addresses='' -c fsync=off" start
  $AS_POSTGRES "$BINDIR/createdb" -h "$DIR" -p "$PG_PORT" -U postgres alforis
)

# --- certificate, secret, configuration ---------------------------------------------
mkdir -p "$DIR/server"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
  -keyout "$DIR/server/key.pem" -out "$DIR/server/cert.pem" -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null
(umask 077 && head -c 48 /dev/urandom | base64 >"$DIR/server/jwt-secret")
cat >"$DIR/server/server.conf" <<CONF
[server]
listen=127.0.0.1
port=$PORT
tls-certificate=$DIR/server/cert.pem
tls-key=$DIR/server/key.pem

[database]
url=$CONNINFO
pool-size=4

[auth]
jwt-secret-file=$DIR/server/jwt-secret

[log]
format=text
level=info
CONF
CONFIG="--config $DIR/server/server.conf"

# --- schema and the first account ---------------------------------------------------
"$SERVER" $CONFIG migrate
ADMIN_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
printf '%s\n' "$ADMIN_PASSWORD" | "$SERVER" $CONFIG create-user \
  --email "$ADMIN_EMAIL" --name "Admin de développement" --role admin >/dev/null

# --- the server -----------------------------------------------------------------------
"$SERVER" $CONFIG serve &
SERVER_PID=$!
i=0
until curl -s -o /dev/null --cacert "$DIR/server/cert.pem" "https://127.0.0.1:$PORT/health"; do
  i=$((i + 1))
  if [ $i -gt 100 ] || ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "Le serveur n'a pas démarré (port $PORT déjà pris ? essayez PORT=9443 make server)." >&2
    exit 1
  fi
  sleep 0.1
done

CURL="curl --cacert $DIR/server/cert.pem"
cat <<MSG

Alforis CRM tourne sur https://127.0.0.1:$PORT (certificat de développement).
  Compte admin : $ADMIN_EMAIL
  Mot de passe : $ADMIN_PASSWORD
  Connexion    : $CURL -H 'Content-Type: application/json' \\
                   -d '{"email": "$ADMIN_EMAIL", "password": "$ADMIN_PASSWORD"}' \\
                   https://127.0.0.1:$PORT/api/v1/auth/login
                 puis -H "Authorization: Bearer <access_token>" sur /api/v1/...
  Santé        : $CURL https://127.0.0.1:$PORT/health
  PostgreSQL   : psql "$CONNINFO"
  Configuration: $DIR/server/server.conf
  L'application: serveur https://127.0.0.1:$PORT, certificat $DIR/server/cert.pem

Ctrl-C arrête le serveur et PostgreSQL et supprime $DIR.
MSG

wait "$SERVER_PID" || true
SERVER_PID=

#!/usr/bin/env bash
# Install (from Debian packages, if missing) and start a PostgreSQL server on
# 127.0.0.1:5432 with role/password eventwire/eventwire and databases eventwire and
# eventwire_test. Idempotent: running it again changes nothing.
set -euo pipefail

SUDO=""
if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "postgres.sh: installing PostgreSQL from Debian packages" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql postgresql-contrib >/dev/null
fi

VER="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
BIN="/usr/lib/postgresql/${VER}/bin"

ready() { "$BIN/pg_isready" -q -h 127.0.0.1 -p 5432; }

if ! ready; then
  if command -v pg_lsclusters >/dev/null 2>&1; then
    if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -q "^${VER} main$"; then
      $SUDO pg_createcluster "$VER" main --port 5432 >/dev/null
    fi
    $SUDO pg_ctlcluster "$VER" main start || true
  else
    DATA="${PGDATA_DIR:-/var/lib/postgresql/${VER}/eventwire}"
    if [ ! -s "$DATA/PG_VERSION" ]; then
      $SUDO mkdir -p "$DATA"; $SUDO chown postgres:postgres "$DATA"
      $SUDO -u postgres "$BIN/initdb" -D "$DATA" -A trust >/dev/null
    fi
    $SUDO -u postgres "$BIN/pg_ctl" -D "$DATA" -o "-p 5432 -k /tmp" -l "$DATA/server.log" start
  fi
  for _ in $(seq 1 60); do ready && break; sleep 0.5; done
fi
ready || { echo "postgres.sh: PostgreSQL did not start on 127.0.0.1:5432" >&2; exit 1; }

psql_su() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- psql -p 5432 -v ON_ERROR_STOP=1 -qtA "$@";
  else $SUDO -u postgres psql -p 5432 -v ON_ERROR_STOP=1 -qtA "$@"; fi
}

if [ "$(psql_su -c "SELECT 1 FROM pg_roles WHERE rolname='eventwire'")" != "1" ]; then
  psql_su -c "CREATE ROLE eventwire LOGIN PASSWORD 'eventwire' CREATEDB"
fi
for db in eventwire eventwire_test; do
  if [ "$(psql_su -c "SELECT 1 FROM pg_database WHERE datname='${db}'")" != "1" ]; then
    psql_su -c "CREATE DATABASE ${db} OWNER eventwire"
  fi
done
echo "postgres.sh: PostgreSQL ${VER} ready at postgresql://eventwire:eventwire@127.0.0.1:5432/eventwire_test"

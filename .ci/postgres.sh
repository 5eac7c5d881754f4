#!/usr/bin/env bash
# A private PostgreSQL cluster for Lyceum's tests: a temporary directory, a loopback port, TLS
# with a throw-away certificate, one role with a random password and one database. No system
# service is touched. Used by .ci/run and by developers:
#
#   .ci/postgres.sh start          # initdb + start (idempotent); prints the export line
#   eval "$(.ci/postgres.sh env)"  # sets LYCEUM_TEST_POSTGRES_URL in this shell
#   .ci/postgres.sh stop           # stops the cluster and deletes its directory
#
# LYCEUM_PG_DIR (default /tmp/lyceum-pg-<uid>) and LYCEUM_PG_PORT (default 55432) choose where.
# initdb refuses to run as root: as root, the cluster runs as the `postgres` user (Debian's
# package creates it), else as a system user `lyceum-pg` made for the purpose.
set -euo pipefail

dir="${LYCEUM_PG_DIR:-${TMPDIR:-/tmp}/lyceum-pg-$(id -u)}"
port="${LYCEUM_PG_PORT:-55432}"
role=lyceum
database=lyceum_test

bindir() {
  if command -v pg_config >/dev/null 2>&1 && [[ -x "$(pg_config --bindir)/initdb" ]]; then
    pg_config --bindir
    return
  fi
  local found
  found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [[ -n "$found" && -x "$found/initdb" ]] || {
    echo "postgres.sh: initdb not found (install Debian's postgresql package)" >&2
    exit 1
  }
  echo "$found"
}

# Runs a command as the cluster's owner: this user, or an unprivileged one when we are root.
as_owner() {
  if [[ $(id -u) -ne 0 ]]; then
    "$@"
  else
    runuser -u "$(owner)" -- "$@"
  fi
}

owner() {
  if [[ $(id -u) -ne 0 ]]; then
    id -un
  elif id postgres >/dev/null 2>&1; then
    echo postgres
  else
    id lyceum-pg >/dev/null 2>&1 ||
      useradd --system --no-create-home --shell /usr/sbin/nologin lyceum-pg
    echo lyceum-pg
  fi
}

running() {
  [[ -d "$dir/data" ]] && as_owner "$(bindir)/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

print_env() {
  [[ -r "$dir/url" ]] || {
    echo "postgres.sh: no cluster in $dir (run: .ci/postgres.sh start)" >&2
    exit 1
  }
  printf "export LYCEUM_TEST_POSTGRES_URL='%s'\n" "$(cat "$dir/url")"
}

start() {
  if running; then
    print_env
    return
  fi
  local bin user password
  bin="$(bindir)"
  user="$(owner)"
  rm -rf "$dir"
  mkdir -p -m 0700 "$dir"
  [[ $(id -u) -ne 0 ]] || chown "$user" "$dir"
  password="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  as_owner "$bin/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 --no-sync >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    exit 1
  }
  # TLS with a throw-away self-signed certificate, so the tests' `sslmode=require` is real.
  as_owner openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
    -keyout "$dir/server.key" -out "$dir/server.crt" >/dev/null 2>&1
  as_owner chmod 0600 "$dir/server.key"
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
    "-p $port -k $dir -c listen_addresses=127.0.0.1 -c ssl=on -c ssl_cert_file=$dir/server.crt -c ssl_key_file=$dir/server.key" \
    start >/dev/null || {
    cat "$dir/server.log" >&2
    exit 1
  }
  as_owner "$bin/psql" -h "$dir" -p "$port" -U postgres -d postgres -q -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE $role LOGIN PASSWORD '$password'" \
    -c "CREATE DATABASE $database OWNER $role" >/dev/null
  (
    umask 077
    echo "postgresql://$role:$password@127.0.0.1:$port/$database?sslmode=require" >"$dir/url"
  )
  print_env
}

stop() {
  if running; then
    as_owner "$(bindir)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env) print_env ;;
  *)
    echo "usage: $0 start|stop|env" >&2
    exit 2
    ;;
esac

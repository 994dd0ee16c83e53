#!/usr/bin/env bash
# A private PostgreSQL cluster for the JDBC tests (examples: JdbcUserStore, cluster tests).
#
#   bash .ci/postgres.sh start        installs Debian's postgresql if its binaries are missing, then starts a
#                                     throw-away cluster (temp dir, 127.0.0.1, a free port, trust auth) and prints
#                                     shell assignments on stdout: USHER_TEST_POSTGRES_URL, USHER_PG_PID, USHER_PG_DIR
#   bash .ci/postgres.sh stop PID DIR stops that cluster by its postmaster pid and removes its directory
#
# The system cluster is neither created nor started: createcluster.conf says create_main_cluster = false (when the
# machine has no such file yet) and a temporary policy-rc.d refuses service starts during apt-get install.
# When run as root, initdb and the server run as the 'postgres' user (PostgreSQL refuses to run as root).
# Everything but the assignments goes to stderr.
set -euo pipefail

log() { echo ".ci/postgres.sh: $*" >&2; }

bin_dir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -n $d && -x $d/initdb && -x $d/pg_ctl && -x $d/postgres ]]; then echo "$d"; fi
}

install_postgres() {
  if [[ -n $(bin_dir) ]]; then
    log "PostgreSQL server binaries present ($(bin_dir)); nothing to install"
    return 0
  fi
  local sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      log "PostgreSQL is missing and we are not root (no sudo): cannot install it"
      return 1
    fi
  fi
  log "installing postgresql from apt (no system cluster, no service start)"
  local made_policy="" made_conf=""
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\n# temporary, from .ci/postgres.sh: do not start services during apt-get install\nexit 101\n' \
      | $sudo tee /usr/sbin/policy-rc.d >/dev/null
    $sudo chmod 755 /usr/sbin/policy-rc.d
    made_policy="yes"
  fi
  if [[ ! -e /etc/postgresql-common/createcluster.conf ]]; then
    $sudo mkdir -p /etc/postgresql-common
    echo "create_main_cluster = false" | $sudo tee /etc/postgresql-common/createcluster.conf >/dev/null
    made_conf="yes"
  fi
  local rc=0
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 || rc=$?
  if [[ $rc -eq 0 ]]; then
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold postgresql >&2 || rc=$?
  fi
  if [[ -n $made_policy ]]; then $sudo rm -f /usr/sbin/policy-rc.d; fi
  if [[ -z $(bin_dir) ]]; then
    log "postgresql install failed (apt exit code $rc)"
    return 1
  fi
  [[ -n $made_conf ]] && log "left /etc/postgresql-common/createcluster.conf (create_main_cluster = false)"
  log "installed PostgreSQL $(dpkg-query -W -f='${Version}' postgresql 2>/dev/null || echo '?') (apt exit code $rc)"
}

free_port() {
  local p tries=0
  while (( tries < 200 )); do
    p=$(( 20000 + RANDOM % 20000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
    tries=$(( tries + 1 ))
  done
  log "no free loopback port found"
  return 1
}

start() {
  install_postgres
  local bin dir port as=()
  bin=$(bin_dir)
  dir=$(mktemp -d /tmp/usher-pg.XXXXXX)
  if [[ $(id -u) -eq 0 ]]; then
    if ! id postgres >/dev/null 2>&1; then
      log "running as root but there is no 'postgres' user to run the server as"
      return 1
    fi
    chown postgres: "$dir"
    as=(runuser -u postgres --)
  fi
  # run from the cluster's own directory: the 'postgres' user may not be allowed into the caller's
  (cd "$dir" && ${as[@]+"${as[@]}"} "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-locale --no-sync \
    >"$dir/initdb.log" 2>&1) || { log "initdb failed:"; cat "$dir/initdb.log" >&2; return 1; }
  port=$(free_port)
  (cd "$dir" && ${as[@]+"${as[@]}"} "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=200" \
    start >&2) || { log "pg_ctl start failed:"; cat "$dir/server.log" >&2 || true; return 1; }
  local pid
  pid=$(head -n 1 "$dir/data/postmaster.pid")
  log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (pid $pid, data $dir/data)"
  echo "USHER_TEST_POSTGRES_URL='jdbc:postgresql://127.0.0.1:$port/postgres?user=postgres'"
  echo "USHER_PG_PID=$pid"
  echo "USHER_PG_DIR='$dir'"
}

stop() {
  local pid=${1:-} dir=${2:-}
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
    kill -INT "$pid" 2>/dev/null || true   # fast shutdown
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
    log "stopped PostgreSQL (pid $pid)"
  fi
  if [[ -n $dir && $dir == /tmp/usher-pg.* ]]; then rm -rf "$dir"; fi
}

case "${1:-}" in
  start) start ;;
  stop) shift; stop "$@" ;;
  *) echo "usage: $0 start | stop PID DIR" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# Starts throwaway Redis and MariaDB servers on 127.0.0.1 for the live database tests
# (test/db.live.test.ts), installing Debian's redis-server / mariadb-server if missing.
#
#   eval "$(bash scripts/db-services.sh start)"   # prints `export REDIS_URL=... MYSQL_URL=...`
#   bash scripts/db-services.sh stop
#
# Data directories live under $DB_SERVICES_DIR (default /tmp/asyncio-ts-db) and are removed by
# `stop`. Ports: $REDIS_PORT (default 6399) and $MYSQL_PORT (default 3399). Everything except the
# export lines goes to stderr, so `eval "$(... start)"` works. Needs root for apt-get.
set -euo pipefail

DIR="${DB_SERVICES_DIR:-/tmp/asyncio-ts-db}"
REDIS_PORT="${REDIS_PORT:-6399}"
MYSQL_PORT="${MYSQL_PORT:-3399}"
MYSQL_SOCK="$DIR/mysql/mysqld.sock"

log() { echo "db-services: $*" >&2; }

find_bin() {
  local b
  for b in "$@"; do
    if command -v "$b" >/dev/null 2>&1; then
      command -v "$b"
      return 0
    fi
    for d in /usr/sbin /usr/bin /usr/local/sbin /usr/local/bin; do
      if [ -x "$d/$b" ]; then
        echo "$d/$b"
        return 0
      fi
    done
  done
  return 1
}

install_missing() {
  local pkgs=()
  find_bin redis-server >/dev/null || pkgs+=(redis-server)
  find_bin mariadbd mysqld >/dev/null || pkgs+=(mariadb-server)
  find_bin mariadb-install-db mysql_install_db >/dev/null || pkgs+=(mariadb-server)
  find_bin redis-cli >/dev/null || pkgs+=(redis-tools)
  find_bin mariadb mysql >/dev/null || pkgs+=(mariadb-client)
  if [ "${#pkgs[@]}" -eq 0 ]; then return 0; fi
  # shellcheck disable=SC2207
  pkgs=($(printf '%s\n' "${pkgs[@]}" | sort -u))
  log "installing ${pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Do not let the packages' postinst start system-wide services (we run our own instances).
  local policy=/usr/sbin/policy-rc.d created_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod +x "$policy"
    created_policy=1
  fi
  if ! apt-get install -y -q --no-install-recommends "${pkgs[@]}" >&2; then
    apt-get update -q >&2
    apt-get install -y -q --no-install-recommends "${pkgs[@]}" >&2
  fi
  if [ "$created_policy" -eq 1 ]; then rm -f "$policy"; fi
}

wait_for() { # wait_for <seconds> <command...>
  local t="$1"
  shift
  local i
  for ((i = 0; i < t * 10; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  return 1
}

start() {
  install_missing
  mkdir -p "$DIR/redis" "$DIR/mysql"
  local redis_cli mysql_cli mysqld install_db
  redis_cli="$(find_bin redis-cli)"
  mysql_cli="$(find_bin mariadb mysql)"
  mysqld="$(find_bin mariadbd mysqld)"
  install_db="$(find_bin mariadb-install-db mysql_install_db)"

  if "$redis_cli" -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    log "redis already running on $REDIS_PORT"
  else
    "$(find_bin redis-server)" --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$DIR/redis" \
      --save '' --appendonly no --daemonize yes --pidfile "$DIR/redis/redis.pid" \
      --logfile "$DIR/redis/redis.log" >&2
    wait_for 20 "$redis_cli" -h 127.0.0.1 -p "$REDIS_PORT" ping || {
      log "redis did not start"
      cat "$DIR/redis/redis.log" >&2 || true
      exit 1
    }
    log "redis up on 127.0.0.1:$REDIS_PORT"
  fi

  if "$mysql_cli" -uroot --protocol=TCP -h127.0.0.1 -P"$MYSQL_PORT" -e 'SELECT 1' >/dev/null 2>&1; then
    log "mariadb already running on $MYSQL_PORT"
  else
    if [ ! -d "$DIR/mysql/data/mysql" ]; then
      "$install_db" --no-defaults --user=root --datadir="$DIR/mysql/data" \
        --auth-root-authentication-method=normal --skip-test-db >"$DIR/mysql/install.log" 2>&1 || {
        log "mariadb-install-db failed"
        cat "$DIR/mysql/install.log" >&2
        exit 1
      }
    fi
    # --no-defaults: ignore /etc/mysql so the system configuration cannot interfere.
    nohup "$mysqld" --no-defaults --user=root --datadir="$DIR/mysql/data" \
      --bind-address=127.0.0.1 --port="$MYSQL_PORT" --socket="$MYSQL_SOCK" \
      --pid-file="$DIR/mysql/mysqld.pid" --log-error="$DIR/mysql/error.log" \
      --skip-log-bin --innodb-buffer-pool-size=32M --max-connections=500 \
      >/dev/null 2>&1 &
    wait_for 60 "$mysql_cli" -uroot --protocol=TCP -h127.0.0.1 -P"$MYSQL_PORT" -e 'SELECT 1' || {
      log "mariadb did not start"
      tail -n 40 "$DIR/mysql/error.log" >&2 || true
      exit 1
    }
    # root over TCP without a password (throwaway server on loopback only) and a test database.
    "$mysql_cli" -uroot --protocol=TCP -h127.0.0.1 -P"$MYSQL_PORT" -e \
      "CREATE DATABASE IF NOT EXISTS asyncio_ts_test;" >&2
    log "mariadb up on 127.0.0.1:$MYSQL_PORT"
  fi

  echo "export REDIS_URL=redis://127.0.0.1:$REDIS_PORT"
  echo "export MYSQL_URL=mysql://root@127.0.0.1:$MYSQL_PORT/asyncio_ts_test"
}

stop() {
  if [ -f "$DIR/redis/redis.pid" ]; then
    kill "$(cat "$DIR/redis/redis.pid")" 2>/dev/null || true
  fi
  if [ -f "$DIR/mysql/mysqld.pid" ]; then
    local pid
    pid="$(cat "$DIR/mysql/mysqld.pid")"
    kill "$pid" 2>/dev/null || true
    local i
    for ((i = 0; i < 300; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
  fi
  sleep 0.2
  rm -rf "$DIR"
  log "stopped, $DIR removed"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *)
    echo "usage: $0 [start|stop]" >&2
    exit 2
    ;;
esac

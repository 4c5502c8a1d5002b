#!/usr/bin/env bash
# Runs a command with throwaway Redis and MariaDB servers on 127.0.0.1 (scripts/db-services.sh:
# installs Debian's redis-server / mariadb-server if missing), REDIS_URL and MYSQL_URL set for
# it, and stops the servers afterwards. Exits with the command's status; fails if a server
# cannot be started.
#
#   bash scripts/with-db.sh npm test
#   bash scripts/with-db.sh node --conditions=asyncio-ts-source --import tsx examples/db_job.ts
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$#" -eq 0 ]; then
  echo "usage: $0 command [args...]" >&2
  exit 2
fi
exports="$(bash scripts/db-services.sh start)"
eval "$exports"
trap 'bash scripts/db-services.sh stop || true' EXIT
echo "with-db: REDIS_URL=$REDIS_URL MYSQL_URL=$MYSQL_URL" >&2
status=0
"$@" || status=$?
exit "$status"

#!/bin/sh
# Installs what the Python contenders of the benchmark need:
#   - CPython 3.11 (Debian bookworm's python3 is 3.11) at /usr/bin/python3.11
#   - uvloop for that interpreter (Debian package python3-uvloop)
# Safe to run repeatedly: it only installs what is missing.
# The harness (bench/run.ts) never requires this: missing contenders are skipped.
set -eu

PY="${BENCH_PYTHON:-/usr/bin/python3.11}"

if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "bench/setup.sh: not root and no sudo; install python3.11 and python3-uvloop by hand" >&2
  exit 1
fi

updated=0
apt_install() {
  if [ "$updated" -eq 0 ]; then
    $SUDO apt-get update
    updated=1
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y "$@"
}

if ! [ -x "$PY" ]; then
  echo "bench/setup.sh: $PY not found, installing python3 (3.11 on Debian bookworm)"
  apt_install python3
fi

if "$PY" -c "import uvloop" >/dev/null 2>&1; then
  echo "bench/setup.sh: uvloop already importable by $PY"
else
  echo "bench/setup.sh: installing python3-uvloop"
  apt_install python3-uvloop
fi

"$PY" -c "import sys, uvloop; print('bench/setup.sh: python', sys.version.split()[0], 'uvloop', uvloop.__version__)"

#!/bin/sh
# Re-runs every conformance/NAME.py with CPython and compares it with NAME.out.
# Scripts whose first line says "# oracle: 3.13" are run with CPython 3.13 (PYENV_VERSION=3.13.0),
# the rest with /usr/bin/python3.11. Not part of `npm test` (the .out files are committed).
cd "$(dirname "$0")/../conformance" || exit 1
status=0
for f in [0-9][0-9]*_*.py; do
  b=${f%.py}
  if head -1 "$f" | grep -q "oracle: 3.13"; then
    out=$(PYENV_VERSION=3.13.0 python3 "$f" 2>&1)
  else
    out=$(/usr/bin/python3.11 "$f" 2>&1)
  fi
  if [ "$out" = "$(cat "$b.out")" ]; then echo "ok   $b"; else echo "DIFF $b"; status=1; fi
done
exit $status

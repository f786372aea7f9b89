#!/usr/bin/env bash
# The test command: install everything the tests need, then run the suite on two workers.
# Usage: bash tests/run.sh [pytest arguments]
#   bash tests/run.sh -m "not slow"          the fast loop (every area, under two minutes)
#   bash tests/run.sh tests/server -m "not slow"   one area
#   TEST_WORKERS=0 bash tests/run.sh ...     in one process (pytest-xdist off)
# Setup (.ci/setup --test: pip, Chromium, Jena, YASGUI) runs when pyproject.toml or .ci/setup
# changed since it last succeeded here, or when TEST_SETUP=1.
set -uo pipefail
cd "$(dirname "$0")/.."
stamp=.venv/.test-setup-stamp
want=$(cat pyproject.toml .ci/setup | sha256sum | cut -d' ' -f1)
if [ "${TEST_SETUP:-0}" = 1 ] || [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    bash .ci/setup --test || exit 1
    echo "$want" > "$stamp"
fi
mkdir -p test-artefacts
# keep compiled modules and pytest's rewritten test modules between runs (__pycache__, ignored by
# git): under PYTHONDONTWRITEBYTECODE (set on our hosts) each worker and each subprocess compiled
# them again, some 4 s of CPU per worker on a slow host
unset PYTHONDONTWRITEBYTECODE
# a worker takes a whole test file (or the folder sharing Virtuoso or Chromium): see
# pytest_xdist_make_scheduler in tests/conftest.py
.venv/bin/python -m pytest -q -p no:cacheprovider -n "${TEST_WORKERS:-2}" "$@"
status=$?
if [ "$status" = 5 ]; then
    echo "no tests were collected" >&2
    exit 1
fi
exit "$status"

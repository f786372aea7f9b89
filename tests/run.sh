#!/usr/bin/env bash
# The test command: install everything the tests need, then run the whole suite.
# Usage: bash tests/run.sh [pytest arguments]
set -uo pipefail
cd "$(dirname "$0")/.."
bash .ci/setup --test || exit 1
mkdir -p test-artefacts
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
status=$?
if [ "$status" = 5 ]; then
    echo "no tests were collected" >&2
    exit 1
fi
exit "$status"

#!/usr/bin/env bash
# Set up and run the whole test suite. The full-data tests need REGIODASH_MIRROR (a mirror laid
# out like shared/data); without it they are skipped and say so.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test || exit 1
.venv/bin/python -m pytest "$@"
status=$?
if [ "$status" = "5" ]; then
  echo "pytest collected no tests: that is a failure" >&2
  exit 1
fi
exit "$status"

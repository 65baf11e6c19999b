#!/usr/bin/env bash
# Set up, build the store if there is none yet, and serve the dashboard on http://127.0.0.1:8050.
# The data comes from REGIODASH_MIRROR when set (a local mirror like shared/data), else live CBS/PDOK.
# HOST=0.0.0.0 / PORT=N change where it listens. Installs only what serving needs (see setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export REGIODASH_STORE="${REGIODASH_STORE:-var/store}"
if [ ! -e "$REGIODASH_STORE/current" ]; then
  .venv/bin/regiodash build
fi
exec .venv/bin/regiodash serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8050}"

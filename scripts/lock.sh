#!/usr/bin/env bash
# Re-resolve pyproject.toml into the pinned, hashed lock files that setup, CI and the Dockerfile
# install from: requirements.lock (serving) and requirements-test.lock (serving + tests).
# Keeps the current pins where they still fit; `bash scripts/lock.sh --upgrade` moves to the newest.
# Needs uv (`pip install uv`). Resolved for every platform, Python 3.11 and newer.
set -euo pipefail
cd "$(dirname "$0")/.."
common=(--universal --python-version 3.11 --generate-hashes --custom-compile-command "bash scripts/lock.sh" "$@")
uv pip compile pyproject.toml "${common[@]}" -o requirements.lock
uv pip compile pyproject.toml --extra test "${common[@]}" -o requirements-test.lock

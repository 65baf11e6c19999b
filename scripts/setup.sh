#!/usr/bin/env bash
# Installs what regiodash needs on a fresh Debian machine, from the pinned, hashed lock files.
#   bash scripts/setup.sh        serving only: python3 + venv (apt, when root), .venv from requirements.lock
#   bash scripts/setup.sh test   also what the tests drive: chromium, nginx, redis-server (apt),
#                                .venv from requirements-test.lock
# (The load benchmarks also need wrk: apt-get install wrk.)
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-serve}"
packages=(python3 python3-venv)
lock=requirements.lock
if [ "$mode" = "test" ]; then
  packages+=(chromium nginx redis-server)
  lock=requirements-test.lock
fi

need=()
for pkg in "${packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"
  else
    echo "missing system packages: ${need[*]} (install them, or run this script as root on Debian)" >&2
    command -v python3 >/dev/null || exit 1
  fi
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
# Re-install only when the lock (or pyproject.toml) changed since the last run.
want="$(cat "$lock" pyproject.toml | sha256sum | cut -d' ' -f1)"
have="$(cat ".venv/.installed-$mode" 2>/dev/null || true)"
if [ "$want" != "$have" ]; then
  .venv/bin/python -m pip install -q --require-hashes -r "$lock"
  .venv/bin/python -m pip install -q --no-deps -e .
  echo "$want" > ".venv/.installed-$mode"
fi

#!/usr/bin/env bash
# Creates or updates Tugi's environment in .venv from the lock file (uv.lock). Idempotent.
# Sourced by scripts/demo.sh and scripts/test.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
UV_VERSION="0.13.9"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Tugi needs Python 3.11 or newer as '$PYTHON' (set PYTHON=... to choose another)." >&2
  exit 1
fi
# uv installs exactly what uv.lock pins; it lives in its own small environment under var/.
if [ ! -x var/uv/bin/uv ] || ! var/uv/bin/uv --version 2>/dev/null | grep -q "$UV_VERSION"; then
  echo "==> Installing uv $UV_VERSION (the installer that reads uv.lock)"
  mkdir -p var
  if ! "$PYTHON" -m venv var/uv >/dev/null 2>&1; then
    echo "Python's venv module is missing. On Debian: apt-get install python3-venv" >&2
    exit 1
  fi
  var/uv/bin/python -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi
echo "==> Syncing .venv with uv.lock"
# With the bytecode compiled ahead, a process starts in a fraction of the time: a machine that sets
# PYTHONDONTWRITEBYTECODE (containers, CI) would otherwise compile every module at every start, a
# second and more for each `tugi mail receive` an MTA runs.
UV_PYTHON="$PYTHON" var/uv/bin/uv sync --locked --quiet --compile-bytecode --python "$(command -v "$PYTHON")"
export PATH="$ROOT/.venv/bin:$PATH"
.venv/bin/python -m compileall -q src >/dev/null
.venv/bin/tugi compile_translations -v 0
# Front-end assets (htmx) from the npm registry, pinned by package-lock.json. Without Node every page
# still works, only without htmx's partial updates.
if command -v npm >/dev/null 2>&1; then
  if [ ! -f node_modules/htmx.org/dist/htmx.min.js ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "==> Installing front-end assets (npm ci)"
    npm ci --no-audit --no-fund --silent
  fi
else
  echo "==> Node.js/npm not found: pages work without htmx's partial updates (install nodejs and npm to add them)."
fi

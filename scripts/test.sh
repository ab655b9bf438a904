#!/usr/bin/env bash
# Sets up the same environment and runs every check: lint, the layer contracts and the whole
# test suite. Extra arguments go to pytest. DATABASE_URL=postgres://... runs it on PostgreSQL.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
echo "==> ruff"
ruff check --quiet src tests bench
echo "==> import contracts (adapters -> domain -> directory -> core)"
lint-imports --no-cache
echo "==> pytest${DATABASE_URL:+ on ${DATABASE_URL%%:*}}"
set +e
pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure." >&2
  exit 1
fi
exit "$status"

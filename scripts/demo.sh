#!/usr/bin/env bash
# Sets up Tugi on the embedded SQLite database with demo data and serves it with a task worker
# beside it. Ctrl-C stops both. PORT=8001 ./scripts/demo.sh serves on another port.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
PORT="${PORT:-8000}"
export DEBUG="${DEBUG:-true}"
export TUGI_BASE_URL="${TUGI_BASE_URL:-http://127.0.0.1:${PORT}}"  # links in mail point at this server
echo "==> Preparing the database"
tugi migrate --noinput -v 0
tugi demo_data
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM
tugi db_worker --queue-name default &
pids+=($!)
tugi periodic --loop 60 &
pids+=($!)
cat <<MSG

  Tugi runs at http://127.0.0.1:${PORT}/   (Ctrl-C stops the server, the task worker and the periodic jobs)

  Demo sign-ins (password for all: tugi-demo)
    agent       agent           specialist of the service desk
    manager     manager         service manager
    owner       owner           service-catalogue owner
    client      mari            client of Näidis OÜ
    client      jaan            representative of Näidis OÜ
    client      liis            representative of Teine AS (VIP), English
  Admin: http://127.0.0.1:${PORT}/admin/   API docs: http://127.0.0.1:${PORT}/api/v1/docs

MSG
tugi runserver --noreload "127.0.0.1:${PORT}"

#!/usr/bin/env bash
# Fresh machine -> running helpdesk with demo data on SQLite (127.0.0.1:8000).
# Re-running reuses the database, the admin and the demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export COMPTOIR_DATA_DIR="${COMPTOIR_DATA_DIR:-$PWD/var}"
mkdir -p "$COMPTOIR_DATA_DIR"
bash scripts/secret-key.sh
if [ ! -s "$COMPTOIR_DATA_DIR/admin_password" ]; then
  "$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(12))' > "$COMPTOIR_DATA_DIR/admin_password"
fi
ADMIN_EMAIL="${COMPTOIR_ADMIN_EMAIL:-admin@comptoir.localhost}"
ADMIN_PASSWORD="$(cat "$COMPTOIR_DATA_DIR/admin_password")"

echo "==> Preparing the database"
"$BIN/comptoir" migrate --noinput
"$BIN/comptoir" collectstatic --noinput -v 0
# --keep-existing: a password the admin changed in the app survives the next `make run`.
"$BIN/comptoir" createadmin --email "$ADMIN_EMAIL" --password "$ADMIN_PASSWORD" --keep-existing
echo "==> Loading demo data (skipped when present)"
"$BIN/comptoir" demo

echo "==> Starting the background worker"
"$BIN/comptoir" worker > "$COMPTOIR_DATA_DIR/worker.log" 2>&1 &
WORKER_PID=$!
trap 'kill $WORKER_PID 2>/dev/null || true' EXIT INT TERM

cat <<MSG

  Comptoir is starting on http://127.0.0.1:${COMPTOIR_PORT:-8000}/
  Sign in as: $ADMIN_EMAIL
  Password:   $ADMIN_PASSWORD  (generated at the first run; yours if you changed it since)
  (worker log: $COMPTOIR_DATA_DIR/worker.log; stop with Ctrl-C)

MSG
"$BIN/comptoir" serve --host 127.0.0.1 --port "${COMPTOIR_PORT:-8000}"

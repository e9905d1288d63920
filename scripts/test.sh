#!/usr/bin/env bash
# The whole suite: lint, the architecture contract, tests on SQLite, then again on
# PostgreSQL (and with Redis) when they are reachable. Installs what the browser and
# email tests need (Debian's chromium, dovecot) when missing and possible.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export COMPTOIR_DATA_DIR="${COMPTOIR_TEST_DATA_DIR:-$PWD/var/test}"
mkdir -p "$COMPTOIR_DATA_DIR"

bash scripts/system-deps.sh || echo "!! could not install system packages; tests that need them will be skipped"

echo "==> Lint and architecture"
"$BIN/ruff" check comptoir tests bench
"$BIN/lint-imports" --no-cache
"$BIN/mypy" comptoir

JOBS="${COMPTOIR_TEST_JOBS:-2}"
echo "==> Test suite on SQLite"
DATABASE_URL= REDIS_URL= "$BIN/python" -m pytest -n "$JOBS" -p no:cacheprovider "$@"

PG_URL="${COMPTOIR_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
if "$BIN/python" scripts/reachable.py postgres "$PG_URL"; then
  REDIS="${COMPTOIR_TEST_REDIS_URL:-redis://127.0.0.1:6379/15}"
  if "$BIN/python" scripts/reachable.py redis "$REDIS"; then export REDIS_URL="$REDIS"; else export REDIS_URL=; fi
  echo "==> Test suite on PostgreSQL (REDIS_URL=${REDIS_URL:-none})"
  DATABASE_URL="$PG_URL" "$BIN/python" -m pytest -n "$JOBS" -p no:cacheprovider "$@"
else
  echo "==> PostgreSQL not reachable: PostgreSQL run skipped"
fi

#!/usr/bin/env bash
# The whole suite: lint, the architecture contract, tests on SQLite, then again on
# PostgreSQL (and with Redis) when they are reachable. Installs what the browser and
# email tests need (Debian's chromium, dovecot) when missing and possible.
# With CI set, anything missing (system packages, PostgreSQL, Redis) fails the run
# instead of being skipped: the same rule as tests/system_deps.py for the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export COMPTOIR_DATA_DIR="${COMPTOIR_TEST_DATA_DIR:-$PWD/var/test}"
mkdir -p "$COMPTOIR_DATA_DIR"
# The settings refuse to start without a real secret key, and mypy loads them.
bash scripts/secret-key.sh

in_ci() { local ci="${CI:-}"; case "${ci,,}" in ""|0|false|no|off) return 1 ;; *) return 0 ;; esac; }
# Something the suite needs is missing: a warning on a developer's machine, a failure in CI.
missing() {
  if in_ci; then echo "!! $1 (CI is set: failing)" >&2; exit 1; fi
  echo "!! $1; $2" >&2
}

bash scripts/system-deps.sh || missing "could not install the system packages the tests need" "tests that need them will be skipped"

# Checked before the long runs, so that CI fails in seconds rather than at the end.
PG_URL="${COMPTOIR_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
REDIS="${COMPTOIR_TEST_REDIS_URL:-redis://127.0.0.1:6379/15}"
PG_UP=; REDIS_UP=
"$BIN/python" scripts/reachable.py postgres "$PG_URL" && PG_UP=1 \
  || missing "PostgreSQL (COMPTOIR_TEST_POSTGRES_URL) is not reachable" "the PostgreSQL run will be skipped"
"$BIN/python" scripts/reachable.py redis "$REDIS" && REDIS_UP=1 \
  || missing "Redis (COMPTOIR_TEST_REDIS_URL) is not reachable" "the PostgreSQL run will go without Redis"

echo "==> Lint and architecture"
"$BIN/ruff" check comptoir tests bench
"$BIN/lint-imports" --no-cache
"$BIN/python" scripts/check_writes.py
"$BIN/mypy" comptoir

JOBS="${COMPTOIR_TEST_JOBS:-2}"
echo "==> Test suite on SQLite"
DATABASE_URL= REDIS_URL= "$BIN/python" -m pytest -n "$JOBS" -p no:cacheprovider "$@"

if [ -n "$PG_UP" ]; then
  if [ -n "$REDIS_UP" ]; then export REDIS_URL="$REDIS"; else export REDIS_URL=; fi
  echo "==> Test suite on PostgreSQL (REDIS_URL=${REDIS_URL:-none})"
  DATABASE_URL="$PG_URL" "$BIN/python" -m pytest -n "$JOBS" -p no:cacheprovider "$@"
else
  echo "==> PostgreSQL not reachable: PostgreSQL run skipped"
fi

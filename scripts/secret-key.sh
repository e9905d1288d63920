#!/usr/bin/env bash
# Writes a random secret key to $COMPTOIR_DATA_DIR/secret_key once, unless COMPTOIR_SECRET_KEY
# is set. Outside development the settings refuse to start without a real key (they sign
# sessions, portal sign-in links and approval links), and mypy loads the settings too.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${COMPTOIR_DATA_DIR:?COMPTOIR_DATA_DIR must be set}"
if [ -z "${COMPTOIR_SECRET_KEY:-}" ] && [ ! -s "$COMPTOIR_DATA_DIR/secret_key" ]; then
  mkdir -p "$COMPTOIR_DATA_DIR"
  (umask 077 && .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))' > "$COMPTOIR_DATA_DIR/secret_key")
fi

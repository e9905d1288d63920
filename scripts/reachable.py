"""Exit 0 when the PostgreSQL or Redis server at the given URL answers, 1 otherwise."""

import socket
import sys
from urllib.parse import urlparse

kind, url = sys.argv[1], sys.argv[2]
parsed = urlparse(url)
port = parsed.port or (5432 if kind == "postgres" else 6379)
try:
    with socket.create_connection((parsed.hostname or "127.0.0.1", port), timeout=2):
        pass
except OSError:
    sys.exit(1)
if kind == "postgres":
    try:
        import psycopg

        psycopg.connect(url.replace("postgres://", "postgresql://", 1), connect_timeout=3).close()
    except Exception:
        sys.exit(1)
sys.exit(0)

"""Loaded with `-p tests.environment` before Django starts: environment for the test run."""

import os
import secrets

# Outside development the settings refuse to start without a real secret key; each test run
# makes its own (subprocesses started by tests inherit it).
os.environ.setdefault("COMPTOIR_SECRET_KEY", secrets.token_urlsafe(50))
# A per-process cache keeps query counts free of cache queries; tests/api/test_shared_cache.py
# proves the default (database) cache across two server processes.
os.environ.setdefault("COMPTOIR_CACHE", "memory")
# Background jobs run inline, so a test sees the effect of the job it caused.
os.environ["COMPTOIR_HUEY_IMMEDIATE"] = "true"
# The webhook tests deliver to a real HTTP server on 127.0.0.1 (the SSRF tests turn this off).
os.environ["COMPTOIR_WEBHOOK_ALLOW_PRIVATE"] = "true"

# Each xdist worker gets its own Redis database (the URL's number, minus the worker's index):
# tests that clear the cache must not wipe another worker's keys in the middle of its test.
_redis_url = os.environ.get("REDIS_URL", "")
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _redis_url and _worker.startswith("gw") and _worker[2:].isdigit():
    _base, _, _db = _redis_url.rpartition("/")
    if _db.isdigit() and _base.count("/") >= 2:
        os.environ["REDIS_URL"] = f"{_base}/{max(0, int(_db) - int(_worker[2:]))}"

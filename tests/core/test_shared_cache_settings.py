"""The cache is shared between processes by default: the database cache, or Redis when REDIS_URL is set.

A per-process cache would give each web worker its own rate-limit counters and
its own idea of who is viewing a ticket. tests/api/test_shared_cache.py shows
the default working across two real servers; these cases pin the choice itself.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent.parent

PROBE = "import json, comptoir.settings as s; print(json.dumps(s.CACHES['default']))"


def _cache_in_fresh_process(data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("COMPTOIR_") and k not in {"DATABASE_URL", "REDIS_URL"}}
    clean.update({"COMPTOIR_DATA_DIR": str(data_dir), "COMPTOIR_SECRET_KEY": os.environ["COMPTOIR_SECRET_KEY"], **env})
    return subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120)


def test_without_redis_the_cache_is_the_database_table(tmp_path):
    cache = json.loads(_cache_in_fresh_process(tmp_path).stdout)

    assert (cache["BACKEND"], cache["LOCATION"]) == ("django.core.cache.backends.db.DatabaseCache", "comptoir_cache")


def test_with_redis_the_cache_is_redis(tmp_path):
    cache = json.loads(_cache_in_fresh_process(tmp_path, REDIS_URL="redis://127.0.0.1:6379/15").stdout)

    assert (cache["BACKEND"], cache["LOCATION"]) == ("django.core.cache.backends.redis.RedisCache", "redis://127.0.0.1:6379/15")


def test_an_unknown_cache_kind_is_refused_at_start(tmp_path):
    started = _cache_in_fresh_process(tmp_path, COMPTOIR_CACHE="memcached")

    assert started.returncode != 0
    assert "COMPTOIR_CACHE must be `database` or `memory`" in started.stderr


@pytest.mark.django_db
def test_migrate_creates_the_cache_table_even_when_another_cache_is_configured():
    # The test run uses a per-process cache (or Redis), so the test runner's own
    # createcachetable has nothing to create: the table comes from core's migration.
    assert "comptoir_cache" in connection.introspection.table_names()

"""What a fresh install gets when no variable is set: the defaults docs/configuration.md promises.

Settings are read once at start-up, so each case starts a Python process with a
clean environment (only the variables under test) and reads the settings there.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

import comptoir.tickets.tasks  # noqa: F401  (registers the periodic job, as the worker's autodiscovery does)
from comptoir.huey import huey as app_huey

ROOT = Path(__file__).resolve().parent.parent.parent

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.db import connection
from django.utils.module_loading import import_string
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode") if connection.vendor == "sqlite" else cursor.execute("SELECT 'n/a'")
    journal = cursor.fetchone()[0]
huey_class = import_string(settings.HUEY["huey_class"])
print(json.dumps({
    "auto_close_days": settings.AUTO_CLOSE_SOLVED_AFTER_DAYS,
    "attachment_max_bytes": settings.ATTACHMENT_MAX_BYTES,
    "database": settings.DATABASES["default"]["ENGINE"],
    "sqlite_name": str(settings.DATABASES["default"]["NAME"]),
    "journal": journal,
    "huey_bases": [c.__name__ for c in huey_class.__mro__],
    "huey_immediate": settings.HUEY["immediate"],
    "huey_file": settings.HUEY.get("filename", ""),
}))
"""


def _settings_in_fresh_process(data_dir: Path, **env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("COMPTOIR_") and k not in {"DATABASE_URL", "REDIS_URL"}}
    # A real secret key: without one, settings refuse to start (tests/core/test_secret_key.py).
    clean.update({"COMPTOIR_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "comptoir.settings",
                  "COMPTOIR_SECRET_KEY": os.environ["COMPTOIR_SECRET_KEY"], **env})
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_fresh_install_uses_sqlite_in_wal_mode_and_a_sqlite_job_queue(tmp_path):
    seen = _settings_in_fresh_process(tmp_path)

    assert seen["database"] == "django.db.backends.sqlite3"
    assert seen["sqlite_name"] == str(tmp_path.resolve() / "comptoir.sqlite3")
    assert seen["journal"] == "wal"
    assert "SqliteHuey" in seen["huey_bases"] and "RedisHuey" not in seen["huey_bases"]
    assert seen["huey_file"] == str(tmp_path.resolve() / "huey.sqlite3")
    assert seen["huey_immediate"] is False  # the worker runs jobs; only tests run them inline


def test_solved_tickets_close_after_four_days_and_files_are_limited_to_20_mb_by_default(tmp_path):
    seen = _settings_in_fresh_process(tmp_path)

    assert seen["auto_close_days"] == 4
    assert seen["attachment_max_bytes"] == 20 * 1024 * 1024


def test_the_variables_override_the_defaults(tmp_path):
    seen = _settings_in_fresh_process(
        tmp_path, COMPTOIR_AUTO_CLOSE_DAYS="7", COMPTOIR_ATTACHMENT_MAX_BYTES="1000", REDIS_URL="redis://127.0.0.1:6379/15"
    )

    assert (seen["auto_close_days"], seen["attachment_max_bytes"]) == (7, 1000)
    assert "RedisHuey" in seen["huey_bases"]


@pytest.mark.parametrize("minute", [0, 15, 30, 45])
def test_the_worker_runs_the_auto_close_job_every_quarter_hour(minute):
    due = {task.name for task in app_huey.read_periodic(datetime(2026, 3, 2, 10, minute))}
    assert "close_solved_tickets_task" in due


def test_the_auto_close_job_does_not_run_between_quarters():
    due = {task.name for task in app_huey.read_periodic(datetime(2026, 3, 2, 10, 7))}
    assert "close_solved_tickets_task" not in due

"""Outside development Comptoir refuses to start without a secret key of its own.

The key signs sessions, portal sign-in links and approval links: with the
development key, which anyone can read in the source, anyone could sign in as
any customer. Settings are read once at start-up, so each case starts
`comptoir check` in a fresh process with only the variables under test.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def _start(data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("COMPTOIR_") and k not in {"DATABASE_URL", "REDIS_URL"}}
    clean.update({"COMPTOIR_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "comptoir.settings", **env})
    return subprocess.run([sys.executable, "-m", "comptoir", "check"], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120)


def test_without_a_key_and_without_debug_the_start_is_refused_with_how_to_set_one(tmp_path):
    started = _start(tmp_path)

    assert started.returncode != 0
    assert "ImproperlyConfigured: No secret key" in started.stderr
    assert "COMPTOIR_SECRET_KEY" in started.stderr


def test_the_development_key_is_refused_without_debug(tmp_path):
    started = _start(tmp_path, COMPTOIR_SECRET_KEY="insecure-development-key")

    assert started.returncode != 0
    assert "is a known development key" in started.stderr


def test_a_short_key_is_refused_without_debug(tmp_path):
    started = _start(tmp_path, COMPTOIR_SECRET_KEY="hunter2-hunter2")

    assert started.returncode != 0
    assert "is too weak: it needs at least 50 characters" in started.stderr


def test_the_development_key_written_to_the_key_file_is_refused_too(tmp_path):
    (tmp_path / "secret_key").write_text("insecure-development-key\n")

    started = _start(tmp_path)

    assert started.returncode != 0
    assert "is a known development key" in started.stderr


def test_a_real_key_in_the_environment_starts(tmp_path):
    started = _start(tmp_path, COMPTOIR_SECRET_KEY=secrets.token_urlsafe(50))

    assert started.returncode == 0, started.stderr
    assert "System check identified no issues" in started.stdout


def test_the_key_file_make_run_writes_starts(tmp_path):
    subprocess.run(["bash", "scripts/secret-key.sh"], cwd=ROOT, env={**os.environ, "COMPTOIR_DATA_DIR": str(tmp_path), "COMPTOIR_SECRET_KEY": ""}, check=True, timeout=60)

    started = _start(tmp_path)

    assert started.returncode == 0, started.stderr


def test_development_with_debug_on_still_starts_without_a_key(tmp_path):
    started = _start(tmp_path, COMPTOIR_DEBUG="true")

    assert started.returncode == 0, started.stderr

"""Two web workers share one cache by default: what one counts, the other sees.

`comptoir serve` runs several processes; rate limits, the "someone else is
viewing" notice and cached counts live in the Django cache. Without REDIS_URL
the default is the database cache, so two real servers started on one SQLite
file (as two workers would be) must agree. Each test talks to both over HTTP.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import pytest

# The tests use no database themselves; the mark makes pytest-django create the test database
# the servers' file is copied from.
pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
RATE_LIMIT = 3

# Migrates the file database unless it is a copy of the migrated test database, and gives an
# admin three tokens: two for the rate-limit test (a second if the minute turns), one for the replay.
PREPARE = """
import json, sys, django
django.setup()
from django.core.management import call_command
if sys.argv[1:] == ["migrate"]:
    call_command("migrate", verbosity=0)
from comptoir.api.tokens import issue_token
from comptoir.core.models import Role
from tests.factories import make_agent
admin = make_agent(role=Role.ADMIN, email="lea@example.test", name="Léa Admin")
print(json.dumps([issue_token(admin, f"script {n}")[1] for n in range(3)]))
"""


@dataclass
class TwoWorkers:
    urls: tuple[str, str]
    tokens: list[str]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited early: {log.read_text(errors='replace')[-2000:]}")
        try:
            urllib.request.urlopen(url + "/api/v1/docs", timeout=2)
            return
        except urllib.error.HTTPError:
            return  # it answered
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise RuntimeError(f"no answer on {url} within {timeout:.0f}s")


def _copy_of_the_migrated_test_database(target: Path, django_db_blocker) -> bool:
    """Copy this run's migrated SQLite test database to `target` (faster than migrating again).

    The suite runs with a per-process cache (COMPTOIR_CACHE=memory), so the test database's
    cache table comes from core's migration, not from the test runner's createcachetable.
    """
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor != "sqlite":
            return False
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
    return True


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory, django_db_setup, django_db_blocker) -> Iterator[TwoWorkers]:
    data_dir = tmp_path_factory.mktemp("shared-cache")
    copied = _copy_of_the_migrated_test_database(data_dir / "comptoir.sqlite3", django_db_blocker)
    env = {k: v for k, v in os.environ.items() if k != "COMPTOIR_CACHE"}  # the default cache, not the tests' own
    env.update({
        "DJANGO_SETTINGS_MODULE": "comptoir.settings",
        "DATABASE_URL": "",
        "REDIS_URL": "",
        "COMPTOIR_DATA_DIR": str(data_dir),
        "COMPTOIR_SQLITE_PATH": str(data_dir / "comptoir.sqlite3"),
        "COMPTOIR_HUEY_IMMEDIATE": "false",
        "COMPTOIR_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "COMPTOIR_API_RATE_LIMIT": str(RATE_LIMIT),
    })
    servers: list[subprocess.Popen[bytes]] = []
    urls: list[str] = []
    try:
        # Started first: they boot while the tokens are made (they touch the database only on requests).
        for n in range(2):
            port = _free_port()
            with open(data_dir / f"server-{n}.log", "wb") as log:
                servers.append(subprocess.Popen(
                    [sys.executable, "-m", "comptoir", "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1", "--threads", "2"],
                    cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True,
                ))
            urls.append(f"http://127.0.0.1:{port}")
        prepared = subprocess.run([sys.executable, "-c", PREPARE, *([] if copied else ["migrate"])], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert prepared.returncode == 0, prepared.stderr
        tokens = json.loads(prepared.stdout.strip().splitlines()[-1])
        for n, (url, server) in enumerate(zip(urls, servers, strict=True)):
            _wait_until_up(url, server, data_dir / f"server-{n}.log")
        yield TwoWorkers(urls=(urls[0], urls[1]), tokens=tokens)
    finally:
        for server in servers:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGTERM)  # the server and the worker it started
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait(timeout=10)


def _call(url: str, token: str, method: str = "GET", body: dict | None = None, headers: dict[str, str] | None = None) -> tuple[int, Message, bytes]:
    request = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body is not None else None)
    request.add_header("Authorization", f"Bearer {token}")
    if body is not None:
        request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_a_rate_limit_spent_on_one_worker_holds_on_the_other(two_workers):
    first, second = two_workers.urls
    # The budget is counted per minute; should the minute turn mid-test, start again with a fresh token.
    for token in two_workers.tokens[:2]:
        window = int(time.time() // 60)
        answers = [_call(f"{first}/api/v1/tickets", token)[0] for _ in range(RATE_LIMIT)]
        over_budget = _call(f"{second}/api/v1/tickets", token)
        if int(time.time() // 60) == window:
            break

    assert answers == [200] * RATE_LIMIT
    assert over_budget[0] == 429
    assert int(over_budget[1]["Retry-After"]) >= 1


def test_an_idempotent_create_replayed_on_the_other_worker_opens_no_second_ticket(two_workers):
    first, second = two_workers.urls
    token = two_workers.tokens[2]
    ticket = {"subject": "Card payment refused", "contact": {"email": "pay@example.test"}}
    key = {"Idempotency-Key": "order-2026-0042"}

    created = _call(f"{first}/api/v1/tickets", token, "POST", ticket, key)
    replayed = _call(f"{second}/api/v1/tickets", token, "POST", ticket, key)

    assert (created[0], replayed[0]) == (201, 201)
    assert replayed[2] == created[2]
    assert replayed[1].get("Idempotent-Replayed") == "true"
    listed = json.loads(_call(f"{second}/api/v1/tickets", token)[2])
    assert [t["id"] for t in listed["results"]] == [json.loads(created[2])["id"]]

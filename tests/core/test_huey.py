"""Background jobs really go through a queue: enqueue, dequeue and execute like the worker does.

The suite runs Huey in immediate mode; these tests build a real (non-immediate)
queue on the storage production uses — Redis when REDIS_URL is set, SQLite
otherwise — and drain it with the consumer's own dequeue()/execute() steps.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from huey import RedisHuey, SqliteHuey

from comptoir.huey import huey as app_huey
from comptoir.tickets.models import Ticket
from comptoir.tickets.tasks import close_solved_tickets_task
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def _redis_url() -> str | None:
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return None
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except (redis.exceptions.RedisError, OSError):
        return None
    return url


def _drain(queue) -> int:
    """What the consumer does in its loop, without threads: take a task, run it, until empty."""
    done = 0
    while (task := queue.dequeue()) is not None:
        queue.execute(task)
        done += 1
    return done


def _queue_and_run_auto_close(queue):
    """Register the real auto-close job on `queue`, enqueue it, and run it as the worker would."""
    job = queue.task(name="close_solved_tickets")(close_solved_tickets_task.func)
    with time_machine.travel(timezone.now() - timedelta(days=10)):
        ticket = make_ticket(status="solved")
    result = job()
    assert len(queue) == 1  # queued, not run
    assert Ticket.objects.get(pk=ticket.pk).status_category == "solved"
    assert _drain(queue) == 1
    assert result.get() == 1  # the return value travelled back through the result store
    assert Ticket.objects.get(pk=ticket.pk).status_category == "closed"
    assert len(queue) == 0


def test_tests_run_the_app_queue_in_immediate_mode():
    assert app_huey.immediate


def _configured_class() -> type:
    return import_string(settings.HUEY["huey_class"])


def test_redis_is_the_queue_when_redis_url_is_set_and_sqlite_otherwise():
    if getattr(settings, "REDIS_URL", ""):
        assert issubclass(_configured_class(), RedisHuey)
        assert settings.HUEY["url"] == settings.REDIS_URL
    else:
        assert issubclass(_configured_class(), SqliteHuey)


@pytest.mark.redis
def test_a_task_enqueued_on_redis_runs_through_dequeue_and_execute():
    url = _redis_url()
    if url is None:
        pytest.skip("REDIS_URL not set or Redis not reachable")
    queue = RedisHuey(f"comptoir-test-{uuid.uuid4().hex}", url=url, immediate=False)
    try:
        _queue_and_run_auto_close(queue)
    finally:
        queue.storage.flush_all()


def test_a_task_enqueued_on_sqlite_runs_through_dequeue_and_execute(tmp_path):
    configured = _configured_class()
    queue_class = configured if issubclass(configured, SqliteHuey) else SqliteHuey
    queue = queue_class("comptoir-test", filename=str(tmp_path / "huey.sqlite3"), immediate=False)
    _queue_and_run_auto_close(queue)

"""core.hooks: events reach subscribers only after commit, and one failing subscriber harms no other."""

from __future__ import annotations

import pytest
from django.db import transaction

from comptoir.core import hooks
from tests.factories import capture_events

pytestmark = pytest.mark.django_db


def test_emitted_event_reaches_subscribers_after_commit(django_capture_on_commit_callbacks):
    with capture_events("thing.happened") as seen:
        with django_capture_on_commit_callbacks(execute=True):
            hooks.emit(hooks.Event("thing.happened", ticket_id=7, data={"x": 1}))
            assert seen == []
        assert seen == [hooks.Event("thing.happened", ticket_id=7, data={"x": 1})]


def test_a_rolled_back_transaction_emits_nothing(django_capture_on_commit_callbacks):
    with capture_events("thing.happened") as seen:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            try:
                with transaction.atomic():
                    hooks.emit(hooks.Event("thing.happened"))
                    raise RuntimeError("boom")
            except RuntimeError:
                pass
        assert callbacks == []
        assert seen == []


def test_wildcard_subscribers_see_every_kind():
    with capture_events("*") as everything, capture_events("a") as only_a:
        hooks.dispatch(hooks.Event("a"))
        hooks.dispatch(hooks.Event("b"))
    assert [e.kind for e in everything] == ["a", "b"]
    assert [e.kind for e in only_a] == ["a"]


def test_a_failing_subscriber_is_logged_and_the_others_still_run(caplog):
    def broken(event: hooks.Event) -> None:
        raise ValueError("subscriber bug")

    hooks.subscribe("thing.happened", broken)
    try:
        with capture_events("thing.happened") as seen:
            hooks.dispatch(hooks.Event("thing.happened"))
    finally:
        hooks.unsubscribe("thing.happened", broken)
    assert len(seen) == 1
    assert "broken" in caplog.text and "thing.happened" in caplog.text


def test_subscribing_twice_calls_once():
    calls = []

    def count(event: hooks.Event) -> None:
        calls.append(event)

    hooks.subscribe("once", count)
    hooks.subscribe("once", count)
    try:
        hooks.dispatch(hooks.Event("once"))
    finally:
        hooks.unsubscribe("once", count)
    assert len(calls) == 1
    hooks.dispatch(hooks.Event("once"))
    assert len(calls) == 1

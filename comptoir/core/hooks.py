"""Explicit publish/subscribe between apps: actions emit, subscribers react after commit.

No Django signals: subscribers are registered by name in an AppConfig.ready(), so
reading `subscribe(...)` calls shows every reaction to an event.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    """Something that happened: `kind` like "ticket.created", ids and details in `data`."""

    kind: str
    ticket_id: int | None = None
    actor_kind: str = "system"
    actor_id: int | None = None
    data: dict[str, Any] = field(default_factory=dict)


Subscriber = Callable[[Event], None]
_subscribers: dict[str, list[Subscriber]] = defaultdict(list)


def subscribe(kind: str, fn: Subscriber) -> None:
    """Register fn for events of `kind` ("*" for all). Registering twice is a no-op."""
    if fn not in _subscribers[kind]:
        _subscribers[kind].append(fn)


def unsubscribe(kind: str, fn: Subscriber) -> None:
    if fn in _subscribers[kind]:
        _subscribers[kind].remove(fn)


def dispatch(event: Event) -> None:
    """Call the subscribers now. A failing subscriber is logged and never blocks the others."""
    for fn in [*_subscribers.get(event.kind, []), *_subscribers.get("*", [])]:
        try:
            fn(event)
        except Exception:
            logger.exception("Subscriber %s failed on %s", getattr(fn, "__name__", fn), event.kind)


def emit(event: Event) -> None:
    """Publish after the current transaction commits, so subscribers see committed data."""
    transaction.on_commit(lambda: dispatch(event))


@contextmanager
def muted(keep: Callable[[Subscriber], bool] = lambda fn: False) -> Iterator[None]:
    """Silence subscribers for a block (bulk loads such as the demo), keeping those `keep` accepts.

    Every subscriber is back in its place afterwards, even when the block fails.
    """
    saved = {kind: list(fns) for kind, fns in _subscribers.items()}
    for fns in _subscribers.values():
        fns[:] = [fn for fn in fns if keep(fn)]
    try:
        yield
    finally:
        for kind, fns in saved.items():
            _subscribers[kind][:] = fns

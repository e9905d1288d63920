"""The core.hooks subscriber that turns published events into webhook deliveries."""

from __future__ import annotations

from comptoir.api.webhooks.delivery import EVENTS, queue_event
from comptoir.core.hooks import Event, subscribe


def on_event(event: Event) -> None:
    queue_event(event)


def register() -> None:
    for kind in sorted(EVENTS):
        subscribe(kind, on_event)

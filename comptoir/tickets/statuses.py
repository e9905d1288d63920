"""Looking up statuses: each category has a default status, cached per process.

Every ticket creation and reopening needs one, so it must not cost a query.
The cache holds the Status rows themselves for a short time: an admin's change
made in another process shows within STATUS_CACHE_SECONDS, and at once in the
process that made it (the status endpoints call forget_cached_statuses()).
"""

from __future__ import annotations

import time

from comptoir.tickets.models import Status, StatusCategory

STATUS_CACHE_SECONDS = 30.0

_defaults: dict[str, tuple[Status, float]] = {}


def default_status(category: str) -> Status:
    """The status a ticket gets when it moves to `category` without a named status."""
    cached = _defaults.get(category)
    now = time.monotonic()
    if cached is not None and cached[1] > now:
        return cached[0]
    status = (
        Status.objects.filter(category=category, active=True).order_by("-is_default", "position", "id").first()
    )
    if status is None:
        status = Status.objects.create(name=str(StatusCategory(category).label), category=category, is_default=True)
    _defaults[category] = (status, now + STATUS_CACHE_SECONDS)
    return status


def forget_cached_statuses() -> None:
    """Drop the cache after statuses change, so this process sees the change at once."""
    _defaults.clear()

"""Looking up statuses: each category has a default status, cached per process.

Every ticket creation and reopening needs one, so it must not cost a query;
see comptoir.core.process_cache for how long a change takes to show.
"""

from __future__ import annotations

from comptoir.core.process_cache import process_cached
from comptoir.tickets.models import Status, StatusCategory

STATUS_CACHE_SECONDS = 30.0


class MissingStatus(LookupError):
    """No active status in a category: the seed migration's rows are gone (a flushed test
    database, rows deleted by hand). tickets.actions.restore_default_statuses puts them back."""


@process_cached(STATUS_CACHE_SECONDS)
def default_status(category: str) -> Status:
    """The status a ticket gets when it moves to `category` without a named status.

    Only reads: the rows come from migration 0002 and the catalog actions, which
    keep one active status per category (a getter that wrote would create rows
    outside any transaction's intent, with no actor and no history).
    """
    status = (
        Status.objects.filter(category=category, active=True).order_by("-is_default", "position", "id").first()
    )
    if status is None:
        raise MissingStatus(f"No active status in category {StatusCategory(category).value!r}; "
                            "run tickets.actions.restore_default_statuses.")
    return status


def forget_cached_statuses() -> None:
    """Drop the cache after statuses change, so this process sees the change at once."""
    default_status.clear()

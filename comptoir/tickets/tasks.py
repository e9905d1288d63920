"""Periodic ticket jobs run by the worker."""

from __future__ import annotations

from huey import crontab

from comptoir.huey import huey
from comptoir.tickets.actions import close_solved_tickets


@huey.periodic_task(crontab(minute="*/15"))
def close_solved_tickets_task() -> int:
    """Close solved tickets past the auto-close delay; cheap when nothing is due."""
    return close_solved_tickets()

"""Looking up statuses: each category has a default status, cached per process."""

from __future__ import annotations

from comptoir.tickets.models import Status, StatusCategory

_defaults: dict[str, int] = {}


def default_status(category: str) -> Status:
    """The status a ticket gets when it moves to `category` without a named status."""
    status_id = _defaults.get(category)
    if status_id is not None:
        status = Status.objects.filter(pk=status_id).first()
        if status is not None:
            return status
    status = (
        Status.objects.filter(category=category, active=True).order_by("-is_default", "position", "id").first()
    )
    if status is None:
        status = Status.objects.create(name=str(StatusCategory(category).label), category=category, is_default=True)
    _defaults[category] = status.pk
    return status


def forget_cached_statuses() -> None:
    _defaults.clear()

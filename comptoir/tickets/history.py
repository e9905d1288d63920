"""record(...): the only code that writes TicketEvent rows.

Actions call it inside their transaction so a change and its history land together.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from comptoir.core.actors import ActorKind, actor_kind, actor_label
from comptoir.tickets.models import Ticket, TicketEvent


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "pk"):
        return {"id": value.pk, "name": str(value)}
    if isinstance(value, (set, frozenset, tuple)):
        return sorted(_jsonable(v) for v in value)
    return value


def build(
    ticket: Ticket,
    kind: str,
    *,
    actor: Any,
    via: str = "",
    field: str = "",
    old: Any = None,
    new: Any = None,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> TicketEvent:
    kind_of_actor = actor_kind(actor)
    return TicketEvent(
        ticket=ticket,
        kind=kind,
        actor_kind=kind_of_actor,
        actor_agent=actor if kind_of_actor == ActorKind.AGENT else None,
        actor_contact=actor if kind_of_actor == ActorKind.CONTACT else None,
        actor_label=actor_label(actor)[:200],
        via=via or "",
        field=field,
        old_value=_jsonable(old),
        new_value=_jsonable(new),
        data=data or {},
        created_at=at or timezone.now(),
    )


def record(ticket: Ticket, kind: str, **kwargs: Any) -> TicketEvent:
    """Write one history entry for `ticket` (who, what, old -> new, when)."""
    event = build(ticket, kind, **kwargs)
    event.save(force_insert=True)
    return event


def record_many(events: list[TicketEvent]) -> None:
    """Write several entries built with build() in one statement."""
    if events:
        TicketEvent.objects.bulk_create(events)

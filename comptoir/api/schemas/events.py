"""Ticket history entries (agents only)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from comptoir.tickets.models import TicketEvent


class EventActor(BaseModel):
    kind: str
    id: int | None = None
    label: str


class EventOut(BaseModel):
    id: int
    kind: str
    actor: EventActor
    via: str
    field: str
    old_value: Any = None
    new_value: Any = None
    data: dict[str, Any]
    created_at: datetime


def event_out(e: TicketEvent) -> dict[str, Any]:
    return {
        "id": e.pk,
        "kind": e.kind,
        "actor": {"kind": e.actor_kind, "id": e.actor_agent_id or e.actor_contact_id, "label": e.actor_label},
        "via": e.via,
        "field": e.field,
        "old_value": e.old_value,
        "new_value": e.new_value,
        "data": e.data or {},
        "created_at": e.created_at,
    }

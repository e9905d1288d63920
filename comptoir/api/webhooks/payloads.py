"""What a webhook says about an event: the event, when, and the ticket (and message) as agents see them.

Internal notes are left out unless the subscription opted into internal events.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.utils import timezone

from comptoir.api.schemas.messages import message_for_agent
from comptoir.api.schemas.tickets import ticket_for_agent
from comptoir.contacts.models import ContactIdentity
from comptoir.core.hooks import Event
from comptoir.tickets.models import Message, Ticket


def load_ticket(ticket_id: int | None) -> Ticket | None:
    if ticket_id is None:
        return None
    return (
        Ticket.objects.select_related("status", "contact", "assignee", "group", "department", "account", "product")
        .prefetch_related("tags", Prefetch("contact__identities", queryset=ContactIdentity.objects.order_by("-is_primary", "id")))
        .filter(pk=ticket_id)
        .first()
    )


def load_message(message_id: int | None) -> Message | None:
    if message_id is None:
        return None
    return Message.objects.select_related("author_agent", "author_contact").prefetch_related("attachments").filter(pk=message_id).first()


def event_data(event: Event, ticket: Ticket | None, message: Message | None) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if ticket is not None:
        data["ticket"] = ticket_for_agent(ticket)
    elif event.kind == "ticket.deleted":
        # The ticket is gone: the event carries what identified it.
        data["ticket"] = event.data.get("ticket")
    if message is not None:
        data["message"] = message_for_agent(message)
    if event.kind == "ticket.updated":
        data["changes"] = {k: v for k, v in event.data.items() if k != "assignee_id"}
    for key in ("rating", "comment"):
        if key in event.data:
            data[key] = event.data[key]
    data["actor"] = {"kind": event.actor_kind, "id": event.actor_id}
    return data


def encode(kind: str, data: dict[str, Any], event_id: str | None = None) -> tuple[str, str]:
    """(event id, body): the exact JSON text that is signed and sent, identical on every retry."""
    event_id = event_id or str(uuid.uuid4())
    body = {"id": event_id, "event": kind, "created_at": timezone.now(), "data": data}
    return event_id, json.dumps(body, cls=DjangoJSONEncoder, separators=(",", ":"), sort_keys=True)

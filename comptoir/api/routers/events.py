"""/api/v1/tickets/{id}/events: the ticket's history, for agents."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from comptoir.api.access import agent_of, visible_ticket
from comptoir.api.pagination import SortKey, keyset_page, next_url
from comptoir.api.schemas.common import ERRORS, page_of
from comptoir.api.schemas.events import EventOut, event_out
from comptoir.tickets.models import TicketEvent

router = Router()


class Page(Schema):
    limit: int = Field(50, ge=1, le=100)
    cursor: str | None = None


@router.get("/{int:ticket_id}/events", response={200: page_of(EventOut), **ERRORS}, url_name="list_events", summary="A ticket's history")
def list_events(request: HttpRequest, ticket_id: int, page: Query[Page]) -> Any:
    """Oldest first: who changed what, old -> new, when. Customers get 403."""
    agent_of(request, "ticket.view")
    ticket = visible_ticket(request, ticket_id)
    keys = [SortKey("created_at"), SortKey("id")]
    rows, cursor = keyset_page(TicketEvent.objects.filter(ticket=ticket), keys, page.cursor, page.limit, tag="events")
    return {"results": [event_out(e) for e in rows], "next": next_url(request, cursor)}

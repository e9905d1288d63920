"""/api/v1/tickets/{id}/resolution, and what the casework routers share.

Casework (approvals, resolution, activities, time) is agents' work: a contact's
token gets 403 on every casework endpoint, and a ticket outside the caller's
scope is 404. Routers only parse and render; every change is a casework action.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from comptoir.api.access import VIA, agent_of, visible_ticket
from comptoir.api.schemas.casework import ResolutionIn, ResolutionOut, resolution_out
from comptoir.api.schemas.common import ERRORS
from comptoir.casework import actions
from comptoir.casework.models import Resolution
from comptoir.core.errors import NotFound
from comptoir.core.models import Agent
from comptoir.tickets.models import Ticket

router = Router()


def agent_and_ticket(request: HttpRequest, ticket_id: int, capability: str | None = None) -> tuple[Agent, Ticket]:
    """The calling agent (contacts: 403) and the ticket if they may see it (404 otherwise)."""
    agent = agent_of(request, capability)
    return agent, visible_ticket(request, ticket_id)


def _resolution(ticket: Ticket) -> Resolution | None:
    return Resolution.objects.select_related("updated_by").filter(ticket=ticket).first()


@router.get("/tickets/{int:ticket_id}/resolution", response={200: ResolutionOut, **ERRORS},
            url_name="get_resolution", summary="Get a ticket's resolution")
def get_resolution(request: HttpRequest, ticket_id: int) -> Any:
    """404 while no resolution has been written."""
    _agent, ticket = agent_and_ticket(request, ticket_id)
    resolution = _resolution(ticket)
    if resolution is None:
        raise NotFound(_("This ticket has no resolution yet."))
    return resolution_out(resolution)


@router.put("/tickets/{int:ticket_id}/resolution", response={200: ResolutionOut, **ERRORS},
            url_name="save_resolution", summary="Write or replace a ticket's resolution")
def save_resolution(request: HttpRequest, ticket_id: int, data: ResolutionIn) -> Any:
    """The history keeps every earlier text. `publish` also creates a draft knowledge-base article."""
    agent, ticket = agent_and_ticket(request, ticket_id)
    actions.save_resolution(ticket, data.text, actor=agent, via=VIA, email_contact=data.email_contact)
    if data.publish:
        actions.publish_resolution_to_knowledge_base(ticket, actor=agent, via=VIA)
    return resolution_out(_resolution(ticket))  # type: ignore[arg-type]

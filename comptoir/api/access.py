"""The caller as an actor, and the checks routers make before calling an action or a query."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from comptoir.contacts.models import Contact
from comptoir.core.errors import NotFound
from comptoir.core.models import Agent
from comptoir.core.permissions import PermissionDenied, require
from comptoir.tickets.models import Ticket
from comptoir.tickets.queries import visible_tickets

VIA = "api"


def actor_of(request: HttpRequest) -> Agent | Contact:
    return request.auth  # type: ignore[attr-defined,no-any-return]


def is_contact(actor: Any) -> bool:
    return isinstance(actor, Contact)


def agent_of(request: HttpRequest, capability: str | None = None) -> Agent:
    """The calling agent (contacts get 403), holding `capability` when one is named."""
    actor = actor_of(request)
    if not isinstance(actor, Agent):
        raise PermissionDenied(_("Only agents can use this endpoint."))
    if capability:
        require(actor, capability)
    return actor


def visible_ticket(request: HttpRequest, ticket_id: int, **related: Any) -> Ticket:
    """The ticket if the caller may see it; 404 otherwise, so hidden tickets do not leak."""
    actor = actor_of(request)
    qs = visible_tickets(actor, include_archived=True).select_related("status", "contact", "assignee", "group", "department", "account", "product")
    ticket = qs.filter(pk=ticket_id).first()
    if ticket is None:
        raise NotFound(_("Ticket not found."))
    return ticket

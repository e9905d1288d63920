"""Loading one ticket for the workspace, always through the visibility rule (404 otherwise)."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from comptoir.tickets import queries
from comptoir.tickets.models import Ticket


def visible_ticket_or_404(request: HttpRequest, number: int) -> Ticket:
    """The ticket #number if the signed-in agent may see it; Http404 otherwise (never 403: no leak)."""
    ticket = (
        queries.visible_tickets(request.user, include_archived=True)
        .select_related(
            "status", "contact", "account", "assignee", "group", "department", "product", "category", "subcategory",
            "merged_into",
        )
        .prefetch_related("tags")
        .filter(number=number)
        .first()
    )
    if ticket is None:
        raise Http404
    return ticket

"""Bulk actions on selected tickets: each ticket goes through the ticket actions on its own.

One refused ticket (permission, validation, not visible) never stops the others;
the result says what happened to each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from comptoir.core.errors import ActionError, PermissionDenied
from comptoir.core.models import Agent
from comptoir.tickets import actions, queries
from comptoir.tickets.models import Ticket

BULK_ACTIONS = {
    "assign": gettext_lazy("Assign"),
    "status": gettext_lazy("Change status"),
    "priority": gettext_lazy("Change priority"),
    "add_tags": gettext_lazy("Add tags"),
    "remove_tags": gettext_lazy("Remove tags"),
    "merge": gettext_lazy("Merge into"),
}
VIA = "web"


@dataclass
class BulkResult:
    updated: list[Ticket] = field(default_factory=list)
    refused: list[tuple[Any, str]] = field(default_factory=list)  # (ticket number or "", reason)


def _one(ticket: Ticket, action: str, params: dict[str, Any], agent: Agent) -> None:
    if action == "assign":
        actions.assign_ticket(ticket, assignee=params["assignee"], actor=agent, via=VIA)
    elif action == "status":
        actions.update_ticket(ticket, {"status": params["status"]}, actor=agent, via=VIA)
    elif action == "priority":
        actions.update_ticket(ticket, {"priority": params["priority"]}, actor=agent, via=VIA)
    elif action == "add_tags":
        actions.add_tags(ticket, params["tags"], actor=agent, via=VIA)
    elif action == "remove_tags":
        actions.remove_tags(ticket, params["tags"], actor=agent, via=VIA)
    elif action == "merge":
        actions.merge_tickets(ticket, params["target"], actor=agent, via=VIA)
    else:  # pragma: no cover - the form only offers known actions
        raise ValueError(action)


def apply_bulk(agent: Agent, ticket_ids: list[int], action: str, params: dict[str, Any]) -> BulkResult:
    """Run `action` on each selected ticket the agent can see, collecting per-ticket refusals.

    Ids the agent cannot see are refused as not found (their existence does not
    leak). For a merge, the target itself is skipped among the selected.
    """
    result = BulkResult()
    found = {t.pk: t for t in queries.visible_tickets(agent).filter(pk__in=ticket_ids).select_related("status")}
    target = params.get("target")
    for ticket_id in ticket_ids:
        ticket = found.get(ticket_id)
        if ticket is None:
            result.refused.append(("", _("A selected ticket was not found.")))
            continue
        if action == "merge" and target is not None and ticket.pk == target.pk:
            continue
        try:
            _one(ticket, action, params, agent)
        except PermissionDenied:
            result.refused.append((ticket.number, _("You are not allowed to do this.")))
        except ActionError as exc:
            result.refused.append((ticket.number, exc.message))
        else:
            result.updated.append(ticket)
    return result

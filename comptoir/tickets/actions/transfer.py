"""Deactivating an agent with their open tickets handed over: to a colleague, to a group, or to nobody.

Lives with the tickets (core cannot reach them): each ticket moves through
`assign_ticket`, so the handover is checked, written in the ticket's history and
announced like any assignment; then core's `deactivate_agent` applies the team
rules (not yourself, not the last owner). One transaction: either the agent is
deactivated and their open tickets moved, or nothing changes. Solved and closed
tickets keep their assignee: they record who did the work.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from comptoir.core import actions as team
from comptoir.core.errors import ValidationFailed
from comptoir.core.history import record_change
from comptoir.core.models import Agent, Group
from comptoir.core.permissions import require
from comptoir.tickets.actions.update import assign_ticket
from comptoir.tickets.models import StatusCategory, Ticket

FINISHED = (StatusCategory.SOLVED, StatusCategory.CLOSED)


def open_tickets_of(agent: Agent) -> Any:
    """The tickets still in progress assigned to `agent` (what a handover moves)."""
    return Ticket.objects.filter(assignee=agent, archived_at__isnull=True).exclude(status_category__in=FINISHED)


@transaction.atomic
def deactivate_agent_with_handover(
    agent: Agent, *, to_agent: Agent | None = None, to_group: Group | None = None, actor: Any, via: str = ""
) -> int:
    """Deactivate `agent`; their open tickets go to `to_agent`, or unassigned into `to_group`, or just unassigned.

    Returns how many tickets moved.
    """
    require(actor, "admin.agents", agent)
    if to_agent is not None and to_group is not None:
        raise ValidationFailed(_("Choose an agent or a group, not both."), {"transfer_to": "invalid"})
    if to_agent is not None and (to_agent.pk == agent.pk or not to_agent.is_active):
        raise ValidationFailed(_("Choose an active colleague to take over the tickets."), {"transfer_to": "invalid"})
    team.deactivate_agent(agent, actor=actor, via=via)
    moved = 0
    for ticket in open_tickets_of(agent).select_for_update().order_by("pk"):
        assign_ticket(ticket, assignee=to_agent, group=to_group, actor=actor, via=via)
        moved += 1
    if moved:
        record_change("agent.tickets_transferred", agent, actor=actor, via=via,
                      after={"tickets": moved, "to": str(to_agent or to_group or _("nobody"))})
    return moved

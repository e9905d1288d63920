"""What each ticket tab partial (casework/tabs/<name>.html) needs, in a constant number of queries."""

from __future__ import annotations

from typing import Any

from comptoir.casework import queries
from comptoir.casework.models import (
    ActivityKind,
    CallDirection,
    ReminderChannel,
    Resolution,
    RunningTimer,
    TimeEntry,
)
from comptoir.core.models import Agent
from comptoir.core.permissions import agents_with
from comptoir.tickets.models import Status, Ticket
from comptoir.tickets.queries import agents_who_see

TABS = ("approval", "resolution", "activities", "time")


def tab_context(name: str, ticket: Ticket, user: Any) -> dict[str, Any]:
    """Context for the `name` tab of `ticket`; callers have already checked visibility."""
    context: dict[str, Any] = {"ticket": ticket, "user": user}
    if name == "approval":
        context["approval"] = queries.approval_state(ticket)
        # Only those who may decide and can see the ticket: the action refuses anyone else.
        context["approvers"] = agents_who_see(ticket).filter(agents_with("approval.decide"))
        context["statuses"] = Status.objects.filter(active=True).order_by("position", "name")
    elif name == "resolution":
        context["resolution"] = Resolution.objects.filter(ticket=ticket).first()
    elif name == "activities":
        context["activities"] = list(queries.ticket_activities(ticket))
        context["kinds"], context["directions"], context["channels"] = ActivityKind.choices, CallDirection.choices, ReminderChannel.choices
        # Who an activity can be given to: the action refuses anyone who cannot see the ticket.
        context["owners"] = agents_who_see(ticket).order_by("name", "pk").only("pk", "name", "email")
    elif name == "time":
        context["entries"] = list(TimeEntry.objects.filter(ticket=ticket).select_related("agent").order_by("-date", "-pk"))
        context["totals"] = queries.ticket_time_total(ticket)
        context["timer"] = RunningTimer.objects.filter(agent=user).first() if isinstance(user, Agent) else None
    else:
        raise ValueError(f"unknown casework tab {name!r}")
    return context

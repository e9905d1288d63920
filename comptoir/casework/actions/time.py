"""Time spent on tickets: manual entries and the per-agent start/stop timer."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from comptoir.casework.models import RunningTimer, TimeEntry
from comptoir.core.errors import Conflict, NotFound, ValidationFailed
from comptoir.core.hooks import Event, emit
from comptoir.core.models import Agent
from comptoir.tickets import history
from comptoir.tickets.actions.guards import ensure_allowed
from comptoir.tickets.models import Ticket

MAX_MINUTES = 24 * 60


def log_time(
    ticket: Ticket, minutes: int, *, actor: Any, via: str, on: date | None = None, billable: bool = True,
    note: str = "", agent: Agent | None = None, email_contact: bool = False,
) -> TimeEntry:
    """Record `minutes` (1..1440) spent by `agent` (default: the actor) on `ticket`."""
    ensure_allowed(actor, "ticket.note", ticket)
    agent = agent or actor
    if not isinstance(agent, Agent):
        raise ValidationFailed(_("Time is logged for an agent."), {"agent": "required"})
    if agent.pk != getattr(actor, "pk", None):
        ensure_allowed(actor, "ticket.update", ticket)
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        minutes = 0
    if not 1 <= minutes <= MAX_MINUTES:
        raise ValidationFailed(_("Enter a duration between 1 minute and 24 hours."), {"minutes": "out_of_range"})
    with transaction.atomic():
        entry = TimeEntry.objects.create(ticket=ticket, agent=agent, date=on or timezone.localdate(),
                                         minutes=minutes, billable=bool(billable), note=(note or "").strip()[:500])
        history.record(ticket, "time_logged", actor=actor, via=via,
                       data={"entry_id": entry.pk, "minutes": minutes, "billable": entry.billable, "agent_id": agent.pk})
        emit(Event("time.logged", ticket_id=ticket.pk, data={"entry_id": entry.pk}))
        if email_contact:
            transaction.on_commit(lambda: _enqueue_time_email(entry.pk))
    return entry


def _enqueue_time_email(entry_id: int) -> None:
    from comptoir.casework.tasks import send_time_entry_email

    send_time_entry_email(entry_id)


def start_timer(ticket: Ticket, *, actor: Agent, via: str) -> RunningTimer:
    """Start the actor's timer on `ticket`; Conflict when one is already running."""
    ensure_allowed(actor, "ticket.note", ticket)
    try:
        with transaction.atomic():
            return RunningTimer.objects.create(agent=actor, ticket=ticket, started_at=timezone.now())
    except IntegrityError:
        raise Conflict(_("You already have a timer running.")) from None


def stop_timer(*, actor: Agent, via: str, billable: bool = True, note: str = "") -> TimeEntry:
    """Stop the actor's timer and log its minutes (rounded up, at least one)."""
    with transaction.atomic():
        timer = RunningTimer.objects.select_for_update().select_related("ticket").filter(agent=actor).first()
        if timer is None:
            raise Conflict(_("No timer is running."))
        minutes = max(1, math.ceil((timezone.now() - timer.started_at).total_seconds() / 60))
        timer.delete()
        return log_time(timer.ticket, min(minutes, MAX_MINUTES), actor=actor, via=via, billable=billable,
                        note=note, on=timezone.localdate(timer.started_at))


def delete_time_entry(entry: TimeEntry, *, actor: Any, via: str) -> None:
    """Remove a time entry logged by mistake; the history keeps what it said.

    An agent may delete their own entries; someone else's needs `ticket.update`.
    """
    ticket = entry.ticket
    own = getattr(actor, "pk", None) == entry.agent_id
    ensure_allowed(actor, "ticket.note" if own else "ticket.update", ticket)
    with transaction.atomic():
        current = TimeEntry.objects.select_for_update().filter(pk=entry.pk).first()
        if current is None:
            raise NotFound(_("Time entry not found."))
        history.record(ticket, "time_deleted", actor=actor, via=via,
                       data={"entry_id": current.pk, "minutes": current.minutes, "billable": current.billable,
                             "agent_id": current.agent_id, "date": current.date.isoformat()})
        current.delete()
        emit(Event("time.deleted", ticket_id=ticket.pk, data={"entry_id": entry.pk}))

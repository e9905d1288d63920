"""In-app notifications for agents, reacting to ticket events after commit."""

from __future__ import annotations

from django.utils.translation import gettext as _

from comptoir.core.hooks import Event, subscribe
from comptoir.core.models import Agent, Notification
from comptoir.tickets.models import Ticket


def notify_mentioned(event: Event) -> None:
    if event.ticket_id is None:
        return
    ticket = Ticket.objects.filter(pk=event.ticket_id).only("pk", "number", "subject").first()
    if ticket is None:
        return
    Notification.objects.bulk_create([
        Notification(agent=agent, kind="mentioned", ticket_id=ticket.pk, url=f"/agent/tickets/{ticket.number}/",
                     text=_("You were mentioned on #%(number)s %(subject)s") % {"number": ticket.number, "subject": ticket.subject[:200]})
        for agent in Agent.objects.filter(pk__in=event.data.get("agent_ids", []), is_active=True)
    ])


def notify_assigned(event: Event) -> None:
    assignee_id = event.data.get("assignee_id")
    if not assignee_id or assignee_id == event.actor_id or event.ticket_id is None:
        return
    ticket = Ticket.objects.filter(pk=event.ticket_id).only("pk", "number", "subject").first()
    if ticket is None:
        return
    Notification.objects.create(
        agent_id=assignee_id, kind="assigned", ticket_id=ticket.pk, url=f"/agent/tickets/{ticket.number}/",
        text=_("#%(number)s %(subject)s was assigned to you") % {"number": ticket.number, "subject": ticket.subject[:200]},
    )


def register() -> None:
    subscribe("note.mentioned", notify_mentioned)
    subscribe("ticket.updated", notify_assigned)

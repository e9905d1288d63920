"""Email notifications to agents: assigned to you, customer replied, you were mentioned.

Each follows the agent's preference (`Agent.wants_notification(kind, "email")`),
is sent by the worker, never goes to the agent who caused it, and carries the
loop header so a mail client bouncing it back is not ingested.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext as _

from comptoir.channels.email.outbound import from_address
from comptoir.channels.email.rules import LOOP_HEADER, instance_id
from comptoir.core.hooks import Event, subscribe
from comptoir.core.models import Agent
from comptoir.huey import huey
from comptoir.tickets.models import Message, Ticket

KINDS = ("assigned", "customer_replied", "mentioned")


def ticket_url(ticket: Ticket) -> str:
    return f"{settings.BASE_URL}/agent/tickets/{ticket.number}/"


def _text(kind: str, ticket: Ticket, excerpt: str) -> tuple[str, str]:
    values = {"number": ticket.number, "subject": ticket.subject, "url": ticket_url(ticket), "excerpt": excerpt}
    if kind == "assigned":
        return (_("[#%(number)s] Assigned to you: %(subject)s") % values,
                _("Ticket #%(number)s \"%(subject)s\" was assigned to you.\n\n%(url)s\n") % values)
    if kind == "customer_replied":
        return (_("[#%(number)s] The customer replied: %(subject)s") % values,
                _("The customer replied on ticket #%(number)s \"%(subject)s\":\n\n%(excerpt)s\n\n%(url)s\n") % values)
    return (_("[#%(number)s] You were mentioned: %(subject)s") % values,
            _("You were mentioned in an internal note on ticket #%(number)s \"%(subject)s\":\n\n%(excerpt)s\n\n%(url)s\n") % values)


@huey.task(retries=3, retry_delay=60)
def send_agent_notification_task(agent_id: int, kind: str, ticket_id: int, message_id: int | None = None) -> None:
    agent = Agent.objects.filter(pk=agent_id, is_active=True).first()
    ticket = Ticket.objects.select_related("department").filter(pk=ticket_id).first()
    if agent is None or ticket is None or not agent.wants_notification(kind, "email"):
        return
    message = Message.objects.filter(pk=message_id).only("body_text").first() if message_id else None
    excerpt = (message.body_text if message else "")[:1000]
    with translation.override(agent.locale or "en"):
        subject, body = _text(kind, ticket, excerpt)
    headers = {LOOP_HEADER: instance_id(), "Auto-Submitted": "auto-generated", "X-Comptoir-Ticket": str(ticket.number)}
    EmailMessage(subject, body, from_address(ticket), [agent.email], headers=headers).send()


def _queue(agent_ids: set[int], kind: str, event: Event, message_id: int | None = None) -> None:
    agent_ids.discard(event.actor_id) if event.actor_kind == "agent" else None
    for agent in Agent.objects.filter(pk__in=agent_ids, is_active=True):
        if agent.wants_notification(kind, "email"):
            send_agent_notification_task(agent.pk, kind, event.ticket_id, message_id)


def on_ticket_updated(event: Event) -> None:
    if "assignee" in event.data.get("fields", []) and event.data.get("assignee_id"):
        _queue({event.data["assignee_id"]}, "assigned", event)


def on_message_created(event: Event) -> None:
    if event.actor_kind != "contact" and not (event.actor_kind == "system" and event.data.get("kind") == "reply"):
        return
    message_id = event.data.get("message_id")
    # One query for the message and its ticket's assignee: this runs for every customer mail.
    found = (
        Message.objects.filter(pk=message_id).values_list("author_kind", "is_auto_reply", "ticket__assignee_id").first()
        if message_id else None
    )
    if found is None:
        return
    author_kind, is_auto_reply, assignee_id = found
    if author_kind != "contact" or is_auto_reply or assignee_id is None:
        return
    _queue({assignee_id}, "customer_replied", event, message_id)


def on_mentioned(event: Event) -> None:
    _queue(set(event.data.get("agent_ids", [])), "mentioned", event, event.data.get("message_id"))


def register() -> None:
    subscribe("ticket.updated", on_ticket_updated)
    subscribe("message.created", on_message_created)
    subscribe("note.mentioned", on_mentioned)

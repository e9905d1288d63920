"""Outbound email: confirmations to customers and delivery of agent replies.

Subscribes to ticket events; sending happens in the worker with retries.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext as _

from comptoir.core.hooks import Event, subscribe
from comptoir.huey import huey
from comptoir.tickets.models import Channel, Ticket


def from_address(ticket: Ticket) -> str:
    department = ticket.department
    address = department.primary_address if department else None
    address = address or settings.DEFAULT_FROM_EMAIL
    name = (department.from_name or department.name) if department else "Comptoir"
    return f'"{name}" <{address}>'


@huey.task(retries=5, retry_delay=60)
def send_confirmation_task(ticket_id: int) -> None:
    ticket = Ticket.objects.select_related("contact", "department").filter(pk=ticket_id).first()
    if ticket is None:
        return
    recipient = ticket.contact.primary_email
    if not recipient:
        return
    with translation.override(ticket.contact.locale or "en"):
        subject = _("[#%(number)s] We received your request: %(subject)s") % {"number": ticket.number, "subject": ticket.subject}
        body = _(
            "Hello %(name)s,\n\nThank you for contacting us. Your request has been received and has the "
            "reference #%(number)s. Reply to this email to add information.\n"
        ) % {"name": ticket.contact.name or "", "number": ticket.number}
    EmailMessage(subject, body, from_address(ticket), [recipient]).send()


def queue_confirmation(event: Event) -> None:
    if not event.data.get("send_confirmation"):
        return
    ticket = Ticket.objects.select_related("department").filter(pk=event.ticket_id).only("channel", "department").first()
    if ticket is None or ticket.channel not in (Channel.EMAIL, Channel.WEB, Channel.PORTAL, Channel.API):
        return
    if ticket.department is not None and not ticket.department.send_confirmation:
        return
    send_confirmation_task(event.ticket_id)


def register() -> None:
    subscribe("ticket.created", queue_confirmation)

"""The emails casework sends, each rendered in the recipient's language.

Mail to agents (approval decisions, reminders) is sent from here; the approval
request is rendered here and handed to the email channel as an
"agent_mail.requested" event, so that an admin's "approval" notification template
can replace its wording (the channel owns those templates). Mail to the ticket's
customer (resolution, time logged) is only rendered here and handed to the email
channel as a "customer_mail.requested" event: the channel adds the "[#1234]" tag,
the threading and loop headers, so that the customer's answer threads onto the
ticket. Casework and the channels are sibling layers and may not import each other.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from comptoir.casework.models import (
    ApprovalRequest,
    ApprovalState,
    ApprovalStep,
    Reminder,
    Resolution,
    TimeEntry,
)
from comptoir.casework.signing import decision_url
from comptoir.core.hooks import Event, emit
from comptoir.tickets.models import Ticket

CUSTOMER_MAIL_REQUESTED = "customer_mail.requested"  # subscribed by comptoir.channels.email.outbound
AGENT_MAIL_REQUESTED = "agent_mail.requested"  # subscribed by comptoir.channels.email.outbound


def _send(to: str, subject: str, template: str, context: dict, locale: str | None) -> None:
    with translation.override(locale or settings.LANGUAGE_CODE):
        body = render_to_string(template, {**context, "base_url": settings.BASE_URL})
        subject = str(subject)
    EmailMessage(subject=subject, body=body, to=[to]).send()


def send_approval_request(step: ApprovalStep) -> None:
    """Render the approval request in the approver's language and hand it to the email channel to send."""
    ticket, request = step.request.ticket, step.request
    locale = step.approver.locale or settings.LANGUAGE_CODE
    approve_url = decision_url(step.pk, step.nonce, ApprovalState.APPROVED)
    reject_url = decision_url(step.pk, step.nonce, ApprovalState.REJECTED)
    with translation.override(locale):
        subject = _("Approval needed on ticket #%(number)s: %(subject)s") % {"number": ticket.number, "subject": ticket.subject}
        body = render_to_string("casework/email/approval_request.txt", {
            "step": step, "ticket": ticket, "request": request, "approve_url": approve_url, "reject_url": reject_url,
            "base_url": settings.BASE_URL,
        })
    requester = request.requested_by
    emit(Event(AGENT_MAIL_REQUESTED, ticket_id=ticket.pk, data={
        "to": step.approver.email, "subject": str(subject), "body": body, "locale": locale, "agent_id": step.approver.pk,
        "event": "approval", "values": {"approval": {
            "requester": str(requester) if requester is not None else "", "reason": request.reason,
            "approve_url": approve_url, "reject_url": reject_url,
        }},
    }))


def send_approval_decision(approval: ApprovalRequest) -> None:
    requester = approval.requested_by
    if requester is None:
        return
    step = approval.steps.exclude(decision=ApprovalState.PENDING).select_related("approver").first()
    ticket = approval.ticket
    with translation.override(requester.locale or settings.LANGUAGE_CODE):
        if approval.state == ApprovalState.APPROVED:
            subject = _("Approved: ticket #%(number)s") % {"number": ticket.number}
        else:
            subject = _("Rejected: ticket #%(number)s") % {"number": ticket.number}
    _send(requester.email, subject, "casework/email/approval_decision.txt",
          {"request": approval, "step": step, "ticket": ticket}, requester.locale)


def _request_customer_mail(ticket: Ticket, subject: str, template: str, context: dict, *, key: str,
                           notification: str = "", values: dict | None = None) -> None:
    """Render a mail to the ticket's customer in their language and hand it to the email channel.

    `key` names what the mail is about (a letter and an id); the channel puts it in the Message-ID.
    `notification` and `values` name the notification template an admin may have written for it
    (the channel owns those templates and uses one instead of this wording when it exists).
    """
    if not ticket.contact.primary_email:
        return
    with translation.override(ticket.contact.locale or settings.LANGUAGE_CODE):
        body = render_to_string(template, {**context, "ticket": ticket, "base_url": settings.BASE_URL})
    data: dict[str, Any] = {"subject": str(subject), "body": body, "key": key}
    if notification:
        data["event"], data["values"] = notification, values or {}
    emit(Event(CUSTOMER_MAIL_REQUESTED, ticket_id=ticket.pk, data=data))


def send_resolution(resolution: Resolution) -> None:
    ticket = resolution.ticket
    with translation.override(ticket.contact.locale or settings.LANGUAGE_CODE):
        subject = _("Resolution of your request #%(number)s") % {"number": ticket.number}
    _request_customer_mail(ticket, subject, "casework/email/resolution.txt", {"resolution": resolution},
                           key=f"r{resolution.pk}", notification="solved", values={"resolution": {"text": resolution.text}})


def send_time_entry(entry: TimeEntry) -> None:
    ticket = entry.ticket
    with translation.override(ticket.contact.locale or settings.LANGUAGE_CODE):
        subject = _("Time logged on your request #%(number)s") % {"number": ticket.number}
    _request_customer_mail(ticket, subject, "casework/email/time_entry.txt", {"entry": entry}, key=f"t{entry.pk}")


def send_reminder_email(reminder: Reminder) -> None:
    activity = reminder.activity
    with translation.override(activity.owner.locale or settings.LANGUAGE_CODE):
        subject = _("Reminder: %(subject)s") % {"subject": activity.subject}
    _send(activity.owner.email, subject, "casework/email/reminder.txt",
          {"activity": activity, "ticket": activity.ticket}, activity.owner.locale)

"""The emails casework sends, each rendered in the recipient's language."""

from __future__ import annotations

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


def _send(to: str, subject: str, template: str, context: dict, locale: str | None) -> None:
    with translation.override(locale or settings.LANGUAGE_CODE):
        body = render_to_string(template, {**context, "base_url": settings.BASE_URL})
        subject = str(subject)
    EmailMessage(subject=subject, body=body, to=[to]).send()


def send_approval_request(step: ApprovalStep) -> None:
    ticket = step.request.ticket
    with translation.override(step.approver.locale or settings.LANGUAGE_CODE):
        subject = _("Approval needed on ticket #%(number)s: %(subject)s") % {"number": ticket.number, "subject": ticket.subject}
    _send(step.approver.email, subject, "casework/email/approval_request.txt", {
        "step": step, "ticket": ticket, "request": step.request,
        "approve_url": decision_url(step.pk, step.nonce, ApprovalState.APPROVED),
        "reject_url": decision_url(step.pk, step.nonce, ApprovalState.REJECTED),
    }, step.approver.locale)


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


def send_resolution(resolution: Resolution) -> None:
    ticket = resolution.ticket
    to = ticket.contact.primary_email
    if not to:
        return
    with translation.override(ticket.contact.locale or settings.LANGUAGE_CODE):
        subject = _("Resolution of your request #%(number)s") % {"number": ticket.number}
    _send(to, subject, "casework/email/resolution.txt", {"ticket": ticket, "resolution": resolution}, ticket.contact.locale)


def send_time_entry(entry: TimeEntry) -> None:
    ticket = entry.ticket
    to = ticket.contact.primary_email
    if not to:
        return
    with translation.override(ticket.contact.locale or settings.LANGUAGE_CODE):
        subject = _("Time logged on your request #%(number)s") % {"number": ticket.number}
    _send(to, subject, "casework/email/time_entry.txt", {"ticket": ticket, "entry": entry}, ticket.contact.locale)


def send_reminder_email(reminder: Reminder) -> None:
    activity = reminder.activity
    with translation.override(activity.owner.locale or settings.LANGUAGE_CODE):
        subject = _("Reminder: %(subject)s") % {"subject": activity.subject}
    _send(activity.owner.email, subject, "casework/email/reminder.txt",
          {"activity": activity, "ticket": activity.ticket}, activity.owner.locale)

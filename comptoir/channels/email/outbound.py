"""Outbound email: agent replies to customers, and the confirmation of new tickets.

Subscribes to ticket events (registered in apps.py); sending happens in the
worker (Huey tasks with retries) through Django's email backend. Guarantees:

* only public replies are mailed — internal notes and system messages never are;
* every mail carries our Message-ID (stored on the Message), In-Reply-To and
  References so the customer's client threads it, "[#1234]" in the subject, and
  ``X-Comptoir-Loop`` so that our own mail is never ingested again;
* delivery status (queued, sent, failed) is recorded on the message through
  ``tickets.actions.mark_message_delivery``;
* confirmations go only to real first messages: never to auto-replies, bounces,
  or bouncing addresses, and say "Auto-Submitted: auto-replied" (RFC 3834);
* every other mail to a customer about a ticket (a casework resolution or time
  entry, ...) is published by its app as a "customer_mail.requested" event with
  the subject and text already in the customer's language, and leaves here with
  the same tag, threading and loop headers ("Auto-Submitted: auto-generated"),
  so that the customer's answer lands on the ticket instead of opening a new one.
  Apps in the channels' layer cannot import the channel; the event keeps it so.
  An approval request to an agent comes the same way ("agent_mail.requested");
* the confirmation, replies, the "solved" (resolution) mail and the approval
  request use an admin's notification template in the recipient's language when
  one exists (notification_templates.py), else their built-in wording;
* which channels' new tickets are confirmed is chosen per department
  (ConfirmationPolicy; by default email, web, portal, phone and API).
"""

from __future__ import annotations

import logging
from email.utils import formataddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.utils.translation import gettext as _

from comptoir.channels.email.models import ConfirmationPolicy, NotificationEvent
from comptoir.channels.email.notification_templates import (
    has_custom_template,
    locale_chain,
    render_notice,
    ticket_context,
)
from comptoir.channels.email.rules import LOOP_HEADER, instance_id, our_addresses
from comptoir.channels.email.threading import new_message_id
from comptoir.contacts.identities import email_domain, normalize_email
from comptoir.contacts.models import ContactIdentity, IdentityKind
from comptoir.core.hooks import Event, subscribe
from comptoir.core.models import Agent, Department
from comptoir.core.process_cache import process_cached
from comptoir.huey import huey
from comptoir.tickets import actions
from comptoir.tickets.actions import assign_email_message_id
from comptoir.tickets.html import text_to_html
from comptoir.tickets.models import Channel, DeliveryStatus, Message, MessageKind, Ticket

logger = logging.getLogger(__name__)
MAX_REFERENCES = 20


def sender_address(department: Department | None) -> str:
    address = department.primary_address if department else None
    return address or settings.DEFAULT_FROM_EMAIL


def from_address(ticket: Ticket, agent: Agent | None = None) -> str:
    """The From header: the department's address and name, or "Agent via Department"."""
    department = ticket.department
    name = (department.from_name or department.name) if department else "Comptoir"
    if agent is not None and department is not None and department.agent_name_in_from:
        name = _("%(agent)s via %(department)s") % {"agent": agent.name or agent.email, "department": name}
    return formataddr((name, sender_address(department)))


def tagged_subject(ticket: Ticket) -> str:
    """The ticket's subject with its "[#1234]" tag (which the intake uses as a threading fallback)."""
    tag = f"[#{ticket.number}]"
    return ticket.subject if tag in ticket.subject else f"{tag} {ticket.subject}"


def _with_tag(ticket: Ticket, subject: str) -> str:
    """An admin's subject keeps the "[#1234]" tag the intake threads by, added in front when left out."""
    tag = f"[#{ticket.number}]"
    return subject if tag in subject else f"{tag} {subject}"


def thread_headers(ticket: Ticket, *, exclude_pk: int | None = None) -> dict[str, str]:
    """In-Reply-To (the customer's latest message) and References (the thread so far)."""
    thread = Message.objects.filter(ticket=ticket).exclude(email_message_id="")
    if exclude_pk is not None:
        thread = thread.exclude(pk=exclude_pk)
    rows = list(thread.order_by("id").values_list("email_message_id", "author_kind"))
    customer_ids = [mid for mid, kind in rows if kind == "contact"]
    last = customer_ids[-1] if customer_ids else (rows[-1][0] if rows else "")
    ids: list[str] = []
    for mid, _kind in rows:
        if mid not in ids:
            ids.append(mid)
    headers: dict[str, str] = {}
    if last:
        headers["In-Reply-To"] = f"<{last}>"
    if ids:
        headers["References"] = " ".join(f"<{i}>" for i in ids[-MAX_REFERENCES:])
    return headers


def _loop_headers(auto: str = "") -> dict[str, str]:
    headers = {LOOP_HEADER: instance_id()}
    if auto:
        headers["Auto-Submitted"] = auto
        headers["X-Auto-Response-Suppress"] = "All"
    return headers


def _is_bouncing(address: str) -> bool:
    return ContactIdentity.objects.filter(kind=IdentityKind.EMAIL, value=normalize_email(address), bouncing=True).exists()


def reply_recipients(message: Message) -> tuple[list[str], list[str]]:
    """(to, cc) for an agent reply: the message's own lists, else the requester and the ticket's CCs.

    Our own addresses are never recipients, and nobody appears twice.
    """
    ticket = message.ticket
    ours = our_addresses()
    to = [normalize_email(a) for a in (message.to or []) if a] or ([ticket.contact.primary_email] if ticket.contact.primary_email else [])
    cc_source = message.cc or [c.primary_email for c in ticket.cc_contacts.prefetch_related("identities") if c.primary_email]
    seen = set(ours)
    out_to, out_cc = [], []
    for address in to:
        if address and address not in seen:
            seen.add(address)
            out_to.append(address)
    for address in cc_source:
        address = normalize_email(address or "")
        if address and address not in seen:
            seen.add(address)
            out_cc.append(address)
    return out_to, out_cc


def build_reply_email(message: Message) -> EmailMultiAlternatives:
    """The email for a public agent reply, with threading headers and its attachments."""
    ticket = message.ticket
    to, cc = reply_recipients(message)
    headers = {**thread_headers(ticket, exclude_pk=message.pk), **_loop_headers(), "Message-ID": f"<{message.email_message_id}>"}
    headers["X-Comptoir-Ticket"] = str(ticket.number)
    # In the customer's language when the department wrote one (Department.signatures), else the default.
    signature = ticket.department.signature_for(ticket.contact.locale or ticket.department.default_locale) if ticket.department else ""
    subject = f"Re: {tagged_subject(ticket)}"
    body_text, body_html = message.body_text, message.body_html or text_to_html(message.body_text)
    chain = locale_chain(ticket.contact.locale, ticket.department.default_locale if ticket.department else None)
    if has_custom_template(NotificationEvent.REPLY, chain):
        notice = render_notice(NotificationEvent.REPLY, chain, ticket_context(
            ticket, agent=message.author_agent, extra={"message": {"body": message.body_text}}), html_body=body_html)
        subject, body_text, body_html = _with_tag(ticket, notice.subject), notice.text, notice.html
    text = body_text + (f"\n\n-- \n{signature}" if signature else "")
    html = body_html + (text_to_html(signature) if signature else "")
    mail = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=from_address(ticket, message.author_agent),
        to=to,
        cc=cc,
        headers=headers,
    )
    mail.attach_alternative(html, "text/html")
    for attachment in message.attachments.all():
        with attachment.file.open("rb") as fh:
            mail.attach(attachment.name, fh.read(), attachment.content_type or "application/octet-stream")
    return mail


def assign_message_id(message: Message) -> str:
    """Give an outbound message its Message-ID once (a retry reuses it) and store it on the message.

    Stored before sending, so a customer's instant reply already finds it.
    """
    if message.email_message_id:
        return message.email_message_id
    value = new_message_id(message.ticket.number, message.pk, email_domain(sender_address(message.ticket.department)))
    return assign_email_message_id(message, value)


@huey.task(retries=3, retry_delay=60)
def send_reply_task(message_id: int) -> None:
    message = (
        Message.objects.select_related("ticket__department", "ticket__contact", "author_agent")
        .prefetch_related("ticket__contact__identities").filter(pk=message_id).first()
    )
    if message is None or message.kind != MessageKind.REPLY or message.author_kind == "contact":
        return
    if message.delivery_status == DeliveryStatus.SENT:
        return
    assign_message_id(message)
    mail = build_reply_email(message)
    if not mail.to:
        actions.mark_message_delivery(message, status=DeliveryStatus.FAILED, error=_("The customer has no email address."))
        return
    try:
        mail.send()
    except Exception as exc:
        actions.mark_message_delivery(message, status=DeliveryStatus.FAILED, error=f"{type(exc).__name__}: {exc}")
        raise
    actions.mark_message_delivery(message, status=DeliveryStatus.SENT)


def queue_reply(event: Event) -> None:
    """On "message.created": public agent (or rule) replies are mailed; notes never."""
    if event.data.get("kind") != MessageKind.REPLY or not event.data.get("public") or event.actor_kind == "contact":
        return
    message_id = event.data.get("message_id")
    # Filtered in the query: a customer's message (most of them, via the intake) loads nothing.
    message = (
        Message.objects.filter(pk=message_id, kind=MessageKind.REPLY).exclude(author_kind="contact").only("id").first()
        if message_id else None
    )
    if message is None:
        return
    actions.mark_message_delivery(message, status=DeliveryStatus.QUEUED)
    send_reply_task(message.pk)


@huey.task(retries=5, retry_delay=60)
def send_confirmation_task(ticket_id: int) -> None:
    ticket = Ticket.objects.select_related("contact", "department").filter(pk=ticket_id).first()
    if ticket is None or (ticket.department is not None and not ticket.department.send_confirmation):
        return
    recipient = ticket.contact.primary_email
    if not recipient or _is_bouncing(recipient):
        return
    first = ticket.messages.order_by("id").first()
    if first is not None and first.is_auto_reply:
        return
    chain = locale_chain(ticket.contact.locale, ticket.department.default_locale if ticket.department else None)
    notice = render_notice(NotificationEvent.CONFIRMATION, chain, ticket_context(ticket))
    subject, body = _with_tag(ticket, notice.subject), notice.text
    domain = email_domain(sender_address(ticket.department))
    headers = {
        **thread_headers(ticket),
        **_loop_headers(auto="auto-replied"),
        "Message-ID": f"<{new_message_id(ticket.number, f'c{first.pk if first else 0}', domain)}>",
        "X-Comptoir-Ticket": str(ticket.number),
    }
    EmailMultiAlternatives(subject, body, from_address(ticket), [recipient], headers=headers).send()


@process_cached(5.0)
def department_confirms(department_id: int) -> bool:
    """Whether a department sends confirmations; read once per few seconds, not per new ticket."""
    return bool(Department.objects.filter(pk=department_id).values_list("send_confirmation", flat=True).first())


# Confirmed unless a department's ConfirmationPolicy says otherwise. Phone is in: a customer who called
# gets the ticket number by mail. Chat and social channels answer in the conversation itself.
DEFAULT_CONFIRMED_CHANNELS = (Channel.EMAIL, Channel.WEB, Channel.PORTAL, Channel.PHONE, Channel.API)


@process_cached(5.0)
def confirmed_channels(department_id: int | None) -> frozenset[str]:
    """The channels whose new tickets get a confirmation in this department (the default without a policy)."""
    channels = (
        ConfirmationPolicy.objects.filter(department_id=department_id).values_list("channels", flat=True).first()
        if department_id is not None else None
    )
    return frozenset(DEFAULT_CONFIRMED_CHANNELS if channels is None else channels)


def queue_confirmation(event: Event) -> None:
    """Queue the "we received your request" mail: no query, the event says what is needed.

    The worker re-reads the ticket before sending, so a ticket deleted meanwhile sends nothing.
    """
    if not event.data.get("send_confirmation") or event.ticket_id is None:
        return
    department_id = event.data.get("department_id")
    if event.data.get("channel") not in confirmed_channels(department_id):
        return
    if department_id is not None and not department_confirms(department_id):
        return
    send_confirmation_task(event.ticket_id)


CUSTOMER_MAIL_REQUESTED = "customer_mail.requested"


def build_customer_notice(ticket: Ticket, *, subject: str, body: str, key: str) -> EmailMultiAlternatives | None:
    """A mail to the ticket's requester that is not a conversation message, threaded like one.

    `key` (a letter and a number, e.g. "r12" for resolution 12) goes into our Message-ID,
    so an answer threads by the ticket number it carries even though no message stores
    it. None when the requester has no email address.
    """
    recipient = ticket.contact.primary_email
    if not recipient:
        return None
    tag = f"[#{ticket.number}]"
    domain = email_domain(sender_address(ticket.department))
    headers = {
        **thread_headers(ticket),
        **_loop_headers(auto="auto-generated"),
        "Message-ID": f"<{new_message_id(ticket.number, key, domain)}>",
        "X-Comptoir-Ticket": str(ticket.number),
    }
    mail = EmailMultiAlternatives(subject if tag in subject else f"{tag} {subject}", body, from_address(ticket),
                                  [recipient], headers=headers)
    mail.attach_alternative(text_to_html(body), "text/html")
    return mail


def _customised_notice(ticket: Ticket, event: str, values: dict[str, Any]) -> tuple[str, str] | None:
    """(subject, body) from an admin's template for `event` in the customer's languages, or None to keep the app's own."""
    if event not in NotificationEvent.values:
        return None
    chain = locale_chain(ticket.contact.locale, ticket.department.default_locale if ticket.department else None)
    if not has_custom_template(event, chain):
        return None
    notice = render_notice(event, chain, ticket_context(ticket, extra=values))
    return notice.subject, notice.text


@huey.task(retries=3, retry_delay=60)
def send_customer_notice_task(ticket_id: int, subject: str, body: str, key: str, event: str = "",
                              values: dict[str, Any] | None = None) -> None:
    ticket = Ticket.objects.select_related("contact", "department").filter(pk=ticket_id).first()
    if ticket is None:
        return
    if event:
        subject, body = _customised_notice(ticket, event, values or {}) or (subject, body)
    mail = build_customer_notice(ticket, subject=subject, body=body, key=key)
    if mail is not None:
        mail.send()


def queue_customer_notice(event: Event) -> None:
    """On "customer_mail.requested": mail the requester through this channel's headers.

    When the request names a notification `event` (e.g. "solved") with its `values`
    (e.g. {"resolution": {"text": ...}}), an admin's template for it replaces the app's wording.
    """
    data = event.data
    key = str(data.get("key") or "")
    if event.ticket_id is None or not data.get("body") or not (key[:1].isalpha() and key[1:].isdigit()):
        logger.warning("Ignored a customer mail request without ticket, body or key: %s", data)
        return
    values = data.get("values") if isinstance(data.get("values"), dict) else {}
    send_customer_notice_task(event.ticket_id, str(data.get("subject") or ""), str(data["body"]), key.lower(),
                              str(data.get("event") or ""), values)


AGENT_MAIL_REQUESTED = "agent_mail.requested"


@huey.task(retries=3, retry_delay=60)
def send_agent_notice_task(ticket_id: int, to: str, subject: str, body: str, locale: str, event: str,
                           values: dict[str, Any], agent_id: int | None = None) -> None:
    """A mail to an agent about a ticket (an approval request), in an admin's wording when there is one."""
    ticket = Ticket.objects.select_related("contact", "department").filter(pk=ticket_id).first()
    if ticket is not None and event in NotificationEvent.values:
        chain = locale_chain(locale, ticket.department.default_locale if ticket.department else None)
        if has_custom_template(event, chain):
            agent = Agent.objects.filter(pk=agent_id).first() if agent_id else None
            notice = render_notice(event, chain, ticket_context(ticket, agent=agent, extra=values))
            subject, body = notice.subject, notice.text
    EmailMessage(subject=subject, body=body, to=[to]).send()


def queue_agent_notice(event: Event) -> None:
    """On "agent_mail.requested": send the app's mail to an agent, or its notification template's wording."""
    data = event.data
    if event.ticket_id is None or not data.get("to") or not data.get("body"):
        logger.warning("Ignored an agent mail request without ticket, recipient or body: %s", data)
        return
    values = data.get("values") if isinstance(data.get("values"), dict) else {}
    send_agent_notice_task(event.ticket_id, str(data["to"]), str(data.get("subject") or ""), str(data["body"]),
                           str(data.get("locale") or "en"), str(data.get("event") or ""), values, data.get("agent_id"))


def register() -> None:
    subscribe(AGENT_MAIL_REQUESTED, queue_agent_notice)
    subscribe("ticket.created", queue_confirmation)
    subscribe("message.created", queue_reply)
    subscribe(CUSTOMER_MAIL_REQUESTED, queue_customer_notice)

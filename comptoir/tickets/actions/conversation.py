"""Adding to the conversation: agent replies, internal notes, customer messages."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from comptoir.contacts.models import Contact
from comptoir.core.actors import actor_kind
from comptoir.core.errors import ValidationFailed
from comptoir.core.hooks import Event, emit
from comptoir.core.models import Agent
from comptoir.core.permissions import PermissionDenied
from comptoir.tickets import history
from comptoir.tickets.actions.guards import apply_status, ensure_allowed, required_fields_missing
from comptoir.tickets.actions.update import _resolve_status
from comptoir.tickets.attachments import IncomingFile, store_attachments, validate_files
from comptoir.tickets.html import html_to_text, sanitize_html, text_to_html
from comptoir.tickets.models import (
    REOPENED_BY_CUSTOMER,
    EventKind,
    Message,
    MessageKind,
    StatusCategory,
    Ticket,
)
from comptoir.tickets.queries import is_visible
from comptoir.tickets.statuses import default_status

MENTION = re.compile(r"(?<![\w.])@([\w.+-]+@[\w-]+(?:\.[\w-]+)+|[\w.+-]+)")


def _bodies(body_text: str, body_html: str) -> tuple[str, str]:
    body_html = sanitize_html(body_html) if body_html else ""
    body_text = body_text or html_to_text(body_html)
    if not body_text.strip() and not body_html.strip():
        return "", ""
    return body_text, body_html or text_to_html(body_text)


def _emit_message(message: Message, actor: Any) -> None:
    emit(Event(
        "message.created",
        ticket_id=message.ticket_id,
        actor_kind=actor_kind(actor),
        actor_id=getattr(actor, "pk", None),
        data={"message_id": message.pk, "kind": message.kind, "public": message.is_public},
    ))


@transaction.atomic
def add_reply(
    ticket: Ticket,
    *,
    actor: Any,
    via: str,
    body_text: str = "",
    body_html: str = "",
    attachments: Iterable[IncomingFile] = (),
    to: list[str] | None = None,
    cc: list[str] | None = None,
    new_status: Any = None,
) -> Message:
    """Post a public agent reply, optionally changing status in the same step ("send and solve").

    A reply on a new ticket opens it unless another status is given. The first
    public agent reply stamps first_agent_reply_at (first reply time). The
    channel delivers it after commit on "message.created". Contacts replying go
    through receive_customer_message().
    """
    if isinstance(actor, Contact):
        return receive_customer_message(ticket, contact=actor, via=via, body_text=body_text, body_html=body_html, attachments=attachments)
    ensure_allowed(actor, "ticket.reply", ticket)
    ticket = Ticket.objects.select_for_update().select_related("status", "contact").get(pk=ticket.pk)
    if ticket.status_category == StatusCategory.CLOSED:
        raise ValidationFailed(_("This ticket is closed; create a follow-up ticket instead."), {"ticket": "closed"})
    body_text, body_html = _bodies(body_text, body_html)
    if not body_text:
        raise ValidationFailed(_("A reply cannot be empty."), {"body": "required"})
    files = list(attachments)
    validate_files(files)
    now = timezone.now()
    contact_email = ticket.contact.primary_email
    message = Message.objects.create(
        ticket=ticket,
        kind=MessageKind.REPLY,
        author_kind=actor_kind(actor),
        author_agent=actor if isinstance(actor, Agent) else None,
        channel=ticket.channel if via in ("web", "api") else via,
        body_text=body_text,
        body_html=body_html,
        to=to if to is not None else ([contact_email] if contact_email else []),
        cc=cc or [],
        created_at=now,
    )
    store_attachments(ticket, message, files)
    events = [history.build(ticket, EventKind.REPLY_ADDED, actor=actor, via=via, data={"message_id": message.pk}, at=now)]

    status = _resolve_status(new_status) if new_status is not None else None
    if status is None and ticket.status_category == StatusCategory.NEW:
        status = default_status(StatusCategory.OPEN)
    changed = []
    if status is not None and status.pk != ticket.status_id:
        missing = required_fields_missing(ticket, status.category, ticket.custom_fields)
        if missing:
            raise ValidationFailed(_("Fill in the required fields before setting this status."), dict.fromkeys(missing, "required"))
        changed = apply_status(ticket, status, now)
    if ticket.first_agent_reply_at is None and isinstance(actor, Agent):
        ticket.first_agent_reply_at = now
    ticket.last_agent_message_at = now
    ticket.updated_at = now
    ticket.save()
    events += [history.build(ticket, EventKind.FIELD_CHANGED, actor=actor, via=via, field=f, old=o, new=n, at=now) for f, o, n in changed]
    history.record_many(events)
    _emit_message(message, actor)
    if changed:
        from comptoir.tickets.actions.update import _emit_updated

        _emit_updated(ticket, actor, ["status"], changed)
    return message


def find_mentions(text: str) -> list[Agent]:
    """Agents named in a note as @email or @name-before-the-at (e.g. @marie.dupont)."""
    tokens = {m.group(1).rstrip(".").lower() for m in MENTION.finditer(text)}
    if not tokens:
        return []
    emails = {t for t in tokens if "@" in t}
    handles = tokens - emails
    query = Q(email__in=emails)
    for handle in handles:
        query |= Q(email__istartswith=f"{handle}@")
    return list(Agent.objects.filter(query, is_active=True))


@transaction.atomic
def add_internal_note(
    ticket: Ticket,
    *,
    actor: Any,
    via: str,
    body_text: str = "",
    body_html: str = "",
    attachments: Iterable[IncomingFile] = (),
    mentions: Iterable[Agent] = (),
) -> Message:
    """Write a note only agents see. @mentioned agents become followers and are notified.

    Never delivered to the customer, by any channel. A mentioned agent who may
    not see the ticket (queries.is_visible) is neither made a follower nor
    notified, which would leak its subject; the note still saves, and its
    history lists them under "mentions_without_access" so the agent UI can warn.
    """
    ensure_allowed(actor, "ticket.note", ticket)
    body_text, body_html = _bodies(body_text, body_html)
    if not body_text:
        raise ValidationFailed(_("A note cannot be empty."), {"body": "required"})
    files = list(attachments)
    validate_files(files)
    now = timezone.now()
    message = Message.objects.create(
        ticket=ticket,
        kind=MessageKind.NOTE,
        author_kind=actor_kind(actor),
        author_agent=actor if isinstance(actor, Agent) else None,
        channel="web" if via in ("web", "api") else via,
        body_text=body_text,
        body_html=body_html,
        created_at=now,
    )
    store_attachments(ticket, message, files)
    mentioned = {a.pk: a for a in [*find_mentions(body_text), *mentions]}
    if isinstance(actor, Agent):
        mentioned.pop(actor.pk, None)
    # Visibility from the stored assignee and group, not from a possibly stale instance.
    scope = Ticket.objects.only("pk", "assignee_id", "group_id", "contact_id", "account_id").get(pk=ticket.pk) if mentioned else ticket
    reachable = {pk: a for pk, a in mentioned.items() if is_visible(a, scope)}
    without_access = sorted(set(mentioned) - set(reachable))
    if mentioned:
        message.mentions.add(*mentioned.values())
    if reachable:
        ticket.followers.add(*reachable.values())
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=now)
    ticket.updated_at = now
    data: dict[str, Any] = {"message_id": message.pk, "mentions": sorted(mentioned)}
    if without_access:
        data["mentions_without_access"] = without_access
    history.record(ticket, EventKind.NOTE_ADDED, actor=actor, via=via, data=data, at=now)
    _emit_message(message, actor)
    if reachable:
        emit(Event("note.mentioned", ticket_id=ticket.pk, actor_kind=actor_kind(actor), actor_id=getattr(actor, "pk", None),
                   data={"message_id": message.pk, "agent_ids": sorted(reachable)}))
    return message


@transaction.atomic
def receive_customer_message(
    ticket: Ticket,
    *,
    contact: Contact,
    via: str,
    actor: Any = None,
    body_text: str = "",
    body_html: str = "",
    attachments: Iterable[IncomingFile] = (),
    email_headers: dict[str, Any] | None = None,
    is_auto_reply: bool = False,
    cc: Iterable[Contact] = (),
    copied_by_requester: bool = False,
) -> Message:
    """Add a customer's message to a ticket.

    On a pending, on-hold or solved ticket it sets the ticket back to open
    (auto-replies do not); on a closed ticket it opens a follow-up ticket
    linked to the closed one and returns the message there. `actor` defaults to
    the contact; channels pass the system actor when the sender is a CC'd
    address not yet visible to the ticket. Contacts in `cc` (the other people
    the customer copied) become followers, so later replies reach them too.

    Whoever the actor, the sender must be someone who may see the ticket
    (``queries.is_visible``), one of its CCs, or someone the requester (or an
    agent) copied on it (`copied_by_requester`, which the channel checked on the
    To/Cc stored with the ticket's messages);
    anyone else is refused, so nobody subscribes themselves to a ticket by
    knowing its number. Only a sender who may see the ticket brings in the
    people they copy.
    """
    actor = actor or contact
    ensure_allowed(actor, "ticket.reply", ticket) if isinstance(actor, Contact) else None
    ticket = Ticket.objects.select_for_update().select_related("status").get(pk=ticket.pk)
    sender_sees_ticket = is_visible(contact, ticket)
    if not sender_sees_ticket and not copied_by_requester and not ticket.cc_contacts.filter(pk=contact.pk).exists():
        raise PermissionDenied(_("This person may not write on this ticket: they cannot see it and were not copied on it."))
    if not sender_sees_ticket:
        cc = ()
    headers = email_headers or {}
    if ticket.status_category == StatusCategory.CLOSED or ticket.merged_into_id:
        merged_into = ticket.merged_into if ticket.merged_into_id else None
        target = merged_into if merged_into is not None and merged_into.status_category != StatusCategory.CLOSED else None
        if target is not None:
            return receive_customer_message(target, contact=contact, via=via, actor=actor, body_text=body_text,
                                            body_html=body_html, attachments=attachments, email_headers=headers,
                                            is_auto_reply=is_auto_reply, cc=cc,
                                            copied_by_requester=copied_by_requester)
        if is_auto_reply:
            raise ValidationFailed(_("Auto-replies do not open follow-up tickets."), {"ticket": "closed"})
        from comptoir.tickets.actions.create import create_ticket

        follow_up = create_ticket(
            actor=actor, via=via, subject=ticket.subject, description=body_text, description_html=body_html,
            contact=contact, department=ticket.department, group=ticket.group, channel=via, priority=ticket.priority,
            attachments=attachments, email_headers=headers, follow_up_of=ticket, cc=cc,
            # A customer cannot assign; their follow-up goes to the old ticket's group instead.
            assignee=ticket.assignee if ticket.assignee and ticket.assignee.is_active and not isinstance(actor, Contact) else None,
        )
        return follow_up.messages.order_by("id").first()  # type: ignore[return-value]
    body_text, body_html = _bodies(body_text, body_html)
    files = list(attachments)
    if not body_text and not files:
        raise ValidationFailed(_("The message is empty."), {"body": "required"})
    validate_files(files)
    now = timezone.now()
    message = Message.objects.create(
        ticket=ticket,
        kind=MessageKind.REPLY,
        author_kind="contact",
        author_contact=contact,
        channel=via,
        body_text=body_text,
        body_html=body_html,
        to=headers.get("to", []),
        cc=headers.get("cc", []),
        email_message_id=headers.get("message_id", "")[:998],
        in_reply_to=headers.get("in_reply_to", "")[:998],
        references=headers.get("references", []),
        is_auto_reply=is_auto_reply,
        created_at=now,
    )
    store_attachments(ticket, message, files)
    events = [history.build(ticket, EventKind.CUSTOMER_MESSAGE, actor=actor, via=via,
                            data={"message_id": message.pk, "auto_reply": is_auto_reply}, at=now)]
    changed = []
    if not is_auto_reply and ticket.status_category in REOPENED_BY_CUSTOMER:
        changed = apply_status(ticket, default_status(StatusCategory.OPEN), now)
        events += [history.build(ticket, EventKind.FIELD_CHANGED, actor=actor, via=via, field=f, old=o, new=n,
                                 data={"reason": "customer_replied"}, at=now) for f, o, n in changed]
        if changed and ticket.archived_at is not None:
            # A reopened ticket is work again: it must come back into the agents' lists.
            ticket.archived_at = None
            events.append(history.build(ticket, EventKind.UNARCHIVED, actor=actor, via=via,
                                        data={"reason": "customer_replied"}, at=now))
    followers = {c.pk: c for c in [contact, *cc] if c.pk != ticket.contact_id}
    if followers:
        known = set(ticket.cc_contacts.filter(pk__in=followers).values_list("pk", flat=True))
        added = [c for pk, c in followers.items() if pk not in known]
        if added:
            ticket.cc_contacts.add(*added)
            events.append(history.build(ticket, EventKind.FOLLOWER_ADDED, actor=actor, via=via, field="cc_contacts",
                                        new=sorted(str(c) for c in added),
                                        data={"reason": "copied_on_message"}, at=now))
    if not is_auto_reply:
        ticket.last_customer_message_at = now
    ticket.updated_at = now
    # Only the columns this action can touch: every intake message comes through here.
    ticket.save(update_fields=[
        "updated_at", "last_customer_message_at", "archived_at",
        "status", "status_category", "status_changed_at", "solved_at", "closed_at",
    ])
    history.record_many(events)
    _emit_message(message, actor)
    if changed:
        from comptoir.tickets.actions.update import _emit_updated

        _emit_updated(ticket, actor, ["status"], changed)
    return message

"""Creating tickets: from any channel, for a new or known contact, and by splitting a message."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from comptoir.contacts.actions import (
    find_or_create_account,
    find_or_create_contact,
    find_or_create_product,
)
from comptoir.contacts.models import Account, Contact
from comptoir.core.actors import actor_kind
from comptoir.core.errors import ValidationFailed
from comptoir.core.hooks import Event, emit
from comptoir.core.models import Agent, Department, Group
from comptoir.core.permissions import assignable_agent_ids, require
from comptoir.tickets import history
from comptoir.tickets.actions.fields import clean_custom_fields, set_tags
from comptoir.tickets.actions.guards import (
    UNSET,
    apply_status,
    ensure_allowed,
    next_ticket_number,
    required_fields_missing,
)
from comptoir.tickets.attachments import IncomingFile, store_attachments, validate_files
from comptoir.tickets.html import html_to_text, sanitize_html
from comptoir.tickets.models import (
    Channel,
    CustomFieldDefinition,
    EventKind,
    Message,
    MessageKind,
    Priority,
    Status,
    StatusCategory,
    Ticket,
    TicketType,
)
from comptoir.tickets.statuses import default_status


def _customer_overreach(
    actor: Any, *, given: dict[str, bool], contact: Contact | None, custom_fields: dict[str, Any],
    follow_up_of: Ticket | None, priority: int, group: Group | None,
) -> dict[str, str]:
    """The fields a customer opening a ticket tried to set that are the team's to decide.

    A customer says what the problem is (subject, description, files, the
    custom fields marked editable by customers) and whom they copy; how urgent
    it is, what kind, who handles it, its status, tags, due date, account,
    product and requester are set by agents at triage. The channel's own
    choices are not the customer's: the department of the address written to,
    and for a follow-up of a closed ticket its priority and group, carried over.
    """
    if actor_kind(actor) != "contact":
        return {}
    refused = {name for name, is_given in given.items() if is_given}
    if contact is not None and contact.pk != actor.pk:
        refused.add("contact")
    if follow_up_of is not None:
        if priority == follow_up_of.priority:
            refused.discard("priority")
        if group is not None and group.pk == follow_up_of.group_id:
            refused.discard("group")
    if custom_fields:
        editable = set(CustomFieldDefinition.objects.filter(editable_by_customers=True).values_list("key", flat=True))
        refused |= set(custom_fields) - editable
    return dict.fromkeys(sorted(refused), "not_allowed")


def _as_priority(value: Any) -> int:
    if isinstance(value, str) and not value.isdigit():
        try:
            return int(Priority.from_name(value))
        except KeyError as exc:
            raise ValidationFailed(_("Unknown priority."), {"priority": "invalid"}) from exc
    if int(value) not in Priority.values:
        raise ValidationFailed(_("Unknown priority."), {"priority": "invalid"})
    return int(value)


@transaction.atomic
def create_ticket(
    *,
    actor: Any,
    via: str,
    subject: str,
    description: str = "",
    description_html: str = "",
    contact: Contact | None = None,
    contact_email: str | None = None,
    contact_phone: str | None = None,
    contact_name: str = "",
    contact_locale: str | None = None,
    account: Account | None = None,
    account_name: str | None = None,
    product_name: str | None = None,
    priority: Any = None,
    type: str | None = None,
    channel: str | None = None,
    department: Department | None = None,
    assignee: Any = UNSET,
    group: Group | None = None,
    status: Status | None = None,
    tags: Iterable[str] = (),
    due_at: datetime | None = None,
    custom_fields: dict[str, Any] | None = None,
    attachments: Iterable[IncomingFile] = (),
    cc: Iterable[Contact] = (),
    email_headers: dict[str, Any] | None = None,
    follow_up_of: Ticket | None = None,
    send_confirmation: bool = True,
    created_at: datetime | None = None,
    first_message: Message | None = None,
) -> Ticket:
    """Open a ticket and its first message, for a contact found or created on the way.

    Guarantees: the contact is found by any known email or phone (a second
    channel adds an identity, never a duplicate contact); an unknown account or
    product given by name is created; an agent creator becomes the assignee
    unless another is given; the ticket, its first message and its "created"
    history entry are written in one transaction; after commit a
    "ticket.created" event is emitted (the email channel sends the confirmation
    with the ticket number from it). A customer creating their own ticket sets
    only what _customer_overreach allows; anything else is refused with
    {"field": "not_allowed"}, whichever edge they came through. `priority` and
    `type` left None are normal and question. `first_message` (used by splitting) moves an
    existing message, with its headers and files, in as the first message
    instead of writing a new one.
    """
    require(actor, "ticket.create")
    subject = (subject or "").strip()
    if not subject:
        raise ValidationFailed(_("A ticket needs a subject."), {"subject": "required"})
    files = list(attachments)
    validate_files(files)
    now = created_at or timezone.now()
    channel = channel or via or Channel.WEB
    if channel not in Channel.values:
        raise ValidationFailed(_("Unknown channel."), {"channel": "invalid"})
    type = TicketType.QUESTION if type is None else type
    if type not in TicketType.values:
        raise ValidationFailed(_("Unknown ticket type."), {"type": "invalid"})
    priority_value = _as_priority(Priority.NORMAL if priority is None else priority)
    refused = _customer_overreach(
        actor, contact=contact, custom_fields=custom_fields or {}, follow_up_of=follow_up_of,
        priority=priority_value, group=group,
        given={
            "priority": priority_value != Priority.NORMAL, "type": type != TicketType.QUESTION,
            "channel": channel != via, "group": group is not None, "assignee": assignee not in (UNSET, None),
            "status": status is not None, "tags": bool(tags), "due_at": due_at is not None,
            "account": account is not None or bool(account_name), "product": bool(product_name),
            "contact": bool(contact_email or contact_phone or contact_name or contact_locale),
        },
    )
    if refused:
        raise ValidationFailed(_("Customers cannot set these fields."), refused)

    if account is None and account_name:
        account = find_or_create_account(account_name, actor=actor, via=via)
    if actor_kind(actor) == "contact":
        contact = actor
    if contact is None:
        contact, _created = find_or_create_contact(
            email=contact_email, phone=contact_phone, name=contact_name, locale=contact_locale, account=account,
            department=department,
        )
    product = find_or_create_product(product_name, actor=actor, via=via) if product_name else None

    if group is None and department is not None and department.default_group_id is not None:
        group = department.default_group  # the brand's own team takes what arrives without one
    if assignee is UNSET:
        assignee = actor if isinstance(actor, Agent) else None
    if assignee is not None:
        if not assignee.is_active:
            raise ValidationFailed(_("This agent is deactivated."), {"assignee": "inactive"})
        allowed = assignable_agent_ids(actor, group.pk if group else None)
        if allowed is not None and assignee.pk not in allowed:
            raise ValidationFailed(_("You cannot assign tickets to this agent."), {"assignee": "forbidden"})

    new_status = default_status(StatusCategory.NEW)
    initial = status or (default_status(StatusCategory.OPEN) if assignee else new_status)
    fields = clean_custom_fields(custom_fields or {}, department)
    ticket = Ticket(
        number=next_ticket_number(),
        subject=subject[:250],
        description=description or html_to_text(description_html),
        status=new_status,
        status_category=StatusCategory.NEW,
        priority=priority_value,
        type=type,
        channel=channel,
        department=department,
        contact=contact,
        account=account or contact.account,
        product=product,
        assignee=assignee,
        group=group,
        due_at=due_at,
        custom_fields=fields,
        created_at=now,
        updated_at=now,
        status_changed_at=now,
        last_customer_message_at=now,
        follow_up_of=follow_up_of,
    )
    if initial.category != StatusCategory.NEW:
        apply_status(ticket, initial, now)
        missing = required_fields_missing(ticket, initial.category, fields)
        if missing:
            raise ValidationFailed(_("Some required fields are empty."), dict.fromkeys(missing, "required"))
    ticket.save(force_insert=True)

    headers = email_headers or {}
    if first_message is not None:
        Message.objects.filter(pk=first_message.pk).update(ticket=ticket)
        first_message.attachments.update(ticket=ticket)
        first_message.ticket = ticket
        message = first_message
    else:
        message = Message.objects.create(
            ticket=ticket,
            kind=MessageKind.REPLY,
            author_kind="contact",
            author_contact=contact,
            channel=channel,
            body_text=description or html_to_text(description_html),
            body_html=sanitize_html(description_html),
            to=headers.get("to", []),
            cc=headers.get("cc", []),
            email_message_id=headers.get("message_id", "")[:998],
            in_reply_to=headers.get("in_reply_to", "")[:998],
            references=headers.get("references", []),
            is_auto_reply=bool(headers.get("is_auto_reply", False)),
            created_at=now,
        )
    if files:
        store_attachments(ticket, message, files)
    if tags:
        set_tags(ticket, tags)
    cc_list = [c for c in cc if c.pk != contact.pk]
    if cc_list:
        ticket.cc_contacts.add(*cc_list)
    history.record(
        ticket,
        EventKind.CREATED,
        actor=actor,
        via=via,
        data={"channel": channel, "status": ticket.status.name, "message_id": message.pk},
        at=now,
    )
    if follow_up_of is not None:
        history.record(follow_up_of, EventKind.FOLLOW_UP_CREATED, actor=actor, via=via,
                       new={"id": ticket.pk, "number": ticket.number}, at=now)
    emit(Event(
        "ticket.created",
        ticket_id=ticket.pk,
        actor_kind=actor_kind(actor),
        actor_id=getattr(actor, "pk", None),
        data={"message_id": message.pk, "send_confirmation": send_confirmation and not message.is_auto_reply,
              "channel": channel, "department_id": ticket.department_id},
    ))
    return ticket


@transaction.atomic
def split_message_into_ticket(message: Message, *, actor: Any, via: str, subject: str | None = None) -> Ticket:
    """Move one customer message out of its ticket into a new ticket of its own.

    Both tickets record the split; the new ticket keeps the message's author,
    department and group, and sends no confirmation.
    """
    source = message.ticket
    ensure_allowed(actor, "ticket.split", source)
    if message.kind != MessageKind.REPLY or message.author_contact_id is None:
        raise ValidationFailed(_("Only a customer's message can be split into a new ticket."), {"message": "invalid"})
    first = source.messages.order_by("created_at", "id").values_list("pk", flat=True).first()
    if first == message.pk:
        raise ValidationFailed(_("The first message is the ticket itself; it cannot be split off."), {"message": "first"})
    new_ticket = create_ticket(
        actor=actor,
        via=via,
        subject=subject or source.subject,
        description=message.body_text,
        contact=message.author_contact,
        department=source.department,
        group=source.group,
        channel=message.channel,
        priority=source.priority,
        send_confirmation=False,
        first_message=message,
    )
    history.record(source, EventKind.SPLIT_TO, actor=actor, via=via, new={"id": new_ticket.pk, "number": new_ticket.number})
    history.record(new_ticket, EventKind.SPLIT_FROM, actor=actor, via=via, old={"id": source.pk, "number": source.number})
    return new_ticket


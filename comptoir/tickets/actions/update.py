"""Changing a ticket's properties: fields, status, assignment, tags, archiving, auto-close."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from comptoir.contacts.models import Contact, Product
from comptoir.core.actors import SYSTEM, actor_kind
from comptoir.core.errors import ValidationFailed
from comptoir.core.hooks import Event, emit
from comptoir.core.models import Agent, Department, Group
from comptoir.core.permissions import assignable_agent_ids, can
from comptoir.tickets import history
from comptoir.tickets.actions.fields import clean_custom_field_changes, normalize_tag, set_tags
from comptoir.tickets.actions.guards import apply_status, ensure_allowed, required_fields_missing
from comptoir.tickets.models import (
    Category,
    Channel,
    DeliveryStatus,
    EventKind,
    Message,
    Priority,
    Status,
    StatusCategory,
    Ticket,
    TicketType,
)
from comptoir.tickets.statuses import default_status

# Plain fields and the values they accept.
_CHOICE_FIELDS: dict[str, list[Any]] = {"priority": Priority.values, "type": TicketType.values, "channel": Channel.values}
_FK_FIELDS: dict[str, type[Any]] = {
    "department": Department,
    "contact": Contact,
    "product": Product,
    "category": Category,
    "subcategory": Category,
    "assignee": Agent,
    "group": Group,
}
UPDATABLE = {"subject", "status", "priority", "type", "channel", "due_at", "custom_fields", "tags", *_FK_FIELDS}


def _display(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return value


def _resolve_fk(field: str, value: Any) -> Any:
    model = _FK_FIELDS[field]
    if value is None or isinstance(value, model):
        return value
    obj = model.objects.filter(pk=value).first() if str(value).isdigit() else None
    if obj is None:
        raise ValidationFailed(_("Unknown %(field)s.") % {"field": field}, {field: "not_found"})
    return obj


def _resolve_status(value: Any) -> Status:
    if isinstance(value, Status):
        return value
    if isinstance(value, str) and value in StatusCategory.values:
        return default_status(value)
    status = Status.objects.filter(pk=value).first() if str(value).isdigit() else Status.objects.filter(name__iexact=str(value)).first()
    if status is None or not status.active:
        raise ValidationFailed(_("Unknown status."), {"status": "not_found"})
    return status


def _check_assignee(ticket: Ticket, assignee: Agent | None, actor: Any, group: Group | None) -> None:
    if assignee is None:
        # Clearing the assignee is assigning: those who may only take tickets (light agents) cannot.
        if isinstance(actor, Agent) and not can(actor, "ticket.assign"):
            raise ValidationFailed(_("Light agents can only take tickets for themselves."), {"assignee": "forbidden"})
        return
    if not assignee.is_active:
        raise ValidationFailed(_("This agent is deactivated."), {"assignee": "inactive"})
    allowed = assignable_agent_ids(actor, group.pk if group else None)
    if allowed is not None and assignee.pk not in allowed:
        raise ValidationFailed(_("You cannot assign tickets to this agent."), {"assignee": "forbidden"})


@transaction.atomic
def update_ticket(ticket: Ticket, changes: dict[str, Any], *, actor: Any, via: str) -> Ticket:
    """Apply validated field changes; one history entry per changed field.

    Refuses unknown fields and values, assignments the actor's role does not
    allow, and a status change that would leave a required custom field empty.
    Light agents may only take a ticket (assignee = themselves). Emits
    "ticket.updated" with the changed fields after commit.
    """
    only_taking = set(changes) <= {"assignee"} and (
        changes.get("assignee") is not None and getattr(changes.get("assignee"), "pk", changes.get("assignee")) == getattr(actor, "pk", None)
    )
    ensure_allowed(actor, "ticket.take" if only_taking else "ticket.update", ticket)
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise ValidationFailed(_("These fields cannot be changed."), dict.fromkeys(sorted(unknown), "unknown"))
    ticket = Ticket.objects.select_for_update().select_related("status").get(pk=ticket.pk)
    now = timezone.now()
    changed: list[tuple[str, Any, Any]] = []
    field_data: dict[str, dict[str, Any]] = {}

    if "assignee" in changes and not only_taking and isinstance(actor, Agent) and not can(actor, "ticket.assign"):
        raise ValidationFailed(_("You cannot assign tickets to others."), {"assignee": "forbidden"})

    for field, value in changes.items():
        if field in ("status", "custom_fields", "tags"):
            continue
        if field in _FK_FIELDS:
            new = _resolve_fk(field, value)
            old = getattr(ticket, field)
            if (old.pk if old else None) == (new.pk if new else None):
                continue
            if field == "assignee":
                group = _resolve_fk("group", changes["group"]) if "group" in changes else ticket.group
                _check_assignee(ticket, new, actor, group)
            if field == "subcategory" and new is not None:
                parent = _resolve_fk("category", changes["category"]) if "category" in changes else ticket.category
                if parent is None or new.parent_id != parent.pk:
                    raise ValidationFailed(_("This subcategory belongs to another category."), {"subcategory": "invalid"})
            setattr(ticket, field, new)
            if field == "contact" and new is not None:
                ticket.account = new.account
            changed.append((field, str(old) if old else None, str(new) if new else None))
            continue
        if field in _CHOICE_FIELDS:
            if field == "priority" and isinstance(value, str) and not value.isdigit():
                try:
                    value = int(Priority.from_name(value))
                except KeyError:
                    value = None
            elif field == "priority" and value is not None:
                value = int(value)
            if value not in _CHOICE_FIELDS[field]:
                raise ValidationFailed(_("Invalid value for %(field)s.") % {"field": field}, {field: "invalid"})
        if field == "subject":
            value = (value or "").strip()[:250]
            if not value:
                raise ValidationFailed(_("A ticket needs a subject."), {"subject": "required"})
        if field == "due_at" and value is not None and not isinstance(value, datetime):
            raise ValidationFailed(_("Invalid due date."), {"due_at": "invalid"})
        old = getattr(ticket, field)
        if old == value:
            continue
        setattr(ticket, field, value)
        changed.append((field, old, value))

    if "custom_fields" in changes:
        new_fields, cleared = clean_custom_field_changes(changes["custom_fields"] or {}, ticket.department, ticket.custom_fields)
        if new_fields != ticket.custom_fields:
            changed.append(("custom_fields", ticket.custom_fields, new_fields))
            ticket.custom_fields = new_fields
        if cleared:
            field_data["custom_fields"] = {"cleared_dependents": cleared}

    if "status" in changes:
        status = _resolve_status(changes["status"])
        if status.pk != ticket.status_id:
            missing = required_fields_missing(ticket, status.category, ticket.custom_fields)
            if missing:
                raise ValidationFailed(
                    _("Fill in the required fields before setting this status."), dict.fromkeys(missing, "required")
                )
            changed.extend(apply_status(ticket, status, now))
    elif ticket.status_category == StatusCategory.CLOSED and changed:
        raise ValidationFailed(_("A closed ticket cannot be changed."), {"ticket": "closed"})

    # Archiving hides finished tickets; a reopened one comes back into the lists.
    unarchived = ticket.archived_at is not None and ticket.status_category not in (StatusCategory.SOLVED, StatusCategory.CLOSED)
    if unarchived:
        ticket.archived_at = None

    tag_added: set[str] = set()
    tag_removed: set[str] = set()
    if "tags" in changes:
        tag_added, tag_removed = set_tags(ticket, changes["tags"] or [])

    if not changed and not tag_added and not tag_removed:
        return ticket
    ticket.updated_at = now
    ticket.save()
    events = [history.build(ticket, EventKind.FIELD_CHANGED, actor=actor, via=via, field=f, old=o, new=n,
                            data=field_data.get(f), at=now) for f, o, n in changed]
    events += [history.build(ticket, EventKind.TAG_ADDED, actor=actor, via=via, new=t, at=now) for t in sorted(tag_added)]
    events += [history.build(ticket, EventKind.TAG_REMOVED, actor=actor, via=via, old=t, at=now) for t in sorted(tag_removed)]
    if unarchived:
        events.append(history.build(ticket, EventKind.UNARCHIVED, actor=actor, via=via, data={"reason": "reopened"}, at=now))
    history.record_many(events)
    _emit_updated(ticket, actor, [f for f, _o, _n in changed] + (["tags"] if tag_added or tag_removed else []), changed)
    return ticket


def _emit_updated(ticket: Ticket, actor: Any, fields: list[str], changed: list[tuple[str, Any, Any]]) -> None:
    data: dict[str, Any] = {"fields": fields}
    for field, old, new in changed:
        if field == "status":
            data["status"] = {"old": old, "new": new, "category": ticket.status_category}
        if field == "assignee":
            data["assignee_id"] = ticket.assignee_id
    emit(Event("ticket.updated", ticket_id=ticket.pk, actor_kind=actor_kind(actor), actor_id=getattr(actor, "pk", None), data=data))
    if "status" in fields and ticket.status_category == StatusCategory.SOLVED:
        emit(Event("ticket.solved", ticket_id=ticket.pk, actor_kind=actor_kind(actor), actor_id=getattr(actor, "pk", None)))


def assign_ticket(ticket: Ticket, *, assignee: Agent | None, actor: Any, via: str, group: Any = None) -> Ticket:
    """Give the ticket to an agent (and optionally a group), within what the actor's role allows."""
    changes: dict[str, Any] = {"assignee": assignee}
    if group is not None:
        changes["group"] = group
    return update_ticket(ticket, changes, actor=actor, via=via)


def take_ticket(ticket: Ticket, *, actor: Agent, via: str) -> Ticket:
    """Assign the ticket to the acting agent; the one thing light agents may change."""
    return update_ticket(ticket, {"assignee": actor}, actor=actor, via=via)


def add_tags(ticket: Ticket, names: Iterable[str], *, actor: Any, via: str) -> Ticket:
    current = set(ticket.tags.values_list("name", flat=True))
    return update_ticket(ticket, {"tags": current | {normalize_tag(n) for n in names}}, actor=actor, via=via)


def remove_tags(ticket: Ticket, names: Iterable[str], *, actor: Any, via: str) -> Ticket:
    current = set(ticket.tags.values_list("name", flat=True))
    return update_ticket(ticket, {"tags": current - {normalize_tag(n) for n in names}}, actor=actor, via=via)


@transaction.atomic
def archive_ticket(ticket: Ticket, *, actor: Any, via: str) -> Ticket:
    """Hide a solved or closed ticket from lists; it stays searchable and reachable by number."""
    ensure_allowed(actor, "ticket.archive", ticket)
    if ticket.status_category not in (StatusCategory.SOLVED, StatusCategory.CLOSED):
        raise ValidationFailed(_("Only solved or closed tickets can be archived."), {"status": "unsolved"})
    if ticket.archived_at is not None:
        return ticket
    ticket.archived_at = timezone.now()
    ticket.save(update_fields=["archived_at"])
    history.record(ticket, EventKind.ARCHIVED, actor=actor, via=via)
    return ticket


@transaction.atomic
def unarchive_ticket(ticket: Ticket, *, actor: Any, via: str) -> Ticket:
    """Bring an archived ticket back into lists; only for actors who may see it."""
    ensure_allowed(actor, "ticket.archive", ticket)
    if ticket.archived_at is None:
        return ticket
    ticket.archived_at = None
    ticket.save(update_fields=["archived_at"])
    history.record(ticket, EventKind.UNARCHIVED, actor=actor, via=via)
    return ticket


def close_solved_tickets(*, now: datetime | None = None, days: int | None = None, batch: int = 500) -> int:
    """Close tickets solved more than `days` ago (setting AUTO_CLOSE_SOLVED_AFTER_DAYS).

    Reads only the due tickets through the (status_category, solved_at) index,
    so its cost follows what is due, not the table size. Returns how many closed.
    """
    now = now or timezone.now()
    days = settings.AUTO_CLOSE_SOLVED_AFTER_DAYS if days is None else days
    cutoff = now - timedelta(days=days)
    closed_status = default_status(StatusCategory.CLOSED)
    total = 0
    while True:
        with transaction.atomic():
            due = list(
                Ticket.objects.select_for_update()
                .select_related("status")
                .filter(status_category=StatusCategory.SOLVED, solved_at__lte=cutoff)
                .order_by("solved_at")[:batch]
            )
            if not due:
                return total
            events = []
            for ticket in due:
                for field, old, new in apply_status(ticket, closed_status, now):
                    events.append(history.build(ticket, EventKind.FIELD_CHANGED, actor=SYSTEM, via="system",
                                                field=field, old=old, new=new, data={"reason": "auto_close"}, at=now))
                ticket.updated_at = now
            Ticket.objects.bulk_update(due, ["status", "status_category", "status_changed_at", "closed_at", "solved_at", "updated_at"])
            history.record_many(events)
            for ticket in due:
                emit(Event("ticket.updated", ticket_id=ticket.pk, data={"fields": ["status"], "status": {"new": closed_status.name, "category": "closed"}}))
            total += len(due)


@transaction.atomic
def mark_message_delivery(message: Message, *, status: str, error: str = "") -> Message:
    """Record what happened to an outbound message (queued, sent, failed) — shown on the message."""
    if status not in DeliveryStatus.values:
        raise ValidationFailed("Unknown delivery status.", {"status": "invalid"})
    Message.objects.filter(pk=message.pk).update(delivery_status=status, delivery_error=error[:2000])
    message.delivery_status = status
    message.delivery_error = error[:2000]
    if status == DeliveryStatus.FAILED:
        history.record(message.ticket, EventKind.CUSTOM, actor=SYSTEM, via="email",
                       data={"what": "delivery_failed", "message_id": message.pk, "error": error[:500]})
    return message


def assign_email_message_id(message: Message, value: str) -> str:
    """Store an outbound message's Message-ID once; a retry keeps the first one. Returns the stored id."""
    Message.objects.filter(pk=message.pk, email_message_id="").update(email_message_id=value[:998])
    message.email_message_id = Message.objects.values_list("email_message_id", flat=True).get(pk=message.pk)
    return message.email_message_id


def replace_message_html(message: Message, html: str) -> Message:
    """Swap a message's HTML for a re-rendered version (e.g. cid: images pointed at stored files).

    The HTML is sanitised again here, so a caller can never store unsafe markup.
    """
    from comptoir.tickets.html import sanitize_html

    clean = sanitize_html(html)
    if clean != message.body_html:
        Message.objects.filter(pk=message.pk).update(body_html=clean)
        message.body_html = clean
    return message

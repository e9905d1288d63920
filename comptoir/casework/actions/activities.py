"""Tasks, calls and events on a ticket, with their reminders."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from comptoir.casework.models import (
    Activity,
    ActivityKind,
    CallDirection,
    Reminder,
    ReminderChannel,
)
from comptoir.core.errors import NotFound, ValidationFailed
from comptoir.core.hooks import Event, emit
from comptoir.core.models import Agent
from comptoir.tickets import history
from comptoir.tickets.actions.guards import ensure_allowed
from comptoir.tickets.models import Ticket


def create_activity(
    ticket: Ticket, kind: str, subject: str, *, actor: Any, via: str,
    owner: Agent | None = None, due_at: datetime | None = None, ends_at: datetime | None = None,
    direction: str = "", duration_minutes: int | None = None, outcome: str = "",
    reminders: Sequence[dict[str, Any]] = (),
) -> Activity:
    """A task/call/event on `ticket`, owned by `owner` or the actor.

    Each reminder is {"channel": email|popup|sms, "remind_at": datetime, "sms_to": "..."}
    and must lie in the future; nothing is saved when any input is refused.
    An owner other than the actor must be an active agent who can see the ticket,
    and choosing one is a reassignment: it needs `ticket.update`.
    """
    from comptoir.tickets.queries import is_visible

    ensure_allowed(actor, "ticket.note", ticket)
    if owner is not None and owner.pk != getattr(actor, "pk", None):
        ensure_allowed(actor, "ticket.update", ticket)
    owner = owner or (actor if isinstance(actor, Agent) else None)
    now = timezone.now()
    errors: dict[str, str] = {}
    if kind not in ActivityKind.values:
        errors["kind"] = _("Choose task, call or event.")
    subject = (subject or "").strip()
    if not subject:
        errors["subject"] = _("Give the activity a subject.")
    if owner is None:
        errors["owner"] = _("Choose who owns this activity.")
    elif not owner.is_active or not is_visible(owner, ticket):
        errors["owner"] = _("Choose an active agent who can see this ticket.")
    if kind == ActivityKind.CALL and direction not in CallDirection.values:
        errors["direction"] = _("Say whether the call was inbound or outbound.")
    if kind == ActivityKind.EVENT and (due_at is None or ends_at is None or ends_at < due_at):
        errors["ends_at"] = _("An event needs a start and an end after it.")
    for reminder in reminders:
        if reminder.get("channel") not in ReminderChannel.values:
            errors["reminders"] = _("Unknown reminder channel.")
        elif not isinstance(reminder.get("remind_at"), datetime) or reminder["remind_at"] <= now:
            errors["reminders"] = _("A reminder can only be set for a future date and time.")
        elif reminder["channel"] == ReminderChannel.SMS and not (reminder.get("sms_to") or "").strip():
            errors["reminders"] = _("An SMS reminder needs a phone number.")
    if errors or owner is None:
        raise ValidationFailed(_("The activity could not be saved."), errors)
    with transaction.atomic():
        activity = Activity.objects.create(
            ticket=ticket, kind=kind, subject=subject, owner=owner,
            created_by=actor if isinstance(actor, Agent) else None, due_at=due_at, ends_at=ends_at,
            direction=direction if kind == ActivityKind.CALL else "", duration_minutes=duration_minutes, outcome=outcome,
        )
        Reminder.objects.bulk_create([
            Reminder(activity=activity, channel=r["channel"], remind_at=r["remind_at"], sms_to=(r.get("sms_to") or "").strip())
            for r in reminders
        ])
        history.record(ticket, "activity_created", actor=actor, via=via,
                       data={"activity_id": activity.pk, "kind": kind, "subject": subject, "owner_id": owner.pk})
        emit(Event("activity.created", ticket_id=ticket.pk, data={"activity_id": activity.pk}))
    return activity


def complete_activity(activity: Activity, *, actor: Any, via: str) -> Activity:
    """Mark done (idempotent); only the owner or someone who may update the ticket."""
    ticket = activity.ticket
    capability = "ticket.note" if getattr(actor, "pk", None) == activity.owner_id else "ticket.update"
    ensure_allowed(actor, capability, ticket)
    with transaction.atomic():
        current = Activity.objects.select_for_update().filter(pk=activity.pk).first()
        if current is None:
            raise NotFound(_("Activity not found."))
        if current.completed_at is None:
            current.completed_at = timezone.now()
            current.save(update_fields=["completed_at"])
            history.record(ticket, "activity_completed", actor=actor, via=via,
                           data={"activity_id": current.pk, "subject": current.subject})
            emit(Event("activity.completed", ticket_id=ticket.pk, data={"activity_id": current.pk}))
    current.ticket = ticket
    return current


# Fields update_activity may change; anything else is refused rather than ignored.
EDITABLE_FIELDS = ("subject", "owner", "due_at", "ends_at", "direction", "duration_minutes", "outcome")


def update_activity(activity: Activity, changes: dict[str, Any], *, actor: Any, via: str) -> Activity:
    """Change some fields of an activity (reassign, reschedule, record a call's outcome).

    The owner may edit their own activity; anyone else, and any reassignment,
    needs `ticket.update`. The new owner must be an active agent who can see the
    ticket. The same rules as create_activity hold for the result (a call keeps
    a direction, an event ends after it starts). One history entry lists every
    field changed, old -> new; nothing changes when anything is refused.
    """
    from comptoir.tickets.queries import is_visible

    ticket = activity.ticket
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise ValidationFailed(_("These fields cannot be changed."), dict.fromkeys(unknown, _("Not editable.")))
    own = getattr(actor, "pk", None) == activity.owner_id and "owner" not in changes
    ensure_allowed(actor, "ticket.note" if own else "ticket.update", ticket)
    with transaction.atomic():
        current = Activity.objects.select_for_update().filter(pk=activity.pk).first()
        if current is None:
            raise NotFound(_("Activity not found."))
        errors: dict[str, str] = {}
        if "subject" in changes:
            changes["subject"] = (changes["subject"] or "").strip()
            if not changes["subject"]:
                errors["subject"] = _("Give the activity a subject.")
        if "owner" in changes:
            owner = changes["owner"]
            if not isinstance(owner, Agent) or not owner.is_active or not is_visible(owner, ticket):
                errors["owner"] = _("Choose an active agent who can see this ticket.")
        if "outcome" in changes:
            changes["outcome"] = (changes["outcome"] or "").strip()
        if "direction" in changes:
            changes["direction"] = changes["direction"] or ""
        after = {name: changes.get(name, getattr(current, name)) for name in EDITABLE_FIELDS}
        if current.kind == ActivityKind.CALL and after["direction"] not in CallDirection.values:
            errors["direction"] = _("Say whether the call was inbound or outbound.")
        if current.kind != ActivityKind.CALL and after["direction"]:
            errors["direction"] = _("Only calls have a direction.")
        if current.kind == ActivityKind.EVENT and (
            after["due_at"] is None or after["ends_at"] is None or after["ends_at"] < after["due_at"]
        ):
            errors["ends_at"] = _("An event needs a start and an end after it.")
        if errors:
            raise ValidationFailed(_("The activity could not be saved."), errors)
        changed: dict[str, list[Any]] = {}
        for name in EDITABLE_FIELDS:
            if name in changes and changes[name] != getattr(current, name):
                changed[name] = [_plain(getattr(current, name)), _plain(changes[name])]
                setattr(current, name, changes[name])
        if changed:
            current.save(update_fields=list(changed))
            history.record(ticket, "activity_updated", actor=actor, via=via,
                           data={"activity_id": current.pk, "subject": current.subject, "changes": changed})
            emit(Event("activity.updated", ticket_id=ticket.pk, data={"activity_id": current.pk}))
    current.ticket = ticket
    return current


def _plain(value: Any) -> Any:
    """A value as it can be stored in the history's JSON data."""
    if isinstance(value, Agent):
        return value.pk
    if isinstance(value, datetime):
        return value.isoformat()
    return value

"""Reordering, replacing and deleting statuses: the admin center's status page.

Creating, renaming, translating and (de)activating live in `catalog.py`
with the rest of the vocabulary. A status tickets still hold is never
deleted, only replaced: its tickets move to another status of the same
category (same category, so their meaning, timestamps and SLA clocks stay),
each with a history entry naming the admin, and only then is it deactivated
or deleted.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from comptoir.core.actors import actor_kind
from comptoir.core.errors import Conflict, ValidationFailed
from comptoir.core.history import record_change, snapshot
from comptoir.core.hooks import Event, emit
from comptoir.core.permissions import require
from comptoir.tickets import history
from comptoir.tickets.actions.catalog import SETTINGS, STATUS_AUDIT, _forget_statuses, _save_status
from comptoir.tickets.models import EventKind, Status, Ticket

MOVE_BATCH = 500
UP, DOWN = "up", "down"


def _renumber(statuses: list[Status]) -> None:
    """Positions 0..n-1 in list order, written only where they changed."""
    changed = []
    for index, status in enumerate(statuses):
        if status.position != index:
            status.position = index
            changed.append(status)
    if changed:
        Status.objects.bulk_update(changed, ["position"])


@transaction.atomic
def move_status(status: Status, direction: str, *, actor: Any, via: str = "") -> Status:
    """Swap a status with its neighbour above (`"up"`) or below (`"down"`) in the list agents pick from.

    Positions are renumbered 0..n-1 on the way, so equal or sparse positions
    (the API accepts any) still move one step per click. At either end nothing changes.
    """
    require(actor, SETTINGS)
    if direction not in (UP, DOWN):
        raise ValidationFailed(_("A status moves up or down."), {"direction": "invalid"})
    ordered = list(Status.objects.select_for_update().order_by("position", "id"))
    index = next((i for i, s in enumerate(ordered) if s.pk == status.pk), None)
    if index is None:
        raise Conflict(_("This status no longer exists."))
    other = index - 1 if direction == UP else index + 1
    if not 0 <= other < len(ordered):
        return ordered[index]
    before = snapshot(ordered[index], ("position",))
    ordered[index], ordered[other] = ordered[other], ordered[index]
    _renumber(ordered)
    moved = ordered[other]
    _forget_statuses()
    record_change("status.reordered", moved, actor=actor, via=via, before=before, after=snapshot(moved, ("position",)))
    return moved


def _move_tickets(source: Status, target: Status, *, actor: Any, via: str) -> int:
    """Give every ticket of `source` the status `target` (same category), in batches; returns how many.

    Written here rather than ticket by ticket through `update_ticket`, which
    refuses to touch closed tickets (their status is final for agents) and
    re-checks fields required on entering a category these tickets are
    already in: a same-category move changes only the name they show.
    """
    now = timezone.now()
    moved = 0
    while True:
        batch = list(Ticket.objects.select_for_update().filter(status=source).order_by("pk").values_list("pk", flat=True)[:MOVE_BATCH])
        if not batch:
            return moved
        Ticket.objects.filter(pk__in=batch).update(status=target, updated_at=now)
        history.record_many([
            history.build(Ticket(pk=pk), EventKind.FIELD_CHANGED, actor=actor, via=via, field="status",
                          old=source.name, new=target.name, data={"reason": "status_replaced"}, at=now)
            for pk in batch
        ])
        for pk in batch:
            emit(Event("ticket.updated", ticket_id=pk, actor_kind=actor_kind(actor), actor_id=getattr(actor, "pk", None),
                       data={"fields": ["status"], "status": {"old": source.name, "new": target.name, "category": target.category}}))
        moved += len(batch)


@transaction.atomic
def replace_status(status: Status, replacement: Status, *, actor: Any, via: str = "", delete: bool = False) -> int:
    """Move every ticket of `status` to `replacement`, then deactivate `status` (or, with `delete`, remove it).

    The replacement must be another active status of the same category; when
    `status` was its category's default, the replacement becomes the default,
    so no category is ever left without one. Returns how many tickets moved.
    """
    require(actor, SETTINGS)
    status = Status.objects.select_for_update().get(pk=status.pk)
    replacement = Status.objects.select_for_update().get(pk=replacement.pk)
    if replacement.pk == status.pk:
        raise ValidationFailed(_("Pick another status to replace this one."), {"replacement": "same"})
    if replacement.category != status.category:
        raise ValidationFailed(_("The replacement must belong to the same category."), {"replacement": "other_category"})
    if not replacement.active:
        raise ValidationFailed(_("The replacement must be an active status."), {"replacement": "inactive"})
    before = snapshot(status, STATUS_AUDIT)
    moved = _move_tickets(status, replacement, actor=actor, via=via)
    if status.is_default:
        replacement_before = snapshot(replacement, STATUS_AUDIT)
        status.is_default = False
        status.save(update_fields=["is_default"])
        replacement.is_default = True
        _save_status(replacement)
        record_change("status.updated", replacement, actor=actor, via=via,
                      before=replacement_before, after=snapshot(replacement, STATUS_AUDIT))
    if delete:
        _delete(status, actor=actor, via=via, before=before)
    else:
        status.active = False
        _save_status(status)
        record_change("status.replaced", status, actor=actor, via=via, before=before,
                      after={**snapshot(status, STATUS_AUDIT), "replaced_by": replacement.name, "tickets_moved": moved})
    return moved


def _delete(status: Status, *, actor: Any, via: str, before: dict[str, Any]) -> None:
    if Ticket.objects.filter(status=status).exists():
        raise Conflict(_("Tickets still have this status; replace it with another status instead."))
    if status.is_default:
        raise ValidationFailed(_("The default status of a category cannot be deleted; make another status the default first."),
                               {"status": "default"})
    if status.active and not Status.objects.filter(category=status.category, active=True).exclude(pk=status.pk).exists():
        raise ValidationFailed(_("Each category needs at least one active status."), {"status": "last_of_category"})
    status.delete()
    _forget_statuses()
    record_change("status.deleted", None, actor=actor, via=via, before=before, object_type="status", object_repr=before["name"])


@transaction.atomic
def delete_status(status: Status, *, actor: Any, via: str = "") -> None:
    """Delete a status no ticket holds. One in use is refused: replace it instead."""
    require(actor, SETTINGS)
    status = Status.objects.select_for_update().get(pk=status.pk)
    _delete(status, actor=actor, via=via, before=snapshot(status, STATUS_AUDIT))

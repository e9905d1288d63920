"""Checks and bookkeeping shared by every ticket action."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _

from comptoir.core.errors import NotFound, ValidationFailed
from comptoir.core.permissions import require
from comptoir.core.process_cache import process_cached
from comptoir.tickets import queries
from comptoir.tickets.models import CustomFieldDefinition, Status, StatusCategory, Ticket

FIELD_DEFINITIONS_CACHE_SECONDS = 5.0


class Unset:
    """Marks an argument the caller did not give (None is a real value: "unassign")."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = Unset()


def ensure_allowed(actor: Any, capability: str, ticket: Ticket) -> None:
    """Capability from the role, and the ticket inside the actor's visibility.

    A ticket outside the actor's scope is reported as not found, not forbidden,
    so its existence does not leak.
    """
    from comptoir.core.actors import RuleActor, SystemActor

    require(actor, capability, ticket)
    if isinstance(actor, (RuleActor, SystemActor)):
        return
    if not queries.is_visible(actor, ticket):
        raise NotFound(_("Ticket not found."))


def next_ticket_number() -> int:
    """Atomically take the next number from the counter row (one statement on both backends)."""
    table = "tickets_ticketcounter"
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET last_number = last_number + 1 WHERE id = 1 RETURNING last_number")
        row = cursor.fetchone()
        if row is None:
            cursor.execute(f"INSERT INTO {table} (id, last_number) VALUES (1, 1001)")
            return 1001
        return int(row[0])


@process_cached(FIELD_DEFINITIONS_CACHE_SECONDS)
def fields_required_somewhere() -> list[CustomFieldDefinition]:
    """Active definitions required in some status category: checked on every status change.

    Cached per process (a definition change shows within a few seconds, at once
    in the process that made it: the catalog actions call forget_field_definitions()).
    """
    return [d for d in CustomFieldDefinition.objects.filter(active=True) if d.required_in]


def forget_field_definitions() -> None:
    fields_required_somewhere.clear()


def required_fields_missing(ticket: Ticket, category: str, values: dict[str, Any]) -> list[str]:
    """Keys of custom fields required when entering `category` that have no value."""
    missing = []
    for definition in fields_required_somewhere():
        if category not in (definition.required_in or []):
            continue
        if definition.department_id and definition.department_id != ticket.department_id:
            continue
        value = values.get(definition.key)
        if (value in (None, "", [], False) and definition.kind != "checkbox") or (definition.kind == "checkbox" and value is not True):
            missing.append(definition.key)
    return missing


def apply_status(ticket: Ticket, status: Status, at: datetime) -> list[tuple[str, Any, Any]]:
    """Move the ticket to `status`, keeping the category copy and the timestamps right.

    Returns the (field, old, new) changes for history. Closed is final.
    """
    if status.pk == ticket.status_id:
        return []
    if ticket.status_category == StatusCategory.CLOSED:
        raise ValidationFailed(_("A closed ticket cannot change status; reply to open a follow-up."), {"status": "closed"})
    old_status = ticket.status
    changes: list[tuple[str, Any, Any]] = [("status", old_status.name, status.name)]
    ticket.status = status
    ticket.status_category = status.category
    ticket.status_changed_at = at
    if status.category == StatusCategory.SOLVED:
        ticket.solved_at = at
    if status.category == StatusCategory.CLOSED:
        ticket.closed_at = at
        if ticket.solved_at is None:
            ticket.solved_at = at
    return changes

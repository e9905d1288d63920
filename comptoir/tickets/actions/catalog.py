"""Changing the vocabulary tickets use: statuses, tags and custom field definitions.

Admins (capability "admin.settings") change them; every function checks that,
validates, and writes inside one transaction. Nothing here is ever deleted
when tickets may still point at it, except tags, whose removal is written into
the history of every ticket that carried them.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from comptoir.core.actions import conflict_on_duplicate
from comptoir.core.errors import Conflict, ValidationFailed
from comptoir.core.history import record_change, snapshot
from comptoir.core.models import Department
from comptoir.core.name_translations import clean_name_translations
from comptoir.core.permissions import require
from comptoir.tickets import history
from comptoir.tickets.actions.field_options import refuse_removing_used_options
from comptoir.tickets.actions.fields import normalize_tag
from comptoir.tickets.actions.guards import forget_field_definitions
from comptoir.tickets.models import (
    CustomFieldDefinition,
    EventKind,
    FieldKind,
    Status,
    StatusCategory,
    Tag,
    Ticket,
)
from comptoir.tickets.statuses import forget_cached_statuses

SETTINGS = "admin.settings"
MAX_POSITION = 32767  # PositiveSmallIntegerField on both backends
HISTORY_BATCH = 1000
KEY_PATTERN = re.compile(r"^[-a-zA-Z0-9_]+$")

STATUS_FIELDS = {"name", "name_translations", "is_default", "position", "active"}
STATUS_AUDIT = ("name", "name_translations", "category", "is_default", "position", "active")
TICKET_FIELD_AUDIT = ("key", "label", "kind", "choices", "depends_on", "required_in", "visible_to_customers",
                      "editable_by_customers", "department", "position", "active")
CUSTOM_FIELD_FIELDS = {"label", "choices", "required_in", "visible_to_customers", "editable_by_customers", "position", "active"}


def _unknown_keys(changes: dict[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise ValidationFailed(_("These fields cannot be changed."), dict.fromkeys(unknown, "unknown"))


def _name(value: Any, field: str, max_length: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationFailed(_("This field cannot be empty."), {field: "required"})
    value = value.strip()
    if len(value) > max_length:
        raise ValidationFailed(_("This value is too long."), {field: "too_long"})
    return value


def _position(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_POSITION:
        raise ValidationFailed(_("The position must be a whole number from 0 to %(max)d.") % {"max": MAX_POSITION}, {"position": "invalid"})
    return value


def _flag(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationFailed(_("This field must be true or false."), {field: "invalid"})
    return value


def _forget_statuses() -> None:
    """Now, for this request, and again after commit, so no one caches the state of a rolled-back change."""
    forget_cached_statuses()
    transaction.on_commit(forget_cached_statuses)


def _forget_definitions() -> None:
    """Required-field checks cache the definitions; drop them now and after commit."""
    forget_field_definitions()
    transaction.on_commit(forget_field_definitions)


# Statuses -------------------------------------------------------------------


def _save_status(status: Status) -> None:
    """One default per category, and a default is always active: setting a default clears the others."""
    if status.is_default and not status.active:
        raise ValidationFailed(_("A deactivated status cannot be the default of its category."), {"is_default": "inactive"})
    if not status.active and status.pk is not None:
        others = Status.objects.select_for_update().filter(category=status.category, active=True).exclude(pk=status.pk)
        if not others.exists():
            # Tickets moving to this category need a status to land in.
            raise ValidationFailed(_("Each category needs at least one active status."), {"active": "last_of_category"})
    with conflict_on_duplicate(_("A status with this name already exists.")):
        if status.is_default:
            Status.objects.filter(category=status.category, is_default=True).exclude(pk=status.pk).update(is_default=False)
        status.save()
    _forget_statuses()


@transaction.atomic
def create_status(
    *, name: str, category: str, is_default: bool = False, position: int = 0, active: bool = True,
    name_translations: dict[str, str] | None = None, actor: Any, via: str = ""
) -> Status:
    """Add a custom status mapped to one fixed category; a new default replaces the category's old one."""
    require(actor, SETTINGS)
    if category not in StatusCategory.values:
        raise ValidationFailed(_("Unknown status category."), {"category": "invalid"})
    status = Status(
        name=_name(name, "name", 80), category=category, is_default=_flag(is_default, "is_default"),
        position=_position(position), active=_flag(active, "active"),
        name_translations=clean_name_translations(name_translations, max_length=80),
    )
    _save_status(status)
    record_change("status.created", status, actor=actor, via=via, after=snapshot(status, STATUS_AUDIT))
    return status


@transaction.atomic
def update_status(status: Status, changes: dict[str, Any], *, actor: Any, via: str = "") -> Status:
    """Rename, reorder, make default or (de)activate a status. The category never changes:
    tickets in this status keep their meaning. Deactivating a status also drops its default flag."""
    require(actor, SETTINGS)
    _unknown_keys(changes, STATUS_FIELDS)
    before = snapshot(status, STATUS_AUDIT)
    if "name" in changes:
        status.name = _name(changes["name"], "name", 80)
    if "name_translations" in changes:
        status.name_translations = clean_name_translations(changes["name_translations"], max_length=80)
    if "position" in changes:
        status.position = _position(changes["position"])
    if "active" in changes:
        status.active = _flag(changes["active"], "active")
        if not status.active and "is_default" not in changes:
            status.is_default = False
    if "is_default" in changes:
        status.is_default = _flag(changes["is_default"], "is_default")
    _save_status(status)
    record_change("status.updated", status, actor=actor, via=via, before=before, after=snapshot(status, STATUS_AUDIT))
    return status


@transaction.atomic
def deactivate_status(status: Status, *, actor: Any, via: str = "") -> Status:
    """Stop offering a status. Tickets keep it; the last active status of a category stays."""
    require(actor, SETTINGS)
    before = snapshot(status, STATUS_AUDIT)
    status.active = False
    status.is_default = False
    _save_status(status)
    record_change("status.deactivated", status, actor=actor, via=via, before=before, after=snapshot(status, STATUS_AUDIT))
    return status


# The rows migration 0002 seeds: (name, category, position).
DEFAULT_STATUSES = [
    ("New", StatusCategory.NEW, 0),
    ("Open", StatusCategory.OPEN, 1),
    ("Pending", StatusCategory.PENDING, 2),
    ("On hold", StatusCategory.ON_HOLD, 3),
    ("Solved", StatusCategory.SOLVED, 4),
    ("Closed", StatusCategory.CLOSED, 5),
]


@transaction.atomic
def restore_default_statuses(*, actor: Any, via: str = "") -> list[Status]:
    """Give every category without an active status its seeded default again; returns the rows created.

    Tickets need a status to land in whatever category they move to
    (tickets.statuses.default_status only reads). Categories that still have an
    active status are left alone.
    """
    require(actor, SETTINGS)
    covered = set(Status.objects.select_for_update().filter(active=True).values_list("category", flat=True))
    created = []
    for name, category, position in DEFAULT_STATUSES:
        if category in covered:
            continue
        status = Status.objects.filter(name=name).first() or Status(name=name, category=category, position=position)
        if status.category != category:
            # The seeded name now belongs to a status of another category: name this one after its category.
            status = Status(name=str(StatusCategory(category).label), category=category, position=position)
        status.active = True
        status.is_default = True
        _save_status(status)
        created.append(status)
    return created


# Categories: see catalog_categories.py.


# Tags -----------------------------------------------------------------------


def _tag_name(value: Any) -> str:
    name = normalize_tag(value) if isinstance(value, str) else ""
    if not name:
        raise ValidationFailed(_("A tag needs a name."), {"name": "required"})
    return name


def _write_tag_history(tag: Tag, kinds: list[tuple[str, dict[str, Any]]], *, actor: Any, via: str) -> int:
    """Record `kinds` (event kind, old/new values) on every ticket carrying `tag`; returns how many tickets.

    Written in batches of HISTORY_BATCH with one insert and one update each, so the
    cost follows the number of tagged tickets, not the table; updated_at moves so the
    export stream and mirrors see the tickets' new tag lists.
    """
    now = timezone.now()
    ticket_ids = list(Ticket.tags.through.objects.filter(tag_id=tag.pk).values_list("ticket_id", flat=True))
    for start in range(0, len(ticket_ids), HISTORY_BATCH):
        batch = ticket_ids[start:start + HISTORY_BATCH]
        history.record_many([
            history.build(Ticket(pk=ticket_id), kind, actor=actor, via=via, at=now, **values)
            for ticket_id in batch
            for kind, values in kinds
        ])
        Ticket.objects.filter(pk__in=batch).update(updated_at=now)
    return len(ticket_ids)


@transaction.atomic
def create_tag(*, name: str, actor: Any, via: str = "") -> Tag:
    """Add a tag to the vocabulary (normalised: lower case, words joined by hyphens)."""
    require(actor, SETTINGS)
    name = _tag_name(name)
    with conflict_on_duplicate(_("This tag already exists.")):
        return Tag.objects.create(name=name)


@transaction.atomic
def rename_tag(tag: Tag, name: str, *, actor: Any, via: str = "") -> Tag:
    """Rename a tag everywhere. Each ticket carrying it gets "tag removed" (old name) and
    "tag added" (new name) in its history, like a change made on the ticket itself.
    Renaming onto an existing tag is refused (that would be a merge)."""
    require(actor, SETTINGS)
    new_name = _tag_name(name)
    if new_name == tag.name:
        return tag
    if Tag.objects.filter(name=new_name).exclude(pk=tag.pk).exists():
        raise Conflict(_("This tag already exists."))
    old_name = tag.name
    tag.name = new_name
    with conflict_on_duplicate(_("This tag already exists.")):
        tag.save(update_fields=["name"])
    record_change("tag.renamed", tag, actor=actor, via=via, before={"name": old_name}, after={"name": new_name})
    data = {"reason": "tag_renamed"}
    _write_tag_history(
        tag,
        [(EventKind.TAG_REMOVED, {"old": old_name, "data": data}), (EventKind.TAG_ADDED, {"new": new_name, "data": data})],
        actor=actor, via=via,
    )
    return tag


@transaction.atomic
def delete_tag(tag: Tag, *, actor: Any, via: str = "") -> None:
    """Remove a tag from the vocabulary and from every ticket carrying it, with a
    "tag removed" entry in each of those tickets' history."""
    require(actor, SETTINGS)
    _write_tag_history(tag, [(EventKind.TAG_REMOVED, {"old": tag.name, "data": {"reason": "tag_deleted"}})], actor=actor, via=via)
    tag.delete()


# Custom field definitions ----------------------------------------------------


def _choices(kind: str, value: Any) -> list[str] | dict[str, list[str]]:
    """A list of strings, or for a dependent dropdown a mapping parent value -> list of strings."""
    def strings(items: Any) -> list[str]:
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise ValidationFailed(_("Choices must be a list of texts."), {"choices": "invalid"})
        return list(dict.fromkeys(i.strip() for i in items if i.strip()))

    if kind == FieldKind.DEPENDENT_DROPDOWN:
        if not isinstance(value, dict) or not value:
            raise ValidationFailed(_("A dependent dropdown needs a parent field and choices per parent value."), {"choices": "invalid"})
        return {str(parent): strings(items) for parent, items in value.items()}
    if isinstance(value, dict):
        raise ValidationFailed(_("Choices must be a list for this kind of field."), {"choices": "invalid"})
    cleaned = strings(value)
    if kind in (FieldKind.DROPDOWN, FieldKind.MULTI_SELECT) and not cleaned:
        raise ValidationFailed(_("A dropdown needs at least one choice."), {"choices": "required"})
    return cleaned


def _required_in(value: Any) -> list[str]:
    if not isinstance(value, list) or any(v not in StatusCategory.values for v in value):
        raise ValidationFailed(_("Required-in must list status categories."), {"required_in": "invalid"})
    return sorted(set(value), key=StatusCategory.values.index)


def _check_customer_flags(definition: CustomFieldDefinition) -> None:
    if definition.editable_by_customers and not definition.visible_to_customers:
        raise ValidationFailed(_("A field customers can edit must be visible to them."), {"editable_by_customers": "not_visible"})


@transaction.atomic
def create_custom_field(
    *,
    key: str,
    label: str,
    kind: str,
    choices: Any = None,
    depends_on_id: int | None = None,
    required_in: list[str] | None = None,
    visible_to_customers: bool = False,
    editable_by_customers: bool = False,
    department_id: int | None = None,
    position: int = 0,
    actor: Any,
    via: str = "",
) -> CustomFieldDefinition:
    """Add a ticket field. Its key and kind are fixed from now on, so stored values keep their meaning."""
    require(actor, SETTINGS)
    if not isinstance(key, str) or not KEY_PATTERN.match(key) or len(key) > 60:
        raise ValidationFailed(_("A key holds only letters, digits, hyphens and underscores."), {"key": "invalid"})
    if kind not in FieldKind.values:
        raise ValidationFailed(_("Unknown kind of field."), {"kind": "invalid"})
    if depends_on_id is not None and not CustomFieldDefinition.objects.filter(pk=depends_on_id).exists():
        raise ValidationFailed(_("Unknown parent field."), {"depends_on_id": "not_found"})
    if kind == FieldKind.DEPENDENT_DROPDOWN and depends_on_id is None:
        raise ValidationFailed(_("A dependent dropdown needs a parent field and choices per parent value."), {"choices": "invalid"})
    if department_id is not None and not Department.objects.filter(pk=department_id).exists():
        raise ValidationFailed(_("Unknown department."), {"department_id": "not_found"})
    definition = CustomFieldDefinition(
        key=key, label=_name(label, "label", 120), kind=kind, choices=_choices(kind, [] if choices is None else choices),
        depends_on_id=depends_on_id if kind == FieldKind.DEPENDENT_DROPDOWN else None,
        required_in=_required_in(required_in or []),
        visible_to_customers=_flag(visible_to_customers, "visible_to_customers"),
        editable_by_customers=_flag(editable_by_customers, "editable_by_customers"),
        department_id=department_id, position=_position(position),
    )
    _check_customer_flags(definition)
    with conflict_on_duplicate(_("A custom field with this key already exists.")):
        definition.save()
        _forget_definitions()
    record_change("ticket_field.created", definition, actor=actor, via=via, after=snapshot(definition, TICKET_FIELD_AUDIT))
    return definition


@transaction.atomic
def update_custom_field(definition: CustomFieldDefinition, changes: dict[str, Any], *, actor: Any, via: str = "") -> CustomFieldDefinition:
    """Change a field's label, choices, requirements, customer visibility, position or active flag.
    The key and kind never change. An option still held by tickets cannot be removed (the refusal
    says how many); values of a deactivated field stay on tickets."""
    require(actor, SETTINGS)
    _unknown_keys(changes, CUSTOM_FIELD_FIELDS)
    before = snapshot(definition, TICKET_FIELD_AUDIT)
    for field, value in changes.items():
        if field == "label":
            definition.label = _name(value, "label", 120)
        elif field == "choices":
            new_choices = _choices(definition.kind, value)
            refuse_removing_used_options(definition, new_choices)
            definition.choices = new_choices
        elif field == "required_in":
            definition.required_in = _required_in(value)
        elif field == "position":
            definition.position = _position(value)
        else:
            setattr(definition, field, _flag(value, field))
    _check_customer_flags(definition)
    definition.save()
    _forget_definitions()
    record_change("ticket_field.updated", definition, actor=actor, via=via,
                  before=before, after=snapshot(definition, TICKET_FIELD_AUDIT))
    return definition


@transaction.atomic
def deactivate_custom_field(definition: CustomFieldDefinition, *, actor: Any, via: str = "") -> CustomFieldDefinition:
    """Stop offering and validating a field. Values already on tickets stay."""
    require(actor, SETTINGS)
    before = snapshot(definition, TICKET_FIELD_AUDIT)
    definition.active = False
    definition.save(update_fields=["active"])
    _forget_definitions()
    record_change("ticket_field.deactivated", definition, actor=actor, via=via,
                  before=before, after=snapshot(definition, TICKET_FIELD_AUDIT))
    return definition

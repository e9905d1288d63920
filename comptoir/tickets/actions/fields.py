"""Validating custom field values and tag lists before an action writes them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from comptoir.core.errors import ValidationFailed
from comptoir.core.models import Department
from comptoir.tickets.models import CustomFieldDefinition, FieldKind, Tag, Ticket


def normalize_tag(name: str) -> str:
    return "-".join(name.strip().lower().split())[:80]


def _clean_value(definition: CustomFieldDefinition, value: Any, values: dict[str, Any]) -> Any:
    kind = definition.kind
    if value in (None, ""):
        return None
    try:
        if kind in (FieldKind.TEXT, FieldKind.LONG_TEXT):
            text = str(value)
            if kind == FieldKind.TEXT and len(text) > 500:
                raise ValueError
            return text
        if kind == FieldKind.NUMBER:
            # int(4.7) would quietly store 4: refuse fractions instead of rounding them away.
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError
            return int(value)
        if kind == FieldKind.DECIMAL:
            number = Decimal(str(value))
            if not number.is_finite():
                raise ValueError
            return str(number)
        if kind == FieldKind.DATE:
            return dt.date.fromisoformat(str(value)).isoformat()
        if kind == FieldKind.CHECKBOX:
            if isinstance(value, bool):
                return value
            if str(value).lower() in {"true", "1", "on", "yes"}:
                return True
            if str(value).lower() in {"false", "0", "off", "no"}:
                return False
            raise ValueError
        if kind == FieldKind.DROPDOWN:
            if str(value) not in [str(c) for c in definition.choices]:
                raise ValueError
            return str(value)
        if kind == FieldKind.MULTI_SELECT:
            items = value if isinstance(value, list) else [value]
            allowed = [str(c) for c in definition.choices]
            if any(str(v) not in allowed for v in items):
                raise ValueError
            # ["wifi", "wifi"] is one choice picked twice (a double click, a repeated API item).
            return list(dict.fromkeys(str(v) for v in items))
        if kind == FieldKind.DEPENDENT_DROPDOWN:
            if not _fits_parent(definition, value, values):
                raise ValueError
            return str(value)
    except (ValueError, TypeError, InvalidOperation) as exc:
        raise ValidationFailed(
            _("Invalid value for %(field)s.") % {"field": definition.label}, {definition.key: "invalid"}
        ) from exc
    return value


def _fits_parent(definition: CustomFieldDefinition, value: Any, values: dict[str, Any]) -> bool:
    """Whether a dependent dropdown's value is one of the options under its parent's current value."""
    parent_key = definition.depends_on.key if definition.depends_on else None
    parent_value = values.get(parent_key) if parent_key else None
    options = (definition.choices or {}).get(str(parent_value), []) if isinstance(definition.choices, dict) else []
    return str(value) in [str(c) for c in options]


def _check_department(definition: CustomFieldDefinition, department: Department | None) -> None:
    """A department's field only takes values on that department's tickets (no department included)."""
    if not definition.department_id or (department is not None and definition.department_id == department.pk):
        return
    # Only on refusal: loading the field's department costs a query the accepted path never pays.
    names = {"field": definition.label, "department": definition.department.name if definition.department else ""}
    if department is None:
        message = _("The field %(field)s is only for tickets of %(department)s; this ticket has no department.") % names
    else:
        message = _("The field %(field)s is only for tickets of %(department)s, not of %(other)s.") % {
            **names, "other": department.name}
    raise ValidationFailed(message, {definition.key: "department"})


def _clear_orphaned_dependents(merged: dict[str, Any], changed_keys: set[str], given: set[str]) -> list[str]:
    """Drop dependent dropdown values that no longer fit a parent changed in this call.

    A child the same call sets was validated against the new parent already, so
    only stale children (kept from before) are removed; clearing one can orphan
    its own children in turn, hence the loop. Returns the keys cleared, in order.
    """
    cleared: list[str] = []
    if not set(merged) - given:
        return cleared  # nothing kept from before (a new ticket): no query needed
    parents = set(changed_keys)
    while parents:
        children = CustomFieldDefinition.objects.filter(
            kind=FieldKind.DEPENDENT_DROPDOWN, active=True, depends_on__key__in=sorted(parents)
        ).select_related("depends_on")
        parents = set()
        for child in children:
            if child.key in given or child.key not in merged or child.key in cleared:
                continue
            if not _fits_parent(child, merged[child.key], merged):
                merged.pop(child.key)
                cleared.append(child.key)
                parents.add(child.key)
    return cleared


def clean_custom_field_changes(
    values: dict[str, Any], department: Department | None, current: dict[str, Any] | None = None
) -> tuple[dict[str, Any], list[str]]:
    """Validate `values` against the active definitions; returns (current merged with them, cleared keys).

    Unknown keys are refused, and so are values for a department's field on a
    ticket of another department or of none (clearing one with None stays
    allowed, so a ticket that moved department can drop it). None clears a
    field. A dependent dropdown whose parent changes here and whose kept value
    does not exist under the new parent is cleared; its key is listed in the
    second item so the history can say why it went.
    """
    merged = dict(current or {})
    if not values:
        return merged, []
    definitions = {d.key: d for d in CustomFieldDefinition.objects.filter(key__in=list(values), active=True).select_related("depends_on")}
    unknown = [k for k in values if k not in definitions]
    if unknown:
        raise ValidationFailed(_("Unknown custom fields."), dict.fromkeys(unknown, "unknown"))
    combined = {**merged, **values}
    changed: set[str] = set()
    for key, raw in values.items():
        definition = definitions[key]
        if raw not in (None, ""):
            _check_department(definition, department)
        cleaned = _clean_value(definition, raw, combined)
        if cleaned is None:
            merged.pop(key, None)
        else:
            merged[key] = cleaned
        if merged.get(key) != (current or {}).get(key):
            changed.add(key)
    cleared = _clear_orphaned_dependents(merged, changed, set(values)) if changed else []
    return merged, cleared


def clean_custom_fields(
    values: dict[str, Any], department: Department | None, current: dict[str, Any] | None = None
) -> dict[str, Any]:
    """clean_custom_field_changes() for callers that need only the resulting values (ticket creation)."""
    return clean_custom_field_changes(values, department, current)[0]


def set_tags(ticket: Ticket, names: Iterable[str]) -> tuple[set[str], set[str]]:
    """Make the ticket's tags exactly `names`; returns (added, removed) names."""
    wanted = {normalize_tag(n) for n in names if normalize_tag(n)}
    current = {t.name: t for t in ticket.tags.all()}
    added = wanted - set(current)
    removed = set(current) - wanted
    if added:
        existing = {t.name: t for t in Tag.objects.filter(name__in=added)}
        missing = [Tag(name=n) for n in added if n not in existing]
        if missing:
            Tag.objects.bulk_create(missing, ignore_conflicts=True)
            existing = {t.name: t for t in Tag.objects.filter(name__in=added)}
        ticket.tags.add(*existing.values())
    if removed:
        ticket.tags.remove(*[current[n] for n in removed])
    return added, removed

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
            return [str(v) for v in items]
        if kind == FieldKind.DEPENDENT_DROPDOWN:
            parent_key = definition.depends_on.key if definition.depends_on else None
            parent_value = values.get(parent_key) if parent_key else None
            options = (definition.choices or {}).get(str(parent_value), []) if isinstance(definition.choices, dict) else []
            if str(value) not in [str(c) for c in options]:
                raise ValueError
            return str(value)
    except (ValueError, TypeError, InvalidOperation) as exc:
        raise ValidationFailed(
            _("Invalid value for %(field)s.") % {"field": definition.label}, {definition.key: "invalid"}
        ) from exc
    return value


def clean_custom_fields(
    values: dict[str, Any], department: Department | None, current: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Validate `values` against the active definitions; returns current merged with them.

    Unknown keys and fields of another department are refused; None clears a field.
    """
    merged = dict(current or {})
    if not values:
        return merged
    definitions = {d.key: d for d in CustomFieldDefinition.objects.filter(key__in=list(values), active=True).select_related("depends_on")}
    unknown = [k for k in values if k not in definitions]
    if unknown:
        raise ValidationFailed(_("Unknown custom fields."), dict.fromkeys(unknown, "unknown"))
    combined = {**merged, **values}
    for key, raw in values.items():
        definition = definitions[key]
        if definition.department_id and department is not None and definition.department_id != department.pk:
            raise ValidationFailed(_("This field belongs to another department."), {key: "department"})
        cleaned = _clean_value(definition, raw, combined)
        if cleaned is None:
            merged.pop(key, None)
        else:
            merged[key] = cleaned
    return merged


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

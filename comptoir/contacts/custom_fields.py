"""Reading and checking the values of contact and account custom fields (no writes here).

The definitions (ContactFieldDefinition) say which keys exist for contacts and
for accounts and what kind of value each takes; `update_contact` and
`update_account` call `clean_custom_values` so the agent pages, the admin
center and the REST API refuse the same values with the same messages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from comptoir.contacts.models import ContactFieldDefinition, ContactFieldKind
from comptoir.core.errors import ValidationFailed

MAX_TEXT = 500
MAX_LONG_TEXT = 10_000


def key_from_label(label: str) -> str:
    """A clean key for a label: "Numéro client" -> "numero-client" (accents dropped, lower case)."""
    return slugify(label)[:60].strip("-")


def label_in(definition: ContactFieldDefinition, language: str | None = None) -> str:
    """The label in `language` (the active one by default), else the label as typed."""
    language = (language or get_language() or "en").split("-")[0]
    translated = (definition.label_translations or {}).get(language)
    return str(translated) if translated else definition.label


def active_definitions(target: str) -> list[ContactFieldDefinition]:
    return list(ContactFieldDefinition.objects.filter(target=target, active=True))


def _clean_one(definition: ContactFieldDefinition, value: Any) -> Any:
    kind = definition.kind
    if kind in (ContactFieldKind.TEXT, ContactFieldKind.LONG_TEXT):
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise ValueError
        text = str(value).strip()
        if len(text) > (MAX_TEXT if kind == ContactFieldKind.TEXT else MAX_LONG_TEXT):
            raise ValueError
        return text or None
    if kind == ContactFieldKind.NUMBER:
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise ValueError
        return int(str(value).strip()) if isinstance(value, str) else int(value)
    if kind == ContactFieldKind.DATE:
        return dt.date.fromisoformat(str(value).strip()).isoformat()
    if kind == ContactFieldKind.CHECKBOX:
        if isinstance(value, bool):
            return value
        lowered = str(value).lower()
        if lowered in {"true", "1", "on", "yes"}:
            return True
        if lowered in {"false", "0", "off", "no"}:
            return False
        raise ValueError
    if kind == ContactFieldKind.DROPDOWN:
        if str(value) not in [str(c) for c in definition.choices or []]:
            raise ValueError
        return str(value)
    raise ValueError


def clean_custom_values(target: str, values: Any, current: dict[str, Any] | None = None) -> dict[str, Any]:
    """`current` with `values` applied, each checked against the active definitions of `target`.

    Unknown keys are refused (one error naming them all); None or "" clears a
    value; a value of the wrong kind is refused naming the field's label.
    Values of keys not given stay as they were, even for deactivated fields.
    """
    if not isinstance(values, dict):
        raise ValidationFailed(_("Custom fields must be an object of key and value."), {"custom_fields": "invalid"})
    merged = dict(current or {})
    if not values:
        return merged
    definitions = {d.key: d for d in ContactFieldDefinition.objects.filter(target=target, active=True, key__in=list(values))}
    unknown = sorted(k for k in values if k not in definitions)
    if unknown:
        raise ValidationFailed(
            _("Unknown custom fields: %(keys)s.") % {"keys": ", ".join(unknown)},
            {f"custom_fields.{k}": "unknown" for k in unknown},
        )
    for key, raw in values.items():
        definition = definitions[key]
        cleaned = None
        if raw not in (None, ""):
            try:
                cleaned = _clean_one(definition, raw)
            except (ValueError, TypeError) as exc:
                raise ValidationFailed(
                    _("Invalid value for %(field)s.") % {"field": definition.label}, {f"custom_fields.{key}": "invalid"}
                ) from exc
        if cleaned is None:
            merged.pop(key, None)
        else:
            merged[key] = cleaned
    return merged


@dataclass(frozen=True)
class ShownValue:
    key: str
    label: str
    value: Any
    kind: str


def shown_values(definitions: list[ContactFieldDefinition], values: dict[str, Any] | None) -> list[ShownValue]:
    """The active fields with a value, labelled in the reader's language, in the admin's order."""
    values = values or {}
    return [
        ShownValue(d.key, label_in(d), values[d.key], d.kind)
        for d in definitions
        if values.get(d.key) not in (None, "")
    ]

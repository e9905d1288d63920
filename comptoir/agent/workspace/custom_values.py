"""The admin's contact and account fields on the agent's contact and account pages: shown and edited.

The definitions come from contacts (ContactFieldDefinition); this module only
turns them into form controls and back into the `custom_fields` change that
update_contact / update_account check, so the page and the API refuse the same values.
"""

from __future__ import annotations

from typing import Any

from django import forms

from comptoir.contacts.custom_fields import active_definitions, label_in
from comptoir.contacts.models import ContactFieldDefinition, ContactFieldKind

PREFIX = "cf_"


def _control(definition: ContactFieldDefinition) -> forms.Field:
    label = label_in(definition)
    if definition.kind == ContactFieldKind.CHECKBOX:
        return forms.BooleanField(label=label, required=False)
    if definition.kind == ContactFieldKind.DROPDOWN:
        return forms.ChoiceField(label=label, required=False, choices=[("", "—"), *[(c, c) for c in definition.choices or []]])
    if definition.kind == ContactFieldKind.LONG_TEXT:
        return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    if definition.kind == ContactFieldKind.DATE:
        return forms.CharField(label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}))
    if definition.kind == ContactFieldKind.NUMBER:
        # Text, not IntegerField: the action checks the number and gives the API's message.
        return forms.CharField(label=label, required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    return forms.CharField(label=label, required=False)


def add_custom_controls(form: forms.Form, target: str, values: dict[str, Any] | None) -> list[ContactFieldDefinition]:
    """Add one control per active field of `target` to `form`, filled from `values`; returns the definitions."""
    definitions = active_definitions(target)
    for definition in definitions:
        name = PREFIX + definition.key
        form.fields[name] = _control(definition)
        if not form.is_bound:
            form.initial[name] = (values or {}).get(definition.key, "")
    return definitions


def custom_changes(cleaned: dict[str, Any], definitions: list[ContactFieldDefinition]) -> dict[str, Any]:
    """Pop the custom controls out of `cleaned` and return them as the action's `custom_fields` change."""
    changes = {}
    for definition in definitions:
        value = cleaned.pop(PREFIX + definition.key, None)
        changes[definition.key] = value if value not in ("", False) else None
    return changes


def error_field(field: str) -> str:
    """The form control an action's error key names ("custom_fields.tier" -> "cf_tier")."""
    return PREFIX + field.split(".", 1)[1] if field.startswith("custom_fields.") else field

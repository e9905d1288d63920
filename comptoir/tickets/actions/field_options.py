"""How many tickets hold an option of a custom field: an option in use cannot be removed.

Removing a dropdown option would leave tickets with a value no form can show
or set again, and conditions on it would silently stop matching new tickets:
the catalog actions refuse it and say how many tickets to change first.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import ngettext

from comptoir.core.errors import ValidationFailed
from comptoir.tickets.models import CustomFieldDefinition, FieldKind, Ticket


def tickets_with_option(definition: CustomFieldDefinition, option: str, parent_value: str | None = None) -> int:
    """Tickets whose value of `definition` is `option` (or includes it, for a multi-select).

    For a dependent dropdown, `parent_value` narrows to tickets whose parent field holds it.
    """
    key = definition.key
    if definition.kind == FieldKind.MULTI_SELECT:
        # JSON "contains" has no SQLite form: read the lists that exist and count in Python.
        lists = Ticket.objects.filter(custom_fields__has_key=key).values_list(f"custom_fields__{key}", flat=True)
        return sum(1 for values in lists.iterator() if isinstance(values, list) and option in values)
    tickets = Ticket.objects.filter(**{f"custom_fields__{key}": option})
    if parent_value is not None and definition.depends_on is not None:
        tickets = tickets.filter(**{f"custom_fields__{definition.depends_on.key}": parent_value})
    return tickets.count()


def _options(choices: Any) -> set[tuple[str | None, str]]:
    """(parent value or None, option) pairs of a list or a dependent mapping."""
    if isinstance(choices, dict):
        return {(str(parent), str(option)) for parent, options in choices.items() for option in options or []}
    return {(None, str(option)) for option in choices or []}


def refuse_removing_used_options(definition: CustomFieldDefinition, new_choices: Any) -> None:
    """Raise ValidationFailed when an option `new_choices` drops is still held by a ticket, with the count."""
    removed = sorted(_options(definition.choices) - _options(new_choices), key=lambda pair: (pair[0] or "", pair[1]))
    for parent_value, option in removed:
        count = tickets_with_option(definition, option, parent_value)
        if count:
            raise ValidationFailed(
                ngettext(
                    "The option %(option)s is still used by %(count)d ticket; change it before removing the option.",
                    "The option %(option)s is still used by %(count)d tickets; change them before removing the option.",
                    count,
                ) % {"option": option, "count": count},
                {"choices": "in_use"},
            )


def option_label(definition: CustomFieldDefinition, option: str, language: str) -> str:
    """An option's label in `language`, else the stored value itself (what readers showed before labels)."""
    labels = (definition.choice_labels or {}).get(option) or {}
    return str(labels.get(language) or option)


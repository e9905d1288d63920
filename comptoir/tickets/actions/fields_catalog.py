"""Admin-center changes to ticket fields beyond the catalog's basics: option labels per
language, the dependent-field matrix, and the per-department form layout.

Each function checks "admin.settings", validates, writes in one transaction and
records an audit entry (core.history) there, like every configuration change.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from comptoir.core.errors import ValidationFailed
from comptoir.core.history import record_change, snapshot
from comptoir.core.models import Department
from comptoir.core.permissions import require
from comptoir.tickets.actions.field_options import refuse_removing_used_options
from comptoir.tickets.actions.guards import forget_field_definitions
from comptoir.tickets.form_layouts import fields_for_department
from comptoir.tickets.models import CustomFieldDefinition, FieldKind, TicketFormLayout

SETTINGS = "admin.settings"
MAX_LABEL = 120


def options_of(definition: CustomFieldDefinition) -> list[str]:
    """Every option of a field in order: the list, or for a dependent dropdown the union of its mapping."""
    if isinstance(definition.choices, dict):
        seen: dict[str, None] = {}
        for options in definition.choices.values():
            seen.update(dict.fromkeys(str(o) for o in options or []))
        return list(seen)
    return [str(o) for o in definition.choices or []]


@transaction.atomic
def set_option_labels(
    definition: CustomFieldDefinition, labels: dict[str, dict[str, str]], *, actor: Any, via: str
) -> CustomFieldDefinition:
    """Name each option in the helpdesk's languages: {"wifi": {"en": "Wi-Fi", "fr": ..., "nl": ...}}.

    The stored values stay the option itself, so tickets, conditions and the API
    are unchanged; only what people read is translated. Options not given keep
    their labels; an empty label falls back to the option value.
    """
    require(actor, SETTINGS)
    languages = {code for code, _name in settings.LANGUAGES}
    options = set(options_of(definition))
    if not isinstance(labels, dict):
        raise ValidationFailed(_("Option labels must map each option to its labels."), {"choice_labels": "invalid"})
    before = snapshot(definition, ["choice_labels"])
    merged = {k: dict(v) for k, v in (definition.choice_labels or {}).items() if k in options}
    for option, per_language in labels.items():
        if option not in options:
            raise ValidationFailed(_("Unknown option %(option)s.") % {"option": option}, {"choice_labels": "unknown"})
        if not isinstance(per_language, dict) or any(
            lang not in languages or not isinstance(text, str) or len(text) > MAX_LABEL for lang, text in per_language.items()
        ):
            raise ValidationFailed(_("Each option has one label per language of the helpdesk."), {"choice_labels": "invalid"})
        kept = {**merged.get(option, {}), **{lang: text.strip() for lang, text in per_language.items()}}
        merged[option] = {lang: text for lang, text in sorted(kept.items()) if text}
    definition.choice_labels = {k: v for k, v in merged.items() if v}
    definition.save(update_fields=["choice_labels"])
    record_change("ticket_field.options_translated", definition, actor=actor, via=via,
                  before=before, after=snapshot(definition, ["choice_labels"]))
    return definition


def parent_options(parent: CustomFieldDefinition) -> list[str]:
    return options_of(parent)


@transaction.atomic
def set_dependent_options(
    child: CustomFieldDefinition, mapping: dict[str, list[str]], *, actor: Any, via: str
) -> CustomFieldDefinition:
    """For each option of the parent field, which options of this dependent field apply.

    Every parent option gets a list (possibly empty: nothing to pick under it);
    options are those of the child; an option that stops applying under a parent
    value while tickets hold that pair is refused with the number of tickets.
    """
    require(actor, SETTINGS)
    if child.kind != FieldKind.DEPENDENT_DROPDOWN or child.depends_on is None:
        raise ValidationFailed(_("Only a dependent dropdown has options per parent value."), {"choices": "invalid"})
    if not isinstance(mapping, dict):
        raise ValidationFailed(_("Choices must be a list of texts."), {"choices": "invalid"})
    known_parents = parent_options(child.depends_on)
    unknown = sorted(set(mapping) - set(known_parents))
    if unknown:
        raise ValidationFailed(_("Unknown option %(option)s.") % {"option": unknown[0]}, {"choices": "unknown"})
    cleaned: dict[str, list[str]] = {}
    for parent_value in known_parents:
        items = mapping.get(parent_value, [])
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise ValidationFailed(_("Choices must be a list of texts."), {"choices": "invalid"})
        cleaned[parent_value] = list(dict.fromkeys(i.strip() for i in items if i.strip()))
    if not any(cleaned.values()):
        raise ValidationFailed(_("A dependent dropdown needs at least one option under one parent value."), {"choices": "required"})
    refuse_removing_used_options(child, cleaned)
    before = snapshot(child, ["choices"])
    child.choices = cleaned
    child.save(update_fields=["choices"])
    forget_field_definitions()
    transaction.on_commit(forget_field_definitions)
    record_change("ticket_field.dependencies_updated", child, actor=actor, via=via,
                  before=before, after=snapshot(child, ["choices"]))
    return child


@transaction.atomic
def set_form_layout(department: Department, field_keys: list[str], *, actor: Any, via: str) -> TicketFormLayout:
    """Choose which custom fields the department's new-ticket forms show, and in which order.

    Only active fields that apply to the department may be listed, each once.
    """
    require(actor, SETTINGS)
    if not isinstance(field_keys, list) or not all(isinstance(k, str) for k in field_keys):
        raise ValidationFailed(_("The layout is a list of field keys."), {"field_keys": "invalid"})
    allowed = {f.key for f in fields_for_department(department)}
    unknown = [k for k in field_keys if k not in allowed]
    if unknown:
        raise ValidationFailed(
            _("These fields do not apply to this department: %(keys)s.") % {"keys": ", ".join(unknown)},
            {"field_keys": "unknown"},
        )
    keys = list(dict.fromkeys(field_keys))
    layout = TicketFormLayout.objects.select_for_update().filter(department=department).first()
    before = {"field_keys": list(layout.field_keys)} if layout is not None else {"field_keys": None}
    if layout is None:
        layout = TicketFormLayout(department=department)
    layout.field_keys = keys
    layout.save()
    record_change("ticket_form.updated", layout, actor=actor, via=via, before=before, after={"field_keys": keys},
                  object_repr=department.name)
    return layout

"""Translations of an admin-typed name (a status, a category, a product), checked in one place.

Stored as {"fr": "...", "nl": "..."} next to the name itself, which is what
any other language reads. The rows live in different apps (tickets, contacts),
so the check lives below both.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from comptoir.core.errors import ValidationFailed


def language_codes() -> list[str]:
    """The helpdesk's languages, as the codes a translation is keyed by."""
    return [code.split("-")[0].lower() for code, _name in settings.LANGUAGES]


def clean_name_translations(value: Any, *, max_length: int, field: str = "name_translations") -> dict[str, str]:
    """`value` as a {language: name} dict of the helpdesk's languages; blank entries are dropped.

    Refuses anything else with the message the API and the admin forms show.
    """
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValidationFailed(_("Translations must map a language code to a name."), {field: "invalid"})
    known = set(language_codes())
    cleaned: dict[str, str] = {}
    for code, name in value.items():
        if code not in known:
            raise ValidationFailed(_("Unknown language: %(code)s.") % {"code": code}, {field: "unknown_language"})
        if name is None:
            continue
        if not isinstance(name, str):
            raise ValidationFailed(_("Translations must map a language code to a name."), {field: "invalid"})
        if len(name.strip()) > max_length:
            raise ValidationFailed(_("This value is too long."), {field: "too_long"})
        if name.strip():
            cleaned[code] = name.strip()
    return cleaned

"""Names of catalog rows (statuses, categories, products) in the reader's language.

Admins name these rows and translate them (`name_translations`, {"fr": ..., "nl": ...}).
Every screen that shows one to an agent or a customer asks here, so a
translation typed in the admin center shows everywhere at once. The six
statuses seeded with the database carry the English names of their categories;
untranslated, they read as their category's translated label rather than as
English on a French or Dutch screen.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation

from comptoir.tickets.models import Status, StatusCategory

# The English names the default-statuses migration seeds, one per category.
BUILT_IN_STATUS_NAMES = {
    "New": StatusCategory.NEW,
    "Open": StatusCategory.OPEN,
    "Pending": StatusCategory.PENDING,
    "On hold": StatusCategory.ON_HOLD,
    "Solved": StatusCategory.SOLVED,
    "Closed": StatusCategory.CLOSED,
}


def _base_language(language: str | None) -> str:
    code = language or translation.get_language() or ""
    return code.split("-")[0].lower()


def localized_name(obj: Any, language: str | None = None) -> str:
    """`obj`'s name in `language` (default: the active one): its translation, else its own name.

    `obj` is a Status, Category or Product (anything with `name` and
    `name_translations`), or a bare status name.
    """
    if obj is None:
        return ""
    name = str(getattr(obj, "name", obj) or "")
    translations = getattr(obj, "name_translations", None) or {}
    translated = translations.get(_base_language(language)) if isinstance(translations, dict) else None
    if isinstance(translated, str) and translated.strip():
        return translated.strip()
    if isinstance(obj, Status | str):
        category = BUILT_IN_STATUS_NAMES.get(name)
        if category is not None:
            if language:
                with translation.override(language):
                    return str(category.label)
            return str(category.label)
    return name

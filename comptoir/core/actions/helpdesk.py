"""The one way to change the helpdesk's identity: name, logo, colours, default language, time zone.

The settings live in one row (pk=1), created by the first save. An admin
("admin.settings") changes them from the admin center's Account page; the
change and its audit entry commit together, and the cached reader
(`core.queries.helpdesk_settings`) is cleared so that the next page shows it.
The logo is checked by its content (not its name or declared type): only
raster images a browser shows, and small, since every page loads it.
"""

from __future__ import annotations

import re
from typing import Any

import filetype
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from comptoir.core.actions import _text, _unknown_keys, clean_locale, clean_time_zone
from comptoir.core.errors import ValidationFailed
from comptoir.core.history import record_change, snapshot
from comptoir.core.models import HelpdeskSettings
from comptoir.core.permissions import require
from comptoir.core.queries import helpdesk_settings

SETTINGS = "admin.settings"
FIELDS = {"name", "primary_color", "accent_color", "default_locale", "time_zone", "logo", "remove_logo"}
AUDITED = ("name", "logo", "primary_color", "accent_color", "default_locale", "time_zone")
LOGO_MAX_BYTES = 512 * 1024
LOGO_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp"}
_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def clean_colour(value: Any, field: str) -> str:
    """A colour as six hex digits after "#" ("#2F5BEA" → "#2f5bea"); anything else is refused on `field`."""
    if not isinstance(value, str) or not _HEX_COLOUR.fullmatch(value.strip()):
        raise ValidationFailed(_("A colour is written as # followed by six hexadecimal digits, such as #2f5bea."), {field: "invalid"})
    return value.strip().lower()


def _logo_extension(upload: File) -> str:
    """The file extension its content proves, or a refusal naming the logo field."""
    size = upload.size or 0
    if size > LOGO_MAX_BYTES:
        raise ValidationFailed(
            _("The logo is too large: at most %(size)d KB.") % {"size": LOGO_MAX_BYTES // 1024}, {"logo": "too_large"})
    upload.seek(0)
    head = upload.read(262)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in LOGO_TYPES:
        raise ValidationFailed(_("The logo must be a PNG, JPEG, GIF or WebP image."), {"logo": "invalid"})
    return LOGO_TYPES[kind.mime]


@transaction.atomic
def update_helpdesk_settings(changes: dict[str, Any], *, actor: Any, via: str = "") -> HelpdeskSettings:
    """Change the helpdesk's identity; `changes` holds any of name, primary_color, accent_color,
    default_locale, time_zone, logo (an uploaded file) and remove_logo (True drops the logo).

    Every value is checked before anything is written, so a refused change leaves all settings as they were.
    """
    require(actor, SETTINGS)
    _unknown_keys(changes, FIELDS)
    row, _created = HelpdeskSettings.objects.select_for_update().get_or_create(pk=1)
    before = snapshot(row, AUDITED)
    old_logo = row.logo.name if row.logo else ""
    if "name" in changes:
        row.name = _text(changes["name"], "name", 120)
    for field in ("primary_color", "accent_color"):
        if field in changes:
            setattr(row, field, clean_colour(changes[field], field))
    if "default_locale" in changes:
        row.default_locale = clean_locale(changes["default_locale"], "default_locale")
    if "time_zone" in changes:
        row.time_zone = clean_time_zone(changes["time_zone"], "time_zone")
    upload = changes.get("logo")
    extension = _logo_extension(upload) if upload else ""
    if upload:
        row.logo.save(f"logo.{extension}", upload, save=False)
    elif changes.get("remove_logo"):
        row.logo = ""  # type: ignore[assignment]
    row.updated_at = timezone.now()
    row.save()
    record_change("helpdesk_settings.updated", row, actor=actor, via=via, before=before, after=snapshot(row, AUDITED))
    new_logo = row.logo.name if row.logo else ""
    if old_logo and old_logo != new_logo:
        storage = row.logo.storage
        transaction.on_commit(lambda: storage.delete(old_logo))
    transaction.on_commit(helpdesk_settings.clear)
    helpdesk_settings.clear()
    return row


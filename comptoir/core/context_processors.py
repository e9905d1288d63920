"""Template context every page gets from core: the helpdesk's name and colours for the topbar and header."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from comptoir.core.queries import helpdesk_settings


def helpdesk(request: HttpRequest) -> dict[str, Any]:
    """`helpdesk`: the settings row, read only when a template uses it (htmx partials do not), through
    the per-process cache, so a page costs at most one query for it every few seconds."""
    return {"helpdesk": SimpleLazyObject(helpdesk_settings)}

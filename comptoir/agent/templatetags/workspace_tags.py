"""Template tags of the agent workspace shell (top bar counters, small formatting)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from comptoir.agent.status_labels import status_label as _status_label
from comptoir.core.models import Notification
from comptoir.core.permissions import can

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notification_count(context: dict[str, Any]) -> int:
    """Unread notifications of the signed-in agent (one COUNT query, cached per request)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    cached = getattr(request, "_comptoir_unread", None)
    if cached is None:
        cached = Notification.objects.filter(agent=user, read_at__isnull=True).count()
        request._comptoir_unread = cached  # type: ignore[union-attr]
    return cached


@register.filter
def filesize(num: int | None) -> str:
    """A byte count as a short human size (1.2 MB); units are international symbols, not words."""
    size = float(num or 0)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return ""


@register.simple_tag
def shortcut_labels() -> dict[str, str]:
    """Translated descriptions of the keyboard shortcuts shown by the "?" overlay."""
    return {
        "?": _("Show keyboard shortcuts"),
        "/": _("Search"),
        "r": _("Reply"),
        "n": _("Internal note"),
        "a": _("Assign to me"),
        "s": _("Send and solve"),
        "j": _("Next ticket"),
        "k": _("Previous ticket"),
        "x": _("Select ticket"),
    }


@register.filter
def status_label(status: Any) -> str:
    """A status (or its name) as the agent reads it: built-in statuses in the agent's language."""
    return _status_label(status)


@register.filter(name="can")
def can_filter(user: Any, capability: str) -> bool:
    """`{% if request.user|can:"admin.settings" %}`: menus show only what the role may open."""
    return can(user, capability)

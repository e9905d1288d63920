"""Template tags of the admin center: its navigation and breadcrumbs, computed from `navigation.SECTIONS`."""

from __future__ import annotations

from typing import Any

from django import template

from comptoir.admin_center.navigation import NavSection, current_page, navigation

register = template.Library()


def _url_name(request: Any) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else ""


@register.simple_tag(takes_context=True)
def admin_navigation(context: dict[str, Any]) -> list[NavSection]:
    request = context["request"]
    return navigation(request.user, _url_name(request), request.path)


@register.simple_tag(takes_context=True)
def admin_breadcrumb(context: dict[str, Any]) -> dict[str, Any] | None:
    """The section and page of the current URL, or None on pages outside the map (the home)."""
    request = context["request"]
    found = current_page(_url_name(request), request.path)
    if found is None:
        return None
    section, page = found
    return {"section": section, "page": page, "exact": page.url_name == _url_name(request)}

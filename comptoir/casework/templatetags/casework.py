"""{% casework_tab "approval" ticket %}: render one casework tab partial for a ticket."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from comptoir.casework.tabs import tab_context

register = template.Library()


@register.simple_tag(takes_context=True)
def casework_tab(context: Any, name: str, ticket: Any) -> SafeString:
    request = context.get("request")
    user = getattr(request, "user", None)
    return render_to_string(f"casework/tabs/{name}.html", tab_context(name, ticket, user), request=request)

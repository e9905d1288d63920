"""Who enters the admin center: agents holding a capability one of its pages needs (never a role name)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse

from comptoir.admin_center.navigation import can_enter
from comptoir.core.access import agent_required


def admin_center_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The core agent gate, then any admin capability; each page checks its own capability too."""

    @agent_required
    @wraps(view)
    def gated(request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_enter(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return gated

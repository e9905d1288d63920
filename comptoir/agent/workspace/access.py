"""Who may enter the agent workspace: a signed-in, active Agent.

Every workspace and list view is wrapped in `agent_required`; anything else
(anonymous visitor, deactivated agent) is sent to the sign-in page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from comptoir.core.models import Agent


def is_workspace_agent(user: Any) -> bool:
    """True for an authenticated, active Agent (the only kind of user allowed under /agent/)."""
    return bool(user and user.is_authenticated and isinstance(user, Agent) and user.is_active)


def agent_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Decorate a view so that only a signed-in active agent reaches it; others go to sign-in."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_workspace_agent(request.user):
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


class AgentRequiredMixin:
    """Class-based-view form of `agent_required`."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_workspace_agent(request.user):
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

"""Who may enter the agent workspace: a signed-in, active Agent.

Every workspace and list view is wrapped in `agent_required`; anything else
(anonymous visitor, deactivated agent) is sent to the sign-in page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django_htmx.middleware import HtmxDetails

from comptoir.core.models import Agent

Response = TypeVar("Response", bound=HttpResponseBase)


class AgentRequest(HttpRequest):
    """The request a view wrapped in `agent_required` receives: its user is an active Agent.

    Only a type: nothing builds one. Views annotate their request with it so that the
    type checker knows what `agent_required` (and django-htmx's middleware) guarantee.
    """

    user: Agent  # agent_required lets no other user through
    htmx: HtmxDetails


def is_workspace_agent(user: Any) -> bool:
    """True for an authenticated, active Agent (the only kind of user allowed under /agent/)."""
    return bool(user and user.is_authenticated and isinstance(user, Agent) and user.is_active)


def agent_required(view: Callable[..., Response]) -> Callable[..., Response | HttpResponseRedirect]:
    """Decorate a view so that only a signed-in active agent reaches it; others go to sign-in."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Response | HttpResponseRedirect:
        if not is_workspace_agent(request.user):
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


class AgentRequiredMixin:
    """Class-based-view form of `agent_required`."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_workspace_agent(request.user):
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

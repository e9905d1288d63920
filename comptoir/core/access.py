"""The one gate in front of every staff page: a signed-in, active agent, holding a capability if asked.

The agent workspace, the API token pages, the casework pages and the email
channel's admin pages all sit behind `agent_required`, so that "who counts as
staff" is decided here and "what they may do" by `core.permissions.can`. An
anonymous visitor is sent to sign in (the page they wanted is kept as `next`);
someone signed in who is not an active agent, or an agent lacking the
capability, gets 403: signing in again would not help them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, overload

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django_htmx.middleware import HtmxDetails

from comptoir.core.models import Agent
from comptoir.core.permissions import can

Response = TypeVar("Response", bound=HttpResponseBase)


class AgentRequest(HttpRequest):
    """The request a view wrapped in `agent_required` receives: its user is an active Agent.

    Only a type: nothing builds one. Views annotate their request with it so that the
    type checker knows what `agent_required` (and django-htmx's middleware) guarantee.
    """

    user: Agent  # agent_required lets no other user through
    htmx: HtmxDetails


def signed_in_agent(request: HttpRequest) -> Agent | None:
    """The request's user when it is an authenticated, active Agent; None for anyone else."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and isinstance(user, Agent) and user.is_active:
        return user
    return None


def _gate(view: Callable[..., Response], capability: str | None) -> Callable[..., Response | HttpResponseRedirect]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Response | HttpResponseRedirect:
        agent = signed_in_agent(request)
        if agent is None:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied
        if capability is not None and not can(agent, capability):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@overload
def agent_required(view: Callable[..., Response], /) -> Callable[..., Response | HttpResponseRedirect]: ...


@overload
def agent_required(
    capability: str | None = None, /,
) -> Callable[[Callable[..., Response]], Callable[..., Response | HttpResponseRedirect]]: ...


def agent_required(view_or_capability: Any = None, /) -> Any:
    """Let only a signed-in active agent (holding `capability`, when given) reach the view.

    Used bare (`@agent_required`) or with a capability (`@agent_required("admin.settings")`),
    like Django's own `login_required`. Anonymous visitors are redirected to sign in;
    other signed-in users, and agents without the capability, get 403.
    """
    if callable(view_or_capability):
        return _gate(view_or_capability, None)
    capability: str | None = view_or_capability

    def decorator(view: Callable[..., Response]) -> Callable[..., Response | HttpResponseRedirect]:
        return _gate(view, capability)

    return decorator

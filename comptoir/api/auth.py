"""Who is calling: an API token (Bearer, or Basic as `email/token:<token>`) or the agent's browser session.

Each scheme, once it knows the caller, spends one request of the caller's rate
budget and claims the Idempotency-Key if one was sent. `request.auth` is then
the Agent or Contact every router passes on as the actor.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBasicAuth, HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from comptoir.api.idempotency import claim_key
from comptoir.api.models import ApiToken
from comptoir.api.ratelimit import spend_request
from comptoir.api.tokens import authenticate_token
from comptoir.contacts.models import ContactIdentity, IdentityKind
from comptoir.core.models import Agent


def admit(request: HttpRequest, owner: Any, bucket: str) -> Any:
    """The common steps after a scheme has recognised the caller."""
    spend_request(bucket)
    claim_key(request, owner)
    return owner


def _token_bucket(token: ApiToken) -> str:
    # The digest, not the row id: ids repeat across databases sharing one Redis.
    return f"token:{token.digest[:32]}"


class TokenBearer(HttpBearer):
    """`Authorization: Bearer cpt_...`"""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = authenticate_token(token.strip())
        if row is None:
            return None
        request.api_token = row  # type: ignore[attr-defined]
        return admit(request, row.owner, _token_bucket(row))


class TokenBasic(HttpBasicAuth):
    """`Authorization: Basic base64("email/token:<token>")`, for tools that only speak Basic."""

    def authenticate(self, request: HttpRequest, username: str, password: str) -> Any:
        if not username.endswith("/token"):
            return None
        email = username[: -len("/token")].strip().lower()
        row = authenticate_token(password.strip())
        if row is None or not email:
            return None
        if row.agent is not None:
            if row.agent.email.lower() != email:
                return None
        elif row.contact_id is None or not ContactIdentity.objects.filter(
            contact_id=row.contact_id, kind=IdentityKind.EMAIL, value=email
        ).exists():
            return None
        request.api_token = row  # type: ignore[attr-defined]
        return admit(request, row.owner, _token_bucket(row))


class AgentSession(APIKeyCookie):
    """The agent UI's own calls: the signed-in session, with Django's CSRF check on unsafe methods."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not isinstance(user, Agent):
            return None  # no session: leave the 401 to the caller, not a CSRF error
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, "CSRF check failed")
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if key is None:
            return None
        user = request.user
        assert isinstance(user, Agent)  # _get_key only returns a key for a signed-in agent
        return admit(request, user, f"session-agent:{user.pk}:{user.email}")


AUTH = [TokenBearer(), TokenBasic(), AgentSession()]

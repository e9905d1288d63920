"""/api/v1/tokens: the caller's own API tokens (agents and contacts alike)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja import Status as Reply

from comptoir.api.access import actor_of, is_contact
from comptoir.api.models import ApiToken
from comptoir.api.pagination import SortKey, keyset_page, next_url
from comptoir.api.schemas.common import ERRORS, PageQuery, page_of
from comptoir.api.schemas.integrations import NewTokenOut, TokenIn, TokenOut, token_out
from comptoir.api.tokens import issue_token, revoke_token
from comptoir.core.errors import NotFound
from comptoir.core.permissions import can

router = Router()


def _own(actor: Any) -> Any:
    return ApiToken.objects.filter(contact=actor) if is_contact(actor) else ApiToken.objects.filter(agent=actor)


@router.get("", response={200: page_of(TokenOut), **ERRORS}, url_name="list_tokens", summary="List my tokens")
def list_tokens(request: HttpRequest, page: Query[PageQuery]) -> Any:
    """Live and revoked tokens, with their last use (updated at most once a minute)."""
    rows, cursor = keyset_page(_own(actor_of(request)), [SortKey("id", True)], page.cursor, page.limit, tag="tokens")
    return {"results": [token_out(t) for t in rows], "next": next_url(request, cursor)}


@router.post("", response={201: NewTokenOut, **ERRORS}, url_name="create_token", summary="Create a token")
def create_token(request: HttpRequest, data: TokenIn) -> Any:
    token, raw = issue_token(actor_of(request), data.name.strip())
    return Reply(201, {**token_out(token), "token": raw})


@router.delete("/{int:token_id}", response={204: None, **ERRORS}, url_name="revoke_token", summary="Revoke a token")
def revoke(request: HttpRequest, token_id: int) -> Any:
    """Your own tokens; admins may revoke any agent's or contact's token."""
    actor = actor_of(request)
    qs = ApiToken.objects.all() if not is_contact(actor) and can(actor, "admin.agents") else _own(actor)
    token = qs.filter(pk=token_id).first()
    if token is None:
        raise NotFound(_("Token not found."))
    revoke_token(token, actor=actor, via="api")
    return Reply(204, None)

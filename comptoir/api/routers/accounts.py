"""/api/v1/accounts: customer companies and the email domains that join contacts to them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja import Status as Reply

from comptoir.api.access import VIA, agent_of
from comptoir.api.pagination import SortKey, keyset_page, next_url
from comptoir.api.schemas.common import ERRORS, SearchPageQuery, page_of
from comptoir.api.schemas.contacts import AccountIn, AccountOut, AccountPatchIn, account_out
from comptoir.contacts import actions
from comptoir.contacts.models import Account
from comptoir.core.errors import NotFound

router = Router()


def _account(account_id: int) -> Account:
    account = Account.objects.prefetch_related("domains").filter(pk=account_id).first()
    if account is None:
        raise NotFound(_("Account not found."))
    return account


@router.get("", response={200: page_of(AccountOut), **ERRORS}, url_name="list_accounts", summary="List accounts")
def list_accounts(request: HttpRequest, page: Query[SearchPageQuery]) -> Any:
    agent_of(request, "contact.view")
    qs = Account.objects.prefetch_related("domains")
    if page.q:
        qs = qs.filter(name__icontains=page.q)
    rows, cursor = keyset_page(qs, [SortKey("id")], page.cursor, page.limit, tag="accounts")
    return {"results": [account_out(a) for a in rows], "next": next_url(request, cursor)}


@router.get("/{int:account_id}", response={200: AccountOut, **ERRORS}, url_name="get_account", summary="Get an account")
def get_account(request: HttpRequest, account_id: int) -> Any:
    agent_of(request, "contact.view")
    return account_out(_account(account_id))


@router.post("", response={201: AccountOut, **ERRORS}, url_name="create_account", summary="Create an account")
def create_account(request: HttpRequest, data: AccountIn) -> Any:
    agent = agent_of(request, "account.edit")
    account = actions.create_account(
        actor=agent, via=VIA, name=data.name, notes=data.notes, domains=data.domains, custom_fields=data.custom_fields,
    )
    return Reply(201, account_out(_account(account.pk)))


@router.patch("/{int:account_id}", response={200: AccountOut, **ERRORS}, url_name="update_account", summary="Update an account")
def update_account(request: HttpRequest, account_id: int, data: AccountPatchIn) -> Any:
    """Only the fields sent change; `domains` replaces the whole list."""
    agent = agent_of(request, "account.edit")
    account = _account(account_id)
    fields = {k: v for k, v in data.dict(exclude_unset=True).items() if v is not None}
    actions.update_account(account, actor=agent, via=VIA, **fields)
    return account_out(_account(account_id))


@router.delete("/{int:account_id}", response={204: None, **ERRORS}, url_name="delete_account", summary="Delete an account")
def delete_account(request: HttpRequest, account_id: int) -> Any:
    """Its contacts and tickets stay, without an account."""
    agent = agent_of(request, "admin.settings")
    actions.delete_account(_account(account_id), actor=agent, via=VIA)
    return Reply(204, None)

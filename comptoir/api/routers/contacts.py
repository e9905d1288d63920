"""/api/v1/contacts: customers, found by name or any identity."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja import Status as Reply

from comptoir.api.access import VIA, agent_of
from comptoir.api.pagination import SortKey, keyset_page, next_url
from comptoir.api.schemas.common import ERRORS, SearchPageQuery, page_of
from comptoir.api.schemas.contacts import ContactCreateIn, ContactOut, ContactPatchIn, contact_out
from comptoir.contacts import actions
from comptoir.contacts.models import Account, Contact
from comptoir.core.errors import Conflict, NotFound, ValidationFailed
from comptoir.core.permissions import require

router = Router()


def _contacts() -> Any:
    return Contact.objects.select_related("account").prefetch_related("identities")


def _contact(contact_id: int) -> Contact:
    contact = _contacts().filter(pk=contact_id).first()
    if contact is None:
        raise NotFound(_("Contact not found."))
    return contact


def _account(account_id: int | None) -> Account | None:
    if account_id is None:
        return None
    account = Account.objects.filter(pk=account_id).first()
    if account is None:
        raise ValidationFailed(_("Unknown account."), {"account_id": "not_found"})
    return account


@router.get("", response={200: page_of(ContactOut), **ERRORS}, url_name="list_contacts", summary="List contacts")
def list_contacts(request: HttpRequest, page: Query[SearchPageQuery]) -> Any:
    agent_of(request, "contact.view")
    qs = _contacts().filter(merged_into__isnull=True)
    if page.q:
        qs = qs.filter(Q(name__icontains=page.q) | Q(identities__value__icontains=page.q.strip().lower())).distinct()
    rows, cursor = keyset_page(qs, [SortKey("id")], page.cursor, page.limit, tag="contacts")
    return {"results": [contact_out(c) for c in rows], "next": next_url(request, cursor)}


@router.get("/{int:contact_id}", response={200: ContactOut, **ERRORS}, url_name="get_contact", summary="Get a contact")
def get_contact(request: HttpRequest, contact_id: int) -> Any:
    agent_of(request, "contact.view")
    return contact_out(_contact(contact_id))


@router.post("", response={201: ContactOut, **ERRORS}, url_name="create_contact", summary="Create a contact")
def create_contact(request: HttpRequest, data: ContactCreateIn) -> Any:
    """Creates the contact; an email or phone that already belongs to someone is a 409."""
    agent = agent_of(request, "contact.edit")
    require(agent, "contact.edit")
    if actions.find_contact(email=data.email, phone=data.phone) is not None:
        raise Conflict(_("A contact with this email or phone already exists."))
    contact, _created = actions.find_or_create_contact(
        email=data.email, phone=data.phone, name=data.name, locale=data.locale, account=_account(data.account_id)
    )
    return Reply(201, contact_out(_contact(contact.pk)))


@router.patch("/{int:contact_id}", response={200: ContactOut, **ERRORS}, url_name="update_contact", summary="Update a contact")
def update_contact(request: HttpRequest, contact_id: int, data: ContactPatchIn) -> Any:
    agent = agent_of(request, "contact.edit")
    contact = _contact(contact_id)
    changes = {k: getattr(data, k) for k in data.model_fields_set if k != "account_id"}
    if "account_id" in data.model_fields_set:
        changes["account"] = _account(data.account_id)
    if changes:
        # update_contact validates every value (the agent form gets the same errors).
        actions.update_contact(contact, changes, actor=agent, via=VIA)
    return contact_out(_contact(contact_id))


@router.delete("/{int:contact_id}", response={204: None, **ERRORS}, url_name="delete_contact", summary="Delete a contact")
def delete_contact(request: HttpRequest, contact_id: int) -> Any:
    """Admins only, and only a contact without tickets (409 otherwise): for mistaken or spam entries."""
    agent = agent_of(request, "admin.settings")
    actions.delete_contact(_contact(contact_id), actor=agent, via=VIA)
    return Reply(204, None)

"""Contacts, accounts and products."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema
from pydantic import BaseModel, Field

from comptoir.api.schemas.common import Ref, ref
from comptoir.contacts.models import Account, Contact, Product


class IdentityOut(BaseModel):
    kind: str
    value: str


class ContactOut(BaseModel):
    id: int
    name: str
    email: str | None = None
    phone: str | None = None
    identities: list[IdentityOut]
    locale: str
    account: Ref | None = None
    can_view_account_tickets: bool
    notes: str
    custom_fields: dict[str, Any] = Field(default_factory=dict, description="Values of the contact fields an admin defined, by key.")
    merged_into_id: int | None = None
    created_at: datetime
    updated_at: datetime


class ContactCreateIn(Schema):
    name: str = Field("", max_length=200)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=40)
    locale: str | None = Field(None, max_length=8)
    account_id: int | None = None


class ContactPatchIn(Schema):
    name: str | None = Field(None, max_length=200)
    locale: str | None = Field(None, description="A language code of the helpdesk (en, fr, nl); checked by update_contact.")
    account_id: int | None = None
    notes: str | None = None
    can_view_account_tickets: bool | None = None
    custom_fields: dict[str, Any] | None = Field(
        None, description="Contact field values by key; only the keys sent change, null or \"\" clears one.")


class AccountOut(BaseModel):
    id: int
    name: str
    notes: str
    domains: list[str]
    custom_fields: dict[str, Any] = Field(default_factory=dict, description="Values of the account fields an admin defined, by key.")
    created_at: datetime


class AccountIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    notes: str = ""
    domains: list[str] = Field(default_factory=list, max_length=50)
    custom_fields: dict[str, Any] = Field(default_factory=dict, description="Account field values by key.")


class AccountPatchIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    notes: str | None = None
    domains: list[str] | None = Field(None, max_length=50)
    custom_fields: dict[str, Any] | None = Field(
        None, description="Account field values by key; only the keys sent change, null or \"\" clears one.")


class ProductOut(BaseModel):
    id: int
    name: str
    name_translations: dict[str, str] = Field(default_factory=dict)
    created_at: datetime


class ProductIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    name_translations: dict[str, str] | None = Field(None, description='{"fr": "...", "nl": "..."}; left out: unchanged')


def contact_out(c: Contact) -> dict[str, Any]:
    identities = list(c.identities.all())
    return {
        "id": c.pk,
        "name": c.name,
        "email": next((i.value for i in identities if i.kind == "email"), None),
        "phone": next((i.value for i in identities if i.kind == "phone"), None),
        "identities": [{"kind": i.kind, "value": i.value} for i in identities],
        "locale": c.locale,
        "account": ref(c.account),
        "can_view_account_tickets": c.can_view_account_tickets,
        "notes": c.notes,
        "custom_fields": c.custom_fields or {},
        "merged_into_id": c.merged_into_id,
        "created_at": c.created_at,
        "updated_at": c.updated_at,
    }


def account_out(a: Account) -> dict[str, Any]:
    return {"id": a.pk, "name": a.name, "notes": a.notes, "domains": sorted(d.domain for d in a.domains.all()),
            "custom_fields": a.custom_fields or {}, "created_at": a.created_at}


def product_out(p: Product) -> dict[str, Any]:
    return {"id": p.pk, "name": p.name, "name_translations": p.name_translations or {}, "created_at": p.created_at}

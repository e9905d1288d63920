"""The one way to change contacts, accounts and products."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from comptoir.contacts.identities import email_domain, normalize_email, normalize_phone
from comptoir.contacts.models import (
    Account,
    AccountDomain,
    Contact,
    ContactIdentity,
    IdentityKind,
    Product,
)
from comptoir.core.errors import ValidationFailed
from comptoir.core.permissions import require


def find_contact(*, email: str | None = None, phone: str | None = None) -> Contact | None:
    """The contact owning this email or phone, following merges."""
    lookups = []
    if email:
        lookups.append((IdentityKind.EMAIL, normalize_email(email)))
    if phone:
        lookups.append((IdentityKind.PHONE, normalize_phone(phone)))
    for kind, value in lookups:
        identity = ContactIdentity.objects.select_related("contact").filter(kind=kind, value=value).first()
        if identity is not None:
            return identity.contact
    return None


def find_or_create_contact(
    *,
    email: str | None = None,
    phone: str | None = None,
    name: str = "",
    locale: str | None = None,
    account: Account | None = None,
) -> tuple[Contact, bool]:
    """Find the person behind an email or phone, or create them.

    A contact reached by email who now calls from a new phone (or the other way
    round) gets the new identity added instead of becoming a duplicate. A new
    contact joins the account that owns their email domain.
    Returns (contact, created).
    """
    if not email and not phone:
        raise ValidationFailed("A contact needs an email address or a phone number.", {"contact": "required"})
    if email and "@" not in email:
        raise ValidationFailed("Invalid email address.", {"email": "invalid"})
    contact = find_contact(email=email, phone=phone)
    created = False
    if contact is None:
        if account is None and email:
            domain = AccountDomain.objects.select_related("account").filter(domain=email_domain(email)).first()
            account = domain.account if domain else None
        contact = Contact.objects.create(name=name.strip()[:200], locale=locale or "en", account=account)
        created = True
    elif (account is not None and contact.account_id is None) or (name and not contact.name):
        contact.account = contact.account or account
        contact.name = contact.name or name.strip()[:200]
        contact.updated_at = timezone.now()
        contact.save(update_fields=["account", "name", "updated_at"])
    if email:
        _add_identity(contact, IdentityKind.EMAIL, normalize_email(email), primary=created)
    if phone:
        _add_identity(contact, IdentityKind.PHONE, normalize_phone(phone), primary=created and not email)
    return contact, created


def _add_identity(contact: Contact, kind: str, value: str, *, primary: bool) -> None:
    if not value:
        return
    ContactIdentity.objects.get_or_create(kind=kind, value=value, defaults={"contact": contact, "is_primary": primary})


def find_or_create_account(name: str) -> Account:
    account, _ = Account.objects.get_or_create(name=name.strip()[:200])
    return account


def find_or_create_product(name: str) -> Product:
    product, _ = Product.objects.get_or_create(name=name.strip()[:200])
    return product


def update_contact(contact: Contact, changes: dict[str, Any], *, actor: Any) -> Contact:
    """Change a contact's own fields (name, locale, account, notes, account visibility)."""
    require(actor, "contact.edit")
    allowed = {"name", "locale", "account", "notes", "can_view_account_tickets"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationFailed("Unknown contact fields.", {f: "unknown" for f in unknown})
    for key, value in changes.items():
        setattr(contact, key, value)
    contact.updated_at = timezone.now()
    contact.save()
    return contact


def add_contact_identity(contact: Contact, kind: str, value: str, *, actor: Any) -> ContactIdentity:
    """Give a contact another email/phone; refuses one that belongs to someone else."""
    require(actor, "contact.edit")
    value = normalize_email(value) if kind == IdentityKind.EMAIL else normalize_phone(value) if kind == IdentityKind.PHONE else value.strip()
    existing = ContactIdentity.objects.filter(kind=kind, value=value).first()
    if existing and existing.contact_id != contact.pk:
        raise ValidationFailed("This address belongs to another contact; merge them instead.", {"value": "taken"})
    identity, _ = ContactIdentity.objects.get_or_create(kind=kind, value=value, defaults={"contact": contact})
    return identity


@transaction.atomic
def merge_contact_records(source: Contact, target: Contact) -> None:
    """Move identities of `source` to `target` and mark source merged.

    Moving the source's tickets is the tickets app's job (tickets.actions.merge_contacts),
    which calls this inside its own transaction.
    """
    if source.pk == target.pk:
        raise ValidationFailed("A contact cannot be merged into itself.")
    ContactIdentity.objects.filter(contact=source).update(contact=target, is_primary=False)
    if target.account_id is None and source.account_id is not None:
        target.account_id = source.account_id
    if not target.name and source.name:
        target.name = source.name
    target.updated_at = timezone.now()
    target.save()
    source.merged_into = target
    source.updated_at = timezone.now()
    source.save(update_fields=["merged_into", "updated_at"])

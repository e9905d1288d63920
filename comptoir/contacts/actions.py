"""The one way to change contacts, accounts and products."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from comptoir.contacts.custom_fields import clean_custom_values, key_from_label
from comptoir.contacts.domains import is_free_mail
from comptoir.contacts.identities import (
    clean_email,
    email_domain,
    normalize_email,
    normalize_phone,
    phone_region,
)
from comptoir.contacts.models import (
    Account,
    AccountDomain,
    Contact,
    ContactFieldDefinition,
    ContactFieldKind,
    ContactIdentity,
    FieldTarget,
    IdentityKind,
    Product,
)
from comptoir.core.actions import clean_locale
from comptoir.core.errors import Conflict, ValidationFailed
from comptoir.core.history import record_change, snapshot
from comptoir.core.name_translations import clean_name_translations
from comptoir.core.permissions import require

if TYPE_CHECKING:
    from comptoir.core.models import Department


def _identity_lookups(email: str | None, phone: str | None, department: Department | None = None) -> list[tuple[str, str]]:
    lookups = []
    if email:
        lookups.append((IdentityKind.EMAIL, normalize_email(email)))
    if phone:
        lookups.append((IdentityKind.PHONE, normalize_phone(phone, phone_region(department))))
    return [(kind, value) for kind, value in lookups if value]


def _known_identities(lookups: list[tuple[str, str]]) -> dict[tuple[str, str], ContactIdentity]:
    """The identities among `lookups` that exist, with their contacts, in one query."""
    if not lookups:
        return {}
    if len(lookups) == 1:
        kind, value = lookups[0]
        found = ContactIdentity.objects.select_related("contact").filter(kind=kind, value=value).first()
        return {lookups[0]: found} if found is not None else {}
    condition = Q()
    for kind, value in lookups:
        condition |= Q(kind=kind, value=value)
    return {(i.kind, i.value): i for i in ContactIdentity.objects.select_related("contact").filter(condition)}


def find_contact(
    *, email: str | None = None, phone: str | None = None, department: Department | None = None
) -> Contact | None:
    """The contact owning this email or phone (the email wins when both are known).

    A phone is read as normalize_phone() does, national numbers in the
    department's region; one that is no valid number is a ValidationFailed.
    """
    lookups = _identity_lookups(email, phone, department)
    known = _known_identities(lookups)
    for key in lookups:
        if key in known:
            return known[key].contact
    return None


def find_or_create_contact(
    *,
    email: str | None = None,
    phone: str | None = None,
    name: str = "",
    locale: str | None = None,
    account: Account | None = None,
    department: Department | None = None,
) -> tuple[Contact, bool]:
    """Find the person behind an email or phone, or create them.

    A contact reached by email who now calls from a new phone (or the other way
    round) gets the new identity added instead of becoming a duplicate. A new
    contact joins the account that owns their email domain. A phone written
    without country code is read in `department`'s region (phone_region()).
    Returns (contact, created). A known contact costs one query: ticket
    creation runs this for every incoming message.
    """
    if not email and not phone:
        raise ValidationFailed(_("A contact needs an email address or a phone number."), {"contact": "required"})
    if email:
        email = clean_email(email)
    lookups = _identity_lookups(email, phone, department)
    known = _known_identities(lookups)
    contact = next((known[key].contact for key in lookups if key in known), None)
    created = False
    if contact is None:
        if account is None and email:
            domain = AccountDomain.objects.select_related("account").filter(domain=email_domain(email)).first()
            account = domain.account if domain else None
        contact = Contact.objects.create(name=name.strip()[:200], locale=locale or "en", account=account,
                                         primary_email=email or None)
        created = True
    elif (account is not None and contact.account_id is None) or (name and not contact.name):
        contact.account = contact.account or account
        contact.name = contact.name or name.strip()[:200]
        contact.updated_at = timezone.now()
        contact.save(update_fields=["account", "name", "updated_at"])
    for position, (kind, value) in enumerate(lookups):
        if (kind, value) not in known:
            contact = _add_identity(contact, kind, value, primary=created and position == 0)
    return contact, created


def _add_identity(contact: Contact, kind: str, value: str, *, primary: bool) -> Contact:
    """Attach a new identity; if a concurrent request just took it, the contact is theirs.

    Returns the contact that owns the identity afterwards. A contact's first
    email also becomes its primary_email.
    """
    try:
        with transaction.atomic():
            ContactIdentity.objects.create(contact=contact, kind=kind, value=value, is_primary=primary)
            if kind == IdentityKind.EMAIL and not contact.primary_email:
                _refresh_primary_email(contact)
    except IntegrityError:
        existing = ContactIdentity.objects.select_related("contact").get(kind=kind, value=value)
        return existing.contact
    return contact


def _refresh_primary_email(contact: Contact) -> None:
    """Copy the contact's first email identity (the primary one first) onto Contact.primary_email.

    Every action that adds, moves or removes an identity calls this, in its
    transaction, so lists can show a contact without reading identities.
    """
    email = (
        ContactIdentity.objects.filter(contact_id=contact.pk, kind=IdentityKind.EMAIL)
        .order_by("-is_primary", "id").values_list("value", flat=True).first()
    )
    if email != contact.primary_email:
        Contact.objects.filter(pk=contact.pk).update(primary_email=email)
        contact.primary_email = email


def _catalog_name(value: Any) -> str:
    name = " ".join(value.split()) if isinstance(value, str) else ""
    if not name:
        raise ValidationFailed(_("A name is required."), {"name": "required"})
    if len(name) > 200:
        raise ValidationFailed(_("A name has at most 200 characters."), {"name": "too_long"})
    return name


def _find_or_create_named(model: type[Account] | type[Product], name: str, capability: str, *, actor: Any) -> Any:
    """The row whose name matches `name` whatever its case ("ACME" finds "Acme"), else a new one.

    Finding is reading; creating needs `capability`. A concurrent creation of the
    same name loses on the unique constraint and returns the winner's row.
    """
    with transaction.atomic():
        found = model.objects.select_for_update().filter(name__iexact=name).order_by("pk").first()
        if found is not None:
            return found
        require(actor, capability)
        try:
            with transaction.atomic():
                return model.objects.create(name=name)
        except IntegrityError:
            return model.objects.filter(name__iexact=name).order_by("pk").first()


def find_or_create_account(name: str, *, actor: Any, via: str = "") -> Account:
    """The customer company called `name` (any case), created when unknown if `actor` may edit accounts."""
    found: Account = _find_or_create_named(Account, _catalog_name(name), "account.edit", actor=actor)
    return found


def find_or_create_product(name: str, *, actor: Any, via: str = "") -> Product:
    """The product called `name` (any case), created when unknown if `actor` may edit products."""
    found: Product = _find_or_create_named(Product, _catalog_name(name), "product.edit", actor=actor)
    return found


CONTACT_FIELDS = {"name", "locale", "account", "notes", "can_view_account_tickets", "custom_fields"}
MAX_NOTES = 10_000


def _clean_contact_change(field: str, value: Any) -> Any:
    if value is None and field != "account":
        raise ValidationFailed(_("This field cannot be empty."), {field: "required"})
    if field == "name":
        if not isinstance(value, str):
            raise ValidationFailed(_("This field must be text."), {field: "invalid"})
        value = value.strip()
        if len(value) > Contact._meta.get_field("name").max_length:  # type: ignore[operator]
            raise ValidationFailed(_("This value is too long."), {field: "too_long"})
        return value
    if field == "locale":
        # The same languages, and the same error, as agents' and departments' (core.actions).
        return clean_locale(value, field)
    if field == "account":
        if value is not None and (not isinstance(value, Account) or value.pk is None):
            raise ValidationFailed(_("Unknown account."), {field: "not_found"})
        return value
    if field == "notes":
        if not isinstance(value, str):
            raise ValidationFailed(_("This field must be text."), {field: "invalid"})
        if len(value) > MAX_NOTES:
            raise ValidationFailed(_("This value is too long."), {field: "too_long"})
        return value
    if not isinstance(value, bool):
        raise ValidationFailed(_("This field must be true or false."), {field: "invalid"})
    return value


def update_contact(contact: Contact, changes: dict[str, Any], *, actor: Any, via: str = "") -> Contact:
    """Change a contact's own fields (name, locale, account, notes, account visibility, custom fields).

    Every value is checked before anything is written: a name of at most 200
    characters (empty is allowed: many senders have none), a language of
    settings.LANGUAGES, an existing account or None, notes of at most 10,000
    characters, a true/false visibility. The agent form and the API report the
    same errors, since both call this.
    """
    require(actor, "contact.edit")
    unknown = sorted(set(changes) - CONTACT_FIELDS)
    if unknown:
        raise ValidationFailed(_("These fields cannot be changed."), dict.fromkeys(unknown, "unknown"))
    cleaned = {field: _clean_contact_change(field, value) for field, value in changes.items() if field != "custom_fields"}
    if "custom_fields" in changes:
        # Only the keys given change; each is checked against the admin's contact fields.
        cleaned["custom_fields"] = clean_custom_values(FieldTarget.CONTACT, changes["custom_fields"], contact.custom_fields)
    with transaction.atomic():
        for field, value in cleaned.items():
            setattr(contact, field, value)
        contact.updated_at = timezone.now()
        contact.save(update_fields=[*cleaned, "updated_at"])
    return contact


def add_contact_identity(
    contact: Contact, kind: str, value: str, *, actor: Any, department: Department | None = None
) -> ContactIdentity:
    """Give a contact another email/phone; refuses one that belongs to someone else.

    Emails are checked and normalised (clean_email), phones turned into E.164
    (national numbers read in `department`'s region); what cannot be one is a
    ValidationFailed naming the input. The contact's first email becomes its
    primary_email.
    """
    require(actor, "contact.edit")
    if kind == IdentityKind.EMAIL:
        value = clean_email(value)
    elif kind == IdentityKind.PHONE:
        value = normalize_phone(value, phone_region(department))
    else:
        value = value.strip()
    existing = ContactIdentity.objects.filter(kind=kind, value=value).first()
    if existing and existing.contact_id != contact.pk:
        raise ValidationFailed(_("This address belongs to another contact; merge them instead."), {"value": "taken"})
    with transaction.atomic():
        identity, _created = ContactIdentity.objects.get_or_create(kind=kind, value=value, defaults={"contact": contact})
        if kind == IdentityKind.EMAIL and not contact.primary_email:
            _refresh_primary_email(contact)
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
    # The kept contact's own primary email stays; one without gets the duplicate's.
    _refresh_primary_email(target)
    Contact.objects.filter(pk=source.pk).update(primary_email=None)
    source.primary_email = None
    if target.account_id is None and source.account_id is not None:
        target.account_id = source.account_id
    if not target.name and source.name:
        target.name = source.name
    # The kept contact's own values win; the duplicate fills the fields it lacks (its customer number...).
    target.custom_fields = {**(source.custom_fields or {}), **(target.custom_fields or {})}
    target.updated_at = timezone.now()
    target.save()
    source.merged_into = target
    source.updated_at = timezone.now()
    source.save(update_fields=["merged_into", "updated_at"])


ACCOUNT_FIELDS = {"name", "notes", "domains", "custom_fields"}


def _clean_account_name(name: Any, account: Account | None) -> str:
    cleaned = str(name or "").strip()
    if not cleaned:
        raise ValidationFailed(_("An account needs a name."), {"name": "required"})
    if len(cleaned) > 200:
        raise ValidationFailed(_("An account name has at most 200 characters."), {"name": "too_long"})
    taken = Account.objects.filter(name__iexact=cleaned)
    if account is not None:
        taken = taken.exclude(pk=account.pk)
    if taken.exists():
        raise Conflict(_("An account with this name already exists."))
    return cleaned


def _clean_domains(domains: Any, account: Account | None) -> set[str]:
    wanted = set()
    for raw in domains or []:
        text = str(raw).strip().lstrip("@")
        if not text:
            continue
        domain = email_domain("x@" + text)
        if not domain or any(c.isspace() for c in domain) or len(domain) > 200:
            raise ValidationFailed(_("%(domain)s is not an email domain.") % {"domain": text}, {"domains": "invalid"})
        wanted.add(domain)
    taken = AccountDomain.objects.filter(domain__in=wanted)
    if account is not None:
        taken = taken.exclude(account=account)
    if taken.exists():
        raise Conflict(_("An account with this name or domain already exists."))
    return wanted


def _set_account_domains(account: Account, wanted: set[str]) -> None:
    AccountDomain.objects.filter(account=account).exclude(domain__in=wanted).delete()
    existing = set(AccountDomain.objects.filter(account=account).values_list("domain", flat=True))
    AccountDomain.objects.bulk_create([AccountDomain(account=account, domain=d) for d in sorted(wanted - existing)])


def create_account(
    *, actor: Any, via: str, name: str, notes: str = "", domains: list[str] | None = None,
    custom_fields: dict[str, Any] | None = None,
) -> Account:
    """Create a customer company; its email domains make new contacts from them join it.

    A name or domain another account already has is a Conflict, checked before
    writing and again by the unique constraints (two concurrent creations).
    """
    require(actor, "account.edit")
    cleaned = _clean_account_name(name, None)
    wanted = _clean_domains(domains, None)
    custom = clean_custom_values(FieldTarget.ACCOUNT, custom_fields or {}, {})
    try:
        with transaction.atomic():
            account = Account.objects.create(name=cleaned, notes=notes or "", custom_fields=custom)
            _set_account_domains(account, wanted)
    except IntegrityError as exc:
        raise Conflict(_("An account with this name or domain already exists.")) from exc
    return account


def update_account(account: Account, *, actor: Any, via: str, **fields: Any) -> Account:
    """Change an account's name, notes, email domains or custom fields (the ones given; others stay).

    Validates everything before writing, writes in one transaction, and turns a
    duplicate name or domain into a Conflict instead of a database error.
    """
    require(actor, "account.edit")
    unknown = set(fields) - ACCOUNT_FIELDS
    if unknown:
        raise ValidationFailed(_("Unknown account fields."), dict.fromkeys(sorted(unknown), "unknown"))
    name = _clean_account_name(fields["name"], account) if "name" in fields else None
    wanted = _clean_domains(fields["domains"], account) if fields.get("domains") is not None else None
    custom = (
        clean_custom_values(FieldTarget.ACCOUNT, fields["custom_fields"], account.custom_fields)
        if fields.get("custom_fields") is not None else None
    )
    try:
        with transaction.atomic():
            if name is not None:
                account.name = name
            if fields.get("notes") is not None:
                account.notes = fields["notes"]
            if custom is not None:
                account.custom_fields = custom
            account.updated_at = timezone.now()
            account.save(update_fields=["name", "notes", "custom_fields", "updated_at"])
            if wanted is not None:
                _set_account_domains(account, wanted)
    except IntegrityError as exc:
        raise Conflict(_("An account with this name or domain already exists.")) from exc
    return account


@transaction.atomic
def delete_account(account: Account, *, actor: Any, via: str) -> None:
    """Remove an account (admins); its contacts and tickets stay, without an account."""
    require(actor, "admin.settings")
    account.delete()


@transaction.atomic
def delete_contact(contact: Contact, *, actor: Any, via: str) -> None:
    """Remove a contact who has no tickets (a mistaken or spam entry), with their identities and tokens.

    A contact with tickets is refused with a Conflict: their conversations
    would lose their requester. Delete or merge those first.
    """
    require(actor, "admin.settings")
    locked = Contact.objects.select_for_update().filter(pk=contact.pk).first()
    if locked is None:
        return
    if locked.tickets.exists():
        raise Conflict(_("This contact still has tickets; merge the contact or delete the tickets first."))
    locked.delete()


def _clean_product_name(name: Any, product: Product | None) -> str:
    cleaned = str(name or "").strip()
    if not cleaned or len(cleaned) > 200:
        raise ValidationFailed(_("A product needs a name of at most 200 characters."), {"name": "invalid"})
    taken = Product.objects.filter(name__iexact=cleaned)
    if product is not None:
        taken = taken.exclude(pk=product.pk)
    if taken.exists():
        raise Conflict(_("A product with this name already exists."))
    return cleaned


def create_product(*, actor: Any, via: str, name: str, name_translations: dict[str, str] | None = None) -> Product:
    """Add a product customers can ask about; a duplicate name is a Conflict."""
    require(actor, "product.edit")
    cleaned = _clean_product_name(name, None)
    translations = clean_name_translations(name_translations, max_length=200)
    try:
        with transaction.atomic():
            product = Product.objects.create(name=cleaned, name_translations=translations)
            record_change("product.created", product, actor=actor, via=via, after=snapshot(product, PRODUCT_AUDIT))
            return product
    except IntegrityError as exc:
        raise Conflict(_("A product with this name already exists.")) from exc


def rename_product(product: Product, *, actor: Any, via: str, name: str) -> Product:
    """Rename a product; tickets keep pointing at it."""
    require(actor, "product.edit")
    product.name = _clean_product_name(name, product)
    try:
        with transaction.atomic():
            product.save(update_fields=["name"])
    except IntegrityError as exc:
        raise Conflict(_("A product with this name already exists.")) from exc
    return product


@transaction.atomic
def delete_product(product: Product, *, actor: Any, via: str) -> None:
    """Remove a product (admins); its tickets stay, without a product."""
    require(actor, "admin.settings")
    before = snapshot(product, PRODUCT_AUDIT)
    product.delete()
    record_change("product.deleted", None, actor=actor, via=via, before=before, object_type="product", object_repr=before["name"])


def mark_contact_bounced(contact: Contact, address: str, *, actor: Any, via: str) -> bool:
    """Flag one of the contact's email addresses as bouncing (a delivery failure came back for it).

    Agents see the flag and confirmations stop going to it. Only an address the
    contact owns is flagged; returns whether it was newly flagged (a second
    bounce for the same address changes nothing).
    """
    require(actor, "contact.edit")
    value = normalize_email(address)
    if not value:
        return False
    with transaction.atomic():
        changed = ContactIdentity.objects.filter(
            contact=contact, kind=IdentityKind.EMAIL, value=value, bouncing=False,
        ).update(bouncing=True)
        if changed:
            Contact.objects.filter(pk=contact.pk).update(updated_at=timezone.now())
    return bool(changed)


# Account domains (admin center) ---------------------------------------------------


def _one_domain(value: Any) -> str:
    text = str(value or "").strip().lstrip("@")
    domain = email_domain("x@" + text) if text else ""
    if not domain or any(c.isspace() for c in domain) or "." not in domain or len(domain) > 200:
        raise ValidationFailed(_("%(domain)s is not an email domain.") % {"domain": text}, {"domain": "invalid"})
    return domain


@transaction.atomic
def add_account_domain(
    account: Account, domain: str, *, allow_free_mail: bool = False, actor: Any, via: str
) -> AccountDomain:
    """Link `domain` to `account`, so new contacts writing from it join the account.

    A domain another account owns is refused naming that account (one domain,
    one company). A free mail domain (gmail.com...) would pull strangers into
    the account: it is refused unless `allow_free_mail` confirms the admin's intent.
    """
    require(actor, "admin.settings")
    cleaned = _one_domain(domain)
    owner = AccountDomain.objects.select_related("account").filter(domain=cleaned).first()
    if owner is not None:
        if owner.account_id == account.pk:
            return owner
        raise ValidationFailed(
            _("%(domain)s already belongs to the account %(account)s.") % {"domain": cleaned, "account": owner.account.name},
            {"domain": "taken"},
        )
    if is_free_mail(cleaned) and not allow_free_mail:
        raise ValidationFailed(
            _("%(domain)s is a free email provider: every new contact using it would join this account. "
              "Confirm to link it anyway.") % {"domain": cleaned},
            {"domain": "free_mail"},
        )
    try:
        with transaction.atomic():
            row = AccountDomain.objects.create(account=account, domain=cleaned)
    except IntegrityError as exc:
        raise Conflict(_("%(domain)s already belongs to another account.") % {"domain": cleaned}) from exc
    record_change("account_domain.added", row, actor=actor, via=via, after={"account": account, "domain": cleaned})
    return row


@transaction.atomic
def remove_account_domain(row: AccountDomain, *, actor: Any, via: str) -> None:
    """Unlink a domain: contacts already in the account stay there; new ones no longer join."""
    require(actor, "admin.settings")
    before = {"account": row.account, "domain": row.domain}
    record_change("account_domain.removed", row, actor=actor, via=via, before=before)
    row.delete()


# Contact and account fields (admin center) ---------------------------------------------

CONTACT_FIELD_CHANGES = {"label", "label_translations", "choices", "position", "active"}
MAX_FIELD_POSITION = 32767
_FIELD_AUDIT = ("target", "key", "label", "label_translations", "kind", "choices", "position", "active")


def _field_label(value: Any) -> str:
    text = str(value or "").strip() if isinstance(value, str) else ""
    if not text:
        raise ValidationFailed(_("A field needs a label."), {"label": "required"})
    if len(text) > 120:
        raise ValidationFailed(_("This value is too long."), {"label": "too_long"})
    return text


def _field_translations(value: Any) -> dict[str, str]:
    languages = {code for code, _name in settings.LANGUAGES}
    if not isinstance(value, dict) or any(k not in languages or not isinstance(v, str) for k, v in value.items()):
        raise ValidationFailed(_("Translations are one label per language of the helpdesk."), {"label_translations": "invalid"})
    if any(len(v) > 120 for v in value.values()):
        raise ValidationFailed(_("This value is too long."), {"label_translations": "too_long"})
    return {k: v.strip() for k, v in sorted(value.items()) if v.strip()}


def _field_choices(kind: str, value: Any) -> list[str]:
    if value is None:
        value = []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationFailed(_("Choices must be a list of texts."), {"choices": "invalid"})
    cleaned = list(dict.fromkeys(v.strip() for v in value if v.strip()))
    if kind == ContactFieldKind.DROPDOWN and not cleaned:
        raise ValidationFailed(_("A dropdown needs at least one choice."), {"choices": "required"})
    return cleaned if kind == ContactFieldKind.DROPDOWN else []


def _field_position(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_FIELD_POSITION:
        raise ValidationFailed(
            _("The position must be a whole number from 0 to %(max)d.") % {"max": MAX_FIELD_POSITION}, {"position": "invalid"}
        )
    return value


@transaction.atomic
def create_contact_field(
    *, target: str, label: str, kind: str, key: str = "", label_translations: dict[str, str] | None = None,
    choices: list[str] | None = None, position: int = 0, actor: Any, via: str,
) -> ContactFieldDefinition:
    """Add a field to contacts or accounts (a customer number...).

    Without a key, one is made from the label ("Numéro client" -> "numero-client");
    the key and kind are fixed from then on, so stored values keep their meaning
    and conditions (`contact.custom.<key>`) keep matching.
    """
    require(actor, "admin.settings")
    if target not in FieldTarget.values:
        raise ValidationFailed(_("A field applies to contacts or to accounts."), {"target": "invalid"})
    if kind not in ContactFieldKind.values:
        raise ValidationFailed(_("Unknown kind of field."), {"kind": "invalid"})
    cleaned_label = _field_label(label)
    cleaned_key = key_from_label(key.strip() if isinstance(key, str) and key.strip() else cleaned_label)
    if not cleaned_key:
        raise ValidationFailed(_("A key holds only letters, digits, hyphens and underscores."), {"key": "invalid"})
    if ContactFieldDefinition.objects.filter(target=target, key=cleaned_key).exists():
        raise ValidationFailed(_("A field with the key %(key)s already exists.") % {"key": cleaned_key}, {"key": "taken"})
    definition = ContactFieldDefinition(
        target=target, key=cleaned_key, label=cleaned_label, kind=kind,
        label_translations=_field_translations(label_translations or {}),
        choices=_field_choices(kind, choices), position=_field_position(position),
    )
    try:
        with transaction.atomic():
            definition.save()
    except IntegrityError as exc:
        raise Conflict(_("A field with the key %(key)s already exists.") % {"key": cleaned_key}) from exc
    record_change(f"{target}_field.created", definition, actor=actor, via=via, after=snapshot(definition, _FIELD_AUDIT))
    return definition


@transaction.atomic
def update_contact_field(
    definition: ContactFieldDefinition, changes: dict[str, Any], *, actor: Any, via: str
) -> ContactFieldDefinition:
    """Change a field's label, translations, choices, position or active flag (never its key or kind).

    A dropdown choice still held by contacts or accounts cannot be removed:
    the refusal says how many hold it.
    """
    require(actor, "admin.settings")
    unknown = sorted(set(changes) - CONTACT_FIELD_CHANGES)
    if unknown:
        raise ValidationFailed(_("These fields cannot be changed."), dict.fromkeys(unknown, "unknown"))
    before = snapshot(definition, _FIELD_AUDIT)
    for field, value in changes.items():
        if field == "label":
            definition.label = _field_label(value)
        elif field == "label_translations":
            definition.label_translations = _field_translations(value)
        elif field == "choices":
            new_choices = _field_choices(definition.kind, value)
            _refuse_removing_used_choices(definition, [c for c in definition.choices or [] if c not in new_choices])
            definition.choices = new_choices
        elif field == "position":
            definition.position = _field_position(value)
        elif not isinstance(value, bool):
            raise ValidationFailed(_("This field must be true or false."), {field: "invalid"})
        else:
            definition.active = value
    definition.save()
    record_change(f"{definition.target}_field.updated", definition, actor=actor, via=via,
                  before=before, after=snapshot(definition, _FIELD_AUDIT))
    return definition


def _refuse_removing_used_choices(definition: ContactFieldDefinition, removed: list[str]) -> None:
    model = Contact if definition.target == FieldTarget.CONTACT else Account
    for choice in removed:
        used = model.objects.filter(**{f"custom_fields__{definition.key}": choice}).count()
        if used:
            raise ValidationFailed(
                _("The choice %(choice)s is still used by %(count)d records; change them first.")
                % {"choice": choice, "count": used},
                {"choices": "in_use"},
            )


@transaction.atomic
def deactivate_contact_field(definition: ContactFieldDefinition, *, actor: Any, via: str) -> ContactFieldDefinition:
    """Stop showing and accepting a field; the values already stored stay (reactivating shows them again)."""
    return update_contact_field(definition, {"active": False}, actor=actor, via=via)


# Products in the admin center ------------------------------------------------

PRODUCT_AUDIT = ("name", "name_translations")


def update_product(product: Product, changes: dict[str, Any], *, actor: Any, via: str) -> Product:
    """Rename or translate a product (the admin center's edit form); tickets keep pointing at it."""
    require(actor, "product.edit")
    unknown = sorted(set(changes) - {"name", "name_translations"})
    if unknown:
        raise ValidationFailed(_("These fields cannot be changed."), dict.fromkeys(unknown, "unknown"))
    before = snapshot(product, PRODUCT_AUDIT)
    if "name" in changes:
        product.name = _clean_product_name(changes["name"], product)
    if "name_translations" in changes:
        product.name_translations = clean_name_translations(changes["name_translations"], max_length=200)
    try:
        with transaction.atomic():
            product.save(update_fields=["name", "name_translations"])
            record_change("product.updated", product, actor=actor, via=via, before=before, after=snapshot(product, PRODUCT_AUDIT))
    except IntegrityError as exc:
        raise Conflict(_("A product with this name already exists.")) from exc
    return product

"""The customers: contacts, their identities on every channel, accounts (companies), products."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Account(models.Model):
    """A customer company; contacts whose email domain matches join it."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    notes = models.TextField(_("notes"), blank=True)
    # Values of the account fields an admin defines (ContactFieldDefinition, target "account"), by key.
    custom_fields = models.JSONField(_("custom fields"), default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self) -> str:
        return self.name


class AccountDomain(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(_("domain"), max_length=200, unique=True)

    def __str__(self) -> str:
        return self.domain


class Contact(models.Model):
    """A person who asks for help. Reaches us by several identities (emails, phones, handles)."""

    name = models.CharField(_("name"), max_length=200, blank=True)
    # A copy of the first email identity (the primary one if it is an email), kept
    # current by contacts.actions: lists show a contact by name or address, and
    # reading identities per row made every list of unnamed senders an N+1.
    # None when the contact has no email, as the API reports it.
    primary_email = models.CharField(_("email"), max_length=254, null=True, blank=True, editable=False)
    locale = models.CharField(_("language"), max_length=8, default="en")
    account = models.ForeignKey(
        Account, null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts"
    )
    can_view_account_tickets = models.BooleanField(_("sees the account's tickets"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Values of the contact fields an admin defines (ContactFieldDefinition, target "contact"), by key.
    custom_fields = models.JSONField(_("custom fields"), default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [models.Index(fields=["account", "name"], name="contact_account_name")]

    def __str__(self) -> str:
        """Name, else email, else a placeholder: never a query (lists print thousands of these)."""
        return self.name or self.primary_email or _("Unnamed contact #%(id)s") % {"id": self.pk}

    @property
    def primary_phone(self) -> str | None:
        for identity in self.identities.all():
            if identity.kind == IdentityKind.PHONE:
                return identity.value
        return None


class IdentityKind(models.TextChoices):
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    TWITTER = "twitter", _("X / Twitter")
    FACEBOOK = "facebook", _("Facebook")
    WHATSAPP = "whatsapp", _("WhatsApp")


class ContactIdentity(models.Model):
    """One way to reach a contact; (kind, value) is unique so a sender maps to one person."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="identities")
    kind = models.CharField(max_length=16, choices=IdentityKind.choices)
    value = models.CharField(max_length=254)
    is_primary = models.BooleanField(default=False)
    bouncing = models.BooleanField(_("bouncing"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-is_primary", "id"]
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="identity_unique")]

    def __str__(self) -> str:
        return self.value


class Product(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    name_translations = models.JSONField(_("name translations"), default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self) -> str:
        return self.name


class FieldTarget(models.TextChoices):
    CONTACT = "contact", _("Contact")
    ACCOUNT = "account", _("Account")


class ContactFieldKind(models.TextChoices):
    TEXT = "text", _("Text")
    LONG_TEXT = "long_text", _("Long text")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    CHECKBOX = "checkbox", _("Checkbox")
    DROPDOWN = "dropdown", _("Dropdown")


class ContactFieldDefinition(models.Model):
    """A field an admin adds to contacts or accounts (a customer number...). Values live in
    `custom_fields` of the contact or account under `key`, which never changes once created."""

    target = models.CharField(_("applies to"), max_length=10, choices=FieldTarget.choices)
    key = models.SlugField(_("key"), max_length=60)
    label = models.CharField(_("label"), max_length=120)
    # {"fr": "Numéro client", "nl": "Klantnummer"}: the label in other languages than `label`'s.
    label_translations = models.JSONField(_("label translations"), default=dict, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ContactFieldKind.choices)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["target", "position", "id"]
        verbose_name = _("contact or account field")
        verbose_name_plural = _("contact and account fields")
        constraints = [models.UniqueConstraint(fields=["target", "key"], name="contact_field_key_unique")]

    def __str__(self) -> str:
        return self.label

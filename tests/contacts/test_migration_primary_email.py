"""The data step of contacts 0002: stored identities take today's form, then contacts get their primary email."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from comptoir.contacts.models import Contact, ContactIdentity

pytestmark = pytest.mark.django_db

migration = importlib.import_module("comptoir.contacts.migrations.0002_contact_primary_email")


def _legacy_contact(*identities):
    """A contact as rows written before 0002: identities in their old form, no primary_email."""
    contact = Contact.objects.create(name="")
    for position, (kind, value) in enumerate(identities):
        ContactIdentity.objects.create(contact=contact, kind=kind, value=value, is_primary=position == 0)
    return contact


def test_contacts_get_their_primary_identity_email_or_their_oldest_one():
    phone_first = _legacy_contact(("phone", "+32470123456"), ("email", "old@client.test"), ("email", "new@client.test"))
    mail_only = _legacy_contact(("email", "lena@client.test"))
    no_mail = _legacy_contact(("phone", "+32470998877"))
    migration.fill_primary_email(apps, None)
    stored = dict(Contact.objects.values_list("pk", "primary_email"))
    assert stored == {phone_first.pk: "old@client.test", mail_only.pk: "lena@client.test", no_mail.pk: None}


def test_national_phone_numbers_are_stored_in_e164_with_the_default_region(settings):
    settings.COMPTOIR_DEFAULT_PHONE_REGION = "BE"
    contact = _legacy_contact(("phone", "0470123456"))
    migration.normalise_identities(apps, None)
    assert list(contact.identities.values_list("value", flat=True)) == ["+32470123456"]


def test_a_number_whose_e164_form_is_taken_or_unreadable_is_left_as_it_was(settings):
    settings.COMPTOIR_DEFAULT_PHONE_REGION = "BE"
    _legacy_contact(("phone", "+32470123456"))
    duplicate = _legacy_contact(("phone", "0470123456"))
    unreadable = _legacy_contact(("phone", "12"))
    migration.normalise_identities(apps, None)
    assert duplicate.identities.get().value == "0470123456"  # an agent merges the two; nothing is lost
    assert unreadable.identities.get().value == "12"


def test_ascii_idn_addresses_are_stored_in_unicode():
    contact = _legacy_contact(("email", "ops@xn--caf-dma.example"))
    migration.normalise_identities(apps, None)
    migration.fill_primary_email(apps, None)
    assert Contact.objects.get(pk=contact.pk).primary_email == "ops@café.example"

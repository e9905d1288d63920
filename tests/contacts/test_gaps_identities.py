"""Email addresses are checked before a contact is created or given another address."""

from __future__ import annotations

import pytest

from comptoir.contacts.actions import add_contact_identity, find_or_create_contact
from comptoir.contacts.models import Contact, ContactIdentity, IdentityKind
from comptoir.core.errors import ValidationFailed
from comptoir.core.models import Role
from tests.factories import make_agent, make_contact

pytestmark = pytest.mark.django_db

INVALID = [
    "a@",
    "@example.test",
    "a@b",
    "nadia@localhost",
    "nadia haddad@example.test",
    "nadia@exam ple.test",
    "nadia@@example.test",
    "nadia@example@test.be",
    "nadia@.example.test",
    "nadia.@example.test",
    "na..dia@example.test",
    "nadia@example..test",
    "nadia",
]

VALID = [
    ("Nadia+billing@Example.TEST", "nadia+billing@example.test"),
    ("jose@café.example", "jose@café.example"),
    ("jérôme@exemple.fr", "jérôme@exemple.fr"),
    ("ops@xn--caf-dma.example", "ops@café.example"),  # IDN domains are stored in Unicode
    ("o'brien@example.ie", "o'brien@example.ie"),
    ("  first.last@sub.example.co.uk ", "first.last@sub.example.co.uk"),
]


@pytest.mark.parametrize("email", INVALID)
def test_a_malformed_email_creates_no_contact(email):
    with pytest.raises(ValidationFailed) as err:
        find_or_create_contact(email=email, name="Nadia")
    assert err.value.fields == {"email": "invalid"}
    assert not Contact.objects.exists()


@pytest.mark.parametrize(("email", "stored"), VALID)
def test_plus_addressing_and_internationalised_addresses_are_accepted(email, stored):
    contact, created = find_or_create_contact(email=email, name="Nadia")
    assert created
    assert contact.primary_email == stored


def test_a_malformed_email_with_a_valid_phone_is_still_refused():
    with pytest.raises(ValidationFailed) as err:
        find_or_create_contact(email="nadia@", phone="+32470123456")
    assert err.value.fields == {"email": "invalid"}
    assert not ContactIdentity.objects.exists()


@pytest.mark.parametrize("email", INVALID)
def test_a_malformed_email_is_not_added_to_a_contact(email):
    contact = make_contact(email="nadia@example.test")
    with pytest.raises(ValidationFailed) as err:
        add_contact_identity(contact, IdentityKind.EMAIL, email, actor=make_agent(role=Role.ADMIN))
    assert err.value.fields == {"email": "invalid"}
    assert list(contact.identities.values_list("value", flat=True)) == ["nadia@example.test"]


def test_a_valid_second_email_is_added_normalised():
    contact = make_contact(email="nadia@example.test")
    identity = add_contact_identity(contact, IdentityKind.EMAIL, " Nadia+Work@Example.TEST", actor=make_agent(role=Role.ADMIN))
    assert (identity.contact, identity.value) == (contact, "nadia+work@example.test")


def test_phone_identities_are_not_checked_as_emails():
    contact = make_contact(email="nadia@example.test")
    identity = add_contact_identity(contact, IdentityKind.PHONE, "+32 470 12 34 56", actor=make_agent(role=Role.ADMIN))
    assert identity.value == "+32470123456"

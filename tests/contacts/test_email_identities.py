"""Email identities are checked with email-validator and stored in one form, IDN domains in Unicode."""

from __future__ import annotations

import pytest

from comptoir.contacts.actions import add_contact_identity, find_contact, find_or_create_contact
from comptoir.contacts.models import Contact, ContactIdentity, IdentityKind
from comptoir.core.errors import ValidationFailed
from comptoir.core.models import Role
from tests.factories import make_agent, make_contact

pytestmark = pytest.mark.django_db

# Addresses a hand-written pattern let through: mail to them never arrives.
UNREACHABLE = [
    "nadia@printer.local",  # a special-use name (RFC 6762)
    "nadia@shop.onion",  # another one (RFC 7686)
    "nadia@xn--zz.example",  # "xn--" that is no valid IDN label
]


def test_an_idn_domain_in_ascii_or_in_unicode_is_one_contact():
    contact, created = find_or_create_contact(email="ops@xn--caf-dma.example")
    same, created_again = find_or_create_contact(email="Ops@CAFÉ.example")
    assert created and not created_again
    assert same == contact
    assert list(ContactIdentity.objects.values_list("value", flat=True)) == ["ops@café.example"]


def test_a_mail_from_the_ascii_form_finds_the_contact_created_in_unicode():
    contact, _created = find_or_create_contact(email="jose@café.example")
    assert find_contact(email="jose@xn--caf-dma.example") == contact


@pytest.mark.parametrize("email", UNREACHABLE)
def test_an_address_mail_cannot_reach_creates_no_contact(email):
    with pytest.raises(ValidationFailed) as err:
        find_or_create_contact(email=email, name="Nadia")
    assert err.value.fields == {"email": "invalid"}
    assert not Contact.objects.exists()


def test_the_error_repeats_the_address_as_written():
    with pytest.raises(ValidationFailed) as err:
        find_or_create_contact(email="  nadia@@example.be ")
    assert err.value.message == "“nadia@@example.be” is not a valid email address."


def test_an_agent_cannot_add_an_unreachable_address_and_is_told_which():
    contact = make_contact(email="nadia@example.be")
    with pytest.raises(ValidationFailed) as err:
        add_contact_identity(contact, IdentityKind.EMAIL, "nadia@printer.local", actor=make_agent(role=Role.ADMIN))
    assert "nadia@printer.local" in err.value.message
    assert list(contact.identities.values_list("value", flat=True)) == ["nadia@example.be"]


def test_an_agent_adding_the_ascii_form_of_a_known_idn_address_is_told_it_is_taken():
    lena = make_contact(email="lena@café.example")
    omar = make_contact(email="omar@example.be")
    with pytest.raises(ValidationFailed) as err:
        add_contact_identity(omar, IdentityKind.EMAIL, "LENA@xn--caf-dma.example", actor=make_agent(role=Role.ADMIN))
    assert err.value.fields == {"value": "taken"}
    assert ContactIdentity.objects.get(value="lena@café.example").contact == lena

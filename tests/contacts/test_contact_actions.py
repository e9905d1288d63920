"""contacts.actions: finding people across channels, accounts by email domain, editing contacts."""

from __future__ import annotations

import pytest

from comptoir.contacts.actions import (
    add_contact_identity,
    find_contact,
    find_or_create_account,
    find_or_create_contact,
    find_or_create_product,
    update_contact,
)
from comptoir.contacts.models import AccountDomain, Contact, ContactIdentity
from comptoir.core.actors import SYSTEM
from comptoir.core.errors import ValidationFailed
from comptoir.core.models import Role
from comptoir.core.permissions import PermissionDenied
from tests.factories import make_agent

pytestmark = pytest.mark.django_db


def test_email_is_matched_whatever_its_case_and_spaces():
    contact, created = find_or_create_contact(email="Lena.Peeters@Example.TEST", name="Lena")
    again, created_again = find_or_create_contact(email="  lena.peeters@example.test ")
    assert created and not created_again
    assert again == contact
    assert contact.primary_email == "lena.peeters@example.test"


@pytest.mark.parametrize("written", ["+32 470 12 34 56", "0032470123456", "+32 (470) 12-34-56", "+32.470.12.34.56"])
def test_phone_numbers_are_matched_whatever_their_formatting(written):
    contact, _created = find_or_create_contact(phone="+32470123456")
    assert find_contact(phone=written) == contact


def test_a_new_phone_for_a_known_email_is_added_to_the_same_person():
    contact, _created = find_or_create_contact(email="omar@example.test")
    same, created = find_or_create_contact(email="omar@example.test", phone="+33 6 11 22 33 44")
    assert same == contact and not created
    assert find_contact(phone="+33611223344") == contact
    assert contact.identities.count() == 2
    assert contact.identities.get(kind="email").is_primary


def test_a_new_contact_joins_the_account_owning_their_email_domain():
    acme = find_or_create_account("Acme", actor=SYSTEM)
    AccountDomain.objects.create(account=acme, domain="acme.test")
    contact, _created = find_or_create_contact(email="jo@ACME.test")
    assert contact.account == acme
    outsider, _created = find_or_create_contact(email="jo@elsewhere.test")
    assert outsider.account is None


def test_a_known_contact_without_name_or_account_gets_them_filled_in():
    acme = find_or_create_account("Acme", actor=SYSTEM)
    contact, _created = find_or_create_contact(phone="+32470000000")
    find_or_create_contact(phone="+32470000000", name="Jan Peeters", account=acme)
    contact.refresh_from_db()
    assert (contact.name, contact.account) == ("Jan Peeters", acme)
    # A name already known is not overwritten by whatever the next message says.
    find_or_create_contact(phone="+32470000000", name="J.")
    contact.refresh_from_db()
    assert contact.name == "Jan Peeters"


@pytest.mark.parametrize(("email", "phone", "field"), [(None, None, "contact"), ("not-an-email", None, "email")])
def test_a_contact_needs_a_valid_email_or_a_phone(email, phone, field):
    with pytest.raises(ValidationFailed) as err:
        find_or_create_contact(email=email, phone=phone)
    assert field in err.value.fields
    assert not Contact.objects.exists()


def test_accounts_and_products_are_found_by_name_or_created_once():
    assert find_or_create_account(" Acme ", actor=SYSTEM) == find_or_create_account("Acme", actor=SYSTEM)
    assert find_or_create_product("Mobile app", actor=SYSTEM) == find_or_create_product("Mobile app ", actor=SYSTEM)


def test_update_contact_changes_allowed_fields_and_refuses_others():
    agent = make_agent()
    contact, _created = find_or_create_contact(email="lena@example.test")
    update_contact(contact, {"name": "Lena P.", "locale": "nl", "can_view_account_tickets": True}, actor=agent)
    contact.refresh_from_db()
    assert (contact.name, contact.locale, contact.can_view_account_tickets) == ("Lena P.", "nl", True)
    with pytest.raises(ValidationFailed) as err:
        update_contact(contact, {"merged_into": None}, actor=agent)
    assert err.value.fields == {"merged_into": "unknown"}


def test_light_agents_and_contacts_cannot_edit_contacts():
    contact, _created = find_or_create_contact(email="lena@example.test")
    with pytest.raises(PermissionDenied):
        update_contact(contact, {"name": "x"}, actor=make_agent(role=Role.LIGHT_AGENT))
    with pytest.raises(PermissionDenied):
        update_contact(contact, {"name": "x"}, actor=contact)


def test_add_identity_refuses_an_address_of_another_contact():
    agent = make_agent()
    lena, _created = find_or_create_contact(email="lena@example.test")
    omar, _created = find_or_create_contact(email="omar@example.test")
    identity = add_contact_identity(lena, "phone", "+32 470 00 00 01", actor=agent)
    assert (identity.contact, identity.value) == (lena, "+32470000001")
    with pytest.raises(ValidationFailed) as err:
        add_contact_identity(omar, "email", "LENA@example.test", actor=agent)
    assert err.value.fields == {"value": "taken"}
    assert ContactIdentity.objects.get(value="lena@example.test").contact == lena

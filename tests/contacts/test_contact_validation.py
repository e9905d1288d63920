"""update_contact checks what it writes; accounts and products are found whatever the case, created only by those who may."""

from __future__ import annotations

import pytest

from comptoir.contacts.actions import find_or_create_account, find_or_create_product, update_contact
from comptoir.contacts.models import Account, Product
from comptoir.core.actors import SYSTEM
from comptoir.core.errors import PermissionDenied, ValidationFailed
from comptoir.core.models import Role
from tests.factories import make_agent, make_contact

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("changes", "fields"), [
    ({"locale": "de"}, {"locale": "invalid"}),  # not one of the helpdesk's languages (en, fr, nl)
    ({"locale": "english!"}, {"locale": "invalid"}),
    ({"name": "L" * 201}, {"name": "too_long"}),
    ({"name": None}, {"name": "required"}),
    ({"notes": 42}, {"notes": "invalid"}),
    ({"can_view_account_tickets": "yes"}, {"can_view_account_tickets": "invalid"}),
])
def test_a_contact_change_that_does_not_fit_is_refused_and_nothing_is_written(changes, fields):
    contact = make_contact("lena@example.test", name="Lena")

    with pytest.raises(ValidationFailed) as refused:
        update_contact(contact, changes, actor=make_agent(), via="web")

    assert refused.value.fields == fields
    contact.refresh_from_db()
    assert (contact.name, contact.locale, contact.notes, contact.can_view_account_tickets) == ("Lena", "en", "", False)


def test_a_valid_change_is_written_with_the_name_trimmed():
    contact = make_contact("lena@example.test", name="Lena")

    update_contact(contact, {"name": "  Lena Peeters ", "locale": "nl"}, actor=make_agent(), via="web")

    contact.refresh_from_db()
    assert (contact.name, contact.locale) == ("Lena Peeters", "nl")


def test_a_company_written_in_capitals_is_the_same_account():
    acme = find_or_create_account("Acme", actor=SYSTEM)

    assert find_or_create_account("ACME", actor=SYSTEM) == acme
    assert find_or_create_account("  acme ", actor=SYSTEM) == acme
    assert Account.objects.count() == 1


def test_a_product_written_in_another_case_is_the_same_product():
    app = find_or_create_product("Mobile app", actor=SYSTEM)

    assert find_or_create_product("MOBILE APP", actor=SYSTEM) == app
    assert Product.objects.count() == 1


def test_a_customer_cannot_create_an_account_but_finds_a_known_one():
    customer = make_contact("lena@example.test")
    acme = find_or_create_account("Acme", actor=SYSTEM)

    assert find_or_create_account("acme", actor=customer) == acme
    with pytest.raises(PermissionDenied):
        find_or_create_account("Globex", actor=customer)
    assert list(Account.objects.values_list("name", flat=True)) == ["Acme"]


def test_a_light_agent_cannot_create_a_product():
    with pytest.raises(PermissionDenied):
        find_or_create_product("Smart watch", actor=make_agent(role=Role.LIGHT_AGENT))

    assert not Product.objects.exists()

"""Contact and account fields through the API: read with the record, written by PATCH, checked as in the UI."""

from __future__ import annotations

import pytest

from comptoir.contacts import actions
from comptoir.contacts.models import Account, Contact, ContactFieldKind, FieldTarget
from comptoir.core.actors import SYSTEM
from comptoir.core.models import Role
from tests.factories import make_agent, make_contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer_number(db):
    return actions.create_contact_field(
        target=FieldTarget.CONTACT, label="Numéro client", kind=ContactFieldKind.TEXT, actor=make_agent(role=Role.ADMIN), via="test",
    )


def test_an_agent_sets_a_customer_number_and_reads_it_back(api, team, customer_number):
    contact = make_contact("lea@example.test", name="Léa")
    response = api.patch(f"/contacts/{contact.pk}", team.token("agent"), json={"custom_fields": {"numero-client": "C-1042"}})
    assert response.status_code == 200, response.content
    assert response.json()["custom_fields"] == {"numero-client": "C-1042"}
    assert api.get(f"/contacts/{contact.pk}", team.token("agent")).json()["custom_fields"] == {"numero-client": "C-1042"}


def test_an_unknown_contact_field_is_a_422_naming_it(api, team, customer_number):
    contact = make_contact()
    response = api.patch(f"/contacts/{contact.pk}", team.token("agent"), json={"custom_fields": {"vat": "BE0123"}})
    assert response.status_code == 422, response.content
    assert response.json()["error"]["fields"] == {"custom_fields.vat": "unknown"}
    contact.refresh_from_db()
    assert contact.custom_fields == {}


def test_patching_one_field_keeps_the_others(api, team, customer_number):
    actions.create_contact_field(target=FieldTarget.CONTACT, label="Loyalty", kind=ContactFieldKind.CHECKBOX,
                                 actor=SYSTEM, via="test")
    contact = make_contact()
    Contact.objects.filter(pk=contact.pk).update(custom_fields={"numero-client": "C-7", "loyalty": True})
    body = api.patch(f"/contacts/{contact.pk}", team.token("agent"), json={"custom_fields": {"loyalty": None}}).json()
    assert body["custom_fields"] == {"numero-client": "C-7"}


def test_an_account_field_is_written_at_creation_and_refuses_a_wrong_kind(api, team):
    actions.create_contact_field(target=FieldTarget.ACCOUNT, label="Seats", kind=ContactFieldKind.NUMBER, actor=SYSTEM, via="test")
    created = api.post("/accounts", team.token("admin"), json={"name": "Brasserie Dupont", "custom_fields": {"seats": 40}})
    assert created.status_code == 201, created.content
    assert created.json()["custom_fields"] == {"seats": 40}
    refused = api.patch(f"/accounts/{created.json()['id']}", team.token("admin"), json={"custom_fields": {"seats": "many"}})
    assert refused.status_code == 422
    assert Account.objects.get(name="Brasserie Dupont").custom_fields == {"seats": 40}

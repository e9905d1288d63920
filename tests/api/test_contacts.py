"""Contacts, accounts and products through the API."""

from __future__ import annotations

import pytest

from comptoir.contacts.models import Contact
from tests.factories import make_contact

pytestmark = pytest.mark.django_db


def test_an_agent_creates_a_contact(api, team):
    response = api.post("/contacts", team.token("agent"), json={"name": "Noor", "email": "noor@example.test", "phone": "+32 470 12 34 56"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["email"], body["name"]) == ("noor@example.test", "Noor")
    assert {i["kind"] for i in body["identities"]} == {"email", "phone"}


def test_creating_a_contact_with_a_known_email_is_a_409(api, team):
    make_contact("dup@example.test")
    assert api.post("/contacts", team.token("agent"), json={"email": "DUP@example.test"}).status_code == 409
    assert Contact.objects.count() == 2  # the team's contact and the first one


def test_searching_contacts_by_email(api, team):
    make_contact("lea@example.test", name="Léa")
    results = api.get("/contacts?q=lea@", team.token("agent")).json()["results"]
    assert [c["name"] for c in results] == ["Léa"]


def test_moving_a_contact_to_an_account(api, team):
    account = api.post("/accounts", team.token("agent"), json={"name": "Acme", "domains": ["acme.test"]}).json()
    contact = make_contact()
    body = api.patch(f"/contacts/{contact.pk}", team.token("agent"), json={"account_id": account["id"]}).json()
    assert body["account"] == {"id": account["id"], "name": "Acme"}


def test_a_new_contact_joins_the_account_owning_their_domain(api, team):
    api.post("/accounts", team.token("agent"), json={"name": "Acme", "domains": ["acme.test"]})
    body = api.post("/contacts", team.token("agent"), json={"email": "bob@acme.test"}).json()
    assert body["account"]["name"] == "Acme"


def test_listing_contacts_runs_a_constant_number_of_queries(api, team, django_assert_max_num_queries):
    for _ in range(15):
        make_contact()
    with django_assert_max_num_queries(6):
        assert len(api.get("/contacts?limit=2", team.token("agent")).json()["results"]) == 2
    with django_assert_max_num_queries(6):
        assert len(api.get("/contacts?limit=15", team.token("agent")).json()["results"]) == 15


def test_products_are_created_and_renamed(api, team):
    product = api.post("/products", team.token("agent"), json={"name": "iOS app"}).json()
    renamed = api.patch(f"/products/{product['id']}", team.token("agent"), json={"name": "iPhone app"}).json()
    assert renamed["name"] == "iPhone app"
    assert api.post("/products", team.token("agent"), json={"name": "iPhone app"}).status_code == 409

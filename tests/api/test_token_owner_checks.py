"""Token authentication checks the token's owner itself, on every request.

Merging contacts revokes the duplicate's tokens in a subscriber that runs after
commit; if that step fails (a crash, a bug in another subscriber), the token row
stays live. These tests build that state directly: the owner has changed, the
token row has not.
"""

from __future__ import annotations

import base64

import pytest
from django.test import Client

from comptoir.api.models import ApiToken
from comptoir.api.tokens import issue_token
from comptoir.contacts.models import Contact
from tests.factories import make_agent, make_contact, make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def merged_duplicate():
    """A duplicate contact merged into the kept one, whose token the revoke step missed."""
    kept = make_contact("nadia@example.test", name="Nadia Haddad")
    duplicate = make_contact("n.haddad@example.test", name="N. Haddad")
    make_ticket(contact=duplicate)
    row, secret = issue_token(duplicate, "shop integration")
    Contact.objects.filter(pk=duplicate.pk).update(merged_into=kept)
    assert ApiToken.objects.get(pk=row.pk).revoked_at is None
    return duplicate, secret


def test_a_merged_contacts_unrevoked_token_gets_401(api, merged_duplicate):
    _duplicate, secret = merged_duplicate

    response = api.get("/tickets", secret)

    assert response.status_code == 401


def test_a_merged_contacts_unrevoked_token_cannot_open_a_ticket(api, merged_duplicate):
    _duplicate, secret = merged_duplicate

    response = api.post("/tickets", secret, json={"subject": "Still there?"})

    assert response.status_code == 401


def test_a_merged_contacts_unrevoked_token_gets_401_with_basic_auth_too(client, merged_duplicate):
    _duplicate, secret = merged_duplicate
    credentials = base64.b64encode(f"n.haddad@example.test/token:{secret}".encode()).decode()

    response = client.get("/api/v1/tickets", HTTP_AUTHORIZATION=f"Basic {credentials}")

    assert response.status_code == 401


def test_a_contact_that_was_not_merged_keeps_using_its_token(api):
    contact = make_contact("camille@example.test", name="Camille Martin")
    make_ticket(contact=contact)
    _row, secret = issue_token(contact, "portal script")

    assert api.get("/tickets", secret).status_code == 200


def test_a_deactivated_agents_browser_session_no_longer_opens_the_api():
    agent = make_agent()
    browser = Client()
    browser.force_login(agent)
    assert browser.get("/api/v1/tickets").status_code == 200

    agent.is_active = False
    agent.save(update_fields=["is_active"])

    assert browser.get("/api/v1/tickets").status_code == 401

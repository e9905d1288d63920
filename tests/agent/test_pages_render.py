"""Every workspace page renders for an admin (templates compile, links resolve)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from comptoir.contacts.actions import find_or_create_account
from comptoir.core.actors import SYSTEM
from comptoir.core.models import Role
from tests.factories import make_agent, make_contact, make_ticket

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["profile", "notifications", "ticket-new", "contacts", "accounts"])
def test_page_without_arguments_renders(client, name):
    client.force_login(make_agent(role=Role.ADMIN))
    assert client.get(reverse(f"agent:{name}")).status_code == 200


@pytest.mark.parametrize("name", ["contact", "contact-edit", "contact-merge"])
def test_contact_pages_render(client, name):
    contact = make_contact()
    client.force_login(make_agent(role=Role.ADMIN))
    assert client.get(reverse(f"agent:{name}", args=[contact.pk])).status_code == 200


@pytest.mark.parametrize("name", ["account", "account-edit"])
def test_account_pages_render(client, name):
    account = find_or_create_account("Acme", actor=SYSTEM)
    client.force_login(make_agent(role=Role.ADMIN))
    assert client.get(reverse(f"agent:{name}", args=[account.pk])).status_code == 200


@pytest.mark.parametrize("tab", ["history", "attachments", "approval", "resolution", "activities", "time"])
def test_ticket_tabs_render_as_full_pages(client, tab):
    ticket = make_ticket()
    client.force_login(make_agent(role=Role.ADMIN))
    assert client.get(reverse("agent:ticket-tab", args=[ticket.number, tab])).status_code == 200


@pytest.mark.parametrize("name", ["login", "password-reset", "password-reset-done", "password-reset-complete"])
def test_sign_in_pages_render_for_visitors(client, name):
    assert client.get(reverse(f"agent:{name}")).status_code == 200

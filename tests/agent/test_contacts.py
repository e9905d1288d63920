"""Contacts and accounts pages: search, tickets across channels, edit, merge duplicates."""

from __future__ import annotations

import pytest
from django.urls import reverse

from comptoir.contacts.actions import find_or_create_account
from comptoir.core.actors import SYSTEM
from comptoir.core.models import Role, TicketScope
from tests.factories import make_agent, make_contact, make_group, make_ticket

pytestmark = pytest.mark.django_db


def test_contact_list_searches_by_email(client):
    make_contact(email="nadia@example.test", name="Nadia Haddad")
    make_contact(email="jan@example.test", name="Jan Peeters")
    client.force_login(make_agent())
    page = client.get(reverse("agent:contacts"), {"q": "nadia@"}).content.decode()
    assert "Nadia Haddad" in page and "Jan Peeters" not in page


def test_contact_list_query_count_is_constant(client, django_assert_max_num_queries):
    client.force_login(make_agent())
    for i in range(3):
        make_contact(name=f"Few {i}")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("agent:contacts"))
    for i in range(30):
        make_contact(name=f"Many {i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("agent:contacts"))


def test_contact_page_lists_only_tickets_the_agent_may_see(client):
    contact = make_contact()
    agent = make_agent(scope=TicketScope.GROUPS, groups=[make_group("Mobile")])
    seen = make_ticket(contact=contact, group=agent.support_groups.get(), channel="phone")
    hidden = make_ticket(contact=contact, group=make_group("Billing"), channel="email")
    client.force_login(agent)
    page = client.get(reverse("agent:contact", args=[contact.pk])).content.decode()
    assert seen.subject in page and hidden.subject not in page


def test_merge_duplicate_contacts_moves_tickets(client):
    keep = make_contact(email="nadia@example.test", name="Nadia Haddad")
    duplicate = make_contact(email="n.haddad@example.test", name="N. Haddad")
    ticket = make_ticket(contact=duplicate)
    client.force_login(make_agent(role=Role.ADMIN))
    response = client.post(reverse("agent:contact-merge", args=[duplicate.pk]), {"target": keep.pk})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.contact == keep


def test_agent_without_merge_right_is_refused(client):
    keep, duplicate = make_contact(), make_contact()
    client.force_login(make_agent(role=Role.AGENT))
    response = client.post(reverse("agent:contact-merge", args=[duplicate.pk]), {"target": keep.pk})
    assert response.status_code == 422


def test_edit_contact_changes_name(client):
    contact = make_contact(name="Old Name")
    client.force_login(make_agent())
    client.post(reverse("agent:contact-edit", args=[contact.pk]), {"name": "Nadia Haddad", "locale": "fr", "notes": ""})
    contact.refresh_from_db()
    assert contact.name == "Nadia Haddad" and contact.locale == "fr"


def test_account_page_shows_its_contacts(client):
    account = find_or_create_account("Acme", actor=SYSTEM)
    make_contact(name="Nadia Haddad", account=account)
    client.force_login(make_agent())
    assert b"Nadia Haddad" in client.get(reverse("agent:account", args=[account.pk])).content
    assert b"Acme" in client.get(reverse("agent:accounts"), {"q": "acm"}).content

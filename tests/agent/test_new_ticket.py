"""Logging a phone call: new ticket for a known or a new contact."""

from __future__ import annotations

import pytest
from django.urls import reverse

from comptoir.contacts.models import Contact
from comptoir.tickets.models import Ticket
from tests.factories import make_agent, make_contact

pytestmark = pytest.mark.django_db


def test_phone_ticket_for_a_new_contact_makes_the_agent_owner(client):
    agent = make_agent()
    client.force_login(agent)
    response = client.post(reverse("agent:ticket-new"), {
        "contact_name": "Jan Peeters", "contact_phone": "+32 470 12 34 56", "subject": "Cannot log in",
        "description": "Called about login", "channel": "phone", "priority": "3", "type": "incident", "tags": "login, vip",
    })
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response.url == reverse("agent:ticket", args=[ticket.number])
    assert ticket.channel == "phone" and ticket.assignee_id == agent.pk
    assert ticket.contact.name == "Jan Peeters"
    assert sorted(t.name for t in ticket.tags.all()) == ["login", "vip"]


def test_new_ticket_for_an_existing_contact_keeps_that_contact(client):
    contact = make_contact(email="nadia@example.test", name="Nadia Haddad")
    client.force_login(make_agent())
    client.post(reverse("agent:ticket-new"), {"contact": contact.pk, "subject": "Billing question", "channel": "phone",
                                              "priority": "2", "type": "question"})
    assert Ticket.objects.get().contact == contact
    assert Contact.objects.count() == 1


def test_new_ticket_without_any_contact_is_refused_and_keeps_input(client):
    client.force_login(make_agent())
    response = client.post(reverse("agent:ticket-new"), {"subject": "Lost input?", "channel": "phone", "priority": "2", "type": "question"})
    assert response.status_code == 422
    assert b"Lost input?" in response.content
    assert not Ticket.objects.exists()


def test_channel_defaults_to_phone(client):
    client.force_login(make_agent())
    page = client.get(reverse("agent:ticket-new")).content.decode()
    assert '<option value="phone" selected>' in page


def test_contact_search_matches_name_email_and_phone(client):
    make_contact(email="nadia@example.test", name="Nadia Haddad")
    client.force_login(make_agent())
    assert b"Nadia Haddad" in client.get(reverse("agent:contact-search"), {"q": "hadd"}).content
    assert b"Nadia Haddad" in client.get(reverse("agent:contact-search"), {"q": "nadia@exa"}).content


def test_custom_fields_are_saved_on_the_new_ticket(client):
    from comptoir.tickets.models import CustomFieldDefinition, FieldKind

    CustomFieldDefinition.objects.create(key="app_version", label="App version", kind=FieldKind.DROPDOWN, choices=["4.2", "4.3"])
    client.force_login(make_agent())
    client.post(reverse("agent:ticket-new"), {"contact_phone": "+32 470 00 00 01", "subject": "Crash", "channel": "phone",
                                              "priority": "2", "type": "question", "cf_app_version": "4.2"})
    assert Ticket.objects.get().custom_fields == {"app_version": "4.2"}


def test_invalid_custom_field_value_is_refused_with_a_message(client):
    from comptoir.tickets.models import CustomFieldDefinition, FieldKind

    CustomFieldDefinition.objects.create(key="seats", label="Seats", kind=FieldKind.NUMBER)
    client.force_login(make_agent())
    response = client.post(reverse("agent:ticket-new"), {"contact_phone": "+32 470 00 00 02", "subject": "Licences", "channel": "phone",
                                                         "priority": "2", "type": "question", "cf_seats": "many"})
    assert response.status_code == 422
    assert not Ticket.objects.exists()

"""Reply all: the composer offers To (the customer) and Cc (everyone else) and sends to both."""

from __future__ import annotations

import pytest
from django.urls import reverse

from comptoir.tickets import actions
from comptoir.tickets.models import Message, MessageKind
from tests.factories import make_agent, make_contact, make_ticket

pytestmark = pytest.mark.django_db


def customer_mail_with_copies():
    contact = make_contact(email="nadia@client.test", name="Nadia Haddad")
    ticket = make_ticket(contact=contact)
    actions.receive_customer_message(ticket, contact=contact, via="email", body_text="Still broken.",
                                     email_headers={"to": ["support@comptoir.test"], "cc": ["boss@client.test"]})
    return ticket


def test_reply_all_is_prefilled_with_the_customer_and_the_people_copied(client):
    ticket = customer_mail_with_copies()
    client.force_login(make_agent())
    page = client.get(reverse("agent:ticket", args=[ticket.number])).content.decode()
    assert 'id="composer-to" name="to" value="nadia@client.test"' in page
    assert 'id="composer-cc" name="cc" value="boss@client.test"' in page


def test_reply_all_sends_to_the_edited_to_and_cc(client):
    ticket = customer_mail_with_copies()
    client.force_login(make_agent())
    response = client.post(reverse("agent:ticket-compose", args=[ticket.number]), {
        "mode": "reply_all", "body": "We are on it.", "to": "nadia@client.test, it@client.test",
        "cc": "boss@client.test", "then": "",
    })
    assert response.status_code == 302
    reply = Message.objects.get(ticket=ticket, kind=MessageKind.REPLY, body_text="We are on it.")
    assert reply.to == ["nadia@client.test", "it@client.test"]
    assert reply.cc == ["boss@client.test"]


def test_a_plain_reply_ignores_the_reply_all_fields(client):
    ticket = customer_mail_with_copies()
    client.force_login(make_agent())
    client.post(reverse("agent:ticket-compose", args=[ticket.number]), {
        "mode": "reply", "body": "Thanks.", "to": "someone@else.test", "cc": "other@else.test", "then": "",
    })
    reply = Message.objects.get(ticket=ticket, kind=MessageKind.REPLY, body_text="Thanks.")
    assert reply.to == ["nadia@client.test"]
    assert reply.cc == []

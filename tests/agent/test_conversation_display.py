"""How the conversation shows a customer's email: sanitised HTML, headers on demand."""

from __future__ import annotations

import pytest
from django.urls import reverse

from comptoir.tickets import actions
from tests.factories import make_agent, make_contact, make_ticket

pytestmark = pytest.mark.django_db


def customer_email(body_html: str = "<p>Still broken.</p>"):
    contact = make_contact(email="nadia@client.test", name="Nadia Haddad")
    ticket = make_ticket(contact=contact)
    actions.receive_customer_message(
        ticket, contact=contact, via="email", body_html=body_html,
        email_headers={"message_id": "<abc.123@client.test>", "to": ["support@comptoir.test"], "cc": ["boss@client.test"]},
    )
    return ticket


def test_script_and_event_handlers_in_a_customer_email_never_reach_the_page(client):
    ticket = customer_email('<p>Hello</p><script>alert("x")</script><img src="x" onerror="alert(1)"><a href="javascript:alert(2)">see</a>')
    client.force_login(make_agent())
    page = client.get(reverse("agent:ticket", args=[ticket.number])).content.decode()
    assert "<p>Hello</p>" in page
    assert 'alert("x")' not in page and "onerror" not in page and "javascript:alert" not in page


def test_the_original_email_headers_are_shown_on_demand(client):
    ticket = customer_email()
    client.force_login(make_agent())
    page = client.get(reverse("agent:ticket", args=[ticket.number])).content.decode()
    headers = page.split('<details class="message__headers">', 1)[1].split("</details>", 1)[0]
    assert "&lt;abc.123@client.test&gt;" in headers
    assert "support@comptoir.test" in headers and "boss@client.test" in headers

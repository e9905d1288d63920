"""The customer's view: sign in by one-time link, see only my requests, never an internal note."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from comptoir.portal.models import UsedSignInLink
from comptoir.portal.signin import SignInRefused, make_sign_in_token, redeem_sign_in_token
from comptoir.tickets import actions
from tests.factories import make_agent, make_contact, make_ticket

pytestmark = pytest.mark.django_db


def signed_in(client, contact):
    session = client.session
    session["contact_id"] = contact.pk
    session.save()
    return client


def link_in_last_email() -> str:
    return re.search(r"https?://\S+", mail.outbox[-1].body).group(0)


def test_customer_asks_for_a_link_and_signs_in_with_it(client):
    ann = make_contact("ann@example.test")
    response = client.post(reverse("portal:sign-in"), {"email": "Ann@Example.test"})
    assert response.status_code == 200
    assert mail.outbox[-1].to == ["Ann@Example.test"]
    link = link_in_last_email()
    path = link.split("testserver", 1)[1]
    assert client.get(path).status_code == 200  # a confirmation page: opening the link does not use it
    response = client.post(path)
    assert response.status_code == 302
    assert client.session["contact_id"] == ann.pk


def test_unknown_address_gets_the_same_answer_and_no_email(client):
    response = client.post(reverse("portal:sign-in"), {"email": "nobody@example.test"})
    assert response.status_code == 200
    assert b"If nobody@example.test is an address we know" in response.content
    assert mail.outbox == []


def test_a_link_works_only_once(client):
    token = make_sign_in_token(make_contact())
    assert client.post(reverse("portal:redeem", args=[token])).status_code == 302
    client.session.flush()
    response = client.post(reverse("portal:redeem", args=[token]))
    assert response.status_code == 400
    assert b"already used" in response.content


def test_an_expired_link_is_refused():
    contact = make_contact()
    with time_machine.travel("2026-03-02 10:00:00+00:00", tick=False):
        token = make_sign_in_token(contact)
    with time_machine.travel("2026-03-02 11:00:00+00:00", tick=False), pytest.raises(SignInRefused) as refused:
        redeem_sign_in_token(token)
    assert refused.value.reason == "expired"
    assert not UsedSignInLink.objects.exists()


def test_a_tampered_link_is_refused(client):
    token = make_sign_in_token(make_contact())
    response = client.post(reverse("portal:redeem", args=[token[:-2] + "xx"]))
    assert response.status_code == 400
    assert "contact_id" not in client.session


def test_my_requests_lists_only_my_tickets(client):
    ann, bob = make_contact("ann@example.test"), make_contact("bob@example.test")
    mine = make_ticket(contact=ann, subject="My invoice is wrong")
    make_ticket(contact=bob, subject="Bob's secret problem")
    response = signed_in(client, ann).get(reverse("portal:requests"))
    assert mine.subject.encode() in response.content
    assert b"secret problem" not in response.content


def test_another_customers_ticket_is_not_found(client):
    ann, bob = make_contact(), make_contact()
    bobs = make_ticket(contact=bob)
    response = signed_in(client, ann).get(reverse("portal:request", args=[bobs.number]))
    assert response.status_code == 404


def test_internal_notes_never_show_in_the_customer_view(client):
    ann = make_contact()
    agent = make_agent()
    ticket = make_ticket(contact=ann, assignee=agent)
    actions.add_internal_note(ticket, actor=agent, via="web", body_text="Customer is on the legacy plan, be careful")
    actions.add_reply(ticket, actor=agent, via="web", body_text="We are looking into it.")
    response = signed_in(client, ann).get(reverse("portal:request", args=[ticket.number]))
    assert b"We are looking into it." in response.content
    assert b"legacy plan" not in response.content


def test_customer_replies_from_the_portal(client):
    ann = make_contact()
    ticket = make_ticket(contact=ann, status="pending")
    response = signed_in(client, ann).post(reverse("portal:request", args=[ticket.number]), {"body": "Still broken, sorry."})
    assert response.status_code == 302
    ticket.refresh_from_db()
    last = ticket.messages.order_by("id").last()
    assert last.author_contact == ann and last.channel == "portal"
    assert ticket.status_category == "open"


def test_an_empty_reply_is_refused_and_nothing_is_added(client):
    ann = make_contact()
    ticket = make_ticket(contact=ann)
    before = ticket.messages.count()
    response = signed_in(client, ann).post(reverse("portal:request", args=[ticket.number]), {"body": "   "})
    assert response.status_code == 200
    assert ticket.messages.count() == before


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("portal:requests"))
    assert response.status_code == 302 and response.url == reverse("portal:sign-in")

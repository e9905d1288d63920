"""Replies that copy other people, received over real SMTP: the copied people follow the ticket,
and one of them answering from their own address stays on the same ticket."""

from __future__ import annotations

import smtplib

import pytest

from comptoir.channels.email.models import InboundEmail, InboundState
from comptoir.core.actors import SYSTEM
from comptoir.tickets import actions
from comptoir.tickets.models import EventKind, Ticket
from tests.channels.email.conftest import build_mail

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.email_servers]


def _send(controller, raw: bytes) -> InboundEmail:
    with smtplib.SMTP(controller.hostname, controller.port, timeout=10) as client:
        client.sendmail("sender@client.test", ["help@acme.test"], raw)
    return InboundEmail.objects.order_by("-id").first()


@pytest.fixture
def ticket(smtpd) -> Ticket:
    """Casey's question, opened by mail, nobody else on it yet."""
    _send(smtpd, build_mail(message_id="<question@client.test>"))
    return Ticket.objects.get()


def _followers(ticket: Ticket) -> list[str]:
    return sorted(c.primary_email for c in ticket.cc_contacts.all())


def test_people_copied_on_a_reply_become_followers_with_history(smtpd, ticket):
    row = _send(smtpd, build_mail(body="Adding my manager.", cc="Morgan Manager <morgan@client.test>, help@acme.test",
                                  in_reply_to="<question@client.test>"))

    assert row.state == InboundState.INGESTED and row.ticket == ticket
    assert _followers(ticket) == ["morgan@client.test"]
    event = ticket.events.get(kind=EventKind.FOLLOWER_ADDED)
    assert event.data["reason"] == "copied_on_message"
    assert "morgan@client.test" in " ".join(event.new_value)


def test_a_copied_person_replying_from_their_own_address_joins_the_same_ticket(smtpd, ticket):
    _send(smtpd, build_mail(body="Adding Morgan.", cc="morgan@client.test", in_reply_to="<question@client.test>"))

    row = _send(smtpd, build_mail(sender="Morgan Manager <morgan@client.test>", body="Please treat this as urgent.",
                                  in_reply_to="<question@client.test>"))

    assert row.state == InboundState.INGESTED and row.ticket == ticket and not row.created_ticket
    assert Ticket.objects.count() == 1
    last = ticket.messages.order_by("-id").first()
    assert (last.author_contact.primary_email, last.author_contact.name) == ("morgan@client.test", "Morgan Manager")


def test_an_unknown_address_answering_on_the_thread_gets_a_ticket_of_its_own(smtpd, ticket):
    # Pat was never copied on the conversation: knowing one of its Message-IDs is not an invitation.
    row = _send(smtpd, build_mail(sender="Pat Partner <pat@partner.test>", body="I can reproduce it too.",
                                  references="<question@client.test>"))

    assert row.state == InboundState.INGESTED and row.created_ticket and row.ticket != ticket
    assert ticket.messages.count() == 1
    assert _followers(ticket) == []


def test_the_requester_copied_back_by_a_colleague_is_not_made_a_follower(smtpd, ticket):
    _send(smtpd, build_mail(body="Adding Pat.", cc="pat@partner.test", in_reply_to="<question@client.test>"))

    _send(smtpd, build_mail(sender="pat@partner.test", cc="Casey Customer <casey@client.test>",
                            body="Looping back Casey.", in_reply_to="<question@client.test>"))

    assert _followers(ticket) == ["pat@partner.test"]


def test_people_a_copied_colleague_copies_in_turn_do_not_join(smtpd, ticket):
    # Only someone who may see the ticket brings others in; Pat was copied, Lee was not.
    _send(smtpd, build_mail(body="Adding Pat.", cc="pat@partner.test", in_reply_to="<question@client.test>"))

    _send(smtpd, build_mail(sender="pat@partner.test", cc="lee@partner.test", body="Looping in Lee.",
                            in_reply_to="<question@client.test>"))

    assert ticket.messages.count() == 3
    assert _followers(ticket) == ["pat@partner.test"]


def test_an_out_of_office_reply_adds_nobody_to_the_ticket(smtpd, ticket):
    row = _send(smtpd, build_mail(subject="Automatic reply: The app crashes on start", body="I am away.",
                                  cc="assistant@client.test", headers={"Auto-Submitted": "auto-replied"},
                                  in_reply_to="<question@client.test>"))

    assert row.state == InboundState.AUTO_REPLY
    assert _followers(ticket) == []


def test_people_copied_on_a_reply_to_a_closed_ticket_follow_the_follow_up(smtpd, ticket):
    actions.update_ticket(ticket, {"status": "closed"}, actor=SYSTEM, via="system")

    row = _send(smtpd, build_mail(body="It is back.", cc="morgan@client.test", in_reply_to="<question@client.test>"))

    follow_up = Ticket.objects.exclude(pk=ticket.pk).get()
    assert row.ticket == follow_up and follow_up.follow_up_of == ticket
    assert _followers(follow_up) == ["morgan@client.test"]

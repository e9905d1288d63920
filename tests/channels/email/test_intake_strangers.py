"""Who may join a ticket's conversation by email, over real SMTP: the people who may see the
ticket and those its requester copied. A colleague at the same company who mails "Re: [#1234]"
gets a ticket of their own, and the agent replies on the first ticket never reach them."""

from __future__ import annotations

import email
import smtplib
from email import policy

import pytest

from comptoir.channels.email.models import InboundEmail, InboundState
from comptoir.contacts.actions import create_account, update_contact
from comptoir.core.actors import SYSTEM
from comptoir.tickets import actions
from comptoir.tickets.models import MessageKind, Ticket
from tests.channels.email.conftest import build_mail
from tests.factories import make_agent, make_contact

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.email_servers]


def _send(controller, raw: bytes) -> InboundEmail:
    with smtplib.SMTP(controller.hostname, controller.port, timeout=10) as client:
        client.sendmail("sender@client.test", ["help@acme.test"], raw)
    return InboundEmail.objects.order_by("-id").first()


@pytest.fixture
def client_account(department):
    """Client Ltd owns client.test: everyone writing from there joins the account."""
    return create_account(actor=SYSTEM, via="test", name="Client Ltd", domains=["client.test"])


@pytest.fixture
def ticket(smtpd, smtp_sink, client_account) -> Ticket:
    """Casey at Client Ltd asked a question by mail; nobody else is on it."""
    _send(smtpd, build_mail(message_id="<question@client.test>"))
    return Ticket.objects.get()


def _stranger_mail(ticket: Ticket, **extra) -> bytes:
    """Sam works at the same company, cannot see Casey's ticket, and guesses its number."""
    return build_mail(sender="Sam Snoop <sam@client.test>", subject=f"Re: [#{ticket.number}] The app crashes on start",
                      body="Please keep me posted.", **extra)


def _agent_reply_recipients(ticket: Ticket, smtp_sink) -> list[str]:
    """Who receives the agent's next reply on the ticket, as seen by the SMTP server."""
    before = len(smtp_sink.messages)
    actions.add_reply(ticket, actor=make_agent(), via="web", body_text="We are looking into it.")
    sent = smtp_sink.wait_for(before + 1)[before:]
    assert len(sent) == 1
    return sorted(sent[0].rcpt_tos)


def test_a_colleague_guessing_the_ticket_number_is_not_added_to_the_ticket(smtpd, ticket):
    row = _send(smtpd, _stranger_mail(ticket))

    assert row.state == InboundState.INGESTED and row.created_ticket and row.ticket != ticket
    assert ticket.messages.count() == 1
    assert list(ticket.cc_contacts.all()) == []


def test_agent_replies_never_reach_a_colleague_who_guessed_the_ticket_number(smtpd, smtp_sink, ticket):
    _send(smtpd, _stranger_mail(ticket))

    assert _agent_reply_recipients(ticket, smtp_sink) == ["casey@client.test"]


def test_the_stranger_cannot_bring_others_in_by_copying_them(smtpd, ticket):
    _send(smtpd, _stranger_mail(ticket, cc="Robin <robin@client.test>"))

    assert list(ticket.cc_contacts.all()) == []


def test_the_agent_is_told_which_ticket_the_refused_mail_named_and_why(smtpd, ticket):
    row = _send(smtpd, _stranger_mail(ticket))

    note = row.ticket.messages.get(kind=MessageKind.NOTE)
    assert f"#{ticket.number}" in note.body_text
    assert "sam@client.test may not see that ticket and was not copied on it" in note.body_text
    assert not note.is_public


def test_an_out_of_office_from_a_stranger_opens_nothing(smtpd, ticket):
    row = _send(smtpd, _stranger_mail(ticket, headers={"Auto-Submitted": "auto-replied"}))

    assert row.state == InboundState.AUTO_REPLY
    assert Ticket.objects.count() == 1
    assert ticket.messages.count() == 1


def test_a_colleague_the_requester_copied_joins_and_gets_the_replies(smtpd, smtp_sink, ticket):
    _send(smtpd, build_mail(body="Adding Morgan.", to="help@acme.test", cc="Morgan <morgan@client.test>",
                            in_reply_to="<question@client.test>"))

    row = _send(smtpd, build_mail(sender="Morgan <morgan@client.test>", body="Same here.",
                                  subject=f"Re: [#{ticket.number}] The app crashes on start"))

    assert row.ticket == ticket and not row.created_ticket
    assert ticket.messages.order_by("-id").first().author_contact.primary_email == "morgan@client.test"
    assert _agent_reply_recipients(ticket, smtp_sink) == ["casey@client.test", "morgan@client.test"]


def test_someone_an_agent_wrote_to_may_answer_on_the_ticket(smtpd, ticket):
    actions.add_reply(ticket, actor=make_agent(), via="web", body_text="Asking the vendor.",
                      to=["casey@client.test"], cc=["vendor@supplier.test"])

    row = _send(smtpd, build_mail(sender="vendor@supplier.test", body="Known issue, fixed in 2.1.",
                                  subject=f"Re: [#{ticket.number}] The app crashes on start"))

    assert row.ticket == ticket and not row.created_ticket


def test_a_colleague_who_may_see_the_account_tickets_joins(smtpd, ticket, client_account):
    lee = make_contact("lee@client.test", name="Lee Lead")
    update_contact(lee, {"can_view_account_tickets": True}, actor=SYSTEM)
    assert lee.account == client_account

    row = _send(smtpd, build_mail(sender="Lee Lead <lee@client.test>", body="I manage Casey; any news?",
                                  subject=f"Re: [#{ticket.number}] The app crashes on start"))

    assert row.ticket == ticket and not row.created_ticket
    assert ticket.messages.order_by("-id").first().body_text.startswith("I manage Casey")


def test_the_requester_still_threads_by_the_subject_tag_alone(smtpd, smtp_sink, ticket):
    answer_count = len(smtp_sink.messages)
    actions.add_reply(ticket, actor=make_agent(), via="web", body_text="Which version?")
    answer = email.message_from_bytes(smtp_sink.wait_for(answer_count + 1)[-1].raw, policy=policy.default)

    row = _send(smtpd, build_mail(subject=f"Re: {answer['Subject']}", body="Version 2.0."))

    assert row.ticket == ticket and not row.created_ticket

"""`comptoir smtpd`: mail received over real SMTP, allow-listed recipients, size limit, full round trip."""

from __future__ import annotations

import email
import smtplib
from email import policy

import pytest

from comptoir.channels.email.models import InboundEmail, InboundState
from comptoir.tickets import actions
from comptoir.tickets.models import Ticket
from tests.channels.email.conftest import build_mail
from tests.factories import make_agent

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.email_servers]


def _send(controller, raw: bytes, rcpt: list[str]) -> None:
    with smtplib.SMTP(controller.hostname, controller.port, timeout=10) as client:
        client.sendmail("casey@client.test", rcpt, raw)


def test_mail_to_a_support_address_becomes_a_ticket(smtpd, smtp_sink):
    _send(smtpd, build_mail(), ["help@acme.test"])

    row = InboundEmail.objects.get()
    assert (row.source, row.state, row.envelope_to) == ("smtp", InboundState.INGESTED, ["help@acme.test"])
    assert Ticket.objects.get().subject == "The app crashes on start"


def test_mail_to_an_unknown_recipient_is_refused_with_550(smtpd):
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        _send(smtpd, build_mail(to="nobody@acme.test"), ["nobody@acme.test"])

    assert refused.value.recipients["nobody@acme.test"][0] == 550
    assert InboundEmail.objects.count() == 0


def test_a_message_over_the_size_limit_is_refused_with_552(smtpd):
    big = build_mail(attachments=[("big.bin", b"x" * 300_000, "application/octet-stream")])

    with pytest.raises(smtplib.SMTPException) as refused:
        _send(smtpd, big, ["help@acme.test"])

    assert "552" in str(refused.value) or getattr(refused.value, "smtp_code", None) == 552
    assert InboundEmail.objects.count() == 0


def test_round_trip_customer_agent_customer_stays_on_one_ticket(smtpd, smtp_sink):
    # The customer writes; the ticket is opened and a confirmation goes out.
    _send(smtpd, build_mail(message_id="<q1@client.test>"), ["help@acme.test"])
    ticket = Ticket.objects.get()
    smtp_sink.wait_for(1)

    # The agent answers and solves; the answer leaves through SMTP with our Message-ID.
    actions.add_reply(ticket, actor=make_agent(), via="web", body_text="Reinstall it.", new_status="solved")
    answer = email.message_from_bytes(smtp_sink.wait_for(2)[1].raw, policy=policy.default)
    assert answer["In-Reply-To"] == "<q1@client.test>"

    # The customer's client replies to that answer: same ticket, reopened.
    reply = build_mail(subject=f"Re: {answer['Subject']}", body="Still crashing.",
                       in_reply_to=answer["Message-ID"], references=f"<q1@client.test> {answer['Message-ID']}")
    _send(smtpd, reply, ["help@acme.test"])

    ticket.refresh_from_db()
    assert Ticket.objects.count() == 1
    assert ticket.status_category == "open"
    assert ticket.messages.order_by("-id").first().body_text.startswith("Still crashing.")

"""Casework mail to the customer leaves through the email channel, over real SMTP: it carries the
"[#1234]" tag, threading and loop headers, and the customer's answer lands on the same ticket."""

from __future__ import annotations

import email
import smtplib
from email import policy
from email.message import EmailMessage

import pytest

from comptoir.casework import actions
from comptoir.channels.email.models import InboundEmail
from comptoir.channels.email.rules import LOOP_HEADER, instance_id
from comptoir.tickets.models import Ticket
from tests.channels.email.conftest import build_mail, department, smtp_sink, smtpd  # noqa: F401  (fixtures)
from tests.factories import make_agent

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.email_servers]


def _send(controller, raw: bytes) -> InboundEmail:
    with smtplib.SMTP(controller.hostname, controller.port, timeout=10) as client:
        client.sendmail("casey@client.test", ["help@acme.test"], raw)
    return InboundEmail.objects.order_by("-id").first()


@pytest.fixture
def ticket(smtpd, smtp_sink) -> Ticket:  # noqa: F811
    """Casey's printer question, opened by mail (its confirmation already sent)."""
    _send(smtpd, build_mail(subject="Printer offline", message_id="<printer@client.test>"))
    return Ticket.objects.get()


def _next_mail(smtp_sink, act) -> EmailMessage:  # noqa: F811
    before = len(smtp_sink.messages)
    act()
    sent = smtp_sink.wait_for(before + 1)[before:]
    assert len(sent) == 1
    assert sent[0].rcpt_tos == ["casey@client.test"]
    return email.message_from_bytes(sent[0].raw, policy=policy.default)


def test_the_resolution_mail_is_tagged_threaded_and_marked_automatic(ticket, smtp_sink):  # noqa: F811
    mail = _next_mail(smtp_sink, lambda: actions.save_resolution(
        ticket, "Restart the print spooler.", actor=make_agent(), via="web", email_contact=True))

    assert mail["Subject"].startswith(f"[#{ticket.number}] ")
    assert mail["Message-ID"].startswith(f"<comptoir.{ticket.number}.")
    assert mail["In-Reply-To"] == "<printer@client.test>"
    assert "<printer@client.test>" in mail["References"]
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail[LOOP_HEADER] == instance_id()
    assert "Restart the print spooler." in mail.get_body(("plain",)).get_content()


def test_the_customers_answer_to_the_resolution_lands_on_the_same_ticket(smtpd, ticket, smtp_sink):  # noqa: F811
    resolution = _next_mail(smtp_sink, lambda: actions.save_resolution(
        ticket, "Restart the print spooler.", actor=make_agent(), via="web", email_contact=True))

    row = _send(smtpd, build_mail(
        subject=f"Re: {resolution['Subject']}", body="That did not help, it is still offline.",
        in_reply_to=resolution["Message-ID"], references=f"{resolution['References']} {resolution['Message-ID']}",
    ))

    assert row.ticket == ticket and not row.created_ticket
    assert Ticket.objects.count() == 1
    assert ticket.messages.order_by("-id").first().body_text.startswith("That did not help")


def test_an_answer_keeping_only_the_resolution_id_still_finds_the_ticket(smtpd, ticket, smtp_sink):  # noqa: F811
    # Some clients keep only In-Reply-To and rewrite the subject.
    resolution = _next_mail(smtp_sink, lambda: actions.save_resolution(
        ticket, "Restart the print spooler.", actor=make_agent(), via="web", email_contact=True))

    row = _send(smtpd, build_mail(subject="printer", body="Still offline.", in_reply_to=resolution["Message-ID"]))

    assert row.ticket == ticket and not row.created_ticket


def test_the_time_logged_mail_is_tagged_and_threaded_too(ticket, smtp_sink):  # noqa: F811
    agent = make_agent()
    mail = _next_mail(smtp_sink, lambda: actions.log_time(ticket, 30, actor=agent, via="web", email_contact=True))

    assert mail["Subject"].startswith(f"[#{ticket.number}] ")
    assert mail["In-Reply-To"] == "<printer@client.test>"
    assert mail["Auto-Submitted"] == "auto-generated"

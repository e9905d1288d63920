"""Bounces in the formats mail servers really send (built here from RFC 3464 and the qmail and
Postfix formats): the failed recipients are read by flufl.bounce and flagged on their contacts."""

from __future__ import annotations

import pytest

from comptoir.channels.email.inbound import ingest_raw
from comptoir.channels.email.models import InboundState
from comptoir.channels.email.parsing import parse_email
from comptoir.contacts.models import Contact, ContactIdentity
from comptoir.tickets import actions
from comptoir.tickets.models import DeliveryStatus, MessageKind, Ticket
from tests.channels.email.conftest import build_mail
from tests.factories import make_agent, make_contact

pytestmark = pytest.mark.django_db


def dsn(*recipients: tuple[str, str, str], original_id: str = "reply-1@acme.test") -> bytes:
    """An RFC 3464 multipart/report; each recipient is (address, Action, Status)."""
    blocks = "".join(
        f"\r\nFinal-Recipient: rfc822; {address}\r\nAction: {action}\r\nStatus: {status}\r\n"
        for address, action, status in recipients
    )
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.client.test>\r\n"
        "To: help@acme.test\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "Message-ID: <dsn-1@mx.client.test>\r\n"
        "Auto-Submitted: auto-replied\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="R"\r\n'
        "\r\n--R\r\n"
        "Content-Type: text/plain\r\n\r\n"
        "Your message could not be delivered to one or more recipients.\r\n"
        "\r\n--R\r\n"
        "Content-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.client.test\r\n"
        f"{blocks}"
        "\r\n--R\r\n"
        "Content-Type: text/rfc822-headers\r\n\r\n"
        "From: help@acme.test\r\n"
        f"Message-ID: <{original_id}>\r\n"
        "Subject: [#1001] The app crashes on start\r\n"
        "\r\n--R--\r\n"
    ).encode()


def qmail_bounce(address: str, original_id: str = "reply-1@acme.test") -> bytes:
    """A qmail-send bounce (QSBMF): plain text, the returned message pasted below a line of dashes."""
    return (
        "From: MAILER-DAEMON@mx.client.test\r\n"
        "To: help@acme.test\r\n"
        "Subject: failure notice\r\n"
        "Message-ID: <qmail-1@mx.client.test>\r\n"
        "\r\n"
        "Hi. This is the qmail-send program at mx.client.test.\r\n"
        "I'm afraid I wasn't able to deliver your message to the following addresses.\r\n"
        "This is a permanent error; I've given up. Sorry it didn't work out.\r\n"
        "\r\n"
        f"<{address}>:\r\n"
        "Sorry, no mailbox here by that name. (#5.1.1)\r\n"
        "\r\n"
        "--- Below this line is a copy of the message.\r\n"
        "\r\n"
        "Return-Path: <help@acme.test>\r\n"
        "From: Acme Support <help@acme.test>\r\n"
        f"To: {address}\r\n"
        "Subject: Re: [#1001] The app crashes on start\r\n"
        f"Message-ID: <{original_id}>\r\n"
        "\r\n"
        "Try reinstalling.\r\n"
    ).encode()


def postfix_bounce(address: str) -> bytes:
    """A Postfix bounce in its older multipart/mixed form: the "Notification" part names the recipient."""
    return (
        "From: MAILER-DAEMON@mx.client.test (Mail Delivery System)\r\n"
        "To: help@acme.test\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "Message-ID: <postfix-1@mx.client.test>\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="P"\r\n'
        "\r\n--P\r\n"
        "Content-Description: Notification\r\n"
        "Content-Type: text/plain\r\n\r\n"
        "This is the mail system at host mx.client.test.\r\n"
        "\r\n"
        "I'm sorry to have to inform you that your message could not\r\n"
        "be delivered to one or more recipients.\r\n"
        "\r\n"
        "                   The Postfix program\r\n"
        "\r\n"
        f"<{address}>: host mx.client.test[192.0.2.7] said: 550 5.1.1 User unknown\r\n"
        "\r\n--P--\r\n"
    ).encode()


def test_a_delivery_status_report_names_only_the_permanently_failed_recipients():
    report = dsn(("gone@client.test", "failed", "5.1.1"), ("slow@client.test", "delayed", "4.4.1"),
                 ("moved@client.test", "failed", "5.1.6"))

    assert parse_email(report).bounce_recipients == ["gone@client.test", "moved@client.test"]


def test_a_qmail_bounce_names_its_recipient():
    assert parse_email(qmail_bounce("gone@client.test")).bounce_recipients == ["gone@client.test"]


def test_a_postfix_bounce_names_its_recipient():
    assert parse_email(postfix_bounce("gone@client.test")).bounce_recipients == ["gone@client.test"]


def test_a_qmail_bounce_points_at_the_returned_message():
    assert parse_email(qmail_bounce("gone@client.test", "reply-7@acme.test")).bounced_message_id == "reply-7@acme.test"


def test_a_delivery_report_flags_the_failed_addresses_and_not_the_delayed_one(department):
    make_contact("gone@client.test")
    make_contact("slow@client.test")

    row = ingest_raw(dsn(("gone@client.test", "failed", "5.1.1"), ("slow@client.test", "delayed", "4.4.1")), source="pipe")

    assert row.state == InboundState.BOUNCE
    assert list(ContactIdentity.objects.filter(bouncing=True).values_list("value", flat=True)) == ["gone@client.test"]


def test_a_postfix_bounce_flags_the_address(department):
    make_contact("gone@client.test")

    ingest_raw(postfix_bounce("gone@client.test"), source="pipe")

    assert ContactIdentity.objects.get(value="gone@client.test").bouncing


def test_a_qmail_bounce_of_an_agent_reply_notes_the_ticket_and_flags_the_address(department, django_capture_on_commit_callbacks):
    ingest_raw(build_mail(sender="casey@client.test"), source="pipe")
    ticket = Ticket.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        reply = actions.add_reply(ticket, actor=make_agent(), via="web", body_text="Try reinstalling.")
    reply.refresh_from_db()

    row = ingest_raw(qmail_bounce("casey@client.test", reply.email_message_id), source="pipe")

    assert (row.state, row.ticket) == (InboundState.BOUNCE, ticket)
    assert "casey@client.test" in ticket.messages.get(kind=MessageKind.NOTE).body_text
    reply.refresh_from_db()
    assert reply.delivery_status == DeliveryStatus.FAILED
    assert ContactIdentity.objects.get(value="casey@client.test").bouncing


def test_a_bounce_for_an_address_nobody_has_creates_no_contact(department):
    ingest_raw(qmail_bounce("nobody@client.test"), source="pipe")

    assert not Contact.objects.exists()

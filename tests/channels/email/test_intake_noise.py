"""Noise and loops: auto-replies, bounces, our own mail, header rules, floods, the spam folder."""

from __future__ import annotations

import pytest

from comptoir.channels.email.inbound import ingest_raw, release_inbound
from comptoir.channels.email.models import HeaderAction, HeaderRule, InboundEmail, InboundState
from comptoir.channels.email.rules import LOOP_HEADER, instance_id
from comptoir.contacts.models import ContactIdentity
from comptoir.core.actors import SYSTEM
from comptoir.core.models import Role
from comptoir.tickets import actions
from comptoir.tickets.models import DeliveryStatus, Message, MessageKind, Ticket
from tests.channels.email.conftest import build_mail
from tests.factories import make_agent

pytestmark = pytest.mark.django_db

AUTO = {"Auto-Submitted": "auto-replied"}


def _dsn(failed: str, original_id: str) -> bytes:
    return (
        "From: MAILER-DAEMON@mx.client.test\r\n"
        "To: help@acme.test\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "Message-ID: <dsn1@mx.client.test>\r\n"
        "Auto-Submitted: auto-replied\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nDelivery to the following recipient failed permanently.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.client.test\r\n\r\n"
        f"Final-Recipient: rfc822; {failed}\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
        "--B\r\nContent-Type: message/rfc822-headers\r\n\r\n"
        f"From: help@acme.test\r\nTo: {failed}\r\nSubject: Re: [#1001] crash\r\nMessage-ID: <{original_id}>\r\n\r\n"
        "--B--\r\n"
    ).encode()


def test_an_auto_reply_to_nothing_known_is_recorded_without_a_ticket(department):
    row = ingest_raw(build_mail(subject="Out of office", headers=AUTO), source="pipe")

    assert row.state == InboundState.AUTO_REPLY
    assert Ticket.objects.count() == 0


def test_an_auto_reply_on_a_thread_is_kept_but_does_not_reopen(department):
    ingest_raw(build_mail(message_id="<first@client.test>"), source="pipe")
    ticket = Ticket.objects.get()
    actions.update_ticket(ticket, {"status": "solved"}, actor=SYSTEM, via="system")

    row = ingest_raw(build_mail(subject="Out of office", in_reply_to="<first@client.test>", headers=AUTO), source="pipe")

    ticket.refresh_from_db()
    assert row.state == InboundState.AUTO_REPLY
    assert ticket.status_category == "solved"
    assert ticket.messages.last().is_auto_reply


def test_an_auto_reply_never_gets_a_confirmation(department, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ingest_raw(build_mail(subject="Out of office", headers=AUTO), source="pipe")

    assert mailoutbox == []


def test_a_new_ticket_gets_a_confirmation_in_the_contacts_language(department, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ingest_raw(build_mail(), source="pipe")

    ticket = Ticket.objects.get()
    assert len(mailoutbox) == 1
    confirmation = mailoutbox[0]
    assert f"[#{ticket.number}]" in confirmation.subject
    assert confirmation.extra_headers["Auto-Submitted"] == "auto-replied"
    assert confirmation.extra_headers[LOOP_HEADER] == instance_id()


def test_a_bounce_notes_the_ticket_and_flags_the_address(department, django_capture_on_commit_callbacks):
    ingest_raw(build_mail(message_id="<first@client.test>"), source="pipe")
    ticket = Ticket.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        reply = actions.add_reply(ticket, actor=make_agent(), via="web", body_text="Try again.")
    reply.refresh_from_db()

    row = ingest_raw(_dsn("casey@client.test", reply.email_message_id), source="pipe")

    assert row.state == InboundState.BOUNCE
    note = ticket.messages.filter(kind=MessageKind.NOTE).get()
    assert "casey@client.test" in note.body_text
    assert ContactIdentity.objects.get(value="casey@client.test").bouncing
    reply.refresh_from_db()
    assert reply.delivery_status == DeliveryStatus.FAILED


def test_our_own_outbound_mail_is_never_ingested(department):
    row = ingest_raw(build_mail(headers={LOOP_HEADER: instance_id()}), source="pipe")

    assert row.state == InboundState.SKIPPED
    assert Ticket.objects.count() == 0


def test_mail_from_one_of_our_support_addresses_is_skipped(department):
    row = ingest_raw(build_mail(sender="help@acme.test"), source="pipe")

    assert row.state == InboundState.SKIPPED


def test_another_helpdesks_loop_header_does_not_stop_the_mail(department):
    row = ingest_raw(build_mail(headers={LOOP_HEADER: "someone-else"}), source="pipe")

    assert row.state == InboundState.INGESTED


def test_a_header_rule_holds_newsletters_as_spam(department):
    HeaderRule.objects.create(name="Newsletters", header="List-Unsubscribe", pattern="", action=HeaderAction.SPAM)

    row = ingest_raw(build_mail(headers={"List-Unsubscribe": "<mailto:unsub@news.test>"}), source="pipe")

    assert row.state == InboundState.SPAM
    assert Ticket.objects.count() == 0


def test_a_skip_rule_matches_its_pattern_only(department):
    HeaderRule.objects.create(name="Monitoring", header="X-Mailer", pattern=r"^nagios", action=HeaderAction.SKIP)

    skipped = ingest_raw(build_mail(headers={"X-Mailer": "Nagios 4.4"}), source="pipe")
    kept = ingest_raw(build_mail(headers={"X-Mailer": "Thunderbird"}), source="pipe")

    assert (skipped.state, kept.state) == (InboundState.SKIPPED, InboundState.INGESTED)


def test_a_sender_opening_too_many_tickets_an_hour_is_held_as_spam(department, settings):
    settings.EMAIL_NEW_TICKETS_PER_SENDER_PER_HOUR = 3
    states = [ingest_raw(build_mail(subject=f"Flood {i}"), source="pipe").state for i in range(4)]

    assert states == [InboundState.INGESTED] * 3 + [InboundState.SPAM]
    assert Ticket.objects.count() == 3


def test_releasing_a_spam_message_ingests_it_normally(department):
    HeaderRule.objects.create(name="Newsletters", header="List-Unsubscribe", action=HeaderAction.SPAM)
    row = ingest_raw(build_mail(headers={"List-Unsubscribe": "<mailto:u@n.test>"}), source="pipe")

    state = release_inbound(row, actor=make_agent(role=Role.ADMIN))

    assert state == InboundState.INGESTED
    assert InboundEmail.objects.get().ticket == Ticket.objects.get()


def test_only_admins_may_release_spam(department):
    from comptoir.core.permissions import PermissionDenied

    HeaderRule.objects.create(name="Newsletters", header="List-Unsubscribe", action=HeaderAction.SPAM)
    row = ingest_raw(build_mail(headers={"List-Unsubscribe": "<mailto:u@n.test>"}), source="pipe")

    with pytest.raises(PermissionDenied):
        release_inbound(row, actor=make_agent(role=Role.AGENT))
    assert Message.objects.count() == 0

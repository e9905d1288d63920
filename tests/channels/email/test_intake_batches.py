"""The worker's backlog run (`comptoir ingest-email --pending`): batches of stored mail, each
message still judged on its own, with a bounded number of queries per message."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from comptoir.channels.email.inbound import process_stored, store_raw
from comptoir.channels.email.models import InboundEmail, InboundState
from comptoir.tickets.models import Message, Ticket
from tests.channels.email.conftest import build_mail

pytestmark = pytest.mark.django_db


def _store(*raws: bytes) -> list[InboundEmail]:
    return [store_raw(raw, source="imap")[0] for raw in raws]


def _states(rows: list[InboundEmail]) -> list[str]:
    return [InboundEmail.objects.get(pk=row.pk).state for row in rows]


def test_a_reply_waiting_in_the_same_backlog_as_its_question_joins_its_ticket(department):
    _store(build_mail(message_id="<q1@client.test>"),
           build_mail(subject="Re: crash", message_id="<r1@client.test>", in_reply_to="<q1@client.test>"))

    call_command("ingest_email", "--pending")

    ticket = Ticket.objects.get()
    assert list(ticket.messages.order_by("id").values_list("email_message_id", flat=True)) == ["q1@client.test", "r1@client.test"]


def test_one_unreadable_message_fails_alone_and_the_rest_of_the_backlog_is_ingested(department):
    rows = _store(build_mail(subject="First"), b"\x00\x01 not a mail at all", build_mail(subject="Third"))

    call_command("ingest_email", "--pending")

    assert _states(rows) == [InboundState.INGESTED, InboundState.FAILED, InboundState.INGESTED]
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == ["First", "Third"]


def test_the_same_mail_stored_twice_under_other_trace_headers_in_one_backlog_is_one_message(department):
    raw = build_mail(message_id="<same@client.test>")
    rows = _store(raw, b"Received: from relay.example by mx\r\n" + raw)

    call_command("ingest_email", "--pending")

    assert _states(rows) == [InboundState.INGESTED, InboundState.SKIPPED]
    assert Message.objects.count() == 1


def test_the_sender_rate_limit_counts_the_tickets_opened_earlier_in_the_backlog(department, settings):
    settings.EMAIL_NEW_TICKETS_PER_SENDER_PER_HOUR = 2
    rows = _store(*[build_mail(subject=f"Flood {i}") for i in range(4)])

    call_command("ingest_email", "--pending")

    assert _states(rows) == [InboundState.INGESTED] * 2 + [InboundState.SPAM] * 2
    assert Ticket.objects.count() == 2


def test_a_backlog_costs_a_bounded_number_of_queries_per_message(department, django_assert_max_num_queries):
    # Warm up: the first mail creates the contact, later ones find it.
    _store(build_mail(message_id="<q0@client.test>"))
    call_command("ingest_email", "--pending")
    raws = []
    for i in range(1, 21):
        if i % 2:
            raws.append(build_mail(subject=f"Question {i}", message_id=f"<q{i}@client.test>"))
        else:
            raws.append(build_mail(subject="Re", message_id=f"<r{i}@client.test>", in_reply_to=f"<q{i - 1}@client.test>"))
    _store(*raws)

    # Measured: about 12.5 per message here (ticket actions, their hooks, the intake's own lookups).
    with django_assert_max_num_queries(16 * 20):
        call_command("ingest_email", "--pending")

    assert Ticket.objects.count() == 11
    assert Message.objects.count() == 21


def test_processing_a_given_set_of_stored_mail_leaves_other_waiting_mail_alone(department):
    mine = _store(build_mail(subject="Mine 1"), build_mail(subject="Mine 2"))
    other = _store(build_mail(subject="Someone else's"))

    assert process_stored([row.pk for row in mine]) == 2

    assert _states(mine) == [InboundState.INGESTED] * 2
    assert _states(other) == [InboundState.RECEIVED]

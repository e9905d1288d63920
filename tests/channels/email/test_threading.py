"""Threading: replies find their ticket by headers, our Message-ID format, or a trusted [#1234] tag."""

from __future__ import annotations

import pytest

from comptoir.channels.email.inbound import ingest_raw
from comptoir.channels.email.models import InboundState
from comptoir.channels.email.threading import new_message_id
from comptoir.core.actors import SYSTEM
from comptoir.tickets import actions
from comptoir.tickets.models import Message, Ticket
from tests.channels.email.conftest import build_mail
from tests.factories import make_agent

pytestmark = pytest.mark.django_db


def _first_ticket(**kw) -> Ticket:
    ingest_raw(build_mail(message_id="<first@client.test>", **kw), source="pipe")
    return Ticket.objects.get()


def test_a_reply_with_in_reply_to_joins_the_ticket(department):
    ticket = _first_ticket()

    row = ingest_raw(build_mail(subject="Re: crash", body="More details.", in_reply_to="<first@client.test>"), source="pipe")

    assert row.state == InboundState.INGESTED and row.ticket == ticket
    assert Ticket.objects.count() == 1
    assert ticket.messages.count() == 2


def test_a_reply_threads_through_references_when_in_reply_to_is_unknown(department):
    ticket = _first_ticket()

    ingest_raw(build_mail(subject="Re: crash", in_reply_to="<unknown@else>", references="<first@client.test> <unknown@else>"), source="pipe")

    assert ticket.messages.count() == 2


def test_a_reply_to_our_message_id_format_finds_the_ticket_by_number(department):
    ticket = _first_ticket()
    ours = new_message_id(ticket.number, 99999, "acme.test")

    ingest_raw(build_mail(subject="Re: hello", in_reply_to=f"<{ours}>"), source="pipe")

    assert ticket.messages.count() == 2


def test_a_forged_id_in_our_format_from_a_stranger_opens_a_new_ticket_instead(department):
    ticket = _first_ticket()
    forged = new_message_id(ticket.number, 1, "acme.test")

    ingest_raw(build_mail(sender="mallory@evil.test", subject="Re: hello", in_reply_to=f"<{forged}>"), source="pipe")

    assert Ticket.objects.count() == 2
    assert ticket.messages.count() == 1
    assert not ticket.cc_contacts.exists()


def test_the_subject_tag_threads_a_reply_from_the_requester(department):
    ticket = _first_ticket()

    ingest_raw(build_mail(subject=f"Re: [#{ticket.number}] crash", message_id="<tagged@client.test>"), source="pipe")

    assert Ticket.objects.count() == 1
    assert ticket.messages.count() == 2


def test_the_subject_tag_from_a_stranger_opens_a_new_ticket_instead(department):
    ticket = _first_ticket()

    ingest_raw(build_mail(sender="mallory@evil.test", subject=f"[#{ticket.number}] let me in"), source="pipe")

    assert Ticket.objects.count() == 2
    assert ticket.messages.count() == 1


def test_the_subject_tag_from_a_colleague_at_the_same_company_opens_a_new_ticket_instead(department):
    # Sharing the requester's domain proved nothing: anyone at the company could subscribe to the ticket.
    ticket = _first_ticket()

    ingest_raw(build_mail(sender="colleague@client.test", subject=f"Re: [#{ticket.number}] crash"), source="pipe")

    assert Ticket.objects.count() == 2
    assert ticket.messages.count() == 1
    assert not ticket.cc_contacts.exists()


def test_an_unknown_address_on_a_known_thread_opens_a_new_ticket_instead(department):
    ticket = _first_ticket()

    ingest_raw(build_mail(sender="Pat <pat@partner.test>", in_reply_to="<first@client.test>"), source="pipe")

    assert Ticket.objects.count() == 2
    assert ticket.messages.count() == 1
    assert not ticket.cc_contacts.exists()


def test_a_customer_reply_reopens_a_solved_ticket(department):
    ticket = _first_ticket()
    actions.update_ticket(ticket, {"status": "solved"}, actor=SYSTEM, via="system")

    ingest_raw(build_mail(body="Still broken.", in_reply_to="<first@client.test>"), source="pipe")

    ticket.refresh_from_db()
    assert ticket.status_category == "open"


def test_a_customer_reply_on_a_closed_ticket_opens_a_follow_up(department):
    ticket = _first_ticket()
    actions.update_ticket(ticket, {"status": "closed"}, actor=SYSTEM, via="system")

    row = ingest_raw(build_mail(body="It is back.", in_reply_to="<first@client.test>"), source="pipe")

    follow_up = Ticket.objects.exclude(pk=ticket.pk).get()
    assert follow_up.follow_up_of == ticket
    assert row.ticket == follow_up


def test_a_reply_keeps_only_the_new_text_when_the_history_is_quoted(department):
    _first_ticket()
    body = "Thanks, that worked.\n\nOn Mon, Casey wrote:\n> Hello, the app crashes when I open it."

    ingest_raw(build_mail(body=body, in_reply_to="<first@client.test>"), source="pipe")

    last = Message.objects.order_by("-id").first()
    assert "Thanks, that worked." in last.body_text


def test_a_reply_to_an_agent_answer_threads_by_its_stored_message_id(department, django_capture_on_commit_callbacks):
    ticket = _first_ticket()
    agent = make_agent()
    with django_capture_on_commit_callbacks(execute=True):
        reply = actions.add_reply(ticket, actor=agent, via="web", body_text="Try reinstalling.")
    reply.refresh_from_db()
    assert reply.email_message_id.startswith(f"comptoir.{ticket.number}.{reply.pk}.")

    ingest_raw(build_mail(body="Done.", in_reply_to=f"<{reply.email_message_id}>"), source="pipe")

    assert ticket.messages.filter(author_contact__isnull=False).count() == 2

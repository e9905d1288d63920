"""Message bookkeeping actions, sanitised HTML, and notes never shown to a contact."""

from __future__ import annotations

import pytest

from comptoir.core.errors import ValidationFailed
from comptoir.tickets import actions
from comptoir.tickets.models import EventKind, Message
from comptoir.tickets.queries import conversation, visible_messages
from tests.factories import make_agent, make_contact, make_ticket

pytestmark = pytest.mark.django_db


def _reply(ticket=None):
    ticket = ticket or make_ticket()
    return actions.add_reply(ticket, actor=make_agent(), via="web", body_text="We are on it.")


def test_a_failed_delivery_is_shown_on_the_message_and_recorded_by_the_system():
    message = _reply()
    actions.mark_message_delivery(message, status="failed", error="550 mailbox unavailable")
    stored = Message.objects.get(pk=message.pk)
    assert (stored.delivery_status, stored.delivery_error) == ("failed", "550 mailbox unavailable")
    event = message.ticket.events.get(kind=EventKind.CUSTOM)
    assert (event.actor_kind, event.via) == ("system", "email")
    assert event.data == {"what": "delivery_failed", "message_id": message.pk, "error": "550 mailbox unavailable"}


def test_a_successful_delivery_records_no_history():
    message = _reply()
    before = message.ticket.events.count()
    actions.mark_message_delivery(message, status="queued")
    actions.mark_message_delivery(message, status="sent")
    assert Message.objects.get(pk=message.pk).delivery_status == "sent"
    assert message.ticket.events.count() == before


def test_an_unknown_delivery_status_is_refused():
    message = _reply()
    with pytest.raises(ValidationFailed):
        actions.mark_message_delivery(message, status="lost")
    assert Message.objects.get(pk=message.pk).delivery_status == ""


def test_the_first_message_id_assigned_is_kept_on_retries():
    message = _reply()
    assert actions.assign_email_message_id(message, "<first@comptoir.test>") == "<first@comptoir.test>"
    assert actions.assign_email_message_id(message, "<retry@comptoir.test>") == "<first@comptoir.test>"
    assert Message.objects.get(pk=message.pk).email_message_id == "<first@comptoir.test>"


def test_replaced_html_is_sanitised_again():
    message = _reply()
    actions.replace_message_html(message, '<p onclick="steal()">Hi <img src="/attachments/1/"></p><script>x()</script>')
    stored = Message.objects.get(pk=message.pk).body_html
    assert "<script" not in stored and "onclick" not in stored
    assert '<img src="/attachments/1/">' in stored


def test_customer_html_is_sanitised_and_gets_a_text_body():
    customer = make_contact()
    ticket = make_ticket(contact=customer)
    message = actions.receive_customer_message(
        ticket, contact=customer, via="email",
        body_html='<p>It <b>crashes</b></p><script>alert(1)</script><a href="javascript:evil()">link</a>',
    )
    assert "<script" not in message.body_html and "javascript:" not in message.body_html
    assert "<b>crashes</b>" in message.body_html
    assert "crashes" in message.body_text and "alert" not in message.body_text


def test_internal_notes_never_reach_the_contact():
    customer = make_contact()
    agent = make_agent()
    ticket = make_ticket(contact=customer)
    reply = actions.add_reply(ticket, actor=agent, via="web", body_text="Public answer")
    note = actions.add_internal_note(ticket, actor=agent, via="web", body_text="Internal only")

    as_customer = set(visible_messages(customer, ticket).values_list("pk", flat=True))
    as_agent = set(conversation(agent, ticket).values_list("pk", flat=True))
    assert reply.pk in as_customer and note.pk not in as_customer
    assert {reply.pk, note.pk} <= as_agent

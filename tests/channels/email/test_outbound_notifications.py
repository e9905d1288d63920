"""Agents are told by email when a ticket is assigned to them, its customer replies, or they are mentioned."""

from __future__ import annotations

import pytest

from comptoir.channels.email.inbound import ingest_raw
from comptoir.core.actors import SYSTEM
from comptoir.tickets import actions
from comptoir.tickets.models import Ticket
from tests.channels.email.conftest import build_mail
from tests.factories import make_agent

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(department, django_capture_on_commit_callbacks, mailoutbox) -> Ticket:
    with django_capture_on_commit_callbacks(execute=True):
        ingest_raw(build_mail(message_id="<first@client.test>"), source="pipe")
    mailoutbox.clear()
    return Ticket.objects.get()


def _to(mailoutbox, address):
    return [m for m in mailoutbox if address in m.to]


def test_an_agent_is_emailed_when_a_ticket_is_assigned_to_them(ticket, mailoutbox, django_capture_on_commit_callbacks):
    marie = make_agent(email="marie@acme.test")
    with django_capture_on_commit_callbacks(execute=True):
        actions.assign_ticket(ticket, assignee=marie, actor=SYSTEM, via="system")

    [mail] = _to(mailoutbox, "marie@acme.test")
    assert f"#{ticket.number}" in mail.subject


def test_an_agent_who_turned_assignment_emails_off_gets_none(ticket, mailoutbox, django_capture_on_commit_callbacks):
    marie = make_agent(email="marie@acme.test", notification_preferences={"assigned:email": False})
    with django_capture_on_commit_callbacks(execute=True):
        actions.assign_ticket(ticket, assignee=marie, actor=SYSTEM, via="system")

    assert _to(mailoutbox, "marie@acme.test") == []


def test_the_assignee_is_emailed_when_the_customer_replies(ticket, mailoutbox, django_capture_on_commit_callbacks):
    marie = make_agent(email="marie@acme.test", notification_preferences={"assigned:email": False})
    actions.assign_ticket(ticket, assignee=marie, actor=SYSTEM, via="system")
    with django_capture_on_commit_callbacks(execute=True):
        ingest_raw(build_mail(body="Any news?", in_reply_to="<first@client.test>"), source="pipe")

    [mail] = _to(mailoutbox, "marie@acme.test")
    assert "Any news?" in mail.body


def test_an_agent_mentioned_in_a_note_is_emailed(ticket, mailoutbox, django_capture_on_commit_callbacks):
    make_agent(email="marie@acme.test")
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_internal_note(ticket, actor=make_agent(), via="web", body_text="@marie can you check?")

    [mail] = _to(mailoutbox, "marie@acme.test")
    assert "can you check?" in mail.body
    assert _to(mailoutbox, "casey@client.test") == []

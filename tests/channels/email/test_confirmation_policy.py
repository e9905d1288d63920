"""Confirmations per channel: a customer who called gets the ticket number by mail, unless the department says no."""

from __future__ import annotations

import email
from email import policy

import pytest
from django.core import mail
from django.urls import reverse

from comptoir.channels.email import actions as email_actions
from comptoir.channels.email.models import ConfirmationPolicy
from comptoir.core.errors import ValidationFailed
from comptoir.core.models import AuditEntry, Role
from comptoir.tickets.models import Ticket
from tests.factories import make_agent, make_contact, make_ticket

pytestmark = pytest.mark.django_db


def _log_a_call(client, capture, **fields):
    """An agent takes a phone call and logs it through the workspace's new-ticket form."""
    data = {"subject": "Card blocked after a call", "description": "Customer called: card blocked.",
            "channel": "phone", "priority": "2", "type": "question", **fields}
    with capture(execute=True):
        response = client.post(reverse("agent:ticket-new"), data)
    assert response.status_code == 302, response.content[:2000]
    return Ticket.objects.order_by("-pk").first()


@pytest.mark.email_servers
def test_a_customer_whose_call_is_logged_receives_the_ticket_number(client, department, smtp_sink,
                                                                   django_capture_on_commit_callbacks):
    client.force_login(make_agent(name="Sam Peeters"))
    contact = make_contact(email="lea@client.test", name="Léa Dubois")

    ticket = _log_a_call(client, django_capture_on_commit_callbacks, contact=contact.pk, department=department.pk)

    captured = smtp_sink.wait_for(1)
    assert len(captured) == 1
    assert captured[0].rcpt_tos == ["lea@client.test"]
    sent = email.message_from_bytes(captured[0].raw, policy=policy.default)
    assert sent["Subject"] == f"[#{ticket.number}] We received your request: Card blocked after a call"
    assert f"reference #{ticket.number}." in sent.get_body(("plain",)).get_content()
    assert "help@acme.test" in sent["From"]


def test_a_department_that_turns_phone_off_sends_no_confirmation_for_a_call(client, department,
                                                                           django_capture_on_commit_callbacks):
    admin = make_agent(role=Role.ADMIN)
    email_actions.set_confirmation_channels(department, ["email", "web"], actor=admin, via="admin")
    client.force_login(make_agent())

    _log_a_call(client, django_capture_on_commit_callbacks, contact_email="lea@client.test", department=department.pk)

    assert mail.outbox == []


def test_the_master_switch_still_wins(client, department, django_capture_on_commit_callbacks):
    department.send_confirmation = False
    department.save()
    client.force_login(make_agent())
    _log_a_call(client, django_capture_on_commit_callbacks, contact_email="lea@client.test", department=department.pk)
    assert mail.outbox == []


def test_a_chat_ticket_gets_no_confirmation_by_default(department, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_ticket(contact=make_contact(email="lea@client.test"), department=department, channel="chat")
    assert mail.outbox == []


def test_a_department_can_confirm_chat_tickets_too(department, django_capture_on_commit_callbacks):
    email_actions.set_confirmation_channels(department, ["email", "chat"], actor=make_agent(role=Role.ADMIN), via="admin")
    with django_capture_on_commit_callbacks(execute=True):
        ticket = make_ticket(contact=make_contact(email="lea@client.test"), department=department, channel="chat")
    assert [m.subject.split()[0] for m in mail.outbox] == [f"[#{ticket.number}]"]


def test_an_unknown_channel_is_refused(department):
    with pytest.raises(ValidationFailed) as caught:
        email_actions.set_confirmation_channels(department, ["pigeon"], actor=make_agent(role=Role.ADMIN), via="admin")
    assert caught.value.fields == {"channels": "invalid"}
    assert not ConfirmationPolicy.objects.exists()


def test_the_change_is_in_the_audit_log(department):
    admin = make_agent(role=Role.ADMIN)
    email_actions.set_confirmation_channels(department, ["web", "email"], actor=admin, via="admin")
    entry = AuditEntry.objects.get(kind="confirmation_policy.updated")
    assert entry.actor_agent == admin
    assert entry.changes == {"channels": [["api", "email", "phone", "portal", "web"], ["email", "web"]]}

"""Outbound mail through a real SMTP server: agent replies thread, notes never leave, failures show."""

from __future__ import annotations

import email
from email import policy

import pytest

from comptoir.channels.email.inbound import ingest_raw
from comptoir.channels.email.rules import LOOP_HEADER, instance_id
from comptoir.tickets import actions
from comptoir.tickets.attachments import IncomingFile
from comptoir.tickets.models import DeliveryStatus, Ticket
from tests.channels.email.conftest import build_mail, free_port
from tests.factories import make_agent

pytestmark = [pytest.mark.django_db, pytest.mark.email_servers]


def _parse(raw: bytes):
    return email.message_from_bytes(raw, policy=policy.default)


@pytest.fixture
def ticket(department, django_capture_on_commit_callbacks, smtp_sink) -> Ticket:
    with django_capture_on_commit_callbacks(execute=True):
        ingest_raw(build_mail(message_id="<first@client.test>", cc="boss@client.test"), source="pipe")
    smtp_sink.wait_for(1)
    smtp_sink.messages.clear()  # the confirmation
    return Ticket.objects.get()


def _reply(ticket, agent, capture, **kw):
    with capture(execute=True):
        return actions.add_reply(ticket, actor=agent, via="web", **kw)


def test_an_agent_reply_reaches_the_customer_threaded(ticket, smtp_sink, django_capture_on_commit_callbacks):
    agent = make_agent(name="Marie Dupont")
    message = _reply(ticket, agent, django_capture_on_commit_callbacks, body_text="Please reinstall the app.")

    sent = _parse(smtp_sink.wait_for(1)[0].raw)
    message.refresh_from_db()
    assert sent["Message-ID"] == f"<{message.email_message_id}>"
    assert sent["In-Reply-To"] == "<first@client.test>"
    assert "<first@client.test>" in sent["References"]
    assert f"[#{ticket.number}]" in sent["Subject"]
    assert "help@acme.test" in sent["From"]
    assert sent[LOOP_HEADER] == instance_id()
    assert "Please reinstall the app." in sent.get_body(("plain",)).get_content()
    assert message.delivery_status == DeliveryStatus.SENT


def test_reply_all_keeps_the_ccd_people(ticket, smtp_sink, django_capture_on_commit_callbacks):
    _reply(ticket, make_agent(), django_capture_on_commit_callbacks, body_text="Noted.")

    captured = smtp_sink.wait_for(1)[0]
    assert sorted(captured.rcpt_tos) == ["boss@client.test", "casey@client.test"]
    assert "boss@client.test" in _parse(captured.raw)["Cc"]


def test_an_internal_note_is_never_emailed(ticket, smtp_sink, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_internal_note(ticket, actor=make_agent(), via="web", body_text="Customer is on the old plan.")

    assert smtp_sink.wait_for(1, timeout=0.5) == []


def test_the_sender_can_read_agent_via_department(ticket, smtp_sink, django_capture_on_commit_callbacks):
    department = ticket.department
    department.agent_name_in_from = True
    department.save()

    _reply(ticket, make_agent(name="Marie Dupont"), django_capture_on_commit_callbacks, body_text="Hello.")

    assert "Marie Dupont via Acme Support" in _parse(smtp_sink.wait_for(1)[0].raw)["From"]


def test_reply_attachments_are_sent(ticket, smtp_sink, django_capture_on_commit_callbacks):
    _reply(ticket, make_agent(), django_capture_on_commit_callbacks, body_text="Here is the guide.",
           attachments=[IncomingFile(name="guide.pdf", content=b"%PDF-1.4 guide", content_type="application/pdf")])

    sent = _parse(smtp_sink.wait_for(1)[0].raw)
    assert [p.get_filename() for p in sent.iter_attachments()] == ["guide.pdf"]


def test_a_delivery_failure_shows_on_the_message(ticket, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_PORT = free_port()  # nothing listens there
    settings.EMAIL_TIMEOUT = 2
    try:
        message = _reply(ticket, make_agent(), django_capture_on_commit_callbacks, body_text="Hello?")
    except OSError:
        message = ticket.messages.order_by("-id").first()

    message.refresh_from_db()
    assert message.delivery_status == DeliveryStatus.FAILED
    assert message.delivery_error

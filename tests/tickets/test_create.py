from __future__ import annotations

from django.core import mail

from comptoir.tickets import actions
from tests.factories import make_agent


def test_web_ticket_from_customer_email_queues_confirmation_with_number(db, django_capture_on_commit_callbacks):
    agent = make_agent()
    with django_capture_on_commit_callbacks(execute=True):
        ticket = actions.create_ticket(actor=agent, via="web", subject="Refund please", description="Order 42",
                                       contact_email="lena@example.test", contact_name="Lena")
    assert any(f"[#{ticket.number}]" in m.subject for m in mail.outbox)

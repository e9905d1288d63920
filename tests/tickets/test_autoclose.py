"""Solved tickets close by themselves after N days (AUTO_CLOSE_SOLVED_AFTER_DAYS), by the system."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from comptoir.tickets import actions
from comptoir.tickets.models import EventKind, Ticket
from comptoir.tickets.tasks import close_solved_tickets_task
from tests.factories import make_agent, make_ticket

pytestmark = pytest.mark.django_db

SOLVED_AT = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def _solved_ticket():
    with time_machine.travel(SOLVED_AT, tick=False):
        return make_ticket(status="solved")


def test_solved_ticket_closes_after_the_default_four_days(settings):
    settings.AUTO_CLOSE_SOLVED_AFTER_DAYS = 4
    ticket = _solved_ticket()

    assert actions.close_solved_tickets(now=SOLVED_AT + timedelta(days=3, hours=23)) == 0
    assert Ticket.objects.get(pk=ticket.pk).status_category == "solved"

    later = SOLVED_AT + timedelta(days=4, minutes=1)
    assert actions.close_solved_tickets(now=later) == 1
    closed = Ticket.objects.get(pk=ticket.pk)
    assert closed.status_category == "closed"
    assert closed.closed_at == later
    assert closed.solved_at == SOLVED_AT


def test_auto_close_is_recorded_as_the_system():
    ticket = _solved_ticket()
    actions.close_solved_tickets(now=SOLVED_AT + timedelta(days=5), days=4)
    event = ticket.events.filter(kind=EventKind.FIELD_CHANGED, field="status").last()
    assert (event.old_value, event.new_value) == ("Solved", "Closed")
    assert (event.actor_kind, event.actor_agent, event.actor_contact, event.via) == ("system", None, None, "system")
    assert event.data == {"reason": "auto_close"}
    assert event.created_at == SOLVED_AT + timedelta(days=5)


def test_the_delay_comes_from_the_setting(settings):
    settings.AUTO_CLOSE_SOLVED_AFTER_DAYS = 10
    ticket = _solved_ticket()
    assert actions.close_solved_tickets(now=SOLVED_AT + timedelta(days=5)) == 0
    assert actions.close_solved_tickets(now=SOLVED_AT + timedelta(days=11)) == 1
    assert Ticket.objects.get(pk=ticket.pk).status_category == "closed"


def test_only_solved_tickets_close_and_in_batches():
    solved = [_solved_ticket() for _ in range(5)]
    with time_machine.travel(SOLVED_AT, tick=False):
        pending = make_ticket(status="pending")
        opened = make_ticket(status="open")

    assert actions.close_solved_tickets(now=SOLVED_AT + timedelta(days=30), days=4, batch=2) == 5

    assert set(Ticket.objects.filter(status_category="closed").values_list("pk", flat=True)) == {t.pk for t in solved}
    assert Ticket.objects.get(pk=pending.pk).status_category == "pending"
    assert Ticket.objects.get(pk=opened.pk).status_category == "open"
    assert actions.close_solved_tickets(now=SOLVED_AT + timedelta(days=31), days=4) == 0


def test_a_ticket_reopened_by_the_customer_does_not_close():
    ticket = _solved_ticket()
    with time_machine.travel(SOLVED_AT + timedelta(days=1), tick=False):
        actions.receive_customer_message(ticket, contact=ticket.contact, via="email", body_text="Not fixed.")
    assert actions.close_solved_tickets(now=SOLVED_AT + timedelta(days=10), days=4) == 0
    assert Ticket.objects.get(pk=ticket.pk).status_category == "open"


def test_a_solve_after_a_reopen_restarts_the_delay():
    agent = make_agent()
    ticket = _solved_ticket()
    with time_machine.travel(SOLVED_AT + timedelta(days=1), tick=False):
        actions.receive_customer_message(ticket, contact=ticket.contact, via="email", body_text="Not fixed.")
    with time_machine.travel(SOLVED_AT + timedelta(days=3), tick=False):
        actions.add_reply(ticket, actor=agent, via="web", body_text="Now it is.", new_status="solved")
    assert actions.close_solved_tickets(now=SOLVED_AT + timedelta(days=6), days=4) == 0
    assert actions.close_solved_tickets(now=SOLVED_AT + timedelta(days=7, minutes=1), days=4) == 1


def test_the_periodic_task_closes_due_tickets():
    ticket = _solved_ticket()
    with time_machine.travel(SOLVED_AT + timedelta(days=5), tick=False):
        closed = close_solved_tickets_task.call_local()
    assert closed == 1
    assert Ticket.objects.get(pk=ticket.pk).status_category == "closed"

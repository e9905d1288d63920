"""The bench generator fills a database fast with data the read side handles like real tickets."""

from __future__ import annotations

import io

import pytest

from bench.generate import fill
from comptoir.core.actors import SYSTEM
from comptoir.tickets.actions import create_ticket
from comptoir.tickets.models import Message, MessageKind, Ticket
from comptoir.tickets.queries import ticket_list, visible_tickets

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def staff():
    return fill(500, out=io.StringIO())


def test_it_fills_the_database_to_the_asked_number_with_gapless_numbers(staff):
    numbers = sorted(Ticket.objects.values_list("number", flat=True))

    assert len(numbers) == 500
    assert numbers == list(range(numbers[0], numbers[0] + 500))


def test_every_generated_ticket_opens_with_its_customer_message(staff):
    first_messages = Message.objects.filter(kind=MessageKind.REPLY, author_kind="contact")

    assert first_messages.values("ticket").distinct().count() == 500


def test_a_second_fill_to_the_same_size_adds_nothing(staff):
    fill(500, out=io.StringIO())

    assert Ticket.objects.count() == 500


def test_scoped_agents_see_only_their_share(staff):
    group_agent = staff.agents["group_agent"]
    assigned_agent = staff.agents["assigned_agent"]
    group_ids = set(group_agent.support_groups.values_list("pk", flat=True))

    page = list(ticket_list(group_agent, status_category="open").order_by("-updated_at")[:25])

    assert page and all(t.group_id in group_ids or t.assignee_id == group_agent.pk for t in page)
    assert visible_tickets(assigned_agent).count() == Ticket.objects.filter(assignee=assigned_agent).count() > 0
    assert visible_tickets(staff.agents["admin"]).count() == 500


def test_the_real_create_action_continues_after_generated_rows(staff):
    last = Ticket.objects.order_by("-number").first()

    ticket = create_ticket(actor=SYSTEM, via="email", subject="After the bulk load", description="Hello",
                           contact_email="after-bulk@example.test")

    assert ticket.number == last.number + 1
    assert ticket.pk > last.pk

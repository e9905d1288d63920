"""The home dashboard: the numbers an agent starts the day with."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from comptoir.core.models import Role
from comptoir.tickets import actions
from tests.factories import make_agent, make_contact, make_group, make_ticket

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fresh_numbers():
    cache.clear()
    yield
    cache.clear()


def cards(client):
    response = client.get(reverse("agent:home"))
    assert response.status_code == 200
    return response, {card["key"]: card["count"] for card in response.context["cards"]}


def test_dashboard_counts_my_open_unassigned_overdue_and_solved_today(client):
    billing = make_group()
    agent = make_agent(groups=[billing])
    with time_machine.travel(NOW - dt.timedelta(days=1), tick=False):
        make_ticket(assignee=agent, status="solved")  # solved yesterday: not today
    with time_machine.travel(NOW - dt.timedelta(hours=3), tick=False):
        make_ticket(assignee=agent)
        make_ticket(assignee=agent, due_at=NOW - dt.timedelta(hours=1))
        make_ticket(group=billing)
        make_ticket(assignee=agent, status="solved")
    client.force_login(agent)
    with time_machine.travel(NOW, tick=False):
        _response, counts = cards(client)
    assert counts == {"my-open": 2, "unassigned": 1, "overdue": 1, "solved-today": 1}


def test_oldest_waiting_customer_is_the_longest_unanswered(client):
    admin = make_agent(role=Role.ADMIN)
    contact = make_contact(name="Ann Example")
    oldest, newer, answered = (make_ticket(contact=contact) for _ in range(3))
    with time_machine.travel(NOW - dt.timedelta(hours=9), tick=False):
        actions.receive_customer_message(answered, contact=contact, via="email", body_text="Hello?")
    with time_machine.travel(NOW - dt.timedelta(hours=8), tick=False):
        actions.add_reply(answered, actor=admin, via="web", body_text="Here we are.")
        actions.receive_customer_message(oldest, contact=contact, via="email", body_text="Hello?")
    with time_machine.travel(NOW - dt.timedelta(hours=1), tick=False):
        actions.receive_customer_message(newer, contact=contact, via="email", body_text="Hello?")
    client.force_login(admin)
    response = client.get(reverse("agent:home"))
    assert response.context["waiting"] == oldest
    assert f'data-waiting="{oldest.number}"'.encode() in response.content


def test_an_empty_helpdesk_shows_empty_states(client):
    client.force_login(make_agent())
    response, counts = cards(client)
    assert set(counts.values()) == {0}
    assert b"No customer is waiting for an answer." in response.content
    assert b"Nothing assigned to you is open." in response.content


def test_dashboard_cards_link_to_their_lists(client):
    client.force_login(make_agent())
    response, _counts = cards(client)
    assert f'href="{reverse("agent:view", args=["overdue"])}"'.encode() in response.content

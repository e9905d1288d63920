"""Collision notice: agents see who else is viewing or typing on a ticket."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.factories import make_agent, make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def test_second_agent_sees_that_the_first_is_typing():
    marie, jan = make_agent(name="Marie Dupont"), make_agent(name="Jan Peeters")
    ticket = make_ticket()
    first, second = Client(), Client()
    first.force_login(marie)
    second.force_login(jan)
    first.get(reverse("agent:ticket-presence", args=[ticket.number]), {"state": "typing"})
    notice = second.get(reverse("agent:ticket-presence", args=[ticket.number])).content.decode()
    assert "Marie Dupont is typing" in notice


def test_agent_does_not_see_themselves():
    marie = make_agent(name="Marie Dupont")
    ticket = make_ticket()
    client = Client()
    client.force_login(marie)
    client.get(reverse("agent:ticket", args=[ticket.number]))
    assert "Marie Dupont" not in client.get(reverse("agent:ticket-presence", args=[ticket.number])).content.decode()


def test_presence_expires_after_its_ttl():
    from comptoir.agent.workspace import presence

    marie, jan = make_agent(name="Marie Dupont"), make_agent()
    ticket = make_ticket()
    presence.mark(ticket.pk, marie, presence.VIEWING, now=1000.0)
    assert presence.others(ticket.pk, jan, now=1000.0 + presence.TTL_SECONDS - 1)
    assert not presence.others(ticket.pk, jan, now=1000.0 + presence.TTL_SECONDS + 1)

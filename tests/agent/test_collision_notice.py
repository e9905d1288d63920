"""The collision notice is on the ticket page from the first paint, before any poll."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_agent, make_ticket

pytestmark = pytest.mark.django_db


def test_an_agent_opening_a_ticket_sees_at_once_that_a_colleague_is_on_it():
    ticket = make_ticket()
    first, second = Client(), Client()
    first.force_login(make_agent(name="Ysaline Vandervelde"))
    second.force_login(make_agent(name="Jan Peeters"))
    first.get(reverse("agent:ticket", args=[ticket.number]))
    page = second.get(reverse("agent:ticket", args=[ticket.number])).content.decode()
    notice = page.split('id="presence"', 1)[1].split("</div>", 1)[0]
    assert "Ysaline Vandervelde is also viewing this ticket." in notice
    assert "Jan Peeters" not in notice

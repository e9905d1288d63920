"""Built-in statuses are shown in the agent's language; statuses an admin named are shown as typed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from comptoir.tickets.models import Status
from tests.factories import make_agent, make_ticket

pytestmark = pytest.mark.django_db


def test_a_french_agent_reads_the_built_in_status_in_french_on_the_ticket_page(client):
    ticket = make_ticket()
    client.force_login(make_agent(locale="fr"))
    page = client.get(reverse("agent:ticket", args=[ticket.number])).content.decode()
    assert '<span class="badge-status status--new">Nouveau</span>' in page
    assert ">Résolu</option>" in page


def test_a_dutch_agent_reads_built_in_statuses_in_dutch_in_the_list(client):
    make_ticket(status="pending")
    client.force_login(make_agent(locale="nl"))
    page = client.get(reverse("agent:view", args=["pending"])).content.decode()
    assert "In afwachting" in page
    assert ">Pending<" not in page


def test_a_status_named_by_an_admin_is_shown_as_typed(client):
    Status.objects.create(name="Escalated", category="open", position=9)
    ticket = make_ticket()
    client.force_login(make_agent(locale="fr"))
    page = client.get(reverse("agent:ticket", args=[ticket.number])).content.decode()
    assert ">Escalated</option>" in page

"""The History tab names every event in the agent's language and filters by what happened."""

from __future__ import annotations

import pytest
from django.urls import reverse

from comptoir.tickets import actions
from tests.factories import make_agent, make_ticket

pytestmark = pytest.mark.django_db


def test_history_filters_by_kind_of_event(client):
    agent = make_agent()
    ticket = make_ticket()
    actions.update_ticket(ticket, {"priority": "high"}, actor=agent, via="web")
    actions.add_internal_note(ticket, actor=agent, via="web", body_text="Checked the logs.")
    client.force_login(agent)
    page = client.get(reverse("agent:ticket-tab", args=[ticket.number, "history"]), {"kind": "note_added"},
                      HTTP_HX_REQUEST="true").content.decode()
    assert 'data-event-kind="note_added"' in page
    assert 'data-event-kind="field_changed"' not in page
    assert 'data-event-kind="created"' not in page


def test_history_names_events_and_fields_in_the_agents_language(client):
    agent = make_agent(locale="fr")
    ticket = make_ticket()
    actions.update_ticket(ticket, {"priority": "high"}, actor=agent, via="web")
    client.force_login(agent)
    page = client.get(reverse("agent:ticket-tab", args=[ticket.number, "history"])).content.decode()
    assert "Champ modifié" in page and "Priorité" in page
    assert "<strong>Système</strong>" in page
    assert "· field_changed" not in page
    assert "· created" not in page

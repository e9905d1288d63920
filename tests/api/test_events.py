"""A ticket's history through the API."""

from __future__ import annotations

import pytest

from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def test_history_lists_changes_oldest_first(api, team):
    ticket = make_ticket(group=team.group)
    api.patch(f"/tickets/{ticket.pk}", team.token("agent"), json={"priority": "high"})
    events = api.get(f"/tickets/{ticket.pk}/events", team.token("agent")).json()["results"]
    assert [e["kind"] for e in events] == ["created", "field_changed"]
    change = events[-1]
    assert (change["field"], change["old_value"], change["new_value"], change["via"]) == ("priority", 2, 3, "api")
    assert change["actor"] == {"kind": "agent", "id": team.members["agent"].pk, "label": "Agent"}


def test_history_of_a_hidden_ticket_is_404(api, team):
    ticket = make_ticket()
    assert api.get(f"/tickets/{ticket.pk}/events", team.token("agent")).status_code == 404

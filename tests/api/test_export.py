"""The incremental export: every change is seen, even when tickets change between pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from comptoir.core.actors import SYSTEM
from comptoir.tickets import actions
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def _drain(api, token, cursor):
    """Follow the stream to its end; returns (rows seen, last cursor)."""
    seen = []
    while True:
        page = api.get("/export/tickets?limit=2" + (f"&since_cursor={cursor}" if cursor else ""), token).json()
        seen += page["results"]
        cursor = page["cursor"]
        if page["end_of_stream"]:
            return seen, cursor


def test_changes_made_between_pages_are_not_missed(api, team):
    tickets = []
    for i in range(5):
        with time_machine.travel(T0 + timedelta(seconds=i)):
            tickets.append(make_ticket(subject=f"Ticket {i}"))
    token = team.token("admin")
    with time_machine.travel(T0 + timedelta(minutes=1)):
        first = api.get("/export/tickets?limit=2", token).json()
    assert [t["id"] for t in first["results"]] == [tickets[0].pk, tickets[1].pk]
    assert first["end_of_stream"] is False
    with time_machine.travel(T0 + timedelta(minutes=2)):
        actions.update_ticket(tickets[0], {"priority": "urgent"}, actor=SYSTEM, via="system")  # already exported
        actions.update_ticket(tickets[3], {"priority": "low"}, actor=SYSTEM, via="system")  # not yet exported
    with time_machine.travel(T0 + timedelta(minutes=3)):
        rest, cursor = _drain(api, token, first["cursor"])
    ids = [t["id"] for t in rest]
    assert ids == [tickets[2].pk, tickets[4].pk, tickets[0].pk, tickets[3].pk]
    assert rest[2]["priority"] == "urgent" and rest[3]["priority"] == "low"
    with time_machine.travel(T0 + timedelta(minutes=4)):
        again = api.get(f"/export/tickets?since_cursor={cursor}", token).json()
    assert again == {"results": [], "cursor": cursor, "end_of_stream": True}


def test_a_change_in_the_last_seconds_waits_for_the_next_call(api, team):
    with time_machine.travel(T0):
        make_ticket()
    with time_machine.travel(T0 + timedelta(seconds=1)):
        assert api.get("/export/tickets", team.token("admin")).json()["results"] == []
    with time_machine.travel(T0 + timedelta(seconds=10)):
        assert len(api.get("/export/tickets", team.token("admin")).json()["results"]) == 1


def test_agents_without_reports_cannot_export(api, team):
    assert api.get("/export/tickets", team.token("agent")).status_code == 403
    assert api.get("/export/tickets", team.token("contact")).status_code == 403


def test_tickets_changed_at_the_same_instant_are_each_exported_once_across_pages(api, team):
    # A bulk change stamps many tickets with one updated_at; pages must split them without loss or repeat.
    with time_machine.travel(T0, tick=False):
        tickets = [make_ticket(subject=f"Same instant {i}") for i in range(5)]
    with time_machine.travel(T0 + timedelta(minutes=1)):
        seen, _cursor = _drain(api, team.token("admin"), None)
    assert sorted(t["id"] for t in seen) == sorted(t.pk for t in tickets)
    assert len(seen) == len({t["id"] for t in seen})

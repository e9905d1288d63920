"""Time through the API: entries, totals per ticket/agent/account, the billing CSV and the timer."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from comptoir.casework.models import TimeEntry
from comptoir.contacts.models import Account
from comptoir.core.models import Role, TicketScope
from comptoir.tickets.models import TicketEvent
from tests.casework.conftest import token_for
from tests.factories import make_agent, make_contact, make_group, make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def billing():
    """Two customer accounts with a ticket each, two agents and a supervisor who bills."""
    acme, globex = Account.objects.create(name="Acme"), Account.objects.create(name="Globex")
    ana, bob = make_agent(name="Ana Agent"), make_agent(name="Bob Agent")
    return {
        "acme": acme, "globex": globex, "ana": ana, "bob": bob,
        "printer": make_ticket(contact=make_contact(account=acme), subject="Printer offline"),
        "vpn": make_ticket(contact=make_contact(account=globex), subject="=VPN drops"),
        "tokens": {"ana": token_for(ana), "bob": token_for(bob), "boss": token_for(make_agent(Role.SUPERVISOR))},
    }


def log(api, b, who, ticket, minutes, day, **extra):
    response = api.post(f"/tickets/{b[ticket].pk}/time-entries", b["tokens"][who],
                        {"minutes": minutes, "date": day, **extra})
    assert response.status_code == 201, response.content
    return response.json()


def test_time_totals_and_csv_export_match_entries_created_through_the_api(api, billing):
    b = billing
    log(api, b, "ana", "printer", 30, "2026-01-05", note="Remote session")
    log(api, b, "bob", "printer", 15, "2026-01-06", billable=False, note="Internal check")
    log(api, b, "ana", "vpn", 45, "2026-01-20", note="@SUM(A1)")
    log(api, b, "bob", "vpn", 60, "2026-02-02")  # outside January
    january = {"from": "2026-01-01", "to": "2026-01-31"}
    boss = b["tokens"]["boss"]

    by_ticket = api.get("/time-entries/totals", boss, data={"by": "ticket", **january}).json()
    assert by_ticket["total"] == {"minutes": 90, "billable_minutes": 75}
    assert {(r["id"], r["minutes"], r["billable_minutes"]) for r in by_ticket["results"]} == {
        (b["printer"].pk, 45, 30), (b["vpn"].pk, 45, 45)}

    by_agent = api.get("/time-entries/totals", boss, data={"by": "agent", **january}).json()
    assert [(r["name"], r["minutes"], r["billable_minutes"]) for r in by_agent["results"]] == [
        ("Ana Agent", 75, 75), ("Bob Agent", 15, 0)]

    by_account = api.get("/time-entries/totals", boss, data={"by": "account"}).json()
    assert [(r["name"], r["minutes"]) for r in by_account["results"]] == [("Globex", 105), ("Acme", 45)]
    assert by_account["total"] == {"minutes": 150, "billable_minutes": 135}

    response = api.get("/time-entries/export", boss, data=january)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Date", "Ticket", "Subject", "Account", "Agent", "Minutes", "Billable", "Note"]
    assert rows[1:] == [
        ["2026-01-05", str(b["printer"].number), "Printer offline", "Acme", b["ana"].email, "30", "yes", "Remote session"],
        ["2026-01-06", str(b["printer"].number), "Printer offline", "Acme", b["bob"].email, "15", "no", "Internal check"],
        ["2026-01-20", str(b["vpn"].number), "'=VPN drops", "Globex", b["ana"].email, "45", "yes", "'@SUM(A1)"],
    ]
    assert sum(int(r[5]) for r in rows[1:]) == by_ticket["total"]["minutes"]


def test_the_export_can_be_limited_to_one_account(api, billing):
    b = billing
    log(api, b, "ana", "printer", 30, "2026-01-05")
    log(api, b, "ana", "vpn", 45, "2026-01-20")
    response = api.get("/time-entries/export", b["tokens"]["boss"],
                       data={"from": "2026-01-01", "to": "2026-01-31", "account": b["acme"].pk})
    rows = list(csv.reader(io.StringIO(response.content.decode())))[1:]
    assert [r[3] for r in rows] == ["Acme"]


def test_totals_of_one_ticket(api, billing):
    b = billing
    log(api, b, "ana", "printer", 30, "2026-01-05")
    log(api, b, "bob", "printer", 20, "2026-01-05", billable=False)
    log(api, b, "ana", "vpn", 45, "2026-01-20")
    totals = api.get("/time-entries/totals", b["tokens"]["ana"], data={"ticket": b["printer"].pk}).json()
    assert totals["total"] == {"minutes": 50, "billable_minutes": 30}


def test_the_ticket_lists_its_entries_with_their_agents(api, billing):
    b = billing
    first = log(api, b, "ana", "printer", 30, "2026-01-05", note="Remote session")
    log(api, b, "bob", "printer", 15, "2026-01-06")
    page = api.get(f"/tickets/{b['printer'].pk}/time-entries", b["tokens"]["ana"], data={"limit": 1}).json()
    assert [e["id"] for e in page["results"]] == [first["id"]]
    assert page["results"][0]["agent"]["name"] == "Ana Agent" and page["results"][0]["note"] == "Remote session"
    rest = api.get(page["next"], b["tokens"]["ana"]).json()
    assert [e["minutes"] for e in rest["results"]] == [15] and rest["next"] is None


def test_logging_writes_history_and_a_bad_duration_is_refused(api, billing):
    b = billing
    entry = log(api, b, "ana", "printer", 25, "2026-01-05")
    assert TicketEvent.objects.get(ticket=b["printer"], kind="time_logged").data["entry_id"] == entry["id"]
    response = api.post(f"/tickets/{b['printer'].pk}/time-entries", b["tokens"]["ana"], {"minutes": 1441})
    assert response.status_code == 422 and response.json()["error"]["fields"]["minutes"]


def test_time_logged_for_a_colleague_counts_for_them(api, billing):
    b = billing
    entry = log(api, b, "ana", "printer", 20, "2026-01-05", agent_id=b["bob"].pk)
    assert entry["agent"]["id"] == b["bob"].pk


def test_an_agent_deletes_their_own_entry_and_totals_follow(api, billing):
    b = billing
    entry = log(api, b, "ana", "printer", 30, "2026-01-05")
    log(api, b, "ana", "printer", 10, "2026-01-05")
    assert api.delete(f"/time-entries/{entry['id']}", b["tokens"]["ana"]).status_code == 204
    assert api.get("/time-entries/totals", b["tokens"]["ana"]).json()["total"]["minutes"] == 10
    event = TicketEvent.objects.get(ticket=b["printer"], kind="time_deleted")
    assert event.data["minutes"] == 30 and event.actor_agent == b["ana"]


def test_a_light_agent_cannot_delete_someone_elses_entry(api, billing):
    b = billing
    entry = log(api, b, "ana", "printer", 30, "2026-01-05")
    light = make_agent(Role.LIGHT_AGENT)
    assert api.delete(f"/time-entries/{entry['id']}", token_for(light)).status_code == 403
    assert TimeEntry.objects.filter(pk=entry["id"]).exists()


def test_totals_count_only_tickets_the_agent_can_see(api, billing):
    b = billing
    log(api, b, "ana", "printer", 30, "2026-01-05")
    restricted = make_agent(scope=TicketScope.GROUPS, groups=[make_group("Elsewhere")])
    totals = api.get("/time-entries/totals", token_for(restricted), data={"by": "agent"}).json()
    assert totals == {"by": "agent", "results": [], "total": {"minutes": 0, "billable_minutes": 0}}
    entry_id = TimeEntry.objects.get().pk
    assert api.delete(f"/time-entries/{entry_id}", token_for(restricted)).status_code == 404


def test_only_supervisors_and_admins_export_and_the_period_must_make_sense(api, billing):
    b = billing
    assert api.get("/time-entries/export", b["tokens"]["ana"], data={"from": "2026-01-01", "to": "2026-01-31"}).status_code == 403
    backwards = api.get("/time-entries/export", b["tokens"]["boss"], data={"from": "2026-02-01", "to": "2026-01-01"})
    assert backwards.status_code == 422 and backwards.json()["error"]["fields"] == {"to": "before_from"}
    assert api.get("/time-entries/export", b["tokens"]["boss"]).status_code == 422


def test_a_contact_gets_403_and_a_hidden_ticket_404(api, billing):
    b = billing
    contact = b["printer"].contact
    assert api.get(f"/tickets/{b['printer'].pk}/time-entries", token_for(contact)).status_code == 403
    assert api.get("/time-entries/totals", token_for(contact)).status_code == 403
    restricted = make_agent(scope=TicketScope.GROUPS, groups=[make_group("Elsewhere")])
    assert api.post(f"/tickets/{b['printer'].pk}/time-entries", token_for(restricted), {"minutes": 5}).status_code == 404


def test_the_timer_logs_the_elapsed_minutes_rounded_up(api, billing, time_machine):
    b = billing
    start = dt.datetime(2026, 1, 7, 10, 0, tzinfo=dt.UTC)
    time_machine.move_to(start, tick=False)
    started = api.post(f"/tickets/{b['printer'].pk}/timer", b["tokens"]["ana"])
    assert started.status_code == 201 and started.json()["ticket_id"] == b["printer"].pk
    assert api.post(f"/tickets/{b['vpn'].pk}/timer", b["tokens"]["ana"]).status_code == 409
    assert api.get("/timer", b["tokens"]["ana"]).json()["ticket_id"] == b["printer"].pk
    time_machine.move_to(start + dt.timedelta(minutes=25, seconds=10), tick=False)
    stopped = api.post("/timer/stop", b["tokens"]["ana"], {"billable": False, "note": "Phone support"})
    assert stopped.status_code == 201
    assert stopped.json()["minutes"] == 26
    assert stopped.json()["billable"] is False and stopped.json()["date"] == "2026-01-07"
    assert api.get("/timer", b["tokens"]["ana"]).status_code == 404
    assert api.post("/timer/stop", b["tokens"]["ana"]).status_code == 409

"""Activities and the resolution through the API: plan, reschedule, reassign, complete; write how it was solved."""

from __future__ import annotations

import datetime as dt

import pytest

from comptoir.casework.models import Activity, Reminder
from comptoir.core.models import Role, TicketScope
from comptoir.knowledge.models import Article, ArticleStatus
from comptoir.tickets.models import TicketEvent
from tests.casework.conftest import token_for
from tests.factories import make_agent, make_group, make_ticket

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def desk(time_machine):
    time_machine.move_to(NOW, tick=False)
    agent = make_agent(name="Ana Agent")
    return {"agent": agent, "token": token_for(agent), "ticket": make_ticket(actor=agent, subject="App crashes on login")}


def plan(api, d, **body):
    return api.post(f"/tickets/{d['ticket'].pk}/activities", d["token"], {"kind": "task", "subject": "Call back", **body})


def test_a_call_with_a_reminder_is_planned_and_listed(api, desk):
    response = plan(api, desk, kind="call", direction="out", due_at="2026-03-02T14:00:00Z",
                    reminders=[{"channel": "email", "remind_at": "2026-03-02T13:45:00Z"}])
    assert response.status_code == 201, response.content
    call = response.json()
    assert call["owner"]["id"] == desk["agent"].pk and call["direction"] == "out"
    assert [(r["channel"], r["sent_at"]) for r in call["reminders"]] == [("email", None)]
    listed = api.get(f"/tickets/{desk['ticket'].pk}/activities", desk["token"]).json()["results"]
    assert [a["id"] for a in listed] == [call["id"]]
    assert TicketEvent.objects.filter(ticket=desk["ticket"], kind="activity_created").count() == 1


def test_a_reminder_in_the_past_is_refused_and_nothing_is_saved(api, desk):
    response = plan(api, desk, reminders=[{"channel": "popup", "remind_at": "2026-03-02T08:00:00Z"}])
    assert response.status_code == 422 and "reminders" in response.json()["error"]["fields"]
    assert not Activity.objects.exists() and not Reminder.objects.exists()


def test_a_call_needs_a_direction(api, desk):
    response = plan(api, desk, kind="call")
    assert response.status_code == 422 and "direction" in response.json()["error"]["fields"]


def test_rescheduling_records_old_and_new_in_the_history(api, desk):
    task = plan(api, desk, due_at="2026-03-03T10:00:00Z").json()
    response = api.patch(f"/activities/{task['id']}", desk["token"], {"due_at": "2026-03-04T10:00:00Z", "subject": "Call back after the fix"})
    assert response.status_code == 200
    assert response.json()["due_at"].startswith("2026-03-04T10:00") and response.json()["subject"] == "Call back after the fix"
    event = TicketEvent.objects.get(ticket=desk["ticket"], kind="activity_updated")
    assert event.data["changes"]["due_at"][0].startswith("2026-03-03T10:00")
    assert event.data["changes"]["subject"] == ["Call back", "Call back after the fix"]


def test_an_event_keeps_its_end_after_its_start(api, desk):
    meeting = plan(api, desk, kind="event", due_at="2026-03-05T10:00:00Z", ends_at="2026-03-05T11:00:00Z").json()
    response = api.patch(f"/activities/{meeting['id']}", desk["token"], {"ends_at": "2026-03-05T09:00:00Z"})
    assert response.status_code == 422 and "ends_at" in response.json()["error"]["fields"]
    assert Activity.objects.get().ends_at == dt.datetime(2026, 3, 5, 11, 0, tzinfo=dt.UTC)


def test_reassigning_needs_a_colleague_who_sees_the_ticket(api, desk):
    task = plan(api, desk).json()
    bob = make_agent(name="Bob Agent")
    moved = api.patch(f"/activities/{task['id']}", desk["token"], {"owner_id": bob.pk})
    assert moved.status_code == 200 and moved.json()["owner"]["name"] == "Bob Agent"
    outsider = make_agent(scope=TicketScope.GROUPS, groups=[make_group("Elsewhere")])
    refused = api.patch(f"/activities/{task['id']}", desk["token"], {"owner_id": outsider.pk})
    assert refused.status_code == 422 and "owner" in refused.json()["error"]["fields"]


def test_a_light_agent_edits_their_own_activity_but_not_a_colleagues(api, desk):
    light = make_agent(Role.LIGHT_AGENT)
    light_token = token_for(light)
    own = api.post(f"/tickets/{desk['ticket'].pk}/activities", light_token, {"kind": "task", "subject": "Check logs"}).json()
    assert api.patch(f"/activities/{own['id']}", light_token, {"subject": "Check server logs"}).status_code == 200
    colleagues = plan(api, desk).json()
    assert api.patch(f"/activities/{colleagues['id']}", light_token, {"subject": "Mine now"}).status_code == 403
    assert api.post(f"/activities/{colleagues['id']}/complete", light_token).status_code == 403


def test_completing_is_recorded_once(api, desk, time_machine):
    task = plan(api, desk).json()
    first = api.post(f"/activities/{task['id']}/complete", desk["token"]).json()
    assert first["completed_at"].startswith("2026-03-02T09:00")
    time_machine.move_to(NOW + dt.timedelta(hours=1), tick=False)
    again = api.post(f"/activities/{task['id']}/complete", desk["token"]).json()
    assert again["completed_at"] == first["completed_at"]
    assert TicketEvent.objects.filter(ticket=desk["ticket"], kind="activity_completed").count() == 1


def test_contacts_get_403_and_other_teams_404(api, desk):
    task = plan(api, desk).json()
    contact = token_for(desk["ticket"].contact)
    assert api.get(f"/tickets/{desk['ticket'].pk}/activities", contact).status_code == 403
    assert api.post(f"/activities/{task['id']}/complete", contact).status_code == 403
    outsider = token_for(make_agent(scope=TicketScope.GROUPS, groups=[make_group("Elsewhere")]))
    assert api.patch(f"/activities/{task['id']}", outsider, {"subject": "x"}).status_code == 404


def test_the_resolution_is_written_then_replaced_with_history(api, desk):
    path = f"/tickets/{desk['ticket'].pk}/resolution"
    assert api.get(path, desk["token"]).status_code == 404
    first = api.call("put", path, desk["token"], json={"text": "Cleared the app cache."})
    assert first.status_code == 200 and first.json()["text"] == "Cleared the app cache."
    api.call("put", path, desk["token"], json={"text": "Reinstalled version 4.3."})
    got = api.get(path, desk["token"]).json()
    assert got["text"] == "Reinstalled version 4.3." and got["updated_by"]["id"] == desk["agent"].pk
    events = TicketEvent.objects.filter(ticket=desk["ticket"], kind="resolution_saved").order_by("pk")
    assert [(e.old_value, e.new_value) for e in events] == [
        (None, "Cleared the app cache."), ("Cleared the app cache.", "Reinstalled version 4.3.")]


def test_publishing_the_resolution_makes_a_draft_article(api, desk):
    response = api.call("put", f"/tickets/{desk['ticket'].pk}/resolution", desk["token"],
                        json={"text": "Reinstall version 4.3.", "publish": True})
    article = Article.objects.get()
    assert response.json()["article_id"] == article.pk
    assert article.status == ArticleStatus.DRAFT and article.source_ticket_id == desk["ticket"].pk


def test_a_light_agent_cannot_write_the_resolution(api, desk):
    response = api.call("put", f"/tickets/{desk['ticket'].pk}/resolution", token_for(make_agent(Role.LIGHT_AGENT)),
                        json={"text": "Mine."})
    assert response.status_code == 403

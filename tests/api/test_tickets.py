"""Tickets through the API: the minimal contract scripts rely on, filters, sorting, pagination."""

from __future__ import annotations

import pytest

from comptoir.core.actors import SYSTEM
from comptoir.tickets import actions
from comptoir.tickets.models import Ticket, TicketEvent
from tests.factories import make_contact, make_ticket

pytestmark = pytest.mark.django_db


def test_creating_a_ticket_returns_it_with_number_and_status(api, team):
    response = api.post("/tickets", team.token("admin"), json={
        "subject": "Cannot log in", "description": "The app says my password is wrong.",
        "contact": {"email": "Noor@Example.test", "name": "Noor"}, "priority": "high", "tags": ["login"],
    })
    assert response.status_code == 201, response.content
    body = response.json()
    ticket = Ticket.objects.get(pk=body["id"])
    assert body["number"] == ticket.number
    assert body["status"] == "open"  # an agent creator becomes the assignee, so it opens
    assert body["priority"] == "high"
    assert body["channel"] == "api"
    assert body["tags"] == ["login"]
    assert body["contact"]["email"] == "noor@example.test"
    assert TicketEvent.objects.filter(ticket=ticket, kind="created", via="api").exists()


def test_creating_a_ticket_without_a_subject_is_a_422_with_the_field(api, team):
    response = api.post("/tickets", team.token("admin"), json={"subject": " ", "contact": {"email": "a@example.test"}})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"subject": "required"}
    assert Ticket.objects.count() == 0


def test_an_unknown_priority_is_refused(api, team):
    response = api.post("/tickets", team.token("admin"), json={"subject": "Hi", "contact": {"email": "a@example.test"}, "priority": "asap"})
    assert response.status_code == 422
    assert "priority" in response.json()["error"]["fields"]


def test_assignee_null_leaves_the_ticket_unassigned_and_new(api, team):
    response = api.post("/tickets", team.token("admin"), json={"subject": "Hi", "contact": {"email": "a@example.test"}, "assignee_id": None})
    assert response.json()["assignee"] is None
    assert response.json()["status"] == "new"


def test_status_open_lists_tickets_in_the_open_category_with_next(api, team):
    opened = [make_ticket(status="open") for _ in range(3)]
    make_ticket(status="pending")
    response = api.get("/tickets?status=open&limit=2", team.token("admin"))
    assert response.status_code == 200
    page = response.json()
    assert [t["id"] for t in page["results"]] == [opened[2].pk, opened[1].pk]
    second = api.get(page["next"], team.token("admin")).json()
    assert [t["id"] for t in second["results"]] == [opened[0].pk]
    assert second["next"] is None


def test_status_id_filters_on_a_custom_status_by_name(api, team):
    from comptoir.tickets.models import Status

    escalated = Status.objects.create(name="Escalated", category="open")
    ticket = make_ticket()
    actions.update_ticket(ticket, {"status": escalated.pk}, actor=SYSTEM, via="system")
    make_ticket(status="open")
    page = api.get("/tickets?status_id=Escalated", team.token("admin")).json()
    assert [t["id"] for t in page["results"]] == [ticket.pk]


def test_assignee_me_lists_my_tickets(api, team):
    mine = make_ticket(actor=team.members["admin"])
    make_ticket()
    page = api.get("/tickets?assignee=me", team.token("admin")).json()
    assert [t["id"] for t in page["results"]] == [mine.pk]


def test_several_tags_narrow_the_list(api, team):
    both = make_ticket(tags=["billing", "vip"])
    make_ticket(tags=["billing"])
    page = api.get("/tickets?tag=billing&tag=vip", team.token("admin")).json()
    assert [t["id"] for t in page["results"]] == [both.pk]


def test_free_text_searches_subject_and_description(api, team):
    hit = make_ticket(subject="Refund for order 42")
    make_ticket(subject="Password reset")
    page = api.get("/tickets?q=refund", team.token("admin")).json()
    assert [t["id"] for t in page["results"]] == [hit.pk]


def test_sorting_by_priority_pages_through_every_ticket_once(api, team):
    tickets = [make_ticket(priority=p) for p in ("low", "urgent", "normal", "high", "urgent")]
    seen, url = [], "/tickets?sort=-priority&limit=2"
    while url:
        page = api.get(url, team.token("admin")).json()
        seen += [(t["priority"], t["id"]) for t in page["results"]]
        url = page["next"]
    assert sorted(i for _p, i in seen) == sorted(t.pk for t in tickets)
    assert [p for p, _i in seen] == ["urgent", "urgent", "high", "normal", "low"]


def test_sorting_by_due_date_puts_tickets_without_one_last(api, team):
    from datetime import timedelta

    from django.utils import timezone

    later = make_ticket(due_at=timezone.now() + timedelta(days=2))
    none = make_ticket()
    sooner = make_ticket(due_at=timezone.now() + timedelta(days=1))
    page = api.get("/tickets?sort=due", team.token("admin")).json()
    assert [t["id"] for t in page["results"]] == [sooner.pk, later.pk, none.pk]


def test_a_cursor_from_another_sort_is_refused(api, team):
    for _ in range(3):
        make_ticket()
    page = api.get("/tickets?limit=1&sort=created", team.token("admin")).json()
    cursor = page["next"].split("cursor=")[1]
    response = api.get(f"/tickets?sort=priority&cursor={cursor}", team.token("admin"))
    assert response.status_code == 422


def test_a_garbage_cursor_is_a_422(api, team):
    response = api.get("/tickets?cursor=not-a-cursor", team.token("admin"))
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"cursor": "invalid"}


def test_created_range_filters(api, team):
    import time_machine

    with time_machine.travel("2026-01-10T10:00:00Z"):
        old = make_ticket()
    with time_machine.travel("2026-03-10T10:00:00Z"):
        make_ticket()
    page = api.get("/tickets?created_before=2026-02-01T00:00:00Z", team.token("admin")).json()
    assert [t["id"] for t in page["results"]] == [old.pk]


def test_getting_a_ticket_by_id(api, team):
    ticket = make_ticket(subject="Crash on start", group=team.group)
    body = api.get(f"/tickets/{ticket.pk}", team.token("agent")).json()
    assert body["subject"] == "Crash on start"


def test_an_agent_scoped_to_groups_gets_404_for_a_ticket_outside_them(api, team):
    ticket = make_ticket()  # no group, unassigned
    assert api.get(f"/tickets/{ticket.pk}", team.token("agent")).status_code == 404


def test_patching_changes_fields_and_records_history(api, team):
    ticket = make_ticket(group=team.group)
    response = api.patch(f"/tickets/{ticket.pk}", team.token("agent"), json={"status": "pending", "priority": "urgent", "tags": ["vip"]})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["priority"], body["tags"]) == ("pending", "urgent", ["vip"])
    fields = set(TicketEvent.objects.filter(ticket=ticket, kind="field_changed", via="api").values_list("field", flat=True))
    assert fields == {"status", "priority"}


def test_patching_assignee_me_takes_the_ticket(api, team):
    ticket = make_ticket(group=team.group)
    body = api.patch(f"/tickets/{ticket.pk}", team.token("light_agent"), json={"assignee_id": "me"}).json()
    assert body["assignee"]["id"] == team.members["light_agent"].pk


def test_a_light_agent_cannot_change_priority(api, team):
    ticket = make_ticket(group=team.group)
    response = api.patch(f"/tickets/{ticket.pk}", team.token("light_agent"), json={"priority": "urgent"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_a_closed_ticket_cannot_be_reopened_by_patch(api, team):
    ticket = make_ticket(status="closed")
    response = api.patch(f"/tickets/{ticket.pk}", team.token("admin"), json={"status": "open"})
    assert response.status_code == 422


def test_listing_tickets_runs_a_constant_number_of_queries(api, team, django_assert_max_num_queries):
    for i in range(30):
        make_ticket(tags=["a", f"t{i}"], contact=make_contact(), group=team.group)
    token = team.token("admin")
    api.get("/tickets?limit=1", token)  # warm caches unrelated to page size
    with django_assert_max_num_queries(8):
        small = api.get("/tickets?limit=1", token)
    with django_assert_max_num_queries(8):
        big = api.get("/tickets?limit=30", token)
    assert len(small.json()["results"]) == 1 and len(big.json()["results"]) == 30

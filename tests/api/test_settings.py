"""Statuses, tags and custom field definitions through the API."""

from __future__ import annotations

import pytest

from comptoir.tickets.models import Status, Tag
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def test_a_new_default_status_replaces_the_old_default(api, team):
    api.post("/statuses", team.token("admin"), json={"name": "Waiting on vendor", "category": "on_hold", "is_default": True})
    second = api.post("/statuses", team.token("admin"), json={"name": "Waiting on bank", "category": "on_hold", "is_default": True}).json()
    assert list(Status.objects.filter(category="on_hold", is_default=True).values_list("pk", flat=True)) == [second["id"]]


def test_a_custom_status_is_usable_on_tickets_right_away(api, team):
    status = api.post("/statuses", team.token("admin"), json={"name": "Escalated", "category": "open"}).json()
    ticket = make_ticket(group=team.group)
    body = api.patch(f"/tickets/{ticket.pk}", team.token("agent"), json={"status_id": status["id"]}).json()
    assert (body["status"], body["status_name"]) == ("open", "Escalated")


def test_a_deactivated_status_is_kept_but_not_offered(api, team):
    status = api.post("/statuses", team.token("admin"), json={"name": "Old", "category": "open"}).json()
    assert api.delete(f"/statuses/{status['id']}", team.token("admin")).status_code == 204
    assert Status.objects.get(pk=status["id"]).active is False
    ticket = make_ticket(group=team.group)
    assert api.patch(f"/tickets/{ticket.pk}", team.token("agent"), json={"status_id": status["id"]}).status_code == 422


def test_tags_are_normalised_and_listed_by_name(api, team):
    api.post("/tags", team.token("admin"), json={"name": "  Priority Customer "})
    api.post("/tags", team.token("admin"), json={"name": "billing"})
    names = [t["name"] for t in api.get("/tags", team.token("agent")).json()["results"]]
    assert names == ["billing", "priority-customer"]


def test_deleting_a_tag_removes_it_from_tickets(api, team):
    ticket = make_ticket(tags=["obsolete"])
    tag = Tag.objects.get(name="obsolete")
    api.delete(f"/tags/{tag.pk}", team.token("admin"))
    assert list(ticket.tags.all()) == []


def test_a_custom_field_is_validated_on_tickets(api, team):
    field = api.post("/custom-fields", team.token("admin"), json={"key": "plan", "label": "Plan", "kind": "dropdown", "choices": ["free", "pro"]})
    assert field.status_code == 201, field.content
    ticket = make_ticket(group=team.group)
    ok = api.patch(f"/tickets/{ticket.pk}", team.token("agent"), json={"custom_fields": {"plan": "pro"}})
    assert ok.json()["custom_fields"] == {"plan": "pro"}
    bad = api.patch(f"/tickets/{ticket.pk}", team.token("agent"), json={"custom_fields": {"plan": "platinum"}})
    assert bad.status_code == 422
    assert bad.json()["error"]["fields"] == {"plan": "invalid"}


def test_a_dependent_dropdown_needs_choices_per_parent_value(api, team):
    response = api.post("/custom-fields", team.token("admin"), json={"key": "model", "label": "Model", "kind": "dependent_dropdown", "choices": ["a"]})
    assert response.status_code == 422

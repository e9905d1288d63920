"""A customer using the API with their own token: their tickets only, nothing internal."""

from __future__ import annotations

import pytest

from comptoir.tickets.models import CustomFieldDefinition
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def test_a_customer_lists_only_their_own_tickets(api, team):
    mine = make_ticket(contact=team.members["contact"])
    make_ticket()
    page = api.get("/tickets", team.token("contact")).json()
    assert [t["id"] for t in page["results"]] == [mine.pk]


def test_a_customer_gets_404_for_someone_elses_ticket(api, team):
    other = make_ticket()
    assert api.get(f"/tickets/{other.pk}", team.token("contact")).status_code == 404


def test_a_customer_sees_no_agent_only_fields(api, team):
    CustomFieldDefinition.objects.create(key="internal_score", label="Score", kind="number")
    CustomFieldDefinition.objects.create(key="app_version", label="App version", kind="text", visible_to_customers=True)
    ticket = make_ticket(contact=team.members["contact"], actor=team.members["admin"], tags=["vip"],
                         custom_fields={"internal_score": 3, "app_version": "2.1"})
    body = api.get(f"/tickets/{ticket.pk}", team.token("contact")).json()
    assert body["custom_fields"] == {"app_version": "2.1"}
    assert body["assignee_name"] == "Admin"
    for hidden in ("tags", "assignee", "group", "status_name", "contact"):
        assert hidden not in body


def test_a_customer_opens_a_ticket_for_themselves(api, team):
    response = api.post("/tickets", team.token("contact"), json={"subject": "Where is my invoice?", "description": "Order 1234"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "new"
    assert "assignee" not in body


def test_a_customer_cannot_set_agent_fields_on_create(api, team):
    response = api.post("/tickets", team.token("contact"), json={"subject": "Hi", "priority": "urgent", "tags": ["vip"]})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"priority": "not_allowed", "tags": "not_allowed"}


def test_a_customer_cannot_patch_their_ticket(api, team):
    ticket = make_ticket(contact=team.members["contact"])
    assert api.patch(f"/tickets/{ticket.pk}", team.token("contact"), json={"subject": "Changed"}).status_code == 403


def test_a_customer_cannot_read_the_history(api, team):
    ticket = make_ticket(contact=team.members["contact"])
    assert api.get(f"/tickets/{ticket.pk}/events", team.token("contact")).status_code == 403

"""Ticket categories through the API: an admin sets them up, agents file and find tickets by them."""

from __future__ import annotations

import pytest

from comptoir.core.models import AuditEntry
from comptoir.tickets.models import Category, TicketEvent
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def create(api, team, **body):
    return api.post("/categories", team.token("admin"), json=body)


def test_an_admin_creates_a_category_with_two_subcategories(api, team):
    billing = create(api, team, name="Billing", name_translations={"fr": "Facturation"}).json()
    create(api, team, name="Refunds", parent_id=billing["id"])
    create(api, team, name="Invoices", parent_id=billing["id"])
    listed = api.get(f"/categories?parent={billing['id']}", team.token("agent")).json()["results"]
    assert sorted(c["name"] for c in listed) == ["Invoices", "Refunds"]
    assert billing["name_translations"] == {"fr": "Facturation"}
    assert billing["parent_id"] is None


def test_a_category_is_renamed_and_reordered_with_an_audit_entry(api, team):
    billing = create(api, team, name="Billing").json()
    body = api.patch(f"/categories/{billing['id']}", team.token("admin"), json={"name": "Payments", "position": 3}).json()
    assert (body["name"], body["position"]) == ("Payments", 3)
    entry = AuditEntry.objects.get(kind="category.updated")
    assert entry.changes == {"name": ["Billing", "Payments"], "position": [0, 3]}


def test_a_duplicate_name_under_one_parent_is_refused_on_the_name_field(api, team):
    create(api, team, name="Billing")
    response = create(api, team, name="billing")
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"name": "duplicate"}


def test_a_subcategory_cannot_have_subcategories(api, team):
    billing = create(api, team, name="Billing").json()
    refunds = create(api, team, name="Refunds", parent_id=billing["id"]).json()
    response = create(api, team, name="Partial refunds", parent_id=refunds["id"])
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"parent_id": "too_deep"}


def test_a_category_with_subcategories_cannot_move_under_another(api, team):
    billing = create(api, team, name="Billing").json()
    create(api, team, name="Refunds", parent_id=billing["id"])
    shipping = create(api, team, name="Shipping").json()
    response = api.patch(f"/categories/{billing['id']}", team.token("admin"), json={"parent_id": shipping["id"]})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"parent_id": "circular"}


def test_a_category_cannot_be_its_own_parent(api, team):
    billing = create(api, team, name="Billing").json()
    response = api.patch(f"/categories/{billing['id']}", team.token("admin"), json={"parent_id": billing["id"]})
    assert response.json()["error"]["fields"] == {"parent_id": "circular"}


def test_a_deleted_parent_is_refused(api, team):
    billing = create(api, team, name="Billing").json()
    api.delete(f"/categories/{billing['id']}", team.token("admin"))
    response = create(api, team, name="Refunds", parent_id=billing["id"])
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"parent_id": "not_found"}


def test_agents_may_read_but_not_create_categories(api, team):
    assert api.get("/categories", team.token("agent")).status_code == 200
    assert create_as(api, team, "agent").status_code == 403
    assert create_as(api, team, "light_agent").status_code == 403


def create_as(api, team, role):
    return api.post("/categories", team.token(role), json={"name": "Billing"})


def test_an_agent_files_a_ticket_under_a_category_and_finds_it_by_filter(api, team):
    billing = create(api, team, name="Billing").json()
    refunds = create(api, team, name="Refunds", parent_id=billing["id"]).json()
    filed = make_ticket(group=team.group, subject="Refund my order")
    make_ticket(group=team.group, subject="Where is my parcel?")
    body = api.patch(f"/tickets/{filed.pk}", team.token("agent"),
                     json={"category_id": billing["id"], "subcategory_id": refunds["id"]}).json()
    assert (body["category_id"], body["subcategory_id"]) == (billing["id"], refunds["id"])
    found = api.get(f"/tickets?category={billing['id']}", team.token("agent")).json()["results"]
    assert [t["subject"] for t in found] == ["Refund my order"]
    found = api.get(f"/tickets?subcategory={refunds['id']}", team.token("agent")).json()["results"]
    assert [t["subject"] for t in found] == ["Refund my order"]


def test_a_subcategory_of_another_category_is_refused_on_a_ticket(api, team):
    billing = create(api, team, name="Billing").json()
    shipping = create(api, team, name="Shipping").json()
    lost = create(api, team, name="Lost parcel", parent_id=shipping["id"]).json()
    ticket = make_ticket(group=team.group)
    response = api.patch(f"/tickets/{ticket.pk}", team.token("agent"),
                         json={"category_id": billing["id"], "subcategory_id": lost["id"]})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"subcategory": "invalid"}


def test_a_subcategory_is_refused_as_a_ticket_category(api, team):
    billing = create(api, team, name="Billing").json()
    refunds = create(api, team, name="Refunds", parent_id=billing["id"]).json()
    ticket = make_ticket(group=team.group)
    response = api.patch(f"/tickets/{ticket.pk}", team.token("agent"), json={"category_id": refunds["id"]})
    assert response.json()["error"]["fields"] == {"category": "is_subcategory"}


def test_changing_the_category_clears_a_subcategory_of_the_old_one(api, team):
    billing = create(api, team, name="Billing").json()
    refunds = create(api, team, name="Refunds", parent_id=billing["id"]).json()
    shipping = create(api, team, name="Shipping").json()
    ticket = make_ticket(group=team.group)
    api.patch(f"/tickets/{ticket.pk}", team.token("agent"), json={"category_id": billing["id"], "subcategory_id": refunds["id"]})
    body = api.patch(f"/tickets/{ticket.pk}", team.token("agent"), json={"category_id": shipping["id"]}).json()
    assert (body["category_id"], body["subcategory_id"]) == (shipping["id"], None)


def test_deleting_a_category_empties_it_on_tickets_with_history(api, team):
    billing = create(api, team, name="Billing").json()
    ticket = make_ticket(group=team.group)
    api.patch(f"/tickets/{ticket.pk}", team.token("agent"), json={"category_id": billing["id"]})
    assert api.delete(f"/categories/{billing['id']}", team.token("admin")).status_code == 204
    ticket.refresh_from_db()
    assert ticket.category_id is None
    assert not Category.objects.filter(pk=billing["id"]).exists()
    event = TicketEvent.objects.filter(ticket=ticket, field="category").last()
    assert (event.old_value, event.new_value, event.actor_agent) == ("Billing", None, team.members["admin"])

"""Statuses in the admin center: an admin adds, translates, reorders and replaces them."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from comptoir.core.models import AuditEntry, Role
from comptoir.tickets import actions
from comptoir.tickets.labels import localized_name
from comptoir.tickets.models import Status, TicketEvent
from tests.factories import make_agent, make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    agent = make_agent(role=Role.ADMIN)
    client.force_login(agent)
    return agent


def order():
    return list(Status.objects.order_by("position", "id").values_list("name", flat=True))


def test_an_admin_adds_a_status_mapped_to_pending_with_its_translations(client, admin):
    response = client.post(reverse("admin_center:statuses-new"),
                           {"name": "Waiting on vendor", "name_fr": "En attente du fournisseur", "name_nl": "", "category": "pending"})
    assert response.status_code == 302, response.content.decode()[:2000]
    status = Status.objects.get(name="Waiting on vendor")
    assert (status.category, status.name_translations) == ("pending", {"fr": "En attente du fournisseur"})
    assert AuditEntry.objects.get(kind="status.created").actor_agent == admin


def test_the_translation_is_what_a_french_reader_sees_and_dutch_falls_back_to_the_name(admin):
    status = actions.create_status(name="Escalated", category="open", name_translations={"fr": "Escaladé"}, actor=admin, via="admin")
    assert localized_name(status, "fr") == "Escaladé"
    assert localized_name(status, "nl") == "Escalated"


def test_an_untranslated_built_in_status_reads_as_its_category_label():
    with translation.override("fr"):
        assert localized_name(Status.objects.get(name="Pending")) == str(Status.objects.get(name="Pending").get_category_display())


def test_the_ticket_page_shows_a_status_in_the_agents_language(client, admin):
    status = actions.create_status(name="Escalated", category="open", name_translations={"fr": "Escaladé"}, actor=admin, via="admin")
    ticket = make_ticket(status="open")
    actions.update_ticket(ticket, {"status": status}, actor=admin, via="test")
    admin.locale = "fr"
    admin.save(update_fields=["locale"])
    page = client.get(reverse("agent:ticket", args=[ticket.number])).content.decode()
    assert "Escaladé" in page


def test_renaming_and_translating_a_status_is_audited_before_and_after(client, admin):
    status = Status.objects.get(name="Open")
    response = client.post(reverse("admin_center:statuses-edit", args=[status.pk]),
                           {"name": "In progress", "name_fr": "En cours", "name_nl": "Bezig", "is_default": "on", "active": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(kind="status.updated")
    assert entry.changes == {"name": ["Open", "In progress"], "name_translations": [{}, {"fr": "En cours", "nl": "Bezig"}]}


def test_the_down_button_moves_a_status_one_place(client, admin):
    assert order()[:3] == ["New", "Open", "Pending"]
    client.post(reverse("admin_center:statuses-reorder", args=[Status.objects.get(name="New").pk]), {"direction": "down"})
    assert order()[:3] == ["Open", "New", "Pending"]


def test_the_up_button_on_the_first_status_changes_nothing(client, admin):
    before = order()
    client.post(reverse("admin_center:statuses-reorder", args=[Status.objects.get(name="New").pk]), {"direction": "up"})
    assert order() == before


def test_reordering_works_when_positions_are_equal(client, admin):
    Status.objects.update(position=0)  # as an API client may leave them
    client.post(reverse("admin_center:statuses-reorder", args=[Status.objects.get(name="Pending").pk]), {"direction": "up"})
    assert order()[:3] == ["New", "Pending", "Open"]


def test_the_status_list_offers_keyboard_buttons_to_reorder(client, admin):
    page = client.get(reverse("admin_center:statuses")).content.decode()
    assert 'aria-label="Move Open up"' in page and 'aria-label="Move Open down"' in page


def test_replacing_a_status_moves_its_tickets_with_history_naming_the_admin(client, admin):
    escalated = actions.create_status(name="Escalated", category="open", actor=admin, via="admin")
    tickets = [make_ticket(status="open") for _ in range(3)]
    for ticket in tickets:
        actions.update_ticket(ticket, {"status": escalated}, actor=admin, via="test")
    response = client.post(reverse("admin_center:statuses-replace", args=[escalated.pk]),
                           {"replacement": Status.objects.get(name="Open").pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    escalated.refresh_from_db()
    assert escalated.active is False
    for ticket in tickets:
        ticket.refresh_from_db()
        assert (ticket.status.name, ticket.status_category) == ("Open", "open")
        event = TicketEvent.objects.filter(ticket=ticket, field="status").last()
        assert (event.old_value, event.new_value, event.actor_agent, event.via) == ("Escalated", "Open", admin, "admin")


def test_replacing_with_delete_removes_the_status(client, admin):
    escalated = actions.create_status(name="Escalated", category="open", actor=admin, via="admin")
    ticket = make_ticket(status="open")
    actions.update_ticket(ticket, {"status": escalated}, actor=admin, via="test")
    client.post(reverse("admin_center:statuses-replace", args=[escalated.pk]),
                {"replacement": Status.objects.get(name="Open").pk, "delete": "on"})
    assert not Status.objects.filter(name="Escalated").exists()
    assert AuditEntry.objects.filter(kind="status.deleted").count() == 1


def test_a_status_of_another_category_is_not_offered_as_replacement(client, admin):
    escalated = actions.create_status(name="Escalated", category="open", actor=admin, via="admin")
    response = client.post(reverse("admin_center:statuses-replace", args=[escalated.pk]),
                           {"replacement": Status.objects.get(name="Pending").pk})
    assert response.status_code == 422
    assert Status.objects.get(pk=escalated.pk).active is True


def test_replacing_the_default_makes_the_replacement_the_default(client, admin):
    escalated = actions.create_status(name="Escalated", category="open", actor=admin, via="admin")
    client.post(reverse("admin_center:statuses-replace", args=[Status.objects.get(name="Open").pk]), {"replacement": escalated.pk})
    assert list(Status.objects.filter(category="open", is_default=True).values_list("name", flat=True)) == ["Escalated"]


def test_a_status_in_use_cannot_be_deleted(client, admin):
    escalated = actions.create_status(name="Escalated", category="open", actor=admin, via="admin")
    ticket = make_ticket(status="open")
    actions.update_ticket(ticket, {"status": escalated}, actor=admin, via="test")
    client.post(reverse("admin_center:statuses-delete", args=[escalated.pk]))
    assert Status.objects.filter(pk=escalated.pk).exists()


def test_an_unused_status_is_deleted(client, admin):
    escalated = actions.create_status(name="Escalated", category="open", actor=admin, via="admin")
    client.post(reverse("admin_center:statuses-delete", args=[escalated.pk]))
    assert not Status.objects.filter(pk=escalated.pk).exists()


def test_the_only_status_of_a_category_cannot_be_deactivated(client, admin):
    pending = Status.objects.get(name="Pending")
    response = client.post(reverse("admin_center:statuses-edit", args=[pending.pk]), {"name": "Pending"})
    assert response.status_code == 422
    assert "Each category needs at least one active status." in response.content.decode()
    assert Status.objects.get(pk=pending.pk).active is True

"""Tags in the admin center: counts on the list, rename and merge written into each ticket's history."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comptoir.core.models import AuditEntry, Role
from comptoir.tickets.models import EventKind, Tag, TicketEvent
from tests.factories import make_agent, make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    agent = make_agent(role=Role.ADMIN)
    client.force_login(agent)
    return agent


def tags_of(ticket):
    return sorted(ticket.tags.values_list("name", flat=True))


def test_the_list_shows_how_many_tickets_carry_each_tag(client, admin):
    make_ticket(tags=["billing", "vip"])
    make_ticket(tags=["billing"])
    page = client.get(reverse("admin_center:tags")).content.decode()
    billing = page.split('data-testid="tag-billing"', 1)[1].split("</tr>", 1)[0]
    vip = page.split('data-testid="tag-vip"', 1)[1].split("</tr>", 1)[0]
    assert "<td>2</td>" in billing and "<td>1</td>" in vip


def test_the_list_costs_the_same_queries_for_many_tags(client, admin):
    make_ticket(tags=["a"])
    client.get(reverse("admin_center:tags"))  # the first request of a session warms caches
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("admin_center:tags"))
    make_ticket(tags=[f"tag-{n}" for n in range(20)])
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("admin_center:tags"))
    assert len(many) == len(few)


def test_merging_moves_the_tag_onto_every_ticket_and_deletes_the_source(client, admin):
    invoices_only = make_ticket(tags=["invoices"])
    both = make_ticket(tags=["invoices", "billing"])
    source = Tag.objects.get(name="invoices")
    response = client.post(reverse("admin_center:tags-merge", args=[source.pk]), {"target": "Billing"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert tags_of(invoices_only) == ["billing"]
    assert tags_of(both) == ["billing"]
    assert not Tag.objects.filter(name="invoices").exists()
    kinds = sorted(TicketEvent.objects.filter(ticket=invoices_only, data__reason="tag_merged").values_list("kind", flat=True))
    assert kinds == sorted([EventKind.TAG_ADDED, EventKind.TAG_REMOVED])
    # The ticket that already had the target only loses the source.
    assert list(TicketEvent.objects.filter(ticket=both, data__reason="tag_merged").values_list("kind", flat=True)) == [EventKind.TAG_REMOVED]
    assert AuditEntry.objects.get(kind="tag.merged").actor_agent == admin


def test_merging_into_an_unknown_tag_is_refused_next_to_the_field(client, admin):
    make_ticket(tags=["invoices"])
    source = Tag.objects.get(name="invoices")
    response = client.post(reverse("admin_center:tags-merge", args=[source.pk]), {"target": "nothing-here"})
    assert response.status_code == 422
    assert 'id="id_target_error"' in response.content.decode()
    assert Tag.objects.filter(pk=source.pk).exists()


def test_merging_a_tag_into_itself_is_refused(client, admin):
    make_ticket(tags=["invoices"])
    source = Tag.objects.get(name="invoices")
    response = client.post(reverse("admin_center:tags-merge", args=[source.pk]), {"target": "invoices"})
    assert response.status_code == 422
    assert "Pick another tag to merge into." in response.content.decode()


def test_renaming_a_tag_renames_it_on_its_tickets(client, admin):
    ticket = make_ticket(tags=["invoices"])
    client.post(reverse("admin_center:tags-edit", args=[Tag.objects.get(name="invoices").pk]), {"name": "Invoicing"})
    assert tags_of(ticket) == ["invoicing"]
    assert AuditEntry.objects.get(kind="tag.renamed").changes == {"name": ["invoices", "invoicing"]}

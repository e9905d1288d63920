"""Ticket lists: built-in views pick the right tickets, pages stay cheap, bulk actions go through actions."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comptoir.agent.lists import listing
from comptoir.agent.lists.counting import capped_counts, display_count
from comptoir.core.actors import SYSTEM
from comptoir.core.models import Role, TicketScope
from comptoir.tickets import actions
from comptoir.tickets.models import Ticket
from tests.factories import make_agent, make_contact, make_group, make_ticket

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()
    yield
    cache.clear()


def in_view(agent, key, now=None):
    spec = listing.get_view(agent, key)
    return set(listing.view_tickets(agent, spec, now=now).values_list("pk", flat=True))


# --- each built-in view ------------------------------------------------------------------


def test_my_open_tickets_are_my_unsolved_ones():
    marie, jan = make_agent(), make_agent()
    mine = make_ticket(assignee=marie)
    my_pending = make_ticket(assignee=marie, status="pending")
    make_ticket(assignee=marie, status="solved")
    make_ticket(assignee=jan)
    assert in_view(marie, "my-open") == {mine.pk, my_pending.pk}


def test_unassigned_in_my_groups():
    billing, tech = make_group(), make_group()
    marie = make_agent(groups=[billing])
    waiting = make_ticket(group=billing)
    make_ticket(group=billing, assignee=marie)
    make_ticket(group=tech)
    make_ticket()
    assert in_view(marie, "unassigned") == {waiting.pk}


def test_all_open_is_new_and_open():
    admin = make_agent(role=Role.ADMIN)
    new = make_ticket()
    opened = make_ticket(status="open")
    make_ticket(status="pending")
    make_ticket(status="solved")
    assert in_view(admin, "all-open") == {new.pk, opened.pk}


def test_pending_and_on_hold_views():
    admin = make_agent(role=Role.ADMIN)
    pending = make_ticket(status="pending")
    on_hold = make_ticket(status="on_hold")
    make_ticket(status="open")
    assert in_view(admin, "pending") == {pending.pk}
    assert in_view(admin, "on-hold") == {on_hold.pk}


def test_overdue_is_unsolved_past_its_due_date():
    admin = make_agent(role=Role.ADMIN)
    late = make_ticket(due_at=NOW - dt.timedelta(hours=1))
    make_ticket(due_at=NOW + dt.timedelta(hours=1))
    make_ticket(due_at=NOW - dt.timedelta(days=2), status="solved")
    assert in_view(admin, "overdue", now=NOW) == {late.pk}


def test_no_action_for_48_hours():
    admin = make_agent(role=Role.ADMIN)
    with time_machine.travel(NOW - dt.timedelta(hours=50), tick=False):
        forgotten = make_ticket(status="open")
    with time_machine.travel(NOW - dt.timedelta(hours=10), tick=False):
        make_ticket(status="open")
    assert in_view(admin, "no-action-48h", now=NOW) == {forgotten.pk}


def test_recently_solved_is_the_last_seven_days():
    admin = make_agent(role=Role.ADMIN)
    with time_machine.travel(NOW - dt.timedelta(days=2), tick=False):
        recent = make_ticket(status="solved")
    with time_machine.travel(NOW - dt.timedelta(days=10), tick=False):
        make_ticket(status="solved")
    assert in_view(admin, "recently-solved", now=NOW) == {recent.pk}


def test_customer_replied_recently():
    admin = make_agent(role=Role.ADMIN)
    contact = make_contact()
    fresh, stale = make_ticket(contact=contact), make_ticket(contact=contact)
    with time_machine.travel(NOW - dt.timedelta(hours=2), tick=False):
        actions.receive_customer_message(fresh, contact=contact, via="email", body_text="Any news?")
    with time_machine.travel(NOW - dt.timedelta(hours=30), tick=False):
        actions.receive_customer_message(stale, contact=contact, via="email", body_text="Any news?")
    assert in_view(admin, "customer-replied", now=NOW) == {fresh.pk}


def test_views_never_show_tickets_outside_the_agents_scope():
    billing, tech = make_group(), make_group()
    marie = make_agent(scope=TicketScope.GROUPS, groups=[billing])
    ours = make_ticket(group=billing)
    make_ticket(group=tech)
    assert in_view(marie, "all-open") == {ours.pk}


# --- the list page ---------------------------------------------------------------------------


def _list_queries(client, agent, count):
    for _ in range(count):
        make_ticket(assignee=agent, tags=["vip"], contact=make_contact())
    client.force_login(agent)
    client.get(reverse("agent:tickets"))  # warm caches (content types, statuses)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("agent:tickets") + "?per_page=100")
    assert response.status_code == 200
    return len(queries)


def test_list_page_runs_the_same_number_of_queries_for_5_and_60_tickets(client, django_assert_max_num_queries):
    agent = make_agent(role=Role.ADMIN)
    few = _list_queries(client, agent, 5)
    many = _list_queries(client, agent, 55)
    assert Ticket.objects.count() == 60
    assert few == many
    with django_assert_max_num_queries(12):
        client.get(reverse("agent:tickets") + "?per_page=100")


def test_list_shows_rows_and_pages_by_page_size(client):
    agent = make_agent(role=Role.ADMIN)
    for _ in range(27):
        make_ticket()
    client.force_login(agent)
    first = client.get(reverse("agent:tickets"))
    second = client.get(reverse("agent:tickets") + "?page=2")
    assert len(first.context["rows"]) == 25 and first.context["has_next"]
    assert len(second.context["rows"]) == 2 and not second.context["has_next"]


def test_clicking_a_column_header_sorts_by_it(client):
    agent = make_agent(role=Role.ADMIN)
    low = make_ticket(priority="low")
    urgent = make_ticket(priority="urgent")
    normal = make_ticket(priority="normal")
    client.force_login(agent)
    ascending = client.get(reverse("agent:tickets") + "?sort=priority")
    descending = client.get(reverse("agent:tickets") + "?sort=-priority")
    assert [t.pk for t in ascending.context["rows"]] == [low.pk, normal.pk, urgent.pk]
    assert [t.pk for t in descending.context["rows"]] == [urgent.pk, normal.pk, low.pk]
    assert b'href="?sort=-priority' in ascending.content


def test_an_unknown_sort_falls_back_to_the_views_own(client):
    agent = make_agent(role=Role.ADMIN)
    make_ticket()
    client.force_login(agent)
    response = client.get(reverse("agent:tickets") + "?sort=password")
    assert response.status_code == 200 and response.context["sort"] == "-updated_at"


def test_a_list_page_needs_a_signed_in_agent(client):
    response = client.get(reverse("agent:tickets"))
    assert response.status_code in (302, 403)


# --- bulk actions ------------------------------------------------------------------------


def bulk(client, tickets, action, **values):
    data = {"ticket": [t.pk for t in tickets], "action": action, "next": reverse("agent:tickets"), **values}
    response = client.post(reverse("agent:tickets-bulk"), data)
    assert response.status_code == 302
    return client.get(response.url)


def test_bulk_assign_three_tickets(client):
    admin, marie = make_agent(role=Role.ADMIN), make_agent()
    tickets = [make_ticket() for _ in range(3)]
    client.force_login(admin)
    page = bulk(client, tickets, "assign", assignee=marie.pk)
    assert {t.assignee_id for t in Ticket.objects.filter(pk__in=[t.pk for t in tickets])} == {marie.pk}
    assert b"3 tickets updated." in page.content
    assert all(t.events.filter(field="assignee").exists() for t in tickets)


def test_a_light_agents_bulk_assignment_is_refused_per_ticket(client):
    light, marie = make_agent(role=Role.LIGHT_AGENT), make_agent()
    tickets = [make_ticket() for _ in range(2)]
    client.force_login(light)
    page = bulk(client, tickets, "assign", assignee=marie.pk)
    assert not Ticket.objects.filter(pk__in=[t.pk for t in tickets], assignee__isnull=False).exists()
    summary = page.context["summary"]
    assert summary["text"] == "0 updated, 2 refused:"
    assert {number for number, _reason in summary["refused"]} == {str(t.number) for t in tickets}


def test_bulk_reports_updated_and_refused_together(client):
    billing = make_group()
    agent = make_agent(scope=TicketScope.GROUPS, groups=[billing])
    ours = [make_ticket(group=billing) for _ in range(3)]
    closed = make_ticket(group=billing, status="closed")
    client.force_login(agent)
    page = bulk(client, [*ours, closed], "priority", priority=4)
    assert b"3 updated, 1 refused:" in page.content
    assert set(Ticket.objects.filter(pk__in=[t.pk for t in ours]).values_list("priority", flat=True)) == {4}


def test_bulk_refuses_tickets_the_agent_cannot_see(client):
    billing, tech = make_group(), make_group()
    agent = make_agent(scope=TicketScope.GROUPS, groups=[billing])
    hidden = make_ticket(group=tech)
    client.force_login(agent)
    page = bulk(client, [hidden], "priority", priority=4)
    hidden.refresh_from_db()
    assert hidden.priority == 2
    assert page.context["summary"]["refused"] == [["", "A selected ticket was not found."]]


def test_bulk_status_and_tags(client):
    admin = make_agent(role=Role.ADMIN)
    tickets = [make_ticket(tags=["old"]) for _ in range(2)]
    client.force_login(admin)
    pending = actions.update_ticket(make_ticket(), {"status": "pending"}, actor=SYSTEM, via="system").status
    bulk(client, tickets, "status", status=pending.pk)
    bulk(client, tickets, "add_tags", tags="vip, Billing issue")
    bulk(client, tickets, "remove_tags", tags="old")
    for ticket in Ticket.objects.filter(pk__in=[t.pk for t in tickets]):
        assert ticket.status_category == "pending"
        assert set(ticket.tags.values_list("name", flat=True)) == {"vip", "billing-issue"}


def test_bulk_merge_selected_into_one_target(client):
    admin = make_agent(role=Role.ADMIN)
    contact = make_contact()
    target, first, second = (make_ticket(contact=contact) for _ in range(3))
    client.force_login(admin)
    page = bulk(client, [target, first, second], "merge", target=target.number)
    assert b"2 tickets updated." in page.content
    assert set(Ticket.objects.filter(merged_into=target).values_list("pk", flat=True)) == {first.pk, second.pk}


def test_bulk_with_a_missing_value_changes_nothing(client):
    admin = make_agent(role=Role.ADMIN)
    ticket = make_ticket(tags=["keep"])
    client.force_login(admin)
    page = bulk(client, [ticket], "add_tags", tags=" , ")
    assert page.context["summary"]["text"] == "Nothing was changed."
    assert list(ticket.tags.values_list("name", flat=True)) == ["keep"]


# --- sidebar counts ------------------------------------------------------------------------


def test_sidebar_shows_live_counts_in_one_query(client, django_assert_max_num_queries):
    agent = make_agent(role=Role.ADMIN)
    make_ticket(assignee=agent)
    make_ticket(status="pending")
    make_ticket(status="pending")
    client.force_login(agent)
    with django_assert_max_num_queries(5):  # session, agent, saved views, counts (+1 spare)
        response = client.get(reverse("agent:views-sidebar"))
    counts = {item["view"].key: item["count"] for item in response.context["items"]}
    assert counts["my-open"] == "1"
    assert counts["pending"] == "2"
    assert counts["all-open"] == "1"


def test_counts_stop_at_the_cap():
    admin = make_agent(role=Role.ADMIN)
    for _ in range(4):
        make_ticket()
    counts = capped_counts({"all": Ticket.objects.all(), "none": Ticket.objects.none()}, cap=3)
    assert counts == {"all": 3, "none": 0}
    assert display_count(counts["all"], cap=3) == "3+"
    assert in_view(admin, "all-open")


def test_search_from_the_top_bar_narrows_the_list(client):
    agent = make_agent(role=Role.ADMIN)
    printer = make_ticket(subject="Printer on fire")
    make_ticket(subject="Invoice question")
    client.force_login(agent)
    by_word = client.get(reverse("agent:tickets") + "?q=printer")
    by_number = client.get(reverse("agent:tickets") + f"?q=%23{printer.number}")
    assert [t.pk for t in by_word.context["rows"]] == [printer.pk]
    assert [t.pk for t in by_number.context["rows"]] == [printer.pk]

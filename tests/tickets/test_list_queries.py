"""Lists run a constant number of SQL queries: 5 tickets or 50, the same count (no N+1)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comptoir.contacts.actions import find_or_create_account
from comptoir.core.actors import SYSTEM
from comptoir.core.models import Role, TicketScope
from comptoir.tickets.queries import ticket_list, visible_tickets
from tests.factories import make_agent, make_contact, make_department, make_group, make_ticket

pytestmark = pytest.mark.django_db

# What a list row shows, as the agent list and the API load it.
ROW_RELATIONS = ("status", "contact", "assignee", "group", "department", "account")


def _fill(count, group, agents, department, account):
    """`count` tickets in `group`, each with its own contact, spread over agents, with tags."""
    for i in range(count):
        contact = make_contact(name=f"Customer {i}", account=account)
        make_ticket(group=group, assignee=agents[i % len(agents)], department=department, contact=contact,
                    tags=[f"tag-{i}", "vip"])


def _read_first_page(user):
    """Evaluate a first page and touch every field a row displays."""
    rows = list(visible_tickets(user).select_related(*ROW_RELATIONS).order_by("-updated_at", "-id")[:100])
    for t in rows:
        (t.number, t.subject, t.status.name, str(t.contact), t.assignee and t.assignee.name,
         t.group and t.group.name, t.department and t.department.name, t.account and t.account.name)
    return rows


def _read_ticket_list(user):
    rows = list(ticket_list(user, status_category__in=["new", "open"]).order_by("-updated_at")[:100])
    for t in rows:
        (t.status.name, str(t.contact), t.assignee and t.assignee.name, [tag.name for tag in t.tags.all()])
    return rows


def _queries(fn, *args):
    with CaptureQueriesContext(connection) as captured:
        rows = fn(*args)
    return len(captured), len(rows)


@pytest.fixture
def world():
    group = make_group("Mobile")
    agents = [make_agent(groups=[group]) for _ in range(3)]
    return group, agents, make_department("Mobile apps"), find_or_create_account("Acme", actor=SYSTEM)


@pytest.mark.parametrize(
    ("role", "scope"),
    [(Role.ADMIN, TicketScope.ALL), (Role.AGENT, TicketScope.GROUPS), (Role.SUPERVISOR, TicketScope.GROUPS)],
)
@pytest.mark.parametrize("reader", [_read_first_page, _read_ticket_list], ids=["visible_tickets", "ticket_list"])
def test_first_page_runs_the_same_queries_for_5_and_50_tickets(world, role, scope, reader, django_assert_max_num_queries):
    group, agents, department, account = world
    viewer = make_agent(role, scope, groups=[group])
    _fill(5, group, agents, department, account)
    few, few_rows = _queries(reader, type(viewer).objects.get(pk=viewer.pk))
    _fill(45, group, agents, department, account)
    many, many_rows = _queries(reader, type(viewer).objects.get(pk=viewer.pk))
    assert (few_rows, many_rows) == (5, 50)
    assert few == many
    fresh = type(viewer).objects.get(pk=viewer.pk)
    with django_assert_max_num_queries(3):  # group ids, the page, and tags when prefetched
        reader(fresh)


def test_contact_first_page_runs_the_same_queries_for_5_and_50_tickets(django_assert_max_num_queries):
    customer = make_contact("lena@example.test")
    for _ in range(5):
        make_ticket(contact=customer)
    few, _rows = _queries(_read_first_page, customer)
    for _ in range(45):
        make_ticket(contact=customer)
    many, rows = _queries(_read_first_page, customer)
    assert (rows, few) == (50, many)
    with django_assert_max_num_queries(1):
        _read_first_page(customer)


def _list_page(client, agent):
    client.force_login(agent)
    client.get(reverse("agent:tickets"))  # warm per-process caches (content types, statuses)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("agent:tickets") + "?per_page=100")
    assert response.status_code == 200
    return len(captured), len(response.context["rows"])


@pytest.mark.parametrize(("role", "scope"), [(Role.ADMIN, TicketScope.ALL), (Role.AGENT, TicketScope.GROUPS)])
def test_agent_ticket_list_page_runs_the_same_queries_for_5_and_50_tickets(
    client, world, role, scope, django_assert_max_num_queries
):
    group, agents, department, account = world
    viewer = make_agent(role, scope, groups=[group])
    _fill(5, group, agents, department, account)
    few, few_rows = _list_page(client, viewer)
    _fill(45, group, agents, department, account)
    many, many_rows = _list_page(client, viewer)
    assert (few_rows, many_rows) == (5, 50)
    assert few == many
    with django_assert_max_num_queries(few):
        client.get(reverse("agent:tickets") + "?per_page=100")

"""Every list endpoint runs the same number of SQL queries for a page of 2 and a page of 20."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comptoir.api.models import WebhookDelivery, WebhookSubscription
from comptoir.api.tokens import issue_token
from comptoir.contacts.models import Account, AccountDomain, Product
from comptoir.core.actors import SYSTEM
from comptoir.core.models import Department, Group
from comptoir.tickets import actions
from comptoir.tickets.models import CustomFieldDefinition, Status, Tag
from tests.factories import make_agent, make_contact, make_ticket

pytestmark = pytest.mark.django_db

N = 22


@pytest.fixture
def crowded(team):
    """N of everything, each with the related rows its list shows."""
    ticket = make_ticket(group=team.group, contact=team.members["contact"], tags=["a", "b"])
    hook = WebhookSubscription.objects.create(url="http://127.0.0.1:9/", events=["ticket.created"], secret="s")
    with time_machine.travel(timezone.now() - timedelta(minutes=5)):
        for i in range(N):
            make_ticket(tags=[f"t{i}", "common"], contact=make_contact(), group=team.group)
            actions.update_ticket(ticket, {"priority": ["low", "high"][i % 2]}, actor=SYSTEM, via="system")
            actions.add_reply(ticket, actor=team.members["agent"], via="web", body_text=f"Reply {i}")
            account = Account.objects.create(name=f"Account {i}")
            AccountDomain.objects.create(account=account, domain=f"a{i}.test")
            Product.objects.create(name=f"Product {i}")
            make_agent(groups=[team.group])
            Group.objects.create(name=f"Group {i}").members.add(team.members["agent"])
            Department.objects.create(name=f"Dept {i}", slug=f"d{i}").addresses.create(email=f"d{i}@support.test")
            Status.objects.create(name=f"Status {i}", category="open")
            Tag.objects.get_or_create(name=f"extra-{i}")
            CustomFieldDefinition.objects.create(key=f"f{i}", label=f"F {i}", kind="text")
            issue_token(team.members["admin"], f"t{i}")
            WebhookSubscription.objects.create(url=f"http://127.0.0.1:9/{i}", events=["ticket.created"], secret="s")
            WebhookDelivery.objects.create(subscription=hook, event_id=str(i), event="ticket.created", body="{}")
    return ticket, hook


LISTS = [
    "/tickets", "/tickets/{ticket}/messages", "/tickets/{ticket}/events", "/contacts", "/accounts", "/products",
    "/agents", "/groups", "/departments", "/statuses", "/tags", "/custom-fields", "/tokens", "/webhooks",
    "/webhooks/{hook}/deliveries",
]


def _count(api, url, token):
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url, token)
    assert response.status_code == 200, response.content
    return len(queries), len(response.json()["results"])


@pytest.mark.parametrize("path", LISTS)
def test_a_list_costs_the_same_queries_whatever_the_page_size(api, team, crowded, path):
    ticket, hook = crowded
    url = path.format(ticket=ticket.pk, hook=hook.pk)
    token = team.token("admin")
    api.get(url + "?limit=1", token)  # per-process caches (default statuses...) warm up first
    small_queries, small_rows = _count(api, url + "?limit=2", token)
    big_queries, big_rows = _count(api, url + "?limit=20", token)
    assert (small_rows, big_rows) == (2, 20)
    assert big_queries == small_queries


def test_the_export_costs_the_same_queries_whatever_the_page_size(api, team, crowded):
    token = team.token("admin")
    api.get("/export/tickets?limit=1", token)  # the token's first use records last_used_at
    small_queries, small_rows = _count_export(api, "/export/tickets?limit=2", token)
    big_queries, big_rows = _count_export(api, "/export/tickets?limit=20", token)
    assert (small_rows, big_rows) == (2, 20)
    assert big_queries == small_queries


def _count_export(api, url, token):
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url, token)
    return len(queries), len(response.json()["results"])

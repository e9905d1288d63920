"""Agent lists of unnamed senders: as many queries for 50 rows as for 5.

Email senders often give no name; such a contact is shown by its address,
which once cost one query per row (Contact.__str__ read its identities).
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comptoir.core.models import Role
from tests.factories import make_agent, make_contact, make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()
    yield
    cache.clear()


def _page_queries(client, url):
    client.get(url)  # warm per-process caches (content types, statuses, counts)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def _unnamed_tickets(agent, count, start):
    for i in range(start, start + count):
        make_ticket(assignee=agent, contact=make_contact(email=f"sender{i}@client.test", name=""))


def test_ticket_list_of_unnamed_senders_costs_the_same_for_5_and_50_rows(client, django_assert_max_num_queries):
    agent = make_agent(role=Role.ADMIN)
    client.force_login(agent)
    url = reverse("agent:tickets") + "?per_page=100"
    _unnamed_tickets(agent, 5, 0)
    few, _page = _page_queries(client, url)
    _unnamed_tickets(agent, 45, 5)
    many, page = _page_queries(client, url)
    assert "sender49@client.test" in page  # the row shows the address in place of a name
    assert many == few
    with django_assert_max_num_queries(12):
        client.get(url)


def test_contact_list_of_unnamed_contacts_costs_the_same_for_5_and_50_contacts(client, django_assert_max_num_queries):
    client.force_login(make_agent())
    url = reverse("agent:contacts")
    for i in range(5):
        make_contact(email=f"sender{i}@client.test", name="")
    few, _page = _page_queries(client, url)
    for i in range(5, 50):
        make_contact(email=f"sender{i}@client.test", name="")
    many, page = _page_queries(client, url)
    assert "sender24@client.test" in page  # a full page of 25, shown by address
    assert many == few
    with django_assert_max_num_queries(few):
        client.get(url)

"""API lists of unnamed senders and long threads: as many queries for 50 rows as for 5.

A customer who mailed without a name is named by their address in every
payload; that once cost one query per row (Contact.__str__ read identities).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_contact, make_thread, make_ticket

pytestmark = pytest.mark.django_db


def _count(api, url, token):
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url, token)
    assert response.status_code == 200, response.content
    return len(queries), response.json()["results"]


def _unnamed_tickets(team, count, start):
    for i in range(start, start + count):
        make_ticket(group=team.group, contact=make_contact(email=f"sender{i}@client.test", name=""))


def test_ticket_list_of_unnamed_senders_costs_the_same_for_5_and_50_rows(api, team, django_assert_max_num_queries):
    token = team.token("admin")
    _unnamed_tickets(team, 5, 0)
    api.get("/tickets?limit=1", token)  # per-process caches warm up first
    few, few_rows = _count(api, "/tickets?limit=50", token)
    _unnamed_tickets(team, 45, 5)
    many, many_rows = _count(api, "/tickets?limit=50", token)
    assert (len(few_rows), len(many_rows)) == (5, 50)
    assert {row["contact"]["email"] for row in many_rows} == {f"sender{i}@client.test" for i in range(50)}
    assert many == few
    with django_assert_max_num_queries(few):
        api.get("/tickets?limit=50", token)


@pytest.mark.parametrize("reader", ["agent", "contact"])
def test_a_long_thread_from_an_unnamed_sender_lists_in_constant_queries(api, team, reader, django_assert_max_num_queries):
    sender = make_contact(email="no.name@client.test", name="")
    ticket = make_thread(make_ticket(group=team.group, contact=sender), length=70, agent=team.members["agent"])
    token = team.token("agent") if reader == "agent" else _token_of(sender)
    url = f"/tickets/{ticket.pk}/messages"
    api.get(url + "?limit=1", token)
    few, few_rows = _count(api, url + "?limit=5", token)
    many, many_rows = _count(api, url + "?limit=50", token)
    assert (len(few_rows), len(many_rows)) == (5, 50)
    customer_authors = {m["author"]["name"] for m in many_rows if m["author"]["kind"] == "contact"}
    assert customer_authors == {"no.name@client.test"}
    assert many == few
    with django_assert_max_num_queries(few):
        api.get(url + "?limit=50", token)


def _token_of(contact):
    from tests.factories import make_token

    return make_token(contact)

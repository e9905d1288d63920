"""The casework tabs of the ticket page: filled in, working, and in a constant number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comptoir.casework import actions
from comptoir.casework.models import RunningTimer, TimeEntry
from comptoir.core.models import Role
from tests.factories import make_agent, make_ticket

pytestmark = pytest.mark.django_db
TABS = ["approval", "resolution", "activities", "time"]


def tab(client, ticket, name, **headers):
    return client.get(reverse("agent:ticket-tab", args=[ticket.number, name]), **headers)


def fill(ticket, agent, boss, count):
    """`count` activities, time entries and decided approvals on the ticket."""
    for i in range(count):
        actions.create_activity(ticket, "task", f"Task {i}", actor=agent, via="web")
        actions.log_time(ticket, 10 + i, actor=agent, via="web", on=dt.date(2026, 1, 1 + i))
        approval = actions.request_approval(ticket, [boss], f"Exception {i}", actor=agent, via="web")
        actions.decide_approval(approval.steps.get(), "approved", actor=boss, via="web")
    actions.save_resolution(ticket, "Reinstalled.", actor=agent, via="web")


@pytest.mark.parametrize("name", TABS)
def test_each_casework_tab_renders_as_a_fragment_and_as_a_page(client, name):
    agent = make_agent()
    ticket = make_ticket(actor=agent)
    client.force_login(agent)
    fragment = tab(client, ticket, name, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and f'data-testid="tab-{name}"'.encode() in fragment.content
    assert b"<html" not in fragment.content and b"Coming soon" not in fragment.content
    page = tab(client, ticket, name)
    assert page.status_code == 200 and b"<html" in page.content and f'data-testid="tab-{name}"'.encode() in page.content


@pytest.mark.parametrize("name", TABS)
def test_casework_tab_query_count_does_not_grow_with_its_content(client, django_assert_max_num_queries, name):
    agent, boss = make_agent(Role.ADMIN), make_agent(Role.SUPERVISOR)
    small, large = make_ticket(actor=agent), make_ticket(actor=agent)
    fill(small, agent, boss, 1)
    fill(large, agent, boss, 8)
    client.force_login(agent)
    with CaptureQueriesContext(connection) as few:
        assert tab(client, small, name, HTTP_HX_REQUEST="true").status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert tab(client, large, name, HTTP_HX_REQUEST="true").status_code == 200


def test_the_tabs_show_what_was_done(client):
    agent, boss = make_agent(), make_agent(Role.SUPERVISOR, name="Sam Supervisor")
    ticket = make_ticket(actor=agent)
    actions.request_approval(ticket, [boss], "Refund outside the policy", actor=agent, via="web")
    actions.save_resolution(ticket, "Cleared the cache.", actor=agent, via="web")
    actions.create_activity(ticket, "task", "Call the customer back", actor=agent, via="web")
    actions.log_time(ticket, 25, actor=agent, via="web", billable=False)
    client.force_login(agent)
    assert b"Refund outside the policy" in tab(client, ticket, "approval").content
    assert b"Approval: Pending" in tab(client, ticket, "approval").content
    assert b"Cleared the cache." in tab(client, ticket, "resolution").content
    assert b"Call the customer back" in tab(client, ticket, "activities").content
    assert b"25 minutes in all, 0 billable" in tab(client, ticket, "time").content


def test_the_timer_starts_and_stops_from_the_time_tab(client, time_machine):
    start = dt.datetime(2026, 1, 7, 10, 0, tzinfo=dt.UTC)
    time_machine.move_to(start, tick=False)
    agent = make_agent()
    ticket = make_ticket(actor=agent)
    client.force_login(agent)
    tab_url = reverse("agent:ticket-tab", args=[ticket.number, "time"])
    assert b"Start timer" in client.get(tab_url).content
    response = client.post(reverse("casework:timer-start", args=[ticket.pk]), {"next": tab_url})
    assert response.status_code == 302 and response["Location"] == tab_url
    assert RunningTimer.objects.filter(agent=agent, ticket=ticket).exists()
    assert b"Stop timer (running since 10:00)" in client.get(tab_url).content
    time_machine.move_to(start + dt.timedelta(minutes=12), tick=False)
    client.post(reverse("casework:timer-stop"), {"next": tab_url})
    assert TimeEntry.objects.get(ticket=ticket).minutes == 12
    assert b"12 minutes in all, 12 billable" in client.get(tab_url).content


def test_an_activity_is_given_to_a_colleague_from_the_activities_tab(client):
    agent, colleague = make_agent(name="Ana Agent"), make_agent(name="Bo Colleague")
    ticket = make_ticket(actor=agent)
    client.force_login(agent)
    tab_url = reverse("agent:ticket-tab", args=[ticket.number, "activities"])
    assert b"Bo Colleague" in client.get(tab_url).content
    client.post(reverse("casework:activity-create", args=[ticket.pk]),
                {"kind": "task", "subject": "Send the replacement", "owner": colleague.pk, "next": tab_url})
    assert ticket.activities.get().owner == colleague

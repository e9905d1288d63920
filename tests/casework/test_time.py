"""Time tracking: entries, the timer, totals and the billing CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core import mail

from comptoir.casework import actions, queries
from comptoir.casework.models import TimeEntry
from comptoir.contacts.models import Account
from comptoir.core.errors import Conflict, ValidationFailed
from comptoir.core.models import Role, TicketScope
from comptoir.tickets.models import TicketEvent
from tests.factories import make_agent, make_contact, make_group, make_ticket

pytestmark = pytest.mark.django_db
JAN = dt.date(2026, 1, 15)


@pytest.fixture
def acme_ticket():
    acme = Account.objects.create(name="Acme")
    return make_ticket(contact=make_contact(account=acme), subject="Printer offline")


def test_logging_time_writes_history(acme_ticket):
    agent = make_agent()
    entry = actions.log_time(acme_ticket, 25, actor=agent, via="web", on=JAN, note="Remote session")
    event = TicketEvent.objects.get(ticket=acme_ticket, kind="time_logged")
    assert event.data["minutes"] == 25 and event.data["entry_id"] == entry.pk


@pytest.mark.parametrize("minutes", [0, -5, 1441, "abc"])
def test_a_bad_duration_is_refused(acme_ticket, minutes):
    with pytest.raises(ValidationFailed):
        actions.log_time(acme_ticket, minutes, actor=make_agent(), via="web")
    assert TimeEntry.objects.count() == 0


def test_totals_per_ticket_agent_and_account(acme_ticket):
    ana, bob = make_agent(), make_agent()
    other = make_ticket()
    actions.log_time(acme_ticket, 30, actor=ana, via="web", on=JAN)
    actions.log_time(acme_ticket, 15, actor=bob, via="web", on=JAN, billable=False)
    actions.log_time(other, 40, actor=ana, via="web", on=JAN)
    assert queries.ticket_time_total(acme_ticket) == {"minutes": 45, "billable_minutes": 30}
    assert queries.agent_time_total(ana) == {"minutes": 70, "billable_minutes": 70}
    assert queries.account_time_total(acme_ticket.account_id) == {"minutes": 45, "billable_minutes": 30}


def test_the_timer_logs_the_elapsed_minutes(acme_ticket, time_machine):
    agent = make_agent()
    time_machine.move_to(dt.datetime(2026, 1, 15, 10, 0, tzinfo=dt.UTC), tick=False)
    actions.start_timer(acme_ticket, actor=agent, via="web")
    time_machine.move_to(dt.datetime(2026, 1, 15, 10, 17, 30, tzinfo=dt.UTC), tick=False)
    entry = actions.stop_timer(actor=agent, via="web")
    assert (entry.minutes, entry.date, entry.ticket_id) == (18, JAN, acme_ticket.pk)


def test_an_agent_runs_one_timer_at_a_time(acme_ticket):
    agent = make_agent()
    actions.start_timer(acme_ticket, actor=agent, via="web")
    with pytest.raises(Conflict):
        actions.start_timer(make_ticket(), actor=agent, via="web")


def test_the_csv_export_lists_the_period_for_one_account(acme_ticket, client):
    agent = make_agent(email="ana@example.test")
    actions.log_time(acme_ticket, 30, actor=agent, via="web", on=JAN, note="=HYPERLINK(1)")
    actions.log_time(acme_ticket, 10, actor=agent, via="web", on=dt.date(2026, 2, 1))
    actions.log_time(make_ticket(), 99, actor=agent, via="web", on=JAN)
    client.force_login(make_agent(role=Role.SUPERVISOR))
    response = client.get(f"/agent/casework/time/export.csv?from=2026-01-01&to=2026-01-31&account={acme_ticket.account_id}")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1:] == [["2026-01-15", str(acme_ticket.number), "Printer offline", "Acme", "ana@example.test", "30", "yes", "'=HYPERLINK(1)"]]


def test_a_supervisor_restricted_to_groups_exports_only_their_groups_time(client):
    billing, other = make_group("Billing"), make_group("Hardware")
    supervisor = make_agent(role=Role.SUPERVISOR, scope=TicketScope.GROUPS, groups=[billing])
    admin = make_agent(role=Role.ADMIN)
    mine = make_ticket(group=billing, subject="Invoice question")
    actions.log_time(mine, 20, actor=admin, via="web", on=JAN)
    actions.log_time(make_ticket(group=other, subject="Broken screen"), 40, actor=admin, via="web", on=JAN)
    client.force_login(supervisor)
    response = client.get("/agent/casework/time/export.csv?from=2026-01-01&to=2026-01-31")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert [(row[1], row[5]) for row in rows[1:]] == [(str(mine.number), "20")]


def test_the_export_needs_a_period(client):
    client.force_login(make_agent(role=Role.ADMIN))
    assert client.get("/agent/casework/time/export.csv?from=2026-02-01&to=2026-01-01").status_code == 400


def test_the_export_query_count_does_not_grow_with_entries(acme_ticket, django_assert_max_num_queries):
    admin = make_agent(role=Role.ADMIN)
    for _ in range(20):
        actions.log_time(acme_ticket, 5, actor=admin, via="web", on=JAN)
    with django_assert_max_num_queries(2):
        queries.time_export_csv(admin, dt.date(2026, 1, 1), dt.date(2026, 1, 31))


def test_an_entry_can_be_emailed_to_the_contact(acme_ticket, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.log_time(acme_ticket, 45, actor=make_agent(), via="web", email_contact=True)
    assert [m.to for m in mail.outbox] == [[acme_ticket.contact.primary_email]]
    assert "45" in mail.outbox[0].body

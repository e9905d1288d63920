"""The getting-started checklist on the admin home: each step is ticked by the real thing, not before."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from comptoir.agent.actions import create_saved_view
from comptoir.channels.email import actions as email_actions
from comptoir.channels.email.inbound import ingest_raw
from comptoir.core import actions as core_actions
from comptoir.core.actors import SYSTEM
from comptoir.core.models import Role
from comptoir.tickets.models import Ticket
from tests.channels.email.conftest import build_mail
from tests.factories import make_agent, make_department, make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    agent = make_agent(role=Role.ADMIN, name="Sophie Martin")
    client.force_login(agent)
    return agent


def ticked(client) -> dict[str, bool]:
    return {item.key: item.done for item in client.get(reverse("admin_center:home")).context["checklist"]}


def test_a_fresh_helpdesk_has_nothing_ticked(client, admin):
    assert ticked(client) == {"add-agent": False, "connect-email": False, "create-view": False, "test-ticket": False}


def test_the_home_page_lists_the_four_steps(client, admin):
    page = client.get(reverse("admin_center:home")).content.decode()
    for key in ("add-agent", "connect-email", "create-view", "test-ticket"):
        assert f'data-testid="checklist-{key}"' in page


def test_adding_an_agent_ticks_the_first_step(client, admin):
    core_actions.create_agent(email="paul@example.test", name="Paul Durand", actor=admin, via="admin")
    assert ticked(client)["add-agent"] is True


def test_a_deactivated_colleague_does_not_count(client, admin):
    paul = make_agent(name="Paul Durand")
    core_actions.deactivate_agent(paul, actor=admin, via="admin")
    assert ticked(client)["add-agent"] is False


def test_an_active_mailbox_ticks_connect_email(client, admin):
    email_actions.create_mailbox(name="Support", host="imap.acme.test", username="help@acme.test", password="s3cret",
                                 actor=admin, via="admin")
    assert ticked(client)["connect-email"] is True


def test_a_paused_mailbox_does_not_tick_connect_email(client, admin):
    email_actions.create_mailbox(name="Support", host="imap.acme.test", username="help@acme.test", password="s3cret",
                                 active=False, actor=admin, via="admin")
    assert ticked(client)["connect-email"] is False


def test_mail_that_reached_a_support_address_ticks_connect_email(client, admin):
    make_department(name="Acme Support", address="help@acme.test")
    ingest_raw(build_mail(), source="pipe")
    assert ticked(client)["connect-email"] is True


def test_a_saved_view_ticks_create_a_view(client, admin):
    create_saved_view(name="Urgent", conditions={"all": [{"field": "priority", "operator": "is", "value": "urgent"}]},
                      columns=["number", "subject"], actor=admin, via="web")
    assert ticked(client)["create-view"] is True


def test_an_email_ticket_ticks_send_a_test_ticket(client, admin):
    make_department(name="Acme Support", address="help@acme.test")
    ingest_raw(build_mail(), source="pipe")
    assert Ticket.objects.filter(channel="email").exists()
    assert ticked(client)["test-ticket"] is True


def test_a_phone_ticket_is_not_a_test_of_the_customer_channels(client, admin):
    make_ticket(channel="phone", actor=admin, via="web")
    assert ticked(client)["test-ticket"] is False


def test_tickets_from_before_the_setup_do_not_count(client, admin):
    ticket = make_ticket(channel="web")
    Ticket.objects.filter(pk=ticket.pk).update(created_at=admin.date_joined - timedelta(days=30))
    assert ticked(client)["test-ticket"] is False
    make_ticket(channel="web")
    assert ticked(client)["test-ticket"] is True


def test_the_checklist_costs_a_few_queries(client, admin, django_assert_max_num_queries):
    client.get(reverse("admin_center:home"))
    with django_assert_max_num_queries(12):
        client.get(reverse("admin_center:home"))


def test_system_created_agents_count_too(client, admin):
    core_actions.create_agent(email="lea@example.test", name="Léa Petit", actor=SYSTEM, via="command")
    assert ticked(client)["add-agent"] is True

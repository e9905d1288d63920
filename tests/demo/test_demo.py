"""`comptoir demo`: a complete, realistic helpdesk on a small scale, loaded once."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from comptoir.contacts.models import Contact
from comptoir.core.models import Agent, Department, Role, TicketScope
from comptoir.demo.catalog import DEMO_PASSWORD
from comptoir.tickets.models import (
    Attachment,
    Channel,
    Message,
    MessageKind,
    StatusCategory,
    Ticket,
)

pytestmark = pytest.mark.django_db(transaction=False)


def run_demo(tickets: int = 40) -> str:
    out = StringIO()
    call_command("demo", tickets=tickets, stdout=out, skip_checks=True)
    return out.getvalue()


def test_the_demo_staff_covers_every_role_and_ticket_scope():
    run_demo()

    agents = Agent.objects.all()
    assert {a.role for a in agents} == {Role.ADMIN, Role.SUPERVISOR, Role.AGENT, Role.LIGHT_AGENT}
    working = agents.filter(role=Role.AGENT)
    assert {a.ticket_scope for a in working} == {TicketScope.ALL, TicketScope.GROUPS, TicketScope.ASSIGNED}
    assert all(a.check_password(DEMO_PASSWORD) for a in agents)


def test_each_demo_department_has_its_support_address_signature_and_language():
    run_demo()

    mobile = Department.objects.get(slug="mobile-apps")
    assert mobile.primary_address == "support@mobile.comptoir.localhost"
    assert mobile.signature and mobile.default_locale == "fr"
    assert set(Department.objects.values_list("slug", flat=True)) == {"mobile-apps", "finance", "general"}


def test_demo_tickets_span_every_channel_and_status_category():
    run_demo()

    assert Ticket.objects.count() == 40
    assert set(Ticket.objects.values_list("channel", flat=True)) == set(Channel.values)
    assert set(Ticket.objects.values_list("status_category", flat=True)) == set(StatusCategory.values)


def test_demo_customers_speak_english_french_and_dutch():
    run_demo()

    assert set(Contact.objects.values_list("locale", flat=True)) == {"en", "fr", "nl"}
    assert Contact.objects.count() == 200
    assert Message.objects.filter(body_text__contains="Bonjour").exists()
    assert Message.objects.filter(kind=MessageKind.NOTE).exists()
    assert Attachment.objects.exists()


def test_demo_history_lies_in_the_last_ninety_days():
    run_demo()

    now = timezone.now()
    oldest = Ticket.objects.order_by("created_at").first()
    assert oldest.created_at > now - timedelta(days=91)
    assert not Message.objects.filter(created_at__gt=now).exists()
    assert not Ticket.objects.filter(updated_at__gt=now).exists()
    closed = Ticket.objects.filter(status_category=StatusCategory.CLOSED).exclude(merged_into__isnull=False)
    assert all(t.closed_at >= t.solved_at >= t.created_at for t in closed)


def test_loading_the_demo_mails_nobody():
    run_demo()

    assert mail.outbox == []


def test_a_second_run_creates_nothing_and_says_so():
    run_demo()
    counts = (Ticket.objects.count(), Contact.objects.count(), Agent.objects.count())

    output = run_demo()

    assert "already loaded" in output
    assert (Ticket.objects.count(), Contact.objects.count(), Agent.objects.count()) == counts


def test_a_ticket_count_below_one_is_refused_and_loads_nothing():
    with pytest.raises(CommandError, match="at least 1"):
        run_demo(tickets=0)

    assert not Department.objects.exists()

"""`comptoir demo`: a complete, realistic helpdesk on a small scale, loaded once."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from comptoir.contacts.models import Account, Contact
from comptoir.core.models import Agent, Department, Role, TicketScope
from comptoir.demo.catalog import DEMO_PASSWORD
from comptoir.tickets.models import (
    Attachment,
    Channel,
    EventKind,
    Message,
    MessageKind,
    StatusCategory,
    Ticket,
    TicketEvent,
    TicketType,
)

pytestmark = pytest.mark.django_db(transaction=False)


def run_demo(tickets: int = 40) -> str:
    out = StringIO()
    call_command("demo", tickets=tickets, stdout=out, skip_checks=True)
    return out.getvalue()


def test_the_demo_staff_covers_every_role_and_ticket_scope():
    run_demo()

    agents = Agent.objects.all()
    assert Agent.objects.count() == 10
    assert {a.role for a in agents} == set(Role.values)
    assert not agents.filter(support_groups=None).exists()  # every one works in a group
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


def test_a_larger_demo_fills_every_account_copies_colleagues_dates_tasks_and_archives_old_tickets():
    run_demo(tickets=300)

    assert Account.objects.count() == 40
    assert not Account.objects.filter(contacts=None).exists()
    assert Ticket.objects.filter(account__isnull=False).exists()
    copied = Ticket.objects.filter(cc_contacts__isnull=False).select_related("contact").first()
    assert copied is not None and copied.channel == Channel.EMAIL
    assert all(c.account_id == copied.contact.account_id for c in copied.cc_contacts.all())
    tasks = Ticket.objects.filter(type=TicketType.TASK, merged_into=None, follow_up_of=None)
    assert tasks.exists() and not tasks.filter(due_at=None).exists()
    assert all(t.due_at > t.created_at for t in tasks)
    archived = Ticket.objects.filter(archived_at__isnull=False)
    assert archived.exists()
    assert set(archived.values_list("status_category", flat=True)) == {StatusCategory.CLOSED}
    assert TicketEvent.objects.filter(kind=EventKind.ARCHIVED, ticket__in=archived).count() == archived.count()

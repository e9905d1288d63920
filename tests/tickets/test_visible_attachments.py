"""queries.visible_attachments(): the one rule for which files a person may list or download."""

from __future__ import annotations

import pytest

from comptoir.contacts.actions import create_account, update_contact
from comptoir.core.actors import SYSTEM
from comptoir.core.models import Role, TicketScope
from comptoir.tickets import actions
from comptoir.tickets.attachments import IncomingFile
from comptoir.tickets.queries import visible_attachments
from tests.factories import make_agent, make_contact, make_group, make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    """A mobile-apps ticket with the customer's screenshot and an agent's internal log file."""
    group = make_group("Mobile")
    agent = make_agent(scope=TicketScope.GROUPS, groups=[group])
    acme = create_account(actor=SYSTEM, via="test", name="Acme")
    customer = make_contact("lena@acme.test", name="Lena", account=acme)
    ticket = make_ticket(contact=customer, group=group,
                         attachments=[IncomingFile("screenshot.png", b"\x89PNG\r\n\x1a\nfake", "image/png")])
    note = actions.add_internal_note(ticket, actor=agent, via="web", body_text="Server log attached",
                                     attachments=[IncomingFile("server.log", b"internal only")])
    screenshot = ticket.attachments.get(name="screenshot.png")
    return {"group": group, "agent": agent, "customer": customer, "ticket": ticket, "acme": acme,
            "screenshot": screenshot, "log": note.attachments.get()}


def _names(user):
    return sorted(visible_attachments(user).values_list("name", flat=True))


def test_an_agent_of_the_group_sees_the_customers_file_and_the_internal_note_file(case):
    assert _names(case["agent"]) == ["screenshot.png", "server.log"]


def test_the_customer_sees_only_the_file_of_the_public_message(case):
    assert _names(case["customer"]) == ["screenshot.png"]


def test_a_colleague_who_sees_the_accounts_tickets_never_gets_the_note_file(case):
    colleague = make_contact("jan@acme.test", name="Jan", account=case["acme"])
    update_contact(colleague, {"can_view_account_tickets": True}, actor=make_agent(role=Role.ADMIN), via="web")
    assert _names(colleague) == ["screenshot.png"]


def test_a_colleague_without_account_visibility_sees_nothing(case):
    assert _names(make_contact("piet@acme.test", name="Piet", account=case["acme"])) == []


def test_an_agent_outside_the_group_sees_no_file_of_the_ticket(case):
    outsider = make_agent(scope=TicketScope.GROUPS, groups=[make_group("Billing")])
    assert _names(outsider) == []


def test_a_deactivated_agent_sees_nothing(case):
    case["agent"].is_active = False
    case["agent"].save(update_fields=["is_active"])
    assert _names(case["agent"]) == []


def test_an_admin_sees_every_file(case):
    assert _names(make_agent(role=Role.ADMIN)) == ["screenshot.png", "server.log"]


def test_files_of_an_archived_ticket_stay_reachable_as_the_ticket_does(case):
    from django.utils import timezone

    from comptoir.tickets.models import Ticket

    Ticket.objects.filter(pk=case["ticket"].pk).update(archived_at=timezone.now())
    assert _names(case["customer"]) == ["screenshot.png"]

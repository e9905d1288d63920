"""merge_contacts leaves no trace of the duplicate: tickets, CCs, identities and accounts follow."""

from __future__ import annotations

import pytest

from comptoir.contacts.actions import find_or_create_account
from comptoir.core.actors import SYSTEM
from comptoir.core.models import Role
from comptoir.tickets import actions
from comptoir.tickets.models import EventKind, Ticket
from comptoir.tickets.queries import visible_tickets
from tests.factories import make_agent, make_contact, make_ticket

pytestmark = pytest.mark.django_db


def test_the_duplicate_copied_on_a_ticket_is_replaced_by_the_kept_contact():
    admin = make_agent(role=Role.ADMIN)
    kept = make_contact("omar@example.test", name="Omar")
    duplicate = make_contact("omar.b@example.test", name="Omar B.")
    customer = make_contact("lena@example.test", name="Lena")
    ticket = make_ticket(contact=customer, cc=[duplicate])

    actions.merge_contacts(duplicate, kept, actor=admin, via="web")

    assert list(ticket.cc_contacts.all()) == [kept]
    event = ticket.events.get(kind=EventKind.FIELD_CHANGED, field="cc_contacts")
    assert (event.old_value, event.new_value, event.actor_kind) == ("Omar B.", "Omar", "agent")
    assert event.data == {"reason": "contacts_merged"}


def test_the_kept_contact_is_not_copied_on_their_own_ticket():
    admin = make_agent(role=Role.ADMIN)
    kept = make_contact("omar@example.test", name="Omar")
    duplicate = make_contact("omar.b@example.test", name="Omar B.")
    # The duplicate opened a ticket and copied the kept address on it.
    ticket = make_ticket(contact=duplicate, cc=[kept])

    actions.merge_contacts(duplicate, kept, actor=admin, via="web")

    ticket.refresh_from_db()
    assert ticket.contact == kept
    assert list(ticket.cc_contacts.all()) == []


def test_moved_tickets_follow_the_kept_contacts_account():
    admin = make_agent(role=Role.ADMIN)
    acme, globex = find_or_create_account("Acme", actor=SYSTEM), find_or_create_account("Globex", actor=SYSTEM)
    kept = make_contact("omar@acme.test", name="Omar", account=acme)
    duplicate = make_contact("omar@globex.test", name="Omar B.", account=globex)
    ticket = make_ticket(contact=duplicate)
    assert ticket.account == globex

    actions.merge_contacts(duplicate, kept, actor=admin, via="web")

    assert Ticket.objects.get(pk=ticket.pk).account == acme
    event = ticket.events.get(kind=EventKind.FIELD_CHANGED, field="account")
    assert (event.old_value, event.new_value) == ("Globex", "Acme")
    colleague = make_contact("boss@acme.test", account=acme)
    colleague.can_view_account_tickets = True
    assert visible_tickets(colleague).filter(pk=ticket.pk).exists()


def test_a_kept_contact_without_account_takes_the_duplicates_and_tickets_keep_it():
    admin = make_agent(role=Role.ADMIN)
    globex = find_or_create_account("Globex", actor=SYSTEM)
    kept = make_contact("omar@example.test", name="Omar")
    duplicate = make_contact("omar@globex.test", name="Omar B.", account=globex)
    ticket = make_ticket(contact=duplicate)

    actions.merge_contacts(duplicate, kept, actor=admin, via="web")

    kept.refresh_from_db()
    assert kept.account == globex
    assert Ticket.objects.get(pk=ticket.pk).account == globex
    assert not ticket.events.filter(field="account").exists()

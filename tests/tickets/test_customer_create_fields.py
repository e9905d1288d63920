"""Which fields a customer may set when opening a ticket is create_ticket's rule, whatever the edge."""

from __future__ import annotations

import pytest

from comptoir.core.actors import SYSTEM
from comptoir.core.errors import ValidationFailed
from comptoir.tickets import actions
from comptoir.tickets.models import CustomFieldDefinition, Priority, Ticket
from tests.factories import make_contact, make_department, make_group, make_ticket

pytestmark = pytest.mark.django_db


def test_a_customer_cannot_make_their_own_ticket_urgent():
    customer = make_contact("lena@example.test")

    with pytest.raises(ValidationFailed) as refused:
        actions.create_ticket(actor=customer, via="portal", subject="Help", priority="urgent", tags=["vip"])

    assert refused.value.fields == {"priority": "not_allowed", "tags": "not_allowed"}
    assert not Ticket.objects.exists()


def test_a_customer_cannot_open_a_ticket_for_someone_else():
    customer, other = make_contact("lena@example.test"), make_contact("jan@example.test")

    with pytest.raises(ValidationFailed) as refused:
        actions.create_ticket(actor=customer, via="portal", subject="Help", contact=other)

    assert refused.value.fields == {"contact": "not_allowed"}


def test_a_customer_fills_only_the_fields_marked_editable_by_customers():
    CustomFieldDefinition.objects.create(key="app_version", label="App version", kind="text",
                                         visible_to_customers=True, editable_by_customers=True)
    CustomFieldDefinition.objects.create(key="internal_score", label="Score", kind="number")
    customer = make_contact("lena@example.test")

    with pytest.raises(ValidationFailed) as refused:
        actions.create_ticket(actor=customer, via="portal", subject="Help",
                              custom_fields={"app_version": "4.2", "internal_score": 9})
    ticket = actions.create_ticket(actor=customer, via="portal", subject="Help", custom_fields={"app_version": "4.2"})

    assert refused.value.fields == {"internal_score": "not_allowed"}
    assert ticket.custom_fields == {"app_version": "4.2"}
    assert (ticket.priority, ticket.type) == (Priority.NORMAL, "question")


def test_the_channel_still_routes_a_customers_mail_to_its_department():
    support = make_department("Support")
    customer = make_contact("lena@example.test")

    ticket = actions.create_ticket(actor=customer, via="email", channel="email", subject="Help", department=support)

    assert ticket.department == support


def test_a_follow_up_keeps_the_closed_tickets_priority_and_group():
    group = make_group("Billing")
    customer = make_contact("lena@example.test")
    closed = make_ticket(status="closed", contact=customer, priority="high", group=group)

    message = actions.receive_customer_message(closed, contact=customer, via="email", body_text="It broke again.")

    follow_up = message.ticket
    assert follow_up.follow_up_of_id == closed.pk
    assert (follow_up.priority, follow_up.group) == (Priority.HIGH, group)


def test_an_integration_acting_as_the_system_sets_every_field():
    ticket = actions.create_ticket(actor=SYSTEM, via="api", subject="Imported", contact=make_contact(),
                                   priority="urgent", tags=["imported"])

    assert ticket.priority == Priority.URGENT

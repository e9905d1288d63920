"""create_ticket through its public function: who the contact is, who owns it, what history says."""

from __future__ import annotations

import pytest

from comptoir.contacts.models import Account, Contact, ContactIdentity, Product
from comptoir.core.actors import SYSTEM
from comptoir.core.errors import ValidationFailed
from comptoir.core.models import Role, TicketScope
from comptoir.core.permissions import PermissionDenied
from comptoir.tickets import actions
from comptoir.tickets.attachments import IncomingFile
from comptoir.tickets.models import Attachment, EventKind, Message, Priority, Ticket
from tests.factories import capture_events, make_agent, make_contact, make_group

pytestmark = pytest.mark.django_db


# --- who the customer is --------------------------------------------------------------------


def test_known_email_finds_the_existing_contact():
    lena = make_contact("lena@example.test", name="Lena")
    ticket = actions.create_ticket(actor=SYSTEM, via="email", subject="Refund", contact_email="  LENA@Example.test ")
    assert ticket.contact == lena
    assert Contact.objects.count() == 1


def test_known_phone_finds_the_existing_contact_whatever_the_formatting():
    first = actions.create_ticket(actor=SYSTEM, via="phone", subject="Call 1", contact_phone="+32 470 12 34 56")
    second = actions.create_ticket(actor=SYSTEM, via="phone", subject="Call 2", contact_phone="0032 470/12.34.56")
    assert second.contact == first.contact
    assert Contact.objects.count() == 1


def test_unknown_email_creates_a_contact_with_that_identity():
    ticket = actions.create_ticket(actor=SYSTEM, via="web", subject="Hello", contact_email="new@example.test",
                                   contact_name="Noor Jansen", contact_locale="nl")
    contact = ticket.contact
    assert contact.name == "Noor Jansen"
    assert contact.locale == "nl"
    assert contact.primary_email == "new@example.test"


def test_a_second_channel_adds_an_identity_instead_of_a_duplicate_contact():
    by_mail = actions.create_ticket(actor=SYSTEM, via="email", subject="Mail", contact_email="omar@example.test")
    by_phone = actions.create_ticket(actor=SYSTEM, via="phone", subject="Call", contact_email="omar@example.test",
                                     contact_phone="+33 6 12 34 56 78")
    assert by_phone.contact == by_mail.contact
    assert Contact.objects.count() == 1
    assert set(ContactIdentity.objects.values_list("kind", "value")) == {
        ("email", "omar@example.test"), ("phone", "+33612345678"),
    }
    # And now the phone alone finds the same person.
    third = actions.create_ticket(actor=SYSTEM, via="phone", subject="Again", contact_phone="+33612345678")
    assert third.contact == by_mail.contact


def test_unknown_account_and_product_given_by_name_are_created_once():
    first = actions.create_ticket(actor=SYSTEM, via="web", subject="A", contact_email="a@acme.test",
                                  account_name="Acme", product_name="Mobile app")
    second = actions.create_ticket(actor=SYSTEM, via="web", subject="B", contact_email="b@acme.test",
                                   account_name="Acme", product_name="Mobile app")
    assert first.account.name == "Acme" and first.product.name == "Mobile app"
    assert second.account == first.account and second.product == first.product
    assert Account.objects.count() == 1 and Product.objects.count() == 1
    assert first.contact.account == first.account


# --- who owns it ----------------------------------------------------------------------------


def test_agent_creator_becomes_the_assignee_and_the_ticket_opens():
    agent = make_agent()
    ticket = actions.create_ticket(actor=agent, via="phone", subject="Called", contact_phone="+32470000000")
    assert ticket.assignee == agent
    assert ticket.status_category == "open"


def test_system_created_ticket_is_new_and_unassigned():
    ticket = actions.create_ticket(actor=SYSTEM, via="email", subject="Mail in", contact_email="x@example.test")
    assert ticket.assignee is None
    assert ticket.status_category == "new"


def test_a_given_assignee_wins_over_the_creator():
    admin = make_agent(role=Role.ADMIN)
    colleague = make_agent()
    ticket = actions.create_ticket(actor=admin, via="web", subject="For you", contact_email="c@example.test",
                                   assignee=colleague)
    assert ticket.assignee == colleague


def test_assignee_none_leaves_an_agents_ticket_unassigned():
    agent = make_agent()
    ticket = actions.create_ticket(actor=agent, via="web", subject="Queue it", contact_email="c@example.test",
                                   assignee=None)
    assert ticket.assignee is None
    assert ticket.status_category == "new"


def test_agent_cannot_create_a_ticket_assigned_outside_their_groups():
    group = make_group()
    agent = make_agent(scope=TicketScope.GROUPS, groups=[group])
    stranger = make_agent()
    with pytest.raises(ValidationFailed) as err:
        actions.create_ticket(actor=agent, via="web", subject="Nope", contact_email="c@example.test",
                              assignee=stranger, group=group)
    assert err.value.fields == {"assignee": "forbidden"}
    assert not Ticket.objects.exists()


def test_light_agent_cannot_create_tickets():
    light = make_agent(role=Role.LIGHT_AGENT)
    with pytest.raises(PermissionDenied):
        actions.create_ticket(actor=light, via="web", subject="Nope", contact_email="c@example.test")


# --- what it writes -------------------------------------------------------------------------


def test_agent_created_ticket_writes_one_created_entry_naming_the_agent():
    agent = make_agent(name="Marie Dupont")
    ticket = actions.create_ticket(actor=agent, via="phone", subject="Called", contact_phone="+32470000001",
                                   tags=["VIP"], priority="high", type="incident")
    event = ticket.events.get()
    assert event.kind == EventKind.CREATED
    assert (event.actor_kind, event.actor_agent, event.actor_contact) == ("agent", agent, None)
    assert event.actor_label == "Marie Dupont"
    assert event.via == "phone"
    assert event.data["channel"] == "phone"
    assert event.data["status"] == "Open"
    message = Message.objects.get(ticket=ticket)
    assert event.data["message_id"] == message.pk
    assert (ticket.priority, ticket.type, ticket.channel) == (Priority.HIGH, "incident", "phone")
    assert list(ticket.tags.values_list("name", flat=True)) == ["vip"]


def test_contact_created_ticket_records_the_contact_as_actor_and_author():
    contact = make_contact("sam@example.test")
    ticket = actions.create_ticket(actor=contact, via="portal", subject="From the portal", description="Hi")
    event = ticket.events.get()
    assert (event.kind, event.actor_kind, event.actor_contact, event.actor_agent) == ("created", "contact", contact, None)
    message = ticket.messages.get()
    assert (message.kind, message.author_kind, message.author_contact, message.body_text) == ("reply", "contact", contact, "Hi")
    assert ticket.contact == contact


def test_system_created_ticket_records_the_system_as_actor():
    ticket = actions.create_ticket(actor=SYSTEM, via="email", subject="Mail", contact_email="m@example.test")
    event = ticket.events.get()
    assert (event.actor_kind, event.actor_agent, event.actor_contact, event.actor_label) == ("system", None, None, "system")


def test_ticket_numbers_are_sequential():
    first = actions.create_ticket(actor=SYSTEM, via="web", subject="1", contact_email="n@example.test")
    second = actions.create_ticket(actor=SYSTEM, via="web", subject="2", contact_email="n@example.test")
    assert second.number == first.number + 1
    assert second.reference == f"#{second.number}"


def test_ticket_created_event_is_emitted_after_commit(django_capture_on_commit_callbacks):
    agent = make_agent()
    with capture_events("ticket.created") as seen:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            ticket = actions.create_ticket(actor=agent, via="web", subject="Hooked", contact_email="h@example.test")
        assert seen == []  # nothing before commit
        for callback in callbacks:
            callback()
    assert len(seen) == 1
    event = seen[0]
    assert (event.ticket_id, event.actor_kind, event.actor_id) == (ticket.pk, "agent", agent.pk)
    assert event.data["message_id"] == ticket.messages.get().pk
    assert event.data["send_confirmation"] is True


def test_no_event_when_creation_fails(django_capture_on_commit_callbacks):
    with (
        capture_events("ticket.created") as seen,
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationFailed),
    ):
        actions.create_ticket(actor=SYSTEM, via="web", subject="", contact_email="h@example.test")
    assert seen == []


# --- what it refuses ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"subject": "   "}, "subject"),
        ({"priority": "critical"}, "priority"),
        ({"priority": 9}, "priority"),
        ({"channel": "pigeon"}, "channel"),
        ({"type": "rant"}, "type"),
    ],
)
def test_invalid_input_is_refused_and_nothing_is_written(changes, field):
    arguments = {"subject": "Valid", "contact_email": "v@example.test", **changes}
    with pytest.raises(ValidationFailed) as err:
        actions.create_ticket(actor=SYSTEM, via="web", **arguments)
    assert field in err.value.fields
    assert not Ticket.objects.exists()
    assert not Contact.objects.exists()


def test_contact_without_email_or_phone_is_refused():
    with pytest.raises(ValidationFailed) as err:
        actions.create_ticket(actor=SYSTEM, via="web", subject="Who am I")
    assert err.value.fields == {"contact": "required"}
    assert not Ticket.objects.exists()


def test_attachment_over_the_size_limit_is_refused_with_a_clear_error_and_nothing_written(settings):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    big = IncomingFile(name="screenshot.png", content=b"x" * (1024 * 1024 + 1))
    small = IncomingFile(name="log.txt", content=b"ok")
    with pytest.raises(ValidationFailed) as err:
        actions.create_ticket(actor=SYSTEM, via="web", subject="Files", contact_email="f@example.test",
                              attachments=[small, big])
    assert err.value.fields == {"attachments": "too_large"}
    assert "screenshot.png" in err.value.message
    assert "1.0 MB" in err.value.message
    assert not Ticket.objects.exists()
    assert not Attachment.objects.exists()
    assert not Contact.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_attachments_within_the_limit_are_stored_on_the_first_message():
    ticket = actions.create_ticket(actor=SYSTEM, via="web", subject="Files", contact_email="f@example.test",
                                   attachments=[IncomingFile(name="log.txt", content=b"line 1\n")])
    attachment = ticket.attachments.get()
    assert attachment.message == ticket.messages.get()
    assert attachment.name == "log.txt" and attachment.size == 7


def test_a_deactivated_agent_cannot_be_given_a_new_ticket():
    admin = make_agent(role=Role.ADMIN)
    gone = make_agent(is_active=False)
    with pytest.raises(ValidationFailed) as err:
        actions.create_ticket(actor=admin, via="web", subject="For nobody", contact_email="c@example.test",
                              assignee=gone)
    assert err.value.fields == {"assignee": "inactive"}

"""merge_tickets, split_message_into_ticket and merge_contacts: what moves, what each side records."""

from __future__ import annotations

import pytest

from comptoir.contacts.actions import find_contact, find_or_create_contact
from comptoir.contacts.models import Contact
from comptoir.core.errors import ValidationFailed
from comptoir.core.models import Role
from comptoir.core.permissions import PermissionDenied
from comptoir.tickets import actions
from comptoir.tickets.attachments import IncomingFile
from comptoir.tickets.models import EventKind, Message, Ticket
from tests.factories import make_agent, make_contact, make_ticket

pytestmark = pytest.mark.django_db


# --- merge_tickets --------------------------------------------------------------------------


@pytest.fixture
def duplicate_pair():
    """The same customer wrote twice; a colleague follows the duplicate and a manager is in CC."""
    agent = make_agent(role=Role.ADMIN, name="Marie")
    follower = make_agent(name="Jan")
    customer = make_contact("lena@example.test", name="Lena")
    manager = make_contact("boss@example.test", name="Boss")
    target = make_ticket(contact=customer, subject="App crashes", status="open")
    source = make_ticket(contact=customer, subject="App still crashes", tags=["android"],
                         attachments=[IncomingFile(name="log.txt", content=b"trace")])
    actions.add_internal_note(source, actor=agent, via="web", body_text="Jan, see this", mentions=[follower])
    actions.receive_customer_message(source, contact=customer, via="email", body_text="Any news?", cc=[manager])
    return agent, follower, manager, source, target


def test_merge_moves_messages_followers_ccs_tags_and_files(duplicate_pair):
    agent, follower, manager, source, target = duplicate_pair
    source_messages = set(source.messages.values_list("pk", flat=True))

    result = actions.merge_tickets(source, target, actor=agent, via="web")

    assert result == target
    assert source_messages <= set(target.messages.values_list("pk", flat=True))
    assert not Message.objects.filter(ticket=source).exists()
    assert follower in target.followers.all()
    assert manager in target.cc_contacts.all()
    assert "android" in set(target.tags.values_list("name", flat=True))
    assert target.attachments.filter(name="log.txt").exists()
    system = target.messages.filter(kind="system").get()
    assert f"#{source.number}" in system.body_text


def test_merge_closes_and_links_the_source_with_history_on_both(duplicate_pair):
    agent, _follower, _manager, source, target = duplicate_pair
    moved = source.messages.count()

    actions.merge_tickets(source, target, actor=agent, via="web")

    source.refresh_from_db()
    assert source.status_category == "closed"
    assert source.merged_into == target
    into = source.events.get(kind=EventKind.MERGED_INTO)
    assert (into.actor_kind, into.actor_agent) == ("agent", agent)
    assert into.new_value == {"id": target.pk, "number": target.number}
    assert into.data == {"messages_moved": moved}
    closed = source.events.filter(kind=EventKind.FIELD_CHANGED, field="status").last()
    assert (closed.old_value, closed.new_value, closed.data) == ("New", "Closed", {"reason": "merged"})
    came = target.events.get(kind=EventKind.MERGED_FROM)
    assert came.old_value == {"id": source.pk, "number": source.number}
    assert came.actor_agent == agent


def test_customer_reply_on_a_merged_ticket_lands_on_the_target(duplicate_pair):
    agent, _follower, _manager, source, target = duplicate_pair
    actions.merge_tickets(source, target, actor=agent, via="web")
    customer = source.contact
    message = actions.receive_customer_message(Ticket.objects.get(pk=source.pk), contact=customer, via="email",
                                               body_text="Thanks!")
    assert message.ticket_id == target.pk


def test_merge_of_different_customers_copies_the_source_contact():
    agent = make_agent(role=Role.ADMIN)
    other_customer = make_contact("piet@example.test", name="Piet")
    source = make_ticket(contact=other_customer)
    target = make_ticket()
    actions.merge_tickets(source, target, actor=agent, via="web")
    assert other_customer in target.cc_contacts.all()


def test_merge_into_itself_or_into_a_closed_ticket_is_refused():
    agent = make_agent(role=Role.ADMIN)
    ticket = make_ticket()
    with pytest.raises(ValidationFailed):
        actions.merge_tickets(ticket, ticket, actor=agent, via="web")
    closed = make_ticket(status="closed")
    with pytest.raises(ValidationFailed):
        actions.merge_tickets(ticket, closed, actor=agent, via="web")
    assert not ticket.events.filter(kind=EventKind.MERGED_INTO).exists()


def test_a_merged_ticket_cannot_be_merged_again():
    agent = make_agent(role=Role.ADMIN)
    source, first, second = make_ticket(), make_ticket(), make_ticket()
    actions.merge_tickets(source, first, actor=agent, via="web")
    with pytest.raises(ValidationFailed):
        actions.merge_tickets(Ticket.objects.get(pk=source.pk), second, actor=agent, via="web")


def test_light_agent_cannot_merge():
    light = make_agent(role=Role.LIGHT_AGENT)
    source, target = make_ticket(assignee=light), make_ticket(assignee=light)
    with pytest.raises(PermissionDenied):
        actions.merge_tickets(source, target, actor=light, via="web")


# --- split_message_into_ticket --------------------------------------------------------------


def test_split_moves_the_message_and_its_files_into_a_new_ticket_with_history_on_both():
    agent = make_agent(role=Role.ADMIN)
    customer = make_contact("lena@example.test")
    source = make_ticket(contact=customer, status="open")
    second = actions.receive_customer_message(
        source, contact=customer, via="email", body_text="Also: my invoice is wrong.",
        attachments=[IncomingFile(name="invoice.pdf", content=b"%PDF-1.4 fake")],
    )

    new_ticket = actions.split_message_into_ticket(second, actor=agent, via="web", subject="Wrong invoice")

    second.refresh_from_db()
    assert second.ticket == new_ticket
    assert list(new_ticket.messages.all()) == [second]
    assert new_ticket.subject == "Wrong invoice"
    assert new_ticket.contact == customer
    assert new_ticket.attachments.get().name == "invoice.pdf"
    assert not source.attachments.filter(name="invoice.pdf").exists()
    to = source.events.get(kind=EventKind.SPLIT_TO)
    assert (to.actor_kind, to.new_value) == ("agent", {"id": new_ticket.pk, "number": new_ticket.number})
    came = new_ticket.events.get(kind=EventKind.SPLIT_FROM)
    assert came.old_value == {"id": source.pk, "number": source.number}
    assert new_ticket.events.filter(kind=EventKind.CREATED).count() == 1


def test_the_first_message_cannot_be_split_off():
    agent = make_agent(role=Role.ADMIN)
    ticket = make_ticket()
    with pytest.raises(ValidationFailed) as err:
        actions.split_message_into_ticket(ticket.messages.get(), actor=agent, via="web")
    assert err.value.fields == {"message": "first"}


def test_an_agent_note_cannot_be_split_off():
    agent = make_agent(role=Role.ADMIN)
    ticket = make_ticket()
    note = actions.add_internal_note(ticket, actor=agent, via="web", body_text="internal")
    with pytest.raises(ValidationFailed) as err:
        actions.split_message_into_ticket(note, actor=agent, via="web")
    assert err.value.fields == {"message": "invalid"}
    assert Ticket.objects.count() == 1


# --- merge_contacts -------------------------------------------------------------------------


def test_merge_contacts_moves_identities_tickets_and_messages_with_history():
    supervisor = make_agent(role=Role.SUPERVISOR)
    by_mail = make_contact("omar@example.test", name="Omar")
    by_phone, _created = find_or_create_contact(phone="+32 470 99 88 77", name="Omar B.")
    mail_ticket = make_ticket(contact=by_mail)
    phone_ticket = make_ticket(contact=by_phone)

    kept = actions.merge_contacts(by_phone, by_mail, actor=supervisor, via="web")

    assert kept == by_mail
    phone_ticket.refresh_from_db()
    assert phone_ticket.contact == by_mail
    assert phone_ticket.messages.get().author_contact == by_mail
    assert find_contact(phone="+32470998877") == by_mail
    assert Contact.objects.get(pk=by_phone.pk).merged_into == by_mail
    event = phone_ticket.events.get(kind=EventKind.FIELD_CHANGED, field="contact")
    assert (event.old_value, event.new_value, event.actor_kind, event.data) == (
        "Omar B.", "Omar", "agent", {"reason": "contacts_merged"})
    assert not mail_ticket.events.filter(field="contact").exists()


def test_a_new_ticket_from_the_merged_phone_finds_the_kept_contact():
    admin = make_agent(role=Role.ADMIN)
    by_mail = make_contact("omar@example.test")
    by_phone, _created = find_or_create_contact(phone="+32470998877")
    actions.merge_contacts(by_phone, by_mail, actor=admin, via="web")
    ticket = actions.create_ticket(actor=admin, via="phone", subject="Called", contact_phone="+32 470 99 88 77")
    assert ticket.contact == by_mail


def test_plain_agent_cannot_merge_contacts_and_a_contact_cannot_merge_into_itself():
    agent = make_agent(role=Role.AGENT)
    admin = make_agent(role=Role.ADMIN)
    a, b = make_contact(), make_contact()
    with pytest.raises(PermissionDenied):
        actions.merge_contacts(a, b, actor=agent, via="web")
    with pytest.raises(ValidationFailed):
        actions.merge_contacts(a, a, actor=admin, via="web")
    assert Contact.objects.get(pk=a.pk).merged_into is None


def test_the_split_tickets_created_entry_points_at_the_moved_message():
    agent = make_agent(role=Role.ADMIN)
    customer = make_contact()
    source = make_ticket(contact=customer, status="open")
    second = actions.receive_customer_message(source, contact=customer, via="email", body_text="Another problem.")
    new_ticket = actions.split_message_into_ticket(second, actor=agent, via="web")
    created = new_ticket.events.get(kind=EventKind.CREATED)
    assert Message.objects.filter(pk=created.data["message_id"]).exists()

"""add_reply, add_internal_note and receive_customer_message, with the history each writes."""

from __future__ import annotations

import pytest

from comptoir.core.errors import NotFound, ValidationFailed
from comptoir.core.models import Notification, Role, TicketScope
from comptoir.core.permissions import PermissionDenied
from comptoir.tickets import actions
from comptoir.tickets.models import EventKind, Ticket
from tests.factories import capture_events, make_agent, make_contact, make_group, make_ticket

pytestmark = pytest.mark.django_db


def _events(ticket, *kinds):
    rows = ticket.events.filter(kind__in=kinds) if kinds else ticket.events.exclude(kind=EventKind.CREATED)
    return list(rows.values_list("kind", "field", "old_value", "new_value", "actor_kind"))


# --- add_reply ------------------------------------------------------------------------------


def test_reply_on_a_new_ticket_opens_it_and_records_both():
    agent = make_agent()
    ticket = make_ticket(contact=make_contact("ann@example.test"))
    assert ticket.status_category == "new"

    message = actions.add_reply(ticket, actor=agent, via="web", body_text="Looking into it.")

    ticket.refresh_from_db()
    assert ticket.status_category == "open"
    assert message.is_public and message.author_agent == agent
    assert message.to == ["ann@example.test"]
    assert _events(ticket) == [
        ("reply_added", "", None, None, "agent"),
        ("field_changed", "status", "New", "Open", "agent"),
    ]
    assert ticket.events.get(kind="reply_added").data == {"message_id": message.pk}


def test_send_and_solve_changes_status_in_the_same_step():
    agent = make_agent()
    ticket = make_ticket(status="open")

    actions.add_reply(ticket, actor=agent, via="web", body_text="Fixed in 2.3.", new_status="solved")

    ticket.refresh_from_db()
    assert ticket.status_category == "solved"
    assert ticket.solved_at is not None
    assert ticket.first_agent_reply_at is not None
    assert ticket.last_agent_message_at == ticket.first_agent_reply_at
    assert _events(ticket, "reply_added", "field_changed")[-2:] == [
        ("reply_added", "", None, None, "agent"),
        ("field_changed", "status", "Open", "Solved", "agent"),
    ]


def test_send_and_solve_emits_solved_after_commit(django_capture_on_commit_callbacks):
    agent = make_agent()
    ticket = make_ticket(status="open")
    with (
        capture_events("ticket.solved") as solved,
        capture_events("message.created") as created,
        django_capture_on_commit_callbacks(execute=True),
    ):
        message = actions.add_reply(ticket, actor=agent, via="web", body_text="Done.", new_status="solved")
    assert [e.ticket_id for e in solved] == [ticket.pk]
    assert [e.data["message_id"] for e in created] == [message.pk]


def test_first_reply_time_is_stamped_once():
    agent = make_agent()
    ticket = make_ticket()
    actions.add_reply(ticket, actor=agent, via="web", body_text="One")
    first = Ticket.objects.get(pk=ticket.pk).first_agent_reply_at
    actions.add_reply(ticket, actor=agent, via="web", body_text="Two")
    again = Ticket.objects.get(pk=ticket.pk)
    assert again.first_agent_reply_at == first
    assert again.last_agent_message_at >= first


def test_empty_reply_is_refused():
    ticket = make_ticket()
    with pytest.raises(ValidationFailed) as err:
        actions.add_reply(ticket, actor=make_agent(), via="web", body_text="   ")
    assert err.value.fields == {"body": "required"}
    assert ticket.messages.count() == 1


def test_reply_on_a_closed_ticket_is_refused():
    ticket = make_ticket(status="closed")
    with pytest.raises(ValidationFailed) as err:
        actions.add_reply(ticket, actor=make_agent(), via="web", body_text="Hello?")
    assert err.value.fields == {"ticket": "closed"}


def test_light_agent_cannot_reply_publicly():
    light = make_agent(role=Role.LIGHT_AGENT)
    ticket = make_ticket(assignee=light)
    with pytest.raises(PermissionDenied):
        actions.add_reply(ticket, actor=light, via="web", body_text="Hi")


def test_agent_outside_the_tickets_scope_gets_not_found():
    mine_only = make_agent(scope=TicketScope.ASSIGNED)
    ticket = make_ticket()
    with pytest.raises(NotFound):
        actions.add_reply(ticket, actor=mine_only, via="web", body_text="Hi")


def test_reply_that_would_solve_without_required_fields_is_refused():
    from comptoir.tickets.models import CustomFieldDefinition

    CustomFieldDefinition.objects.create(key="app_version", label="App version", kind="text", required_in=["solved"])
    ticket = make_ticket(status="open")
    with pytest.raises(ValidationFailed) as err:
        actions.add_reply(ticket, actor=make_agent(), via="web", body_text="Solved", new_status="solved")
    assert err.value.fields == {"app_version": "required"}
    assert ticket.messages.count() == 1
    assert Ticket.objects.get(pk=ticket.pk).status_category == "open"


# --- add_internal_note ----------------------------------------------------------------------


def test_mentions_notify_the_mentioned_agents_and_make_them_followers(django_capture_on_commit_callbacks):
    author = make_agent(email="sara@example.test", name="Sara")
    marie = make_agent(email="marie.dupont@example.test", name="Marie")
    jan = make_agent(email="jan@example.test", name="Jan")
    bystander = make_agent(email="piet@example.test", name="Piet")
    ticket = make_ticket(status="open")

    with django_capture_on_commit_callbacks(execute=True):
        note = actions.add_internal_note(ticket, actor=author, via="web",
                                         body_text="@marie.dupont can you check? cc @jan@example.test and @sara")

    assert not note.is_public
    assert set(note.mentions.all()) == {marie, jan}
    assert set(ticket.followers.all()) == {marie, jan}
    notified = set(Notification.objects.filter(kind="mentioned").values_list("agent__email", flat=True))
    assert notified == {"marie.dupont@example.test", "jan@example.test"}
    assert not Notification.objects.filter(agent__in=[author, bystander]).exists()
    event = ticket.events.get(kind=EventKind.NOTE_ADDED)
    assert (event.actor_kind, event.actor_agent) == ("agent", author)
    assert event.data == {"message_id": note.pk, "mentions": sorted([marie.pk, jan.pk])}


def test_note_does_not_change_status_or_reply_times():
    agent = make_agent()
    ticket = make_ticket()
    actions.add_internal_note(ticket, actor=agent, via="web", body_text="Customer is a VIP.")
    ticket.refresh_from_db()
    assert ticket.status_category == "new"
    assert ticket.first_agent_reply_at is None
    assert _events(ticket) == [("note_added", "", None, None, "agent")]


def test_light_agent_may_write_notes_on_tickets_they_see():
    group = make_group()
    light = make_agent(role=Role.LIGHT_AGENT, scope=TicketScope.GROUPS, groups=[group])
    ticket = make_ticket(group=group)
    note = actions.add_internal_note(ticket, actor=light, via="web", body_text="Seen this before.")
    assert note.author_agent == light


def test_contact_cannot_write_internal_notes():
    contact = make_contact()
    ticket = make_ticket(contact=contact)
    with pytest.raises(PermissionDenied):
        actions.add_internal_note(ticket, actor=contact, via="portal", body_text="sneaky")


# --- receive_customer_message ---------------------------------------------------------------


@pytest.mark.parametrize(("status", "old_name"), [("pending", "Pending"), ("on_hold", "On hold"), ("solved", "Solved")])
def test_customer_message_reopens_a_waiting_or_solved_ticket(status, old_name):
    customer = make_contact()
    ticket = make_ticket(contact=customer, status=status)

    message = actions.receive_customer_message(ticket, contact=customer, via="email", body_text="Still broken.")

    ticket.refresh_from_db()
    assert ticket.status_category == "open"
    assert ticket.last_customer_message_at == message.created_at
    assert _events(ticket, "customer_message", "field_changed")[-2:] == [
        ("customer_message", "", None, None, "contact"),
        ("field_changed", "status", old_name, "Open", "contact"),
    ]
    reopened = ticket.events.filter(kind="field_changed").last()
    assert reopened.actor_contact == customer
    assert reopened.data == {"reason": "customer_replied"}


def test_customer_message_on_an_open_ticket_changes_no_status():
    customer = make_contact()
    ticket = make_ticket(contact=customer, status="open")
    actions.receive_customer_message(ticket, contact=customer, via="portal", body_text="More info.")
    assert _events(ticket, "customer_message", "field_changed")[-1] == ("customer_message", "", None, None, "contact")
    assert Ticket.objects.get(pk=ticket.pk).status_category == "open"


def test_auto_reply_does_not_reopen():
    customer = make_contact()
    ticket = make_ticket(contact=customer, status="pending")
    actions.receive_customer_message(ticket, contact=customer, via="email", body_text="I am on holiday.",
                                     is_auto_reply=True)
    ticket.refresh_from_db()
    assert ticket.status_category == "pending"
    assert ticket.events.get(kind="customer_message").data["auto_reply"] is True


def test_customer_message_on_a_closed_ticket_opens_a_linked_follow_up():
    customer = make_contact()
    closed = make_ticket(contact=customer, status="closed", subject="Printer jam")

    message = actions.receive_customer_message(closed, contact=customer, via="email", body_text="Jammed again.")

    follow_up = message.ticket
    closed.refresh_from_db()
    assert follow_up.pk != closed.pk
    assert follow_up.follow_up_of == closed
    assert follow_up.subject == "Printer jam"
    assert message.body_text == "Jammed again."
    assert closed.status_category == "closed"
    link = closed.events.get(kind=EventKind.FOLLOW_UP_CREATED)
    assert link.new_value == {"id": follow_up.pk, "number": follow_up.number}
    assert link.actor_kind == "contact"
    assert follow_up.events.get().kind == EventKind.CREATED


def test_auto_reply_on_a_closed_ticket_opens_nothing():
    customer = make_contact()
    closed = make_ticket(contact=customer, status="closed")
    with pytest.raises(ValidationFailed):
        actions.receive_customer_message(closed, contact=customer, via="email", body_text="Out of office",
                                         is_auto_reply=True)
    assert Ticket.objects.count() == 1


def test_copied_contacts_become_followers_with_one_follower_added_entry():
    customer = make_contact("lena@example.test", name="Lena")
    boss = make_contact("boss@example.test", name="The Boss")
    colleague = make_contact("col@example.test", name="Colleague")
    ticket = make_ticket(contact=customer, status="open")

    actions.receive_customer_message(ticket, contact=customer, via="email", body_text="Adding my team.",
                                     cc=[boss, colleague])

    assert set(ticket.cc_contacts.all()) == {boss, colleague}
    added = ticket.events.get(kind=EventKind.FOLLOWER_ADDED)
    assert (added.field, added.actor_kind, added.actor_contact) == ("cc_contacts", "contact", customer)
    assert added.new_value == ["Colleague", "The Boss"]
    assert added.data == {"reason": "copied_on_message"}

    # Copying them again adds no second entry.
    actions.receive_customer_message(ticket, contact=customer, via="email", body_text="Again.", cc=[boss])
    assert ticket.events.filter(kind=EventKind.FOLLOWER_ADDED).count() == 1


def test_contact_cannot_write_on_someone_elses_ticket():
    ticket = make_ticket(contact=make_contact())
    intruder = make_contact()
    with pytest.raises(NotFound):
        actions.receive_customer_message(ticket, contact=intruder, via="portal", body_text="Let me in")
    assert ticket.messages.count() == 1


def test_contact_replying_through_add_reply_is_a_customer_message():
    customer = make_contact()
    ticket = make_ticket(contact=customer, status="pending")
    actions.add_reply(ticket, actor=customer, via="portal", body_text="Here is the log.")
    ticket.refresh_from_db()
    assert ticket.status_category == "open"
    assert ticket.events.filter(kind=EventKind.CUSTOMER_MESSAGE, actor_contact=customer).exists()


def test_customer_reply_on_an_archived_solved_ticket_brings_it_back_into_lists():
    from comptoir.core.actors import SYSTEM
    from comptoir.tickets.queries import visible_tickets

    admin = make_agent(role=Role.ADMIN)
    customer = make_contact()
    ticket = make_ticket(contact=customer, status="solved")
    actions.archive_ticket(ticket, actor=SYSTEM, via="system")

    actions.receive_customer_message(ticket, contact=customer, via="email", body_text="It is back.")

    assert Ticket.objects.get(pk=ticket.pk).status_category == "open"
    assert visible_tickets(admin).filter(pk=ticket.pk).exists()


def test_addresses_and_unknown_handles_in_a_note_mention_nobody():
    author = make_agent(email="sara@example.test")
    make_agent(email="lena@example.test")
    ticket = make_ticket()
    note = actions.add_internal_note(ticket, actor=author, via="web",
                                     body_text="Customer wrote from lena@example.test; ask @nobody-here.")
    assert list(note.mentions.all()) == []
    assert ticket.events.get(kind=EventKind.NOTE_ADDED).data["mentions"] == []


def test_a_mention_followed_by_punctuation_still_counts():
    author = make_agent(email="sara@example.test")
    marie = make_agent(email="marie.dupont@example.test")
    ticket = make_ticket()
    note = actions.add_internal_note(ticket, actor=author, via="web", body_text="Over to you, @marie.dupont.")
    assert list(note.mentions.all()) == [marie]

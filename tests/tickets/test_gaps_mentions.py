"""@mentions of agents who cannot see the ticket: the note saves, nobody outside is told about it."""

from __future__ import annotations

import pytest
from django.core import mail

from comptoir.core.models import Notification, Role, TicketScope
from comptoir.tickets import actions
from comptoir.tickets.models import EventKind
from tests.factories import make_agent, make_group, make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def mobile_ticket():
    mobile, billing = make_group("Mobile"), make_group("Billing")
    author = make_agent(email="sara@example.test", name="Sara", scope=TicketScope.GROUPS, groups=[mobile])
    colleague = make_agent(email="marie.dupont@example.test", name="Marie", scope=TicketScope.GROUPS, groups=[mobile])
    outsider = make_agent(email="jan.billing@example.test", name="Jan", scope=TicketScope.GROUPS, groups=[billing])
    ticket = make_ticket(status="open", group=mobile)
    return ticket, author, colleague, outsider


def _recipients():
    return {address for sent in mail.outbox for address in [*sent.to, *sent.cc, *sent.bcc]}


def test_an_agent_outside_the_tickets_group_is_not_made_follower_nor_notified(mobile_ticket, django_capture_on_commit_callbacks):
    ticket, author, colleague, outsider = mobile_ticket

    with django_capture_on_commit_callbacks(execute=True):
        note = actions.add_internal_note(ticket, actor=author, via="web",
                                         body_text="@marie.dupont and @jan.billing: refund or not?")

    assert set(ticket.followers.all()) == {colleague}
    notified = set(Notification.objects.filter(kind="mentioned").values_list("agent_id", flat=True))
    assert notified == {colleague.pk}
    assert outsider.email not in _recipients()
    event = ticket.events.get(kind=EventKind.NOTE_ADDED)
    assert event.data == {"message_id": note.pk, "mentions": sorted([colleague.pk, outsider.pk]),
                          "mentions_without_access": [outsider.pk]}


def test_the_note_still_saves_when_nobody_mentioned_can_see_the_ticket(mobile_ticket, django_capture_on_commit_callbacks):
    ticket, author, _colleague, outsider = mobile_ticket

    with django_capture_on_commit_callbacks(execute=True):
        note = actions.add_internal_note(ticket, actor=author, via="web", body_text="Asked @jan.billing on chat.")

    assert ticket.messages.filter(pk=note.pk, body_text="Asked @jan.billing on chat.").exists()
    assert list(note.mentions.all()) == [outsider]
    assert not ticket.followers.exists()
    assert not Notification.objects.filter(kind="mentioned").exists()
    assert ticket.events.get(kind=EventKind.NOTE_ADDED).data["mentions_without_access"] == [outsider.pk]


def test_an_agent_who_sees_only_their_own_tickets_is_told_only_once_assigned(django_capture_on_commit_callbacks):
    author = make_agent(email="sara@example.test", role=Role.ADMIN)
    own_only = make_agent(email="piet@example.test", scope=TicketScope.ASSIGNED)
    ticket = make_ticket(status="open")

    with django_capture_on_commit_callbacks(execute=True):
        actions.add_internal_note(ticket, actor=author, via="web", body_text="@piet have a look?")
    assert not Notification.objects.filter(agent=own_only).exists()

    ticket = actions.assign_ticket(ticket, assignee=own_only, actor=author, via="web")
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_internal_note(ticket, actor=author, via="web", body_text="@piet it's yours now.")
    assert Notification.objects.filter(agent=own_only, kind="mentioned").count() == 1
    assert own_only in ticket.followers.all()


def test_mentions_passed_explicitly_are_filtered_the_same_way(mobile_ticket, django_capture_on_commit_callbacks):
    ticket, author, colleague, outsider = mobile_ticket

    with django_capture_on_commit_callbacks(execute=True):
        actions.add_internal_note(ticket, actor=author, via="web", body_text="Please check.", mentions=[colleague, outsider])

    assert set(ticket.followers.all()) == {colleague}
    assert set(Notification.objects.filter(kind="mentioned").values_list("agent_id", flat=True)) == {colleague.pk}


def test_a_note_where_everyone_mentioned_has_access_has_no_warning(mobile_ticket):
    ticket, author, _colleague, _outsider = mobile_ticket

    actions.add_internal_note(ticket, actor=author, via="web", body_text="@marie.dupont over to you.")

    assert "mentions_without_access" not in ticket.events.get(kind=EventKind.NOTE_ADDED).data

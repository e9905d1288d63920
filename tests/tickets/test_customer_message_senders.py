"""receive_customer_message guards who writes: a channel acting as the system cannot slip in someone
who neither sees the ticket, nor follows it, nor was copied on it by its requester."""

from __future__ import annotations

import pytest

from comptoir.core.actors import SYSTEM
from comptoir.core.permissions import PermissionDenied
from comptoir.tickets import actions
from tests.factories import make_contact, make_ticket

pytestmark = pytest.mark.django_db


def test_the_system_actor_cannot_make_a_stranger_write_on_a_ticket():
    ticket = make_ticket(contact=make_contact("casey@client.test"), status="open")
    stranger = make_contact("sam@client.test")

    with pytest.raises(PermissionDenied):
        actions.receive_customer_message(ticket, contact=stranger, actor=SYSTEM, via="email", body_text="Keep me posted.")

    assert ticket.messages.count() == 1
    assert not ticket.cc_contacts.exists()


def test_a_sender_the_requester_copied_may_write_and_follows_the_ticket():
    ticket = make_ticket(contact=make_contact("casey@client.test"), status="open")
    morgan = make_contact("morgan@client.test")

    actions.receive_customer_message(ticket, contact=morgan, actor=SYSTEM, via="email", body_text="Same here.",
                                     copied_by_requester=True)

    assert list(ticket.cc_contacts.all()) == [morgan]


def test_people_copied_by_a_sender_who_cannot_see_the_ticket_do_not_join():
    ticket = make_ticket(contact=make_contact("casey@client.test"), status="open")
    morgan = make_contact("morgan@client.test")
    lee = make_contact("lee@partner.test")

    actions.receive_customer_message(ticket, contact=morgan, actor=SYSTEM, via="email", body_text="Adding Lee.",
                                     copied_by_requester=True, cc=[lee])

    assert list(ticket.cc_contacts.all()) == [morgan]


def test_a_follower_may_write_again():
    casey = make_contact("casey@client.test")
    morgan = make_contact("morgan@client.test")
    ticket = make_ticket(contact=casey, status="open")
    actions.receive_customer_message(ticket, contact=casey, via="email", body_text="Adding Morgan.", cc=[morgan])

    message = actions.receive_customer_message(ticket, contact=morgan, actor=SYSTEM, via="email", body_text="Any news?")

    assert message.ticket_id == ticket.pk and message.author_contact == morgan

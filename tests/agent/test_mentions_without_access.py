"""@mentioning a colleague who cannot see the ticket: the author is warned, before and after posting."""

from __future__ import annotations

import pytest
from django.urls import reverse

from comptoir.core.models import Notification, TicketScope
from comptoir.tickets.models import EventKind, MessageKind, TicketEvent
from tests.factories import make_agent, make_group, make_ticket

pytestmark = pytest.mark.django_db


def billing_ticket_and_outsider():
    """A ticket in the Billing group, and Marie, who only sees the Mobile group's tickets."""
    billing, mobile = make_group("Billing"), make_group("Mobile")
    marie = make_agent(email="marie.dupont@example.test", name="Marie Dupont", scope=TicketScope.GROUPS, groups=[mobile])
    ticket = make_ticket(group=billing)
    return ticket, marie


def test_note_mentioning_an_agent_without_access_warns_the_author(client):
    author = make_agent(name="Paul Martin")
    ticket, marie = billing_ticket_and_outsider()
    client.force_login(author)
    response = client.post(reverse("agent:ticket-compose", args=[ticket.number]),
                           {"mode": "note", "body": "@marie.dupont do you know this customer?"}, follow=True)
    page = response.content.decode()
    assert "Internal note added." in page
    assert "Marie Dupont cannot see this ticket and was not notified." in page
    assert "flash__item--warning" in page
    note = ticket.messages.get(kind=MessageKind.NOTE)
    event = TicketEvent.objects.get(ticket=ticket, kind=EventKind.NOTE_ADDED)
    assert event.data["message_id"] == note.pk and event.data["mentions_without_access"] == [marie.pk]
    assert not Notification.objects.filter(agent=marie).exists()


def test_note_mentioning_an_agent_with_access_shows_no_warning(client):
    author = make_agent()
    make_agent(email="lea.janssens@example.test", name="Lea Janssens")
    ticket = make_ticket()
    client.force_login(author)
    response = client.post(reverse("agent:ticket-compose", args=[ticket.number]),
                           {"mode": "note", "body": "@lea.janssens can you take this one?"}, follow=True)
    page = response.content.decode()
    assert "Internal note added." in page
    assert "cannot see this ticket" not in page


def test_several_agents_without_access_are_named_in_one_warning(client):
    author = make_agent()
    ticket, _marie = billing_ticket_and_outsider()
    make_agent(email="jan.peeters@example.test", name="Jan Peeters", scope=TicketScope.ASSIGNED)
    client.force_login(author)
    response = client.post(reverse("agent:ticket-compose", args=[ticket.number]),
                           {"mode": "note", "body": "@marie.dupont @jan.peeters any idea?"}, follow=True)
    assert "Jan Peeters, Marie Dupont cannot see this ticket and were not notified." in response.content.decode()


def test_mention_autocomplete_marks_agents_who_cannot_see_the_ticket(client):
    author = make_agent()
    ticket, _marie = billing_ticket_and_outsider()
    make_agent(email="marc.leroy@example.test", name="Marc Leroy")
    client.force_login(author)
    response = client.get(reverse("agent:mention-search"), {"q": "mar", "ticket": ticket.number})
    page = response.content.decode()
    marie_option = page[page.index('data-mention="marie.dupont"'):].split("</li>", 1)[0]
    marc_option = page[page.index('data-mention="marc.leroy"'):].split("</li>", 1)[0]
    assert "data-no-access" in marie_option and "cannot see this ticket, will not be notified" in marie_option
    assert "data-no-access" not in marc_option and "cannot see this ticket" not in marc_option


def test_mention_autocomplete_ignores_a_ticket_the_searcher_cannot_see(client):
    ticket, marie = billing_ticket_and_outsider()
    client.force_login(marie)
    response = client.get(reverse("agent:mention-search"), {"q": "marie", "ticket": ticket.number})
    assert response.status_code == 200
    assert b'data-mention="marie.dupont"' in response.content and b"data-no-access" not in response.content

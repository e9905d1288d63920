"""No API path hands an internal note's file to a customer, nor a ticket's file to an agent who cannot see it."""

from __future__ import annotations

import pytest

from comptoir.core.models import TicketScope
from comptoir.tickets import actions
from comptoir.tickets.attachments import IncomingFile
from tests.factories import make_agent, make_group, make_ticket, make_token

pytestmark = pytest.mark.django_db

PATHS = ["/attachments/{id}", "/attachments/{id}/download"]


@pytest.fixture
def case(team):
    """The customer's ticket in the team's group: their screenshot, and an agent's internal log."""
    ticket = make_ticket(contact=team.members["contact"], group=team.group, status="open",
                         attachments=[IncomingFile("screenshot.png", b"\x89PNG\r\n\x1a\nfake", "image/png")])
    note = actions.add_internal_note(ticket, actor=team.members["agent"], via="web", body_text="Server log",
                                     attachments=[IncomingFile("server.log", b"internal only")])
    return ticket, ticket.attachments.get(name="screenshot.png"), note.attachments.get()


@pytest.mark.parametrize("path", PATHS)
def test_the_customer_cannot_fetch_the_note_file_by_id(api, team, case, path):
    _ticket, _screenshot, log = case
    response = api.get(path.format(id=log.pk), team.token("contact"))
    assert response.status_code == 404
    assert b"internal only" not in response.content and b"server.log" not in response.content


@pytest.mark.parametrize("path", PATHS)
def test_the_customer_fetches_the_file_of_their_own_message(api, team, case, path):
    _ticket, screenshot, _log = case
    assert api.get(path.format(id=screenshot.pk), team.token("contact")).status_code == 200


def test_the_customers_message_list_never_names_the_note_file(api, team, case):
    ticket, screenshot, _log = case
    messages = api.get(f"/tickets/{ticket.pk}/messages", team.token("contact")).json()["results"]
    assert [a["id"] for m in messages for a in m["attachments"]] == [screenshot.pk]


@pytest.mark.parametrize("path", PATHS)
def test_an_agent_outside_the_group_cannot_fetch_either_file(api, case, path):
    _ticket, screenshot, log = case
    outsider = make_token(make_agent(scope=TicketScope.GROUPS, groups=[make_group("Billing")]))
    assert [api.get(path.format(id=a.pk), outsider).status_code for a in (screenshot, log)] == [404, 404]


@pytest.mark.parametrize("path", PATHS)
def test_an_agent_of_the_group_fetches_the_note_file(api, team, case, path):
    _ticket, _screenshot, log = case
    assert api.get(path.format(id=log.pk), team.token("agent")).status_code == 200

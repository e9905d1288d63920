"""The workspace serves and lists files through queries.visible_attachments(), like the API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from comptoir.core.models import TicketScope
from comptoir.tickets import actions
from comptoir.tickets.attachments import IncomingFile
from tests.factories import make_agent, make_contact, make_group, make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    """A mobile-apps ticket with the customer's screenshot and an agent's internal log file."""
    group = make_group("Mobile")
    agent = make_agent(scope=TicketScope.GROUPS, groups=[group])
    customer = make_contact("lena@client.test", name="Lena")
    ticket = make_ticket(contact=customer, group=group,
                         attachments=[IncomingFile("screenshot.png", b"\x89PNG\r\n\x1a\nfake", "image/png")])
    note = actions.add_internal_note(ticket, actor=agent, via="web", body_text="Server log",
                                     attachments=[IncomingFile("server.log", b"internal only")])
    return {"agent": agent, "customer": customer, "ticket": ticket,
            "screenshot": ticket.attachments.get(name="screenshot.png"), "log": note.attachments.get()}


def _download(client, attachment):
    return client.get(reverse("agent:attachment", args=[attachment.pk]))


def test_an_agent_of_the_group_downloads_the_internal_note_file(client, case):
    client.force_login(case["agent"])
    response = _download(client, case["log"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"internal only"


def test_an_agent_outside_the_group_cannot_download_either_file(client, case):
    client.force_login(make_agent(scope=TicketScope.GROUPS, groups=[make_group("Billing")]))
    assert [_download(client, case[key]).status_code for key in ("screenshot", "log")] == [404, 404]


def test_an_agent_outside_the_group_cannot_open_the_attachments_tab(client, case):
    client.force_login(make_agent(scope=TicketScope.GROUPS, groups=[make_group("Billing")]))
    response = client.get(reverse("agent:ticket-tab", args=[case["ticket"].number, "attachments"]))
    assert response.status_code == 404


def test_the_attachments_tab_lists_the_note_file_for_the_group(client, case):
    client.force_login(case["agent"])
    page = client.get(reverse("agent:ticket-tab", args=[case["ticket"].number, "attachments"])).content.decode()
    assert "screenshot.png" in page and "server.log" in page


def test_a_customer_signed_in_to_the_portal_gets_no_file_from_the_workspace(client, case):
    session = client.session
    session["contact_id"] = case["customer"].pk
    session.save()
    response = _download(client, case["log"])
    assert response.status_code in (302, 404)
    assert b"internal only" not in b"".join(getattr(response, "streaming_content", [response.content]))


def test_the_portal_never_names_the_note_file_to_the_customer(client, case):
    session = client.session
    session["contact_id"] = case["customer"].pk
    session.save()
    page = client.get(reverse("portal:request", args=[case["ticket"].number])).content.decode()
    assert "screenshot.png" in page and "server.log" not in page

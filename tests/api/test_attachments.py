"""Attachment downloads are checked against the ticket's visibility and, for customers, the message kind."""

from __future__ import annotations

import pytest

from comptoir.core.actors import SYSTEM
from comptoir.tickets import actions
from comptoir.tickets.attachments import IncomingFile
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def _ticket_with_files(team):
    ticket = make_ticket(contact=team.members["contact"], group=team.group, status="open",
                         attachments=[IncomingFile("screenshot.png", b"\x89PNG\r\n\x1a\nfake", "image/png")])
    note = actions.add_internal_note(ticket, actor=team.members["agent"], via="web", body_text="see file",
                                     attachments=[IncomingFile("internal.txt", b"internal only")])
    public = ticket.attachments.get(name="screenshot.png")
    return ticket, public, note.attachments.get()


def test_the_customer_downloads_their_screenshot(api, team):
    _ticket, public, _internal = _ticket_with_files(team)
    response = api.get(f"/attachments/{public.pk}/download", team.token("contact"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_a_customer_cannot_download_a_file_attached_to_a_note(api, team):
    _ticket, _public, internal = _ticket_with_files(team)
    assert api.get(f"/attachments/{internal.pk}/download", team.token("contact")).status_code == 404


def test_an_agent_outside_the_tickets_scope_gets_404(api, team):
    ticket = make_ticket(attachments=[IncomingFile("a.txt", b"a")], actor=SYSTEM)
    attachment = ticket.attachments.get()
    assert api.get(f"/attachments/{attachment.pk}/download", team.token("agent")).status_code == 404
    assert api.get(f"/attachments/{attachment.pk}/download", team.token("admin")).status_code == 200


def test_attachment_metadata_links_to_the_download(api, team):
    _ticket, public, _internal = _ticket_with_files(team)
    body = api.get(f"/attachments/{public.pk}", team.token("agent")).json()
    assert body["url"] == f"/api/v1/attachments/{public.pk}/download"
    assert body["content_type"] == "image/png"

"""The ticket page: an agent reads the conversation, edits properties in place and replies."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from comptoir.core.actors import SYSTEM
from comptoir.core.models import Role
from comptoir.tickets import actions
from comptoir.tickets.models import MessageKind, TicketEvent
from tests.factories import make_agent, make_contact, make_ticket

pytestmark = pytest.mark.django_db


def add_messages(ticket, count):
    agent = make_agent()
    for i in range(count):
        if i % 2:
            actions.add_internal_note(ticket, actor=agent, via="web", body_text=f"Note {i} for @{agent.email}")
        else:
            actions.receive_customer_message(ticket, contact=ticket.contact, via="email", body_text=f"Still broken {i}")


def test_agent_sees_replies_and_internal_notes_marked_differently(client):
    agent = make_agent()
    ticket = make_ticket(contact=make_contact(name="Nadia Haddad"))
    actions.add_reply(ticket, actor=agent, via="web", body_text="Please reinstall the app.")
    actions.add_internal_note(ticket, actor=agent, via="web", body_text="Probably the 4.2 crash.")
    client.force_login(agent)
    page = client.get(reverse("agent:ticket", args=[ticket.number])).content.decode()
    assert 'data-message-kind="note"' in page and "Probably the 4.2 crash." in page
    assert 'message--note' in page and "Internal note" in page
    assert 'data-message-kind="reply"' in page and "Please reinstall the app." in page


def test_ticket_page_query_count_does_not_grow_with_messages(client, django_assert_max_num_queries):
    agent = make_agent(role=Role.ADMIN)
    small, large = make_ticket(), make_ticket()
    add_messages(small, 3)
    add_messages(large, 30)
    client.force_login(agent)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("agent:ticket", args=[small.number])).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("agent:ticket", args=[large.number])).status_code == 200


def test_changing_priority_in_place_records_history(client):
    agent = make_agent()
    ticket = make_ticket()
    client.force_login(agent)
    response = client.post(reverse("agent:ticket-properties", args=[ticket.number]), {"priority": "4"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    ticket.refresh_from_db()
    assert ticket.priority == 4
    assert TicketEvent.objects.filter(ticket=ticket, field="priority", actor_agent=agent).exists()


def test_refused_change_is_shown_next_to_the_control(client):
    agent = make_agent()
    ticket = make_ticket()
    client.force_login(agent)
    response = client.post(reverse("agent:ticket-properties", args=[ticket.number]), {"subcategory": "999999"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert b"field-error" in response.content


def test_reply_and_solve_in_one_step(client):
    agent = make_agent()
    ticket = make_ticket(contact=make_contact(email="nadia@example.test"))
    client.force_login(agent)
    mail.outbox.clear()
    response = client.post(reverse("agent:ticket-compose", args=[ticket.number]),
                           {"mode": "reply", "body": "Fixed in 4.3, update please.", "then": "solved"})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status_category == "solved"
    assert ticket.messages.filter(kind=MessageKind.REPLY, body_text__contains="Fixed in 4.3").exists()


def test_internal_note_mentions_a_colleague(client):
    agent = make_agent()
    colleague = make_agent(email="marie.dupont@example.test", name="Marie Dupont")
    ticket = make_ticket()
    client.force_login(agent)
    client.post(reverse("agent:ticket-compose", args=[ticket.number]), {"mode": "note", "body": "@marie.dupont can you look?"})
    note = ticket.messages.get(kind=MessageKind.NOTE)
    assert list(note.mentions.all()) == [colleague]


def test_mention_autocomplete_finds_agents_by_prefix(client):
    agent = make_agent()
    make_agent(email="marie.dupont@example.test", name="Marie Dupont")
    client.force_login(agent)
    response = client.get(reverse("agent:mention-search"), {"q": "mar"})
    assert b'data-mention="marie.dupont"' in response.content


def test_empty_reply_is_refused_and_the_draft_kept(client):
    agent = make_agent()
    ticket = make_ticket()
    client.force_login(agent)
    response = client.post(reverse("agent:ticket-compose", args=[ticket.number]), {"mode": "reply", "body": "   "})
    assert response.status_code == 422
    assert b"data-composer-error" in response.content


def test_reply_with_attachment_is_listed_and_downloadable(client):
    agent = make_agent()
    ticket = make_ticket()
    client.force_login(agent)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("invoice.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    client.post(reverse("agent:ticket-compose", args=[ticket.number]), {"mode": "reply", "body": "Here it is.", "attachments": upload})
    attachment = ticket.attachments.get()
    response = client.get(reverse("agent:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"invoice.pdf" in client.get(reverse("agent:ticket-tab", args=[ticket.number, "attachments"])).content


def test_history_tab_filters_by_actor_kind(client):
    agent = make_agent()
    ticket = make_ticket()
    actions.update_ticket(ticket, {"priority": "high"}, actor=agent, via="web")
    actions.update_ticket(ticket, {"type": "incident"}, actor=SYSTEM, via="system")
    client.force_login(agent)
    page = client.get(reverse("agent:ticket-tab", args=[ticket.number, "history"]), {"actor": "agent"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-actor-kind="agent"' in page
    assert 'data-actor-kind="system"' not in page


def test_casework_tab_shows_the_approval_form(client):
    client.force_login(make_agent())
    ticket = make_ticket()
    response = client.get(reverse("agent:ticket-tab", args=[ticket.number, "approval"]))
    assert response.status_code == 200
    assert b"No approval has been requested." in response.content and b"Coming soon" not in response.content


def test_unknown_tab_is_not_found(client):
    client.force_login(make_agent())
    ticket = make_ticket()
    assert client.get(reverse("agent:ticket-tab", args=[ticket.number, "secrets"])).status_code == 404


def test_custom_field_is_edited_in_place(client):
    from comptoir.tickets.models import CustomFieldDefinition, FieldKind

    CustomFieldDefinition.objects.create(key="app_version", label="App version", kind=FieldKind.DROPDOWN, choices=["4.2", "4.3"])
    ticket = make_ticket()
    client.force_login(make_agent())
    page = client.get(reverse("agent:ticket", args=[ticket.number])).content.decode()
    assert 'name="cf_app_version"' in page
    client.post(reverse("agent:ticket-properties", args=[ticket.number]), {"cf_app_version": "4.3"}, HTTP_HX_REQUEST="true")
    ticket.refresh_from_db()
    assert ticket.custom_fields == {"app_version": "4.3"}

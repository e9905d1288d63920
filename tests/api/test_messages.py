"""The conversation through the API: replies, internal notes, attachments, and what customers see."""

from __future__ import annotations

import pytest

from comptoir.tickets.models import Message, MessageKind
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def _ticket_for(team):
    return make_ticket(contact=team.members["contact"], group=team.group, status="open")


def test_an_agent_posts_a_public_reply(api, team):
    ticket = _ticket_for(team)
    response = api.post(f"/tickets/{ticket.pk}/messages", team.token("agent"), json={"body": "Try reinstalling.", "public": True})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["public"], body["author"]["name"]) == ("reply", True, "Agent")
    assert Message.objects.filter(ticket=ticket, kind=MessageKind.REPLY, body_text="Try reinstalling.").exists()


def test_an_agent_adds_an_internal_note(api, team):
    ticket = _ticket_for(team)
    body = api.post(f"/tickets/{ticket.pk}/messages", team.token("agent"), json={"body": "Customer is a VIP.", "public": False}).json()
    assert (body["kind"], body["public"]) == ("note", False)


def test_reply_and_solve_in_one_step(api, team):
    ticket = _ticket_for(team)
    api.post(f"/tickets/{ticket.pk}/messages", team.token("agent"), json={"body": "Fixed in 2.1.", "status": "solved"})
    ticket.refresh_from_db()
    assert ticket.status_category == "solved"


def test_an_empty_reply_is_a_422_and_writes_nothing(api, team):
    ticket = _ticket_for(team)
    before = Message.objects.count()
    response = api.post(f"/tickets/{ticket.pk}/messages", team.token("agent"), json={"body": "  "})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"body": "required"}
    assert Message.objects.count() == before


def test_a_body_that_is_not_an_object_is_refused(api, team):
    ticket = _ticket_for(team)
    response = api.post(f"/tickets/{ticket.pk}/messages", team.token("agent"), json=["hello"])
    assert response.status_code == 422


def test_malformed_json_is_a_400(api, team):
    ticket = _ticket_for(team)
    response = api.client.post(f"/api/v1/tickets/{ticket.pk}/messages", data="{nope", content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {team.token('agent')}")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"


def test_a_reply_with_multipart_attachments(api, team):
    from django.core.files.uploadedfile import SimpleUploadedFile

    ticket = _ticket_for(team)
    upload = SimpleUploadedFile("log.txt", b"stack trace here", content_type="text/plain")
    response = api.client.post(
        f"/api/v1/tickets/{ticket.pk}/messages",
        data={"body": "Here is the log", "public": "false", "attachments": [upload]},
        HTTP_AUTHORIZATION=f"Bearer {team.token('agent')}",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "note"
    assert [a["name"] for a in body["attachments"]] == ["log.txt"]


def test_an_attachment_over_the_limit_is_a_413(api, team, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.ATTACHMENT_MAX_BYTES = 10
    ticket = _ticket_for(team)
    response = api.client.post(
        f"/api/v1/tickets/{ticket.pk}/messages",
        data={"body": "big", "attachments": [SimpleUploadedFile("big.bin", b"x" * 100)]},
        HTTP_AUTHORIZATION=f"Bearer {team.token('agent')}",
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_a_customer_never_sees_internal_notes(api, team):
    ticket = _ticket_for(team)
    api.post(f"/tickets/{ticket.pk}/messages", team.token("agent"), json={"body": "Secret: refund approved internally", "public": False})
    api.post(f"/tickets/{ticket.pk}/messages", team.token("agent"), json={"body": "We are on it.", "public": True})
    response = api.get(f"/tickets/{ticket.pk}/messages", team.token("contact"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Secret" not in text
    bodies = [m["body"] for m in response.json()["results"]]
    assert bodies[-1] == "We are on it."
    assert all(m["public"] for m in response.json()["results"])
    assert all("kind" not in m and "id" not in m["author"] for m in response.json()["results"])


def test_an_agent_sees_notes_in_the_conversation(api, team):
    ticket = _ticket_for(team)
    api.post(f"/tickets/{ticket.pk}/messages", team.token("agent"), json={"body": "Internal", "public": False})
    kinds = [m["kind"] for m in api.get(f"/tickets/{ticket.pk}/messages", team.token("agent")).json()["results"]]
    assert kinds == ["reply", "note"]


def test_a_customer_reply_reopens_a_pending_ticket(api, team):
    ticket = make_ticket(contact=team.members["contact"], status="pending")
    response = api.post(f"/tickets/{ticket.pk}/messages", team.token("contact"), json={"body": "Still broken", "public": True})
    assert response.status_code == 201
    ticket.refresh_from_db()
    assert ticket.status_category == "open"


def test_a_customer_cannot_write_an_internal_note(api, team):
    ticket = _ticket_for(team)
    response = api.post(f"/tickets/{ticket.pk}/messages", team.token("contact"), json={"body": "psst", "public": False})
    assert response.status_code == 403


def test_a_light_agent_may_note_but_not_reply(api, team):
    ticket = _ticket_for(team)
    assert api.post(f"/tickets/{ticket.pk}/messages", team.token("light_agent"), json={"body": "FYI", "public": False}).status_code == 201
    assert api.post(f"/tickets/{ticket.pk}/messages", team.token("light_agent"), json={"body": "Hi", "public": True}).status_code == 403


def test_listing_messages_runs_a_constant_number_of_queries(api, team, django_assert_max_num_queries):
    ticket = _ticket_for(team)
    for i in range(20):
        api.post(f"/tickets/{ticket.pk}/messages", team.token("agent"), json={"body": f"Reply {i}"})
    token = team.token("agent")
    with django_assert_max_num_queries(9):
        assert len(api.get(f"/tickets/{ticket.pk}/messages?limit=2", token).json()["results"]) == 2
    with django_assert_max_num_queries(9):
        assert len(api.get(f"/tickets/{ticket.pk}/messages?limit=21", token).json()["results"]) == 21

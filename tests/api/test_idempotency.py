"""Idempotency-Key: a retried POST gets the first answer and creates nothing new."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from comptoir.api.idempotency import purge_expired_records
from comptoir.api.models import IdempotencyRecord
from comptoir.tickets.models import Ticket

pytestmark = pytest.mark.django_db

TICKET = {"subject": "Payment failed", "contact": {"email": "pay@example.test"}}


def test_a_retried_create_returns_the_first_ticket_and_creates_no_second(api, team):
    first = api.post("/tickets", team.token("admin"), json=TICKET, headers={"Idempotency-Key": "order-77"})
    again = api.post("/tickets", team.token("admin"), json=TICKET, headers={"Idempotency-Key": "order-77"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert Ticket.objects.count() == 1


def test_the_same_key_from_another_token_owner_is_independent(api, team):
    api.post("/tickets", team.token("admin"), json=TICKET, headers={"Idempotency-Key": "k1"})
    api.post("/tickets", team.token("owner"), json=TICKET, headers={"Idempotency-Key": "k1"})
    assert Ticket.objects.count() == 2


def test_reusing_a_key_for_a_different_request_is_refused(api, team):
    api.post("/tickets", team.token("admin"), json=TICKET, headers={"Idempotency-Key": "k2"})
    response = api.post("/tickets", team.token("admin"), json={**TICKET, "subject": "Other"}, headers={"Idempotency-Key": "k2"})
    assert response.status_code == 422
    assert Ticket.objects.count() == 1


def test_a_failed_request_does_not_burn_the_key(api, team):
    bad = api.post("/tickets", team.token("admin"), json={**TICKET, "subject": " "}, headers={"Idempotency-Key": "k3"})
    assert bad.status_code == 422
    assert not IdempotencyRecord.objects.filter(key="k3").exists()


def test_a_key_older_than_a_day_is_forgotten(api, team):
    api.post("/tickets", team.token("admin"), json=TICKET, headers={"Idempotency-Key": "k4"})
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        api.post("/tickets", team.token("admin"), json=TICKET, headers={"Idempotency-Key": "k4"})
    assert Ticket.objects.count() == 2


def test_purging_removes_expired_records(api, team):
    api.post("/tickets", team.token("admin"), json=TICKET, headers={"Idempotency-Key": "k5"})
    assert purge_expired_records(timezone.now() + timedelta(hours=25)) == 1


def test_a_request_still_running_under_the_key_gets_409(api, team):
    IdempotencyRecord.objects.create(key="k6", owner=f"agent:{team.members['admin'].pk}", fingerprint="x")
    response = api.post("/tickets", team.token("admin"), json=TICKET, headers={"Idempotency-Key": "k6"})
    assert response.status_code == 409
    assert Ticket.objects.count() == 0


def test_a_retried_multipart_reply_with_a_file_adds_one_message_and_one_file(api, team):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from comptoir.tickets.models import Attachment, Message
    from tests.factories import make_ticket

    ticket = make_ticket(group=team.group)
    before = Message.objects.filter(ticket=ticket).count()

    def send():
        upload = SimpleUploadedFile("crash.log", b"trace", content_type="text/plain")
        return api.client.post(
            f"/api/v1/tickets/{ticket.pk}/messages", data={"body": "Log attached", "attachments": [upload]},
            HTTP_AUTHORIZATION=f"Bearer {team.token('agent')}", HTTP_IDEMPOTENCY_KEY="reply-with-log-1",
        )

    first, again = send(), send()
    assert (first.status_code, again.status_code) == (201, 201), again.content
    assert again.json() == first.json()
    assert Message.objects.filter(ticket=ticket).count() == before + 1
    assert Attachment.objects.filter(ticket=ticket, name="crash.log").count() == 1


def _multipart(boundary: str, body_text: str) -> bytes:
    return (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"body\"\r\n\r\n{body_text}\r\n"
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"attachments\"; filename=\"crash.log\"\r\n"
        f"Content-Type: text/plain\r\n\r\ntrace\r\n--{boundary}--\r\n"
    ).encode()


def test_a_multipart_retry_with_a_new_boundary_is_still_the_same_request(api, team):
    # curl, requests and browsers draw a random boundary on every send: a real retry's bytes differ.
    from comptoir.tickets.models import Message
    from tests.factories import make_ticket

    ticket = make_ticket(group=team.group)
    before = Message.objects.filter(ticket=ticket).count()
    answers = []
    for boundary, text in [("aaaa1111", "Log attached"), ("bbbb2222", "Log attached"), ("cccc3333", "Another text")]:
        answers.append(api.client.generic(
            "POST", f"/api/v1/tickets/{ticket.pk}/messages", _multipart(boundary, text),
            content_type=f"multipart/form-data; boundary={boundary}",
            HTTP_AUTHORIZATION=f"Bearer {team.token('agent')}", HTTP_IDEMPOTENCY_KEY="retry-boundary",
        ))
    assert [a.status_code for a in answers] == [201, 201, 422]
    assert answers[1].json() == answers[0].json()
    assert answers[0].json()["attachments"][0]["name"] == "crash.log"
    assert Message.objects.filter(ticket=ticket).count() == before + 1

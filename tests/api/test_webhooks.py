"""Outbound webhooks: subscriptions, signed deliveries to a real HTTP server, retries, the delivery log."""

from __future__ import annotations

import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.utils import timezone

from comptoir.api.models import WebhookDelivery
from comptoir.api.webhooks.delivery import deliver_due, retry_delay
from comptoir.api.webhooks.signing import verify
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


class Receiver:
    """A real HTTP server on 127.0.0.1 that records requests and answers with the queued codes."""

    def __init__(self, codes: list[int]) -> None:
        self.codes = list(codes)
        self.requests: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append((dict(self.headers), body))
                code = receiver.codes.pop(0) if receiver.codes else 200
                self.send_response(code)
                self.end_headers()
                self.wfile.write(b"oops" if code >= 500 else b"thanks")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/comptoir"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def _subscribe(api, team, url, events, **extra):
    response = api.post("/webhooks", team.token("admin"), json={"url": url, "events": events, **extra})
    assert response.status_code == 201, response.content
    return response.json()


def test_a_delivery_is_signed_retried_after_a_500_and_logged(api, team, django_capture_on_commit_callbacks):
    with Receiver([500, 200]) as receiver:
        hook = _subscribe(api, team, receiver.url, ["ticket.created"])
        with django_capture_on_commit_callbacks(execute=True):
            created = api.post("/tickets", team.token("admin"), json={"subject": "Printer on fire", "contact": {"email": "it@example.test"}})
        delivery = WebhookDelivery.objects.get()
        assert (delivery.state, delivery.attempt, delivery.status_code) == ("retrying", 1, 500)
        assert delivery.next_retry_at is not None
        with time_machine.travel(delivery.next_retry_at + timedelta(seconds=1)):
            assert deliver_due() == 1
        assert len(receiver.requests) == 2
    (headers1, body1), (_headers2, body2) = receiver.requests
    assert body1 == body2  # a retry sends the same bytes
    for headers, body in receiver.requests:
        assert verify(hook["secret"], body, headers["X-Comptoir-Signature"])
        assert headers["X-Comptoir-Timestamp"].isdigit()
        assert headers["X-Comptoir-Event"] == "ticket.created"
    assert not verify("whsec_wrong", body1, headers1["X-Comptoir-Signature"])
    import json

    payload = json.loads(body1)
    assert payload["event"] == "ticket.created"
    assert payload["data"]["ticket"]["id"] == created.json()["id"]
    log = api.get(f"/webhooks/{hook['id']}/deliveries", team.token("admin")).json()["results"]
    assert [(d["state"], d["attempt"], d["status_code"]) for d in log] == [("succeeded", 2, 200)]
    assert log[0]["response_excerpt"] == "thanks"


def test_backoff_doubles_between_attempts():
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]


def test_a_receiver_that_keeps_failing_ends_failed(api, team, django_capture_on_commit_callbacks):
    from comptoir.api.webhooks import delivery as module

    with Receiver([500] * 20) as receiver:
        _subscribe(api, team, receiver.url, ["ticket.created"])
        with django_capture_on_commit_callbacks(execute=True):
            make_ticket()
        row = WebhookDelivery.objects.get()
        for _ in range(module.MAX_ATTEMPTS):
            row.refresh_from_db()
            if row.next_retry_at is None:
                break
            with time_machine.travel(row.next_retry_at + timedelta(seconds=1)):
                deliver_due()
        row.refresh_from_db()
    assert (row.state, row.attempt) == ("failed", module.MAX_ATTEMPTS)


def test_internal_notes_are_not_sent_by_default(api, team, django_capture_on_commit_callbacks):
    ticket = make_ticket(group=team.group, status="open")
    with Receiver([]) as receiver:
        _subscribe(api, team, receiver.url, ["message.created"])
        with django_capture_on_commit_callbacks(execute=True):
            api.post(f"/tickets/{ticket.pk}/messages", team.token("agent"), json={"body": "Internal: refund approved", "public": False})
            api.post(f"/tickets/{ticket.pk}/messages", team.token("agent"), json={"body": "We refunded you.", "public": True})
    bodies = [body for _h, body in receiver.requests]
    assert len(bodies) == 1
    assert b"We refunded you." in bodies[0] and b"Internal" not in bodies[0]


def test_internal_notes_are_sent_when_the_subscription_includes_them(api, team, django_capture_on_commit_callbacks):
    ticket = make_ticket(group=team.group, status="open")
    with Receiver([]) as receiver:
        _subscribe(api, team, receiver.url, ["message.created"], include_internal=True)
        with django_capture_on_commit_callbacks(execute=True):
            api.post(f"/tickets/{ticket.pk}/messages", team.token("agent"), json={"body": "Internal: refund approved", "public": False})
    assert len(receiver.requests) == 1
    assert b"refund approved" in receiver.requests[0][1]


def test_solving_a_ticket_sends_ticket_solved(api, team, django_capture_on_commit_callbacks):
    ticket = make_ticket(group=team.group, status="open")
    with Receiver([]) as receiver:
        _subscribe(api, team, receiver.url, ["ticket.solved"])
        with django_capture_on_commit_callbacks(execute=True):
            api.patch(f"/tickets/{ticket.pk}", team.token("agent"), json={"status": "solved"})
    assert [h["X-Comptoir-Event"] for h, _b in receiver.requests] == ["ticket.solved"]


def test_the_test_endpoint_sends_a_signed_ping_now(api, team):
    with Receiver([200]) as receiver:
        hook = _subscribe(api, team, receiver.url, ["ticket.created"])
        response = api.post(f"/webhooks/{hook['id']}/test", team.token("admin"))
    assert response.status_code == 200
    assert (response.json()["event"], response.json()["state"]) == ("ping", "succeeded")
    headers, body = receiver.requests[0]
    assert verify(hook["secret"], body, headers["X-Comptoir-Signature"])


def test_an_unreachable_url_is_logged_with_the_error(api, team):
    hook = _subscribe(api, team, "http://127.0.0.1:9/nothing", ["ticket.created"])
    body = api.post(f"/webhooks/{hook['id']}/test", team.token("admin")).json()
    assert body["state"] == "retrying" and body["status_code"] is None and body["error"]


def test_only_admins_manage_webhooks(api, team):
    for role in ("supervisor", "agent", "contact"):
        assert api.get("/webhooks", team.token(role)).status_code == 403
    assert api.post("/webhooks", team.token("agent"), json={"url": "http://x.test/", "events": ["ticket.created"]}).status_code == 403


def test_an_unknown_event_is_refused(api, team):
    response = api.post("/webhooks", team.token("admin"), json={"url": "http://x.test/", "events": ["ticket.exploded"]})
    assert response.status_code == 422


def test_no_subscription_means_no_delivery_rows(team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_ticket()
    assert WebhookDelivery.objects.count() == 0
    assert timezone.now()

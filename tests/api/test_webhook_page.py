"""The admins' webhooks page: subscribe a URL, see deliveries with status codes, press "Send test"."""

from __future__ import annotations

import pytest
from django.test import Client

from comptoir.api.models import WebhookDelivery, WebhookSubscription
from comptoir.api.webhooks.signing import verify
from comptoir.core.models import Role, TicketScope
from tests.api.test_webhooks import Receiver
from tests.factories import make_agent

pytestmark = pytest.mark.django_db


def _signed_in(role: str) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_agent(role, TicketScope.ALL))
    return client


def _csrf(client: Client, url: str = "/agent/webhooks/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.cookies["csrftoken"].value


def test_an_admin_subscribes_a_url_and_sees_its_secret_once():
    client = _signed_in(Role.ADMIN)
    token = _csrf(client)
    response = client.post(
        "/agent/webhooks/",
        {"url": "https://crm.example.test/hooks", "events": ["ticket.created", "ticket.solved"], "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 200
    webhook = WebhookSubscription.objects.get()
    assert webhook.events == ["ticket.created", "ticket.solved"]
    assert webhook.include_internal is False
    assert webhook.secret in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    again = client.get("/agent/webhooks/").content.decode()
    assert "https://crm.example.test/hooks" in again
    assert webhook.secret not in again


def test_a_subscription_without_events_is_refused_with_the_form_shown_again():
    client = _signed_in(Role.ADMIN)
    token = _csrf(client)
    response = client.post("/agent/webhooks/", {"url": "https://crm.example.test/hooks", "csrfmiddlewaretoken": token})
    assert response.status_code == 422
    assert not WebhookSubscription.objects.exists()


def test_a_post_without_csrf_token_is_refused():
    client = _signed_in(Role.ADMIN)
    response = client.post("/agent/webhooks/", {"url": "https://crm.example.test/hooks", "events": ["ticket.created"]})
    assert response.status_code == 403
    assert not WebhookSubscription.objects.exists()


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.AGENT, Role.LIGHT_AGENT])
def test_agents_who_are_not_admins_cannot_see_or_use_the_page(role):
    webhook = WebhookSubscription.objects.create(url="https://crm.example.test/secret-hook", events=["ticket.created"], secret="whsec_x")
    client = _signed_in(role)
    client.handler.enforce_csrf_checks = False
    assert client.get("/agent/webhooks/").status_code == 403
    assert client.get(f"/agent/webhooks/{webhook.pk}/").status_code == 403
    assert client.post(f"/agent/webhooks/{webhook.pk}/test/").status_code == 403
    assert client.post(f"/agent/webhooks/{webhook.pk}/delete/").status_code == 403
    assert WebhookSubscription.objects.filter(pk=webhook.pk).exists()
    assert not WebhookDelivery.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in():
    response = Client().get("/agent/webhooks/")
    assert response.status_code == 302
    assert "next=/agent/webhooks/" in response["Location"]


def test_send_test_posts_a_signed_ping_and_the_log_shows_its_status_code():
    with Receiver([503, 200]) as receiver:
        webhook = WebhookSubscription.objects.create(url=receiver.url, events=["ticket.created"], secret="whsec_test")
        client = _signed_in(Role.OWNER)
        token = _csrf(client, f"/agent/webhooks/{webhook.pk}/")

        failed = client.post(f"/agent/webhooks/{webhook.pk}/test/", {"csrfmiddlewaretoken": token}, follow=True)
        page = failed.content.decode()
        assert "Test failed: the receiver answered 503." in page
        assert "Send test" in page

        delivered = client.post(f"/agent/webhooks/{webhook.pk}/test/", {"csrfmiddlewaretoken": token}, follow=True)
        assert "Test delivered: the receiver answered 200." in delivered.content.decode()

    assert len(receiver.requests) == 2
    headers, body = receiver.requests[-1]
    assert verify("whsec_test", body, headers["X-Comptoir-Signature"])
    assert headers["X-Comptoir-Event"] == "ping"
    codes = sorted(WebhookDelivery.objects.filter(subscription=webhook).values_list("status_code", flat=True))
    assert codes == [200, 503]
    listing = client.get("/agent/webhooks/").content.decode()
    assert "200" in listing  # the latest delivery's status code


def test_an_admin_pauses_then_deletes_a_webhook():
    webhook = WebhookSubscription.objects.create(url="https://crm.example.test/hooks", events=["ticket.created"], secret="whsec_x")
    client = _signed_in(Role.ADMIN)
    token = _csrf(client, f"/agent/webhooks/{webhook.pk}/")
    client.post(f"/agent/webhooks/{webhook.pk}/toggle/", {"csrfmiddlewaretoken": token})
    webhook.refresh_from_db()
    assert webhook.active is False
    response = client.post(f"/agent/webhooks/{webhook.pk}/delete/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert not WebhookSubscription.objects.exists()

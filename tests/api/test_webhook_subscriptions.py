"""api.webhooks.subscriptions: the one write path for webhook subscriptions, and the router on top of it."""

from __future__ import annotations

import pytest

from comptoir.api.models import WebhookDelivery, WebhookSubscription
from comptoir.api.webhooks import subscriptions
from comptoir.core.errors import ValidationFailed
from comptoir.core.permissions import PermissionDenied
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings):
    """As in production: webhooks may only reach public addresses."""
    settings.COMPTOIR_WEBHOOK_ALLOW_PRIVATE = False
    return settings


def test_a_subscription_gets_its_own_secret_and_sorted_events(team):
    admin = team.members["admin"]
    first = subscriptions.create_subscription(url="http://127.0.0.1:9/a", events=["ticket.updated", "ticket.created", "ticket.created"], actor=admin)
    second = subscriptions.create_subscription(url="http://127.0.0.1:9/b", events=["ticket.created"], actor=admin)
    assert first.events == ["ticket.created", "ticket.updated"]
    assert first.created_by == admin
    assert first.secret and first.secret != second.secret


def test_only_admins_subscribe(team):
    with pytest.raises(PermissionDenied):
        subscriptions.create_subscription(url="http://127.0.0.1:9/a", events=["ticket.created"], actor=team.members["supervisor"])
    assert not WebhookSubscription.objects.exists()


def test_unknown_events_are_refused(team):
    with pytest.raises(ValidationFailed) as caught:
        subscriptions.create_subscription(url="http://127.0.0.1:9/a", events=["ticket.exploded"], actor=team.members["admin"])
    assert caught.value.fields == {"events": "invalid"}


def test_a_url_that_is_not_http_is_refused(team):
    with pytest.raises(ValidationFailed) as caught:
        subscriptions.create_subscription(url="ftp://example.test/hook", events=["ticket.created"], actor=team.members["admin"])
    assert caught.value.fields == {"url": "invalid"}


def test_a_private_address_is_refused_when_subscribing(team, production):
    with pytest.raises(ValidationFailed) as caught:
        subscriptions.create_subscription(url="http://10.0.0.5:6379/", events=["ticket.created"], actor=team.members["admin"])
    assert caught.value.fields == {"url": "private_address"}


def test_moving_a_subscription_to_a_private_address_is_refused(team, production):
    hook = WebhookSubscription.objects.create(url="http://93.184.216.34/hook", events=["ticket.created"], secret="s")
    with pytest.raises(ValidationFailed):
        subscriptions.update_subscription(hook, {"url": "http://169.254.169.254/latest/meta-data/"}, actor=team.members["admin"])
    hook.refresh_from_db()
    assert hook.url == "http://93.184.216.34/hook"


def test_changed_events_take_effect_on_the_next_ticket(team, django_capture_on_commit_callbacks):
    hook = subscriptions.create_subscription(url="http://127.0.0.1:9/a", events=["ticket.created"], actor=team.members["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        make_ticket()
    assert WebhookDelivery.objects.filter(subscription=hook, event="ticket.created").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        subscriptions.update_subscription(hook, {"events": ["ticket.updated"]}, actor=team.members["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        make_ticket()
    assert WebhookDelivery.objects.filter(subscription=hook, event="ticket.created").count() == 1


def test_updating_keeps_the_secret(team):
    hook = subscriptions.create_subscription(url="http://127.0.0.1:9/a", events=["ticket.created"], actor=team.members["admin"])
    secret = hook.secret
    subscriptions.update_subscription(hook, {"description": "CRM sync", "include_internal": True}, actor=team.members["admin"])
    hook.refresh_from_db()
    assert (hook.secret, hook.description, hook.include_internal) == (secret, "CRM sync", True)


def test_the_secret_cannot_be_set(team):
    hook = subscriptions.create_subscription(url="http://127.0.0.1:9/a", events=["ticket.created"], actor=team.members["admin"])
    with pytest.raises(ValidationFailed) as caught:
        subscriptions.update_subscription(hook, {"secret": "chosen"}, actor=team.members["admin"])
    assert caught.value.fields == {"secret": "unknown"}


def test_deleting_a_subscription_drops_its_delivery_log(team):
    hook = subscriptions.create_subscription(url="http://127.0.0.1:9/a", events=["ticket.created"], actor=team.members["admin"])
    WebhookDelivery.objects.create(subscription=hook, event_id="evt_1", event="ticket.created", body="{}")
    subscriptions.delete_subscription(hook, actor=team.members["admin"])
    assert not WebhookSubscription.objects.filter(pk=hook.pk).exists()
    assert not WebhookDelivery.objects.exists()


def test_only_admins_unsubscribe(team):
    hook = subscriptions.create_subscription(url="http://127.0.0.1:9/a", events=["ticket.created"], actor=team.members["admin"])
    with pytest.raises(PermissionDenied):
        subscriptions.delete_subscription(hook, actor=team.members["agent"])


def test_the_secret_is_shown_once_and_kept_on_update_over_http(api, team):
    created = api.post("/webhooks", team.token("admin"), json={"url": "http://127.0.0.1:9/a", "events": ["ticket.solved", "ticket.created"]})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["events"] == ["ticket.created", "ticket.solved"]
    updated = api.patch(f"/webhooks/{body['id']}", team.token("admin"), json={"events": ["message.created"]})
    assert updated.status_code == 200
    assert "secret" not in updated.json()
    assert WebhookSubscription.objects.get(pk=body["id"]).secret == body["secret"]


def test_moving_a_webhook_to_a_private_address_over_http_is_refused(api, team, production):
    hook = WebhookSubscription.objects.create(url="http://93.184.216.34/hook", events=["ticket.created"], secret="s")
    response = api.patch(f"/webhooks/{hook.pk}", team.token("admin"), json={"url": "http://192.168.1.20/hook"})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"url": "private_address"}


def test_deleting_a_webhook_over_http(api, team):
    hook = subscriptions.create_subscription(url="http://127.0.0.1:9/a", events=["ticket.created"], actor=team.members["admin"])
    assert api.delete(f"/webhooks/{hook.pk}", team.token("supervisor")).status_code == 403
    assert api.delete(f"/webhooks/{hook.pk}", team.token("admin")).status_code == 204
    assert not WebhookSubscription.objects.filter(pk=hook.pk).exists()

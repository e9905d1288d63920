"""/api/v1/webhooks: admins subscribe URLs to events, read the delivery log, send a test."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja import Status as Reply

from comptoir.api.access import VIA, agent_of
from comptoir.api.models import WebhookDelivery, WebhookSubscription
from comptoir.api.pagination import SortKey, keyset_page, next_url
from comptoir.api.schemas.common import ERRORS, PageQuery, page_of
from comptoir.api.schemas.integrations import (
    DeliveryOut,
    NewWebhookOut,
    WebhookIn,
    WebhookOut,
    WebhookPatchIn,
    delivery_out,
    webhook_out,
)
from comptoir.api.webhooks import subscriptions
from comptoir.api.webhooks.delivery import attempt_delivery, queue_test
from comptoir.core.errors import NotFound

router = Router()
ADMIN = "admin.settings"


def _webhook(webhook_id: int) -> WebhookSubscription:
    webhook = WebhookSubscription.objects.filter(pk=webhook_id).first()
    if webhook is None:
        raise NotFound(_("Webhook not found."))
    return webhook


@router.get("", response={200: page_of(WebhookOut), **ERRORS}, url_name="list_webhooks", summary="List webhooks")
def list_webhooks(request: HttpRequest, page: Query[PageQuery]) -> Any:
    agent_of(request, ADMIN)
    rows, cursor = keyset_page(WebhookSubscription.objects.all(), [SortKey("id")], page.cursor, page.limit, tag="webhooks")
    return {"results": [webhook_out(w) for w in rows], "next": next_url(request, cursor)}


@router.post("", response={201: NewWebhookOut, **ERRORS}, url_name="create_webhook", summary="Subscribe a URL")
def create_webhook(request: HttpRequest, data: WebhookIn) -> Any:
    """Returns the signing secret once. Internal notes are sent only with `include_internal: true`.

    The URL must reach a public address: private, loopback and link-local ones are refused.
    """
    actor = agent_of(request, ADMIN)
    webhook = subscriptions.create_subscription(**data.dict(), actor=actor, via=VIA)
    return Reply(201, {**webhook_out(webhook), "secret": webhook.secret})


@router.get("/{int:webhook_id}", response={200: WebhookOut, **ERRORS}, url_name="get_webhook", summary="Get a webhook")
def get_webhook(request: HttpRequest, webhook_id: int) -> Any:
    agent_of(request, ADMIN)
    return webhook_out(_webhook(webhook_id))


@router.patch("/{int:webhook_id}", response={200: WebhookOut, **ERRORS}, url_name="update_webhook", summary="Update a webhook")
def update_webhook(request: HttpRequest, webhook_id: int, data: WebhookPatchIn) -> Any:
    """A new URL is checked like a new subscription's; the secret stays."""
    actor = agent_of(request, ADMIN)
    changes = {field: value for field, value in data.dict(exclude_unset=True).items() if value is not None}
    return webhook_out(subscriptions.update_subscription(_webhook(webhook_id), changes, actor=actor, via=VIA))


@router.delete("/{int:webhook_id}", response={204: None, **ERRORS}, url_name="delete_webhook", summary="Delete a webhook")
def delete_webhook(request: HttpRequest, webhook_id: int) -> Any:
    """Its delivery log goes with it."""
    actor = agent_of(request, ADMIN)
    subscriptions.delete_subscription(_webhook(webhook_id), actor=actor, via=VIA)
    return Reply(204, None)


@router.get("/{int:webhook_id}/deliveries", response={200: page_of(DeliveryOut), **ERRORS}, url_name="list_deliveries", summary="Delivery log")
def list_deliveries(request: HttpRequest, webhook_id: int, page: Query[PageQuery]) -> Any:
    """Newest first: status code, response excerpt, attempt number and next retry of each delivery."""
    agent_of(request, ADMIN)
    webhook = _webhook(webhook_id)
    keys = [SortKey("created_at", True), SortKey("id", True)]
    rows, cursor = keyset_page(WebhookDelivery.objects.filter(subscription=webhook), keys, page.cursor, page.limit, tag="deliveries")
    return {"results": [delivery_out(d) for d in rows], "next": next_url(request, cursor)}


@router.post("/{int:webhook_id}/test", response={200: DeliveryOut, **ERRORS}, url_name="test_webhook", summary="Send a test delivery")
def test_webhook(request: HttpRequest, webhook_id: int) -> Any:
    """Sends a signed "ping" now and returns its outcome; a failure is retried like any delivery."""
    agent_of(request, ADMIN)
    delivery = queue_test(_webhook(webhook_id))
    attempt_delivery(delivery.pk)
    delivery.refresh_from_db()
    return delivery_out(delivery)

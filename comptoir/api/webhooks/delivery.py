"""Queueing and sending webhook deliveries, with retries and exponential backoff.

Each event becomes one WebhookDelivery per interested subscription, written
when the event is published (after commit) and sent by the worker. A failed
attempt (network error, timeout, non-2xx) is retried 30 s, 1 min, 2 min, ...
later, up to MAX_ATTEMPTS; every attempt updates the delivery log.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone

from comptoir.api.models import DeliveryState, WebhookDelivery, WebhookEvent, WebhookSubscription
from comptoir.api.webhooks import payloads
from comptoir.api.webhooks.destinations import (
    GuardedHTTPHandler,
    GuardedHTTPSHandler,
    blocked_reason,
)
from comptoir.api.webhooks.signing import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    sign,
)
from comptoir.core.hooks import Event
from comptoir.core.process_cache import process_cached
from comptoir.tickets.models import MessageKind

MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(seconds=30)
MAX_DELAY = timedelta(hours=6)
TIMEOUT_SECONDS = 10
EXCERPT_CHARS = 2000
# While an attempt runs, the delivery is leased so the retry sweep leaves it alone.
LEASE = timedelta(seconds=TIMEOUT_SECONDS * 3)
USER_AGENT = "Comptoir-Webhooks/1"

EVENTS = set(WebhookEvent.values)


def retry_delay(attempt: int) -> timedelta:
    """Delay after the `attempt`-th failure: 30 s, 1 min, 2 min, 4 min, ... capped at 6 h."""
    return min(FIRST_RETRY * (2 ** max(0, attempt - 1)), MAX_DELAY)


# Every ticket change publishes an event; most installations have no or few
# subscriptions, so they are read once per SUBSCRIPTIONS_CACHE_SECONDS instead of per event.
SUBSCRIPTIONS_CACHE_SECONDS = 5.0


@process_cached(SUBSCRIPTIONS_CACHE_SECONDS)
def active_subscriptions() -> list[WebhookSubscription]:
    """The active subscriptions; a change made by another process shows within a few seconds."""
    return list(WebhookSubscription.objects.filter(active=True))


def forget_subscriptions() -> None:
    """Called after subscriptions change, so this process delivers to the new set at once."""
    active_subscriptions.clear()


def queue_event(event: Event) -> list[WebhookDelivery]:
    """Write the deliveries of one event and hand them to the worker."""
    if event.kind not in EVENTS:
        return []
    subscriptions = [s for s in active_subscriptions() if event.kind in (s.events or [])]
    if not subscriptions:
        return []
    message = payloads.load_message(event.data.get("message_id")) if event.kind == "message.created" else None
    if message is not None and message.kind != MessageKind.REPLY:
        subscriptions = [s for s in subscriptions if s.include_internal]
        if not subscriptions:
            return []
    ticket = payloads.load_ticket(event.ticket_id)
    event_id, body = payloads.encode(event.kind, payloads.event_data(event, ticket, message))
    deliveries = WebhookDelivery.objects.bulk_create(
        [WebhookDelivery(subscription=s, event_id=event_id, event=event.kind, body=body) for s in subscriptions]
    )
    from comptoir.api.tasks import deliver_webhook

    for delivery in deliveries:
        deliver_webhook(delivery.pk)
    return deliveries


def queue_test(subscription: WebhookSubscription) -> WebhookDelivery:
    """A "ping" delivery, to check the receiver and its signature verification."""
    event_id, body = payloads.encode("ping", {"webhook_id": subscription.pk, "message": "Test delivery from Comptoir."})
    return WebhookDelivery.objects.create(subscription=subscription, event_id=event_id, event="ping", body=body)


def _claim(delivery_id: int, now: datetime) -> WebhookDelivery | None:
    claimed = WebhookDelivery.objects.filter(
        Q(next_retry_at__isnull=True) | Q(next_retry_at__lte=now),
        pk=delivery_id,
        state__in=[DeliveryState.PENDING, DeliveryState.RETRYING],
    ).update(next_retry_at=now + LEASE)
    if not claimed:
        return None
    return WebhookDelivery.objects.select_related("subscription").get(pk=delivery_id)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a redirect is an answer, not something to follow with a signed body


# The guarded handlers refuse to talk to private addresses (see destinations.py).
_opener = urllib.request.build_opener(_NoRedirect, GuardedHTTPHandler, GuardedHTTPSHandler)


def _post(url: str, headers: dict[str, str], body: bytes) -> tuple[int | None, str, str]:
    """(status code, response excerpt, error) of one POST."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status, response.read(EXCERPT_CHARS).decode("utf-8", "replace"), ""
    except urllib.error.HTTPError as exc:
        try:
            excerpt = exc.read(EXCERPT_CHARS).decode("utf-8", "replace")
        except OSError:
            excerpt = ""
        return exc.code, excerpt, ""
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return None, "", str(getattr(exc, "reason", exc))[:500]


def attempt_delivery(delivery_id: int, *, now: datetime | None = None) -> WebhookDelivery | None:
    """Send one attempt if the delivery is due; record the outcome; returns the delivery or None if not due."""
    now = now or timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return None
    subscription = delivery.subscription
    body = delivery.body.encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: sign(subscription.secret, body),
        TIMESTAMP_HEADER: str(int(timezone.now().timestamp())),
        EVENT_HEADER: delivery.event,
        DELIVERY_HEADER: delivery.event_id,
    }
    refused = blocked_reason(subscription.url, refuse_unresolvable=False)
    status, excerpt, error = (None, "", refused[:500]) if refused else _post(subscription.url, headers, body)
    delivery.attempt += 1
    delivery.status_code = status
    delivery.response_excerpt = excerpt
    delivery.error = error
    delivery.last_attempt_at = timezone.now()
    if refused:
        # An address policy answer, not a transient failure: retrying would only repeat it.
        delivery.state = DeliveryState.FAILED
        delivery.next_retry_at = None
    elif status is not None and 200 <= status < 300:
        delivery.state = DeliveryState.SUCCEEDED
        delivery.next_retry_at = None
    elif delivery.attempt >= MAX_ATTEMPTS or not subscription.active:
        delivery.state = DeliveryState.FAILED
        delivery.next_retry_at = None
    else:
        delivery.state = DeliveryState.RETRYING
        delivery.next_retry_at = delivery.last_attempt_at + retry_delay(delivery.attempt)
    delivery.save(update_fields=["attempt", "status_code", "response_excerpt", "error", "last_attempt_at", "state", "next_retry_at"])
    if delivery.state == DeliveryState.RETRYING:
        from comptoir.api.tasks import deliver_webhook

        deliver_webhook.schedule((delivery.pk,), eta=delivery.next_retry_at)
    return delivery


def deliver_due(*, now: datetime | None = None, batch: int = 200) -> int:
    """The sweep: attempt every delivery whose retry time has come (scheduled tasks can be lost)."""
    now = now or timezone.now()
    due = list(
        WebhookDelivery.objects.filter(state__in=[DeliveryState.PENDING, DeliveryState.RETRYING], next_retry_at__lte=now)
        .order_by("next_retry_at")
        .values_list("pk", flat=True)[:batch]
    )
    sent = 0
    for pk in due:
        if attempt_delivery(pk, now=now) is not None:
            sent += 1
    return sent

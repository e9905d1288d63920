"""The one way to change webhook subscriptions (the API app's own data).

Admins (capability "admin.settings") subscribe URLs to events. Every URL is
checked against the private-address rule of destinations.py when it is set, so
an admin gets a clear error instead of deliveries that fail later. After a
change, the delivery side's subscription cache (if it keeps one) is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.utils.translation import gettext as _

from comptoir.api.models import WebhookEvent, WebhookSubscription
from comptoir.api.webhooks import delivery
from comptoir.api.webhooks.destinations import blocked_reason
from comptoir.api.webhooks.signing import new_secret
from comptoir.core.errors import ValidationFailed
from comptoir.core.history import record_change, snapshot
from comptoir.core.models import Agent
from comptoir.core.permissions import require

ADMIN = "admin.settings"
UPDATABLE = {"url", "description", "events", "include_internal", "active"}
MAX_URL = 500
MAX_DESCRIPTION = 200
# What the audit log keeps of a subscription (never its signing secret).
AUDITED = ("url", "description", "events", "include_internal", "active")


def _url(value: Any) -> str:
    """A http(s) URL whose host resolves to public addresses only (unless the operator allows private ones)."""
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > MAX_URL:
        raise ValidationFailed(_("The URL is not valid."), {"url": "invalid"})
    url = value.strip()
    try:
        parts = urlsplit(url)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        valid = False
    if not valid:
        raise ValidationFailed(_("The URL is not valid."), {"url": "invalid"})
    reason = blocked_reason(url)
    if reason:
        raise ValidationFailed(reason, {"url": "private_address"})
    return url


def _events(value: Any) -> list[str]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValidationFailed(_("Choose at least one event."), {"events": "required"})
    events = sorted(set(value))
    if not events:
        raise ValidationFailed(_("Choose at least one event."), {"events": "required"})
    if any(e not in WebhookEvent.values for e in events):
        raise ValidationFailed(_("Unknown event."), {"events": "invalid"})
    return events


def _description(value: Any) -> str:
    if not isinstance(value, str) or len(value) > MAX_DESCRIPTION:
        raise ValidationFailed(_("The description is too long."), {"description": "invalid"})
    return value.strip()


def _flag(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationFailed(_("This field must be true or false."), {field: "invalid"})
    return value


def _forget_subscriptions() -> None:
    """Drop the delivery side's cached subscriptions now and again after commit (the change is then visible)."""
    delivery.forget_subscriptions()
    transaction.on_commit(delivery.forget_subscriptions)


@transaction.atomic
def create_subscription(
    *,
    url: str,
    events: Iterable[str],
    description: str = "",
    include_internal: bool = False,
    active: bool = True,
    actor: Any,
    via: str = "",
) -> WebhookSubscription:
    """Subscribe `url` to `events`, with a new signing secret (the caller shows it once).

    Internal notes reach the URL only with include_internal.
    """
    require(actor, ADMIN)
    subscription = WebhookSubscription.objects.create(
        url=_url(url), events=_events(events), description=_description(description),
        include_internal=_flag(include_internal, "include_internal"), active=_flag(active, "active"),
        secret=new_secret(), created_by=actor if isinstance(actor, Agent) else None,
    )
    record_change("webhook.created", subscription, actor=actor, via=via, after=snapshot(subscription, AUDITED))
    _forget_subscriptions()
    return subscription


@transaction.atomic
def update_subscription(subscription: WebhookSubscription, changes: dict[str, Any], *, actor: Any, via: str = "") -> WebhookSubscription:
    """Change a subscription's URL (checked again), events, description, internal-notes flag or active flag.
    The secret stays: receivers keep verifying with it."""
    require(actor, ADMIN)
    unknown = sorted(set(changes) - UPDATABLE)
    if unknown:
        raise ValidationFailed(_("These fields cannot be changed."), dict.fromkeys(unknown, "unknown"))
    before = snapshot(subscription, AUDITED)
    for field, value in changes.items():
        if field == "url":
            subscription.url = _url(value)
        elif field == "events":
            subscription.events = _events(value)
        elif field == "description":
            subscription.description = _description(value)
        else:
            setattr(subscription, field, _flag(value, field))
    if changes:
        subscription.save(update_fields=sorted(changes))
    record_change("webhook.updated", subscription, actor=actor, via=via, before=before, after=snapshot(subscription, AUDITED))
    _forget_subscriptions()
    return subscription


@transaction.atomic
def delete_subscription(subscription: WebhookSubscription, *, actor: Any, via: str = "") -> None:
    """Unsubscribe; the subscription's delivery log goes with it."""
    require(actor, ADMIN)
    record_change("webhook.deleted", subscription, actor=actor, via=via, before=snapshot(subscription, AUDITED))
    subscription.delete()
    _forget_subscriptions()

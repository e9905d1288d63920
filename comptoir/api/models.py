"""API tokens: random secrets shown once, stored as SHA-256 digests.

A token is 32 random bytes, so a fast hash is safe here and keeps every
request's check to one indexed lookup (no password hashing per request).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from comptoir.contacts.models import Contact


class ApiToken(models.Model):
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="api_tokens")
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=120, blank=True)
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(agent__isnull=False, contact__isnull=True) | models.Q(agent__isnull=True, contact__isnull=False),
                name="token_owner_exactly_one",
            )
        ]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @property
    def owner(self) -> object:
        return self.agent if self.agent_id else self.contact


class IdempotencyRecord(models.Model):
    """The first answer to a POST sent with an Idempotency-Key, replayed to retries for 24 hours.

    `status_code` 0 marks a request still running: a concurrent retry gets 409
    instead of doing the work twice.
    """

    key = models.CharField(max_length=255)
    owner = models.CharField(max_length=40)  # "agent:12" or "contact:7"
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(default=0)
    body = models.BinaryField(default=b"")
    content_type = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "owner"], name="idempotency_key_owner")]
        indexes = [models.Index(fields=["created_at"], name="idempotency_created")]

    def __str__(self) -> str:
        return f"{self.owner} {self.key}"


class WebhookEvent(models.TextChoices):
    TICKET_CREATED = "ticket.created", _("Ticket created")
    TICKET_UPDATED = "ticket.updated", _("Ticket updated")
    TICKET_SOLVED = "ticket.solved", _("Ticket solved")
    TICKET_DELETED = "ticket.deleted", _("Ticket deleted")
    MESSAGE_CREATED = "message.created", _("Message created")
    CSAT_RECEIVED = "csat.received", _("Satisfaction rating received")


class WebhookSubscription(models.Model):
    """An admin's request to be told, by a signed POST to `url`, when some events happen."""

    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(max_length=80)
    # Internal notes are agent-only; they leave the helpdesk only when an admin says so.
    include_internal = models.BooleanField(_("include internal notes"), default=False)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self) -> str:
        return self.url


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Pending")
    RETRYING = "retrying", _("Retrying")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class WebhookDelivery(models.Model):
    """One event sent (or being sent) to one subscription; the log admins read."""

    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.CharField(max_length=40)
    event = models.CharField(max_length=40)
    body = models.TextField()  # the exact bytes signed and sent, so retries are identical
    state = models.CharField(max_length=12, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    attempt = models.PositiveSmallIntegerField(default=0)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_excerpt = models.TextField(blank=True)
    error = models.CharField(max_length=500, blank=True)
    next_retry_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["subscription", "-created_at"], name="delivery_subscription"),
            # The retry sweep: deliveries due again.
            models.Index(fields=["state", "next_retry_at"], name="delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.event} -> {self.subscription_id} ({self.state})"

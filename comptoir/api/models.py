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

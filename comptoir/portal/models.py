"""The portal's own data: which sign-in links were already used (they work once)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from comptoir.contacts.models import Contact


class UsedSignInLink(models.Model):
    """A redeemed sign-in link, by its nonce; a second redemption hits the unique constraint."""

    nonce = models.CharField(max_length=64, unique=True)
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    used_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.contact_id}:{self.nonce[:8]}"

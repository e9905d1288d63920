"""Issuing, checking and revoking API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from comptoir.api.models import ApiToken
from comptoir.contacts.models import Contact
from comptoir.core.actors import SystemActor
from comptoir.core.history import record_change
from comptoir.core.models import Agent
from comptoir.core.permissions import PermissionDenied, can

TOKEN_PREFIX = "cpt_"


def digest_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(owner: Agent | Contact, name: str = "") -> tuple[ApiToken, str]:
    """Create a token for an agent or a contact; returns (token row, the secret shown once)."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        agent=owner if isinstance(owner, Agent) else None,
        contact=owner if isinstance(owner, Contact) else None,
        name=name[:120],
        prefix=raw[:12],
        digest=digest_token(raw),
    )
    return token, raw


def authenticate_token(raw: str) -> ApiToken | None:
    """The live token for this secret, or None. Updates last-used at most once a minute.

    The owner is checked on every request, not only when the token is revoked:
    a deactivated agent or a contact merged into another is refused even if the
    revoke step that follows those changes (after commit) never ran.
    """
    if not raw or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("agent", "contact")
        .filter(digest=digest_token(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return None
    owner = token.agent or token.contact
    if owner is None:
        return None
    if isinstance(owner, Agent) and not owner.is_active:
        return None
    if isinstance(owner, Contact) and owner.merged_into_id is not None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def may_revoke(actor: Any, token: ApiToken) -> bool:
    """Its owner revokes a token; so do agents holding "admin.agents" (any agent's or contact's), and the system."""
    if isinstance(actor, SystemActor):
        return True
    if isinstance(actor, Agent):
        return (token.agent_id == actor.pk and actor.is_active) or can(actor, "admin.agents")
    return isinstance(actor, Contact) and token.contact_id == actor.pk


@transaction.atomic
def revoke_token(token: ApiToken, *, actor: Any, via: str = "") -> None:
    """Stop a token at once (it stays listed, revoked); the audit log says who revoked whose token."""
    if not may_revoke(actor, token):
        raise PermissionDenied(_("You cannot revoke this token."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_change("api_token.revoked", token, actor=actor, via=via, object_type="apitoken",
                      before={"revoked": False}, after={"revoked": True})

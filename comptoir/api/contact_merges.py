"""What the API does when two contacts are merged: the duplicate's tokens stop working."""

from __future__ import annotations

from django.utils import timezone

from comptoir.api.models import ApiToken
from comptoir.core.hooks import Event, subscribe


def revoke_tokens_of_merged_contact(event: Event) -> None:
    """Revoke every live API token of the contact merged away ("contact.merged", data["from_id"]).

    Revoked rather than moved to the kept contact: a token's holder proved who
    they were as the duplicate, and a merge made by mistake must not hand them
    the kept contact's tickets. The kept contact issues a new token if needed;
    the revoked rows stay for the audit trail (revoked_at set).
    """
    from_id = event.data.get("from_id")
    if from_id is None:
        return
    ApiToken.objects.filter(contact_id=from_id, revoked_at__isnull=True).update(revoked_at=timezone.now())


def register() -> None:
    subscribe("contact.merged", revoke_tokens_of_merged_contact)

"""Deleting a ticket for good: the ticket, its conversation, history and files.

Tickets have no "deleted" flag, so deletion is a hard delete. It is reserved to
owners and admins (capability "ticket.delete"), for the cases archiving does not
cover: spam that slipped through, or personal data that must go. The history
goes with the ticket, so the published "ticket.deleted" event (and its webhook)
carries a snapshot of what was removed and by whom.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.files.storage import Storage
from django.db import transaction

from comptoir.core.actors import actor_kind, actor_label
from comptoir.core.hooks import Event, emit
from comptoir.tickets.actions.guards import ensure_allowed
from comptoir.tickets.models import Attachment, Ticket

logger = logging.getLogger(__name__)


def _remove_files(storage: Storage, names: list[str]) -> None:
    """Delete stored files; a file already gone is not an error (deletion is the goal)."""
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("Could not delete attachment file %s", name, exc_info=True)


@transaction.atomic
def delete_ticket(ticket: Ticket, *, actor: Any, via: str) -> None:
    """Remove `ticket` with its messages, events and attachments, in one transaction.

    Files in storage are deleted only after the transaction commits, so a rolled
    back deletion never leaves rows pointing at missing files; a file shared with
    an attachment of another ticket is kept. Emits "ticket.deleted" after commit
    with the ticket's id, number, subject and contact id.
    """
    ensure_allowed(actor, "ticket.delete", ticket)
    locked = Ticket.objects.select_for_update().filter(pk=ticket.pk).first()
    if locked is None:
        return  # deleted meanwhile by someone else: nothing left to do
    attachments = list(Attachment.objects.filter(ticket=locked).values_list("file", flat=True))
    names = sorted({name for name in attachments if name})
    shared = set(
        Attachment.objects.filter(file__in=names).exclude(ticket=locked).values_list("file", flat=True)
    )
    to_remove = [name for name in names if name not in shared]
    summary = {"id": locked.pk, "number": locked.number, "subject": locked.subject, "contact_id": locked.contact_id}
    snapshot: dict[str, Any] = {"ticket": summary, "via": via}
    ticket_id = locked.pk
    locked.delete()  # messages, attachments, events and casework rows cascade
    # The ticket's own history goes with it; the log keeps who removed what.
    logger.info("Ticket #%s (id %s) deleted by %s via %s", locked.number, ticket_id, actor_label(actor), via)
    storage = Attachment._meta.get_field("file").storage  # type: ignore[attr-defined]
    transaction.on_commit(lambda: _remove_files(storage, to_remove))
    emit(Event("ticket.deleted", ticket_id=ticket_id, actor_kind=actor_kind(actor), actor_id=getattr(actor, "pk", None), data=snapshot))

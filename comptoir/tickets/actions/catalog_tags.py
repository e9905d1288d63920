"""Merging one tag into another: the admin center's answer to "billing" and "invoices" meaning the same.

Kept apart from `catalog.py` (create, rename, delete) because a merge touches
the ticket–tag links of possibly many tickets: it works in batches, writes
each ticket's history, and only then deletes the source tag.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from comptoir.core.errors import ValidationFailed
from comptoir.core.history import record_change
from comptoir.core.permissions import require
from comptoir.tickets import history
from comptoir.tickets.actions.catalog import SETTINGS
from comptoir.tickets.models import EventKind, Tag, Ticket

MERGE_BATCH = 1000


@transaction.atomic
def merge_tags(source: Tag, target: Tag, *, actor: Any, via: str = "") -> int:
    """Put `target` on every ticket carrying `source`, remove `source` everywhere, delete it.

    Each of those tickets gets "tag removed" (source) and, when it did not
    already carry the target, "tag added" (target) in its history, as if an
    agent had edited it. Returns how many tickets carried the source.
    """
    require(actor, SETTINGS)
    if source.pk == target.pk:
        raise ValidationFailed(_("Pick another tag to merge into."), {"target": "same"})
    source = Tag.objects.select_for_update().get(pk=source.pk)
    target = Tag.objects.select_for_update().get(pk=target.pk)
    links = Ticket.tags.through.objects
    ticket_ids = list(links.filter(tag_id=source.pk).order_by("ticket_id").values_list("ticket_id", flat=True))
    now = timezone.now()
    data = {"reason": "tag_merged"}
    for start in range(0, len(ticket_ids), MERGE_BATCH):
        batch = ticket_ids[start:start + MERGE_BATCH]
        already = set(links.filter(tag_id=target.pk, ticket_id__in=batch).values_list("ticket_id", flat=True))
        links.bulk_create([links.model(ticket_id=pk, tag_id=target.pk) for pk in batch if pk not in already])
        links.filter(tag_id=source.pk, ticket_id__in=batch).delete()
        events = [history.build(Ticket(pk=pk), EventKind.TAG_REMOVED, actor=actor, via=via, old=source.name, data=data, at=now)
                  for pk in batch]
        events += [history.build(Ticket(pk=pk), EventKind.TAG_ADDED, actor=actor, via=via, new=target.name, data=data, at=now)
                   for pk in batch if pk not in already]
        history.record_many(events)
        Ticket.objects.filter(pk__in=batch).update(updated_at=now)
    record_change("tag.merged", target, actor=actor, via=via, before={"merged": source.name},
                  after={"merged": None, "into": target.name, "tickets": len(ticket_ids)})
    source.delete()
    return len(ticket_ids)

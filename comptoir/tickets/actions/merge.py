"""Merging duplicate tickets and duplicate contacts."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from comptoir.contacts.actions import merge_contact_records
from comptoir.contacts.models import Account, Contact
from comptoir.core.actors import actor_kind
from comptoir.core.errors import ValidationFailed
from comptoir.core.hooks import Event, emit
from comptoir.core.permissions import require
from comptoir.tickets import history
from comptoir.tickets.actions.guards import apply_status, ensure_allowed
from comptoir.tickets.models import (
    Attachment,
    EventKind,
    Message,
    MessageKind,
    StatusCategory,
    Ticket,
)
from comptoir.tickets.statuses import default_status


@transaction.atomic
def merge_tickets(source: Ticket, target: Ticket, *, actor: Any, via: str) -> Ticket:
    """Fold `source` into `target`: messages, files, followers and CCs move; source closes.

    Both tickets record the merge; the source keeps a link to the target so a
    later customer reply on it lands on the target.
    """
    ensure_allowed(actor, "ticket.merge", source)
    ensure_allowed(actor, "ticket.merge", target)
    if source.pk == target.pk:
        raise ValidationFailed(_("A ticket cannot be merged into itself."), {"target": "same"})
    source = Ticket.objects.select_for_update().select_related("status").get(pk=source.pk)
    target = Ticket.objects.select_for_update().select_related("status").get(pk=target.pk)
    if source.merged_into_id:
        raise ValidationFailed(_("This ticket was already merged."), {"source": "merged"})
    if target.status_category == StatusCategory.CLOSED or target.merged_into_id:
        raise ValidationFailed(_("Cannot merge into a closed ticket."), {"target": "closed"})
    now = timezone.now()
    moved = Message.objects.filter(ticket=source).update(ticket=target)
    Attachment.objects.filter(ticket=source).update(ticket=target)
    target.followers.add(*source.followers.all())
    cc = [c for c in source.cc_contacts.all() if c.pk != target.contact_id]
    if source.contact_id != target.contact_id:
        cc.append(source.contact)
    target.cc_contacts.add(*cc)
    target.tags.add(*source.tags.all())
    Message.objects.create(
        ticket=target, kind=MessageKind.SYSTEM, author_kind="system", channel="web",
        body_text=_("Ticket #%(number)s was merged into this ticket.") % {"number": source.number}, created_at=now,
    )
    changes = apply_status(source, default_status(StatusCategory.CLOSED), now)
    source.merged_into = target
    source.updated_at = now
    source.save()
    target.updated_at = now
    target.save(update_fields=["updated_at"])
    history.record_many([
        history.build(source, EventKind.MERGED_INTO, actor=actor, via=via, new={"id": target.pk, "number": target.number},
                      data={"messages_moved": moved}, at=now),
        *[history.build(source, EventKind.FIELD_CHANGED, actor=actor, via=via, field=f, old=o, new=n, data={"reason": "merged"}, at=now) for f, o, n in changes],
        history.build(target, EventKind.MERGED_FROM, actor=actor, via=via, old={"id": source.pk, "number": source.number},
                      data={"messages_moved": moved}, at=now),
    ])
    emit(Event("ticket.merged", ticket_id=target.pk, data={"source_id": source.pk}))
    return target


@transaction.atomic
def merge_contacts(source: Contact, target: Contact, *, actor: Any, via: str) -> Contact:
    """Fold a duplicate contact into another: identities, tickets, messages and CCs move.

    Moved tickets take the kept contact's account (as a contact change through
    update_ticket does); wherever the duplicate was copied, the kept contact is
    copied instead. Each ticket touched records what changed. Emits
    "contact.merged" {"from_id", "into_id"} after commit.
    """
    require(actor, "contact.merge")
    if source.pk == target.pk:
        raise ValidationFailed(_("A contact cannot be merged into itself."), {"target": "same"})
    now = timezone.now()
    source_label, target_label = str(source), str(target)
    # merge_contact_records() gives the kept contact the duplicate's account when it has none.
    account_id = target.account_id or source.account_id
    account = Account.objects.filter(pk=account_id).first() if account_id else None
    tickets = list(Ticket.objects.filter(contact=source).select_related("account"))
    Ticket.objects.filter(contact=source).update(contact=target, account=account, updated_at=now)
    Message.objects.filter(author_contact=source).update(author_contact=target)
    events = []
    for t in tickets:
        events.append(history.build(t, EventKind.FIELD_CHANGED, actor=actor, via=via, field="contact", old=source_label,
                                    new=target_label, data={"reason": "contacts_merged"}, at=now))
        if t.account_id != account_id:
            events.append(history.build(t, EventKind.FIELD_CHANGED, actor=actor, via=via, field="account",
                                        old=str(t.account) if t.account else None, new=str(account) if account else None,
                                        data={"reason": "contacts_merged"}, at=now))
    events += _move_cc(source, target, [t.pk for t in tickets], actor=actor, via=via, labels=(source_label, target_label), at=now)
    history.record_many(events)
    merge_contact_records(source, target)
    # Other apps holding something of the duplicate (the API's tokens) react to this after commit.
    emit(Event("contact.merged", actor_kind=actor_kind(actor), actor_id=getattr(actor, "pk", None),
               data={"from_id": source.pk, "into_id": target.pk}))
    return target


def _move_cc(source: Contact, target: Contact, owned_ids: list[int], *, actor: Any, via: str,
             labels: tuple[str, str], at: Any) -> list[Any]:
    """Copy the kept contact wherever the duplicate was copied; never on tickets it now owns."""
    cc = Ticket.cc_contacts.through
    copied_on = list(Ticket.objects.filter(cc_contacts=source).exclude(pk__in=owned_ids).exclude(contact=target))
    already = set(cc.objects.filter(contact_id=target.pk, ticket_id__in=[t.pk for t in copied_on])
                  .values_list("ticket_id", flat=True))
    cc.objects.filter(contact_id=source.pk).delete()
    cc.objects.filter(contact_id=target.pk, ticket_id__in=owned_ids).delete()
    cc.objects.bulk_create([cc(ticket_id=t.pk, contact_id=target.pk) for t in copied_on if t.pk not in already])
    return [
        history.build(t, EventKind.FIELD_CHANGED, actor=actor, via=via, field="cc_contacts", old=labels[0], new=labels[1],
                      data={"reason": "contacts_merged"}, at=at)
        for t in copied_on
    ]

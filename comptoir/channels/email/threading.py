"""Which ticket an incoming email belongs to, and whether its sender may join that conversation.

Order of evidence: the In-Reply-To / References ids matched against the
Message-IDs we stored (ours and the customers'); our own Message-ID format
(which carries the ticket number) when the message row is gone; and last the
"[#1234]" subject tag.

Finding the ticket is not permission to write on it: ticket numbers are
sequential and Message-IDs travel with forwarded mail. ``sender_admission``
decides, and a sender it refuses starts a new ticket instead (the intake tells
the agent which ticket the mail referred to). Sharing the requester's company
domain proves nothing: anyone at a large customer would otherwise subscribe
themselves to every colleague's ticket.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from email.utils import parseaddr
from enum import StrEnum

from django.db import connection
from django.db.models import Q

from comptoir.contacts.identities import normalize_email
from comptoir.contacts.models import Contact
from comptoir.tickets.models import Message, Ticket
from comptoir.tickets.queries import is_visible

OUR_MESSAGE_ID = re.compile(r"^comptoir\.(\d+)\.([a-z]?\d+)\.[A-Za-z0-9_-]+@", re.IGNORECASE)
SUBJECT_TAG = re.compile(r"\[#(\d{1,12})\]")
# How far back a thread is read for the people the requester copied: long enough for any
# real conversation, bounded for a ticket that collected thousands of messages.
MAX_MESSAGES_SCANNED = 500


@dataclass(frozen=True)
class ThreadMatch:
    ticket: Ticket
    how: str  # "headers", "message_id_format" or "subject"


def new_message_id(ticket_number: int, message_pk: int | str, domain: str) -> str:
    """Our Message-ID for an outbound mail, without angle brackets.

    Carries the ticket number and message id so a reply threads even when
    only the id survives; the random part makes it unguessable.
    """
    domain = (domain or "comptoir.localhost").strip().lower()
    return f"comptoir.{ticket_number}.{message_pk}.{secrets.token_hex(6)}@{domain}"


def referenced_ids(in_reply_to: str, references: list[str]) -> list[str]:
    """Ids the message answers, most specific first: In-Reply-To, then References newest first."""
    ids: list[str] = []
    for value in [in_reply_to, *reversed(references or [])]:
        value = (value or "").strip().strip("<>")
        if value and value not in ids:
            ids.append(value)
    return ids[:50]


def _message_id_index() -> str:
    """The name of the index on Message.email_message_id, "" when the model declares none."""
    for index in Message._meta.indexes:
        if list(index.fields) == ["email_message_id"] and index.name:
            return index.name
    return ""


def stored_message_ids(ids: list[str]) -> dict[str, tuple[int, int]]:
    """Which of these Message-IDs our messages carry: {Message-ID: (message id, ticket id)}, the first message kept.

    One indexed query for the whole list. On SQLite the index is named explicitly:
    most messages (web, phone, notes) have no Message-ID, so ANALYZE rates the index
    as one value shared by every row and the planner would scan the whole message
    table for each incoming mail; for a non-empty id the index is in fact exact.
    The explicit ``<> ''`` also lets a partial index (without the empty ids) serve.
    """
    ids = [value for value in dict.fromkeys(ids) if value][:100]
    if not ids:
        return {}
    index = _message_id_index()
    if connection.vendor == "sqlite" and index:
        opts = Message._meta
        column = opts.get_field("email_message_id").column
        sql = (
            f'SELECT "{opts.pk.column}", "{opts.get_field("ticket").column}", "{column}" '
            f'FROM "{opts.db_table}" INDEXED BY "{index}" '
            f'WHERE "{column}" IN ({", ".join(["%s"] * len(ids))}) AND "{column}" <> \'\' ORDER BY "{opts.pk.column}" DESC'
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, ids)
            rows = cursor.fetchall()
    else:
        rows = list(
            Message.objects.filter(email_message_id__in=ids).exclude(email_message_id="")
            .order_by("-id").values_list("id", "ticket_id", "email_message_id")
        )
    return {value: (message_id, ticket_id) for message_id, ticket_id, value in rows}


def ticket_by_message_ids(ids: list[str], *, stored: dict[str, tuple[int, int]] | None = None) -> ThreadMatch | None:
    """The ticket of the first id (most specific first) that one of our messages carries.

    `stored` is the answer of ``stored_message_ids`` when the caller already asked for
    these ids (the intake asks once for the mail's own id and the ids it answers).
    """
    if not ids:
        return None
    if stored is None:
        stored = stored_message_ids(ids)
    for value in ids:
        if value in stored:
            ticket = Ticket.objects.filter(pk=stored[value][1]).first()
            if ticket is not None:
                return ThreadMatch(ticket, "headers")
    for value in ids:
        match = OUR_MESSAGE_ID.match(value)
        if match:
            ticket = Ticket.objects.filter(number=int(match.group(1))).first()
            if ticket is not None:
                return ThreadMatch(ticket, "message_id_format")
    return None


def ticket_by_subject(subject: str) -> ThreadMatch | None:
    """The ticket a "[#1234]" subject tag names; who may write on it is sender_admission's question."""
    match = SUBJECT_TAG.search(subject or "")
    if not match:
        return None
    ticket = Ticket.objects.filter(number=int(match.group(1))).first()
    return ThreadMatch(ticket, "subject") if ticket is not None else None


def find_thread(
    *, in_reply_to: str, references: list[str], subject: str, stored: dict[str, tuple[int, int]] | None = None
) -> ThreadMatch | None:
    """The ticket this email refers to, or None for a new conversation.

    Only says which conversation the mail points at; the caller asks
    ``sender_admission`` whether its sender may join it.
    """
    return ticket_by_message_ids(referenced_ids(in_reply_to, references), stored=stored) or ticket_by_subject(subject)


class Admission(StrEnum):
    """Why a sender may write on a ticket by email."""

    VISIBLE = "visible"  # the requester, or a colleague who sees the account's tickets
    FOLLOWER = "follower"  # already on the ticket's CCs (copied earlier, or added by an agent)
    COPIED = "copied"  # the requester or an agent addressed them on a message of this ticket


def copied_on_ticket(ticket: Ticket, address: str) -> bool:
    """Whether the requester or an agent had `address` in the To or Cc of a message of this ticket.

    These lists are stored on each message (the intake keeps the mail's To/Cc; an agent
    reply keeps whom it went to). Another customer's mail does not count: a stranger
    must not be able to invite a second stranger.
    """
    address = normalize_email(address)
    if not address:
        return False
    rows = (
        Message.objects.filter(ticket=ticket)
        .filter(Q(author_contact_id=ticket.contact_id) | Q(author_contact__isnull=True))
        .order_by("-id").values_list("to", "cc")[:MAX_MESSAGES_SCANNED]
    )
    for to, cc in rows:
        if any(normalize_email(parseaddr(str(a))[1]) == address for a in [*(to or []), *(cc or [])]):
            return True
    return False


def sender_admission(ticket: Ticket, contact: Contact | None, address: str) -> Admission | None:
    """Why the sender of an email may join this ticket's conversation, or None when they may not.

    Only the people who may see the ticket (``queries.is_visible``), those already on its
    CCs, and those the requester (or an agent) copied on it are let in. Anyone else's mail
    is not added to the ticket and does not make them a CC, so agent replies never reach them.
    """
    if contact is not None:
        if is_visible(contact, ticket):
            return Admission.VISIBLE
        if ticket.cc_contacts.filter(pk=contact.pk).exists():
            return Admission.FOLLOWER
    if copied_on_ticket(ticket, address):
        return Admission.COPIED
    return None

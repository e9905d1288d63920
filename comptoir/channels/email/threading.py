"""Which ticket an incoming email belongs to.

Order of evidence: the In-Reply-To / References ids matched against the
Message-IDs we stored (ours and the customers'); our own Message-ID format
(which carries the ticket number) when the message row is gone; and last the
"[#1234]" subject tag, trusted only when the sender already belongs to that
ticket or writes from the same (non-public) domain as its requester, so that
guessing a number does not let a stranger post into someone's ticket.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from django.db import connection

from comptoir.contacts.identities import email_domain, normalize_email
from comptoir.contacts.models import ContactIdentity, IdentityKind
from comptoir.tickets.models import Message, Ticket

OUR_MESSAGE_ID = re.compile(r"^comptoir\.(\d+)\.(c?\d+)\.[A-Za-z0-9_-]+@", re.IGNORECASE)
SUBJECT_TAG = re.compile(r"\[#(\d{1,12})\]")

# Anyone can get an address there: sharing the domain proves nothing.
PUBLIC_MAIL_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.fr", "live.com", "live.be", "msn.com",
    "yahoo.com", "yahoo.fr", "icloud.com", "me.com", "aol.com", "gmx.com", "gmx.net", "gmx.de", "proton.me",
    "protonmail.com", "orange.fr", "free.fr", "laposte.net", "skynet.be", "telenet.be", "web.de", "mail.com",
})


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


def sender_belongs_to(ticket: Ticket, sender: str) -> bool:
    """The sender is the requester or a CC of the ticket, or shares its requester's private domain."""
    sender = normalize_email(sender)
    if not sender:
        return False
    identity = ContactIdentity.objects.filter(kind=IdentityKind.EMAIL, value=sender).only("contact_id").first()
    if identity is not None and (
        identity.contact_id == ticket.contact_id or ticket.cc_contacts.filter(pk=identity.contact_id).exists()
    ):
        return True
    domain = email_domain(sender)
    if not domain or domain in PUBLIC_MAIL_DOMAINS:
        return False
    requester_emails = ContactIdentity.objects.filter(contact_id=ticket.contact_id, kind=IdentityKind.EMAIL).values_list("value", flat=True)
    return any(email_domain(e) == domain for e in requester_emails)


def ticket_by_subject(subject: str, sender: str) -> ThreadMatch | None:
    match = SUBJECT_TAG.search(subject or "")
    if not match:
        return None
    ticket = Ticket.objects.filter(number=int(match.group(1))).first()
    if ticket is None or not sender_belongs_to(ticket, sender):
        return None
    return ThreadMatch(ticket, "subject")


def find_thread(
    *, in_reply_to: str, references: list[str], subject: str, sender: str, stored: dict[str, tuple[int, int]] | None = None
) -> ThreadMatch | None:
    """The ticket this email continues, or None for a new conversation.

    A Message-ID in our format that matches no stored message only proves that the
    sender knows a ticket number (the random part cannot be checked any more), so it
    is trusted like the subject tag: only from someone who already belongs to the ticket.
    """
    match = ticket_by_message_ids(referenced_ids(in_reply_to, references), stored=stored)
    if match is not None and match.how == "message_id_format" and not sender_belongs_to(match.ticket, sender):
        match = None
    return match or ticket_by_subject(subject, sender)

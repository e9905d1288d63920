"""Email intake: raw bytes in, tickets and replies out, nothing lost and nothing doubled.

Two steps, each safe to repeat:

1. ``store_raw`` keeps the exact bytes in an InboundEmail row keyed by their
   sha256 (unique), before anything can go wrong. The same message delivered
   twice is stored once.
2. ``process_inbound`` parses a "received" row and, in ONE transaction, calls
   the ticket actions and flips the row's state, linking the ticket message.
   A crash rolls both back; the row is still "received" and is picked up again
   by ``process_pending`` (the worker, ``comptoir ingest-email --pending``).

A message that cannot be parsed or routed ends as state "failed" with the error,
listed for admins under /agent/email/failed/ and retryable; it never blocks the rest.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models.functions import Length
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from comptoir.channels.email import rules
from comptoir.channels.email.models import (
    HEADER_MESSAGE_ID_MAX,
    InboundEmail,
    InboundState,
    Mailbox,
)
from comptoir.channels.email.parsing import EmailParseError, ParsedEmail, parse_email
from comptoir.channels.email.threading import (
    Admission,
    ThreadMatch,
    find_thread,
    referenced_ids,
    sender_admission,
    stored_message_ids,
    ticket_by_message_ids,
)
from comptoir.contacts.actions import find_contact, find_or_create_contact, mark_contact_bounced
from comptoir.contacts.identities import normalize_email
from comptoir.contacts.models import Contact
from comptoir.core.actors import SYSTEM
from comptoir.core.errors import ValidationFailed
from comptoir.core.models import Department, SupportAddress
from comptoir.core.permissions import require
from comptoir.tickets import actions
from comptoir.tickets.attachments import IncomingFile
from comptoir.tickets.models import Attachment, DeliveryStatus, Message, Ticket
from comptoir.tickets.queries import is_visible

logger = logging.getLogger(__name__)

# Errors that mean "the database is unavailable right now": the row stays "received"
# and is retried, and the MTA pipe answers EX_TEMPFAIL.
TEMPORARY_DB_ERRORS = (OperationalError, InterfaceError)
MAX_CC_CONTACTS = 20
_MESSAGE_ID_HEADER = re.compile(rb"^message-id:[ \t]*<?([^>\s]+)>?", re.IGNORECASE | re.MULTILINE)
_CID_SRC = re.compile(r"""(src\s*=\s*)(["'])cid:([^"']+)\2""", re.IGNORECASE)


def inline_attachment_url(attachment_id: int) -> str:
    """The one place that says where an attachment is downloaded (inline images point there)."""
    try:
        return reverse("agent:attachment", kwargs={"pk": attachment_id})
    except NoReverseMatch:
        return f"/agent/attachments/{attachment_id}/"


def _header_message_id(raw: bytes) -> str:
    head = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    match = _MESSAGE_ID_HEADER.search(head)
    return without_nul(match.group(1).decode("latin-1"))[:HEADER_MESSAGE_ID_MAX] if match else ""


def without_nul(value: str) -> str:
    """PostgreSQL text and JSON refuse NUL characters; hostile mail carries them."""
    return value.replace("\x00", "") if "\x00" in value else value


def _clean_parsed(parsed: ParsedEmail) -> ParsedEmail:
    """The parsed message with NUL characters removed from every text it hands to the database."""
    for f in dataclasses.fields(parsed):
        value = getattr(parsed, f.name)
        if isinstance(value, str):
            setattr(parsed, f.name, without_nul(value))
        elif isinstance(value, list) and value and isinstance(value[0], str):
            setattr(parsed, f.name, [without_nul(v) for v in value])
        elif isinstance(value, dict):
            setattr(parsed, f.name, {without_nul(k): without_nul(v) if isinstance(v, str) else v for k, v in value.items()})
    for attachment in parsed.attachments:
        attachment.filename = without_nul(attachment.filename or "")
        attachment.content_type = without_nul(attachment.content_type or "")
        attachment.content_id = without_nul(attachment.content_id or "")
    return parsed


def store_raw(
    raw: bytes, *, source: str, mailbox: Mailbox | None = None, envelope_to: list[str] | tuple[str, ...] = ()
) -> tuple[InboundEmail, bool]:
    """Keep the raw bytes first. Returns (row, created); an identical message already stored
    returns the existing row and created=False.

    Raises only database errors (the caller tells the sender to retry).
    """
    digest = hashlib.sha256(raw).hexdigest()
    # Insert first: a new message (the usual case) costs one statement, and the unique
    # sha256 turns a second delivery into the IntegrityError below.
    try:
        with transaction.atomic():
            row = InboundEmail.objects.create(
                raw=raw,
                sha256=digest,
                header_message_id=_header_message_id(raw),
                source=source,
                mailbox=mailbox,
                envelope_to=[normalize_email(without_nul(a)) for a in envelope_to][:50],
            )
    except IntegrityError:
        # Delivered before (or twice at the same moment): the earlier delivery stored it.
        return InboundEmail.objects.defer("raw").get(sha256=digest), False
    return row, True


def ingest_raw(raw: bytes, *, source: str, mailbox: Mailbox | None = None, envelope_to: list[str] | tuple[str, ...] = ()) -> InboundEmail:
    """Store then process one message; a processing failure is recorded on the row, not raised."""
    row, _created = store_raw(raw, source=source, mailbox=mailbox, envelope_to=envelope_to)
    if row.state == InboundState.RECEIVED:
        process_inbound(row.pk)
        row = InboundEmail.objects.defer("raw").get(pk=row.pk)
    return row


@dataclass
class _Context:
    """What one processing run reads once instead of once per message: our addresses,
    the admin rules, the departments, and the per-sender count of new tickets (read from
    the database the first time a sender is seen, then kept up to date as this run
    opens tickets) for the rate limit."""

    addresses: dict[str, int] = field(default_factory=dict)  # email -> department id
    rules: list[Any] = field(default_factory=list)
    departments: dict[int, Department] = field(default_factory=dict)
    new_tickets_by_sender: dict[str, int] = field(default_factory=dict)

    def count_new_ticket(self, sender: str) -> None:
        if sender in self.new_tickets_by_sender:
            self.new_tickets_by_sender[sender] += 1

    @classmethod
    def load(cls) -> _Context:
        return cls(
            addresses={e.lower(): d for e, d in SupportAddress.objects.values_list("email", "department_id")},
            rules=rules.active_header_rules(),
        )

    def department(self, department_id: int | None) -> Department | None:
        if department_id is None:
            return None
        if department_id not in self.departments:
            found = Department.objects.filter(pk=department_id).first()
            if found is None:
                return None
            self.departments[department_id] = found
        return self.departments[department_id]


_ROW_FIELDS = [
    "state", "error", "attempts", "processed_at", "from_email", "subject", "header_message_id",
    "created_ticket", "ticket", "message",
]
# A worker batch: up to this many messages, or this many raw bytes, per transaction.
BATCH_MESSAGES = 25
BATCH_BYTES = 8 * 1024 * 1024


def process_inbound(pk: int, *, context: _Context | None = None) -> str:
    """Turn one stored message into a ticket or reply; returns the row's final state.

    Idempotent: a row that is not "received" is left alone. The ticket writes
    and the state change commit together. Temporary database errors propagate
    (the row stays "received"); everything else marks the row "failed".
    """
    context = context or _Context.load()
    with transaction.atomic():
        row = InboundEmail.objects.select_for_update().filter(pk=pk).first()
        if row is None:
            return ""
        if row.state != InboundState.RECEIVED:
            return row.state
        _process_row(row, context)
        row.save(update_fields=_ROW_FIELDS)
    return row.state


def _process_row(row: InboundEmail, context: _Context) -> None:
    """Route one locked "received" row inside its own savepoint; a failure marks only this row."""
    row.attempts += 1
    try:
        with transaction.atomic():
            _route(row, context)
    except TEMPORARY_DB_ERRORS:
        raise
    except Exception as exc:
        logger.info("Email intake failed for inbound %s: %s", row.pk, exc)
        row.state = InboundState.FAILED
        row.error = without_nul(f"{type(exc).__name__}: {exc}")[:4000]
        row.ticket = None
        row.message = None
        row.created_ticket = False
    row.processed_at = timezone.now()


def process_pending(*, limit: int | None = None) -> int:
    """Process every "received" row in arrival order (what a restarted worker does first).

    Rows are processed in small batches, one transaction per batch: the batch's ticket
    writes and state changes commit together, so a crash leaves each batch either
    untouched ("received", picked up again) or done, never half-done, and the fixed
    cost of a transaction and of reading and updating the rows is paid once per batch.
    Each message still runs in its own savepoint: one bad message fails alone.
    """
    done = 0
    context = _Context.load()
    while limit is None or done < limit:
        size = 200 if limit is None else min(200, limit - done)
        pending = list(
            InboundEmail.objects.filter(state=InboundState.RECEIVED).order_by("id")
            .annotate(size=Length("raw")).values_list("id", "size")[:size]
        )
        if not pending:
            break
        for batch in _batches(pending):
            _process_batch(batch, context)
            done += len(batch)
    return done


def process_stored(pks: list[int]) -> int:
    """Process these stored messages (those still "received"), in the worker's batches.

    For a caller that stored a known set of messages and wants exactly those ingested
    (a mailbox poll, the benchmark), not whatever else is waiting.
    """
    context = _Context.load()
    done = 0
    for start in range(0, len(pks), 200):
        chunk = pks[start:start + 200]
        sizes = dict(
            InboundEmail.objects.filter(pk__in=chunk, state=InboundState.RECEIVED)
            .annotate(size=Length("raw")).values_list("id", "size")
        )
        for batch in _batches([(pk, sizes[pk]) for pk in chunk if pk in sizes]):
            _process_batch(batch, context)
            done += len(batch)
    return done


def _batches(pending: list[tuple[int, int | None]]) -> list[list[int]]:
    """Consecutive ids grouped so that a batch holds at most BATCH_MESSAGES and about BATCH_BYTES of raw mail."""
    batches: list[list[int]] = []
    current: list[int] = []
    weight = 0
    for pk, size in pending:
        if current and (len(current) >= BATCH_MESSAGES or weight + (size or 0) > BATCH_BYTES):
            batches.append(current)
            current, weight = [], 0
        current.append(pk)
        weight += size or 0
    if current:
        batches.append(current)
    return batches


def _process_batch(ids: list[int], context: _Context) -> None:
    with transaction.atomic():
        rows = list(InboundEmail.objects.select_for_update().filter(pk__in=ids, state=InboundState.RECEIVED).order_by("id"))
        for row in rows:
            _process_row(row, context)
            # One UPDATE per row: Django's bulk_update (CASE WHEN per field) costs more here.
            row.save(update_fields=_ROW_FIELDS)


def _finish(row: InboundEmail, state: str, reason: str = "") -> None:
    row.state = state
    row.error = without_nul(reason)


def _route(row: InboundEmail, context: _Context) -> None:
    try:
        parsed = _clean_parsed(parse_email(bytes(row.raw)))
    except EmailParseError as exc:
        raise ValidationFailed(_("This is not an email: %(error)s") % {"error": exc}) from exc
    row.from_email = normalize_email(parsed.from_email)[:254]
    row.subject = (parsed.subject or "")[:250]
    row.header_message_id = (parsed.message_id or row.header_message_id)[:HEADER_MESSAGE_ID_MAX]
    ours = set(context.addresses)

    if not row.released:
        verdict = rules.check_loop(parsed, ours) or rules.check_header_rules(parsed, context.rules)
        if verdict is not None:
            _finish(row, verdict.state, verdict.reason)
            return
    if parsed.is_bounce:
        _handle_bounce(row, parsed)
        return
    if not row.from_email or "@" not in row.from_email:
        raise ValidationFailed(_("The message has no sender address."), {"from": "required"})
    # One indexed query answers both "is this mail already on a ticket?" and "which ticket does it answer?".
    own_id = (parsed.message_id or "")[:998]
    answered = referenced_ids(parsed.in_reply_to, parsed.references)
    stored = stored_message_ids([own_id, *answered])
    if own_id in stored:
        row.message_id, row.ticket_id = stored[own_id]
        _finish(row, InboundState.SKIPPED, "already on a ticket (same Message-ID)")
        return

    match = find_thread(in_reply_to=parsed.in_reply_to, references=parsed.references, subject=parsed.subject,
                        stored=stored)
    # Pointing at a ticket is not permission to write on it (ticket numbers are sequential):
    # a sender who may not join it starts a new ticket, and the agent is told which one it named.
    admission: Admission | None = None
    refused: ThreadMatch | None = None
    if match is not None:
        admission = sender_admission(match.ticket, find_contact(email=row.from_email), row.from_email)
        if admission is None:
            refused, match = match, None
    if match is None and parsed.is_auto_reply:
        _finish(row, InboundState.AUTO_REPLY, "auto-reply to no known conversation" if refused is None
                else f"auto-reply from a sender who may not join ticket #{refused.ticket.number}")
        return
    if match is None and not row.released:
        verdict = rules.check_sender_rate(row.from_email, recent=context.new_tickets_by_sender)
        if verdict is not None:
            _finish(row, verdict.state, verdict.reason)
            return

    department = context.department(_department_id(parsed, row, context))
    locale = department.default_locale if department is not None else None
    # One query for a known sender (their missing name is filled in), the creation for a new one.
    contact, _created = find_or_create_contact(email=row.from_email, name=parsed.from_name or "", locale=locale)
    files, dropped = _incoming_files(parsed)
    body_text = _body_text(parsed, reply=match is not None, dropped=dropped)
    headers = {
        "message_id": parsed.message_id,
        "in_reply_to": parsed.in_reply_to,
        "references": list(parsed.references)[:100],
        "to": list(parsed.to)[:50],
        "cc": list(parsed.cc)[:50],
        "is_auto_reply": parsed.is_auto_reply,
    }

    # The other people on the mail follow the ticket, on a reply as on a new ticket: a customer
    # who copies a colleague into the conversation wants them to get the answers too. A robot's
    # copy list (an out-of-office) adds nobody.
    cc_contacts = [] if parsed.is_auto_reply else _cc_contacts(
        parsed, sender=row.from_email, ours=ours, envelope_to=list(row.envelope_to), locale=locale)
    message: Message | None
    if match is not None:
        ticket = match.ticket
        # A sender the ticket does not show yet (someone the customer copied, replying from
        # their own address) is let in by the system actor and becomes a follower.
        actor = contact if is_visible(contact, ticket) else SYSTEM
        try:
            message = actions.receive_customer_message(
                ticket, contact=contact, via="email", actor=actor, body_text=body_text, body_html=parsed.body_html,
                attachments=files, email_headers=headers, is_auto_reply=parsed.is_auto_reply, cc=cc_contacts,
                copied_by_requester=admission == Admission.COPIED,
            )
        except ValidationFailed as exc:
            if parsed.is_auto_reply:
                row.ticket = ticket
                _finish(row, InboundState.AUTO_REPLY, exc.message)
                return
            if "body" in exc.fields:
                row.ticket = ticket
                _finish(row, InboundState.SKIPPED, "empty reply")
                return
            raise
        row.ticket = message.ticket
        row.created_ticket = message.ticket_id != ticket.pk  # a follow-up of a closed ticket
    else:
        ticket = actions.create_ticket(
            actor=contact, via="email", channel="email", subject=(parsed.subject or "").strip() or _("(no subject)"),
            description=body_text, description_html=parsed.body_html, contact=contact,
            department=department, attachments=files, cc=cc_contacts, email_headers=headers,
            send_confirmation=not parsed.is_auto_reply,
        )
        # Only the id is needed unless inline images must be pointed at their attachments.
        first = ticket.messages.order_by("id")
        message = first.first() if "cid:" in (parsed.body_html or "") else None
        row.message_id = message.pk if message is not None else first.values_list("id", flat=True).first()
        row.ticket = ticket
        row.created_ticket = True
        context.count_new_ticket(row.from_email)
        if refused is not None:
            _explain_refused_thread(ticket, refused, row.from_email)
    if message is not None:
        _show_inline_images(message)
        row.message = message
    _finish(row, InboundState.AUTO_REPLY if parsed.is_auto_reply else InboundState.INGESTED)


def _explain_refused_thread(ticket: Ticket, refused: ThreadMatch, sender: str) -> None:
    """Tell the agents, on the new ticket, which ticket the mail named and why it was not added there."""
    actions.add_internal_note(
        ticket, actor=SYSTEM, via="email",
        body_text=_(
            "This email refers to ticket #%(number)s, but %(sender)s may not see that ticket and was not copied "
            "on it by its requester, so it was opened as a new ticket and %(sender)s was not added to #%(number)s. "
            "Merge it into #%(number)s if it belongs there."
        ) % {"number": refused.ticket.number, "sender": sender},
    )


def _department_id(parsed: ParsedEmail, row: InboundEmail, context: _Context) -> int | None:
    candidates = [*row.envelope_to, *parsed.to, *parsed.cc]
    for header in ("delivered-to", "x-original-to", "envelope-to"):
        if parsed.headers.get(header):
            candidates.append(parsed.headers[header])
    for address in candidates:
        department_id = context.addresses.get(normalize_email(address))
        if department_id is not None:
            return department_id
    return row.mailbox.department_id if row.mailbox_id and row.mailbox else None


def _incoming_files(parsed: ParsedEmail) -> tuple[list[IncomingFile], list[str]]:
    """Attachments within the size limit; the names of those too large to keep."""
    kept, dropped = [], []
    html = (parsed.body_html or "").lower()
    for a in parsed.attachments:
        if len(a.content) > settings.ATTACHMENT_MAX_BYTES:
            dropped.append(a.filename or "attachment")
            continue
        kept.append(IncomingFile(name=a.filename or "attachment", content=a.content, content_type=(a.content_type or "")[:120],
                                 content_id=a.content_id or "",
                                 # Shown in the body when the HTML refers to it, whatever the sender's disposition says.
                                 is_inline=a.is_inline or bool(a.content_id and f"cid:{a.content_id.strip('<>').lower()}" in html)))
    return kept, dropped


def _body_text(parsed: ParsedEmail, *, reply: bool, dropped: list[str]) -> str:
    text = (parsed.visible_text or parsed.body_text) if reply else parsed.body_text
    text = text or parsed.body_text or ""
    for name in dropped:
        text += "\n\n" + _("[The attachment %(name)s was larger than the limit and was not kept; the original email is kept in the email intake log.]") % {"name": name}
    return text


def _cc_contacts(parsed: ParsedEmail, *, sender: str, ours: set[str], envelope_to: list[str], locale: str | None) -> list[Contact]:
    """Other people on the email (To and Cc, minus us and the sender) become the ticket's CCs."""
    seen = {sender, *ours, *envelope_to}
    # Which To address delivered the mail is only certain when one of ours is visible in the
    # headers; otherwise the To may be an alias of ours, so only the Cc people are taken.
    visible = {normalize_email(a) for a in [*parsed.to, *parsed.cc]}
    candidates = [*parsed.to, *parsed.cc] if visible & ours else list(parsed.cc)
    contacts: list[Contact] = []
    for address in candidates:
        address = normalize_email(address)
        if not address or "@" not in address or address in seen:
            continue
        seen.add(address)
        try:
            contact, _created = find_or_create_contact(email=address, locale=locale)
        except ValidationFailed:
            continue
        contacts.append(contact)
        if len(contacts) >= MAX_CC_CONTACTS:
            break
    return contacts


def _show_inline_images(message: Message) -> None:
    """Point `cid:` images of the stored HTML at the attachments that hold them.

    The message was just written by the action in this same transaction; only
    its stored HTML's image addresses change here.
    """
    if "cid:" not in (message.body_html or ""):
        return
    by_cid = {a.content_id.strip("<>").lower(): a.pk for a in Attachment.objects.filter(message=message).exclude(content_id="")}
    if not by_cid:
        return

    def swap(match: re.Match[str]) -> str:
        pk = by_cid.get(match.group(3).strip("<>").lower())
        if pk is None:
            return match.group(0)
        return f"{match.group(1)}{match.group(2)}{inline_attachment_url(pk)}{match.group(2)}"

    actions.replace_message_html(message, _CID_SRC.sub(swap, message.body_html))


def flag_bouncing(addresses: list[str]) -> int:
    """Mark these addresses as bouncing on their contacts (contact data, shown to agents), through the contacts' action."""
    flagged = 0
    for address in dict.fromkeys(normalize_email(a) for a in addresses if a and "@" in a):
        contact = find_contact(email=address)
        if contact is not None and mark_contact_bounced(contact, address, actor=SYSTEM, via="email"):
            flagged += 1
    return flagged


def _handle_bounce(row: InboundEmail, parsed: ParsedEmail) -> None:
    """A delivery failure: note it on the ticket it concerns and flag the address."""
    flag_bouncing(parsed.bounce_recipients)
    ids = referenced_ids(parsed.bounced_message_id, []) + referenced_ids(parsed.in_reply_to, parsed.references)
    match = ticket_by_message_ids(ids)
    _finish(row, InboundState.BOUNCE, "")
    if match is None:
        return
    ticket: Ticket = match.ticket
    recipients = ", ".join(parsed.bounce_recipients) or _("unknown recipient")
    original = (
        Message.objects.filter(email_message_id__in=ids, ticket=ticket).exclude(author_kind="contact").order_by("-id").first()
        if ids else None
    )
    if original is not None:
        actions.mark_message_delivery(original, status=DeliveryStatus.FAILED, error=_("Bounced: %(recipients)s") % {"recipients": recipients})
    note = actions.add_internal_note(
        ticket, actor=SYSTEM, via="email",
        body_text=_("An email to %(recipients)s could not be delivered (bounce received). Subject of the bounce: %(subject)s")
        % {"recipients": recipients, "subject": parsed.subject or ""},
    )
    row.ticket = ticket
    row.message = note


def retry_inbound(row: InboundEmail, *, actor: Any) -> str:
    """Run a failed (or skipped) message through the intake again, as it is now."""
    require(actor, "admin.settings")
    InboundEmail.objects.filter(pk=row.pk).exclude(state=InboundState.INGESTED).update(state=InboundState.RECEIVED, error="")
    return process_inbound(row.pk)


def release_inbound(row: InboundEmail, *, actor: Any) -> str:
    """Release a message held as spam: ingest it normally, past the spam checks."""
    require(actor, "admin.settings")
    InboundEmail.objects.filter(pk=row.pk, state=InboundState.SPAM).update(state=InboundState.RECEIVED, released=True, error="")
    return process_inbound(row.pk)

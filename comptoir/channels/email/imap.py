"""Polling IMAP mailboxes: each unseen message is stored raw, then flagged or moved.

The server copy is only touched (flagged seen / moved) after the raw bytes are
committed to the database, so a crash between the two re-downloads a message
that the intake then recognises as already stored (same sha256) — nothing is
lost and nothing is doubled.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import ssl

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.utils import timezone
from imap_tools import AND, MailBox, MailBoxStartTls, MailBoxUnencrypted
from imap_tools.mailbox import BaseMailBox

from comptoir.channels.email.models import AfterProcessing, InboundSource, Mailbox, MailboxSecurity

logger = logging.getLogger(__name__)


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"comptoir.mailbox-password:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt_password(raw: str) -> str:
    """Encrypt a mailbox password with a key derived from SECRET_KEY (Fernet: AES + HMAC)."""
    return _fernet().encrypt(raw.encode()).decode()


def decrypt_password(token: str) -> str:
    """The clear password, or "" when SECRET_KEY changed since it was stored (re-enter it)."""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        logger.warning("A mailbox password cannot be decrypted; was SECRET_KEY changed?")
        return ""


def connect(mailbox: Mailbox, timeout: int = 30) -> BaseMailBox:
    """An IMAP session logged in and with the mailbox's folder selected."""
    client: BaseMailBox
    if mailbox.security == MailboxSecurity.SSL:
        client = MailBox(mailbox.host, mailbox.port, timeout=timeout, ssl_context=ssl.create_default_context())
    elif mailbox.security == MailboxSecurity.STARTTLS:
        client = MailBoxStartTls(mailbox.host, mailbox.port, timeout=timeout, ssl_context=ssl.create_default_context())
    else:
        client = MailBoxUnencrypted(mailbox.host, mailbox.port, timeout=timeout)
    return client.login(mailbox.username, mailbox.get_password(), initial_folder=mailbox.folder or "INBOX")


def _fetch_raw(client: BaseMailBox, uid: str) -> bytes | None:
    """The exact bytes of one message (BODY.PEEK does not set \\Seen by itself)."""
    typ, data = client.client.uid("FETCH", uid, "(BODY.PEEK[])")
    if typ != "OK":
        return None
    for item in data:
        if isinstance(item, tuple) and len(item) == 2:
            return bytes(item[1])
    return None


def poll_mailbox(mailbox: Mailbox, *, limit: int = 500, process: bool = True) -> int:
    """Store the mailbox's unseen messages (at most `limit`), then ingest them.

    Returns how many messages were fetched. Errors are recorded on the mailbox
    (last_error) and re-raised so the periodic task logs them.
    """
    from comptoir.channels.email.inbound import process_inbound, store_raw

    fetched = 0
    stored = []
    try:
        with connect(mailbox) as client:
            uids = list(client.uids(AND(seen=False)))[:limit]
            for uid in uids:
                raw = _fetch_raw(client, uid)
                if raw is None:
                    continue
                inbound, _created = store_raw(raw, source=InboundSource.IMAP, mailbox=mailbox)
                stored.append(inbound)
                fetched += 1
                if mailbox.after_processing == AfterProcessing.MOVE and mailbox.move_to_folder:
                    client.move(uid, mailbox.move_to_folder)
                else:
                    client.flag(uid, "\\Seen", True)
    except Exception as exc:
        Mailbox.objects.filter(pk=mailbox.pk).update(last_error=str(exc)[:2000], last_polled_at=timezone.now())
        raise
    Mailbox.objects.filter(pk=mailbox.pk).update(last_error="", last_polled_at=timezone.now())
    if process:
        for inbound in stored:
            process_inbound(inbound.pk)
    return fetched


def poll_all_mailboxes() -> int:
    """Poll every active mailbox; one failing mailbox never stops the others."""
    total = 0
    for mailbox in Mailbox.objects.filter(active=True):
        try:
            total += poll_mailbox(mailbox)
        except Exception:
            logger.exception("Polling mailbox %s failed", mailbox)
    return total

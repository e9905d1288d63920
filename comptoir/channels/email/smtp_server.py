"""`comptoir smtpd`: receive mail over SMTP, directly from the internet or from a relay.

Only our support addresses are accepted as recipients (550 otherwise), the size
is limited (552 from aiosmtpd's data_size_limit), the raw message is stored
before "250 OK" is answered, and a database outage answers 451 so the sending
server retries later. Ingestion of the stored message follows in the same thread.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.conf import settings
from django.db import close_old_connections, connection

from comptoir.channels.email.models import InboundSource
from comptoir.contacts.identities import normalize_email
from comptoir.core.models import SupportAddress

logger = logging.getLogger(__name__)


def max_message_bytes() -> int:
    return int(getattr(settings, "EMAIL_MAX_MESSAGE_BYTES", 40 * 1024 * 1024))


def _is_our_address(address: str) -> bool:
    close_old_connections()
    try:
        return SupportAddress.objects.filter(email__iexact=normalize_email(address)).exists()
    finally:
        # This runs in a pool thread of the event loop: a connection left open there
        # outlives the thread, so it is closed after each use.
        connection.close()


def _store_and_process(raw: bytes, recipients: list[str], process: bool) -> None:
    from comptoir.channels.email.inbound import process_inbound, store_raw
    from comptoir.channels.email.models import InboundState

    close_old_connections()
    try:
        row, _created = store_raw(raw, source=InboundSource.SMTP, envelope_to=recipients)
        if process and row.state == InboundState.RECEIVED:
            try:
                process_inbound(row.pk)
            except Exception:
                # Stored: the worker's periodic job finishes it later.
                logger.exception("Processing inbound %s failed; left for the worker", row.pk)
    finally:
        connection.close()  # a pool thread's connection would outlive the thread


class IntakeHandler:
    """aiosmtpd handler: recipient allow-list, store raw, then ingest."""

    def __init__(self, *, process: bool = True) -> None:
        self.process = process

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]) -> str:
        try:
            ours = await asyncio.to_thread(_is_our_address, address)
        except Exception:
            logger.exception("Recipient check failed")
            return "451 4.3.0 Temporary failure, try again later"
        if not ours:
            return "550 5.1.1 No such recipient here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or (envelope.content if isinstance(envelope.content, bytes) else b"")
        if len(raw) > max_message_bytes():
            return "552 5.3.4 Message too big"
        try:
            await asyncio.to_thread(_store_and_process, raw, list(envelope.rcpt_tos), self.process)
        except Exception:
            logger.exception("Storing an inbound message failed")
            return "451 4.3.0 Temporary failure, try again later"
        return "250 Message accepted"


class IntakeController(Controller):
    """aiosmtpd's threaded controller, which also works with port 0 (tests pick a free port)."""

    def __init__(self, handler: Any, hostname: str = "127.0.0.1", port: int = 0, **kwargs: Any) -> None:
        kwargs.setdefault("data_size_limit", max_message_bytes())
        kwargs.setdefault("decode_data", False)
        super().__init__(handler, hostname=hostname, port=port, **kwargs)

    def _trigger_server(self) -> None:
        sockets = getattr(self.server, "sockets", None)
        if self.port == 0 and sockets:
            self.port = sockets[0].getsockname()[1]
        super()._trigger_server()

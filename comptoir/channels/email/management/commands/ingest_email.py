"""`comptoir ingest-email`: one raw message on stdin, for an MTA pipe (Postfix, Exim...).

Exit codes follow sysexits.h so the MTA does the right thing:
0 when the message is stored (even if it could not be parsed: it then sits in
the failed-intake list), 75 (EX_TEMPFAIL, the MTA retries) when the database
cannot store it, 65 (EX_DATAERR) for empty input.
`--pending` instead ingests every stored message still waiting (after a crash).
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError

from comptoir.channels.email.models import InboundSource

EX_OK = 0
EX_DATAERR = 65
EX_TEMPFAIL = 75
logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Ingest one raw email from stdin (MTA pipe), or with --pending every waiting stored email."
    # Called once per message by the MTA: start fast, and never refuse mail over an unrelated check.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--pending", action="store_true", help="process stored messages still waiting")
        parser.add_argument("--recipient", action="append", default=[], help="envelope recipient (e.g. Postfix ${recipient})")

    def handle(self, *args: Any, **opts: Any) -> None:
        from comptoir.channels.email.inbound import process_inbound, process_pending, store_raw

        if opts["pending"]:
            done = process_pending()
            self.stdout.write(f"{done} processed")
            return
        raw = sys.stdin.buffer.read()
        if not raw.strip():
            self.stderr.write("empty input")
            sys.exit(EX_DATAERR)
        try:
            row, _created = store_raw(raw, source=InboundSource.PIPE, envelope_to=opts["recipient"])
        except DatabaseError as exc:
            self.stderr.write(f"temporary failure, not stored: {exc}")
            sys.exit(EX_TEMPFAIL)
        try:
            state = process_inbound(row.pk)
        except Exception as exc:
            # Stored already: the worker finishes it. The MTA must not resend it.
            logger.warning("Inbound %s stored but not processed: %s", row.pk, exc)
            state = "received"
        self.stdout.write(f"inbound {row.pk}: {state}")
        sys.exit(EX_OK)

"""`comptoir smtpd`: an SMTP server that turns mail to our support addresses into tickets."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from comptoir.channels.email.smtp_server import IntakeController, IntakeHandler, max_message_bytes


class Command(BaseCommand):
    help = "Receive email over SMTP (port 25 directly, or from a relay) and ingest it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="0.0.0.0")
        parser.add_argument("--port", type=int, default=2525)
        parser.add_argument("--max-bytes", type=int, default=max_message_bytes())
        parser.add_argument("--store-only", action="store_true", help="store raw mail; let the worker ingest it")

    def handle(self, *args: Any, **opts: Any) -> None:
        controller = IntakeController(
            IntakeHandler(process=not opts["store_only"]), hostname=opts["host"], port=opts["port"],
            data_size_limit=opts["max_bytes"],
        )
        controller.start()
        self.stdout.write(f"comptoir smtpd listening on {opts['host']}:{controller.port}")
        self.stdout.flush()
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
        finally:
            controller.stop()

"""`comptoir serve`: the production web server (granian, WSGI) with static files by whitenoise."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve Comptoir over HTTP with granian."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("COMPTOIR_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("COMPTOIR_PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("COMPTOIR_WEB_WORKERS", "2")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("COMPTOIR_WEB_THREADS", "4")))

    def handle(self, *args: Any, **opts: Any) -> None:
        self.stdout.write(f"Comptoir listening on http://{opts['host']}:{opts['port']}/")
        self.stdout.flush()
        argv = [
            sys.executable, "-m", "granian", "--interface", "wsgi",
            "--host", opts["host"], "--port", str(opts["port"]),
            "--workers", str(opts["workers"]), "--blocking-threads", str(opts["threads"]),
            "--no-ws", "comptoir.wsgi:application",
        ]
        os.execv(sys.executable, argv)

"""`comptoir worker`: the background worker (Huey consumer) running tasks and periodic jobs."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run the background worker: queued tasks and periodic jobs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workers", type=int, default=None)

    def handle(self, *args: Any, **opts: Any) -> None:
        extra = ["--workers", str(opts["workers"])] if opts["workers"] else []
        call_command("run_huey", *extra)

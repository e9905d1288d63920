"""`comptoir demo`: load the demo helpdesk once; later runs say it is there and do nothing."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from comptoir.demo import catalog
from comptoir.demo.loader import load_demo


class Command(BaseCommand):
    help = "Load realistic demo data (departments, agents, contacts, tickets). Does nothing when already loaded."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tickets", type=int, default=2000, help="number of tickets to create (default 2000)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["tickets"] < 1:
            raise CommandError(_("--tickets must be at least 1."))
        started = time.monotonic()
        counts = load_demo(tickets=options["tickets"], progress=self.show_progress)
        if counts is None:
            self.stdout.write(_("Demo data is already loaded; nothing to do."))
            return
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(
            _("Demo data loaded in %(seconds).0f s: %(tickets)s tickets, %(contacts)s contacts, %(accounts)s accounts, %(agents)s agents.")
            % {"seconds": time.monotonic() - started, **counts}
        ))
        self.stdout.write(_("Demo agents sign in with the password: %(password)s") % {"password": catalog.DEMO_PASSWORD})
        for name, role, scope, *_rest in catalog.AGENTS:
            self.stdout.write(f"  {catalog.agent_email(name):<40} {role:<12} {scope}")

    def show_progress(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        self.stdout.write(f"\r  [{'#' * filled}{'.' * (width - filled)}] {done}/{total} tickets", ending="")
        self.stdout.flush()

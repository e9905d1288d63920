"""`comptoir parse-email PATH|-`: print how Comptoir reads a raw email, as JSON.

Useful to see why a mail became the ticket it did, and used by the conformance
checker (``make conformance``). Nothing is stored.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from comptoir.channels.email.parsing import EmailParseError, parse_email


class Command(BaseCommand):
    # Django reads `help` through str() when it prints it; the stubs only allow a plain str.
    help = gettext_lazy("Parse a raw email (a file path, or - for standard input) and print the result as JSON.")  # type: ignore[assignment]
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help=str(gettext_lazy("path of a raw RFC 5322 message, or - to read standard input")))

    def handle(self, *args: Any, **opts: Any) -> None:
        path = opts["path"]
        try:
            if path == "-":
                raw = sys.stdin.buffer.read()
            else:
                with open(path, "rb") as fh:
                    raw = fh.read()
        except OSError as exc:
            raise CommandError(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc.strerror or exc}) from exc
        try:
            parsed = parse_email(raw)
        except EmailParseError as exc:
            raise CommandError(_("%(path)s is not an email: %(error)s") % {"path": path, "error": exc}) from exc
        encoding = (getattr(self.stdout, "encoding", None) or "utf-8").lower().replace("_", "-")
        # readable UTF-8 when the terminal takes it, \u escapes (still valid JSON) otherwise
        ascii_only = encoding not in ("utf-8", "utf8")
        self.stdout.write(json.dumps(parsed.to_json_dict(), ensure_ascii=ascii_only, indent=2))

"""`comptoir poll-imap`: fetch new mail from the IMAP mailboxes now (the worker does it every minute)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from comptoir.channels.email.imap import poll_all_mailboxes, poll_mailbox
from comptoir.channels.email.models import Mailbox


class Command(BaseCommand):
    help = "Poll IMAP mailboxes once and ingest what arrived."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--mailbox", type=int, help="only this mailbox id")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["mailbox"]:
            mailbox = Mailbox.objects.filter(pk=opts["mailbox"]).first()
            if mailbox is None:
                raise CommandError("No such mailbox.")
            count = poll_mailbox(mailbox)
        else:
            count = poll_all_mailboxes()
        self.stdout.write(f"{count} fetched")

"""Periodic email jobs run by `comptoir worker`: poll IMAP, finish any intake left waiting."""

from __future__ import annotations

from huey import crontab

from comptoir.huey import huey


@huey.periodic_task(crontab(minute="*"), retries=0)
def poll_imap_mailboxes() -> int:
    """Every minute: fetch new mail from every active IMAP mailbox."""
    from comptoir.channels.email.imap import poll_all_mailboxes

    return poll_all_mailboxes()


@huey.periodic_task(crontab(minute="*"), retries=0)
def process_waiting_email() -> int:
    """Every minute: ingest stored messages still "received" (after a crash or a busy smtpd)."""
    from comptoir.channels.email.inbound import process_pending

    return process_pending(limit=5000)

"""IMAP polling against a real dovecot: new mail becomes tickets, the server copy is flagged or moved."""

from __future__ import annotations

import email
from email import policy

import pytest
from imap_tools import AND, MailBoxUnencrypted

from comptoir.channels.email.imap import decrypt_password, poll_mailbox
from comptoir.channels.email.models import AfterProcessing, InboundEmail, Mailbox, MailboxSecurity
from comptoir.tickets import actions
from comptoir.tickets.models import Ticket
from tests.channels.email.conftest import build_mail
from tests.factories import make_agent

pytestmark = [pytest.mark.django_db, pytest.mark.email_servers]


@pytest.fixture
def mailbox(dovecot, department) -> Mailbox:
    box = Mailbox(name="Support inbox", department=department, host=dovecot.host, port=dovecot.port,
                  security=MailboxSecurity.NONE, username=dovecot.user)
    box.set_password(dovecot.password)
    box.save()
    return box


def _deliver(dovecot, raw: bytes, folder: str = "INBOX") -> None:
    with MailBoxUnencrypted(dovecot.host, dovecot.port).login(dovecot.user, dovecot.password) as client:
        client.append(raw, folder)


def _unseen(dovecot, folder: str = "INBOX") -> int:
    with MailBoxUnencrypted(dovecot.host, dovecot.port).login(dovecot.user, dovecot.password, initial_folder=folder) as client:
        return len(client.uids(AND(seen=False)))


def test_the_password_is_stored_encrypted(mailbox, dovecot):
    assert dovecot.password not in mailbox.password_encrypted
    assert decrypt_password(mailbox.password_encrypted) == dovecot.password


def test_the_password_can_come_from_an_environment_variable(mailbox, dovecot, monkeypatch):
    monkeypatch.setenv("ACME_IMAP_PASSWORD", "from-env")
    mailbox.password_env = "ACME_IMAP_PASSWORD"

    assert mailbox.get_password() == "from-env"


def test_new_mail_becomes_a_ticket_and_is_flagged_seen(mailbox, dovecot):
    _deliver(dovecot, build_mail())

    assert poll_mailbox(mailbox) == 1

    assert Ticket.objects.get().department == mailbox.department
    assert InboundEmail.objects.get().source == "imap"
    assert _unseen(dovecot) == 0


def test_polling_again_fetches_nothing_new(mailbox, dovecot):
    _deliver(dovecot, build_mail())
    poll_mailbox(mailbox)

    assert poll_mailbox(mailbox) == 0
    assert Ticket.objects.count() == 1


def test_processed_mail_can_be_moved_to_a_folder(mailbox, dovecot):
    with MailBoxUnencrypted(dovecot.host, dovecot.port).login(dovecot.user, dovecot.password) as client:
        client.folder.create("Processed")
    mailbox.after_processing = AfterProcessing.MOVE
    mailbox.move_to_folder = "Processed"
    mailbox.save()
    _deliver(dovecot, build_mail())

    poll_mailbox(mailbox)

    with MailBoxUnencrypted(dovecot.host, dovecot.port).login(dovecot.user, dovecot.password) as client:
        assert client.uids() == []
        client.folder.set("Processed")
        assert len(client.uids()) == 1


def test_a_wrong_password_is_recorded_on_the_mailbox(mailbox):
    mailbox.set_password("wrong")
    mailbox.save()

    with pytest.raises(Exception):  # noqa: B017 - imap_tools raises its own login error
        poll_mailbox(mailbox)

    mailbox.refresh_from_db()
    assert mailbox.last_error


def test_imap_round_trip_reply_reopens_the_same_ticket(mailbox, dovecot, smtp_sink, django_capture_on_commit_callbacks):
    _deliver(dovecot, build_mail(message_id="<imap-q1@client.test>"))
    with django_capture_on_commit_callbacks(execute=True):
        poll_mailbox(mailbox)
    ticket = Ticket.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_reply(ticket, actor=make_agent(), via="web", body_text="Fixed.", new_status="solved")
    answer = email.message_from_bytes(smtp_sink.wait_for(2)[-1].raw, policy=policy.default)

    _deliver(dovecot, build_mail(subject=f"Re: {answer['Subject']}", body="No, it is not.", in_reply_to=answer["Message-ID"]))
    with django_capture_on_commit_callbacks(execute=True):
        poll_mailbox(mailbox)

    ticket.refresh_from_db()
    assert Ticket.objects.count() == 1
    assert ticket.status_category == "open"

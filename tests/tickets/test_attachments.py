"""Attachments: stored through the storage API, hashed, sniffed, size-limited, on any action."""

from __future__ import annotations

import hashlib

import pytest

from comptoir.core.errors import ValidationFailed
from comptoir.tickets import actions
from comptoir.tickets.attachments import IncomingFile
from comptoir.tickets.models import Attachment, Message
from tests.factories import make_agent, make_contact, make_ticket

pytestmark = pytest.mark.django_db

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 32


def test_stored_file_keeps_name_size_hash_and_content():
    content = b"2026-03-02 12:00 crash in MainActivity\n"
    ticket = make_ticket(attachments=[IncomingFile(name="crash.log", content=content)])
    attachment = ticket.attachments.get()
    assert (attachment.name, attachment.size) == ("crash.log", len(content))
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    with attachment.file.open("rb") as stored:
        assert stored.read() == content


def test_content_type_comes_from_the_bytes_not_the_senders_claim():
    ticket = make_ticket(attachments=[IncomingFile(name="photo", content=PNG, content_type="text/plain")])
    assert ticket.attachments.get().content_type == "image/png"


def test_content_type_falls_back_to_the_file_name_then_the_claim():
    ticket = make_ticket(attachments=[
        IncomingFile(name="notes.csv", content=b"a,b\n1,2\n"),
        IncomingFile(name="blob", content=b"\x01\x02", content_type="application/x-custom"),
        IncomingFile(name="mystery", content=b"\x01\x02"),
    ])
    types = list(ticket.attachments.order_by("id").values_list("content_type", flat=True))
    assert types == ["text/csv", "application/x-custom", "application/octet-stream"]


def test_path_tricks_in_names_are_flattened():
    ticket = make_ticket(attachments=[
        IncomingFile(name="../../etc/passwd", content=b"root"),
        IncomingFile(name="C:\\Users\\me\\report final.pdf", content=b"%PDF"),
        IncomingFile(name="", content=b"?"),
    ])
    names = list(ticket.attachments.order_by("id").values_list("name", flat=True))
    assert names == ["passwd", "report_final.pdf", "attachment"]
    for attachment in ticket.attachments.all():
        assert ".." not in attachment.file.name


def test_a_file_exactly_at_the_limit_is_accepted(settings):
    settings.ATTACHMENT_MAX_BYTES = 64
    ticket = make_ticket(attachments=[IncomingFile(name="edge.bin", content=b"x" * 64)])
    assert ticket.attachments.get().size == 64


def test_reply_with_a_file_over_the_limit_writes_nothing(settings):
    settings.ATTACHMENT_MAX_BYTES = 64
    agent = make_agent()
    ticket = make_ticket()
    events_before = ticket.events.count()
    with pytest.raises(ValidationFailed) as err:
        actions.add_reply(ticket, actor=agent, via="web", body_text="See attached",
                          attachments=[IncomingFile(name="video.mp4", content=b"x" * 65)])
    assert err.value.fields == {"attachments": "too_large"}
    assert "video.mp4" in err.value.message
    assert Message.objects.filter(ticket=ticket).count() == 1
    assert not Attachment.objects.exists()
    assert ticket.events.count() == events_before


def test_customer_message_with_a_file_over_the_limit_writes_nothing(settings):
    settings.ATTACHMENT_MAX_BYTES = 64
    customer = make_contact()
    ticket = make_ticket(contact=customer, status="pending")
    with pytest.raises(ValidationFailed):
        actions.receive_customer_message(ticket, contact=customer, via="email", body_text="Here",
                                         attachments=[IncomingFile(name="big.zip", content=b"x" * 100)])
    ticket.refresh_from_db()
    assert ticket.status_category == "pending"
    assert ticket.messages.count() == 1


def test_note_attachments_belong_to_the_note():
    agent = make_agent()
    ticket = make_ticket()
    note = actions.add_internal_note(ticket, actor=agent, via="web", body_text="Internal log",
                                     attachments=[IncomingFile(name="internal.txt", content=b"secret")])
    assert list(note.attachments.values_list("name", flat=True)) == ["internal.txt"]
    assert ticket.attachments.get().message == note


def test_a_customer_message_may_be_only_a_file():
    customer = make_contact()
    ticket = make_ticket(contact=customer)
    message = actions.receive_customer_message(ticket, contact=customer, via="email",
                                               attachments=[IncomingFile(name="screen.png", content=PNG)])
    assert message.attachments.get().content_type == "image/png"


def test_the_same_file_twice_is_stored_twice_with_the_same_hash():
    content = b"same bytes"
    ticket = make_ticket(attachments=[IncomingFile(name="a.txt", content=content),
                                      IncomingFile(name="b.txt", content=content)])
    hashes = set(ticket.attachments.values_list("sha256", flat=True))
    assert hashes == {hashlib.sha256(content).hexdigest()}
    assert ticket.attachments.count() == 2

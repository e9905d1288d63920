"""Who wrote, to whom, about what: headers as mail clients really write them (RFC 5322, RFC 2047)."""

from __future__ import annotations

import time

from comptoir.channels.email.parsing import parse_email


def headers(*lines: bytes) -> bytes:
    return b"\n".join(lines) + b"\n\nHello\n"


def test_group_syntax_yields_its_members():
    raw = headers(b"From: a@example.com", b"To: Support team: help@example.com, sales@example.com;", b"Subject: x")
    assert parse_email(raw).to == ["help@example.com", "sales@example.com"]


def test_undisclosed_recipients_group_yields_no_address():
    raw = headers(b"From: a@example.com", b"To: undisclosed-recipients:;", b"Subject: x")
    assert parse_email(raw).to == []


def test_quoted_name_with_comma_and_encoded_name_in_one_list():
    raw = headers(
        b"From: a@example.com",
        b'Cc: "Dupont, Ren\xc3\xa9e" <renee@example.net>, =?iso-8859-1?q?J=FCrgen?= <jurgen@example.de>',
        b"Subject: x",
    )
    assert parse_email(raw).cc == ["renee@example.net", "jurgen@example.de"]


def test_sender_name_in_raw_iso_2022_jp_is_decoded():
    name = "山田".encode("iso2022_jp")
    raw = headers(b"From: " + name + b" <yamada@example.jp>", b"Subject: x")
    parsed = parse_email(raw)
    assert (parsed.from_name, parsed.from_email) == ("山田", "yamada@example.jp")


def test_raw_utf8_subject_in_a_latin1_mail_is_utf8():
    raw = (
        b"From: a@example.com\nSubject: Probl\xc3\xa8me\nContent-Type: text/plain; charset=iso-8859-1\n\n"
        b"Caf\xe9\n"
    )
    parsed = parse_email(raw)
    assert (parsed.subject, parsed.body_text) == ("Problème", "Café\n")


def test_thousands_of_raw_8bit_headers_parse_in_linear_time():
    # each undeclared 8-bit value may need charset detection: a mail only gets a budget of them
    raw = b"From: a@example.com\n" + b"".join(b"X-Note-%d: caf\xe9 cr\xe8me %d\n" % (i, i) for i in range(20_000)) + b"\nx\n"
    started = time.process_time()
    parsed = parse_email(raw)
    assert time.process_time() - started < 2.0
    assert parsed.headers["x-note-0"] == "café crème 0"


def test_thousands_of_undeclared_8bit_parts_parse_in_linear_time():
    parts = b"".join(b"--x\n\n\xc4\xe3\xba\xc3 caf\xe9 %d\n" % i for i in range(20_000))
    raw = b"From: a@example.com\nContent-Type: multipart/mixed; boundary=x\n\n" + parts + b"--x--\n"
    started = time.process_time()
    parsed = parse_email(raw)
    assert time.process_time() - started < 2.0
    assert parsed.body_text.count("caf") == 20_000

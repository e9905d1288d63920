"""What the email parser makes of the mail customers really send: one behaviour per test."""

from __future__ import annotations

import base64
import io
import json

import pytest
from django.core.management import CommandError, call_command

from comptoir.channels.email.parsing import (
    NO_VISIBLE_CONTENT,
    EmailParseError,
    decode_bytes,
    parse_email,
)

PLAIN = b"""From: =?utf-8?q?Ren=C3=A9e_Dupont?= <Renee.Dupont@Example.NET>\r
To: Support <support@example.com>, "Sales, EU" <sales@example.com>\r
Cc: boss@example.net\r
Reply-To: renee.private@example.org\r
Subject: =?utf-8?q?Probl=C3=A8me_de_connexion?=\r
Date: Mon, 2 Mar 2026 10:00:00 +0100\r
Message-ID: <abc123@example.net>\r
In-Reply-To: <prev@example.com>\r
References: <first@example.com>\r
 <prev@example.com>\r
MIME-Version: 1.0\r
Content-Type: text/plain; charset=utf-8\r
Content-Transfer-Encoding: 8bit\r
\r
Bonjour, je n'arrive plus \xc3\xa0 me connecter.\r
"""


def test_sender_is_lower_cased_and_its_name_decoded():
    parsed = parse_email(PLAIN)
    assert parsed.from_email == "renee.dupont@example.net"
    assert parsed.from_name == "Renée Dupont"


def test_recipients_keep_every_address_even_with_commas_in_names():
    parsed = parse_email(PLAIN)
    assert parsed.to == ["support@example.com", "sales@example.com"]
    assert parsed.cc == ["boss@example.net"]
    assert parsed.reply_to == ["renee.private@example.org"]


def test_threading_headers_lose_their_angle_brackets():
    parsed = parse_email(PLAIN)
    assert parsed.message_id == "abc123@example.net"
    assert parsed.in_reply_to == "prev@example.com"
    assert parsed.references == ["first@example.com", "prev@example.com"]


def test_utf8_body_and_encoded_subject_are_decoded():
    parsed = parse_email(PLAIN)
    assert parsed.subject == "Problème de connexion"
    assert parsed.body_text == "Bonjour, je n'arrive plus à me connecter.\n"
    assert parsed.date is not None and parsed.date.year == 2026


def test_headers_are_available_lower_cased_for_rules():
    parsed = parse_email(PLAIN)
    assert parsed.headers["subject"] == "Problème de connexion"
    assert parsed.headers["mime-version"] == "1.0"


def test_latin1_body_labelled_utf8_is_still_readable():
    raw = b"From: a@example.com\nSubject: x\nContent-Type: text/plain; charset=utf-8\n\nCaf\xe9 cr\xe8me\n"
    assert parse_email(raw).body_text == "Café crème\n"


def test_utf8_body_labelled_latin1_is_read_as_utf8():
    raw = b"From: a@example.com\nSubject: x\nContent-Type: text/plain; charset=iso-8859-1\n\nCaf\xc3\xa9\n"
    assert parse_email(raw).body_text == "Café\n"


def test_unknown_charset_falls_back_instead_of_failing():
    raw = b"From: a@example.com\nSubject: =?x-unknown?q?Gr=C3=BC=C3=9Fe?=\nContent-Type: text/plain; charset=x-unknown\n\nGr\xfc\xdfe\n"
    parsed = parse_email(raw)
    assert parsed.subject == "Grüße"
    assert parsed.body_text == "Grüße\n"


def test_windows_1252_quotes_are_decoded():
    assert decode_bytes(b"\x93quoted\x94 \x80", "windows-1252") == "\u201cquoted\u201d \u20ac"


def test_raw_8bit_header_is_decoded_with_the_fallback_chain():
    raw = b"From: Fran\xe7ois <f@example.com>\nSubject: R\xc3\xa9sum\xc3\xa9\n\nhello\n"
    parsed = parse_email(raw)
    assert parsed.from_name == "François"
    assert parsed.subject == "Résumé"


def test_encoded_word_split_inside_a_multibyte_character_is_joined():
    # "é" (c3 a9) cut in the middle across two encoded-words
    raw = b"From: a@example.com\nSubject: =?utf-8?b?Y2Fmww==?= =?utf-8?b?qQ==?=\n\nx\n"
    assert parse_email(raw).subject == "café"


def test_broken_encoded_word_with_spaces_is_still_decoded():
    raw = b"From: a@example.com\nSubject: =?UTF-8?Q? Personal=C3=A4nderung?=\n\nx\n"
    assert parse_email(raw).subject == " Personaländerung"


def test_alternative_prefers_plain_text_and_keeps_sanitised_html():
    raw = b"""From: a@example.com
Subject: alt
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="b"

--b
Content-Type: text/plain; charset=utf-8

Plain version
--b
Content-Type: text/html; charset=utf-8

<p onclick="steal()">HTML <b>version</b></p><script>alert(1)</script>
--b--
"""
    parsed = parse_email(raw)
    assert parsed.body_text == "Plain version"
    assert "<b>version</b>" in parsed.body_html
    assert "script" not in parsed.body_html and "onclick" not in parsed.body_html
    assert parsed.attachments == []


def test_html_only_mail_gets_a_text_body():
    raw = b"From: a@example.com\nSubject: h\nContent-Type: text/html; charset=utf-8\n\n<div>Hello<br>World</div>\n"
    parsed = parse_email(raw)
    assert parsed.body_text == "Hello\nWorld"
    assert parsed.body_html.startswith("<div>Hello")


OUTLOOK_RELATED = b"""From: "Jansen, Piet" <piet@example.nl>
To: support@example.com
Subject: Scherm
MIME-Version: 1.0
Content-Type: multipart/related; type="multipart/alternative"; boundary="rel"

--rel
Content-Type: multipart/alternative; boundary="alt"

--alt
Content-Type: text/plain; charset="iso-8859-1"
Content-Transfer-Encoding: quoted-printable

Zie de schermafdruk hieronder.=0A[cid:image001.png@01D9]
--alt
Content-Type: text/html; charset="iso-8859-1"
Content-Transfer-Encoding: quoted-printable

<html xmlns:o=3D"urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{margin:0}</style></head>
<body><p class=3D"MsoNormal">Zie de schermafdruk hieronder.<o:p></o:p></p><img src=3D"cid:image001.png@01D9"></body></html>
--alt--

--rel
Content-Type: image/png
Content-Transfer-Encoding: base64
Content-ID: <image001.png@01D9>

iVBORw0KGgo=
--rel--
"""


def test_outlook_inline_image_is_kept_with_its_content_id():
    parsed = parse_email(OUTLOOK_RELATED)
    (image,) = parsed.attachments
    assert image.content_id == "image001.png@01D9"
    assert image.is_inline
    assert image.filename == "image001.png"
    assert image.content == base64.b64decode("iVBORw0KGgo=")


def test_outlook_html_keeps_the_cid_reference_for_the_intake_to_rewrite():
    parsed = parse_email(OUTLOOK_RELATED)
    assert 'src="cid:image001.png@01D9"' in parsed.body_html
    assert "MsoNormal{" not in parsed.body_html
    assert parsed.from_name == "Jansen, Piet"


def test_rfc2231_filename_is_decoded():
    raw = b"""From: a@example.com
Subject: f
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/plain

see attached
--b
Content-Type: application/pdf
Content-Disposition: attachment; filename*=UTF-8''facture%20n%C2%B012%20%C3%A9t%C3%A9.pdf
Content-Transfer-Encoding: base64

JVBERi0=
--b--
"""
    parsed = parse_email(raw)
    assert parsed.body_text == "see attached"
    assert [(a.filename, a.content) for a in parsed.attachments] == [("facture n°12 été.pdf", b"%PDF-")]


def test_rfc2047_filename_in_quotes_is_decoded():
    raw = b"""From: a@example.com
Subject: f
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/plain

x
--b
Content-Type: application/octet-stream; name="=?iso-8859-1?Q?R=E9sum=E9.doc?="
Content-Disposition: attachment; filename="=?iso-8859-1?Q?R=E9sum=E9.doc?="

data
--b--
"""
    assert parse_email(raw).attachments[0].filename == "Résumé.doc"


def test_nameless_attachment_gets_a_name_from_its_type():
    raw = b"""From: a@example.com
Subject: f
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/plain

x
--b
Content-Type: application/pdf
Content-Transfer-Encoding: base64

JVBERi0=
--b
Content-Type: application/pdf
Content-Transfer-Encoding: base64

JVBERi0=
--b--
"""
    assert [a.filename for a in parse_email(raw).attachments] == ["attachment.pdf", "attachment1.pdf"]


def test_forwarded_mail_is_attached_byte_for_byte_as_eml():
    inner = b"From: customer@example.com\nSubject: Commande 42\n\nO\xf9 est ma commande ?\n"
    raw = (
        b"From: agent@example.com\nSubject: Fwd: Commande 42\nContent-Type: multipart/mixed; boundary=\"b\"\n\n"
        b"--b\nContent-Type: text/plain\n\nSee below.\n--b\nContent-Type: message/rfc822\n\n"
        + inner
        + b"--b--\n"
    )
    parsed = parse_email(raw)
    (forwarded,) = parsed.attachments
    assert forwarded.filename == "Commande 42.eml"
    assert forwarded.content_type == "message/rfc822"
    assert forwarded.content == inner.rstrip(b"\n")
    assert parsed.body_text == "See below."


def _crlf_mail_with_attachment(cte: str, content: bytes, ctype: str = "message/rfc822") -> bytes:
    header = f"Content-Type: {ctype}\r\nContent-Disposition: attachment; filename=original\r\n"
    header += f"Content-Transfer-Encoding: {cte}\r\n" if cte else ""
    return (
        b"From: relay@example.com\r\nSubject: Fwd\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
        b"--b\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: 8bit\r\n\r\nSee below.\r\nThanks\r\n"
        b"--b\r\n" + header.encode() + b"\r\n" + content + b"\r\n--b--\r\n"
    )


@pytest.mark.parametrize("ctype", ["message/rfc822", "text/plain", "application/octet-stream"])
def test_an_8bit_attachment_keeps_its_crlf_bytes_exactly(ctype):
    inner = b"From: customer@example.com\r\nSubject: Commande 42\r\n\r\nO\xf9 est ma commande ?\r\nMerci"
    parsed = parse_email(_crlf_mail_with_attachment("8bit", inner, ctype))

    assert parsed.attachments[0].content == inner
    assert parsed.body_text == "See below.\nThanks"  # the body text itself always gets LF line ends


@pytest.mark.parametrize("cte", ["", "7bit"])
def test_a_7bit_attachment_gets_lf_line_ends_like_any_7bit_text(cte):
    inner = b"From: customer@example.com\r\nSubject: Commande 42\r\n\r\nWhere is my order?\r\nThanks"
    (forwarded,) = parse_email(_crlf_mail_with_attachment(cte, inner)).attachments

    assert forwarded.content == inner.replace(b"\r\n", b"\n")


def test_winmail_dat_is_kept_as_an_attachment():
    raw = b"""From: a@example.com
Subject: tnef
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/plain

body
--b
Content-Type: application/ms-tnef; name="winmail.dat"
Content-Transfer-Encoding: base64

eJ8+IgAAAQ==
--b--
"""
    (tnef,) = parse_email(raw).attachments
    assert (tnef.filename, tnef.content_type, tnef.size) == ("winmail.dat", "application/ms-tnef", 7)


def test_text_split_around_an_inline_image_stays_one_body():
    raw = b"""From: a@example.com
Subject: Apple Mail
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/plain

Here is the error:
--b
Content-Type: image/png; name=error.png
Content-Disposition: inline; filename=error.png
Content-Transfer-Encoding: base64

iVBORw0KGgo=
--b
Content-Type: text/plain

It happens every morning.
--b--
"""
    parsed = parse_email(raw)
    assert parsed.body_text == "Here is the error:\n\nIt happens every morning.\n"
    assert [a.filename for a in parsed.attachments] == ["error.png"]


def test_second_html_document_is_kept_as_an_attachment_not_dropped():
    raw = b"""From: a@example.com
Subject: two
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/html

<p>first</p>
--b
Content-Type: text/html

<p>second</p>
--b--
"""
    parsed = parse_email(raw)
    assert parsed.body_text == "first"
    assert [(a.filename, a.content) for a in parsed.attachments] == [("document.html", b"<p>second</p>")]


def test_mail_with_only_an_attachment_has_a_placeholder_body():
    raw = b"From: a@example.com\nSubject: scan\nContent-Type: application/pdf; name=scan.pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0=\n"
    parsed = parse_email(raw)
    assert parsed.body_text == NO_VISIBLE_CONTENT
    assert [a.filename for a in parsed.attachments] == ["scan.pdf"]


def test_base64_with_a_dangling_character_still_decodes():
    raw = b"From: a@example.com\nSubject: b\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\naGVsbG8gd29ybGQ=x\n"
    assert parse_email(raw).body_text == "hello world"


def test_mbox_envelope_and_unindented_header_continuations_are_repaired():
    raw = (
        b"From someone@example.com  Wed Sep 10 23:54:58 2014\n"
        b"Received: from mx.example.com\nby relay.example.com with ESMTP\n"
        b"From: someone@example.com\nSubject: repaired\n\nbody\n"
    )
    parsed = parse_email(raw)
    assert (parsed.from_email, parsed.subject, parsed.body_text) == ("someone@example.com", "repaired", "body\n")


def test_sender_falls_back_to_reply_to_when_from_has_no_address():
    raw = b'From: "Someone" <>\nReply-To: <real@example.com>\nSubject: x\n\nbody\n'
    assert parse_email(raw).from_email == "real@example.com"


def test_comment_in_from_is_not_part_of_the_name():
    raw = b"From: MAILER-DAEMON (Mail Delivery System) <postmaster@example.com>\nSubject: x\n\nb\n"
    assert parse_email(raw).from_name == "MAILER-DAEMON"


def test_garbage_without_headers_is_rejected_clearly():
    with pytest.raises(EmailParseError):
        parse_email(b"\x00\x01\x02 this is not an email at all")


def test_visible_text_folds_the_quoted_history():
    raw = b"From: a@example.com\nSubject: Re: x\n\nThanks, that fixed it.\n\nOn Mon, 2 Mar 2026 at 10:00, Support <support@example.com> wrote:\n> Try again\n"
    parsed = parse_email(raw)
    assert parsed.visible_text == "Thanks, that fixed it."
    assert "> Try again" in parsed.body_text


def test_json_output_has_the_documented_shape():
    data = parse_email(OUTLOOK_RELATED).to_json_dict()
    assert list(data) == [
        "from_email", "from_name", "to", "cc", "subject", "body_text", "body_html", "attachments",
        "message_id", "in_reply_to", "references", "is_auto_reply", "is_bounce",
    ]
    assert data["attachments"] == [{"filename": "image001.png", "content_type": "image/png", "size": 8}]


def test_parse_email_command_prints_json(tmp_path):
    path = tmp_path / "mail.eml"
    path.write_bytes(PLAIN)
    out = io.StringIO()
    call_command("parse_email", str(path), stdout=out)
    assert json.loads(out.getvalue())["subject"] == "Problème de connexion"


def test_parse_email_command_reads_standard_input(monkeypatch):
    class FakeStdin:
        buffer = io.BytesIO(PLAIN)

    monkeypatch.setattr("sys.stdin", FakeStdin)
    out = io.StringIO()
    call_command("parse_email", "-", stdout=out)
    assert json.loads(out.getvalue())["from_email"] == "renee.dupont@example.net"


def test_parse_email_command_fails_clearly_on_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("parse_email", str(tmp_path / "nope.eml"))


def test_parse_email_command_fails_clearly_on_a_non_email(tmp_path):
    path = tmp_path / "junk.bin"
    path.write_bytes(b"\x00\x01\x02")
    with pytest.raises(CommandError, match="not an email"):
        call_command("parse_email", str(path))


def test_header_with_a_space_before_its_colon_is_still_read():
    raw = b"From: a@example.com\nSubject : Rappel facture\nTo: support@example.com\n\nbody\n"
    parsed = parse_email(raw)
    assert (parsed.subject, parsed.to, parsed.body_text) == ("Rappel facture", ["support@example.com"], "body\n")


def test_when_mime_processing_fails_body_and_original_are_kept(monkeypatch):
    from comptoir.channels.email import parsing

    def broken(msg):
        raise ValueError("simulated crash deep in the MIME machinery")

    monkeypatch.setattr(parsing, "_build", broken)
    parsed = parse_email(PLAIN)
    assert parsed.subject == "Problème de connexion"
    assert "je n'arrive plus à me connecter" in parsed.body_text
    assert [(a.filename, a.content) for a in parsed.attachments] == [("original.eml", PLAIN)]


def test_rfc2231_name_with_an_impossible_charset_does_not_crash():
    raw = b"""From: a@example.com
Subject: x
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/plain

body
--b
Content-Type: application/pdf; name*=bad\x00charset''r%C3%A9sum%C3%A9.pdf

data
--b--
"""
    parsed = parse_email(raw)
    assert parsed.body_text == "body"
    assert parsed.attachments[0].filename.endswith(".pdf")

"""Every file a customer sends reaches the ticket, wherever the mail's structure hides it.

Mails are built here following RFC 2045-2046 (MIME structure), RFC 2183 and RFC 2231
(file names, also split in continuations and in any charset).
"""

from __future__ import annotations

import base64
import binascii
from email.message import EmailMessage

from comptoir.channels.email.parsing import NO_VISIBLE_CONTENT, parse_email

HEAD = b"From: customer@example.com\nTo: support@example.com\nSubject: Files\nMIME-Version: 1.0\n"
PDF = b"%PDF-1.4 invoice 2026-031\n"


def uuencoded(content: bytes, name: str) -> bytes:
    lines = [binascii.b2a_uu(content[i: i + 45]) for i in range(0, len(content), 45)]
    return f"begin 644 {name}\n".encode() + b"".join(lines) + b"`\nend\n"


def multipart(kind: str, *parts: bytes, boundary: str = "b1") -> bytes:
    body = b"".join(b"--" + boundary.encode() + b"\n" + part + b"\n" for part in parts)
    return (
        f'Content-Type: multipart/{kind}; boundary="{boundary}"\n\n'.encode() + body + b"--" + boundary.encode() + b"--\n"
    )


def pdf_part(disposition: bytes = b'attachment; filename="invoice.pdf"') -> bytes:
    return (
        b"Content-Type: application/pdf\nContent-Transfer-Encoding: base64\nContent-Disposition: "
        + disposition + b"\n\n" + base64.b64encode(PDF) + b"\n"
    )


TEXT = b"Content-Type: text/plain; charset=utf-8\n\nHello, the invoice is attached.\n"
HTML = b"Content-Type: text/html; charset=utf-8\n\n<p>Hello, the invoice is attached.</p>\n"


# --- uuencode (a non-standard transfer encoding older mailers and gateways write) ------


def test_x_uuencode_attachment_is_decoded_to_its_original_bytes():
    part = b"Content-Type: application/pdf; name=invoice.pdf\nContent-Transfer-Encoding: x-uuencode\n\n" + uuencoded(PDF, "invoice.pdf")
    parsed = parse_email(HEAD + multipart("mixed", TEXT, part))
    assert [(a.filename, a.content) for a in parsed.attachments] == [("invoice.pdf", PDF)]


def test_uuencoded_part_without_a_name_is_named_from_its_begin_line():
    part = b"Content-Type: application/octet-stream\nContent-Transfer-Encoding: uuencode\n\n" + uuencoded(PDF, "report.pdf")
    attachment = parse_email(HEAD + multipart("mixed", TEXT, part)).attachments[0]
    assert (attachment.filename, attachment.content_type, attachment.content) == ("report.pdf", "application/pdf", PDF)


def test_uuencoded_text_part_is_a_file_not_body_text():
    part = b"Content-Type: text/plain\nContent-Transfer-Encoding: x-uuencode\n\n" + uuencoded(b"a;b\n1;2\n", "export.csv")
    parsed = parse_email(HEAD + multipart("mixed", TEXT, part))
    assert parsed.body_text == "Hello, the invoice is attached.\n"
    assert [(a.filename, a.content) for a in parsed.attachments] == [("export.csv", b"a;b\n1;2\n")]


def test_uuencoded_part_missing_its_end_line_still_decodes():
    encoded = uuencoded(PDF, "invoice.pdf").replace(b"`\nend\n", b"")
    part = b"Content-Type: application/pdf\nContent-Transfer-Encoding: x-uuencode\n\n" + encoded
    assert parse_email(HEAD + multipart("mixed", TEXT, part)).attachments[0].content == PDF


# --- files in every corner of the structure --------------------------------------------


def test_attachment_inside_multipart_related_is_kept():
    # Apple Mail: alternative(text, related(html, inline image, attached file))
    image = b"Content-Type: image/png\nContent-ID: <logo@x>\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n"
    related = multipart("related", HTML, image, pdf_part(), boundary="rel")
    parsed = parse_email(HEAD + multipart("alternative", TEXT, related))
    assert sorted(a.filename for a in parsed.attachments) == ["image.png", "invoice.pdf"]
    assert parsed.body_text == "Hello, the invoice is attached.\n"


def test_named_file_placed_directly_in_an_alternative_is_kept():
    parsed = parse_email(HEAD + multipart("alternative", TEXT, HTML, pdf_part()))
    assert [(a.filename, a.content) for a in parsed.attachments] == [("invoice.pdf", PDF)]


def test_named_text_file_in_an_alternative_does_not_replace_the_body():
    notes = b'Content-Type: text/plain; name="notes.txt"\nContent-Disposition: attachment; filename="notes.txt"\n\nline 1\n'
    parsed = parse_email(HEAD + multipart("alternative", TEXT, notes))
    assert parsed.body_text == "Hello, the invoice is attached.\n"
    assert [(a.filename, a.content) for a in parsed.attachments] == [("notes.txt", b"line 1\n")]


def test_files_of_a_forwarded_mail_are_offered_beside_the_eml():
    inner = EmailMessage()
    inner["From"] = "supplier@example.org"
    inner["Subject"] = "Your invoice"
    inner.set_content("See the invoice.")
    inner.add_attachment(PDF, maintype="application", subtype="pdf", filename="invoice-supplier.pdf")
    forwarded = b"Content-Type: message/rfc822\nContent-Disposition: attachment\n\n" + inner.as_bytes()
    parsed = parse_email(HEAD + multipart("mixed", TEXT, forwarded))
    names = [a.filename for a in parsed.attachments]
    assert names == ["Your invoice.eml", "invoice-supplier.pdf"]
    assert parsed.attachments[1].content == PDF


def test_files_of_a_returned_mail_in_a_bounce_are_not_extracted():
    inner = EmailMessage()
    inner["Subject"] = "Re: [#12] Invoice"
    inner.set_content("Our reply.")
    inner.add_attachment(PDF, maintype="application", subtype="pdf", filename="ours.pdf")
    report = multipart(
        "report",
        b"Content-Type: text/plain\n\nDelivery failed.\n",
        b"Content-Type: message/rfc822\n\n" + inner.as_bytes(),
        boundary="rep",
    ).replace(b"multipart/report;", b"multipart/report; report-type=delivery-status;")
    parsed = parse_email(HEAD + report)
    assert [a.filename for a in parsed.attachments] == ["Re: [#12] Invoice.eml"]


# --- file names (RFC 2231, RFC 2047, raw 8-bit) ------------------------------------------


def test_rfc2231_continuations_are_joined_and_decoded():
    disposition = (
        b"attachment;\n filename*0*=UTF-8''Facture%20d%C3%A9cembre%20;\n filename*1*=%E2%80%94%20sign%C3%A9e;\n filename*2=.pdf"
    )
    parsed = parse_email(HEAD + multipart("mixed", TEXT, pdf_part(disposition)))
    assert parsed.attachments[0].filename == "Facture décembre — signée.pdf"


def test_rfc2231_japanese_filename_in_iso_2022_jp_is_decoded():
    encoded = "".join(f"%{byte:02X}" for byte in "見積書.pdf".encode("iso2022_jp"))
    disposition = b"attachment; filename*=ISO-2022-JP''" + encoded.encode()
    assert parse_email(HEAD + multipart("mixed", TEXT, pdf_part(disposition))).attachments[0].filename == "見積書.pdf"


def test_rfc2047_shift_jis_filename_is_decoded():
    word = b"=?Shift_JIS?B?" + base64.b64encode("請求書①.pdf".encode("cp932")) + b"?="
    disposition = b'attachment; filename="' + word + b'"'
    assert parse_email(HEAD + multipart("mixed", TEXT, pdf_part(disposition))).attachments[0].filename == "請求書①.pdf"


def test_raw_utf8_filename_keeps_its_letters():
    disposition = 'attachment; filename="Hofjägerallee Wasserschaden.pdf"'.encode()
    assert parse_email(HEAD + multipart("mixed", TEXT, pdf_part(disposition))).attachments[0].filename == (
        "Hofjägerallee Wasserschaden.pdf"
    )


def test_raw_gbk_filename_is_read_in_the_mails_charset():
    disposition = 'attachment; filename="发票.pdf"'.encode("gbk")
    text = "Content-Type: text/plain; charset=gb2312\n\n附件是发票。\n".encode("gbk")
    assert parse_email(HEAD + multipart("mixed", text, pdf_part(disposition))).attachments[0].filename == "发票.pdf"


# --- damaged and degenerate structures -------------------------------------------------


def test_part_without_content_type_is_plain_text_of_the_body():
    parsed = parse_email(HEAD + multipart("mixed", b"\nNo headers in this part.\n", pdf_part()))
    assert parsed.body_text == "No headers in this part.\n"
    assert [a.filename for a in parsed.attachments] == ["invoice.pdf"]


def test_truncated_multipart_without_closing_boundary_keeps_text_and_file():
    raw = HEAD + multipart("mixed", TEXT, pdf_part())
    truncated = raw[: raw.rindex(b"--b1--")]
    parsed = parse_email(truncated)
    assert parsed.body_text == "Hello, the invoice is attached.\n"
    assert [(a.filename, a.content) for a in parsed.attachments] == [("invoice.pdf", PDF)]


def test_zero_byte_attachment_with_a_name_is_kept():
    empty = b'Content-Type: text/csv\nContent-Disposition: attachment; filename="empty.csv"\n\n'
    parsed = parse_email(HEAD + multipart("mixed", TEXT, empty))
    assert [(a.filename, a.size) for a in parsed.attachments] == [("empty.csv", 0)]


def test_mail_made_only_of_a_uuencoded_file_has_the_placeholder_body():
    raw = HEAD + b"Content-Type: application/pdf\nContent-Transfer-Encoding: x-uuencode\n\n" + uuencoded(PDF, "a.pdf")
    parsed = parse_email(raw)
    assert parsed.body_text == NO_VISIBLE_CONTENT
    assert [(a.filename, a.content) for a in parsed.attachments] == [("a.pdf", PDF)]


def test_nameless_attachment_extension_comes_from_the_content_type():
    sheet = b"Content-Type: application/vnd.ms-excel\nContent-Disposition: attachment\nContent-Transfer-Encoding: base64\n\nAAAA\n"
    assert parse_email(HEAD + multipart("mixed", TEXT, sheet)).attachments[0].filename == "attachment.xls"

"""Parts that become attachments: their names, types and bytes.

Every leaf part that is not the body is kept with its original bytes. Names come
from ``Content-Disposition: filename`` or ``Content-Type: name`` (RFC 2231, also
split in continuations, and RFC 2047 words, decoded), then from the Outlook
content id (``image001.png@...``), the ``Content-Description``, the subject of a
forwarded mail, or the type (``image.png``, ``document.html``, ``attachment.pdf``).
Uuencoded parts (``Content-Transfer-Encoding: x-uuencode``) are decoded and named
from their ``begin 644 name`` line, and the files attached to a forwarded mail are
also offered on their own. (A ``begin 644`` block typed into a plain-text body stays
text, as other helpdesks keep it.)
"""

from __future__ import annotations

import email
import mimetypes
import re
from collections.abc import Iterator
from email.message import Message
from typing import Any

from comptoir.channels.email.parsing.charsets import decode_bytes
from comptoir.channels.email.parsing.headers import decode_header_value, first_raw
from comptoir.channels.email.parsing.parsed import ParsedAttachment
from comptoir.channels.email.parsing.structure import COMPAT_POLICY, blank_line, fast_tree
from comptoir.channels.email.parsing.transfer import (
    is_uuencoded,
    payload_bytes,
    raw_payload,
    uudecode,
)

# Python's own table only (not the machine's /etc/mime.types): names must not depend on
# the server; plus the types mail carries that the table lacks.
_MIME = mimetypes.MimeTypes()
for _type, _ext in (
    ("image/jpg", ".jpg"),
    ("image/webp", ".webp"),
    ("text/calendar", ".ics"),
    ("text/rfc822-headers", ".txt"),
    ("message/delivery-status", ".txt"),
    ("message/disposition-notification", ".txt"),
    ("application/ms-tnef", ".dat"),
    ("application/vnd.ms-tnef", ".dat"),
    ("application/pkcs7-signature", ".p7s"),
    ("application/x-pkcs7-signature", ".p7s"),
    ("application/pkcs7-mime", ".p7m"),
    ("application/x-pkcs7-mime", ".p7m"),
    ("application/pgp-signature", ".asc"),
    ("application/pgp-encrypted", ".asc"),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
):
    if not _MIME.guess_extension(_type, strict=False):
        _MIME.add_type(_type, _ext, strict=False)


def extension_for(ctype: str) -> str:
    """The usual file extension of a content type ("" when unknown or generic binary)."""
    if ctype == "application/octet-stream":
        return ""
    return _MIME.guess_extension(ctype, strict=False) or ""


def content_type_for(filename: str) -> str:
    return _MIME.guess_type(filename, strict=False)[0] or "application/octet-stream"


def disposition(part: Message) -> str:
    value = first_raw(part, "content-disposition")
    return value.split(";", 1)[0].strip().lower() if value else ""


def filename(part: Message, charset: str = "") -> str:
    """The part's file name, decoded and made safe ("" when it has none)."""
    cached = part.__dict__.get("_cpt_filename")
    if cached is not None:
        return cached
    value: Any = None
    for header, param in (("content-disposition", "filename"), ("content-type", "name")):
        try:
            value = part.get_param(param, None, header)
        except Exception:
            value = None
        if value:
            break
    name = _param_text(value, charset) if value else ""
    part.__dict__["_cpt_filename"] = name
    return name


def _param_text(value: Any, charset: str) -> str:
    if isinstance(value, tuple):  # RFC 2231: (charset, language, %-decoded bytes as latin-1 chars)
        declared, _language, text = value
        try:
            data = str(text).encode("latin-1", "surrogateescape")
        except UnicodeEncodeError:
            data = str(text).encode("utf-8", "surrogateescape")
        return safe_filename(decode_bytes(data, declared or charset))
    return safe_filename(decode_header_value(str(value), charset))


_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\]+")


def safe_filename(name: str) -> str:
    return _UNSAFE_NAME.sub("_", name).strip(" .")[:255]


_CID_NAME = re.compile(r"[\w.-]{1,100}\.[A-Za-z0-9]{2,5}@")
_FALLBACK_BASE = {"image": "image", "video": "video", "audio": "audio"}


def attachment_for(part: Message, ctype: str, taken: list[ParsedAttachment], charset: str = "") -> ParsedAttachment | None:
    """The part as an attachment, named; None for an empty nameless binary part."""
    content = payload_bytes(part)
    name = filename(part, charset)
    if is_uuencoded(part):
        decoded = uudecode(payload_bytes_raw(part))
        if decoded is not None and not name:
            name = safe_filename(decode_bytes(decoded[1].encode("utf-8", "surrogateescape"), charset))
        if name and ctype in ("application/octet-stream", "text/plain"):
            ctype = content_type_for(name)
    if ctype == "multipart/alternative" or (not content and ctype == "application/octet-stream" and not name):
        return None
    ext = extension_for(ctype)
    if not name and ctype == "message/rfc822":
        subject = _inner_subject(content)
        name = safe_filename(subject) + ".eml" if subject else ""
    if not name:
        description = safe_filename(decode_header_value(first_raw(part, "content-description"), charset))[:120]
        if description:
            name = description + ext
    content_id = first_raw(part, "content-id").strip().strip("<>").strip()
    if not name and _CID_NAME.match(content_id):
        name = safe_filename(content_id.split("@", 1)[0])  # Outlook: <image001.png@01D...>
    if not name:
        name = fallback_name(ctype, ext, taken)
    return ParsedAttachment(
        filename=name,
        content_type=ctype,
        content=content,
        content_id=content_id,
        is_inline=bool(content_id) and disposition(part) != "attachment",
    )


def payload_bytes_raw(part: Message) -> bytes:
    payload = raw_payload(part)
    return payload.encode("utf-8", "surrogateescape") if isinstance(payload, str) else b""


def fallback_name(ctype: str, ext: str, taken: list[ParsedAttachment]) -> str:
    """image.png, image1.png, document.html, attachment.pdf...: readable and unique in the mail."""
    base = "document" if ctype == "text/html" else _FALLBACK_BASE.get(ctype.split("/", 1)[0], "attachment")
    ext = ext or ".bin"
    names = {a.filename for a in taken}
    name, n = f"{base}{ext}", 0
    while name in names:
        n += 1
        name = f"{base}{n}{ext}"
    return name


_SUBJECT_LINE = re.compile(rb"^Subject:[ \t]?([^\r\n]{0,998}(?:\r?\n[ \t][^\r\n]{0,998}){0,20})", re.IGNORECASE | re.MULTILINE)


def _inner_subject(content: bytes) -> str:
    blank = blank_line(content, 64 * 1024)
    head = content[: blank[0] if blank else 64 * 1024]
    match = _SUBJECT_LINE.search(head)
    if not match:
        return ""
    return decode_header_value(match.group(1).decode("utf-8", "surrogateescape"))


_INNER_MAX_DEPTH = 3


def forwarded_files(content: bytes, taken: list[ParsedAttachment], depth: int = 0) -> list[ParsedAttachment]:
    """The named files inside a forwarded mail (message/rfc822), offered beside its .eml."""
    if depth >= _INNER_MAX_DEPTH or not content:
        return []
    try:
        inner = fast_tree(content) or email.message_from_bytes(content, policy=COMPAT_POLICY)
    except Exception:
        return []
    found: list[ParsedAttachment] = []
    for leaf in _leaves(inner):
        ctype = Message.get_content_type(leaf)  # the real type: message/* parts are leaves here
        if ctype.startswith("message/"):
            found.extend(forwarded_files(payload_bytes(leaf), [*taken, *found], depth + 1))
            continue
        if not filename(leaf) and disposition(leaf) != "attachment":
            continue
        attachment = attachment_for(leaf, ctype, [*taken, *found])
        if attachment is not None:
            attachment.is_inline = False
            found.append(attachment)
    return found


def _leaves(part: Message) -> Iterator[Message]:
    payload = raw_payload(part)
    if isinstance(payload, list):
        for child in payload:
            if isinstance(child, Message):
                yield from _leaves(child)
    elif part is not None:
        yield part

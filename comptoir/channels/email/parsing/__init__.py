"""Raw RFC 5322 bytes -> a ParsedEmail the intake can store without losing anything.

Guarantees (docs/email-parsing.md says more):

* ``parse_email`` never raises on damaged input except ``EmailParseError`` when the
  bytes contain nothing that looks like an email (no header line at all).
* Nothing is dropped: the inline text/plain parts are ``body_text``, the first
  text/html part, sanitised, is ``body_html``; every other leaf part, and every part
  with a file name wherever it sits, becomes an attachment with its original bytes.
* Text in any charset Python's codecs know is decoded; mislabelled and undeclared
  text is read with ``charset-normalizer`` (``charsets.py``).

The package is split by concern:

* ``charsets``: bytes -> text (declared, mislabelled, undeclared charsets);
* ``headers``: RFC 2047 words, raw 8-bit headers, addresses, message ids, dates;
* ``structure``: raw bytes -> message tree (fast path + stdlib parser, header repair);
* ``transfer``: base64, quoted-printable and uuencode payloads -> bytes;
* ``bodies``: which parts make the body; ``attachments``: names and bytes of the rest;
* ``parsed``: the ``ParsedEmail`` / ``ParsedAttachment`` result types.
"""

from __future__ import annotations

import email

from comptoir.channels.email import noise
from comptoir.channels.email.parsing.bodies import build as _build
from comptoir.channels.email.parsing.charsets import decode_bytes, detection_budget
from comptoir.channels.email.parsing.headers import (
    addresses,
    all_raw,
    decode_header_value,
    header_map,
    msg_id,
    msg_ids,
    parse_date,
    raw_headers,
    sender,
)
from comptoir.channels.email.parsing.parsed import (
    NO_VISIBLE_CONTENT,
    EmailParseError,
    ParsedAttachment,
    ParsedEmail,
)
from comptoir.channels.email.parsing.structure import (
    COMPAT_POLICY as _COMPAT_POLICY,
)
from comptoir.channels.email.parsing.structure import (
    DEFAULT_POLICY as _DEFAULT_POLICY,
)
from comptoir.channels.email.parsing.structure import (
    REAL_HEADER as _REAL_HEADER,
)
from comptoir.channels.email.parsing.structure import (
    blank_line as _blank_line,
)
from comptoir.channels.email.parsing.structure import (
    fast_tree as _fast_tree,
)
from comptoir.channels.email.parsing.structure import (
    repair_header_block as _repair_header_block,
)

__all__ = [
    "NO_VISIBLE_CONTENT",
    "EmailParseError",
    "ParsedAttachment",
    "ParsedEmail",
    "decode_bytes",
    "decode_header_value",
    "parse_email",
]


def parse_email(raw: bytes) -> ParsedEmail:
    """Parse one raw message; see the package docstring for what is guaranteed."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogateescape")
    data = bytes(raw).lstrip(b"\r\n\t ")
    # clean mail (the vast majority) goes straight to the fast parser; the rest is repaired first
    msg = _fast_tree(data) if _REAL_HEADER.match(data) else None
    repaired = data if msg is not None else _repair_header_block(data)
    if repaired is None:
        raise EmailParseError("the input has no email header line")
    with detection_budget():
        try:
            if msg is None:
                msg = _fast_tree(repaired) or email.message_from_bytes(repaired, policy=_COMPAT_POLICY)
            return _build(msg)
        except Exception:  # the stricter policy.default parser, then the bare minimum
            try:
                return _build(email.message_from_bytes(repaired, policy=_DEFAULT_POLICY))
            except Exception:
                return _minimal(repaired)


def _minimal(raw: bytes) -> ParsedEmail:
    """Last resort for input that trips the MIME machinery: headers, the whole body as text,
    and the original bytes as an attachment, so that nothing is lost."""
    blank = _blank_line(raw)
    head, body = (raw[: blank[0]], raw[blank[1]:]) if blank else (raw, b"")
    raw_items = raw_headers(email.message_from_bytes(head + b"\n\n", policy=_COMPAT_POLICY))
    headers = header_map(raw_items)
    from_email, from_name = sender(raw_items)
    text = decode_bytes(body).replace("\r\n", "\n")
    return ParsedEmail(
        from_email=from_email,
        from_name=from_name,
        to=[addr for _n, addr in addresses(all_raw(raw_items, "to")) if addr],
        cc=[addr for _n, addr in addresses(all_raw(raw_items, "cc")) if addr],
        reply_to=[addr for _n, addr in addresses(all_raw(raw_items, "reply-to")) if addr],
        subject=headers.get("subject", ""),
        body_text=text if text.strip() else NO_VISIBLE_CONTENT,
        body_html="",
        attachments=[ParsedAttachment("original.eml", "message/rfc822", raw)],
        message_id=msg_id(headers.get("message-id", "")),
        in_reply_to=msg_id(headers.get("in-reply-to", "")),
        references=msg_ids(headers.get("references", "")),
        is_auto_reply=noise.is_auto_reply(headers),
        is_bounce=False,
        date=parse_date(headers.get("date", "")),
        headers=headers,
        visible_text=text if text.strip() else NO_VISIBLE_CONTENT,
    )


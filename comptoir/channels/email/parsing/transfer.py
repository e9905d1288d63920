"""Content-Transfer-Encoding: the stored payload of a part -> its content bytes.

Lenient on purpose: truncated base64, junk between base64 lines, quoted-printable
with bare LFs and uuencoded parts (``x-uuencode``, a non-standard encoding older
Unix mailers and some gateways still write) all decode to what the sender meant.
"""

from __future__ import annotations

import base64
import binascii
import re
from email import policy
from email.message import Message
from typing import Any

_B64_JUNK = re.compile(rb"[^A-Za-z0-9+/]+")
_UU_ENCODINGS = frozenset({"x-uuencode", "uuencode", "x-uue", "uue"})


def b64decode(data: bytes) -> bytes:
    """Lenient base64: ignores junk and missing padding, drops a dangling last character."""
    try:
        return binascii.a2b_base64(data)
    except (binascii.Error, ValueError):
        pass
    cleaned = _B64_JUNK.sub(b"", data)
    if len(cleaned) % 4 == 1:
        cleaned = cleaned[:-1]
    cleaned += b"=" * (-len(cleaned) % 4)
    try:
        return base64.b64decode(cleaned)
    except (binascii.Error, ValueError):  # pragma: no cover - cleaned input always decodes
        return data


_UU_BEGIN = re.compile(rb"^begin(?:-base64)?[ \t]+([0-7]{3,4})[ \t]+([^\r\n]{1,255}?)[ \t]*\r?$", re.MULTILINE)


def uudecode(data: bytes) -> tuple[bytes, str] | None:
    """(content, file name) of the first uuencoded file in ``data``, or None.

    Each line carries its length in its first character; a line a broken encoder
    padded or cut is decoded for the bytes it announces (as ``uu.decode`` does), and
    a missing ``end`` line ends the file at the first line that is not uuencoded.
    """
    begin = _UU_BEGIN.search(data)
    if begin is None:
        return None
    name = begin.group(2).decode("utf-8", "surrogateescape")
    out = bytearray()
    pos = begin.end() + 1
    while pos < len(data):
        eol = data.find(b"\n", pos)
        line_end = len(data) if eol < 0 else eol + 1
        line = data[pos:line_end].rstrip(b"\r\n")
        pos = line_end
        if line.strip() == b"end":
            break
        if not line.strip():
            continue
        try:
            out += binascii.a2b_uu(line)
        except binascii.Error:
            announced = (((line[0] - 32) & 63) * 4 + 5) // 3
            try:
                out += binascii.a2b_uu(line[:announced])
            except binascii.Error:
                break  # not uuencoded: the file ended without its "end" line
    return bytes(out), name


def raw_payload(part: Message) -> Any:
    """The stored transport payload (str with surrogate-escaped 8-bit bytes, or a list of parts).

    ``Message.get_payload()`` would decode 8-bit text with "replace" (losing bytes) and can
    raise on odd charsets, so the parser reads what the feed parser stored.
    """
    return getattr(part, "_payload", None)


def transfer_encoding(part: Message) -> str:
    value = part.get("content-transfer-encoding")
    return str(value).strip().lower() if value is not None else ""


def is_uuencoded(part: Message) -> bool:
    return transfer_encoding(part) in _UU_ENCODINGS


def payload_bytes(part: Message) -> bytes:
    """The decoded content bytes.

    7bit content (declared or by default) gets LF line ends: its CRLFs belong to the
    transport. Quoted-printable hard line breaks become CRLF (RFC 2045 canonical form).
    Content declared ``8bit`` or ``binary`` is kept byte for byte, CRLFs included (a
    forwarded mail or a file stays identical to what was attached, as other mail
    parsers also keep it). Body text gets LF line ends later, whatever the transport.
    """
    payload = raw_payload(part)
    if isinstance(payload, list):
        return b"".join(p.as_bytes(policy=policy.compat32) for p in payload if isinstance(p, Message))
    if not isinstance(payload, str):
        return b""
    cte = transfer_encoding(part)
    if cte == "base64":
        return b64decode(payload.encode("ascii", "ignore"))
    raw = payload.encode("utf-8", "surrogateescape")
    if cte == "quoted-printable":
        # hard line breaks of quoted-printable stand for CRLF (RFC 2045 canonical form)
        return binascii.a2b_qp(raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    if cte in _UU_ENCODINGS:
        decoded = uudecode(raw)
        return decoded[0] if decoded is not None else raw
    if cte in ("", "7bit") and b"\r" in raw:
        raw = raw.replace(b"\r\n", b"\n")  # 7bit: transport line ends become LF
    return raw

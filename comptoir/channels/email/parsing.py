"""Raw RFC 5322 bytes -> a ParsedEmail the intake can store without losing anything.

Guarantees:

* ``parse_email`` never raises on damaged input except ``EmailParseError`` when the
  bytes contain nothing that looks like an email (no header line at all).
* Nothing is dropped: the first inline text/plain part is ``body_text`` (the first
  text/html part, sanitised, is ``body_html``; HTML-only mail gets ``body_text``
  from it); every other leaf part becomes an attachment, with its original bytes.
  A mail with no text at all gets ``NO_VISIBLE_CONTENT`` as ``body_text`` so a
  stored message is never blank.
* Headers are decoded with a tolerant RFC 2047 decoder (unknown charsets, broken
  encoded-words, raw 8-bit bytes never raise) and bodies with the fallback chain
  declared charset -> utf-8 -> cp1252 -> latin-1 (plus GB2312 for undeclared
  8-bit text that only decodes as Chinese).
* Forwarded mails (message/rfc822) and DSN parts keep their original bytes:
  the standard parser is told not to re-parse ``message/*`` parts.

The structure is parsed with the standard library (``policy.default``); when that
policy trips over a broken header the message is re-parsed with ``compat32``.
Header values are always read raw and decoded here, which is both more tolerant
and faster than the header objects of ``policy.default``.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import email
import email.utils
import itertools
import quopri
import re
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.message import EmailMessage, Message
from typing import Any

import nh3

from comptoir.channels.email import noise, quoting
from comptoir.tickets.html import ALLOWED_TAGS, html_to_text, sanitize_html

#: body_text of a mail that carries no text at all (only attachments, or nothing).
NO_VISIBLE_CONTENT = "no visible content"


class EmailParseError(Exception):
    """The input is not an email at all (no header line could be found)."""


@dataclass
class ParsedAttachment:
    filename: str
    content_type: str
    content: bytes
    content_id: str = ""
    is_inline: bool = False

    @property
    def size(self) -> int:
        return len(self.content)


@dataclass
class ParsedEmail:
    from_email: str
    from_name: str
    to: list[str]
    cc: list[str]
    reply_to: list[str]
    subject: str
    body_text: str
    body_html: str
    attachments: list[ParsedAttachment]
    message_id: str
    in_reply_to: str
    references: list[str]
    is_auto_reply: bool
    is_bounce: bool
    bounce_recipients: list[str] = field(default_factory=list)
    bounced_message_id: str = ""
    date: datetime | None = None
    headers: dict[str, str] = field(default_factory=dict)
    visible_text: str = ""

    def to_json_dict(self) -> dict[str, Any]:
        """The shape printed by ``comptoir parse-email`` (documented in docs/email-parsing.md)."""
        return {
            "from_email": self.from_email,
            "from_name": self.from_name,
            "to": list(self.to),
            "cc": list(self.cc),
            "subject": self.subject,
            "body_text": self.body_text,
            "body_html": self.body_html,
            "attachments": [
                {"filename": a.filename, "content_type": a.content_type, "size": a.size}
                for a in self.attachments
            ],
            "message_id": self.message_id,
            "in_reply_to": self.in_reply_to,
            "references": list(self.references),
            "is_auto_reply": self.is_auto_reply,
            "is_bounce": self.is_bounce,
        }


# ---------------------------------------------------------------------------
# Charsets
# ---------------------------------------------------------------------------

_CHARSET_ALIASES = {
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "euc-kr": "cp949",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "iso-8859-8-i": "iso-8859-8",
    "iso-8859-1": "cp1252",  # mail clients label cp1252 text as latin-1 all the time
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "utf-8",  # 8-bit bytes in "ascii" mail are utf-8 or cp1252 in practice
    "ascii": "utf-8",
    "ansi_x3.4-1968": "utf-8",
    "unicode-1-1-utf-7": "utf-7",
    "x-mac-roman": "mac_roman",
    "macintosh": "mac_roman",
    "x-sjis": "shift_jis",
    "windows-874": "cp874",
    "tis-620": "cp874",
    "big5": "big5hkscs",
}
_WIDER = {"gb2312": "gb18030", "big5": "big5hkscs", "shift_jis": "cp932", "euc_jp": "cp932", "euc_kr": "cp949"}
_FALLBACK_CHAIN = ("utf-8", "cp1252", "latin-1")
_codec_cache: dict[str, str | None] = {}


def _codec(charset: str) -> str | None:
    name = (charset or "").strip().strip("\"'").lower()
    if not name:
        return None
    if name in _codec_cache:
        return _codec_cache[name]
    try:
        found: str | None = codecs.lookup(_CHARSET_ALIASES.get(name, name)).name
    except (LookupError, ValueError):
        found = None
    if found in ("rot-13", "hex", "base64", "zlib", "bz2", "uu", "quopri"):
        found = None  # never let a header pick a non-text codec
    if len(_codec_cache) < 512:
        _codec_cache[name] = found
    return found


_LATIN_CODECS = frozenset({"cp1252", "iso8859-15", "utf-8"})
_GB_PAIR = re.compile(rb"[\xa1-\xf7][\xa1-\xfe]")
_HIGH = re.compile(rb"[\x80-\xff]")


def _looks_gb2312(data: bytes) -> bool:
    """Undeclared 8-bit text where every high byte is half of a GB2312 pair (Chinese spam, CN mail)."""
    highs = len(_HIGH.findall(data))
    if highs < 4 or highs % 2:
        return False
    if len(_GB_PAIR.findall(data)) * 2 != highs:
        return False
    try:
        data.decode("gb2312")
    except UnicodeDecodeError:
        return False
    return True


def decode_bytes(data: bytes, charset: str = "") -> str:
    """Decode text bytes: the declared charset when it fits, else utf-8 -> cp1252 -> latin-1.

    Never raises; mislabelled text (latin-1 sent as utf-8 and the reverse) comes out readable.
    """
    if not data:
        return ""
    codec = _codec(charset)
    if codec in _LATIN_CODECS and not data.isascii():
        try:
            return data.decode("utf-8")  # utf-8 labelled latin-1: valid utf-8 is never an accident
        except UnicodeDecodeError:
            pass
    if codec:
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            pass
        wider = _WIDER.get(codec)
        if wider:  # e.g. GBK text labelled GB2312
            return data.decode(wider, "replace")
    if data.isascii():
        return data.decode("ascii")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if codec is None and _looks_gb2312(data):
        return data.decode("gb18030", "replace")
    for name in _FALLBACK_CHAIN[1:]:
        try:
            return data.decode(name)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1", "replace")  # pragma: no cover - latin-1 maps every byte


# An encoded-word; the text may (wrongly) contain spaces, never "?".
_ENCODED_WORD = re.compile(r"=\?([^?\s]{1,60})\?([QqBb])\?([^?]{0,400})\?=")
_EW_GAP = re.compile(r"(\?=)[ \t]+(?==\?[^?\s]{1,60}\?[QqBb]\?)")
_FOLD = re.compile(r"\r?\n(?=[ \t])|\r?\n")


def _unfold(value: str) -> str:
    if "\n" not in value:
        return value
    return _FOLD.sub("", value)


def _surrogates_to_text(value: str) -> str:
    """Raw 8-bit header bytes arrive as surrogate escapes: decode them with the fallback chain."""
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        return decode_bytes(value.encode("utf-8", "surrogateescape"))


def decode_header_value(value: str) -> str:
    """Decode a raw header value (RFC 2047, raw 8-bit bytes, broken words) to text; never raises."""
    if not value:
        return ""
    if value.isascii() and "=?" not in value and "\n" not in value:
        return value.strip()  # the common case, kept cheap: every header goes through here
    value = _surrogates_to_text(_unfold(str(value)).strip())
    if "=?" not in value:
        return value
    value = _EW_GAP.sub(r"\1", value)  # whitespace between adjacent encoded-words is not text
    pieces: list[str] = []
    pending: list[tuple[str, bytes]] = []
    pos = 0
    for match in _ENCODED_WORD.finditer(value):
        if match.start() > pos:
            _flush(pending, pieces)
            pieces.append(value[pos:match.start()])
        charset = match.group(1).split("*", 1)[0]  # RFC 2231 language suffix
        data = _decode_word(match.group(2).lower(), match.group(3))
        if pending and pending[-1][0].lower() == charset.lower():
            pending[-1] = (pending[-1][0], pending[-1][1] + data)  # multibyte chars split across words
        else:
            pending.append((charset, data))
        pos = match.end()
    _flush(pending, pieces)
    pieces.append(value[pos:])
    return "".join(pieces)


def _flush(pending: list[tuple[str, bytes]], pieces: list[str]) -> None:
    pieces.extend(decode_bytes(data, charset) for charset, data in pending)
    pending.clear()


def _decode_word(enc: str, text: str) -> bytes:
    if enc == "b":
        return _b64decode(text.encode("ascii", "ignore"))
    raw = text.replace("_", " ").encode("utf-8", "surrogateescape")
    try:
        return quopri.decodestring(raw, header=False)
    except (ValueError, binascii.Error):  # pragma: no cover - quopri is lenient
        return raw


_B64_JUNK = re.compile(rb"[^A-Za-z0-9+/]+")


def _b64decode(data: bytes) -> bytes:
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


# ---------------------------------------------------------------------------
# Entry point and header-block repair
# ---------------------------------------------------------------------------

_HEADER_OR_CONT = re.compile(rb"[!-9;-~]{1,200}:|[ \t]|\r?$")
_REAL_HEADER = re.compile(rb"[A-Za-z0-9][A-Za-z0-9_.-]{0,75}[ \t]{0,3}:")
_SPACE_BEFORE_COLON = re.compile(rb"^([A-Za-z0-9][A-Za-z0-9_.-]{0,75})[ \t]+:")
def _blank_line(data: Any, limit: int | None = None) -> tuple[int, int] | None:
    """(start, end) of the first empty line in str or bytes data (LF or CRLF), found with find()."""
    lf, crlf = ("\n\n", "\n\r\n") if isinstance(data, str) else (b"\n\n", b"\n\r\n")
    end = len(data) if limit is None else min(limit, len(data))
    a = data.find(lf, 0, end)
    b = data.find(crlf, 0, a if a >= 0 else end)
    if b >= 0:
        at, after = b, b + 3
    elif a >= 0:
        at, after = a, a + 2
    else:
        return None
    start = at - 1 if at > 0 and data[at - 1: at] in ("\r", b"\r") else at
    return start, after


class _LeafMessage(EmailMessage):
    """Keeps ``message/*`` parts as raw leaves: forwarded mails and DSN reports stay byte-exact."""

    def get_content_type(self) -> str:
        ctype = super().get_content_type()
        return "application/x-message-leaf" if ctype.startswith("message/") else ctype


class _LeafCompatMessage(Message):
    def get_content_type(self) -> str:
        ctype = super().get_content_type()
        return "application/x-message-leaf" if ctype.startswith("message/") else ctype


_DEFAULT_POLICY = policy.default.clone(message_factory=_LeafMessage)
_COMPAT_POLICY = policy.compat32.clone(message_factory=_LeafCompatMessage)


def parse_email(raw: bytes) -> ParsedEmail:
    """Parse one raw message; see the module docstring for what is guaranteed."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogateescape")
    data = bytes(raw).lstrip(b"\r\n\t ")
    # clean mail (the vast majority) goes straight to the fast parser; the rest is repaired first
    msg = _fast_tree(data) if _REAL_HEADER.match(data) else None
    repaired = data if msg is not None else _repair_header_block(data)
    if repaired is None:
        raise EmailParseError("the input has no email header line")
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
    raw_items = _raw_headers(email.message_from_bytes(head + b"\n\n", policy=_COMPAT_POLICY))
    headers = _header_map(raw_items)
    from_email, from_name = _sender(raw_items)
    text = decode_bytes(body).replace("\r\n", "\n")
    return ParsedEmail(
        from_email=from_email,
        from_name=from_name,
        to=[addr for _n, addr in _addresses(_all_raw(raw_items, "to")) if addr],
        cc=[addr for _n, addr in _addresses(_all_raw(raw_items, "cc")) if addr],
        reply_to=[addr for _n, addr in _addresses(_all_raw(raw_items, "reply-to")) if addr],
        subject=headers.get("subject", ""),
        body_text=text if text.strip() else NO_VISIBLE_CONTENT,
        body_html="",
        attachments=[ParsedAttachment("original.eml", "message/rfc822", raw)],
        message_id=_msg_id(headers.get("message-id", "")),
        in_reply_to=_msg_id(headers.get("in-reply-to", "")),
        references=_msg_ids(headers.get("references", "")),
        is_auto_reply=noise.is_auto_reply(headers),
        is_bounce=False,
        date=_date(headers.get("date", "")),
        headers=headers,
        visible_text=text if text.strip() else NO_VISIBLE_CONTENT,
    )


# ---------------------------------------------------------------------------
# Fast structure parser
# ---------------------------------------------------------------------------
# The stdlib feed parser reads line by line in Python and costs most of the time of a
# parse. Well-formed mail (all but a few percent) is split here with str.find and
# a few regexes into the very same Message objects (compat32 storage: raw header
# values, surrogate-escaped payload strings). Anything unusual returns None and the
# stdlib parser handles it, so odd input keeps the stdlib's behaviour.

_LINE_BREAK = re.compile(r"(\r\n|\r|\n)")
_HEADER_START = re.compile(r"[!-9;-~]+:")
_FAST_MAX_DEPTH = 20


def _fast_tree(raw: bytes) -> Message | None:
    text = raw.decode("ascii", "surrogateescape")
    try:
        return _fast_part(text, 0)
    except _NotSimple:
        return None


class _NotSimple(Exception):
    """The fast parser met something it leaves to the stdlib parser."""


def _fast_part(text: str, depth: int, default_type: str = "text/plain") -> Message:
    if depth > _FAST_MAX_DEPTH:
        raise _NotSimple
    msg = _LeafCompatMessage(policy=_COMPAT_POLICY)
    if default_type != "text/plain":
        msg.set_default_type(default_type)
    if text.startswith(("\r\n", "\n")):
        body_start = 2 if text.startswith("\r\n") else 1  # no headers at all
    else:
        blank = _blank_line(text)
        if blank is None:
            header_text, body_start = text, len(text)
        else:
            header_text, body_start = text[: blank[0]], blank[1]
        headers = msg._headers  # type: ignore[attr-defined]  # compat32 storage: (name, raw value) pairs
        name = ""
        value_lines: list[str] = []
        pieces = _LINE_BREAK.split(header_text)  # line, break, line, break, ..., line
        for index in range(0, len(pieces), 2):
            line = pieces[index]
            if line[:1] in (" ", "\t"):
                if not name:
                    raise _NotSimple
                value_lines.append(pieces[index - 1] + line)  # folding kept as received
                continue
            match_name = _HEADER_START.match(line)
            if match_name is None:
                raise _NotSimple
            if name:
                headers.append((name, "".join(value_lines)))
            name, _sep, first = line.partition(":")
            value_lines = [first.lstrip(" \t")]
        if name:
            headers.append((name, "".join(value_lines)))
    body = text[body_start:]
    ctype = Message.get_content_type(msg)
    if ctype.startswith("multipart/"):
        params = _params(msg, "content-type")
        boundary = params.get("boundary", "").rstrip() if params is not None else msg.get_boundary()
        if not boundary:
            raise _NotSimple
        children, preamble, epilogue = _split_multipart(body, boundary)
        child_default = "message/rfc822" if ctype == "multipart/digest" else "text/plain"
        children_parts = [_fast_part(child, depth + 1, child_default) for child in children]
        msg._payload = children_parts  # type: ignore[attr-defined]
        msg.preamble, msg.epilogue = preamble, epilogue
    else:
        msg._payload = body  # type: ignore[attr-defined]
    return msg




def _split_multipart(body: str, boundary: str) -> tuple[list[str], str | None, str | None]:
    """Parts between delimiter lines; the line break before a delimiter belongs to it (RFC 2046)."""
    marker = "--" + boundary
    delimiters: list[tuple[int, int]] = []
    closed = False
    pos = 0
    while not closed:
        i = body.find(marker, pos)
        if i < 0:
            break
        pos = i + len(marker)
        if i and body[i - 1] != "\n":
            continue
        close = body.startswith("--", pos)
        eol = body.find("\n", pos)
        rest = body[pos + (2 if close else 0): eol if eol >= 0 else len(body)]
        if rest.strip(" \t\r"):
            continue  # "--boundary-and-more": not a delimiter line
        start = i - 1 if i else 0
        if start and body[start - 1] == "\r":
            start -= 1
        delimiters.append((start, eol + 1 if eol >= 0 else len(body)))
        closed = close
    if not closed or len(delimiters) < 2:
        raise _NotSimple  # no closing delimiter or no part: the stdlib's recovery applies
    parts = [body[a[1]: b[0]] for a, b in itertools.pairwise(delimiters)]
    preamble = body[: delimiters[0][0]] or None
    epilogue = body[delimiters[-1][1]:] or None
    return parts, preamble, epilogue


def _repair_header_block(raw: bytes) -> bytes | None:
    """Drop an mbox/junk preamble and re-indent header continuation lines that lost their indent.

    Returns None when no header line can be found at the start of the input.
    """
    raw = raw.lstrip(b"\r\n\t ")
    blank = _blank_line(raw, 256 * 1024)
    end = blank[0] if blank else min(len(raw), 256 * 1024)
    lines = raw[:end].split(b"\n")
    first = next((i for i, line in enumerate(lines[:6]) if _REAL_HEADER.match(line)), None)
    if first is None:
        return None
    if first == 0 and all(_HEADER_OR_CONT.match(line) for line in lines[1:]):
        return raw  # the common case: a clean header block
    if lines[0].startswith(b"From ") and first == 1:
        pass  # mbox envelope line: simply dropped
    last = max(i for i, line in enumerate(lines) if _REAL_HEADER.match(line))
    fixed = []
    for i in range(first, len(lines)):
        line = lines[i]
        if i <= last and not _HEADER_OR_CONT.match(line):
            if _REAL_HEADER.match(line):
                line = _SPACE_BEFORE_COLON.sub(rb"\1:", line, count=1)  # "Subject : x" -> "Subject: x"
            else:
                line = b" " + line  # a continuation line that lost its indent
        fixed.append(line)
    return b"\n".join(fixed) + raw[end:]


# ---------------------------------------------------------------------------
# Headers
# ---------------------------------------------------------------------------

def _raw_headers(msg: Message) -> list[tuple[str, str]]:
    return [(name.strip().lower(), value if isinstance(value, str) else str(value)) for name, value in msg.raw_items()]


def _header_map(raw_items: list[tuple[str, str]]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in raw_items:
        if name not in headers:  # the first occurrence wins, as for Subject
            headers[name] = decode_header_value(value)
    return headers


def _all_raw(raw_items: list[tuple[str, str]], name: str) -> list[str]:
    return [value for key, value in raw_items if key == name]


def _part_headers(part: Message) -> dict[str, str]:
    """Lower-cased name -> first raw value, computed once per part (lookups happen many times)."""
    cached = part.__dict__.get("_cpt_headers")
    if cached is None:
        cached = {}
        for key, value in part.raw_items():
            cached.setdefault(key.strip().lower(), str(value))
        part.__dict__["_cpt_headers"] = cached
    return cached


def _first_raw(part: Message, name: str) -> str:
    return _part_headers(part).get(name, "")


_PARAM = re.compile(r';[ \t\r\n]*([^\s=;"]{1,100})[ \t\r\n]*=[ \t\r\n]*("(?:[^"\\]|\\.){0,2000}"(?=[ \t\r\n]*(?:;|$))|[^;]{0,2000})')


def _params(part: Message, header: str) -> dict[str, str] | None:
    """Parameters of a MIME header (lower-cased names); None when RFC 2231 or escapes need the stdlib."""
    key = "_cpt_params_" + header
    if key in part.__dict__:
        return part.__dict__[key]
    value = _first_raw(part, header)
    params: dict[str, str] | None = {}
    if "*" in value or "\\" in value or value.count('"') % 2:
        params = None
    elif value:
        assert params is not None
        for match in _PARAM.finditer(value):
            found = match.group(2).strip()
            if len(found) >= 2 and found[0] == found[-1] == '"':
                found = found[1:-1]
            elif '"' in found:
                params = None  # unbalanced quotes: the stdlib's reading applies
                break
            params.setdefault(match.group(1).lower(), found)
    part.__dict__[key] = params
    return params


_PHRASE_COMMENT = re.compile(r"\([^()<>]{0,200}\)(?=[^<>]{0,200}<)")


def _addresses(raw_values: list[str]) -> list[tuple[str, str]]:
    """(display name, lower-cased address) pairs; never raises on broken syntax."""
    out: list[tuple[str, str]] = []
    for raw_value in raw_values:
        value = _surrogates_to_text(_unfold(raw_value))
        if "(" in value and "<" in value and '"' not in value:
            value = _PHRASE_COMMENT.sub("", value)  # "Name (comment) <addr>": the comment is not the name
        pairs = _simple_addresses(value)
        if pairs is None:
            try:
                pairs = email.utils.getaddresses([value])
            except Exception:
                pairs = []
        for name, addr in pairs:
            addr = addr.strip().strip("<>").strip()
            if not addr and not name:
                continue
            out.append((_clean_name(decode_header_value(name)), addr.lower()))
    return out


_SIMPLE_ADDRESS = re.compile(
    r'[ \t]*(?:"([^"\\]{0,300})"|([^"<>,;:@()\[\]\\]{0,300}?))[ \t]*<([^<>\s,;:"()\[\]\\@]{1,200}@[^<>\s,;:"()\[\]\\@]{1,200})>[ \t]*'
    r'|[ \t]*([^<>\s,;:"()\[\]\\@]{1,200}@[^<>\s,;:"()\[\]\\@]{1,200})[ \t]*'
)


def _simple_addresses(value: str) -> list[tuple[str, str]] | None:
    """Common address lists parsed with one regex per address; None when the stdlib must do it."""
    items = [value] if '"' in value else value.split(",")
    pairs: list[tuple[str, str]] = []
    for item in items:
        if not item.strip():
            continue
        match = _SIMPLE_ADDRESS.fullmatch(item)
        if match is None:
            return None
        quoted, bare, addr, alone = match.groups()
        if alone:
            pairs.append(("", alone))
        else:
            pairs.append(((quoted if quoted is not None else bare or "").strip(), addr))
    return pairs


def _clean_name(name: str) -> str:
    name = name.strip(" \t\r\n")
    if len(name) >= 2 and name[0] == name[-1] and name[0] in "\"'":
        name = name[1:-1].strip(" \t")
    return name


_MSG_ID = re.compile(r"<([^<>\s]{1,998})>")


def _msg_id(value: str) -> str:
    match = _MSG_ID.search(value)
    if match:
        return match.group(1)
    words = value.split()
    return words[0].strip("<>") if words else ""


def _msg_ids(value: str) -> list[str]:
    ids = _MSG_ID.findall(value)
    if not ids and value.strip():
        ids = [part.strip("<>,") for part in value.split() if "@" in part]
    return list(dict.fromkeys(ids))


def _date(value: str) -> datetime | None:
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value)
    except Exception:
        return None


def _sender(raw_items: list[tuple[str, str]]) -> tuple[str, str]:
    """The From address (first one that has an address); Reply-To/Sender/Return-Path when From has none."""
    for name in ("from", "reply-to", "sender", "return-path"):
        candidates = []
        for display, addr in _addresses(_all_raw(raw_items, name)):
            if not addr and "@" in display:
                addr, display = display.strip("<>\"' ").lower(), ""
            if addr:
                candidates.append((addr, display))
        candidates.sort(key=lambda pair: "@" not in pair[0])  # stable: first real address wins
        if candidates:
            return candidates[0]
    for display, _addr in _addresses(_all_raw(raw_items, "from")):
        if display:
            return "", display
    return "", ""


# ---------------------------------------------------------------------------
# Body and attachments
# ---------------------------------------------------------------------------

@dataclass
class _Collector:
    texts: list[str] = field(default_factory=list)
    htmls: list[str] = field(default_factory=list)
    attachments: list[ParsedAttachment] = field(default_factory=list)
    parts: list[Message] = field(default_factory=list)


def _build(msg: Message) -> ParsedEmail:
    raw_items = _raw_headers(msg)
    headers = _header_map(raw_items)
    from_email, from_name = _sender(raw_items)

    collector = _Collector()
    _walk(msg, collector, top=True)

    body_text = _join_texts(collector.texts)
    raw_html = collector.htmls[0] if collector.htmls else ""
    if not body_text.strip() and raw_html:
        body_text = _html_text(raw_html)
    if not body_text.strip():
        body_text = NO_VISIBLE_CONTENT
    body_html = sanitize_html(raw_html) if raw_html else ""

    report = noise.inspect(headers, from_email, [(_ctype(p), p) for p in collector.parts], _leaf_text)
    visible, _quoted = quoting.split_reply(body_text)

    return ParsedEmail(
        from_email=from_email,
        from_name=from_name,
        to=[addr for _n, addr in _addresses(_all_raw(raw_items, "to")) if addr],
        cc=[addr for _n, addr in _addresses(_all_raw(raw_items, "cc")) if addr],
        reply_to=[addr for _n, addr in _addresses(_all_raw(raw_items, "reply-to")) if addr],
        subject=headers.get("subject", ""),
        body_text=body_text,
        body_html=body_html,
        attachments=collector.attachments,
        message_id=_msg_id(headers.get("message-id", "")),
        in_reply_to=_msg_id(headers.get("in-reply-to", "")),
        references=_msg_ids(headers.get("references", "")),
        is_auto_reply=report.is_auto_reply,
        is_bounce=report.is_bounce,
        bounce_recipients=report.bounce_recipients,
        bounced_message_id=report.bounced_message_id,
        date=_date(headers.get("date", "")),
        headers=headers,
        visible_text=visible,
    )


def _html_text(raw_html: str) -> str:
    """Text of an HTML-only mail. Scripts, styles and the title go first (nh3, linear time), which
    also keeps html_to_text's block regexes away from hostile unclosed <style> tags."""
    cleaned = nh3.clean(
        raw_html,
        tags=ALLOWED_TAGS,
        attributes={},
        clean_content_tags={"script", "style", "title"},
        strip_comments=True,
    )
    return html_to_text(cleaned)


def _join_texts(texts: list[str]) -> str:
    """Inline text parts in order (Apple Mail splits text around inline images), blank ones skipped."""
    filled = [text for text in texts if text.strip()]
    if len(filled) <= 1:
        return filled[0] if filled else ""
    return "\n\n".join(text.rstrip("\n") for text in filled) + "\n"


def _ctype(part: Message) -> str:
    """The real content type (message/* included), as compat32's get_content_type computes it."""
    cached = part.__dict__.get("_cpt_ctype")
    if cached is not None:
        return cached
    value = _part_headers(part).get("content-type")
    if value is None:
        ctype = part.get_default_type()
    else:
        ctype = "".join(value.split(";", 1)[0].split()).lower()
        if ctype.count("/") != 1:
            ctype = "text/plain"
    part.__dict__["_cpt_ctype"] = ctype
    return ctype


def _disposition(part: Message) -> str:
    value = _first_raw(part, "content-disposition")
    return value.split(";", 1)[0].strip().lower() if value else ""


def _walk(part: Message, out: _Collector, *, top: bool = False) -> None:
    out.parts.append(part)
    ctype = _ctype(part)
    payload = _raw_payload(part)
    if isinstance(payload, list):
        children = [p for p in payload if isinstance(p, Message)]
        if ctype == "multipart/alternative":
            _walk_alternative(children, out)
        else:
            for child in children:
                _walk(child, out)
        return
    if ctype.startswith("multipart/"):
        # a multipart without (parsable) parts: keep whatever text it carries
        text = _text_payload(part)
        if text.strip():
            out.texts.append(text)
        return
    if ctype.startswith("message/"):
        _add_attachment(part, out)
        return
    is_text = ctype in ("text/plain", "text/html") or (top and ctype.startswith("text/"))
    if is_text and (top or (_disposition(part) != "attachment" and not _filename(part))):
        if ctype != "text/html":
            out.texts.append(_text_payload(part))  # every inline text part is part of the body
            return
        if not out.htmls:  # a second HTML document is kept as an attachment, as Zammad does
            out.htmls.append(_text_payload(part))
            return
    _add_attachment(part, out)


def _walk_alternative(children: list[Message], out: _Collector) -> None:
    """One plain rendering for body_text, one HTML rendering for body_html; extras are attachments."""
    plain = [c for c in children if _ctype(c) == "text/plain"]
    rich = [c for c in children if _ctype(c) != "text/plain"]
    if plain:
        _walk(plain[-1], out)
    for child in rich:
        if plain and _ctype(child) not in ("text/html",) and not _ctype(child).startswith("multipart/"):
            continue  # text/enriched and friends: a third rendering of the same text
        sub = _Collector()
        _walk(child, sub)
        if not plain:
            out.texts.extend(sub.texts)
        if not out.htmls:
            out.htmls.extend(sub.htmls[:1])
        out.attachments.extend(sub.attachments)
        out.parts.extend(sub.parts)


def _charset(part: Message) -> str:
    params = _params(part, "content-type")
    if params is not None:
        return params.get("charset", "").strip().lower()
    try:
        return part.get_content_charset() or ""
    except Exception:
        return ""


def _text_payload(part: Message) -> str:
    text = decode_bytes(_payload_bytes(part), _charset(part))
    return text.replace("\r\n", "\n") if "\r" in text else text


def _leaf_text(part: Message) -> str:
    return decode_bytes(_payload_bytes(part), _charset(part))


def _raw_payload(part: Message) -> Any:
    """The stored transport payload (str with surrogate-escaped 8-bit bytes, or a list of parts).

    ``Message.get_payload()`` would decode 8-bit text with "replace" (losing bytes) and can
    raise on odd charsets, so the parser reads what the feed parser stored.
    """
    return getattr(part, "_payload", None)


def _payload_bytes(part: Message) -> bytes:
    """The decoded content bytes.

    7bit content (declared or by default) gets LF line ends: its CRLFs belong to the
    transport. Quoted-printable hard line breaks become CRLF (RFC 2045 canonical form).
    Content declared ``8bit`` or ``binary`` is kept byte for byte, CRLFs included (a
    forwarded mail or a file stays identical to what was attached, as other mail
    parsers also keep it). Body text gets LF line ends in ``_text_payload`` whatever
    the transport.
    """
    payload = _raw_payload(part)
    if isinstance(payload, list):
        return b"".join(p.as_bytes(policy=policy.compat32) for p in payload if isinstance(p, Message))
    if not isinstance(payload, str):
        return b""
    cte = _first_raw(part, "content-transfer-encoding").strip().lower()
    if cte == "base64":
        return _b64decode(payload.encode("ascii", "ignore"))
    raw = payload.encode("utf-8", "surrogateescape")
    if cte == "quoted-printable":
        # hard line breaks of quoted-printable stand for CRLF (RFC 2045 canonical form)
        return binascii.a2b_qp(raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    if cte in ("x-uuencode", "uuencode", "x-uue"):
        try:
            data = part.get_payload(decode=True)
        except Exception:
            data = None
        return data if isinstance(data, bytes) else raw
    if cte in ("", "7bit") and b"\r" in raw:
        raw = raw.replace(b"\r\n", b"\n")  # 7bit: transport line ends become LF
    return raw


def _filename(part: Message) -> str:
    disposition, ctype_params = _params(part, "content-disposition"), _params(part, "content-type")
    if disposition is not None and ctype_params is not None:
        simple = disposition.get("filename") or ctype_params.get("name") or ""
        return _safe_filename(decode_header_value(simple)) if simple else ""
    name: Any = None
    try:
        name = part.get_filename()
    except Exception:
        name = None
    if not name:
        try:
            name = part.get_param("name")
        except Exception:
            name = None
    if isinstance(name, tuple):  # compat32 RFC 2231 triple (charset, language, value)
        try:
            name = email.utils.collapse_rfc2231_value(name)
        except (LookupError, ValueError):
            name = decode_bytes(str(name[2]).encode("utf-8", "surrogateescape"))
    if not name:
        return ""
    return _safe_filename(decode_header_value(str(name)))


_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\]+")


def _safe_filename(name: str) -> str:
    return _UNSAFE_NAME.sub("_", name).strip(" .")[:255]


_EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/jpg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/bmp": ".bmp",
    "image/tiff": ".tif",
    "image/svg+xml": ".svg",
    "video/quicktime": ".mov",
    "video/mp4": ".mp4",
    "audio/mpeg": ".mp3",
    "text/plain": ".txt",
    "text/html": ".html",
    "text/calendar": ".ics",
    "text/csv": ".csv",
    "text/rfc822-headers": ".txt",
    "message/rfc822": ".eml",
    "message/delivery-status": ".txt",
    "message/disposition-notification": ".txt",
    "application/zip": ".zip",
    "application/msword": ".doc",
    "application/ms-tnef": ".dat",
    "application/vnd.ms-tnef": ".dat",
    "application/vnd.ms-excel": ".xls",
    "application/pkcs7-signature": ".p7s",
    "application/x-pkcs7-signature": ".p7s",
    "application/pkcs7-mime": ".p7m",
    "application/x-pkcs7-mime": ".p7m",
    "application/pgp-signature": ".asc",
    "application/pgp-encrypted": ".asc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}


def _add_attachment(part: Message, out: _Collector) -> None:
    ctype = _ctype(part)
    content = _payload_bytes(part)
    if ctype == "multipart/alternative" or (not content and ctype == "application/octet-stream" and not _filename(part)):
        return
    filename = _filename(part)
    ext = _EXTENSIONS.get(ctype, "")
    if not filename and ctype == "message/rfc822":
        subject = _inner_subject(content)
        filename = _safe_filename(subject) + ".eml" if subject else ""
    if not filename:
        description = _safe_filename(decode_header_value(_first_raw(part, "content-description")))[:120]
        if description:
            filename = description + ext
    content_id = _first_raw(part, "content-id").strip().strip("<>").strip()
    if not filename and _CID_NAME.match(content_id):
        filename = _safe_filename(content_id.split("@", 1)[0])  # Outlook: <image001.png@01D...>
    if not filename:
        filename = _fallback_name(ctype, ext, out.attachments)
    out.attachments.append(
        ParsedAttachment(
            filename=filename,
            content_type=ctype,
            content=content,
            content_id=content_id,
            is_inline=bool(content_id) and _disposition(part) != "attachment",
        )
    )


_CID_NAME = re.compile(r"[\w.-]{1,100}\.[A-Za-z0-9]{2,5}@")
_FALLBACK_BASE = {"image": "image", "video": "video", "audio": "audio"}


def _fallback_name(ctype: str, ext: str, taken: list[ParsedAttachment]) -> str:
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
    blank = _blank_line(content, 64 * 1024)
    head = content[: blank[0] if blank else 64 * 1024]
    match = _SUBJECT_LINE.search(head)
    if not match:
        return ""
    return decode_header_value(match.group(1).decode("utf-8", "surrogateescape"))

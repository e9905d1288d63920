"""Header values -> text: RFC 2047 encoded-words, raw 8-bit bytes, addresses, ids, dates.

Header values are read raw (compat32 storage) and decoded here: the header objects
of ``policy.default`` cost milliseconds per mail and raise on the broken headers
real mail carries. Raw 8-bit bytes in a header (no encoded-word) are decoded in the
charset the message declares for its text, as Thunderbird does: a Japanese mail with
a raw Shift_JIS subject declares ``charset=shift_jis`` on its body.
"""

from __future__ import annotations

import binascii
import email.utils
import quopri
import re
from datetime import datetime
from email.message import Message

from comptoir.channels.email.parsing.charsets import decode_bytes, is_latin
from comptoir.channels.email.parsing.transfer import b64decode

# An encoded-word (RFC 2047); the text may (wrongly) contain spaces, never "?".
_ENCODED_WORD = re.compile(r"=\?([^?\s]{1,60})\?([QqBb])\?([^?]{0,400})\?=")
_EW_GAP = re.compile(r"(\?=)[ \t]+(?==\?[^?\s]{1,60}\?[QqBb]\?)")
_FOLD = re.compile(r"\r?\n(?=[ \t])|\r?\n")


def unfold(value: str) -> str:
    if "\n" not in value:
        return value
    return _FOLD.sub("", value)


def surrogates_to_text(value: str, charset: str = "") -> str:
    """Raw 8-bit header bytes arrive as surrogate escapes: decode them (``charset`` is a hint).

    A Western body charset says little about raw header bytes (they are as often UTF-8, or
    came from another mailer, as in a spam report): then the bytes are read as undeclared.
    """
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        return decode_bytes(value.encode("utf-8", "surrogateescape"), "" if is_latin(charset) else charset)


def _raw_iso2022(value: str, charset: str) -> str:
    """A raw ISO-2022-JP header (escape sequences, no encoded-word), as old Japanese mailers send."""
    if "\x1b" not in value:
        return value
    data = value.encode("utf-8", "surrogateescape")
    return decode_bytes(data, charset if "2022" in charset else "")


def decode_header_value(value: str, charset: str = "") -> str:
    """Decode a raw header value (RFC 2047, raw 8-bit bytes, broken words) to text; never raises.

    ``charset`` is the message's declared text charset, used for raw 8-bit bytes only.
    """
    if not value:
        return ""
    if value.isascii() and "=?" not in value and "\n" not in value and "\x1b" not in value:
        return value.strip()  # the common case, kept cheap: every header goes through here
    value = _raw_iso2022(surrogates_to_text(unfold(str(value)).strip(), charset), charset)
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
        word_charset = match.group(1).split("*", 1)[0]  # RFC 2231 language suffix
        data = _decode_word(match.group(2).lower(), match.group(3))
        if pending and pending[-1][0].lower() == word_charset.lower():
            pending[-1] = (pending[-1][0], pending[-1][1] + data)  # multibyte chars split across words
        else:
            pending.append((word_charset, data))
        pos = match.end()
    _flush(pending, pieces)
    pieces.append(value[pos:])
    return "".join(pieces)


def _flush(pending: list[tuple[str, bytes]], pieces: list[str]) -> None:
    pieces.extend(decode_bytes(data, charset) for charset, data in pending)
    pending.clear()


def _decode_word(enc: str, text: str) -> bytes:
    if enc == "b":
        return b64decode(text.encode("ascii", "ignore"))
    raw = text.replace("_", " ").encode("utf-8", "surrogateescape")
    try:
        return quopri.decodestring(raw, header=False)
    except (ValueError, binascii.Error):  # pragma: no cover - quopri is lenient
        return raw


def raw_headers(msg: Message) -> list[tuple[str, str]]:
    return [(name.strip().lower(), value if isinstance(value, str) else str(value)) for name, value in msg.raw_items()]


def header_map(raw_items: list[tuple[str, str]], charset: str = "") -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in raw_items:
        if name not in headers:  # the first occurrence wins, as for Subject
            headers[name] = decode_header_value(value, charset)
    return headers


def all_raw(raw_items: list[tuple[str, str]], name: str) -> list[str]:
    return [value for key, value in raw_items if key == name]


def part_headers(part: Message) -> dict[str, str]:
    """Lower-cased name -> first raw value, computed once per part (lookups happen many times)."""
    cached = part.__dict__.get("_cpt_headers")
    if cached is None:
        cached = {}
        for key, value in part.raw_items():
            cached.setdefault(key.strip().lower(), str(value))
        part.__dict__["_cpt_headers"] = cached
    return cached


def first_raw(part: Message, name: str) -> str:
    return part_headers(part).get(name, "")


_PHRASE_COMMENT = re.compile(r"\([^()<>]{0,200}\)(?=[^<>]{0,200}<)")


def _getaddresses(value: str) -> list[tuple[str, str]]:
    # Python 3.11.10+ parses strictly by default and returns ("", "") for the broken
    # lists real mail carries; the lenient reading is the one every release shares.
    try:
        return email.utils.getaddresses([value], strict=False)  # type: ignore[call-arg]
    except TypeError:
        return email.utils.getaddresses([value])


def addresses(raw_values: list[str], charset: str = "") -> list[tuple[str, str]]:
    """(display name, lower-cased address) pairs; never raises on broken syntax."""
    out: list[tuple[str, str]] = []
    for raw_value in raw_values:
        # raw ISO-2022-JP is decoded first: its escape sequences hold "(" and "$", which the
        # address parser would read as a comment
        value = _raw_iso2022(surrogates_to_text(unfold(raw_value), charset), charset)
        if "(" in value and "<" in value and '"' not in value:
            value = _PHRASE_COMMENT.sub("", value)  # "Name (comment) <addr>": the comment is not the name
        try:
            pairs = _getaddresses(value)
        except Exception:
            pairs = []
        for name, addr in pairs:
            addr = addr.strip().strip("<>").strip()
            if not addr and not name:
                continue
            out.append((clean_name(decode_header_value(name, charset)), addr.lower()))
    return out


def clean_name(name: str) -> str:
    name = name.strip(" \t\r\n")
    if len(name) >= 2 and name[0] == name[-1] and name[0] in "\"'":
        name = name[1:-1].strip(" \t")
    return name


_MSG_ID = re.compile(r"<([^<>\s]{1,998})>")


def msg_id(value: str) -> str:
    match = _MSG_ID.search(value)
    if match:
        return match.group(1)
    words = value.split()
    return words[0].strip("<>") if words else ""


def msg_ids(value: str) -> list[str]:
    ids = _MSG_ID.findall(value)
    if not ids and value.strip():
        ids = [part.strip("<>,") for part in value.split() if "@" in part]
    return list(dict.fromkeys(ids))


def parse_date(value: str) -> datetime | None:
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value)
    except Exception:
        return None


def sender(raw_items: list[tuple[str, str]], charset: str = "") -> tuple[str, str]:
    """The From address (first one that has an address); Reply-To/Sender/Return-Path when From has none."""
    for name in ("from", "reply-to", "sender", "return-path"):
        candidates = []
        for display, addr in addresses(all_raw(raw_items, name), charset):
            if not addr and "@" in display:
                addr, display = display.strip("<>\"' ").lower(), ""
            if addr:
                candidates.append((addr, display))
        candidates.sort(key=lambda pair: "@" not in pair[0])  # stable: first real address wins
        if candidates:
            return candidates[0]
    for display, _addr in addresses(all_raw(raw_items, "from"), charset):
        if display:
            return "", display
    return "", ""

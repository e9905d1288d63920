"""Raw bytes -> a tree of ``email.message.Message`` parts.

The stdlib feed parser reads line by line in Python and costs most of the time of a
parse. Well-formed mail (all but a few percent) is split here with ``str.find`` and a
few regexes into the very same Message objects (compat32 storage: raw header values,
surrogate-escaped payload strings). Anything unusual returns None and the stdlib
parser handles it, so odd input keeps the stdlib's behaviour; a property test checks
that both give the same result whenever the fast path accepts a mail.

``message/*`` parts stay raw leaves (forwarded mails and delivery reports keep their
exact bytes), and a damaged header block (mbox envelope line, continuation lines
that lost their indent, ``Subject : x``) is repaired before parsing.
"""

from __future__ import annotations

import itertools
import re
from email import policy
from email.message import EmailMessage, Message
from typing import Any


def blank_line(data: Any, limit: int | None = None) -> tuple[int, int] | None:
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


class LeafMessage(EmailMessage):
    """Keeps ``message/*`` parts as raw leaves: forwarded mails and DSN reports stay byte-exact."""

    def get_content_type(self) -> str:
        ctype = super().get_content_type()
        return "application/x-message-leaf" if ctype.startswith("message/") else ctype


class LeafCompatMessage(Message):
    def get_content_type(self) -> str:
        ctype = super().get_content_type()
        return "application/x-message-leaf" if ctype.startswith("message/") else ctype


class _RawHeaders(policy.Compat32):
    """compat32 that hands header values back as stored (8-bit bytes as surrogate escapes).

    compat32 would turn a raw 8-bit value into a ``Header`` whose text has U+FFFD for
    every such byte, before ``get_param``/``get_filename`` even see it: a UTF-8 file
    name sent raw (``filename="Hofjägerallee.jpg"``) would lose its letters. The
    parser decodes raw bytes itself (``headers.surrogates_to_text``).
    """

    def header_fetch_parse(self, name: str, value: str) -> str:
        return value


DEFAULT_POLICY = policy.default.clone(message_factory=LeafMessage)
COMPAT_POLICY = _RawHeaders(message_factory=LeafCompatMessage)

_HEADER_OR_CONT = re.compile(rb"[!-9;-~]{1,200}:|[ \t]|\r?$")
REAL_HEADER = re.compile(rb"[A-Za-z0-9][A-Za-z0-9_.-]{0,75}[ \t]{0,3}:")
_SPACE_BEFORE_COLON = re.compile(rb"^([A-Za-z0-9][A-Za-z0-9_.-]{0,75})[ \t]+:")
_LINE_BREAK = re.compile(r"(\r\n|\r|\n)")
_HEADER_START = re.compile(r"[!-9;-~]+:")
_FAST_MAX_DEPTH = 20


def fast_tree(raw: bytes) -> Message | None:
    """The message tree of well-formed mail, or None when the stdlib parser must handle it."""
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
    msg = LeafCompatMessage(policy=COMPAT_POLICY)
    if default_type != "text/plain":
        msg.set_default_type(default_type)
    if text.startswith(("\r\n", "\n")):
        body_start = 2 if text.startswith("\r\n") else 1  # no headers at all
    else:
        blank = blank_line(text)
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
            if _HEADER_START.match(line) is None:
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
        boundary = msg.get_boundary()  # what the stdlib feed parser splits on, RFC 2231 included
        if not boundary:
            raise _NotSimple
        children, preamble, epilogue = _split_multipart(body, boundary)
        child_default = "message/rfc822" if ctype == "multipart/digest" else "text/plain"
        msg._payload = [_fast_part(child, depth + 1, child_default) for child in children]  # type: ignore[attr-defined]
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


def repair_header_block(raw: bytes) -> bytes | None:
    """Drop an mbox/junk preamble and re-indent header continuation lines that lost their indent.

    Returns None when no header line can be found at the start of the input.
    """
    raw = raw.lstrip(b"\r\n\t ")
    blank = blank_line(raw, 256 * 1024)
    end = blank[0] if blank else min(len(raw), 256 * 1024)
    lines = raw[:end].split(b"\n")
    first = next((i for i, line in enumerate(lines[:6]) if REAL_HEADER.match(line)), None)
    if first is None:
        return None
    if first == 0 and all(_HEADER_OR_CONT.match(line) for line in lines[1:]):
        return raw  # the common case: a clean header block
    last = max(i for i, line in enumerate(lines) if REAL_HEADER.match(line))
    fixed = []
    for i in range(first, len(lines)):  # lines before the first header (an mbox "From " line) are dropped
        line = lines[i]
        if i <= last and not _HEADER_OR_CONT.match(line):
            if REAL_HEADER.match(line):
                line = _SPACE_BEFORE_COLON.sub(rb"\1:", line, count=1)  # "Subject : x" -> "Subject: x"
            else:
                line = b" " + line  # a continuation line that lost its indent
        fixed.append(line)
    return b"\n".join(fixed) + raw[end:]

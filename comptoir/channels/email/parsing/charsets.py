"""Bytes of an unknown or doubtful charset -> text, never raising.

Mail declares its charset in headers (``charset=`` on a part, the charset of an
RFC 2047 encoded-word) and is wrong often enough to matter: GBK text labelled
GB2312, CP932 text labelled Shift_JIS, Windows-1252 quotes labelled ISO-8859-1,
Outlook's ISO-2022-JP carrying Microsoft's extra characters, and 8-bit text with
no label at all. The rules, in order:

1. A declared name is looked up in Python's codecs (every charset Python knows,
   CJK included) after mapping the labels mail clients misuse to the encoding
   they really send, as browsers do (WHATWG Encoding Standard): ``iso-8859-1``
   and ``us-ascii`` are Windows-1252, ``gb2312``/``gbk`` are GB18030,
   ``ks_c_5601-1987``/``euc-kr`` are CP949, ``windows-31j``/``x-sjis`` are CP932.
2. Bytes labelled Latin/ASCII that are valid UTF-8 are UTF-8 (multi-byte UTF-8 is
   practically never an accident in Western text).
3. The declared codec, then its supersets (Shift_JIS -> CP932, EUC-JP -> EUC-JIS-2004,
   Big5 -> Big5-HKSCS -> CP950, ISO-2022-JP -> Microsoft's CP50221 reading).
4. Otherwise the text is undeclared or mislabelled: valid UTF-8 wins, then
   ``charset-normalizer`` picks among the charsets mail is written in; a declared
   multi-byte charset that fits all but a few bytes is kept with replacement
   characters rather than swapped for a stranger reading.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

import charset_normalizer

# Labels mail clients write for an encoding other than the one they name (WHATWG
# Encoding Standard "legacy" mappings, plus names Python's codecs do not know).
_CHARSET_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso_8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "ansi_x3.4-1968": "cp1252",
    "iso-8859-9": "cp1254",
    "latin5": "cp1254",
    "iso-8859-11": "cp874",
    "tis-620": "cp874",
    "windows-874": "cp874",
    "gb2312": "gb18030",
    "gb_2312-80": "gb18030",
    "csgb2312": "gb18030",
    "euc-cn": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "ms936": "gb18030",
    "windows-936": "gb18030",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "ks_c_5601-1989": "cp949",
    "ksc5601": "cp949",
    "euc-kr": "cp949",
    "windows-949": "cp949",
    "x-windows-949": "cp949",
    "uhc": "cp949",
    "windows-31j": "cp932",
    "x-sjis": "cp932",
    "x-ms-cp932": "cp932",
    "ms932": "cp932",
    "x-euc-jp": "euc_jp",
    "cseucpkdfmtjapanese": "euc_jp",
    "iso-2022-jp-ms": "iso2022_jp",
    "cp50220": "iso2022_jp",
    "cp50221": "iso2022_jp",
    "x-big5": "big5",
    "iso-8859-8-i": "iso-8859-8",
    "iso-8859-6-i": "iso-8859-6",
    "unicode-1-1-utf-7": "utf-7",
    "x-mac-roman": "mac_roman",
    "macintosh": "mac_roman",
    "x-unicode20utf8": "utf-8",
}

# Codecs that are not text encodings: a header must never select them.
_NOT_TEXT = frozenset({"rot-13", "hex", "base64", "zlib", "bz2", "uu", "quopri", "mbcs", "oem", "undefined"})

# Supersets tried, strictly, when the declared codec rejects the bytes.
_SUPERSETS = {
    "cp1252": ("latin-1",),
    "shift_jis": ("cp932", "shift_jis_2004"),
    "cp932": ("shift_jis_2004",),
    "euc_jp": ("euc_jis_2004",),
    "big5": ("big5hkscs", "cp950"),
    "big5hkscs": ("cp950",),
    "iso2022_jp": ("iso2022_jp_ext", "iso2022_jp_2004", "iso2022_jp_2"),
    "euc_kr": ("cp949",),
    "gb2312": ("gb18030",),
    "gbk": ("gb18030",),
}

_LATIN_CODECS = frozenset({"cp1252", "iso8859-15", "latin-1", "utf-8"})

# What charset-normalizer may choose from, in order of preference when two readings
# are equally plausible (short texts often are): the charsets mail is really written in.
_DETECTABLE = (
    "utf_8", "cp1252", "iso2022_jp", "gb18030", "cp932", "euc_jp", "big5", "cp949",
    "cp1250", "cp1251", "koi8_r", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp874",
)


@lru_cache(maxsize=512)
def codec_for(charset: str) -> str | None:
    """Python's codec name for a declared charset (mislabels mapped), or None when unknown."""
    name = (charset or "").strip().strip("\"'").strip().lower()
    if not name:
        return None
    try:
        found = codecs.lookup(_CHARSET_ALIASES.get(name, name)).name
    except (LookupError, ValueError):
        return None
    return None if found in _NOT_TEXT else found


def decode_bytes(data: bytes, charset: str = "") -> str:
    """Text of ``data`` read in ``charset`` when it fits, else in the best guess; never raises."""
    if not data:
        return ""
    codec = codec_for(charset)
    if b"\x1b" in data and data.isascii() and not (codec or "").startswith("iso2022"):
        # 7-bit ISO-2022 text (RFC 1468) sent without its label or labelled us-ascii
        text = _decode_iso2022(data)
        if text is not None:
            return text
    if codec in _LATIN_CODECS and not data.isascii():
        try:
            return data.decode("utf-8")  # utf-8 labelled latin-1: valid utf-8 is never an accident
        except UnicodeDecodeError:
            pass
    if codec:
        for name in (codec, *_SUPERSETS.get(codec, ())):
            try:
                return data.decode(name)
            except (UnicodeDecodeError, LookupError):
                continue
        if codec.startswith("iso2022_jp"):
            text = decode_iso2022jp_microsoft(data)
            if text is not None:
                return text
    if data.isascii():
        return data.decode("ascii")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if codec and codec not in _LATIN_CODECS:
        nearly = _nearly_fits(data, codec)
        if nearly is not None:
            return nearly
    guess = detect_charset(data)
    if guess:
        return data.decode(guess, "replace")
    if codec and codec not in _LATIN_CODECS:
        return data.decode(_SUPERSETS.get(codec, (codec,))[-1], "replace")
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")  # maps every byte


def _decode_iso2022(data: bytes) -> str | None:
    names = ("iso2022_jp", *_SUPERSETS["iso2022_jp"])
    if b"\x1b$)C" in data:  # RFC 1557 announces ISO-2022-KR once, at the start
        names = ("iso2022_kr", *names)
    for name in names:
        try:
            return data.decode(name)
        except UnicodeDecodeError:
            continue
    return decode_iso2022jp_microsoft(data)


def _nearly_fits(data: bytes, codec: str) -> str | None:
    """The declared multi-byte reading when only a few bytes are damaged (one in fifty or fewer)."""
    widest = _SUPERSETS.get(codec, (codec,))[-1]
    try:
        text = data.decode(widest, "replace")
    except LookupError:  # pragma: no cover - the codec was looked up before
        return None
    damaged = text.count("\ufffd")
    return text if damaged * 50 <= len(text) else None


# Detection costs about a millisecond; a hostile mail with thousands of 8-bit parts or
# headers must not buy thousands of them. parse_email() grants a budget per mail; past
# it, undeclared text falls back to Windows-1252. Outside a parse there is no limit.
DETECTIONS_PER_MAIL = 32
_detections_left: ContextVar[int | None] = ContextVar("detections_left", default=None)


@contextmanager
def detection_budget(limit: int = DETECTIONS_PER_MAIL) -> Iterator[None]:
    """Allow at most ``limit`` charset detections inside the block (one parsed mail)."""
    token = _detections_left.set(limit)
    try:
        yield
    finally:
        _detections_left.reset(token)


def detect_charset(data: bytes) -> str | None:
    """The charset ``charset-normalizer`` finds most plausible among the ones mail uses.

    Its ranking is kept (least chaos, then most coherence); among readings it rates
    equally, the one earlier in ``_DETECTABLE`` wins, so that a short "Café" is read
    as Windows-1252 rather than as an equally tidy Central-European code page.
    """
    left = _detections_left.get()
    if left is not None:
        if left <= 0:
            return None
        _detections_left.set(left - 1)
    sample = _lines_with_high_bytes(data)
    try:
        results = list(charset_normalizer.from_bytes(sample, cp_isolation=list(_DETECTABLE)))
    except Exception:  # the detector is a heuristic: it must never break a parse
        return None
    if not results:
        return None
    best = min(results, key=lambda r: (round(r.chaos, 2), -round(r.coherence, 2)))
    tied = [
        r for r in results
        if round(r.chaos, 2) == round(best.chaos, 2) and round(r.coherence, 2) == round(best.coherence, 2)
    ]
    for preferred in _DETECTABLE:
        for result in tied:
            if preferred in result.could_be_from_charset:
                return preferred
    return str(best.encoding)


_HIGH_BYTE = re.compile(rb"[\x80-\xff]")


def _lines_with_high_bytes(data: bytes, limit: int = 64 * 1024) -> bytes:
    """Only the lines that carry 8-bit bytes: the ASCII lines around them (base64, markup,
    English headers) say nothing about the charset and drown the signal of a short name."""
    lines: list[bytes] = []
    size = 0
    pos = 0
    while size < limit and (match := _HIGH_BYTE.search(data, pos)) is not None:
        start = data.rfind(b"\n", 0, match.start()) + 1
        end = data.find(b"\n", match.end())
        end = len(data) if end < 0 else end
        lines.append(data[start:end])
        size += end - start + 1
        pos = end + 1
    return b"\n".join(lines)


def is_latin(charset: str) -> bool:
    """True for the Western single-byte labels (and ASCII/UTF-8), which decode any byte string."""
    return codec_for(charset) in _LATIN_CODECS


# ISO-2022-JP as Outlook and Windows write it (code pages 50220/50221): JIS X 0208
# plus NEC's row 13 (①, ㈱, №...) and IBM extensions, which no Python codec reads.
# The JIS bytes are mapped to Shift_JIS positions and decoded as CP932.
_ESCAPES = {
    b"\x1b(B": "ascii",
    b"\x1b(J": "ascii",  # JIS X 0201 Roman: close enough to ASCII for mail
    b"\x1b(I": "kana",  # JIS X 0201 half-width katakana
    b"\x1b$@": "jis",
    b"\x1b$B": "jis",
    b"\x1b$(B": "jis",
    b"\x1b$(Q": "jis",
}


def decode_iso2022jp_microsoft(data: bytes) -> str | None:
    """ISO-2022-JP with Microsoft's extra characters, or None when the bytes are not that."""
    out = bytearray()
    mode = "ascii"
    i, size = 0, len(data)
    while i < size:
        byte = data[i]
        if byte == 0x1B:
            for escape, new_mode in _ESCAPES.items():
                if data.startswith(escape, i):
                    mode, i = new_mode, i + len(escape)
                    break
            else:
                return None
            continue
        if byte in (0x0A, 0x0D) or mode == "ascii":
            if byte > 0x7F:
                return None
            out.append(byte)
            i += 1
        elif mode == "kana":
            out.append(byte | 0x80 if 0x21 <= byte <= 0x5F else byte)
            i += 1
        else:
            if i + 1 >= size:
                return None
            out += _jis_to_sjis(byte, data[i + 1])
            i += 2
    try:
        return bytes(out).decode("cp932")
    except UnicodeDecodeError:
        return None


def _jis_to_sjis(j1: int, j2: int) -> bytes:
    if not (0x21 <= j1 <= 0x7E and 0x21 <= j2 <= 0x7E):
        return b"\x81\x45"  # not a JIS pair: a middle dot marks the damage, as iconv does
    s1 = (j1 + 1) // 2 + (0x70 if j1 <= 0x5E else 0xB0)
    s2 = j2 + (0x1F if j2 <= 0x5F else 0x20) if j1 % 2 else j2 + 0x7E  # odd rows: first half of a pair
    return bytes((s1, s2))

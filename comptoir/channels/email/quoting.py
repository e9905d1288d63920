"""Fold a reply's quoted history and signature away from what the customer just wrote.

``split_reply(text)`` returns ``(visible, quoted)`` with ``visible + quoted`` holding
every line of the input (nothing is deleted, the UI shows ``quoted`` behind a
"show quoted text" toggle). The cut is the first line that starts history or a
signature:

* reply headers: "On … wrote:", "Le … a écrit :", "Op … schreef …:", "Am … schrieb …:"
  (also spread over up to three lines, as mail clients wrap them);
* Outlook header blocks: "From:/De :/Van:/Von:" followed by "Sent:/Envoyé :/Verzonden:/
  Gesendet:/To:/Subject:…" lines, optionally after a line of underscores;
* separators: "-----Original Message-----", "Message d'origine", "Oorspronkelijk
  bericht", "Ursprüngliche Nachricht";
* signatures: the "-- " delimiter and "Sent from my iPhone"-style lines in the four languages;
* a trailing block of ``>`` quoted lines (inline answers between quotes stay visible).

When the cut would leave nothing visible (a mail that is only a quote or starts
with a signature), everything stays visible. Each pattern is applied to a single
line of bounded length, so the cost stays linear on hostile input.
"""

from __future__ import annotations

import re

_MAX_LINE = 400  # longer lines are never headers or signatures

_REPLY_HEADER = re.compile(
    r"^(?:"
    r"On\s.{1,300}wrote\s?:"  # English
    r"|Le\s.{1,300}\sa\s[ée]crit\s?:"  # French
    r"|Op\s.{1,300}schreef\b[^:]{0,200}:"  # Dutch
    r"|Am\s.{1,300}schrieb\b[^:]{0,200}:"  # German
    r"|El\s.{1,300}escribi[óo]\s?:"  # Spanish, common enough in the same inboxes
    r")\s?$",
    re.IGNORECASE,
)
_REPLY_HEADER_START = ("on ", "le ", "op ", "am ", "el ")

_HEADER_FROM = re.compile(r"^\*?(?:From|De|Van|Von)\s?:\*?\s?\S", re.IGNORECASE)
_HEADER_NEXT = re.compile(
    r"^\*?(?:Sent|Date|To|Cc|Subject|Envoy[ée]|[ÀA]|Objet|Verzonden|Datum|Aan|Onderwerp|Gesendet|An|Betreff)"
    r"\s?:",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(
    r"^[-_=* ]{0,20}(?:Original Message|Message d'origine|Oorspronkelijk bericht|Origineel bericht|"
    r"Urspr[üu]ngliche Nachricht|Originalnachricht)[-_=* ]{0,20}$",
    re.IGNORECASE,
)
_UNDERSCORES = re.compile(r"^_{10,}$")
_WORDS = r"[\w’'-]{1,30}(?:\s[\w’'-]{1,30}){0,3}\.?"  # one to four words: "iPhone", "Samsung Galaxy S9"
_MOBILE = re.compile(
    r"^(?:Sent from my\s" + _WORDS + r"|Sent from (?:Mail|Outlook|Yahoo Mail|Gmail)\b.{0,40}|Get Outlook for\s" + _WORDS
    + r"|Envoy[ée] (?:de|depuis) (?:mon|ma)\s" + _WORDS + r"|Envoy[ée] (?:de|depuis) (?:Outlook|Yahoo Mail|Mail)\b.{0,40}"
    + r"|Obtenir Outlook pour\s" + _WORDS
    + r"|Verzonden (?:vanaf|met|via) (?:mijn\s)?" + _WORDS + r"|Verstuurd (?:vanaf|met) (?:mijn\s)?" + _WORDS
    + r"|Von meinem\s" + _WORDS + r"\sgesendet|Gesendet (?:von|mit) (?:meinem\s)?" + _WORDS
    + r"|Outlook für\s" + _WORDS + r"\sbeziehen"
    + r")\s?$",
    re.IGNORECASE,
)
_RULE = re.compile(r"^[ \t]{0,10}[-_=*]{3,80}[ \t]{0,10}$")


# Cheap first look: only lines starting like one of the patterns above are examined.
_CANDIDATE = re.compile(
    r"[ \t]{0,20}(?:>|-|_|=|\*|On\s|Le\s|Op\s|Am\s|El\s|From|De\s?:|Van|Von|Sent|Get\s|Envoy|Obtenir|Verzonden"
    r"|Verstuurd|Gesendet|Outlook|Ursp|Oorspr|Origin|Message)",
    re.IGNORECASE,
)
_CANDIDATE_FIRST = frozenset(">-_=*OoLlEeAaFfDdVvSsGgUuMm")


def split_reply(text: str) -> tuple[str, str]:
    """Return (visible, quoted); see the module docstring for what is folded."""
    if not text:
        return "", ""
    lines = text.split("\n")
    cut = _first_cut(lines)
    if cut is None:
        return text, ""
    above = cut - 1
    while above >= 0 and not lines[above].strip():
        above -= 1
    if above >= 0 and _RULE.match(lines[above]):
        cut = above  # the "------" or "_____" rule above a header block belongs to the history
    visible = "\n".join(lines[:cut]).rstrip()
    if not visible.strip():
        return text, ""
    quoted = "\n".join(lines[cut:])
    return visible, quoted


def _first_cut(lines: list[str]) -> int | None:
    count = len(lines)
    quote_tail: list[bool] = []  # quote_tail[i]: only quotes/blank lines (then maybe a signature) from i on
    for i in range(count):
        head = lines[i][:1]
        if head in (" ", "\t"):
            head = lines[i].lstrip()[:1]
        if head not in _CANDIDATE_FIRST or _CANDIDATE.match(lines[i]) is None:
            continue
        line = lines[i].strip()
        if not line or len(line) > _MAX_LINE:
            continue
        if line == "--" or line == "-- ":
            return i
        first = line[0]
        if first == ">":
            if not quote_tail:
                quote_tail = _quote_tails(lines)
            if quote_tail[i]:
                return i
            continue
        lowered = line[:3].lower()
        if lowered in _REPLY_HEADER_START:
            end = _reply_header_end(lines, i)
            if end is not None:
                if not quote_tail:
                    quote_tail = _quote_tails(lines)
                if _history_follows(lines, end + 1, quote_tail):
                    return i
        if first in "-_=*" and (_SEPARATOR.match(line) or (_UNDERSCORES.match(line) and _footer_or_block(lines, i + 1))):
            return i
        if _HEADER_FROM.match(line) and _outlook_block(lines, i):
            return i
        if _MOBILE.match(line):
            return i
    return None


def _reply_header_end(lines: list[str], i: int) -> int | None:
    """Index of the last line of an "On … wrote:" header starting at line i (up to three lines)."""
    joined = ""
    for j in range(i, min(i + 3, len(lines))):
        part = lines[j].strip()
        if j > i and not part:
            break
        joined = f"{joined} {part}" if joined else part
        if len(joined) > 600:
            return None
        if joined.endswith(":") and _REPLY_HEADER.match(joined):
            return j
    return None


def _history_follows(lines: list[str], start: int, quote_tail: list[bool]) -> bool:
    """After a reply header: quoted history to the end, or unquoted history (Outlook/Apple style).

    Quotes followed by new text (inline answers) are not history: they stay visible.
    """
    for j in range(start, len(lines)):
        line = lines[j].strip()
        if not line:
            continue
        return not line.startswith(">") or quote_tail[j]
    return True


def _outlook_block(lines: list[str], i: int) -> bool:
    """A From:-style line followed, within five lines, by another header-like line."""
    if i >= len(lines) or not _HEADER_FROM.match(lines[i].strip()):
        return False
    return any(_HEADER_NEXT.match(lines[j].strip()) for j in range(i + 1, min(i + 6, len(lines))))


def _footer_or_block(lines: list[str], i: int) -> bool:
    """After a line of underscores: an Outlook header block or a mailing-list footer."""
    if i < len(lines) and "mailing list" in lines[i].lower()[:200]:
        return True
    return _outlook_block(lines, i)


def _quote_tails(lines: list[str]) -> list[bool]:
    """For every line: are there only quoted lines, blank lines and a closing signature from here on?

    Computed once, backwards, so that long quoted mails stay linear.
    """
    tails = [True] * (len(lines) + 1)
    for j in range(len(lines) - 1, -1, -1):
        line = lines[j].strip()
        if not line or line.startswith(">"):
            tails[j] = tails[j + 1]
        else:
            tails[j] = line in ("--", "-- ") or (len(line) <= _MAX_LINE and bool(_MOBILE.match(line)))
    return tails

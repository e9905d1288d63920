"""Customer HTML is hostile: everything stored or shown goes through sanitize_html()."""

from __future__ import annotations

import html as html_lib
import re

import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "div", "em", "font", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "*": {"dir", "lang"},
}
URL_SCHEMES = {"http", "https", "mailto", "cid", "tel"}


def sanitize_html(value: str) -> str:
    """Keep formatting, drop scripts, styles, event handlers and unknown schemes."""
    if not value:
        return ""
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


_BLOCK_END = re.compile(r"(?i)</(p|div|li|tr|h[1-6]|blockquote|pre)>|<br\s*/?>")
_INVISIBLE_OPEN = re.compile(r"<(script|style|head)")
# Lower-cases ASCII only, so that positions in the copy are positions in the original.
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _drop_invisible(value: str) -> str:
    """Remove ``<script|style|head ...>...</script|style|head>`` blocks, in linear time.

    Same result as the regex ``(?is)<(script|style|head)[^>]*>.*?</\\1>``, which is
    quadratic on hostile input (every unclosed ``<style`` rescans the rest of the
    text): the end of an opening tag and each closing tag are searched forward
    only, and once a closing tag is known to be missing it is never searched again.
    """
    lower = value.translate(_ASCII_LOWER)
    pieces: list[str] = []
    pos = 0
    gt = -2  # the first ">" at or after the last place it was searched from (-1: none left)
    gt_from = -1
    closers: dict[str, int] = {}  # name -> position of its next closing tag (-1: none left)
    closers_from: dict[str, int] = {}
    for opening in _INVISIBLE_OPEN.finditer(lower):
        start, name = opening.start(), opening.group(1)
        if start < pos:
            continue  # inside a block already removed
        if gt != -1 and (gt < opening.end() or gt_from > opening.end()):
            gt, gt_from = lower.find(">", opening.end()), opening.end()
        if gt == -1:
            break  # no ">" left: no further tag can open
        closer = f"</{name}>"
        known = closers.get(name, -2)
        if known != -1 and (known <= gt or closers_from.get(name, -1) > gt + 1):
            known = lower.find(closer, gt + 1)
            closers[name], closers_from[name] = known, gt + 1
        if known == -1:
            continue  # never closed: left as text, like the regex
        pieces.append(value[pos:start])
        pos = known + len(closer)
    pieces.append(value[pos:])
    return "".join(pieces)


def _strip_tags(value: str) -> str:
    """Remove every ``<...>`` (at least one character inside), in linear time.

    Same result as ``re.sub(r"<[^>]+>", "", value)``, which rescans to the end of the
    text for every ``<`` that is never closed.
    """
    pieces: list[str] = []
    pos = 0
    while True:
        start = value.find("<", pos)
        if start == -1:
            break
        end = value.find(">", start + 1)
        if end == -1:
            break  # no ">" left: nothing more is a tag
        if end == start + 1:  # "<>" is not a tag
            pieces.append(value[pos:end])
            pos = end
            continue
        pieces.append(value[pos:start])
        pos = end + 1
    pieces.append(value[pos:])
    return "".join(pieces)


def html_to_text(value: str) -> str:
    """A readable plain-text rendering of HTML, for search, notifications and previews.

    Linear in the size of the input, whatever the input: it runs on hostile HTML.
    """
    text = _drop_invisible(value)
    text = _BLOCK_END.sub("\n", text)
    text = _strip_tags(text)
    text = html_lib.unescape(text)
    lines = [line.rstrip() for line in text.splitlines()]
    out = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", out).strip()


def text_to_html(value: str) -> str:
    """Plain text shown as HTML: escaped, paragraphs and line breaks kept."""
    paragraphs = re.split(r"\n{2,}", value.strip())
    return "".join(
        "<p>" + html_lib.escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs if p.strip()
    )

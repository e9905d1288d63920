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
_TAG = re.compile(r"<[^>]+>")
_STYLE = re.compile(r"(?is)<(script|style|head)[^>]*>.*?</\1>")


def html_to_text(value: str) -> str:
    """A readable plain-text rendering of HTML, for search, notifications and previews."""
    text = _STYLE.sub("", value)
    text = _BLOCK_END.sub("\n", text)
    text = _TAG.sub("", text)
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

"""The message tree -> a ParsedEmail: which parts are the body, which are attachments.

* The inline ``text/plain`` parts (no file name, not ``attachment``), in order, make
  ``body_text`` (Apple Mail splits a text around inline images); inside a
  ``multipart/alternative`` the plain rendering is preferred. The first ``text/html``
  part, sanitised, is ``body_html``; an HTML-only mail gets its text from the HTML.
* Every other leaf part is an attachment (``attachments.py``): a second HTML
  document, text parts with a file name, forwarded mails, delivery reports, and any
  part with a file name wherever it sits (``multipart/related``, an alternative).
* A mail with no text at all gets ``NO_VISIBLE_CONTENT`` so a stored message is never blank.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import Message

import nh3

from comptoir.channels.email import noise, quoting
from comptoir.channels.email.parsing import attachments, headers
from comptoir.channels.email.parsing.charsets import decode_bytes
from comptoir.channels.email.parsing.parsed import NO_VISIBLE_CONTENT, ParsedAttachment, ParsedEmail
from comptoir.channels.email.parsing.transfer import is_uuencoded, payload_bytes, raw_payload
from comptoir.tickets.html import ALLOWED_TAGS, html_to_text, sanitize_html


@dataclass
class _Collector:
    charset: str = ""  # the message's declared text charset: a hint for raw 8-bit names
    texts: list[str] = field(default_factory=list)
    htmls: list[str] = field(default_factory=list)
    attachments: list[ParsedAttachment] = field(default_factory=list)
    parts: list[Message] = field(default_factory=list)

    def sub(self) -> _Collector:
        return _Collector(charset=self.charset)


def build(msg: Message) -> ParsedEmail:
    """Read the headers and walk the parts of a parsed message tree."""
    raw_items = headers.raw_headers(msg)
    hint = message_charset(msg)
    header_map = headers.header_map(raw_items, hint)
    from_email, from_name = headers.sender(raw_items, hint)

    collector = _Collector(charset=hint)
    _walk(msg, collector, top=True)

    body_text = _join_texts(collector.texts)
    raw_html = collector.htmls[0] if collector.htmls else ""
    if not body_text.strip() and raw_html:
        body_text = _html_text(raw_html)
    if not body_text.strip():
        body_text = NO_VISIBLE_CONTENT
    body_html = sanitize_html(raw_html) if raw_html else ""

    report = noise.inspect(header_map, from_email, [(ctype(p), p) for p in collector.parts], leaf_text)
    visible, _quoted = quoting.split_reply(body_text)

    def recipients(name: str) -> list[str]:
        return [addr for _n, addr in headers.addresses(headers.all_raw(raw_items, name), hint) if addr]

    return ParsedEmail(
        from_email=from_email,
        from_name=from_name,
        to=recipients("to"),
        cc=recipients("cc"),
        reply_to=recipients("reply-to"),
        subject=header_map.get("subject", ""),
        body_text=body_text,
        body_html=body_html,
        attachments=collector.attachments,
        message_id=headers.msg_id(header_map.get("message-id", "")),
        in_reply_to=headers.msg_id(header_map.get("in-reply-to", "")),
        references=headers.msg_ids(header_map.get("references", "")),
        is_auto_reply=report.is_auto_reply,
        is_bounce=report.is_bounce,
        bounce_recipients=report.bounce_recipients,
        bounced_message_id=report.bounced_message_id,
        date=headers.parse_date(header_map.get("date", "")),
        headers=header_map,
        visible_text=visible,
    )


def message_charset(msg: Message, limit: int = 50) -> str:
    """The charset the message declares for its text: its own, else its first text part's."""
    stack = [msg]
    while stack and limit > 0:
        part = stack.pop(0)
        limit -= 1
        found = charset(part)
        if found:
            return found
        payload = raw_payload(part)
        if isinstance(payload, list):
            stack.extend(p for p in payload if isinstance(p, Message))
    return ""


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


def ctype(part: Message) -> str:
    """The real content type (message/* included), as compat32's get_content_type computes it."""
    cached = part.__dict__.get("_cpt_ctype")
    if cached is None:
        cached = Message.get_content_type(part)
        part.__dict__["_cpt_ctype"] = cached
    return cached


def charset(part: Message) -> str:
    """The declared charset of a part ("" when none or unreadable)."""
    try:
        return part.get_content_charset() or ""
    except Exception:
        return ""


def leaf_text(part: Message) -> str:
    return decode_bytes(payload_bytes(part), charset(part))


def _text(data: bytes, part: Message) -> str:
    text = decode_bytes(data, charset(part))
    return text.replace("\r\n", "\n") if "\r" in text else text


def _is_named(part: Message, out: _Collector) -> bool:
    return attachments.disposition(part) == "attachment" or bool(attachments.filename(part, out.charset))


def _walk(part: Message, out: _Collector, *, top: bool = False, in_report: bool = False) -> None:
    out.parts.append(part)
    kind = ctype(part)
    payload = raw_payload(part)
    if isinstance(payload, list):
        children = [p for p in payload if isinstance(p, Message)]
        if kind == "multipart/alternative":
            _walk_alternative(children, out, in_report=in_report)
        else:
            for child in children:
                _walk(child, out, in_report=in_report or kind == "multipart/report")
        return
    if kind.startswith("multipart/"):
        # a multipart without (parsable) parts: keep whatever text it carries
        text = _text(payload_bytes(part), part)
        if text.strip():
            out.texts.append(text)
        return
    if kind.startswith("message/"):
        _attach(part, kind, out)
        if kind == "message/rfc822" and not in_report:  # a returned mail in a bounce is ours
            out.attachments.extend(attachments.forwarded_files(payload_bytes(part), out.attachments))
        return
    is_text = kind in ("text/plain", "text/html") or (top and kind.startswith("text/"))
    if is_text and not is_uuencoded(part) and (top or not _is_named(part, out)):
        if kind != "text/html":
            out.texts.append(_text(payload_bytes(part), part))  # every inline text part is part of the body
            return
        if not out.htmls:  # a second HTML document is kept as an attachment, as Zammad does
            out.htmls.append(_text(payload_bytes(part), part))
            return
    _attach(part, kind, out)


def _attach(part: Message, kind: str, out: _Collector) -> None:
    attachment = attachments.attachment_for(part, kind, out.attachments, out.charset)
    if attachment is not None:
        out.attachments.append(attachment)


def _walk_alternative(children: list[Message], out: _Collector, *, in_report: bool) -> None:
    """One plain rendering for body_text, one HTML rendering for body_html; extras are dropped,
    but a part with a file name is a file, not a rendering, and is always kept."""
    plain = [c for c in children if ctype(c) == "text/plain" and not _is_named(c, out)]
    renderings = {id(c) for c in plain}
    rich = [c for c in children if id(c) not in renderings]
    if plain:
        _walk(plain[-1], out, in_report=in_report)
    for child in rich:
        kind = ctype(child)
        if plain and kind != "text/html" and not kind.startswith("multipart/") and not _is_named(child, out):
            continue  # text/enriched and friends: a third rendering of the same text
        sub = out.sub()
        _walk(child, sub, in_report=in_report)
        if not plain:
            out.texts.extend(sub.texts)
        if not out.htmls:
            out.htmls.extend(sub.htmls[:1])
        out.attachments.extend(sub.attachments)
        out.parts.extend(sub.parts)

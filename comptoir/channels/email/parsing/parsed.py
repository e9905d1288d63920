"""What the parser returns: a ``ParsedEmail`` with its ``ParsedAttachment`` list."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

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

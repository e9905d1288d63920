"""Messages and attachments. Contacts get ContactMessageOut, and only public replies ever reach it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.urls import reverse
from ninja import Schema
from pydantic import BaseModel, Field

from comptoir.tickets.models import Attachment, Message


class AttachmentOut(BaseModel):
    id: int
    name: str
    size: int
    content_type: str
    url: str


class Author(BaseModel):
    kind: str
    id: int | None = None
    name: str


class MessageOut(BaseModel):
    id: int
    ticket_id: int
    kind: str
    public: bool
    author: Author
    channel: str
    body: str
    body_html: str
    to: list[str]
    cc: list[str]
    delivery_status: str
    created_at: datetime
    attachments: list[AttachmentOut]


class ContactAuthor(BaseModel):
    kind: str
    name: str


class ContactMessageOut(BaseModel):
    id: int
    ticket_id: int
    public: bool
    author: ContactAuthor
    body: str
    body_html: str
    created_at: datetime
    attachments: list[AttachmentOut]


class MessageIn(Schema):
    body: str = Field("", description="Plain text body.")
    body_html: str = Field("", description="HTML body; sanitised before it is stored.")
    public: bool = Field(True, description="true: a public reply; false: an internal note (agents only).")
    status: str | None = Field(None, description="Agents: set this status in the same step (e.g. solved).")


def attachment_out(a: Attachment) -> dict[str, Any]:
    return {
        "id": a.pk,
        "name": a.name,
        "size": a.size,
        "content_type": a.content_type,
        "url": reverse("api-1:download_attachment", kwargs={"attachment_id": a.pk}),
    }


def message_for_agent(m: Message) -> dict[str, Any]:
    author_id = m.author_agent_id or m.author_contact_id
    return {
        "id": m.pk,
        "ticket_id": m.ticket_id,
        "kind": m.kind,
        "public": m.is_public,
        "author": {"kind": m.author_kind, "id": author_id, "name": m.author_name},
        "channel": m.channel,
        "body": m.body_text,
        "body_html": m.body_html,
        "to": list(m.to or []),
        "cc": list(m.cc or []),
        "delivery_status": m.delivery_status or "",
        "created_at": m.created_at,
        "attachments": [attachment_out(a) for a in m.attachments.all()],
    }


def message_for_contact(m: Message) -> dict[str, Any]:
    if not m.is_public:  # belt and braces: visible_messages() already filters notes out
        raise ValueError("internal note offered to a contact")
    return {
        "id": m.pk,
        "ticket_id": m.ticket_id,
        "public": True,
        "author": {"kind": m.author_kind, "name": m.author_name},
        "body": m.body_text,
        "body_html": m.body_html,
        "created_at": m.created_at,
        "attachments": [attachment_out(a) for a in m.attachments.all()],
    }

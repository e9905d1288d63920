"""/api/v1/tickets/{id}/messages: the conversation, and posting replies or internal notes."""

from __future__ import annotations

from typing import Any

import pydantic
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja import Status as Reply
from pydantic import Field

from comptoir.api.access import VIA, actor_of, is_contact, visible_ticket
from comptoir.api.errors import parse_json_body
from comptoir.api.pagination import SortKey, keyset_page, next_url
from comptoir.api.schemas.common import ERRORS, page_of
from comptoir.api.schemas.messages import (
    ContactMessageOut,
    MessageIn,
    MessageOut,
    message_for_agent,
    message_for_contact,
)
from comptoir.core.errors import ValidationFailed
from comptoir.core.permissions import PermissionDenied
from comptoir.tickets import actions
from comptoir.tickets.attachments import IncomingFile
from comptoir.tickets.models import Message
from comptoir.tickets.queries import visible_messages

router = Router()

_MESSAGE_IN = MessageIn.model_json_schema()
_MULTIPART = {
    "type": "object",
    "properties": {
        **_MESSAGE_IN["properties"],
        "attachments": {"type": "array", "items": {"type": "string", "format": "binary"}},
    },
}
REQUEST_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": _MESSAGE_IN},
            "multipart/form-data": {"schema": _MULTIPART},
        },
    }
}


class Page(Schema):
    limit: int = Field(50, ge=1, le=100)
    cursor: str | None = None


def render_message(actor: Any, message: Message) -> dict[str, Any]:
    return message_for_contact(message) if is_contact(actor) else message_for_agent(message)


@router.get(
    "/{int:ticket_id}/messages",
    response={200: page_of(MessageOut) | page_of(ContactMessageOut), **ERRORS},
    url_name="list_messages",
    summary="List a ticket's messages",
)
def list_messages(request: HttpRequest, ticket_id: int, page: Query[Page]) -> Any:
    """Oldest first. Contacts receive public replies only, never internal notes."""
    actor = actor_of(request)
    ticket = visible_ticket(request, ticket_id)
    keys = [SortKey("created_at"), SortKey("id")]
    rows, cursor = keyset_page(visible_messages(actor, ticket), keys, page.cursor, page.limit, tag="messages")
    return {"results": [render_message(actor, m) for m in rows], "next": next_url(request, cursor)}


def _parse(request: HttpRequest) -> tuple[MessageIn, list[IncomingFile]]:
    content_type = request.content_type or ""
    files: list[IncomingFile] = []
    if content_type.startswith("multipart/form-data"):
        raw: Any = {key: request.POST.get(key) for key in request.POST}
        for upload in [*request.FILES.getlist("attachments"), *request.FILES.getlist("files")]:
            files.append(IncomingFile(name=upload.name or "attachment", content=upload.read(), content_type=upload.content_type or ""))
    else:
        raw = parse_json_body(request.body)
    if not isinstance(raw, dict):
        raise ValidationFailed(_("The request body must be an object."), {"request": "invalid"})
    try:
        data = MessageIn.model_validate(raw)
    except pydantic.ValidationError as exc:
        fields = {".".join(str(p) for p in e["loc"]) or "request": e["msg"] for e in exc.errors()}
        raise ValidationFailed(_("The request is invalid."), fields) from exc
    return data, files


@router.post(
    "/{int:ticket_id}/messages",
    response={201: MessageOut | ContactMessageOut, **ERRORS},
    url_name="create_message",
    summary="Reply or add an internal note",
    openapi_extra=REQUEST_BODY,
)
def create_message(request: HttpRequest, ticket_id: int) -> Any:
    """JSON `{"body", "public"}`, or multipart with `attachments` files.

    `public: false` writes an internal note (agents only). A customer's reply on
    a closed ticket opens a follow-up ticket; the message returned belongs to it.
    """
    actor = actor_of(request)
    ticket = visible_ticket(request, ticket_id)
    data, files = _parse(request)
    if data.public:
        message = actions.add_reply(
            ticket, actor=actor, via=VIA, body_text=data.body, body_html=data.body_html,
            attachments=files, new_status=None if is_contact(actor) else data.status,
        )
    else:
        if is_contact(actor):
            raise PermissionDenied(_("Customers cannot write internal notes."))
        if data.status:
            raise ValidationFailed(_("An internal note cannot change the status."), {"status": "not_allowed"})
        message = actions.add_internal_note(ticket, actor=actor, via=VIA, body_text=data.body, body_html=data.body_html, attachments=files)
    loaded = Message.objects.select_related("author_agent", "author_contact").prefetch_related("attachments").get(pk=message.pk)
    return Reply(201, render_message(actor, loaded))

"""Tokens, the export stream and webhooks."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import BaseModel, Field

from comptoir.api.models import ApiToken, WebhookDelivery, WebhookSubscription
from comptoir.api.schemas.tickets import TicketOut

EventName = Literal["ticket.created", "ticket.updated", "ticket.solved", "ticket.deleted", "message.created", "csat.received"]


class TokenOut(BaseModel):
    id: int
    name: str
    prefix: str
    owner_kind: Literal["agent", "contact"]
    owner_id: int
    created_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


class NewTokenOut(TokenOut):
    token: str = Field(..., description="The secret. Shown once: store it now.")


class TokenIn(Schema):
    name: str = Field("", max_length=120)


class ExportOut(BaseModel):
    results: list[TicketOut]
    cursor: str = Field(..., description="Pass as since_cursor to get what changed after this page.")
    end_of_stream: bool


class WebhookOut(BaseModel):
    id: int
    url: str
    description: str
    events: list[str]
    include_internal: bool
    active: bool
    created_at: datetime


class NewWebhookOut(WebhookOut):
    secret: str = Field(..., description="The signing secret. Shown once: store it now.")


class WebhookIn(Schema):
    url: str = Field(..., max_length=500, pattern=r"^https?://\S+$")
    description: str = Field("", max_length=200)
    events: list[EventName] = Field(..., min_length=1)
    include_internal: bool = False
    active: bool = True


class WebhookPatchIn(Schema):
    url: str | None = Field(None, max_length=500, pattern=r"^https?://\S+$")
    description: str | None = Field(None, max_length=200)
    events: list[EventName] | None = Field(None, min_length=1)
    include_internal: bool | None = None
    active: bool | None = None


class DeliveryOut(BaseModel):
    id: int
    event_id: str
    event: str
    state: Literal["pending", "retrying", "succeeded", "failed"]
    attempt: int
    status_code: int | None = None
    response_excerpt: str
    error: str
    next_retry_at: datetime | None = None
    created_at: datetime
    last_attempt_at: datetime | None = None


def token_out(t: ApiToken) -> dict[str, Any]:
    return {
        "id": t.pk, "name": t.name, "prefix": t.prefix,
        "owner_kind": "agent" if t.agent_id else "contact", "owner_id": t.agent_id or t.contact_id,
        "created_at": t.created_at, "last_used_at": t.last_used_at, "revoked_at": t.revoked_at,
    }


def webhook_out(w: WebhookSubscription) -> dict[str, Any]:
    return {
        "id": w.pk, "url": w.url, "description": w.description, "events": list(w.events or []),
        "include_internal": w.include_internal, "active": w.active, "created_at": w.created_at,
    }


def delivery_out(d: WebhookDelivery) -> dict[str, Any]:
    return {
        "id": d.pk, "event_id": d.event_id, "event": d.event, "state": d.state, "attempt": d.attempt,
        "status_code": d.status_code, "response_excerpt": d.response_excerpt, "error": d.error,
        "next_retry_at": d.next_retry_at, "created_at": d.created_at, "last_attempt_at": d.last_attempt_at,
    }

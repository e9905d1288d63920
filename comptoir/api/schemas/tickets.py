"""Tickets in and out. Contacts get ContactTicketOut: no internal fields, no agent-only custom fields."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import BaseModel, Field

from comptoir.api.schemas.common import (
    ChannelName,
    PriorityName,
    Ref,
    StatusCategoryName,
    TicketTypeName,
    ref,
)
from comptoir.tickets.models import Priority, Ticket


class ContactRef(BaseModel):
    id: int
    name: str
    email: str | None = None


class TicketOut(BaseModel):
    id: int
    number: int
    subject: str
    description: str
    status: StatusCategoryName
    status_id: int
    status_name: str
    priority: PriorityName
    type: TicketTypeName
    channel: ChannelName
    contact: ContactRef
    account: Ref | None = None
    product: Ref | None = None
    category_id: int | None = None
    subcategory_id: int | None = None
    department: Ref | None = None
    group: Ref | None = None
    assignee: Ref | None = None
    tags: list[str]
    due_at: datetime | None = None
    custom_fields: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    first_agent_reply_at: datetime | None = None
    solved_at: datetime | None = None
    closed_at: datetime | None = None
    archived_at: datetime | None = None
    merged_into_id: int | None = None
    follow_up_of_id: int | None = None


class ContactTicketOut(BaseModel):
    """What a customer sees of their ticket."""

    id: int
    number: int
    subject: str
    description: str
    status: StatusCategoryName
    priority: PriorityName
    type: TicketTypeName
    channel: ChannelName
    assignee_name: str | None = None
    custom_fields: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    solved_at: datetime | None = None
    closed_at: datetime | None = None


class ContactIn(Schema):
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=40)
    name: str = Field("", max_length=200)


class TicketCreateIn(Schema):
    subject: str = Field(..., max_length=250)
    description: str = ""
    description_html: str = ""
    contact: ContactIn | None = None
    priority: PriorityName | None = None
    type: TicketTypeName | None = None
    channel: ChannelName | None = None
    status: str | None = Field(None, description="A status category (new, open, ...) or a status name.")
    status_id: int | None = None
    assignee_id: int | Literal["me"] | None = Field(None, description="Leave out to assign an agent creator; null for nobody.")
    group_id: int | None = None
    department_id: int | None = None
    account: str | None = Field(None, max_length=200, description="Account (company) name; created when unknown.")
    product: str | None = Field(None, max_length=200, description="Product name; created when unknown.")
    tags: list[str] = Field(default_factory=list, max_length=50)
    due_at: datetime | None = None
    custom_fields: dict[str, Any] = Field(default_factory=dict)


class TicketPatchIn(Schema):
    subject: str | None = Field(None, max_length=250)
    status: str | None = None
    status_id: int | None = None
    priority: PriorityName | None = None
    type: TicketTypeName | None = None
    channel: ChannelName | None = None
    assignee_id: int | Literal["me"] | None = None
    group_id: int | None = None
    department_id: int | None = None
    product_id: int | None = None
    category_id: int | None = Field(None, description="A top-level category; changing it clears a subcategory of another category.")
    subcategory_id: int | None = Field(None, description="A subcategory of the ticket's category.")
    contact_id: int | None = None
    due_at: datetime | None = None
    tags: list[str] | None = Field(None, max_length=50)
    custom_fields: dict[str, Any] | None = None


def ticket_for_agent(t: Ticket) -> dict[str, Any]:
    """The agent view of a ticket loaded with ticket_list()'s related rows (no extra query)."""
    return {
        "id": t.pk,
        "number": t.number,
        "subject": t.subject,
        "description": t.description,
        "status": t.status_category,
        "status_id": t.status_id,
        "status_name": t.status.name,
        "priority": Priority(t.priority).name.lower(),
        "type": t.type,
        "channel": t.channel,
        "contact": {"id": t.contact.pk, "name": t.contact.name, "email": t.contact.primary_email},
        "account": ref(t.account),
        "product": ref(t.product),
        "category_id": t.category_id,
        "subcategory_id": t.subcategory_id,
        "department": ref(t.department),
        "group": ref(t.group),
        "assignee": ref(t.assignee),
        "tags": sorted(tag.name for tag in t.tags.all()),
        "due_at": t.due_at,
        "custom_fields": t.custom_fields or {},
        "created_at": t.created_at,
        "updated_at": t.updated_at,
        "first_agent_reply_at": t.first_agent_reply_at,
        "solved_at": t.solved_at,
        "closed_at": t.closed_at,
        "archived_at": t.archived_at,
        "merged_into_id": t.merged_into_id,
        "follow_up_of_id": t.follow_up_of_id,
    }


def ticket_for_contact(t: Ticket, customer_fields: set[str]) -> dict[str, Any]:
    """The customer view: only custom fields marked visible to customers; the assignee by name only."""
    return {
        "id": t.pk,
        "number": t.number,
        "subject": t.subject,
        "description": t.description,
        "status": t.status_category,
        "priority": Priority(t.priority).name.lower(),
        "type": t.type,
        "channel": t.channel,
        "assignee_name": t.assignee.name if t.assignee is not None else None,
        "custom_fields": {k: v for k, v in (t.custom_fields or {}).items() if k in customer_fields},
        "created_at": t.created_at,
        "updated_at": t.updated_at,
        "solved_at": t.solved_at,
        "closed_at": t.closed_at,
    }

"""/api/v1/tickets: list with filters and cursor pagination, get, create, update, delete."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import DateTimeField, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja import Status as Reply
from pydantic import Field

from comptoir.api.access import VIA, actor_of, is_contact, visible_ticket
from comptoir.api.pagination import SortKey, keyset_page, next_url
from comptoir.api.schemas.common import (
    ERRORS,
    ChannelName,
    PriorityName,
    StatusCategoryName,
    TicketTypeName,
    page_of,
)
from comptoir.api.schemas.tickets import (
    ContactTicketOut,
    TicketCreateIn,
    TicketOut,
    TicketPatchIn,
    ticket_for_agent,
    ticket_for_contact,
)
from comptoir.contacts.models import ContactIdentity
from comptoir.core.errors import ValidationFailed
from comptoir.core.models import Agent, Department, Group
from comptoir.tickets import actions
from comptoir.tickets.actions import UNSET
from comptoir.tickets.category_rules import category_changes
from comptoir.tickets.models import CustomFieldDefinition, Priority, Status, StatusCategory, Ticket
from comptoir.tickets.queries import visible_tickets
from comptoir.tickets.statuses import default_status

router = Router()

FAR_FUTURE = datetime(9999, 1, 1).astimezone()
FAR_PAST = datetime(1970, 1, 2).astimezone()
SORTS = {
    "created": "created_at",
    "updated": "updated_at",
    "priority": "priority",
    "due": "due_sort",
}


class TicketFilters(Schema):
    status: list[StatusCategoryName] | None = Field(None, description="Status category; repeat for several.")
    status_id: list[str] | None = Field(None, description="A custom status, by id or name.")
    priority: list[PriorityName] | None = None
    type: list[TicketTypeName] | None = None
    channel: list[ChannelName] | None = None
    assignee: str | None = Field(None, description='An agent id, "me" or "none".')
    group: str | None = Field(None, description='A group id or "none".')
    department: int | None = None
    tag: list[str] | None = Field(None, description="Tickets carrying every tag given.")
    contact: int | None = None
    account: int | None = None
    category: int | None = Field(None, description="A category id: tickets in it (whatever their subcategory).")
    subcategory: int | None = None
    product: int | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None
    updated_after: datetime | None = None
    updated_before: datetime | None = None
    q: str | None = Field(None, max_length=200, description="Text in the subject or description.")
    include_archived: bool = False
    sort: str = Field("-updated", pattern=r"^-?(created|updated|priority|due)$")
    limit: int = Field(25, ge=1, le=100)
    cursor: str | None = None


def ticket_rows(actor: Any, *, include_archived: bool = False) -> QuerySet[Ticket]:
    """Visible tickets with everything a rendered ticket needs, in a constant number of queries."""
    return (
        visible_tickets(actor, include_archived=include_archived)
        .select_related("status", "contact", "assignee", "group", "department", "account", "product")
        .prefetch_related("tags", Prefetch("contact__identities", queryset=ContactIdentity.objects.order_by("-is_primary", "id")))
    )


def customer_field_keys() -> set[str]:
    return set(CustomFieldDefinition.objects.filter(visible_to_customers=True).values_list("key", flat=True))


def render_tickets(actor: Any, rows: list[Ticket]) -> list[dict[str, Any]]:
    if is_contact(actor):
        keys = customer_field_keys()
        return [ticket_for_contact(t, keys) for t in rows]
    return [ticket_for_agent(t) for t in rows]


def render_ticket(actor: Any, ticket_id: int) -> dict[str, Any]:
    ticket = ticket_rows(actor, include_archived=True).get(pk=ticket_id)
    return render_tickets(actor, [ticket])[0]


def _id_or_none(value: str, field: str) -> int | None:
    if value == "none":
        return None
    if not value.isdigit():
        raise ValidationFailed(_("Expected an id or \"none\"."), {field: "invalid"})
    return int(value)


def apply_filters(qs: QuerySet[Ticket], f: TicketFilters, actor: Any) -> QuerySet[Ticket]:
    if f.status:
        qs = qs.filter(status_category__in=f.status)
    if f.status_id:
        ids = [int(s) for s in f.status_id if s.isdigit()]
        names = [s for s in f.status_id if not s.isdigit()]
        qs = qs.filter(Q(status_id__in=ids) | Q(status__name__in=names))
    if f.priority:
        qs = qs.filter(priority__in=[int(Priority.from_name(p)) for p in f.priority])
    if f.type:
        qs = qs.filter(type__in=f.type)
    if f.channel:
        qs = qs.filter(channel__in=f.channel)
    if f.assignee:
        if f.assignee == "me" and is_contact(actor):
            return qs.none()  # a customer is never a ticket's assignee
        assignee_id = actor.pk if f.assignee == "me" else _id_or_none(f.assignee, "assignee")
        if assignee_id is None:
            qs = qs.filter(assignee__isnull=True)
        else:
            qs = qs.filter(assignee_id=assignee_id)
    if f.group:
        group_id = _id_or_none(f.group, "group")
        qs = qs.filter(group__isnull=True) if group_id is None else qs.filter(group_id=group_id)
    if f.department is not None:
        qs = qs.filter(department_id=f.department)
    for name in f.tag or []:
        qs = qs.filter(tags__name=name.strip().lower())
    if f.contact is not None:
        qs = qs.filter(contact_id=f.contact)
    if f.account is not None:
        qs = qs.filter(account_id=f.account)
    if f.category is not None:
        qs = qs.filter(category_id=f.category)
    if f.subcategory is not None:
        qs = qs.filter(subcategory_id=f.subcategory)
    if f.product is not None:
        qs = qs.filter(product_id=f.product)
    if f.created_after:
        qs = qs.filter(created_at__gte=f.created_after)
    if f.created_before:
        qs = qs.filter(created_at__lt=f.created_before)
    if f.updated_after:
        qs = qs.filter(updated_at__gte=f.updated_after)
    if f.updated_before:
        qs = qs.filter(updated_at__lt=f.updated_before)
    if f.q:
        qs = qs.filter(Q(subject__icontains=f.q) | Q(description__icontains=f.q))
    return qs


TicketList = page_of(TicketOut) | page_of(ContactTicketOut)


@router.get("", response={200: TicketList, **ERRORS}, url_name="list_tickets", summary="List tickets")
def list_tickets(request: HttpRequest, filters: Query[TicketFilters]) -> Any:
    """Tickets the caller may see, newest activity first unless `sort` says otherwise; follow `next`."""
    actor = actor_of(request)
    qs = apply_filters(ticket_rows(actor, include_archived=filters.include_archived), filters, actor)
    descending = filters.sort.startswith("-")
    name = filters.sort.lstrip("-")
    if name == "due":
        qs = qs.annotate(due_sort=Coalesce("due_at", Value(FAR_PAST if descending else FAR_FUTURE), output_field=DateTimeField()))
    keys = [SortKey(SORTS[name], descending), SortKey("id", descending)]
    rows, cursor = keyset_page(qs, keys, filters.cursor, filters.limit, tag=filters.sort)
    return {"results": render_tickets(actor, rows), "next": next_url(request, cursor)}


def _status_for_create(data: TicketCreateIn) -> Status | None:
    if data.status and data.status_id:
        raise ValidationFailed(_("Give status or status_id, not both."), {"status": "conflict"})
    if data.status_id:
        status = Status.objects.filter(pk=data.status_id, active=True).first()
    elif data.status:
        if data.status in StatusCategory.values:
            return default_status(data.status)
        status = Status.objects.filter(name__iexact=data.status, active=True).first()
    else:
        return None
    if status is None:
        raise ValidationFailed(_("Unknown status."), {"status": "not_found"})
    return status


def _lookup(model: Any, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise ValidationFailed(_("Unknown %(field)s.") % {"field": field}, {field: "not_found"})
    return obj


@router.post("", response={201: TicketOut | ContactTicketOut, **ERRORS}, url_name="create_ticket", summary="Create a ticket")
def create_ticket(request: HttpRequest, data: TicketCreateIn) -> Any:
    """Open a ticket for a contact (found or created by email/phone). A contact's token opens their own;
    which fields a customer may set is create_ticket's rule, not this router's."""
    actor = actor_of(request)
    given = data.model_fields_set
    assignee: Any = UNSET
    if "assignee_id" in given:
        assignee = actor if data.assignee_id == "me" else _lookup(Agent, data.assignee_id, "assignee")  # type: ignore[arg-type]
    contact = data.contact
    ticket = actions.create_ticket(
        actor=actor,
        via=VIA,
        subject=data.subject,
        description=data.description,
        description_html=data.description_html,
        contact_email=contact.email if contact else None,
        contact_phone=contact.phone if contact else None,
        contact_name=contact.name if contact else "",
        account_name=data.account,
        product_name=data.product,
        priority=data.priority,
        type=data.type,
        channel=data.channel,
        department=_lookup(Department, data.department_id, "department"),
        group=_lookup(Group, data.group_id, "group"),
        assignee=assignee,
        status=_status_for_create(data),
        tags=data.tags,
        due_at=data.due_at,
        custom_fields=data.custom_fields,
    )
    return Reply(201, render_ticket(actor, ticket.pk))


@router.get("/{int:ticket_id}", response={200: TicketOut | ContactTicketOut, **ERRORS}, url_name="get_ticket", summary="Get a ticket")
def get_ticket(request: HttpRequest, ticket_id: int) -> Any:
    actor = actor_of(request)
    visible_ticket(request, ticket_id)
    return render_ticket(actor, ticket_id)


@router.patch("/{int:ticket_id}", response={200: TicketOut | ContactTicketOut, **ERRORS}, url_name="update_ticket", summary="Update a ticket")
def update_ticket(request: HttpRequest, ticket_id: int, data: TicketPatchIn) -> Any:
    """Change fields; each change is one history entry. Only the fields sent are touched."""
    actor = actor_of(request)
    ticket = visible_ticket(request, ticket_id)
    given = data.model_fields_set
    changes: dict[str, Any] = {}
    if "status" in given and "status_id" in given:
        raise ValidationFailed(_("Give status or status_id, not both."), {"status": "conflict"})
    simple = {"subject", "priority", "type", "channel", "due_at", "tags", "custom_fields"}
    for field in given & simple:
        changes[field] = getattr(data, field)
    if "status" in given:
        changes["status"] = data.status
    if "status_id" in given:
        changes["status"] = data.status_id
    ids = {"assignee_id": "assignee", "group_id": "group", "department_id": "department", "product_id": "product", "contact_id": "contact",
           "category_id": "category", "subcategory_id": "subcategory"}
    for key, field in ids.items():
        if key in given:
            value = getattr(data, key)
            changes[field] = actor.pk if value == "me" else value
    changes.update(category_changes(ticket, changes))
    for required in ("subject", "status", "priority", "type", "channel", "contact"):
        if required in changes and changes[required] is None:
            raise ValidationFailed(_("This field cannot be empty."), {required: "required"})
    if changes:
        actions.update_ticket(ticket, changes, actor=actor, via=VIA)
    return render_ticket(actor, ticket_id)


@router.delete("/{int:ticket_id}", response={204: None, **ERRORS}, url_name="delete_ticket", summary="Delete a ticket")
def delete_ticket(request: HttpRequest, ticket_id: int) -> Any:
    """Owners and admins only: removes the ticket, its messages, history and files for good.

    Prefer archiving for tickets that are merely old; deletion is for spam and data removal.
    """
    actor = actor_of(request)
    ticket = visible_ticket(request, ticket_id)
    actions.delete_ticket(ticket, actor=actor, via=VIA)
    return Reply(204, None)

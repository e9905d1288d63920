"""The ticket properties panel: the choices it offers and the parsing of one edited control.

Every change is handed to `update_ticket`; this module only turns form strings
into the values the action expects and never decides what is allowed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone

from comptoir.contacts.models import Product
from comptoir.core.models import Agent, Department, Group
from comptoir.core.permissions import assignable_agent_ids, can
from comptoir.tickets.models import (
    Category,
    CustomFieldDefinition,
    FieldKind,
    Priority,
    Status,
    Ticket,
    TicketType,
)

SIMPLE_FK = ("status", "assignee", "group", "department", "product", "category", "subcategory")


def panel_context(agent: Agent, ticket: Ticket) -> dict[str, Any]:
    """Everything the properties panel shows, in a fixed number of queries."""
    allowed = assignable_agent_ids(agent, ticket.group_id)
    agents = Agent.objects.filter(is_active=True).order_by("name")
    if allowed is not None:
        agents = agents.filter(pk__in=allowed)
    categories = list(Category.objects.filter(Q(department=ticket.department_id) | Q(department__isnull=True)).select_related("parent").order_by("name"))
    fields = list(
        CustomFieldDefinition.objects.filter(Q(department=ticket.department_id) | Q(department__isnull=True), active=True)
        .select_related("depends_on").order_by("position", "pk")
    )
    return {
        "statuses": list(Status.objects.filter(active=True).order_by("position", "pk")),
        "priorities": Priority.choices,
        "types": TicketType.choices,
        "agents": list(agents),
        "groups": list(Group.objects.order_by("name")),
        "departments": list(Department.objects.order_by("name")),
        "products": list(Product.objects.order_by("name")),
        "top_categories": [c for c in categories if c.parent_id is None],
        "subcategories": [c for c in categories if c.parent_id is not None and c.parent_id == ticket.category_id],
        # (definition, current value, choices offered) for each custom field control.
        "custom_fields": [(f, ticket.custom_fields.get(f.key), field_options(f, ticket.custom_fields)) for f in fields],
        "tag_names": ", ".join(t.name for t in ticket.tags.all()),
        "can_update": can(agent, "ticket.update"),
        "can_take": can(agent, "ticket.take"),
        "field_kinds": FieldKind,
    }


def field_options(definition: CustomFieldDefinition, values: dict[str, Any]) -> list[str]:
    """Choices a dropdown offers; a dependent dropdown offers those of its parent's current value
    (or all of them when the parent value is unknown, leaving validation to the action)."""
    choices = definition.choices or []
    if definition.kind != FieldKind.DEPENDENT_DROPDOWN:
        return [str(c) for c in choices] if isinstance(choices, list) else []
    if not isinstance(choices, dict):
        return []
    parent_key = definition.depends_on.key if definition.depends_on_id and definition.depends_on else None
    if parent_key and values.get(parent_key) is not None:
        return [str(c) for c in choices.get(str(values[parent_key]), [])]
    return sorted({str(c) for options in choices.values() for c in options})


def custom_value(definition: CustomFieldDefinition, data: QueryDict) -> Any:
    """The posted value of one custom field control, shaped for its kind (None when left empty)."""
    name = f"cf_{definition.key}"
    if definition.kind == FieldKind.CHECKBOX:
        return name in data and data.get(name) not in ("", "0", "false")
    if definition.kind == FieldKind.MULTI_SELECT:
        return data.getlist(name)
    value = data.get(name, "")
    return value if value != "" else None


def changes_from_post(data: QueryDict, ticket: Ticket) -> dict[str, Any]:
    """The changes named by the posted controls (each control posts only itself)."""
    changes: dict[str, Any] = {}
    for field in SIMPLE_FK:
        if field in data:
            changes[field] = data[field] or None
    if changes.get("status") is None:
        changes.pop("status", None)
    if "category" in changes and "subcategory" not in changes:
        changes["subcategory"] = None
    for field in ("priority", "type"):
        if data.get(field):
            changes[field] = data[field]
    if "due_at" in data:
        changes["due_at"] = parse_local_datetime(data.get("due_at"))
    if "tags" in data:
        changes["tags"] = [t.strip() for t in (data.get("tags") or "").split(",") if t.strip()]
    posted_custom = {k[3:] for k in data if k.startswith("cf_")}
    if posted_custom:
        defs = CustomFieldDefinition.objects.filter(key__in=posted_custom, active=True)
        changes["custom_fields"] = {d.key: custom_value(d, data) for d in defs} or {k: data[f"cf_{k}"] for k in posted_custom}
    return changes


def parse_local_datetime(value: str | None) -> dt.datetime | None:
    """A datetime-local input in the agent's time zone; empty means none; garbage raises ValueError."""
    value = (value or "").strip()
    if not value:
        return None
    parsed = dt.datetime.fromisoformat(value)
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.get_current_timezone())
    return parsed

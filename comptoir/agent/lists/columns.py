"""The fixed lists a ticket list is built from: columns, sort keys and groupings."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from comptoir.agent.status_labels import status_label

# column key -> (header, the order_by field it sorts on, or "" when it does not sort)
COLUMNS: dict[str, tuple[Any, str]] = {
    "number": (_("Number"), "number"),
    "subject": (_("Subject"), "subject"),
    "contact": (_("Requester"), "contact__name"),
    "account": (_("Account"), "account__name"),
    "status": (_("Status"), "status__position"),
    "priority": (_("Priority"), "priority"),
    "type": (_("Type"), "type"),
    "channel": (_("Channel"), "channel"),
    "assignee": (_("Assignee"), "assignee__name"),
    "group": (_("Group"), "group__name"),
    "department": (_("Department"), "department__name"),
    "tags": (_("Tags"), ""),
    "created_at": (_("Created"), "created_at"),
    "updated_at": (_("Updated"), "updated_at"),
    "due_at": (_("Due"), "due_at"),
    "solved_at": (_("Solved"), "solved_at"),
    "last_customer_message_at": (_("Customer wrote"), "last_customer_message_at"),
}
SORTABLE = {field for _label, field in COLUMNS.values() if field}

# group key -> (label, order_by field, attribute path giving the row's group label)
GROUPINGS: dict[str, tuple[Any, str]] = {
    "status": (_("Status"), "status__position"),
    "priority": (_("Priority"), "-priority"),
    "assignee": (_("Assignee"), "assignee__name"),
    "group": (_("Group"), "group__name"),
}
PAGE_SIZES = (25, 50, 100)


def sort_choices() -> list[tuple[str, Any]]:
    choices: list[tuple[str, Any]] = []
    for label, field in COLUMNS.values():
        if field:
            choices.append((field, _("%(column)s, ascending") % {"column": label}))
            choices.append((f"-{field}", _("%(column)s, descending") % {"column": label}))
    return choices


def clean_sort(value: str | None, default: str = "-updated_at") -> str:
    """A sort key from the request or a view, falling back to `default` when unknown."""
    if value and value.lstrip("-") in SORTABLE:
        return value
    return default


# Orders that one of Ticket's indexes returns as stored, so a page of a million-ticket list
# is read from the index instead of sorting every match. The id tie-break follows the
# index's implicit row order (SQLite appends rowid ascending); priority falls back on
# the (priority, -updated_at) index.
INDEX_ORDERS: dict[str, list[str]] = {
    "-updated_at": ["-updated_at", "id"],
    "updated_at": ["updated_at", "-id"],
    "-created_at": ["-created_at", "id"],
    "created_at": ["created_at", "-id"],
    "priority": ["priority", "-updated_at", "id"],
    "-priority": ["-priority", "updated_at", "-id"],
    "due_at": ["due_at", "id"],
    "-due_at": ["-due_at", "-id"],
}


def order_by(sort: str, group_by: str = "") -> list[str]:
    """The ORDER BY for a list: grouping first, then the sort, then id so pages are stable."""
    fields = []
    if group_by in GROUPINGS:
        fields.append(GROUPINGS[group_by][1])
    fields.extend(INDEX_ORDERS.get(sort) or [sort, "-id" if sort.startswith("-") else "id"])
    return fields


def group_label(ticket: Any, group_by: str) -> str:
    """The heading a row falls under when a list is grouped."""
    if group_by == "status":
        return status_label(ticket.status)
    if group_by == "priority":
        return str(ticket.get_priority_display())
    if group_by == "assignee":
        return str(ticket.assignee) if ticket.assignee_id else str(_("Unassigned"))
    if group_by == "group":
        return str(ticket.group) if ticket.group_id else str(_("No group"))
    return ""


_TIME_COLUMNS = {"created_at", "updated_at", "due_at", "solved_at", "last_customer_message_at"}
_TEXT_COLUMNS = {
    "contact": lambda t: str(t.contact),
    "account": lambda t: str(t.account) if t.account_id else "",
    "assignee": lambda t: str(t.assignee) if t.assignee_id else "—",
    "group": lambda t: str(t.group) if t.group_id else "—",
    "department": lambda t: str(t.department) if t.department_id else "—",
    "type": lambda t: str(t.get_type_display()),
    "channel": lambda t: str(t.get_channel_display()),
}


def cells(ticket: Any, keys: list[str]) -> list[tuple[str, Any, str]]:
    """A row's cells as (kind, value, extra): the template then renders a handful of kinds
    instead of testing every column for every cell (the page's main cost at 100 rows)."""
    result: list[tuple[str, Any, str]] = []
    for key in keys:
        if key == "number":
            result.append(("number", ticket.number, ""))
        elif key == "subject":
            result.append(("subject", ticket.subject, str(ticket.number)))
        elif key in _TIME_COLUMNS:
            result.append(("time", getattr(ticket, key), ""))
        elif key == "status":
            result.append(("badge", status_label(ticket.status), f"status status--{ticket.status_category}"))
        elif key == "priority":
            result.append(("badge", str(ticket.get_priority_display()), f"priority priority--{ticket.priority_name}"))
        elif key == "tags":
            result.append(("tags", [tag.name for tag in ticket.tags.all()], ""))
        else:
            result.append(("text", _TEXT_COLUMNS[key](ticket), ""))
    return result
